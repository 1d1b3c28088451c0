"""A real server over stdio, driven with the capabilities of real editors."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.e2e.editor import Editor

PROFILES = {
    # VS Code 1.65: pushed diagnostics, UTF-16 columns.
    "vscode": "visual-studio-code",
    # Neovim 0.11: UTF-8 columns; it pulls, but cannot be asked to re-pull, so
    # the server pushes to it.
    "neovim": "neovim@v0.11.0",
    # A client with full pull support (refresh included), as current
    # vscode-languageclient releases have.
    "vscode-pull": "visual-studio-code",
}


def _record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams):
    # Keep the version too: a test must wait for the publish of its own edit.
    client.diagnostics[params.uri] = params.diagnostics
    client.published_versions[params.uri] = params.version  # type: ignore[attr-defined]


def _make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published_versions = {}  # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "ecs_netmode_lsp"],
    client_factory=_make_client,
)


@pytest_lsp.fixture(config=SERVER, params=sorted(PROFILES))
async def lsp(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    """A client speaking to a fresh server as VS Code or Neovim does."""
    capabilities = client_capabilities(PROFILES[request.param])
    if request.param == "vscode-pull":
        _enable_pull(capabilities)
    params = types.InitializeParams(
        capabilities=capabilities,
        initialization_options=getattr(request, "initialization_options", None),
    )
    result = await lsp_client.initialize_session(params)
    # The editor helper reads the negotiated position encoding from here.
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _enable_pull(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.text_document is not None
    assert capabilities.workspace is not None
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=False, related_document_support=False
    )
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )


@pytest.fixture
def editor(lsp: LanguageClient) -> Editor:
    """An editor-like helper around the client."""
    return Editor(lsp)
