"""Checking files, one worker call per file, in parallel when there are many.

A worker reads a file's bytes, decodes them, runs the analysis and, when asked,
applies every fix and analyses the result again, so a report after ``--fix``
shows what is left.  It returns plain data (``check_model``), which the main
process reports in the order the files were given.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TextIO

from ecs_netmode_lsp.analysis import Analysis, Finding, Options, analyze, fix_all
from ecs_netmode_lsp.check_files import (
    Decoded,
    NotText,
    decode,
    write_atomically,
)
from ecs_netmode_lsp.check_model import (
    FileResult,
    Fix,
    Issue,
    Place,
    Problem,
    ProblemKind,
    Region,
)
from ecs_netmode_lsp.source import Edit, Span, apply_edits
from ecs_netmode_lsp.text import LineIndex

Mode = Literal["check", "fix", "diff"]

# Lines as diff(1) and patch(1) see them: ended by LF only, so a CR or CRLF
# stays part of its line and the diff applies to the file byte for byte.
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")

PARALLEL_FROM = 8
"""Files per worker process below which a pool costs more than it saves."""

PROGRESS_FROM = 50
"""Fewer files than this finish too fast for a progress bar to help."""


@dataclass(frozen=True)
class Job:
    """One file to check, and what to do with it."""

    path: Path
    shown: str
    options: Options
    mode: Mode = "check"


def check_file(job: Job) -> FileResult:
    """Read, check and (if asked) fix one file; never raises for a bad file."""
    try:
        data = job.path.read_bytes()
    except OSError as error:
        return _failed(job, "unreadable", f"cannot read: {_reason(error)}")
    return check_bytes(job, data)


def check_bytes(job: Job, data: bytes) -> FileResult:
    """Check the bytes of one file (or of standard input)."""
    try:
        decoded = decode(data)
    except NotText as error:
        return _failed(job, "not-text", str(error))

    analysis = analyze(decoded.text, job.options)
    if job.mode == "check" or analysis.problem is not None:
        return _result(job.shown, analysis)
    return _fixed(job, decoded, analysis)


def _fixed(job: Job, decoded: Decoded, analysis: Analysis) -> FileResult:
    """Apply every fix, then diff or write the text and report what is left."""
    text = decoded.text
    fixed_text = apply_edits(text, fix_all(analysis.findings))
    if fixed_text == text:
        return _result(job.shown, analysis)
    after = analyze(fixed_text, job.options)
    if after.problem is not None:
        # A fix must never leave a file that no longer parses; keep it as it is.
        broken = Problem("write", "not fixed: the fix would break the YAML")
        return replace(_result(job.shown, analysis), problems=(broken,))

    fixed = max(0, len(analysis.findings) - len(after.findings))
    if job.mode == "diff":
        # The mark is part of a UTF-8 file's first line; patch must find it.
        mark = "\ufeff" if decoded.bom == b"\xef\xbb\xbf" else ""
        diff = unified_diff(_diff_name(job), mark + text, mark + fixed_text)
        return replace(_result(job.shown, analysis), fixed=fixed, diff=diff)
    try:
        write_atomically(job.path, decoded.encode(fixed_text))
    except OSError as error:
        failed = Problem("write", f"cannot write the fix: {_reason(error)}")
        return replace(_result(job.shown, analysis), problems=(failed,))
    return replace(_result(job.shown, after), fixed=fixed)


def _diff_name(job: Job) -> str:
    """Name the file a diff changes: a link's target, which patch will edit."""
    if not job.path.is_symlink():
        return job.shown
    target = os.path.realpath(job.path)
    if job.path.is_absolute():
        return target.replace(os.sep, "/")
    return os.path.relpath(target).replace(os.sep, "/")


def _failed(job: Job, kind: ProblemKind, message: str) -> FileResult:
    return FileResult(job.shown, problems=(Problem(kind, message),))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _result(shown: str, analysis: Analysis) -> FileResult:
    lines = analysis.source.lines
    if analysis.problem is not None:
        span = Span(analysis.problem.offset, analysis.problem.offset)
        message = f"YAML syntax error: {analysis.problem.message}"
        problem = Problem("syntax", message, place(lines, span))
        return FileResult(shown, problems=(problem,))
    issues = tuple(_issue(lines, finding) for finding in analysis.findings)
    return FileResult(shown, issues=issues)


def _issue(lines: LineIndex, finding: Finding) -> Issue:
    return Issue(
        kind=finding.kind.value,
        message=finding.message,
        value=finding.value,
        place=place(lines, finding.span),
        fix=None if finding.fix is None else _fix(lines, finding.fix),
    )


def _fix(lines: LineIndex, edit: Edit) -> Fix:
    return Fix(place(lines, edit.span), edit.new_text)


def place(lines: LineIndex, span: Span) -> Place:
    """Return where ``span`` is, in code points and in UTF-16 code units."""
    return Place(_region(lines, span, "utf-32"), _region(lines, span, "utf-16"))


def _region(
    lines: LineIndex, span: Span, encoding: Literal["utf-16", "utf-32"]
) -> Region:
    start = lines.position(span.start, encoding)
    end = lines.position(span.end, encoding)
    return Region(start.line + 1, start.character + 1, end.line + 1, end.character + 1)


def unified_diff(shown: str, before: str, after: str) -> str:
    """Return a unified diff between two texts, keeping their line breaks."""
    lines = difflib.unified_diff(
        _lines(before),
        _lines(after),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    return "".join(_terminated(line) for line in lines)


def _lines(text: str) -> list[str]:
    # str.splitlines would also break at CR, U+2028, form feeds and the like,
    # where patch sees no line break.
    return _LINE.findall(text)


def _terminated(line: str) -> str:
    # A last line without a break would run into the next header.
    if line.endswith("\n"):
        return line
    return line + "\n\\ No newline at end of file\n"


def run(jobs: Sequence[Job], progress: Progress | None = None) -> list[FileResult]:
    """Check every job; results come in the order of ``jobs``."""
    count = workers(len(jobs))
    try:
        if count < 2:
            return [_counted(check_file(job), progress) for job in jobs]
        # Imported here: it loads multiprocessing, which a small run never needs.
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(16, len(jobs) // (count * 4)))
        with ProcessPoolExecutor(max_workers=count) as pool:
            results = pool.map(check_file, jobs, chunksize=chunk)
            return [_counted(result, progress) for result in results]
    finally:
        if progress is not None:
            progress.close()


def workers(files: int) -> int:
    """Return how many processes check ``files`` files: one per usable core."""
    # The cores this process may run on, which taskset or a container's CPU
    # set make fewer than the machine's: more workers would only take turns.
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // PARALLEL_FROM))


def _counted(result: FileResult, progress: Progress | None) -> FileResult:
    if progress is not None:
        progress.advance()
    return result


class Progress:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(
        self, total: int, stream: TextIO, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.clock = clock
        self.drawn_at = 0.0
        self.shown = False

    @classmethod
    def for_run(cls, total: int, stream: TextIO = sys.stderr) -> Progress | None:
        """Return a bar for a long run on a terminal, or None."""
        if total < PROGRESS_FROM or not stream.isatty():
            return None
        return cls(total, stream)

    def advance(self) -> None:
        """Count one more file and redraw if it is time."""
        self.done += 1
        now = self.clock()
        if now - self.drawn_at < 0.1 and self.done < self.total:
            return
        self.drawn_at = now
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} files")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the bar so the report starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
