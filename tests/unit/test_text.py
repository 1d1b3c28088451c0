"""Positions in every encoding, and the incremental line index."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecs_netmode_lsp.text import LineIndex, Position, TextDocument

PIECES = ["a", " ", "\n", "\r", "\r\n", "🚀", "é", "\u2028", "\x85", "\t", "\f"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(texts, st.data())
def test_spliced_index_equals_a_new_one(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    insert = data.draw(texts)

    spliced = LineIndex(text).spliced(start, end, insert)

    expected = LineIndex(text[:start] + insert + text[end:])
    assert (spliced.text, spliced.starts) == (expected.text, expected.starts)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
@given(text=texts, data=st.data())
def test_offset_position_round_trip(encoding, text: str, data) -> None:
    lines = LineIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    if text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # no position lies between CR and LF

    assert lines.offset(lines.position(offset, encoding), encoding) == offset


def test_only_lsp_line_breaks_count() -> None:
    lines = LineIndex("a\u2028b\x85c\fd\r\ne\rf\ng")
    assert len(lines.starts) == 4
    assert lines.position(len("a\u2028b\x85c\fd\r\ne\rf\n"), "utf-16") == Position(3, 0)


def test_columns_per_encoding() -> None:
    lines = LineIndex("x: 🚀é host\n")
    offset = lines.text.index("host")
    assert lines.position(offset, "utf-32").character == 6
    assert lines.position(offset, "utf-16").character == 7
    assert lines.position(offset, "utf-8").character == 10


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
@given(text=texts, data=st.data())
def test_document_edits_match_string_edits(encoding, text: str, data) -> None:
    document = TextDocument("file:///x.yml", text)
    expected = text
    for _ in range(data.draw(st.integers(1, 4))):
        lines = LineIndex(expected)
        start = data.draw(st.integers(0, len(expected)))
        end = data.draw(st.integers(start, len(expected)))
        if expected[start - 1 : start + 1] == "\r\n":
            start -= 1
        if expected[end - 1 : end + 1] == "\r\n":
            end -= 1
        insert = data.draw(texts)
        document.edit(
            lines.position(start, encoding),
            lines.position(end, encoding),
            insert,
            encoding,
        )
        expected = expected[:start] + insert + expected[end:]
        assert document.text == expected


def test_typing_on_one_line_then_another_moves_later_lines() -> None:
    """Keystrokes on a line, then on an earlier and a later one, keep lines right."""
    text = "a: 1\r\nb: 🚀 2\nc: 3\rd: 4\n"
    document = TextDocument("file:///x.yml", text)
    typed = [(1, 3, "x"), (1, 4, "yé"), (0, 1, "z"), (3, 2, ""), (3, 2, "🚀")]
    for line, character, new_text in typed:
        start = Position(line, character)
        end = Position(line, character + (0 if new_text else 1))
        document.edit(start, end, new_text, "utf-16")
        fresh = LineIndex(document.text)
        lines = document.lines
        assert [lines.start(n) for n in range(lines.count)] == fresh.starts
        assert [lines.line_of(o) for o in range(len(document.text) + 1)] == [
            fresh.line_of(o) for o in range(len(document.text) + 1)
        ]
    assert document.text == "az: 1\r\nb: xyé🚀 2\nc: 3\rd:🚀4\n"
