"""Edits faster than analysis, and documents closed while being analysed.

Only a result for the text the editor has now may be published or returned:
no publish for an older version after a newer one, and nothing after a close.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from tests.reliability import hostile
from tests.reliability.conftest import NORMAL, Starter, assert_still_serving, new_uri
from tests.reliability.rpc import Message, Server, check_ranges

BURST = 300
VALUES = ("bridge", "awsvpc", "host", "none", "awsvpc")
BIG = 2_000_000
SETTLE = 1.0
"""Seconds to keep listening for stragglers once the expected state is reached."""


def burst_edits(seed: int) -> tuple[list[tuple[Message, str]], str]:
    """Return (change, text after it) pairs and the final text.

    The value on the network_mode line changes each time, and every tenth edit
    inserts a comment line on top, so the finding's line moves too.
    """
    rng = random.Random(seed)
    text, value, top = NORMAL, "host", 0
    edits = []
    for index in range(BURST):
        line = 3 + top
        if index % 10 == 9:
            change = _change(0, 0, 0, 0, f"# edit {index}\n")
            top += 1
        else:
            new = rng.choice(VALUES) if index < BURST - 2 else "bridge"
            change = _change(line, 18, line, 18 + len(value), new)
            value = new
        text = _apply_line_edit(text, change)
        edits.append((change, text))
    return edits, text


def _change(
    line: int, start: int, end_line: int, end: int, text: str
) -> dict[str, object]:
    return {
        "range": {
            "start": {"line": line, "character": start},
            "end": {"line": end_line, "character": end},
        },
        "text": text,
    }


def _apply_line_edit(text: str, change: Message) -> str:
    # The burst only edits ASCII text, so columns are code points in every
    # encoding; the edit never spans lines.
    lines = text.split("\n")
    start, end = change["range"]["start"], change["range"]["end"]
    row = lines[start["line"]]
    replaced = row[: start["character"]] + change["text"] + row[end["character"] :]
    return "\n".join([*lines[: start["line"]], replaced, *lines[start["line"] + 1 :]])


def assert_versions_never_go_back(publishes: list[Message]) -> None:
    """Assert no publish carries an older version than one before it."""
    versions = [p.get("version") for p in publishes if p.get("version") is not None]
    assert versions == sorted(versions), f"versions went back: {versions}"


async def test_burst_of_edits(start: Starter) -> None:
    """Hundreds of edits end with diagnostics for the final text only."""
    server = await start()
    uri = new_uri()
    server.open(uri, NORMAL)
    edits, final = burst_edits(seed=7)
    for version, (change, _) in enumerate(edits, start=2):
        server.change(uri, version, [change])
    last = len(edits) + 1

    diagnostics = await server.diagnostics(uri, last, timeout=60.0)
    check_ranges(final, diagnostics, server.encoding)
    line = 3 + BURST // 10
    assert [d["range"] for d in diagnostics] == [
        {
            "start": {"line": line, "character": 18},
            "end": {"line": line, "character": 24},
        }
    ]
    if not server.pulls:
        await asyncio.sleep(SETTLE)
        publishes = server.publishes(uri)
        assert_versions_never_go_back(publishes)
        assert publishes[-1]["version"] == last
    await assert_still_serving(server)


async def wait_until_idle(server: Server) -> None:
    """Wait until earlier big analyses have surely finished.

    Another document of the same size is analysed after them; its result (plus
    a pause) means the worker threads have moved on.
    """
    uri = new_uri("idle.yml")
    server.open(uri, hostile.playbook(BIG)[0])
    await server.diagnostics(uri, 1, timeout=90.0)
    server.close(uri)
    await asyncio.sleep(SETTLE)


async def test_close_while_analysing(start: Starter) -> None:
    """Closing a document mid-analysis leaves no diagnostics behind."""
    server = await start()
    uri = new_uri()
    server.open(uri, hostile.playbook(BIG)[0])
    await asyncio.sleep(0.2)
    server.close(uri)
    await wait_until_idle(server)

    if server.pulls:
        report = await server.result(
            "textDocument/diagnostic", {"textDocument": {"uri": uri}}
        )
        assert report["items"] == []
    publishes = server.publishes(uri)
    if publishes or not server.pulls:
        assert publishes, "no empty publish after the close"
        assert publishes[-1]["diagnostics"] == [], "diagnostics left after close"
    await assert_still_serving(server)


async def test_change_while_analysing(start: Starter) -> None:
    """A small text replacing a big one mid-analysis is the only result."""
    server = await start()
    uri = new_uri()
    server.open(uri, hostile.playbook(BIG)[0])
    await asyncio.sleep(0.2)
    server.change(uri, 2, [{"text": NORMAL}])
    diagnostics = await server.diagnostics(uri, 2, timeout=90.0)
    assert len(diagnostics) == 1
    await wait_until_idle(server)

    if not server.pulls:
        publishes = server.publishes(uri)
        assert_versions_never_go_back(publishes)
        assert publishes[-1]["version"] == 2
        assert len(publishes[-1]["diagnostics"]) == 1
    await assert_still_serving(server)


async def test_reopen_after_close_while_analysing(start: Starter) -> None:
    """Close mid-analysis, then reopen small: only the small text's result."""
    server = await start()
    uri = new_uri()
    server.open(uri, hostile.playbook(BIG)[0])
    await asyncio.sleep(0.2)
    server.close(uri)
    server.open(uri, NORMAL, version=9)
    assert len(await server.diagnostics(uri, 9, timeout=90.0)) == 1
    await wait_until_idle(server)
    if not server.pulls:
        last = server.publishes(uri)[-1]
        assert last["version"] == 9
        assert len(last["diagnostics"]) == 1


