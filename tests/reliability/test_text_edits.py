"""Incremental edits through ``text.TextDocument`` against a plain string.

Positions are computed here independently of the server (``rpc.units``), in all
three encodings; the document's text and line index must match the string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecs_netmode_lsp import text as text_module
from ecs_netmode_lsp.text import LineIndex, Position, TextDocument
from tests.reliability.rpc import units

ENCODINGS = ("utf-8", "utf-16", "utf-32")
ALPHABET = st.sampled_from(
    ["a", "b", " ", ":", "-", "\n", "\r", "\r\n", "é", "🚀", "\u2028", "\x85", "\x0c"]
)
TEXT = st.lists(ALPHABET, max_size=40).map("".join)
_BREAK = re.compile(r"\r\n|\r|\n")


@contextmanager
def chunk_size(size: int) -> Iterator[None]:
    """Count long lines in ``size``-character pieces, to reach that code path."""
    saved = text_module.CHUNK
    text_module.CHUNK = size
    try:
        yield
    finally:
        text_module.CHUNK = saved


def starts(text: str) -> list[int]:
    """Line start offsets by LSP's rules, computed here."""
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def position_of(text: str, offset: int, encoding: str) -> Position:
    """The LSP position of a code point offset, computed here."""
    lines = starts(text)
    line = max(i for i, start in enumerate(lines) if start <= offset)
    # An offset between \r and \n belongs to no line position; never generated.
    return Position(line, units(text[lines[line] : offset], encoding))


def boundaries(text: str) -> list[int]:
    """Offsets an editor can address: not between the \\r and \\n of a CRLF."""
    return [
        offset
        for offset in range(len(text) + 1)
        if not (text[offset - 1 : offset + 1] == "\r\n" and offset > 0)
    ]


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A text and a few edits, each as offsets into the text before it."""
    text = draw(TEXT)
    edits = []
    current = text
    for _ in range(draw(st.integers(1, 6))):
        places = boundaries(current)
        start = draw(st.sampled_from(places))
        end = draw(st.sampled_from([p for p in places if p >= start]))
        new_text = draw(TEXT)
        edits.append((start, end, new_text))
        current = current[:start] + new_text + current[end:]
    return text, edits


def apply(
    document: TextDocument, plain: str, edit: tuple[int, int, str], encoding: str
) -> str:
    """Apply one edit (offsets into ``plain``) by position; return the new text."""
    start, end, new_text = edit
    document.edit(
        position_of(plain, start, encoding),
        position_of(plain, end, encoding),
        new_text,
        encoding,  # type: ignore[arg-type]
    )
    return plain[:start] + new_text + plain[end:]


@settings(max_examples=300, deadline=None)
@given(edited(), st.sampled_from(ENCODINGS))
def test_edits_match_a_plain_string(
    case: tuple[str, list[tuple[int, int, str]]], encoding: str
) -> None:
    """Applying edits by position gives the same text and lines as by offset."""
    text, edits = case
    document = TextDocument("file:///x.yml", text, 1)
    plain = text
    for edit in edits:
        plain = apply(document, plain, edit, encoding)
        assert document.text == plain
        assert document.lines.starts == starts(plain)
        assert document.lines.starts == LineIndex(plain).starts


@pytest.mark.parametrize("chunk", [text_module.CHUNK, 1, 3])
@settings(max_examples=300, deadline=None)
@given(text=TEXT, encoding=st.sampled_from(ENCODINGS))
def test_positions_round_trip(chunk: int, text: str, encoding: str) -> None:
    """Offset to position and back is the identity on addressable offsets."""
    with chunk_size(chunk):
        index = LineIndex(text)
        for offset in boundaries(text):
            position = index.position(offset, encoding)  # type: ignore[arg-type]
            assert position == position_of(text, offset, encoding)
            assert index.offset(position, encoding) == offset  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk", [text_module.CHUNK, 1, 3])
@settings(max_examples=200, deadline=None)
@given(
    text=TEXT,
    line=st.integers(-3, 60),
    character=st.integers(-3, 200),
    encoding=st.sampled_from(ENCODINGS),
)
def test_positions_beyond_the_text_clamp(
    chunk: int, text: str, line: int, character: int, encoding: str
) -> None:
    """Any position maps to an offset inside the text, at the line's end at most."""
    with chunk_size(chunk):
        index = LineIndex(text)
        offset = index.offset(Position(line, character), encoding)  # type: ignore[arg-type]
    assert 0 <= offset <= len(text)
    if 0 <= line < len(starts(text)):
        assert offset >= starts(text)[line]


@settings(max_examples=300, deadline=None)
@given(edited(), st.sampled_from(ENCODINGS))
def test_edited_index_converts_like_a_new_one(
    case: tuple[str, list[tuple[int, int, str]]], encoding: str
) -> None:
    """Lines, positions and offsets of an edited document match a fresh index.

    Nothing here reads the full list of line starts, so an index that carries
    a pending move of its later lines is checked as the analysis uses it.
    """
    text, edits = case
    document = TextDocument("file:///x.yml", text, 1)
    plain = text
    for edit in edits:
        plain = apply(document, plain, edit, encoding)
    edited_index, fresh = document.lines, LineIndex(plain)
    assert edited_index.count == fresh.count
    for line in range(fresh.count):
        assert edited_index.start(line) == fresh.start(line)
        assert edited_index.line_end(line) == fresh.line_end(line)
        assert edited_index.line_break(line) == fresh.line_break(line)
    for offset in range(len(plain) + 1):
        assert edited_index.line_of(offset) == fresh.line_of(offset)
        position = fresh.position(offset, encoding)  # type: ignore[arg-type]
        assert edited_index.position(offset, encoding) == position  # type: ignore[arg-type]
        assert edited_index.offset(position, encoding) == fresh.offset(  # type: ignore[arg-type]
            position,
            encoding,  # type: ignore[arg-type]
        )
