"""The real server over stdio, as VS Code (push, UTF-16) and Neovim (pull, UTF-8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.e2e.editor import Editor, offset_to_position
from tests.unit.test_rule import marked

DATA = Path(__file__).parent.parent / "data"
RULE = "ansible-aws-ecs-task-definition-network-mode-not-recommended"

EMOJI_LINE = """\
- name: web 🚀
  community.aws.ecs_taskdefinition: {family: "🚀🚀", network_mode: host}
"""


MARKED = sorted(path.name for path in (DATA / "marked").glob("*.yml"))


def expected_range(editor: Editor, text: str, needle: str) -> types.Range:
    start = text.index(needle)
    return types.Range(
        start=offset_to_position(text, start, editor.encoding),
        end=offset_to_position(text, start + len(needle), editor.encoding),
    )


async def test_diagnostic_fields(editor: Editor) -> None:
    text = (DATA / "kics" / "positive.yaml").read_text()
    uri = editor.open(text)

    diagnostics = await editor.diagnostics(uri)

    assert [d.range.start.line for d in diagnostics] == [14, 30]
    first = diagnostics[0]
    assert first.range == expected_range(editor, text, "default")
    assert first.severity == types.DiagnosticSeverity.Warning
    assert first.code == RULE
    assert first.source == "ecs-netmode-lsp"
    assert first.code_description is not None
    assert first.code_description.href.endswith(
        "/ansible/aws/ecs_task_definition_network_mode_not_recommended"
    )
    assert "'default'" in first.message
    assert first.data["fix"]["newText"] == "awsvpc"


async def test_columns_in_negotiated_encoding(editor: Editor) -> None:
    uri = editor.open(EMOJI_LINE)

    (diagnostic,) = await editor.diagnostics(uri)

    character = {"utf-8": 71, "utf-16": 67, "utf-32": 63}[editor.encoding]
    assert diagnostic.range.start == types.Position(line=1, character=character)
    assert diagnostic.range == expected_range(editor, EMOJI_LINE, "host")


async def test_quick_fix_clears_the_finding(editor: Editor) -> None:
    uri = editor.open(EMOJI_LINE)
    (diagnostic,) = await editor.diagnostics(uri)

    actions = await editor.code_actions(uri, diagnostic)
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]

    assert [(a.title, a.is_preferred) for a in quick] == [
        ("Set network_mode to awsvpc", True),
        ("Suppress with # dd-iac-scan ignore-line", False),
    ]
    assert quick[0].edit is not None
    fixed = editor.apply(uri, quick[0].edit)
    assert fixed == EMOJI_LINE.replace("host", "awsvpc")
    assert await editor.diagnostics(uri) == []


async def test_fix_all_on_a_real_file(editor: Editor) -> None:
    name = "016_community-aws-20-ecs-service.yml"
    text = (DATA / "corpus" / "files" / name).read_bytes().decode()
    uri = editor.open(text)
    assert len(await editor.diagnostics(uri)) == 6

    actions = await editor.code_actions(uri, only=[types.CodeActionKind.SourceFixAll])

    (fix_all,) = actions
    assert fix_all.kind == types.CodeActionKind.SourceFixAll
    assert fix_all.edit is not None
    editor.apply(uri, fix_all.edit)
    assert await editor.diagnostics(uri) == []


async def test_missing_key_fix_keeps_crlf(editor: Editor) -> None:
    text = "- name: deploy\r\n  ecs_taskdefinition:\r\n    family: web\r\n"
    uri = editor.open(text)
    (diagnostic,) = await editor.diagnostics(uri)
    assert diagnostic.range == expected_range(editor, text, "deploy")

    (action, *_) = await editor.code_actions(uri, diagnostic)
    assert action.edit is not None
    fixed = editor.apply(uri, action.edit)

    assert fixed == (
        "- name: deploy\r\n  ecs_taskdefinition:\r\n"
        "    network_mode: awsvpc\r\n    family: web\r\n"
    )
    assert await editor.diagnostics(uri) == []


async def test_broken_yaml_while_typing(editor: Editor) -> None:
    text = "- ecs_taskdefinition:\n    network_mode: host\n"
    uri = editor.open(text)
    assert len(await editor.diagnostics(uri)) == 1

    editor.change(uri, len(text), len(text), "- name: [unclosed\n")
    (problem,) = await editor.diagnostics(uri)
    assert problem.severity == types.DiagnosticSeverity.Error
    assert problem.code == "yaml-syntax-error"
    assert problem.range.start.line == 3

    editor.change(uri, len(text), len(editor.texts[uri]), "")
    (finding,) = await editor.diagnostics(uri)
    assert finding.code == RULE


async def test_no_findings_outside_ansible_tasks(editor: Editor) -> None:
    for name in (
        "021_dockprom-compose-exporters.yml",
        "022_minecraft-spot-cfn-bridge.yml",
        "023_community-docker-container-network.yml",
        "020_cisco-appd-ecs-taskdef-info.yml",
    ):
        text = (DATA / "corpus" / "files" / name).read_bytes().decode()
        uri = editor.open(text, name=name)
        assert await editor.diagnostics(uri) == [], name


async def test_incremental_edits_follow_the_text(editor: Editor) -> None:
    text = "- name: 🚀 a\n  ecs_taskdefinition:\n    network_mode: host\n"
    uri = editor.open(text)
    await editor.diagnostics(uri)

    # Type "awsvpc" over "host" one character at a time, like a user would.
    start = text.index("host")
    editor.change(uri, start, start + 4, "")
    for index, char in enumerate("awsvpc"):
        editor.change(uri, start + index, start + index, char)

    assert editor.texts[uri] == text.replace("host", "awsvpc")
    assert await editor.diagnostics(uri) == []


async def test_close_clears_diagnostics(editor: Editor) -> None:
    uri = editor.open(EMOJI_LINE)
    assert len(await editor.diagnostics(uri)) == 1

    editor.close(uri)

    if not editor.pulls:
        assert await editor.published(uri) == []


async def test_pull_offered_only_to_clients_that_pull(editor: Editor) -> None:
    result = editor.client.initialize_result  # type: ignore[attr-defined]
    offered = result.capabilities.diagnostic_provider is not None
    # One channel per client: a client pushed to must not also pull.
    assert offered == editor.pulls


def span_range(editor: Editor, text: str, start: int, end: int) -> types.Range:
    return types.Range(
        start=offset_to_position(text, start, editor.encoding),
        end=offset_to_position(text, end, editor.encoding),
    )


@pytest.mark.parametrize("name", MARKED)
async def test_marked_file_ranges_and_every_fix(editor: Editor, name: str) -> None:
    """Whole files: exact ranges, then each quick fix and fix-all, as an editor."""
    text, spans = marked((DATA / "marked" / name).read_bytes().decode("utf-8"))
    uri = editor.open(text, name=name)
    diagnostics = await editor.diagnostics(uri)
    assert [d.range for d in diagnostics] == [
        span_range(editor, text, start, end) for start, end in spans
    ]

    for index, diagnostic in enumerate(diagnostics):
        copy = editor.open(text, name=f"fix-{index}-{name}")
        await editor.diagnostics(copy)
        actions = await editor.code_actions(copy, diagnostic)
        (fix,) = [
            a
            for a in actions
            if a.is_preferred
            and [(d.range, d.message) for d in a.diagnostics or []]
            == [(diagnostic.range, diagnostic.message)]
        ]
        assert fix.edit is not None
        editor.apply(copy, fix.edit)
        after = await editor.diagnostics(copy)
        assert {d.code for d in after} <= {RULE}
        assert len(after) == len(diagnostics) - 1
        editor.close(copy)

    if diagnostics:
        (fix_all,) = await editor.code_actions(
            uri, only=[types.CodeActionKind.SourceFixAll]
        )
        assert fix_all.edit is not None
        editor.apply(uri, fix_all.edit)
    assert await editor.diagnostics(uri) == []