async def test_settings_change_while_analysing(start: Starter) -> None:
    """A result made with the settings of before a change is not the last word."""
    server = await start()
    uri = new_uri()
    missing = "- name: task\n  ecs_taskdefinition:\n    family: web\n"
    server.open(uri, missing * 5_000)
    server.settings = {"flagMissing": False}
    server.notify("workspace/didChangeConfiguration", {"settings": None})

    if server.pulls:
        assert await server.diagnostics(uri, 1, timeout=90.0) == []
    else:
        await server.wait_for(
            lambda: any(p["diagnostics"] == [] for p in server.publishes(uri)),
            timeout=90.0,
            what="diagnostics with the new settings",
        )
        await wait_until_idle(server)
        assert server.publishes(uri)[-1]["diagnostics"] == []
    await assert_still_serving(server)


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"enable": False}, 0), ({"flagMissing": False}, 500)],
    ids=["disable", "no-missing"],
)
async def test_settings_changed_during_analysis_apply(
    start: Starter, change: Message, expected: int
) -> None:
    """A settings change while a document is analysed reaches its diagnostics.

    The analysis under the old settings must not be published: it used to be,
    and stayed until the next edit.
    """
    server = await start()
    uri = new_uri()
    server.open(uri, hostile.slow_tasks(1_000, 15_000))
    server.settings = change
    server.notify("workspace/didChangeConfiguration", {"settings": None})
    diagnostics = await server.diagnostics(uri, 1, timeout=120.0)
    assert len(diagnostics) == expected
    await asyncio.sleep(SETTLE)
    assert [len(p["diagnostics"]) for p in server.publishes(uri)] == [expected]


async def test_closed_documents_do_not_delay_others(start: Starter) -> None:
    """Analyses of documents closed before they began are skipped.

    An editor that opens and closes many files in a row (a replace across
    files) left one queued analysis each, and the next document waited for
    all of them: ten slow ones took five times as long as one.
    """
    server = await start()
    slow = hostile.slow_tasks(0, 15_000)
    uri = new_uri()
    started = time.monotonic()
    server.open(uri, slow)
    await server.diagnostics(uri, 1, timeout=120.0)
    one = time.monotonic() - started
    server.close(uri)

    for _ in range(10):
        closed = new_uri()
        server.open(closed, slow)
        server.close(closed)
    started = time.monotonic()
    await assert_still_serving(server, timeout=120.0)
    waited = time.monotonic() - started
    # Two workers may each be busy with one of them already; never more.
    assert waited < 2 * one + 5.0, f"waited {waited:.1f} s; one takes {one:.1f} s"
