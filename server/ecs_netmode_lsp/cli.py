"""Command line entry point."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    sys.stderr.write("ecs-netmode-lsp: not built yet\n")
    return 2
