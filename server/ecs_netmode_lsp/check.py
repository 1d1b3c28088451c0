"""``ecs-netmode-lsp check``: the editor's findings and fixes, for a shell or CI.

Exit status: 0 when every file is clean; 1 when there is a finding or a file
could not be read, decoded, parsed or written back (after ``--fix``: when
anything is left); 2 for a usage error, a path that does not exist, an
unusable configuration or a report that cannot be written.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ecs_netmode_lsp import check_config
from ecs_netmode_lsp.analysis import Options
from ecs_netmode_lsp.check_config import Config, ConfigError
from ecs_netmode_lsp.check_files import Exclude, collect
from ecs_netmode_lsp.check_model import FileResult
from ecs_netmode_lsp.check_run import Job, Mode, Progress, check_bytes, run
from ecs_netmode_lsp.report import FORMATS, Context, reporter
from ecs_netmode_lsp.report.text import summary
from ecs_netmode_lsp.rule import RULE_ID
from ecs_netmode_lsp.settings import SEVERITIES, Severity

STDIN = "-"
CLEAN, FOUND, USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line or configuration cannot be run as given."""


@dataclass(frozen=True)
class Plan:
    """Everything a run needs, settled from flags and configuration."""

    paths: list[str]
    options: Options
    severity: Severity
    excludes: list[Exclude]
    mode: Mode
    stdin_name: str


