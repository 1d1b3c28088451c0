"""Fixtures: fresh server processes in each editor profile, always reaped."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from tests.reliability.rpc import PROFILES, Message, Profile, Server, check_ranges

Starter = Callable[..., Awaitable[Server]]

NORMAL = """\
- name: web
  community.aws.ecs_taskdefinition:
    family: web
    network_mode: host
"""
"""A small ordinary task file with one finding, on line 3, columns 18-22."""

_uris = itertools.count()


def new_uri(name: str = "playbook.yml") -> str:
    """Return a document URI no test has used yet."""
    return f"file:///reliability/{next(_uris)}/{name}"


@pytest.fixture(params=sorted(PROFILES))
def profile(request: pytest.FixtureRequest) -> Profile:
    """Each editor profile in turn."""
    return PROFILES[request.param]


@pytest.fixture
async def start(profile: Profile) -> AsyncIterator[Starter]:
    """Start initialized servers in the profile; every one is killed afterwards."""
    started: list[Server] = []

    async def starter(
        options: Message | None = None, initialize: bool = True
    ) -> Server:
        server = await Server.start(profile, settings=options)
        started.append(server)
        if initialize:
            await server.initialize(options)
        return server

    yield starter
    for server in started:
        await server.kill()


class Shared:
    """One server per profile for a whole module, replaced if it ever dies.

    Starting a server costs a second or two; a module of small cases shares one,
    which also shows that one process survives all of them in turn.
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.servers: list[Server] = []

    async def get(self) -> Server:
        """Return the live server, starting a new one if there is none."""
        current = self.servers[-1] if self.servers else None
        if current is None or current.process.returncode is not None:
            current = await Server.start(self.profile)
            self.servers.append(current)
            await current.initialize()
        return current

    async def close(self) -> None:
        """Kill every server this pool started."""
        for server in self.servers:
            await server.kill()


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=sorted(PROFILES))
async def shared(request: pytest.FixtureRequest) -> AsyncIterator[Shared]:
    """A module-wide server pool in each editor profile."""
    pool = Shared(PROFILES[request.param])
    yield pool
    await pool.close()


@pytest.fixture
async def server(start: Starter) -> Server:
    """One initialized server in the current profile."""
    return await start()


async def assert_still_serving(server: Server, timeout: float = 30.0) -> None:
    """Assert that the server answers a normal document correctly."""
    assert server.process.returncode is None, "the server process has exited"
    uri = new_uri("normal.yml")
    server.open(uri, NORMAL)
    diagnostics = await server.diagnostics(uri, 1, timeout)
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0]["range"] == {
        "start": {"line": 3, "character": 18},
        "end": {"line": 3, "character": 22},
    }
    check_ranges(NORMAL, diagnostics, server.encoding)
    server.close(uri)
