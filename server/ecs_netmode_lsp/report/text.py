"""``--format text``: ``path:line:column: message [rule-id]``, one finding a line.

Columns count characters (code points), as most editors' "go to column" do.
File problems go to standard error so a pipe sees findings only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ecs_netmode_lsp.check_model import FileResult, Issue, Problem
from ecs_netmode_lsp.report import Context
from ecs_netmode_lsp.rule import PARSE_ERROR_CODE, RULE_ID

_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RED = "\x1b[31m"
_RESET = "\x1b[0m"


def write(results: Sequence[FileResult], context: Context, stream: TextIO) -> None:
    """Write one line per finding to ``stream`` and per problem to errors."""
    errors = context.errors or stream
    for result in results:
        for issue in result.issues:
            stream.write(finding_line(result.path, issue, context.color) + "\n")
        for problem in result.problems:
            errors.write(problem_line(result.path, problem, context.color) + "\n")


def finding_line(path: str, issue: Issue, color: bool) -> str:
    """Return the line for one finding."""
    region = issue.place.points
    where = _paint(f"{path}:{region.line}:{region.column}:", _BOLD, color)
    return f"{where} {issue.message} {_paint(f'[{RULE_ID}]', _DIM, color)}"


def problem_line(path: str, problem: Problem, color: bool) -> str:
    """Return the line for a file that could not be checked or fixed."""
    where = path
    if problem.place is not None:
        region = problem.place.points
        where = f"{path}:{region.line}:{region.column}"
    label = _paint("error:", _RED, color)
    code = f" [{PARSE_ERROR_CODE}]" if problem.kind == "syntax" else ""
    return f"{_paint(where + ':', _BOLD, color)} {label} {problem.message}{code}"


def summary(results: Sequence[FileResult], color: bool) -> str:
    """Return the closing line: how many findings in how many files."""
    found = sum(len(result.issues) for result in results)
    files = sum(1 for result in results if result.issues)
    failed = sum(1 for result in results if result.problems)
    checked = len(results)
    parts = [f"{_count(found, 'finding')} in {_count(files, 'file')}"]
    if failed:
        parts.append(_paint(f"{_count(failed, 'file')} with errors", _RED, color))
    parts.append(f"{_count(checked, 'file')} checked")
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text
