"""``ecs-netmode-lsp check``: the editor's findings, for a shell or CI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from ecs_netmode_lsp.analysis import Options, analyze
from ecs_netmode_lsp.rule import PARSE_ERROR_CODE, RULE_ID

SUFFIXES = (".yml", ".yaml")


def main(argv: list[str]) -> int:
    """Check files and print one line per finding; 1 if any, 0 if none."""
    parser = argparse.ArgumentParser(
        prog="ecs-netmode-lsp check",
        description="Check Ansible files for ECS task definitions not using awsvpc.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument(
        "--no-flag-missing",
        action="store_true",
        help="do not report tasks that leave network_mode out",
    )
    options = parser.parse_args(argv)

    missing = [path for path in options.paths if not Path(path).exists()]
    if missing:
        for path in missing:
            sys.stderr.write(f"ecs-netmode-lsp: {path}: no such file or folder\n")
        return 2

    rule = Options(flag_missing=not options.no_flag_missing)
    found = 0
    for path in _files(options.paths):
        found += _check(path, rule)
    return 1 if found else 0


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()
            )
        else:
            yield path


def _check(path: Path, options: Options) -> int:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        sys.stderr.write(f"ecs-netmode-lsp: {path}: cannot read: {error}\n")
        return 1

    analysis = analyze(text, options)
    lines = analysis.source.lines
    if analysis.problem is not None:
        position = lines.position(analysis.problem.offset, "utf-32")
        where = f"{path}:{position.line + 1}:{position.character + 1}"
        message = f"YAML syntax error: {analysis.problem.message}"
        sys.stdout.write(f"{where}: {message} [{PARSE_ERROR_CODE}]\n")
        return 1
    for finding in analysis.findings:
        position = lines.position(finding.span.start, "utf-32")
        where = f"{path}:{position.line + 1}:{position.character + 1}"
        sys.stdout.write(f"{where}: {finding.message} [{RULE_ID}]\n")
    return len(analysis.findings)
