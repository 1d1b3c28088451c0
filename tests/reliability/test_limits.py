"""The maxDocumentSize setting: one notice, no analysis, above the limit."""

from __future__ import annotations

from ecs_netmode_lsp.rule import MAX_SHOWN, RULE_ID, TOO_LARGE_CODE, TOO_MANY_CODE
from tests.reliability import hostile
from tests.reliability.conftest import NORMAL, Starter, assert_still_serving, new_uri
from tests.reliability.rpc import Message, apply_workspace_edit, check_ranges

LIMIT = 1_000
OPTIONS = {"maxDocumentSize": LIMIT}


def over_limit() -> str:
    """A task file just over the limit, full of findings if it were analysed."""
    text, _ = hostile.playbook(LIMIT + 1)
    assert len(text) > LIMIT
    return text


def assert_one_notice(diagnostics: list[Message]) -> None:
    """Assert the size notice alone: no finding of the rule."""
    assert len(diagnostics) == 1, diagnostics
    notice = diagnostics[0]
    assert notice["code"] == TOO_LARGE_CODE
    assert "\n" not in notice["message"]
    assert f"{LIMIT:,}" in notice["message"]


async def test_over_the_limit_is_one_notice(start: Starter) -> None:
    """A document above maxDocumentSize gets one notice and no analysis."""
    server = await start(OPTIONS)
    text = over_limit()
    uri = new_uri()
    server.open(uri, text)
    diagnostics = await server.diagnostics(uri, 1)
    assert_one_notice(diagnostics)
    check_ranges(text, diagnostics, server.encoding)

    params = {
        "textDocument": {"uri": uri},
        "range": {
            "start": {"line": 0, "character": 0},
            "end": {"line": 20, "character": 0},
        },
        "context": {"diagnostics": []},
    }
    actions = await server.result("textDocument/codeAction", params)
    assert not actions, "no fixes for a document that was not analysed"
    await assert_still_serving(server)


async def test_growing_past_the_limit_and_back(start: Starter) -> None:
    """Edits that cross the limit switch between analysis and the notice."""
    server = await start(OPTIONS)
    uri = new_uri()
    server.open(uri, NORMAL)
    assert [d["code"] for d in await server.diagnostics(uri, 1)] == [RULE_ID]
    server.change(uri, 2, [{"text": over_limit()}])
    assert_one_notice(await server.diagnostics(uri, 2))
    server.change(uri, 3, [{"text": NORMAL}])
    assert [d["code"] for d in await server.diagnostics(uri, 3)] == [RULE_ID]


async def test_default_limit_allows_ordinary_files(start: Starter) -> None:
    """Without the setting, a document of the same size is analysed."""
    server = await start()
    text = over_limit()
    uri = new_uri()
    server.open(uri, text)
    diagnostics = await server.diagnostics(uri, 1)
    assert diagnostics
    assert all(d["code"] == RULE_ID for d in diagnostics)


async def test_findings_beyond_the_cap_are_one_notice(start: Starter) -> None:
    """A document with more findings than are shown gets them and one notice.

    Fix-all fixes the findings shown, and says so in its title.
    """
    server = await start()
    beyond = 100
    count = MAX_SHOWN + beyond
    # One task a line, each without network_mode: line n holds finding n.
    text = "- ecs_taskdefinition:\n" * count
    uri = new_uri()
    server.open(uri, text)
    diagnostics = await server.diagnostics(uri, 1, timeout=60.0)
    check_ranges(text, diagnostics, server.encoding)
    *findings, notice = diagnostics
    assert len(findings) == MAX_SHOWN
    assert all(d["code"] == RULE_ID for d in findings)
    assert notice["code"] == TOO_MANY_CODE
    assert f"{count:,}" in notice["message"]
    assert "\n" not in notice["message"]
    assert notice["range"]["start"]["line"] == MAX_SHOWN

    params = {
        "textDocument": {"uri": uri},
        "range": {
            "start": {"line": 0, "character": 0},
            "end": {"line": 0, "character": 0},
        },
        "context": {"diagnostics": [], "only": ["source.fixAll"]},
    }
    (action,) = await server.result("textDocument/codeAction", params, timeout=60.0)
    assert f"first {MAX_SHOWN:,}" in action["title"]
    fixed = apply_workspace_edit(text, uri, action["edit"], server.encoding)
    server.change(uri, 2, [{"text": fixed}])
    after = await server.diagnostics(uri, 2, timeout=60.0)
    assert len(after) == beyond
    assert all(d["code"] == RULE_ID for d in after)
    await assert_still_serving(server)


async def test_many_empty_documents_stay_small(start: Starter) -> None:
    """A file of nothing but document markers is analysed in bounded memory.

    Every one of its 2.4 million documents used to keep a node: 1.2 GB.
    """
    server = await start()
    text = "---\n" * 2_400_000
    uri = new_uri()
    server.open(uri, text)
    assert await server.diagnostics(uri, 1, timeout=120.0) == []
    peak_mib = server.memory_kib()["VmHWM"] // 1024
    assert peak_mib < 600, f"peak RSS {peak_mib} MiB"
    await assert_still_serving(server)
