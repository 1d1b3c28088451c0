"""Many findings on one very long line.

Converting an offset to a column is linear in the line's length; done once per
finding it must not turn quadratic, and it must not keep the server from
answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import time

from ecs_netmode_lsp.rule import MAX_SHOWN, RULE_ID, TOO_MANY_CODE
from tests.reliability import hostile
from tests.reliability.conftest import Starter, new_uri
from tests.reliability.rpc import Server, ServerError, check_ranges

LINE = 1_000_000
"""About 14,000 findings on one line; analysing it takes a few seconds.

The editor is sent the first ``MAX_SHOWN``, whose columns run up to a million.
"""

LATENCY = 10.0
"""Seconds within which a trivial request must be answered, however busy."""

COMPLETE = 60.0
"""Seconds within which the long line's own diagnostics must arrive."""

METHOD_NOT_FOUND = -32601


async def ping(server: Server) -> None:
    """Send a request the event loop answers at once (MethodNotFound)."""
    response = await server.request("ecsNetmode/ping", None, timeout=LATENCY)
    assert response["error"]["code"] == METHOD_NOT_FOUND


async def ping_until_done(server: Server, work: asyncio.Task[object]) -> None:
    """Ping every half second until ``work`` is done; each ping is bounded."""
    while not work.done():
        await ping(server)
        await asyncio.wait({work}, timeout=0.5)


async def test_many_findings_on_one_line(start: Starter) -> None:
    """The long line is diagnosed in bounded time and pings stay answered."""
    server = await start()
    text, count = hostile.many_on_one_line(LINE)
    uri = new_uri("long.yml")
    started = time.monotonic()
    server.open(uri, text)
    work = asyncio.ensure_future(server.diagnostics(uri, 1, COMPLETE))
    try:
        await ping_until_done(server, work)
        diagnostics = await work
    except ServerError:
        work.cancel()
        raise
    findings = [d for d in diagnostics if d["code"] == RULE_ID]
    assert count > MAX_SHOWN
    assert len(findings) == MAX_SHOWN
    assert [d["code"] for d in diagnostics[MAX_SHOWN:]] == [TOO_MANY_CODE]
    assert time.monotonic() - started < COMPLETE
    check_ranges(text, diagnostics[-3:], server.encoding)
