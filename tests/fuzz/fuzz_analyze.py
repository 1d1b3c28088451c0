"""Coverage-guided fuzzing of the core analysis with atheris.

    python tests/fuzz/fuzz_analyze.py [atheris/libFuzzer options]

Each input is decoded as UTF-8 (invalid bytes become lone surrogates, as JSON
can deliver them) and checked with the same invariants as the property tests:
no exception, spans inside the text, every fix applies cleanly, parses, removes
its finding and adds none.  The seed corpus is ``tests/fuzz/corpus``.  Without
atheris, ``--examples N`` runs the hypothesis properties at scale instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(ROOT))


def one_input(data: bytes) -> None:
    """Check the invariants on one fuzzer input."""
    from tests.reliability.invariants import check_text

    # Big inputs only slow the fuzzer down; the stdio tests cover size.
    if len(data) > 20_000:
        return
    check_text(data.decode("utf-8", "surrogateescape"))


def run_atheris(argv: list[str]) -> None:
    """Run libFuzzer through atheris, seeded from the corpus directory."""
    import atheris

    with atheris.instrument_imports():
        import ecs_netmode_lsp.analysis
        import ecs_netmode_lsp.ansible
        import ecs_netmode_lsp.fixes
        import ecs_netmode_lsp.source
        import ecs_netmode_lsp.yamlsource  # noqa: F401
    if not any(not arg.startswith("-") for arg in argv[1:]):
        # libFuzzer writes new inputs to the first directory: keep the seeds clean.
        argv = [*argv, tempfile.mkdtemp(prefix="ecs-netmode-fuzz-"), str(CORPUS)]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def run_hypothesis(examples: int) -> None:
    """Run the property tests with ``examples`` examples each."""
    import pytest

    args = [
        str(ROOT / "tests/reliability/test_properties.py"),
        "-q",
        "-p",
        "no:cacheprovider",
        f"--hypothesis-seed={examples}",
    ]
    sys.argv = [sys.argv[0]]
    os.environ["ECS_NETMODE_FUZZ_EXAMPLES"] = str(examples)
    raise SystemExit(pytest.main(args))


def main() -> None:
    """Choose atheris when it imports, else hypothesis at scale."""
    if "--examples" in sys.argv:
        index = sys.argv.index("--examples")
        run_hypothesis(int(sys.argv[index + 1]))
    try:
        import atheris  # noqa: F401
    except ImportError:
        run_hypothesis(5_000)
    run_atheris(sys.argv)


if __name__ == "__main__":
    main()
