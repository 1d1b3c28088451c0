"""Offsets and positions.

The analysis speaks code point offsets into the document text.  Editors speak
(line, character) positions whose character unit is negotiated: UTF-16 code units
by default, UTF-8 bytes or UTF-32 code points when both sides agree.  Every
conversion between the two happens here.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as the Language Server Protocol
says; YAML 1.1 parsers also break lines at U+0085, U+2028 and U+2029, so parser
line numbers are never used directly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BREAK_CHARS = re.compile(r"[\r\n]")

CHUNK = 1024
"""Lines longer than this get their units counted once, per chunk, and reused."""


@dataclass(frozen=True)
class Position:
    """A zero-based line and a character offset in some encoding's units."""

    line: int
    character: int


def units(text: str, encoding: Encoding) -> int:
    """Return the length of ``text`` in the units of ``encoding``."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    # Lone surrogates can arrive over JSON; "surrogatepass" counts them as the
    # unit (UTF-16) or 3 bytes (UTF-8) they take, which keeps positions monotonic.
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


class LineIndex:
    """Line start offsets of one text, for offset and position conversion.

    Typing on one line moves the start of every later line.  Rather than
    rewrite them all on each keystroke, an index made by :meth:`spliced` may
    share its predecessor's list and carry the move as one pending shift of
    the lines from ``_moved`` on.  Indexes are never changed once made, so
    the analysis threads may read one while the editor's next change is
    applied.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._base = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
        self._moved = len(self._base)
        """The first line whose start is ``_shift`` past its entry in ``_base``."""
        self._shift = 0
        self._starts: list[int] | None = None
        self._marks: dict[tuple[int, Encoding], list[int]] = {}

    @property
    def count(self) -> int:
        """The number of lines (a text without line breaks has one)."""
        return len(self._base)

    @property
    def starts(self) -> list[int]:
        """Every line's start offset, in order."""
        starts = self._starts
        if starts is None:
            moved, shift = self._moved, self._shift
            head = self._base[:moved]
            starts = head + [start + shift for start in self._base[moved:]]
            self._starts = starts
        return starts

    def start(self, line: int) -> int:
        """Return the offset where ``line`` starts."""
        start = self._base[line]
        return start + self._shift if line >= self._moved else start

    def line_of(self, offset: int) -> int:
        """Return the zero-based line that holds ``offset``."""
        base, moved = self._base, self._moved
        if moved < len(base) and offset >= base[moved] + self._shift:
            return bisect.bisect_right(base, offset - self._shift, moved) - 1
        return bisect.bisect_right(base, offset, 0, moved) - 1

    def line_end(self, line: int) -> int:
        """Return the offset where ``line``'s content ends (before its break)."""
        if line + 1 < len(self._base):
            end = self.start(line + 1)
            return end - 2 if self.text[end - 2 : end] == "\r\n" else end - 1
        return len(self.text)

    def line_break(self, line: int) -> str:
        """Return the break that ends ``line``, or the text's first one if none."""
        if line + 1 < len(self._base):
            return self.text[self.line_end(line) : self.start(line + 1)]
        first = _LINE_BREAK.search(self.text)
        return first.group() if first else "\n"

    def spliced(self, start: int, end: int, new_text: str) -> LineIndex:
        """Return the index of the text with ``[start, end)`` replaced, reusing lines.

        Only the lines around the edit are scanned again; a line break that an edit
        joins or splits (``\\r`` then ``\\n``) lies inside the rescanned region.  An
        edit inside one line only records how far the later lines moved.
        """
        text = self.text[:start] + new_text + self.text[end:]
        if self._within_line(start, end, new_text):
            return self._moved_by(
                text, self.line_of(start) + 1, len(new_text) - (end - start)
            )

        delta = len(new_text) - (end - start)
        starts = self.starts
        first = max(0, self.line_of(start) - 1)
        after = self.line_of(end) + 1
        region_end = (starts[after] if after < len(starts) else len(self.text)) + delta

        base = starts[: first + 1]
        region = _LINE_BREAK.finditer(text, starts[first], region_end)
        base.extend(match.end() for match in region)
        if after < len(starts):
            rest = starts[after + 1 :]
            # map() with int.__add__ shifts a long tail about twice as fast.
            base.extend(map(delta.__add__, rest) if delta else rest)
        return _made(text, base, len(base), 0)

    def _within_line(self, start: int, end: int, new_text: str) -> bool:
        """Tell whether an edit leaves every line break where it was."""
        if _BREAK_CHARS.search(new_text) or _BREAK_CHARS.search(self.text, start, end):
            return False
        # Text put between CR and LF (or taken from between them) splits or
        # joins a break.
        return not (
            self.text[start - 1 : start] == "\r" and self.text[end : end + 1] == "\n"
        )

    def _moved_by(self, text: str, moved: int, delta: int) -> LineIndex:
        """Return the index of ``text``, its lines from ``moved`` on ``delta`` later."""
        if self._shift and moved != self._moved:
            # Another line holds the pending move: settle it first.
            starts = self.starts
            return _made(self.text, starts, len(starts), 0)._moved_by(
                text, moved, delta
            )
        return _made(text, self._base, moved, self._shift + delta)

    def position(self, offset: int, encoding: Encoding) -> Position:
        """Convert a code point offset to a position in ``encoding``'s units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.start(line)
        if offset - start <= CHUNK or encoding == "utf-32":
            return Position(line, units(self.text[start:offset], encoding))
        marks = self._marks_of(line, encoding)
        chunk = (offset - start) // CHUNK
        base = start + chunk * CHUNK
        return Position(line, marks[chunk] + units(self.text[base:offset], encoding))

    def offset(self, position: Position, encoding: Encoding) -> int:
        """Convert a position to a code point offset, clamped to its line."""
        if position.line < 0:
            return 0
        if position.line >= len(self._base):
            return len(self.text)
        start = self.start(position.line)
        end = self.line_end(position.line)
        character = max(position.character, 0)
        if encoding == "utf-32":
            return start + min(character, end - start)
        if end - start > CHUNK:
            # Start from the last chunk that begins at or before the position.
            marks = self._marks_of(position.line, encoding)
            chunk = min(bisect.bisect_right(marks, character), len(marks) - 1) - 1
            start += chunk * CHUNK
            character -= marks[chunk]
            end = min(end, start + CHUNK)
        content = self.text[start:end]
        if content.isascii():
            return start + min(character, len(content))
        return start + _index_of_unit(content, character, encoding)

    def _marks_of(self, line: int, encoding: Encoding) -> list[int]:
        """Return the units before each ``CHUNK``-sized piece of a long line."""
        key = (line, encoding)
        marks = self._marks.get(key)
        if marks is None:
            start, end = self.start(line), self.line_end(line)
            marks = [0]
            for at in range(start, end, CHUNK):
                piece = self.text[at : min(at + CHUNK, end)]
                marks.append(marks[-1] + units(piece, encoding))
            self._marks[key] = marks
        return marks


def _made(text: str, base: list[int], moved: int, shift: int) -> LineIndex:
    """Return the index of ``text`` from its parts, without scanning the text."""
    index = LineIndex.__new__(LineIndex)
    index.text = text
    index._base = base
    index._moved = moved
    index._shift = shift
    index._starts = None
    index._marks = {}
    return index


def _index_of_unit(content: str, character: int, encoding: Encoding) -> int:
    """Return the index in ``content`` where ``character`` units have passed."""
    counted = 0
    for index, char in enumerate(content):
        if counted >= character:
            return index
        counted += units(char, encoding)
    return len(content)


class TextDocument:
    """An open document's text, kept in step with the editor's changes.

    Changes are applied by offset with this module's line rules, so a U+2028 or a
    form feed in the text never shifts the lines the editor and server agree on.
    """

    def __init__(self, uri: str, text: str, version: int | None = None) -> None:
        self.uri = uri
        self.version = version
        self.text = text
        self.lines = LineIndex(text)
        self.base = text
        self.head = self.tail = len(text)

    def rebase(self) -> tuple[str, int, int]:
        """Start counting changes from now; return the previous base and counts.

        ``head`` and ``tail`` count the characters at the start and the end of
        the text that are unchanged since the base.
        """
        previous = (self.base, self.head, self.tail)
        self.base = self.text
        self.head = self.tail = len(self.text)
        return previous

    def replace(self, text: str, version: int | None) -> None:
        """Replace the whole text."""
        self.text = text
        self.lines = LineIndex(text)
        self.version = version
        self.head = self.tail = 0

    def edit(
        self, start: Position, end: Position, new_text: str, encoding: Encoding
    ) -> None:
        """Replace the text between two positions (given in ``encoding``)."""
        first = self.lines.offset(start, encoding)
        last = max(first, self.lines.offset(end, encoding))
        self.head = min(self.head, first)
        self.tail = min(self.tail, len(self.text) - last)
        self.lines = self.lines.spliced(first, last, new_text)
        self.text = self.lines.text
