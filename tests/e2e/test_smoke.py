from tests.e2e.editor import Editor

POSITIVE = """\
- name: web 🚀
  community.aws.ecs_taskdefinition: {family: "🚀🚀", network_mode: host}
"""


async def test_smoke(editor: Editor):
    uri = editor.open(POSITIVE)
    diagnostics = await editor.diagnostics(uri)
    print(editor.encoding, diagnostics)
    assert len(diagnostics) == 1
    actions = await editor.code_actions(uri, diagnostics[0])
    print(actions)
    new = editor.apply(uri, actions[0].edit)
    print(new)
    assert await editor.diagnostics(uri) == []
