"""Keep pytest out of the benchmark: it is run by hand, see docs/benchmark.md."""

collect_ignore_glob = ["*"]
