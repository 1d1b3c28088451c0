"""Settings, hover, completion and the suppression fix, over stdio."""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.e2e.conftest import SERVER, _enable_pull
from tests.e2e.editor import Editor, offset_to_position

TASK = "- name: web\n  ecs_taskdefinition:\n    network_mode: host\n"


def position(editor: Editor, text: str, needle: str, after: int = 0) -> types.Position:
    return offset_to_position(text, text.index(needle) + after, editor.encoding)


async def test_hover_on_finding_and_key(editor: Editor) -> None:
    uri = editor.open(TASK)
    await editor.diagnostics(uri)

    for needle in ("host", "network_mode"):
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position(editor, TASK, needle, 1),
            )
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert "awsvpc" in hover.contents.value
        assert "docs.datadoghq.com" in hover.contents.value

    nothing = await editor.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(editor, TASK, "web"),
        )
    )
    assert nothing is None


async def test_completion_offers_awsvpc_first(editor: Editor) -> None:
    text = "- name: web\n  ecs_taskdefinition:\n    network_mode: aw\n"
    uri = editor.open(text)
    await editor.diagnostics(uri)

    result = await editor.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(editor, text, "aw\n", 2),
        )
    )

    assert isinstance(result, types.CompletionList)
    labels = [item.label for item in result.items]
    assert labels == ["awsvpc", "bridge", "host", "none", "default"]
    first = result.items[0]
    assert first.preselect
    assert isinstance(first.text_edit, types.TextEdit)
    assert first.text_edit.range.start == position(editor, text, "aw\n")


async def test_no_completion_outside_ecs_tasks(editor: Editor) -> None:
    text = "services:\n  web:\n    network_mode: \n"
    uri = editor.open(text)
    await editor.diagnostics(uri)

    result = await editor.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(editor, text, ": \n", 2),
        )
    )
    assert result is None


async def test_suppression_action(editor: Editor) -> None:
    uri = editor.open(TASK)
    (diagnostic,) = await editor.diagnostics(uri)

    actions = await editor.code_actions(uri, diagnostic)
    (suppress,) = [a for a in actions if a.title.startswith("Suppress")]
    assert suppress.edit is not None
    fixed = editor.apply(uri, suppress.edit)

    assert "    # dd-iac-scan ignore-line\n    network_mode: host" in fixed
    assert await editor.diagnostics(uri) == []


SHARED_ANCHOR = """\
- hosts: all
  vars:
    base: &base
      family: web
      network_mode: host
  tasks:
    - name: one
      ecs_taskdefinition:
        <<: *base
    - name: two
      ecs_taskdefinition:
        <<: *base
    - ecs_taskdefinition: *base
"""


async def test_fixes_for_a_shared_value_name_their_tasks(editor: Editor) -> None:
    # One anchored value is judged once per task that uses it: three findings
    # on one range, each fixed in its own task.
    uri = editor.open(SHARED_ANCHOR)
    diagnostics = await editor.diagnostics(uri)
    assert len({str(d.range) for d in diagnostics}) == 1

    actions = await editor.code_actions(uri, diagnostics[0])

    fixes = sorted(a.title for a in actions if a.is_preferred)
    assert fixes == [
        "Set network_mode to awsvpc in task 'one'",
        "Set network_mode to awsvpc in task 'two'",
        "Set network_mode to awsvpc in the task on line 13",
    ]
    (suppress,) = [a for a in actions if a.title.startswith("Suppress")]
    assert suppress.diagnostics is not None and len(suppress.diagnostics) == 3
    (two,) = [a for a in actions if a.title.endswith("'two'")]
    assert two.edit is not None
    fixed = editor.apply(uri, two.edit)
    assert "        network_mode: awsvpc\n        <<: *base\n    - ecs" in fixed
    assert len(await editor.diagnostics(uri)) == 2


@pytest_lsp.fixture(config=SERVER)
async def configured(lsp_client: LanguageClient):
    """A VS Code-like client that passes settings as initializationOptions."""
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        initialization_options={"severity": "hint", "flagMissing": False},
    )
    lsp_client.initialize_result = await lsp_client.initialize_session(params)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_settings_from_initialization_options(
    configured: LanguageClient,
) -> None:
    editor = Editor(configured)
    uri = editor.open(TASK + "- ecs_taskdefinition: {family: x}\n")

    diagnostics = await editor.diagnostics(uri)

    assert [d.severity for d in diagnostics] == [types.DiagnosticSeverity.Hint]


async def _configure(client: LanguageClient, section: dict[str, object]) -> None:
    # pytest-lsp answers workspace/configuration from this setting.
    client.set_configuration(section, section="ecsNetmode")
    client.diagnostics.clear()
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"ecsNetmode": section})
    )
    await asyncio.sleep(0)


async def test_settings_change_republishes(editor: Editor) -> None:
    uri = editor.open(TASK + "- ecs_taskdefinition: {family: x}\n")
    assert len(await editor.diagnostics(uri)) == 2

    await _configure(editor.client, {"severity": "error", "flagMissing": False})
    await asyncio.sleep(0.5)
    diagnostics = await editor.diagnostics(uri)

    assert [d.severity for d in diagnostics] == [types.DiagnosticSeverity.Error]


