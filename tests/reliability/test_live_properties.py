"""Random incremental edits to real files, sent to the server over stdio.

Each example opens a corpus file, sends a few random range edits as an editor
would (positions computed here, in the negotiated encoding), and checks what
comes back for the final text: every range inside the document, the same
findings the core reports for that text analysed whole, and a quick fix that
applies cleanly, parses and removes its finding.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecs_netmode_lsp.analysis import analyze
from ecs_netmode_lsp.rule import RULE_ID
from tests.reliability.conftest import new_uri
from tests.reliability.rpc import (
    PROFILES,
    Message,
    Server,
    apply_workspace_edit,
    check_ranges,
    units,
)
from tests.reliability.test_properties import PIECES, VALUES, corpus

Live = tuple[asyncio.AbstractEventLoop, Server]

_BREAK = re.compile(r"\r\n|\r|\n")
TIMEOUT = 60.0
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FRAGMENTS = (*PIECES, *VALUES, "network_mode: host", "ecs_taskdefinition", "x")


@pytest.fixture(scope="module", params=sorted(PROFILES))
def live(request: pytest.FixtureRequest) -> Iterator[Live]:
    """One server per profile, driven from a loop of the test's own."""
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(Server.start(PROFILES[request.param]))
    try:
        loop.run_until_complete(server.initialize())
        yield loop, server
    finally:
        loop.run_until_complete(server.kill())
        loop.close()


def position(text: str, offset: int, encoding: str) -> Message:
    """The LSP position of a code point offset, computed here."""
    starts = [0, *(match.end() for match in _BREAK.finditer(text))]
    line = max(index for index, start in enumerate(starts) if start <= offset)
    return {
        "line": line,
        "character": units(text[starts[line] : offset], encoding),
    }


def addressable(text: str) -> list[int]:
    """Offsets an editor can address: never between a CRLF's two characters."""
    return [
        offset
        for offset in range(len(text) + 1)
        if not (text[offset - 1 : offset] == "\r" and text[offset : offset + 1] == "\n")
    ]


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A corpus file and a few edits, each as offsets into the text before it."""
    text = draw(st.sampled_from(sorted(corpus().values())))
    edits = []
    current = text
    for _ in range(draw(st.integers(1, 6))):
        offsets = addressable(current)
        start = draw(st.sampled_from(offsets))
        ends = [offset for offset in offsets if start <= offset <= start + 60]
        end = draw(st.sampled_from(ends))
        new_text = draw(st.sampled_from(FRAGMENTS))
        edits.append((start, end, new_text))
        current = current[:start] + new_text + current[end:]
    return text, edits


def rule_diagnostics(diagnostics: list[Message]) -> list[Message]:
    """The rule's own diagnostics, without parse or size notices."""
    return [d for d in diagnostics if d.get("code") == RULE_ID]


async def edit_and_check(
    server: Server, text: str, edits: list[tuple[int, int, str]]
) -> None:
    """Open, apply the edits one version at a time, check the final answer."""
    uri = new_uri()
    server.open(uri, text)
    version = 1
    for start, end, new_text in edits:
        version += 1
        change = {
            "range": {
                "start": position(text, start, server.encoding),
                "end": position(text, end, server.encoding),
            },
            "text": new_text,
        }
        server.change(uri, version, [change])
        text = text[:start] + new_text + text[end:]

    diagnostics = await server.diagnostics(uri, version, TIMEOUT)
    check_ranges(text, diagnostics, server.encoding)
    expected = analyze(text)
    findings = rule_diagnostics(diagnostics)
    assert len(findings) == len(expected.findings), (text, diagnostics)
    assert (expected.problem is not None) == (len(findings) < len(diagnostics))
    if findings:
        await fix_and_check(server, uri, version, text, findings)
    server.close(uri)


async def fix_and_check(
    server: Server, uri: str, version: int, text: str, findings: list[Message]
) -> None:
    """Apply the first finding's quick fix; it parses and removes a finding."""
    diagnostic = findings[0]
    params: dict[str, Any] = {
        "textDocument": {"uri": uri},
        "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic], "only": ["quickfix"]},
    }
    actions = await server.result("textDocument/codeAction", params, TIMEOUT)
    fixes = [action for action in actions if action.get("isPreferred")]
    assert fixes, f"no preferred quick fix for {diagnostic['message']}"
    fixed = apply_workspace_edit(text, uri, fixes[0]["edit"], server.encoding)
    server.change(uri, version + 1, [{"text": fixed}])
    after = await server.diagnostics(uri, version + 1, TIMEOUT)
    check_ranges(fixed, after, server.encoding)
    assert len(rule_diagnostics(after)) == len(after), f"the fix broke: {fixed!r}"
    assert len(after) < len(findings), f"the fix left its finding: {fixed!r}"


@EXAMPLES
@given(case=edited())
def test_random_edits_over_stdio(live: Live, case: Any) -> None:
    """Whatever the edits, the answer is in range, complete and fixable."""
    loop, server = live
    text, edits = case
    loop.run_until_complete(edit_and_check(server, text, edits))
