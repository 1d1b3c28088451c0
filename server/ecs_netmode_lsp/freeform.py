"""Free-form ``key=value`` arguments, split the way Ansible splits them.

Ansible cuts the text at spaces and line breaks only (a tab is part of a word),
then joins the pieces back together while a quote or a Jinja ``{{ }}``, ``{% %}``
or ``{# #}`` block is open, so ``mode={{ a | b }}`` and ``name="a b"`` are one
argument each.  A piece without ``=`` is no argument; the last of repeated keys
wins.  Text whose quotes or blocks never close is refused by Ansible; it is cut
at the separators alone here, so its words can still be judged and fixed.

Offsets are into the text given, which is a scalar's source: spans point at what
is written, quotes included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecs_netmode_lsp.source import Span

_PIECE = re.compile(r"[^ \r\n]+")
_BLOCKS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))


@dataclass(frozen=True)
class Argument:
    """One ``key=value`` argument of free-form text."""

    key: str
    value: Span
    """Where the value is written, quotes included; empty after a bare ``=``."""

    text: str
    """The value as the module gets it, without its surrounding quotes."""


def arguments(text: str, offset: int = 0) -> dict[str, Argument]:
    """Return the arguments of ``text``, keyed by name, spans moved by ``offset``."""
    found: dict[str, Argument] = {}
    for start, end in _joined(text) or _pieces(text):
        argument = _argument(text, start, end, offset)
        if argument is not None:
            found[argument.key] = argument
    return found


def _pieces(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _PIECE.finditer(text)]


def _joined(text: str) -> list[tuple[int, int]] | None:
    """Join the pieces that an open quote or block holds together, or None."""
    joined: list[tuple[int, int]] = []
    quote: str | None = None
    depths = [0, 0, 0]
    for start, end in _pieces(text):
        piece = text[start:end]
        held = quote is not None or any(depths)
        quote = _quote_after(piece, quote)
        depths = [
            _depth(piece, depth, pair)
            for depth, pair in zip(depths, _BLOCKS, strict=True)
        ]
        if held and joined:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    if quote is not None or any(depths):
        return None
    return joined


def _quote_after(piece: str, quote: str | None) -> str | None:
    """Return the quote still open after ``piece``, as Ansible tracks it."""
    previous = ""
    for char in piece:
        if char in "\"'" and previous != "\\":
            if quote is None:
                quote = char
            elif char == quote:
                quote = None
        previous = char
    return quote


def _depth(piece: str, depth: int, pair: tuple[str, str]) -> int:
    opened, closed = piece.count(pair[0]), piece.count(pair[1])
    return max(0, depth + opened - closed)


def _argument(text: str, start: int, end: int, offset: int) -> Argument | None:
    # Ansible looks for the first "=" after the first character that is not
    # escaped with a backslash.
    equals = start
    while True:
        equals = text.find("=", equals + 1, end)
        if equals < 0:
            return None
        if text[equals - 1] != "\\":
            break

    key = text[start:equals].strip()
    value_start, value_end = equals + 1, end
    while value_start < value_end and text[value_start].isspace():
        value_start += 1
    while value_end > value_start and text[value_end - 1].isspace():
        value_end -= 1
    written = text[value_start:value_end]
    span = Span(value_start + offset, value_end + offset)
    return Argument(key, span, _unquote(written))


def _unquote(value: str) -> str:
    quoted = (
        len(value) > 1
        and value[0] == value[-1]
        and value[0] in "\"'"
        and value[-2] != "\\"
    )
    return value[1:-1] if quoted else value
