"""Reporters: one module per ``--format``, each writing a whole report.

A reporter gets every file's result, in the order the files were given, and
the run's context; it writes to the stream it is handed and nowhere else,
except the text reporter, whose file problems go to standard error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from ecs_netmode_lsp.check_model import FileResult
from ecs_netmode_lsp.settings import Severity

FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class Context:
    """What every reporter may need besides the results."""

    severity: Severity = "warning"
    color: bool = False
    exit_code: int = 0
    errors: TextIO | None = None
    """Where the text reporter writes file problems; None means the report."""


Reporter = Callable[[Sequence[FileResult], Context, TextIO], None]


def reporter(name: str) -> Reporter:
    """Return the reporter for a ``--format`` name."""
    # Imported on demand: a text run need not load json or the SARIF builder.
    if name == "json":
        from ecs_netmode_lsp.report.json_report import write
    elif name == "sarif":
        from ecs_netmode_lsp.report.sarif import write
    elif name == "github":
        from ecs_netmode_lsp.report.github import write
    else:
        from ecs_netmode_lsp.report.text import write
    return write
