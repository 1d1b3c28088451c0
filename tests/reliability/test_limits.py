"""The maxDocumentSize setting: one notice, no analysis, above the limit."""

from __future__ import annotations

from ecs_netmode_lsp.rule import RULE_ID, TOO_LARGE_CODE
from tests.reliability import hostile
from tests.reliability.conftest import NORMAL, Starter, assert_still_serving, new_uri
from tests.reliability.rpc import Message, check_ranges

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
