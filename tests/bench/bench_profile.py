"""Profile where the time of one analysis goes (cProfile, in-process).

Usage::

    python tests/bench/bench_profile.py [--sizes 10k 50k] [--top 20]

For each size it prints the top functions of ``analyze()`` by own time and by
cumulative time, then profiles what the server does for one edit: apply the
change to its ``TextDocument``, analyse, convert the findings to diagnostics
and serialise the ``publishDiagnostics`` notification to JSON.  It also times
``analyze()`` with the garbage collector enabled and disabled.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable

from bench_floor import median_ms
from bench_server import middle_site
from gen_ansible import SIZES, Spec, generate
from lsprotocol import converters, types

from ecs_netmode_lsp import convert
from ecs_netmode_lsp.analysis import analyze
from ecs_netmode_lsp.text import Position, TextDocument


def server_edit(text: str) -> Callable[[], str]:
    """Return a function doing the server's work for one typed character."""
    site = middle_site(text)
    document = TextDocument("file:///bench/profile.yml", text, 1)
    converter = converters.get_converter()
    where = Position(site.line, site.column)

    def one_edit() -> str:
        document.edit(where, where, "x", "utf-16")
        analysis = analyze(document.text)
        diagnostics = [
            convert.to_diagnostic(analysis.source.lines, f, "utf-16", "warning")
            for f in analysis.findings
        ]
        params = types.PublishDiagnosticsParams(
            uri=document.uri, diagnostics=diagnostics, version=2
        )
        return json.dumps(converter.unstructure(params))

    return one_edit


def profile(label: str, function: Callable[[], object], top: int) -> None:
    """Profile one call and print the top entries two ways."""
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        report = stream.getvalue()
        start = report.find("   ncalls")
        sys.stdout.write(f"\n### {label}, by {order}\n\n```\n{report[start:]}```\n")


def gc_effect(text: str, runs: int) -> str:
    """Time analyze() with the collector on and off."""
    on = median_ms(analyze, text, runs)
    gc.disable()
    try:
        off = median_ms(analyze, text, runs)
    finally:
        gc.enable()
    return f"analyze(): {on:,.0f} ms with gc, {off:,.0f} ms without\n"


def edit_cost(text: str, runs: int = 20) -> str:
    """Time applying one typed character to the server's TextDocument."""
    site = middle_site(text)
    document = TextDocument("file:///bench/edit.yml", text, 1)
    where = Position(site.line, site.column)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        document.edit(where, where, "x", "utf-16")
        samples.append((time.perf_counter() - start) * 1000)
    return f"TextDocument.edit(): median {statistics.median(samples):.2f} ms\n"


def main(argv: list[str] | None = None) -> int:
    """Profile the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "50k"], choices=SIZES)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    for label in args.sizes:
        text = generate(Spec(SIZES[label]))
        sys.stdout.write(f"\n## {label} lines (multi-document)\n\n")
        sys.stdout.write(gc_effect(text, 3))
        sys.stdout.write(edit_cost(text))
        analyze(text)  # warm up
        profile(f"analyze(), {label}", functools.partial(analyze, text), args.top)
        profile(f"server work for one edit, {label}", server_edit(text), args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
