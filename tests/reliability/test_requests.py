"""Odd and malformed requests: an error or an empty answer, never a crash or hang.

After each one the same server must still serve a normal document.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ecs_netmode_lsp.rule import FIX_TITLE
from tests.reliability.conftest import NORMAL, Shared, assert_still_serving, new_uri
from tests.reliability.rpc import PROFILES, Message, Server

pytestmark = pytest.mark.asyncio(loop_scope="module")

METHOD_NOT_FOUND = -32601
FAR = {"line": 10_000, "character": 2**31 - 1}
ORIGIN = {"line": 0, "character": 0}


def code_action_params(uri: str, start: Message, end: Message) -> Message:
    """Params of a codeAction request over ``start``..``end``."""
    return {
        "textDocument": {"uri": uri},
        "range": {"start": start, "end": end},
        "context": {"diagnostics": []},
    }


def assert_error_or_empty(response: Message) -> None:
    """Assert a well-formed JSON-RPC error, or a result with nothing in it."""
    if "error" in response:
        error = response["error"]
        assert isinstance(error.get("code"), int), error
        assert isinstance(error.get("message"), str), error
        return
    assert "result" in response, response
    result = response["result"]
    if isinstance(result, dict):
        assert not result.get("items"), result
    else:
        assert not result, result


async def opened(server: Server, text: str = NORMAL) -> str:
    """Open a normal document, wait for its diagnostics, return its URI."""
    uri = new_uri()
    server.open(uri, text)
    await server.diagnostics(uri, 1)
    return uri


async def closed(server: Server) -> str:
    """Open, analyse and close a document; return its URI."""
    uri = await opened(server)
    server.close(uri)
    return uri


def never_opened(server: Server) -> str:
    """Return the URI of a document the server has never seen."""
    return new_uri("never.yml")


@pytest.mark.parametrize("make_uri", [never_opened, closed], ids=["never", "closed"])
@pytest.mark.parametrize(
    "method", ["textDocument/codeAction", "textDocument/diagnostic", "hover"]
)
async def test_unknown_document(shared: Shared, make_uri: Any, method: str) -> None:
    """Requests about documents that are not open get nothing, not a failure."""
    server = await shared.get()
    made = make_uri(server)
    uri = made if isinstance(made, str) else await made
    params: Message
    if method == "textDocument/codeAction":
        params = code_action_params(uri, ORIGIN, ORIGIN)
    elif method == "textDocument/diagnostic":
        params = {"textDocument": {"uri": uri}}
    else:
        method = "textDocument/hover"
        params = {"textDocument": {"uri": uri}, "position": ORIGIN}
    assert_error_or_empty(await server.request(method, params))
    await assert_still_serving(server)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (FAR, FAR),
        (ORIGIN, FAR),
        (FAR, ORIGIN),
        ({"line": 3, "character": 22}, {"line": 3, "character": 18}),
        ({"line": 3, "character": 500}, {"line": 1, "character": 0}),
    ],
    ids=["past-end", "to-past-end", "backwards-from-past-end", "backwards", "wide"],
)
async def test_odd_ranges(shared: Shared, start: Message, end: Message) -> None:
    """Ranges past the end or running backwards are clamped, not fatal."""
    server = await shared.get()
    uri = await opened(server)
    response = await server.request(
        "textDocument/codeAction", code_action_params(uri, start, end)
    )
    assert "result" in response or "error" in response, response
    if response.get("result"):
        for action in response["result"]:
            assert action["title"], action
    await assert_still_serving(server)


async def test_backwards_range_still_finds_the_fix(shared: Shared) -> None:
    """A backwards range over a finding still offers its quick fix."""
    server = await shared.get()
    uri = await opened(server)
    end, start = {"line": 3, "character": 18}, {"line": 3, "character": 22}
    params = code_action_params(uri, start, end)
    params["context"]["only"] = ["quickfix"]
    actions = await server.result("textDocument/codeAction", params)
    assert FIX_TITLE in [action["title"] for action in actions]


MALFORMED: dict[str, Any] = {
    "no-params": None,
    "params-list": [1, 2, 3],
    "params-string": "textDocument",
    "uri-number": {"textDocument": {"uri": 5}, "range": None, "context": {}},
    "missing-range": {"textDocument": {"uri": "file:///x.yml"}, "context": {}},
    "negative-position": {
        "textDocument": {"uri": "file:///x.yml"},
        "range": {"start": {"line": -1, "character": -5}, "end": ORIGIN},
        "context": {"diagnostics": []},
    },
    "wrong-types": {
        "textDocument": {"uri": "file:///x.yml"},
        "range": {"start": {"line": "a", "character": None}, "end": []},
        "context": {"diagnostics": "none", "only": 7},
    },
}


@pytest.mark.parametrize("params", MALFORMED.values(), ids=list(MALFORMED))
async def test_malformed_params_keep_serving(shared: Shared, params: Any) -> None:
    """Invalid params never stop the server from serving others."""
    server = await shared.get()
    server.send(
        {"jsonrpc": "2.0", "id": "bad", "method": "textDocument/codeAction"}
        | ({} if params is None else {"params": params})
    )
    await assert_still_serving(server)


async def test_malformed_params_are_answered(shared: Shared) -> None:
    """Invalid params get a JSON-RPC error (InvalidParams) for their id."""
    server = await shared.get()
    # Sent together so the suite waits once; a valid request is answered in
    # milliseconds, so five seconds is generous.
    answers = await asyncio.gather(
        *(
            server.request("textDocument/codeAction", params, timeout=5.0)
            for params in MALFORMED.values()
        ),
        return_exceptions=True,
    )
    unanswered = [
        name
        for name, answer in zip(MALFORMED, answers, strict=True)
        if isinstance(answer, BaseException)
    ]
    assert not unanswered, f"no answer for {unanswered}"
    for answer in answers:
        assert isinstance(answer, dict)
        assert_error_or_empty(answer)


async def test_unknown_request(shared: Shared) -> None:
    """An unknown request method is answered with MethodNotFound."""
    server = await shared.get()
    response = await server.request("ecsNetmode/doesNotExist", {"x": 1})
    assert response.get("error", {}).get("code") == METHOD_NOT_FOUND, response
    await assert_still_serving(server)


@pytest.mark.parametrize(
    "method", ["$/unknownNotification", "ecsNetmode/nothing", "textDocument/didSave"]
)
async def test_odd_notifications(shared: Shared, method: str) -> None:
    """Unknown notifications (and a didSave for an unknown URI) are ignored."""
    server = await shared.get()
    server.notify(method, {"textDocument": {"uri": new_uri()}, "text": "- a: b\n"})
    await assert_still_serving(server)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"jsonrpc": "2.0", "id": 77',
        b"\xff\xfe\x00garbage",
        b"[]",
        b"42",
        b'{"jsonrpc": "2.0", "id": {"nested": true}, "method": "shutdown"}',
        b'{"jsonrpc": "2.0", "method": 5, "params": {}}',
    ],
    ids=[
        "not-json",
        "truncated",
        "not-utf8",
        "batch",
        "number",
        "object-id",
        "method-number",
    ],
)
async def test_malformed_messages(shared: Shared, body: bytes) -> None:
    """Framed bodies that are not valid JSON-RPC do not stop the server."""
    server = await shared.get()
    server.send_bytes(body)
    await assert_still_serving(server)


async def test_change_with_version_gap(shared: Shared) -> None:
    """A didChange that skips versions is applied; diagnostics follow it."""
    server = await shared.get()
    uri = await opened(server)
    server.change(uri, 7, [{"text": NORMAL.replace("host", "awsvpc")}])
    assert await server.diagnostics(uri, 7) == []
    server.change(uri, 3, [{"text": NORMAL}])  # going backwards, even
    assert len(await server.diagnostics(uri, 3)) == 1
    await assert_still_serving(server)


async def test_change_of_unopened_document(shared: Shared) -> None:
    """A didChange for a document that is not open is ignored."""
    server = await shared.get()
    uri = new_uri()
    edit = {"range": {"start": ORIGIN, "end": FAR}, "text": NORMAL}
    server.change(uri, 2, [edit])
    response = await server.request(
        "textDocument/diagnostic", {"textDocument": {"uri": uri}}
    )
    assert_error_or_empty(response)
    await assert_still_serving(server)


async def test_change_past_the_end(shared: Shared) -> None:
    """An incremental change beyond the text is clamped to its end."""
    server = await shared.get()
    uri = await opened(server)
    far = {"range": {"start": FAR, "end": FAR}, "text": "# tail\n"}
    backwards = {
        "range": {"start": {"line": 3, "character": 4}, "end": ORIGIN},
        "text": "",
    }
    server.change(uri, 2, [far, backwards])
    diagnostics = await server.diagnostics(uri, 2)
    assert all(d["range"]["start"]["line"] <= 4 for d in diagnostics)
    await assert_still_serving(server)


async def test_open_twice(shared: Shared) -> None:
    """A second didOpen of the same URI replaces the text."""
    server = await shared.get()
    uri = await opened(server)
    server.open(uri, NORMAL.replace("host", "awsvpc"), version=5)
    assert await server.diagnostics(uri, 5) == []


async def test_unreadable_change_stops_checking_the_document() -> None:
    """A didChange that cannot be read clears the document and says so once.

    The server's copy would no longer match the editor's text; findings on it
    would sit at wrong places until the file is opened again.
    """
    server = await Server.start(PROFILES["vscode"])
    try:
        await server.initialize()
        uri = await opened(server)
        bad = {"range": {"start": {"line": -1, "character": 0}, "end": ORIGIN}}
        server.change(uri, 2, [{**bad, "text": "x"}])
        await server.wait_for(
            lambda: (
                server.publishes(uri)[-1]["diagnostics"] == []
                and bool(server.notifications("window/showMessage"))
            ),
            what="the diagnostics cleared and a notice",
        )
        (notice,) = server.notifications("window/showMessage")
        assert uri in notice["params"]["message"]

        server.change(uri, 3, [{"text": NORMAL}])
        await assert_still_serving(server)
        assert server.publishes(uri)[-1]["diagnostics"] == []
    finally:
        await server.kill()
