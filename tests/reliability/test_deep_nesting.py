"""Nesting deeper than the YAML parser can take, end to end over stdio.

libyaml recurses in C once per nesting level (a little under 30,000 levels
overflowed a default thread stack and killed the process) and scans flow
collections in time quadratic in their depth.  The server refuses what may
nest too deeply with a notice and composes the rest on a large stack.  Each
case gets a fresh server, so a crash cannot hide behind a shared one.
"""

from __future__ import annotations

import functools

import pytest

from tests.reliability import hostile
from tests.reliability.checks import NOTICE, check_outcome, open_and_wait
from tests.reliability.conftest import assert_still_serving
from tests.reliability.rpc import Server, check_ranges

CASES = {
    "flow-nesting-30000": (
        functools.cache(lambda: hostile.flow_nesting(30_000)),
        NOTICE,
    ),
    "flow-map-nesting-1m": (
        functools.cache(lambda: hostile.flow_map_nesting(1_000_000)),
        NOTICE,
    ),
    "ansible-blocks-20000-flow": (
        functools.cache(lambda: hostile.flow_block_nesting(20_000)),
        NOTICE,
    ),
    "block-nesting-30000": (
        functools.cache(lambda: hostile.block_nesting(30_000)),
        0,
    ),
    "block-nesting-99000": (
        functools.cache(lambda: hostile.block_nesting(99_000)),
        0,
    ),
    "block-nesting-1m": (
        functools.cache(lambda: hostile.block_nesting(1_000_000)),
        NOTICE,
    ),
    "ansible-blocks-9000-flow": (
        functools.cache(lambda: hostile.flow_block_nesting(9_000)),
        1,
    ),
}


@pytest.mark.parametrize("name", CASES)
async def test_deep_nesting_does_not_crash(server: Server, name: str) -> None:
    """Nesting deeper than the parser can take is a notice, not a crash."""
    make, expected = CASES[name]
    text = make()
    diagnostics = await open_and_wait(server, text, 60.0)
    check_outcome(diagnostics, expected)
    check_ranges(text, diagnostics, server.encoding)
    await assert_still_serving(server)
