"""Reading LSP messages from stdin, finding the next header after a bad one.

pygls only recognises a header line that is exactly ``Content-Length: N``.  After
one frame it cannot read (a lower-case or space-less header, a length that is
wrong), the body of every later message runs into the next header line, since
bodies end without a line break, and no message is ever recognised again.  This
reader looks for the length anywhere in a header line, case-insensitively, and
hands pygls a canonical header; a bad frame costs that message (and at worst
the one after it), never the session.  A body that is not UTF-8 (a client
sending Windows-1252, say) would be dropped unanswered: its bad bytes are read
as U+FFFD instead.
"""

from __future__ import annotations

import logging
import re
from typing import BinaryIO

log = logging.getLogger(__name__)

MAX_BODY = 1 << 30
"""Largest message body read; a longer announced length is taken for garbage."""

LINE_LIMIT = 1 << 16
"""Bytes of a header line read at a time; longer lines are garbage, kept short."""

CHUNK = 1 << 26
"""Bytes of a body read at a time, so a false length does not allocate it all.

Every real body fits in one piece, which is then returned without a copy.
"""

_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d+)", re.IGNORECASE)
_TAIL = 64
"""Bytes kept from a cut-off line, enough to hold a whole Content-Length header."""


class FramedInput:
    """A binary stdin for pygls that always presents well-formed headers."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._queued: list[bytes] = []

    def readline(self) -> bytes:
        """Return the next header line pygls expects, or b"" at the end of input."""
        if self._queued:
            return self._queued.pop()
        length = self._next_length()
        if length is None:
            return b""
        self._queued = [b"\r\n"]
        return b"Content-Length: %d\r\n" % length

    def read(self, size: int) -> bytes:
        """Return the next ``size`` bytes as UTF-8, fewer only at the end of input."""
        chunks = []
        left = size
        while left > 0:
            chunk = self._raw.read(min(left, CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return _utf8(chunks[0] if len(chunks) == 1 else b"".join(chunks))

    def _next_length(self) -> int | None:
        """Read header lines up to the blank line that ends a usable header."""
        length = None
        while True:
            line = self._line()
            if not line:
                return None
            found = _LENGTH.search(line)
            if found is not None:
                length = _length(found.group(1))
                continue
            if line.strip() or length is None:
                continue
            if 0 < length <= MAX_BODY:
                return length
            log.warning("Ignored a message header announcing %d bytes", length)
            length = None

    def _line(self) -> bytes:
        """Return the next line; of a very long one, only its last bytes."""
        line = self._raw.readline(LINE_LIMIT)
        while line and not line.endswith(b"\n"):
            more = self._raw.readline(LINE_LIMIT)
            if not more:
                break
            line = line[-_TAIL:] + more
        return line


def _utf8(body: bytes) -> bytes:
    """Return ``body`` with any byte that is not UTF-8 replaced by U+FFFD."""
    if body.isascii():
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("A message was not UTF-8; its bad bytes are read as U+FFFD")
        return body.decode("utf-8", "replace").encode("utf-8")
    return body


def _length(digits: bytes) -> int:
    # More digits than any usable length: say so without converting them all.
    return int(digits) if len(digits) <= 12 else MAX_BODY + 1
