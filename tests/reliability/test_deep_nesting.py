"""Nesting deeper than the YAML parser can take, end to end over stdio.

Each case gets a fresh server: the bug these tests pin down kills the process.
"""

from __future__ import annotations

import functools

import pytest

from tests.reliability import hostile
from tests.reliability.checks import ANY, check_outcome, open_and_wait
from tests.reliability.conftest import assert_still_serving
from tests.reliability.rpc import Server, check_ranges

CRASHES = {
    # libyaml's composer (ruamel.yaml.clib) recurses in C once per nesting
    # level; a little under 30,000 levels overflow the analysis thread's stack.
    "flow-nesting-30000": functools.cache(lambda: hostile.flow_nesting(30_000)),
    "block-nesting-30000": functools.cache(lambda: hostile.block_nesting(30_000)),
    "ansible-blocks-20000-flow": functools.cache(
        lambda: hostile.flow_block_nesting(20_000)
    ),
}


@pytest.mark.xfail(
    strict=True,
    reason="deep nesting crashes the server: libyaml's C composer overflows "
    "the analysis thread's stack (SIGSEGV) at a little under 30,000 levels",
)
@pytest.mark.parametrize("name", CRASHES)
async def test_deep_nesting_does_not_crash(server: Server, name: str) -> None:
    """Nesting deeper than the parser can take is a notice, not a crash."""
    text = CRASHES[name]()
    diagnostics = await open_and_wait(server, text, 60.0)
    check_outcome(diagnostics, ANY)
    check_ranges(text, diagnostics, server.encoding)
    await assert_still_serving(server)
