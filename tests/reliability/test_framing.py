"""Badly framed messages on stdin cost a message or two, never the session.

Each case writes one frame whose header is wrong (or whose length lies) and
then sends ordinary requests: one of the first few must be answered, and the
server must go on serving.  Bodies end without a line break, so a reader that
loses its place once would glue every later body to the next header.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from tests.reliability.conftest import assert_still_serving, new_uri
from tests.reliability.rpc import PROFILES, Server, ServerError, check_ranges

ATTEMPTS = 3
"""Requests sent after the bad frame; a lying length may swallow the first."""

ANSWER_BOUND = 5.0
"""Seconds for an answer that takes milliseconds."""

BODY = json.dumps(
    {
        "jsonrpc": "2.0",
        "id": "framed",
        "method": "textDocument/hover",
        "params": {
            "textDocument": {"uri": "file:///framing.yml"},
            "position": {"line": 0, "character": 0},
        },
    }
).encode("ascii")


def _header(length: int | str, separator: bytes = b"\r\n") -> bytes:
    return f"Content-Length: {length}".encode("ascii") + separator * 2


FRAMES = {
    "length-short": _header(len(BODY) - 10) + BODY,
    "length-long": _header(len(BODY) + 60) + BODY,
    "length-negative": _header(-5) + BODY,
    "length-not-a-number": _header("many") + BODY,
    "length-zero": _header(0) + BODY,
    "length-huge": _header(99_999_999_999) + BODY,
    "length-many-digits": _header("9" * 5_000) + BODY,
    "lower-case": f"content-length: {len(BODY)}\r\n\r\n".encode("ascii") + BODY,
    "no-space": f"Content-Length:{len(BODY)}\r\n\r\n".encode("ascii") + BODY,
    "line-feeds": _header(len(BODY), b"\n") + BODY,
    "no-header": BODY,
    "endless-line": b"x" * 1_000_000,
}


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """A fresh server for each case: a deaf one must not hide behind another."""
    started = await Server.start(PROFILES["vscode"])
    await started.initialize()
    yield started
    await started.kill()


async def _answered(server: Server) -> bool:
    """Send ordinary requests one after another; tell whether one is answered."""
    params = {
        "textDocument": {"uri": "file:///framing.yml"},
        "position": {"line": 0, "character": 0},
    }
    for _ in range(ATTEMPTS):
        try:
            await server.request("textDocument/hover", params, ANSWER_BOUND)
        except ServerError:
            continue
        return True
    return False


@pytest.mark.parametrize("frame", FRAMES.values(), ids=list(FRAMES))
async def test_bad_frame_costs_at_most_a_message(server: Server, frame: bytes) -> None:
    """After a bad frame the server reads the following messages again."""
    assert server.process.stdin is not None
    server.process.stdin.write(frame)
    assert await _answered(server), "no request answered after the bad frame"
    await assert_still_serving(server)


async def test_request_that_is_not_utf8_is_answered(server: Server) -> None:
    """A request holding a Windows-1252 byte gets its answer."""
    body = BODY.replace(b"framing.yml", b"caf\xe9.yml")
    response = await server.request_bytes("framed", body, ANSWER_BOUND)
    assert "result" in response, response


async def test_document_that_is_not_utf8_is_analysed(server: Server) -> None:
    """A document whose text holds Windows-1252 bytes is opened and analysed.

    Each bad byte reads as U+FFFD, one UTF-16 unit like the character it
    stood for, so the finding after it keeps its columns.
    """
    uri = new_uri()
    text = (
        '- {name: "caf\ufffd \ufffdq\ufffd", ecs_taskdefinition: {network_mode: x}}\n'
    )
    item = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
    message = {"jsonrpc": "2.0", "method": "textDocument/didOpen"}
    body = json.dumps({**message, "params": {"textDocument": item}}).encode("ascii")
    for byte in (b"\xe9", b"\x93", b"\x94"):
        body = body.replace(b"\\ufffd", byte, 1)
    server.send_bytes(body)
    diagnostics = await server.diagnostics(uri, 1, ANSWER_BOUND)
    column = text.index("x}")
    assert [d["range"]["start"] for d in diagnostics] == [
        {"line": 0, "character": column}
    ]
    check_ranges(text, diagnostics, server.encoding)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"jsonrpc": "2.0", "id": 1, "method": ', -32700),
        (b"[" * 100_000 + b"]" * 100_000, -32700),
        (b"[" + BODY + b", " + BODY + b"]", -32600),
    ],
    ids=["not-json", "nested-past-the-limit", "batch"],
)
async def test_unreadable_message_gets_an_error_without_id(
    server: Server, body: bytes, code: int
) -> None:
    """Broken JSON or a batch is answered with an error whose id is null.

    The user is not shown a message box for the client's mistake, and the
    server goes on serving.
    """
    server.send_bytes(body)
    await server.wait_for(
        lambda: any(
            m.get("id", 0) is None and m.get("error", {}).get("code") == code
            for m in server.received
        ),
        ANSWER_BOUND,
        "an error answer with a null id",
    )
    assert server.notifications("window/showMessage") == []
    await assert_still_serving(server)
