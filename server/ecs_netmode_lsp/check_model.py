"""What a check run found, in plain data that crosses process boundaries.

Workers build these from the analysis; reporters turn them into text, JSON,
SARIF or workflow commands.  Lines and columns are 1-based.  Every range is
kept twice: in code points (what people and the JSON report count) and in
UTF-16 code units (what SARIF and GitHub count).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProblemKind = Literal["unreadable", "not-text", "syntax", "write"]


@dataclass(frozen=True)
class Region:
    """A 1-based range; the end column points just after the last character."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Place:
    """One range in the two units reports need."""

    points: Region
    """Columns in code points."""

    utf16: Region
    """Columns in UTF-16 code units."""


@dataclass(frozen=True)
class Fix:
    """Replace the text at ``place`` with ``new_text``."""

    place: Place
    new_text: str


@dataclass(frozen=True)
class Issue:
    """One finding of the rule in one file."""

    kind: str
    message: str
    value: str | None
    place: Place
    fix: Fix | None


@dataclass(frozen=True)
class Problem:
    """Why a file could not be checked (or written back)."""

    kind: ProblemKind
    message: str
    place: Place | None = None


@dataclass(frozen=True)
class FileResult:
    """Everything a run learnt about one file."""

    path: str
    """The path as reports show it (``-`` or the ``--stdin-filename``)."""

    issues: tuple[Issue, ...] = ()
    problems: tuple[Problem, ...] = ()
    fixed: int = 0
    """Findings that ``--fix`` or ``--diff`` made go away."""

    diff: str = ""
    """The unified diff of the fix, when ``--diff`` asked for it."""