async def test_settings_changed_during_an_analysis_win(editor: Editor) -> None:
    # The analysis of the open runs long enough for the change to arrive while
    # it is under way; its result (with the missing key flagged) must not stay.
    filler = "".join(
        f"- name: filler {n}\n  debug: {{msg: x}}\n" for n in range(20_000)
    )
    uri = editor.open(filler + "- ecs_taskdefinition: {family: x}\n")

    await _configure(editor.client, {"flagMissing": False})

    async with asyncio.timeout(20):
        while await _latest(editor, uri) != []:
            await asyncio.sleep(0.05)


async def _latest(editor: Editor, uri: str) -> list[types.Diagnostic] | None:
    if editor.pulls:
        return await editor.diagnostics(uri)
    published = editor.client.diagnostics.get(uri)
    return None if published is None else list(published)


async def test_bad_setting_is_reported_once(editor: Editor) -> None:
    uri = editor.open(TASK)
    await editor.diagnostics(uri)

    await _configure(editor.client, {"severity": "loud"})
    async with asyncio.timeout(10):
        while not editor.client.messages:
            await asyncio.sleep(0.02)

    (message,) = editor.client.messages
    assert "ecsNetmode.severity" in message.message
    (diagnostic,) = await editor.diagnostics(uri)
    assert diagnostic.severity == types.DiagnosticSeverity.Warning


@pytest_lsp.fixture(config=SERVER)
async def puller(lsp_client: LanguageClient):
    """A client that pulls diagnostics and sends the last result id, as VS Code does."""
    capabilities = client_capabilities("visual-studio-code")
    _enable_pull(capabilities)
    params = types.InitializeParams(capabilities=capabilities)
    lsp_client.initialize_result = await lsp_client.initialize_session(params)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _pull(
    client: LanguageClient, uri: str, previous: str | None
) -> types.DocumentDiagnosticReport:
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=previous,
        )
    )


async def test_pull_after_a_settings_change_is_never_unchanged(
    puller: LanguageClient,
) -> None:
    # Result ids once came from id(result), which CPython reuses for a new result
    # at a freed one's address: then a pull after a change was answered
    # "unchanged" and the editor kept the old severity. Many rounds make that
    # reuse all but certain to show.
    uri = Editor(puller).open(TASK)
    report = await _pull(puller, uri, None)
    severities = [
        ("error", types.DiagnosticSeverity.Error),
        ("warning", types.DiagnosticSeverity.Warning),
    ]

    for change in range(60):
        name, severity = severities[change % 2]
        refreshes = puller.diagnostic_refresh_count
        await _configure(puller, {"severity": name})
        async with asyncio.timeout(10):
            while puller.diagnostic_refresh_count == refreshes:
                await asyncio.sleep(0.01)
        report = await _pull(puller, uri, report.result_id)

        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport), change
        assert [d.severity for d in report.items] == [severity], change


@pytest_lsp.fixture(config=SERVER)
async def workspace_settings(lsp_client: LanguageClient):
    """A client that serves settings only through workspace/configuration."""
    lsp_client.set_configuration({"severity": "error"}, section="ecsNetmode")
    params = types.InitializeParams(capabilities=client_capabilities("neovim@v0.11.0"))
    lsp_client.initialize_result = await lsp_client.initialize_session(params)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_configuration_reaches_a_document_opened_at_start(
    workspace_settings: LanguageClient,
) -> None:
    # The document is opened before the server has its configuration answer:
    # it is re-published once the answer is in.
    editor = Editor(workspace_settings)
    uri = editor.open(TASK)
    await editor.diagnostics(uri)

    async with asyncio.timeout(10):
        while [d.severity for d in workspace_settings.diagnostics[uri]] != [
            types.DiagnosticSeverity.Error
        ]:
            await asyncio.sleep(0.02)


async def test_bad_setting_sent_again_is_not_reported_again(editor: Editor) -> None:
    uri = editor.open(TASK)
    await editor.diagnostics(uri)

    for _ in range(3):
        await _configure(editor.client, {"severity": "loud"})
    await _configure(editor.client, {"severity": "loud", "flagMissing": False})
    await asyncio.sleep(0.5)
    await editor.diagnostics(uri)

    assert len(editor.client.messages) == 1


async def test_removed_setting_falls_back_to_its_default(editor: Editor) -> None:
    uri = editor.open(TASK)
    await editor.diagnostics(uri)

    await _configure(editor.client, {"severity": "error"})
    await asyncio.sleep(0.5)
    assert [d.severity for d in await editor.diagnostics(uri)] == [
        types.DiagnosticSeverity.Error
    ]

    await _configure(editor.client, {})
    await asyncio.sleep(0.5)
    assert [d.severity for d in await editor.diagnostics(uri)] == [
        types.DiagnosticSeverity.Warning
    ]
