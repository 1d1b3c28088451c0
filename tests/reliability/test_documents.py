"""Hostile documents, end to end over stdio, in each editor profile.

Every case opens one document in a fresh server and expects, within a generous
bound, either the rule's diagnostics or one single-line notice; every range must
lie inside the document in the negotiated encoding; peak memory stays bounded;
and the server must then still answer a small normal document correctly.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ecs_netmode_lsp.rule import RULE_ID
from tests.reliability import hostile
from tests.reliability.checks import ANY, NOTICE, check_outcome, fix_first
from tests.reliability.conftest import Shared, assert_still_serving, new_uri
from tests.reliability.rpc import check_ranges

MIB = 1024

# One server per profile serves every case of this module in turn.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass(frozen=True)
class Case:
    """One hostile document and what the server must answer."""

    text: Callable[[], str]
    findings: int
    timeout: float = 30.0
    peak_mib: int = 300
    fix: bool = False
    """Also apply the first quick fix over the wire and check it removes one."""


def _const(text: str) -> Callable[[], str]:
    return lambda: text


def _first(build: Callable[[int], tuple[str, int]], size: int) -> Callable[[], str]:
    return functools.cache(lambda: build(size)[0])


PLAYBOOK_2MB = 2_000_000
SINGLE_LINE = 3_000_000

CASES: dict[str, Case | Any] = {
    "billion-laughs": Case(_const(hostile.billion_laughs()), 0),
    "bomb-as-tasks": Case(_const(hostile.bomb_as_tasks()), 1, fix=True),
    "bomb-as-network-mode": Case(_const(hostile.bomb_as_network_mode()), 1, fix=True),
    "merge-bomb": Case(_const(hostile.merge_bomb()), 1, fix=True),
    "flow-nesting-20000": Case(
        functools.cache(lambda: hostile.flow_nesting(20_000)), 0
    ),
    "block-nesting-20000": Case(
        functools.cache(lambda: hostile.block_nesting(20_000)), 0
    ),
    "flow-map-nesting-20000": Case(
        functools.cache(lambda: hostile.flow_map_nesting(20_000)), 0
    ),
    "indented-blocks-1000": Case(
        functools.cache(lambda: hostile.indented_blocks(1_000)), 1, fix=True
    ),
    "playbook-2mb": Case(
        _first(hostile.playbook, PLAYBOOK_2MB),
        hostile.playbook(PLAYBOOK_2MB)[1],
        timeout=90.0,
        peak_mib=1024,
    ),
    "playbook-20mb-over-default-limit": Case(
        _first(hostile.playbook, 20_000_000), NOTICE, timeout=90.0, peak_mib=1024
    ),
    "single-line-3mb": Case(
        functools.cache(lambda: hostile.long_line(SINGLE_LINE, "é🚀x")),
        1,
        timeout=60.0,
        peak_mib=600,
        fix=True,
    ),
    "3000-documents": Case(
        functools.cache(lambda: hostile.many_documents(3_000)), 3_000, timeout=60.0
    ),
    "5000-ignore-blocks": Case(
        functools.cache(lambda: hostile.many_ignore_blocks(5_000)), 1, timeout=60.0
    ),
    "vault-network-mode": Case(_const(hostile.VAULT_VALUE), 1, fix=True),
    "vault-elsewhere": Case(_const(hostile.VAULT_OTHER), 0),
    "unsafe": Case(_const(hostile.UNSAFE), 1, fix=True),
    "cloudformation-tags": Case(_const(hostile.CLOUDFORMATION), 1, fix=True),
    "tab-indentation": Case(_const(hostile.TABS), NOTICE),
    "empty": Case(_const(""), 0),
    "only-comments": Case(_const(hostile.COMMENTS), 0),
    "not-yaml": Case(_const(hostile.NOT_YAML), NOTICE),
    "binary-garbage": Case(_const(bytes(range(256)).decode("latin-1") * 4), NOTICE),
    "line-separators": Case(_const(hostile.SEPARATORS), 1, fix=True),
    "line-separator-in-comment": Case(_const(hostile.SEPARATOR_IN_COMMENT), ANY),
    **{
        f"control-{name}": Case(_const(text), ANY, fix=True)
        for name, text in hostile.CONTROL.items()
    },
}


@pytest.mark.parametrize(
    "case",
    list(CASES.values()),
    ids=list(CASES),
)
async def test_hostile_document(shared: Shared, case: Case) -> None:
    """The server answers a hostile document in bounded time and memory."""
    server = await shared.get()
    text = case.text()
    uri = new_uri()
    started = time.monotonic()
    server.open(uri, text)
    diagnostics = await server.diagnostics(uri, 1, case.timeout)
    elapsed = time.monotonic() - started

    check_outcome(diagnostics, case.findings)
    check_ranges(text, diagnostics, server.encoding)
    peak = server.memory_kib()["VmHWM"] // MIB
    assert peak < case.peak_mib, f"peak RSS {peak} MiB"
    assert elapsed < case.timeout

    findings = [d for d in diagnostics if d.get("code") == RULE_ID]
    if case.fix and findings:
        after = await fix_first(server, uri, text, findings[0])
        assert all(d.get("code") == RULE_ID for d in after), after
        assert len(after) == len(findings) - 1
    await assert_still_serving(server)