def main(argv: Sequence[str]) -> int:
    """Run ``check`` with ``argv`` (the words after ``check``); return the status."""
    parser = _parser()
    try:
        arguments = parser.parse_args(list(argv))
    except SystemExit as exit_:
        # argparse exits for --help (0) and for usage errors (2).
        return int(exit_.code or 0)
    try:
        plan = _plan(arguments)
    except (UsageError, ConfigError) as error:
        sys.stderr.write(f"ecs-netmode-lsp check: {error}\n")
        return USAGE
    try:
        results = _results(plan)
    except KeyboardInterrupt:
        return 130
    return _report(arguments, plan, results)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecs-netmode-lsp check",
        description=(
            "Check Ansible YAML for ECS task definitions whose network_mode is "
            f"not awsvpc (rule {RULE_ID})."
        ),
        epilog=(
            "Exit status: 0 clean, 1 findings or files that could not be "
            "checked, 2 usage error or missing path."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to check (default: .); - reads standard input",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE"
    )
    parser.add_argument(
        "--fix", action="store_true", help="apply every fix to the files in place"
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff; write nothing"
    )
    parser.add_argument("--severity", choices=SEVERITIES, help="severity to report")
    parser.add_argument(
        "--flag-missing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="report tasks that leave network_mode out (default: yes)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB (repeatable)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="path to report for standard input"
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from this pyproject.toml"
    )
    parser.add_argument(
        "--no-config", action="store_true", help="ignore pyproject.toml files"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (auto: on a terminal; NO_COLOR and "
        "FORCE_COLOR are honoured)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no summary on standard error"
    )
    return parser


def _plan(arguments: argparse.Namespace) -> Plan:
    paths: list[str] = arguments.paths or ["."]
    _validate(arguments, paths)
    config = _config(arguments)
    cwd = Path.cwd()
    excludes = [Exclude(glob, config.base) for glob in config.exclude]
    excludes += [Exclude(glob, cwd) for glob in arguments.exclude]
    flag_missing = _first(arguments.flag_missing, config.flag_missing, True)
    severity: Severity = arguments.severity or config.severity or "warning"
    mode: Mode = "diff" if arguments.diff else "fix" if arguments.fix else "check"
    return Plan(
        paths=paths,
        options=Options(flag_missing=flag_missing),
        severity=severity,
        excludes=excludes,
        mode=mode,
        stdin_name=arguments.stdin_filename or STDIN,
    )


def _validate(arguments: argparse.Namespace, paths: list[str]) -> None:
    if arguments.fix and STDIN in paths and not arguments.diff:
        raise UsageError("--fix cannot rewrite standard input; use --diff")
    if arguments.diff and arguments.format != "text":
        raise UsageError("--diff prints a diff, not a report; drop --format")
    if arguments.config and arguments.no_config:
        raise UsageError("--config and --no-config contradict each other")
    if paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read once only")
    if arguments.output:
        _validate_output(Path(arguments.output))
    missing = [path for path in paths if path != STDIN and not os.path.lexists(path)]
    if missing:
        raise UsageError(
            "no such file or folder: " + ", ".join(repr(path) for path in missing)
        )


def _validate_output(output: Path) -> None:
    # Found before the run, not after files were checked or even fixed.
    if output.is_dir():
        raise UsageError(f"-o {output}: is a folder")
    if not output.absolute().parent.is_dir():
        raise UsageError(f"-o {output}: no such folder: {output.parent}")


def _config(arguments: argparse.Namespace) -> Config:
    if arguments.no_config:
        return Config()
    if arguments.config:
        return check_config.load(Path(arguments.config))
    return check_config.load(check_config.find(Path.cwd()))


def _first(*values: bool | None) -> bool:
    return next(value for value in values if value is not None)


def _results(plan: Plan) -> list[FileResult]:
    """Check every file of the plan; results follow the order of the paths."""
    jobs = _jobs(plan)
    files = [job for job in jobs if job is not None]
    checked = iter(run(files, Progress.for_run(len(files))))
    return [_stdin(plan) if job is None else next(checked) for job in jobs]


def _jobs(plan: Plan) -> list[Job | None]:
    """Return one job per file to check, None standing for standard input."""
    found: list[Path | None] = []
    for name in plan.paths:
        found += [None] if name == STDIN else collect([name], plan.excludes)
    chosen = _one_path_per_file(path for path in found if path is not None)
    return [
        None if path is None else Job(path, _shown(path), plan.options, plan.mode)
        for path in found
        if path is None or chosen[os.path.realpath(path)] is path
    ]


def _one_path_per_file(paths: Iterable[Path]) -> dict[str, Path]:
    """Map each file to the one path it is checked under."""
    # The same file named twice must not be fixed twice at once.  Reached
    # both directly and through a link, it is reported under its own name.
    chosen: dict[str, Path] = {}
    for path in paths:
        key = os.path.realpath(path)
        if key not in chosen or (chosen[key].is_symlink() and not path.is_symlink()):
            chosen[key] = path
    return chosen


def _shown(path: Path) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _stdin(plan: Plan) -> FileResult:
    job = Job(Path(plan.stdin_name), plan.stdin_name, plan.options, plan.mode)
    return check_bytes(job, sys.stdin.buffer.read())


def _report(
    arguments: argparse.Namespace, plan: Plan, results: list[FileResult]
) -> int:
    status = FOUND if any(r.issues or r.problems for r in results) else CLEAN
    # A report written to a file is coloured only when asked for.
    color = _color(arguments.color, None if arguments.output else sys.stdout)
    context = Context(plan.severity, color, status, errors=sys.stderr)
    try:
        _emit(arguments, plan, results, context)
    except BrokenPipeError:
        # The reader left early (`check | head`): stop without a traceback.
        _drop_stdout()
        return status
    except OSError as error:
        target = arguments.output or "standard output"
        reason = error.strerror or str(error)
        sys.stderr.write(f"ecs-netmode-lsp check: cannot write {target}: {reason}\n")
        return USAGE
    if not arguments.quiet:
        _summarise(plan.mode, results, arguments.format, color)
    return status


def _emit(
    arguments: argparse.Namespace,
    plan: Plan,
    results: list[FileResult],
    context: Context,
) -> None:
    """Write the report, or the diff, to ``-o FILE`` or standard output."""
    # A diff keeps the files' line breaks untranslated, or patch misses them.
    newline = "" if plan.mode == "diff" else None
    if arguments.output:
        path = Path(arguments.output)
        with path.open("w", encoding="utf-8", newline=newline) as stream:
            _write(arguments.format, plan.mode, results, context, stream)
        return
    _prepare(sys.stdout, plan.mode)
    _write(arguments.format, plan.mode, results, context, sys.stdout)
    sys.stdout.flush()


def _write(
    format_: str,
    mode: Mode,
    results: list[FileResult],
    context: Context,
    stream: TextIO,
) -> None:
    if mode == "diff":
        for result in results:
            stream.write(result.diff)
    else:
        reporter(format_)(results, context, stream)


def _drop_stdout() -> None:
    # Python flushes standard output again at exit, which would raise anew.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _summarise(
    mode: Mode, results: list[FileResult], format_: str, color: bool
) -> None:
    """Tell on standard error what was fixed and, for text, what was found."""
    fixed = sum(result.fixed for result in results)
    if mode != "check":
        files = sum(1 for result in results if result.fixed)
        verb = "would fix" if mode == "diff" else "fixed"
        noun = "finding" if fixed == 1 else "findings"
        places = "file" if files == 1 else "files"
        sys.stderr.write(f"{verb} {fixed} {noun} in {files} {places}\n")
    if format_ == "text" and any(r.issues or r.problems for r in results):
        sys.stderr.write(summary(results, color) + "\n")


def _color(choice: str, stream: TextIO | None) -> bool:
    """Decide on colour: the flag, then NO_COLOR, FORCE_COLOR, then a TTY."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return stream is not None and stream.isatty()


def _prepare(stream: TextIO, mode: Mode) -> None:
    """Set up standard output: a diff as UTF-8 bytes, a report as the console."""
    if not isinstance(stream, io.TextIOWrapper):
        return
    if mode == "diff":
        # patch compares bytes: the diff must be in the files' own UTF-8.
        stream.reconfigure(encoding="utf-8", newline="")
    else:
        # A console that cannot show a character gets an escape, not a crash.
        stream.reconfigure(errors="backslashreplace")
