"""Start-up and shut-down: exit codes, a closed stdin, a vanished parent editor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.reliability import hostile
from tests.reliability.conftest import Starter, assert_still_serving, new_uri
from tests.reliability.rpc import PROFILES, Server

EXIT_BOUND = 15.0
"""Seconds a server may take to exit on a noisy CI machine."""

INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
PARENT_BOUND = 8.0
"""Seconds a server may take to notice that its editor has gone."""


async def test_shutdown_then_exit(start: Starter) -> None:
    """shutdown then exit ends the process with status 0."""
    server = await start()
    await server.result("shutdown", None)
    server.notify("exit", None)
    assert await server.wait_exit(EXIT_BOUND) == 0


async def test_exit_without_shutdown(start: Starter) -> None:
    """exit without a shutdown first ends the process with status 1."""
    server = await start()
    server.notify("exit", None)
    assert await server.wait_exit(EXIT_BOUND) == 1


async def test_shutdown_while_analysing(start: Starter) -> None:
    """shutdown and exit are honoured while a big document is being analysed."""
    server = await start()
    server.open(new_uri(), hostile.playbook(2_000_000)[0])
    await server.result("shutdown", None, timeout=60.0)
    server.notify("exit", None)
    assert await server.wait_exit(60.0) == 0


def slow_document() -> str:
    """A document whose analysis takes tens of seconds.

    A re-defined anchor sends it to the pure-Python parser, which takes about
    ten microseconds a character over small flow mappings.
    """
    return "- x: &m 1\n- y: &m 2\n" + "- {a: b, c: d, e: f, g: h}\n" * 100_000


@pytest.mark.parametrize("orderly", [True, False], ids=["shutdown", "no-shutdown"])
async def test_exit_does_not_wait_for_analysis(start: Starter, orderly: bool) -> None:
    """exit ends the process at once, even while a long analysis runs."""
    server = await start()
    server.open(new_uri(), slow_document())
    if orderly:
        await server.result("shutdown", None)
    server.notify("exit", None)
    assert await server.wait_exit(EXIT_BOUND) == (0 if orderly else 1)


async def test_closed_stdin_does_not_wait_for_analysis(start: Starter) -> None:
    """A closed input ends the process at once, even while a long analysis runs."""
    server = await start()
    server.open(new_uri(), slow_document())
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert await server.wait_exit(EXIT_BOUND) == 1


async def test_exit_works_after_requests_after_shutdown(start: Starter) -> None:
    """Requests after shutdown do not stop exit from working."""
    server = await start()
    await server.result("shutdown", None)
    server.send({"jsonrpc": "2.0", "id": "late", "method": "shutdown"})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": new_uri()}})
    server.notify("exit", None)
    assert await server.wait_exit(EXIT_BOUND) == 0


async def test_requests_after_shutdown_are_refused(start: Starter) -> None:
    """After shutdown a request gets an InvalidRequest error."""
    server = await start()
    await server.result("shutdown", None)
    params = {"textDocument": {"uri": new_uri()}}
    # Answers take milliseconds; three seconds is generous.
    response = await server.request("textDocument/diagnostic", params, 3.0)
    assert response.get("error", {}).get("code") == INVALID_REQUEST, response


@pytest.mark.parametrize("initialize", [True, False], ids=["ready", "fresh"])
async def test_exits_when_stdin_closes(start: Starter, initialize: bool) -> None:
    """The server exits when its input closes, initialized or not."""
    server = await start(initialize=initialize)
    assert server.process.stdin is not None
    server.process.stdin.close()
    await server.wait_exit(EXIT_BOUND)


@pytest.fixture
async def parent() -> AsyncIterator[asyncio.subprocess.Process]:
    """A stand-in editor process, killed and reaped afterwards."""
    process = await asyncio.create_subprocess_exec("sleep", "300")
    yield process
    if process.returncode is None:
        process.kill()
    await process.wait()


async def test_exits_when_parent_process_dies(
    start: Starter, parent: asyncio.subprocess.Process
) -> None:
    """The server exits soon after the processId given at initialize ends."""
    server = await start(initialize=False)
    await server.initialize(process_id=parent.pid)
    parent.kill()
    await parent.wait()
    # Servers usually poll the parent every second or so; allow a few polls.
    await server.wait_exit(PARENT_BOUND)


async def test_unknown_requests_bother_no_one(start: Starter) -> None:
    """Unknown requests, with params or none, raise no message box."""
    server = await start()
    for params in ({"x": 1}, None, []):
        response = await server.request("ecsNetmode/doesNotExist", params)
        assert response.get("error", {}).get("code") == METHOD_NOT_FOUND, response
    await assert_still_serving(server)
    assert server.notifications("window/showMessage") == []


async def test_requests_before_initialize_are_refused() -> None:
    """A request before initialize gets ServerNotInitialized; a notification
    then is dropped; after initialize the server serves as usual."""
    server = await Server.start(PROFILES["vscode"])
    try:
        uri = new_uri()
        hover = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
        answer = await server.request_raw(
            {"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": hover}
        )
        assert answer.get("error", {}).get("code") == -32002, answer
        server.open(uri, "- ecs_taskdefinition: {network_mode: host}\n")

        await server.initialize()
        await assert_still_serving(server)

        # Served a document since: a publish for the dropped one would be in.
        assert server.publishes(uri) == []
    finally:
        await server.kill()
