"""Checks shared by the end-to-end reliability tests."""

from __future__ import annotations

from ecs_netmode_lsp.rule import PARSE_ERROR_CODE, RULE_ID, TOO_LARGE_CODE
from tests.reliability.conftest import new_uri
from tests.reliability.rpc import (
    Message,
    Server,
    apply_workspace_edit,
    check_ranges,
)

ANY = -1
"""Expect either the rule's diagnostics (any number) or one notice."""

NOTICE = -2
"""Expect exactly one notice (a parse error or the size notice)."""


def check_outcome(diagnostics: list[Message], expected: int) -> None:
    """Assert the diagnostics are what ``expected`` (a count, ANY or NOTICE) says."""
    notices = [d for d in diagnostics if d.get("code") != RULE_ID]
    for notice in notices:
        assert notice.get("code") in (PARSE_ERROR_CODE, TOO_LARGE_CODE), notice
        message = notice["message"]
        assert message.strip(), "a notice without words"
        assert "\n" not in message, f"a notice on more than one line: {message!r}"
    if notices:
        assert len(diagnostics) == 1, "a notice comes alone"
        assert expected in (ANY, NOTICE), notices
        return
    assert expected not in (NOTICE,), f"expected a notice, got {diagnostics[:3]}"
    if expected != ANY:
        assert len(diagnostics) == expected


async def open_and_wait(server: Server, text: str, timeout: float) -> list[Message]:
    """Open ``text`` as a new document and return its first diagnostics."""
    uri = new_uri()
    server.open(uri, text)
    return await server.diagnostics(uri, 1, timeout)


async def fix_first(
    server: Server, uri: str, text: str, diagnostic: Message
) -> list[Message]:
    """Apply the quick fix of ``diagnostic`` and return the next diagnostics."""
    params = {
        "textDocument": {"uri": uri},
        "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic], "only": ["quickfix"]},
    }
    actions = await server.result("textDocument/codeAction", params)
    assert actions, f"no quick fix for {diagnostic['message']}"
    fixed = apply_workspace_edit(text, uri, actions[0]["edit"], server.encoding)
    server.change(uri, 2, [{"text": fixed}])
    after = await server.diagnostics(uri, 2)
    check_ranges(fixed, after, server.encoding)
    return after
