"""Suppression comments shared with the CI scanners.

Datadog's IaC scanner reads ``# dd-iac-scan ...`` comments and KICS reads
``# kics-scan ...``; both keywords are honoured here with the same meaning:

``ignore-line``
    On a line of its own, suppresses findings on the next line.
``ignore-block``
    On a line of its own, suppresses findings in the YAML block that starts on
    the next line (that line and every following line indented deeper), and
    every finding of a task that starts there.
``ignore``
    In the file's header (the comment lines before any content), skips the file.
``disable=<ids>`` / ``enable=<ids>``
    In the header, turn this rule off, or keep only the listed rules on.  Ids are
    separated by commas; this rule answers to its rule id and its KICS query id.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from ecs_netmode_lsp.rule import KICS_QUERY_ID, RULE_ID
from ecs_netmode_lsp.text import LineIndex

KEYWORDS = ("dd-iac-scan", "kics-scan")
KEYWORD_MARK = "-scan"
"""Text that every suppression keyword holds: without it, a text has none."""
# A comment line starts the text (after its byte order mark) or follows any LSP
# line break, a lone CR too, which the MULTILINE "^" would not see.
_COMMENT = re.compile(
    r"(?<![^\r\n])\ufeff?[ \t]*#[ \t]*(?:dd-iac-scan|kics-scan)[ \t]+"
    r"(ignore-line|ignore-block|ignore|disable|enable)\b[ \t]*(?:=[ \t]*([^\s#]*))?"
)
_HEADER_LINE = re.compile(r"[ \t]*(?:#.*)?|---.*|%.*")
_OUR_IDS = frozenset({RULE_ID.lower(), KICS_QUERY_ID.lower()})


@dataclass(frozen=True)
class Suppressions:
    """What the comments of one text suppress."""

    skip_file: bool = False
    lines: frozenset[int] = frozenset()
    """Zero-based lines whose findings are suppressed."""

    blocks: tuple[tuple[int, int], ...] = ()
    """Inclusive zero-based line ranges whose findings and tasks are suppressed,
    sorted and disjoint."""

    def hides(self, line: int, task_line: int) -> bool:
        """Tell whether a finding on ``line`` of a task on ``task_line`` is hidden."""
        if self.skip_file or line in self.lines:
            return True
        return self._in_block(line) or self._in_block(task_line)

    def _in_block(self, line: int) -> bool:
        index = bisect.bisect_right(self.blocks, (line, math.inf)) - 1
        return index >= 0 and self.blocks[index][1] >= line


NONE = Suppressions()


def read(text: str, lines: LineIndex) -> Suppressions:
    """Read the suppression comments of ``text``."""
    if KEYWORD_MARK not in text:
        return NONE
    header_end = _header_end(text, lines)
    skip = False
    ignored: set[int] = set()
    blocks = []
    for match in _COMMENT.finditer(text):
        line = lines.line_of(match.start())
        command, ids = match.group(1), match.group(2)
        if command == "ignore-line":
            ignored.add(line + 1)
        elif command == "ignore-block":
            blocks.append(_block(text, lines, line + 1))
        elif line < header_end:
            skip = skip or _skips(command, ids)
    return Suppressions(skip, frozenset(ignored), _merged(blocks))


def _merged(blocks: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Return the line ranges sorted, with overlapping or nested ones joined."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(blocks):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _skips(command: str, ids: str | None) -> bool:
    named = {part.strip().lower() for part in (ids or "").split(",") if part.strip()}
    if command == "ignore":
        return True
    if command == "disable":
        return bool(named & _OUR_IDS)
    return not named & _OUR_IDS


def _header_end(text: str, lines: LineIndex) -> int:
    """Return the first line that is not a comment, blank or directive."""
    for number in range(lines.count):
        content = text[lines.start(number) : lines.line_end(number)]
        if not _HEADER_LINE.fullmatch(content.lstrip("\ufeff")):
            return number
    return lines.count


def _block(text: str, lines: LineIndex, first: int) -> tuple[int, int]:
    """Return the lines of the block starting at ``first`` (comments skipped).

    The walk stops at the first line that leaves the block, so a file with many
    ``ignore-block`` comments costs time in proportion to its blocks, not to
    the number of comments times the file's length.
    """
    contents = (
        number
        for number in range(first, lines.count)
        if _has_content(_line(text, lines, number))
    )
    opening = next(contents, None)
    if opening is None:
        return first, first
    indent = _indent(_line(text, lines, opening))
    last = opening
    for number in contents:
        if _indent(_line(text, lines, number)) <= indent:
            break
        last = number
    return first, last


def _has_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _line(text: str, lines: LineIndex, number: int) -> str:
    return text[lines.start(number) : lines.line_end(number)]


def _indent(content: str) -> int:
    return len(content) - len(content.lstrip(" "))
