"""A real server over stdio, driven with the capabilities of real editors."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.e2e.editor import Editor

PROFILES = {
    # VS Code's profile receives pushed diagnostics in UTF-16 columns.
    "vscode": "visual-studio-code",
    # Neovim 0.11 pulls diagnostics and negotiates UTF-8 columns.
    "neovim": "neovim@v0.11.0",
}

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "ecs_netmode_lsp"])


@pytest_lsp.fixture(config=SERVER, params=sorted(PROFILES))
async def lsp(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    """A client speaking to a fresh server as VS Code or Neovim does."""
    params = types.InitializeParams(
        capabilities=client_capabilities(PROFILES[request.param]),
        initialization_options=getattr(request, "initialization_options", None),
    )
    result = await lsp_client.initialize_session(params)
    # The editor helper reads the negotiated position encoding from here.
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor(lsp: LanguageClient) -> Editor:
    """An editor-like helper around the client."""
    return Editor(lsp)
