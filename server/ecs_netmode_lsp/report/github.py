"""``--format github``: workflow commands that annotate a pull request.

Each finding is ``::warning file=...,line=...,col=...,endLine=...,endColumn=...,
title=...::message`` (``error`` or ``notice`` by severity).  GitHub counts
columns in UTF-16 code units.  Values are escaped as the runner unescapes
them: ``%``, carriage return and line feed everywhere, and also ``:`` and
``,`` inside properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ecs_netmode_lsp.check_model import FileResult, Issue, Problem
from ecs_netmode_lsp.report import Context
from ecs_netmode_lsp.rule import PARSE_ERROR_CODE, RULE_ID, TITLE
from ecs_netmode_lsp.settings import Severity

COMMANDS: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "information": "notice",
    "hint": "notice",
}


def write(results: Sequence[FileResult], context: Context, stream: TextIO) -> None:
    """Write one workflow command per finding and per file problem."""
    command = COMMANDS[context.severity]
    for result in results:
        for issue in result.issues:
            stream.write(finding_command(result.path, issue, command) + "\n")
        for problem in result.problems:
            stream.write(problem_command(result.path, problem) + "\n")


def finding_command(path: str, issue: Issue, command: str) -> str:
    """Return the workflow command that annotates one finding."""
    region = issue.place.utf16
    properties = {
        "file": path,
        "line": str(region.line),
        "col": str(region.column),
        "endLine": str(region.end_line),
        "endColumn": str(region.end_column),
        "title": f"{TITLE} ({RULE_ID})",
    }
    return _command(command, properties, issue.message)


def problem_command(path: str, problem: Problem) -> str:
    """Return the error command for a file that could not be checked."""
    properties = {"file": path}
    if problem.place is not None:
        properties["line"] = str(problem.place.utf16.line)
        properties["col"] = str(problem.place.utf16.column)
    title = "YAML syntax error" if problem.kind == "syntax" else "File not checked"
    properties["title"] = (
        f"{title} ({PARSE_ERROR_CODE})" if problem.kind == "syntax" else title
    )
    return _command("error", properties, problem.message)


def _command(name: str, properties: dict[str, str], message: str) -> str:
    pairs = ",".join(
        f"{key}={escape_property(value)}" for key, value in properties.items()
    )
    return f"::{name} {pairs}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
