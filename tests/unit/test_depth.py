"""Every way Ansible passes network_mode, and suppression comments.

``«`` and ``»`` mark the expected diagnostic ranges, as in test_rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecs_netmode_lsp import fixes
from ecs_netmode_lsp.analysis import analyze, fix_all
from ecs_netmode_lsp.fixes import suppress
from ecs_netmode_lsp.source import apply_edits
from tests.unit.test_rule import marked, spans_of

FLAGGED = {
    "free-form value": (
        "- community.aws.ecs_taskdefinition: family=web network_mode=«host»\n"
    ),
    "free-form quoted value": (
        '- ecs_taskdefinition: "family=web network_mode=«bridge» cpu=1"\n'
    ),
    "free-form missing": "- name: «free»\n  ecs_taskdefinition: family=web cpu=256\n",
    "args mapping": "- ecs_taskdefinition:\n  args:\n    network_mode: «host»\n",
    "module wins over args": (
        "- ecs_taskdefinition:\n    network_mode: «bridge»\n"
        "  args:\n    network_mode: awsvpc\n"
    ),
    "wrong module default is one finding": """\
- hosts: all
  module_defaults:
    community.aws.ecs_taskdefinition:
      network_mode: «bridge»
  tasks:
    - ecs_taskdefinition: {family: a}
    - ecs_taskdefinition: {family: b}
    - ecs_taskdefinition: {family: c, network_mode: «host»}
""",
    "group default on a block": """\
- module_defaults:
    group/aws:
      network_mode: «host»
  block:
    - ecs_taskdefinition: {family: a}
""",
    "inner default wins": """\
- module_defaults:
    ecs_taskdefinition: {network_mode: awsvpc}
  block:
    - module_defaults:
        ecs_taskdefinition: {network_mode: «host»}
      block:
        - ecs_taskdefinition: {family: a}
""",
    "action string": "- action: ecs_taskdefinition family=x network_mode=«host»\n",
    "local_action mapping": (
        "- local_action:\n    module: community.aws.ecs_taskdefinition\n"
        "    network_mode: «none»\n"
    ),
    "free-form state absent is not enough with present": (
        "- ecs_taskdefinition: state=present network_mode=«host»\n"
    ),
    "free-form template with spaces is one value": (
        "- ecs_taskdefinition: network_mode=«{{ modes['x'] | default('host') }}» "
        "family=b\n"
    ),
    "free-form tab does not separate arguments": (
        "- name: «tab»\n  ecs_taskdefinition: family=a\tnetwork_mode=bridge\n"
    ),
    "free-form quoted space holds the key inside": (
        '- name: «quoted»\n  ecs_taskdefinition: family="a network_mode=host" cpu=1\n'
    ),
    "free-form last repeated key wins": (
        "- ecs_taskdefinition: network_mode=awsvpc network_mode=«bridge»\n"
    ),
    "free-form folded over lines": (
        "- ecs_taskdefinition: >-\n    family=web\n    network_mode=«host»\n"
    ),
    "module default beats an inner group default": """\
- hosts: all
  module_defaults:
    ecs_taskdefinition:
      network_mode: «bridge»
  tasks:
    - module_defaults:
        group/aws:
          network_mode: awsvpc
      block:
        - ecs_taskdefinition: {family: a}
""",
    "inner group entry replaces the outer one whole": """\
- hosts: all
  module_defaults:
    group/aws:
      network_mode: awsvpc
      region: us-east-1
  tasks:
    - module_defaults:
        group/aws:
          region: eu-west-1
      block:
        - name: «inner»
          ecs_taskdefinition: {family: a}
""",
    "empty module default removes the outer one": """\
- hosts: all
  module_defaults:
    ecs_taskdefinition: {network_mode: awsvpc}
  tasks:
    - name: «reset»
      ecs_taskdefinition: {family: a}
      module_defaults:
        ecs_taskdefinition: {}
""",
    "the collection's own group name": """\
- module_defaults:
    group/community.aws.aws: {network_mode: «none»}
  block:
    - ecs_taskdefinition: {family: a}
""",
    "amazon.aws group does not hold the module": """\
- module_defaults:
    group/amazon.aws.aws: {network_mode: awsvpc}
  block:
    - name: «a»
      ecs_taskdefinition: {family: a}
""",
    "later of short and long default names wins": """\
- hosts: all
  module_defaults:
    community.aws.ecs_taskdefinition: {network_mode: awsvpc}
    ecs_taskdefinition: {network_mode: «host»}
  tasks:
    - ecs_taskdefinition: {family: a}
""",
    "block list value ends at its last item": (
        "- ecs_taskdefinition:\n    network_mode:\n    «- awsvpc\n    - host»"
        "   # why\n\n    # note\n    family: b\n"
    ),
}


@pytest.mark.parametrize("snippet", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(snippet: str) -> None:
    text, expected = marked(snippet)
    assert spans_of(text) == expected


CLEAN = {
    "free-form awsvpc": "- ecs_taskdefinition: family=web network_mode=awsvpc\n",
    "free-form state absent": "- ecs_taskdefinition: family=web state=absent\n",
    "args awsvpc": "- ecs_taskdefinition:\n  args:\n    network_mode: awsvpc\n",
    "args state absent": "- ecs_taskdefinition: {family: x}\n  args: {state: absent}\n",
    "templated args": "- ecs_taskdefinition:\n  args: '{{ td_args }}'\n",
    "awsvpc default": (
        "- module_defaults:\n    group/aws: {network_mode: awsvpc}\n"
        "  block:\n    - ecs_taskdefinition: {family: a}\n"
    ),
    "templated defaults": (
        "- module_defaults: '{{ defaults }}'\n"
        "  block:\n    - ecs_taskdefinition: {family: a}\n"
    ),
    "other module's default": (
        "- module_defaults:\n    docker_container: {network_mode: host}\n"
        "  block:\n    - ecs_taskdefinition: {network_mode: awsvpc}\n"
    ),
    "action naming another module": "- action: docker_container network_mode=host\n",
    "module default beats an outer group default": """\
- hosts: all
  module_defaults:
    community.aws.ecs_taskdefinition:
      network_mode: awsvpc
  tasks:
    - module_defaults:
        group/aws:
          network_mode: host
      block:
        - ecs_taskdefinition: {family: a}
""",
    "templated module default may set it": """\
- module_defaults:
    group/aws: {network_mode: host}
    ecs_taskdefinition: "{{ ecs_defaults }}"
  block:
    - ecs_taskdefinition: {family: a}
""",
    "awsvpc from the collection's own group": """\
- module_defaults:
    group/community.aws.aws: {network_mode: awsvpc}
  block:
    - ecs_taskdefinition: {family: a}
""",
    "state absent from module_defaults": """\
- module_defaults:
    ecs_taskdefinition: {state: absent, network_mode: host}
  block:
    - ecs_taskdefinition: {family: a}
""",
    "templated group default may set it": """\
- module_defaults:
    group/aws: "{{ aws_defaults }}"
  block:
    - ecs_taskdefinition: {family: a}
""",
}


@pytest.mark.parametrize("text", CLEAN.values(), ids=CLEAN.keys())
def test_clean(text: str) -> None:
    assert spans_of(text) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "- ecs_taskdefinition: family=web network_mode=host\n",
            "- ecs_taskdefinition: family=web network_mode=awsvpc\n",
        ),
        (
            "- ecs_taskdefinition: family=web\n",
            "- ecs_taskdefinition: family=web network_mode=awsvpc\n",
        ),
        (
            "- ecs_taskdefinition: 'family=web'\n",
            "- ecs_taskdefinition: 'family=web network_mode=awsvpc'\n",
        ),
        (
            "- ecs_taskdefinition:\n  args:\n    family: web\n",
            "- ecs_taskdefinition:\n  args:\n"
            "    network_mode: awsvpc\n    family: web\n",
        ),
        (
            "- module_defaults:\n    group/aws: {network_mode: host}\n"
            "  block:\n    - ecs_taskdefinition: {family: a}\n",
            "- module_defaults:\n    group/aws: {network_mode: awsvpc}\n"
            "  block:\n    - ecs_taskdefinition: {family: a}\n",
        ),
        (
            "- ecs_taskdefinition: network_mode={{ mode }} family=a\n",
            "- ecs_taskdefinition: network_mode=awsvpc family=a\n",
        ),
        (
            "- ecs_taskdefinition: family=a\tnetwork_mode=host\n",
            "- ecs_taskdefinition: family=a\tnetwork_mode=host network_mode=awsvpc\n",
        ),
        (
            "- ecs_taskdefinition:\n    network_mode:\n    - host\n    family: b\n",
            "- ecs_taskdefinition:\n    network_mode:\n      awsvpc\n    family: b\n",
        ),
        (
            "- ecs_taskdefinition:\n    network_mode:\n      k: v\n\n"
            "    # note\n    family: b\n",
            "- ecs_taskdefinition:\n    network_mode:\n      awsvpc\n\n"
            "    # note\n    family: b\n",
        ),
    ],
)
def test_fixes(before: str, after: str) -> None:
    fixed = apply_edits(before, fix_all(analyze(before).findings))
    assert fixed == after
    assert analyze(fixed).findings == ()


SUPPRESSED = {
    "dd ignore-line": (
        "- ecs_taskdefinition:\n    # dd-iac-scan ignore-line\n    network_mode: host\n"
    ),
    "kics ignore-line": (
        "- ecs_taskdefinition:\n    # kics-scan ignore-line\n    network_mode: host\n"
    ),
    "ignore-block above the task": (
        "# dd-iac-scan ignore-block\n- name: a\n  ecs_taskdefinition:\n"
        "    network_mode: host\n"
    ),
    "ignore-block above a play": (
        "# kics-scan ignore-block\n- hosts: all\n  tasks:\n"
        "    - ecs_taskdefinition: {network_mode: host}\n"
        "    - ecs_taskdefinition: {family: x}\n"
    ),
    "ignore file": "# kics-scan ignore\n- ecs_taskdefinition: {network_mode: host}\n",
    "disable by rule id": (
        "# dd-iac-scan disable=ansible-aws-ecs-task-definition-network-mode-"
        "not-recommended\n- ecs_taskdefinition: {network_mode: host}\n"
    ),
    "disable by KICS id among others": (
        "---\n# kics-scan disable=abc,01aec7c2-3e4d-4274-ae47-2b8fea22fd1f\n"
        "- ecs_taskdefinition: {network_mode: host}\n"
    ),
    "enable lists only other rules": (
        "# kics-scan enable=abc\n- ecs_taskdefinition: {network_mode: host}\n"
    ),
    "ignore-line with lone CR line breaks": (
        "- ecs_taskdefinition:\r    # dd-iac-scan ignore-line\r    network_mode: host\r"
    ),
    "ignore after a byte order mark": (
        "\ufeff# kics-scan ignore\n- ecs_taskdefinition: {network_mode: host}\n"
    ),
}


@pytest.mark.parametrize("text", SUPPRESSED.values(), ids=SUPPRESSED.keys())
def test_suppressed(text: str) -> None:
    assert spans_of(text) == []


NOT_SUPPRESSED = {
    "ignore-line only covers the next line": (
        "# dd-iac-scan ignore-line\n- ecs_taskdefinition:\n    network_mode: host\n"
    ),
    "ignore-block covers only its block": (
        "- name: a\n  ecs_taskdefinition: {network_mode: awsvpc}\n"
        "# dd-iac-scan ignore-block\n- name: b\n  ecs_taskdefinition: {family: b}\n"
        "- name: c\n  ecs_taskdefinition: {network_mode: host}\n"
    ),
    "file-level comments only in the header": (
        "- ecs_taskdefinition: {network_mode: host}\n# kics-scan ignore\n"
    ),
    "enable listing this rule": (
        "# kics-scan enable=01aec7c2-3e4d-4274-ae47-2b8fea22fd1f\n"
        "- ecs_taskdefinition: {network_mode: host}\n"
    ),
    "disable of another rule": (
        "# dd-iac-scan disable=other\n- ecs_taskdefinition: {network_mode: host}\n"
    ),
}


@pytest.mark.parametrize("text", NOT_SUPPRESSED.values(), ids=NOT_SUPPRESSED.keys())
def test_not_suppressed(text: str) -> None:
    assert len(spans_of(text)) == 1


@pytest.mark.parametrize("keyword", ["dd-iac-scan", "kics-scan"])
def test_suppression_fix(keyword: str) -> None:
    text = "- name: a\r\n  ecs_taskdefinition:\r\n    network_mode: host\r\n"
    (finding,) = analyze(text).findings

    edit = suppress(analyze(text).source, finding.span, keyword)
    fixed = apply_edits(text, [edit])

    assert fixed == (
        "- name: a\r\n  ecs_taskdefinition:\r\n"
        f"    # {keyword} ignore-line\r\n    network_mode: host\r\n"
    )
    assert analyze(fixed).findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "- name: folded\n  ecs_taskdefinition: >-\n    family=web\n"
        "    network_mode=host\n",
        "- name: plain\n  ecs_taskdefinition: family=web\n    network_mode=none\n",
    ],
    ids=["folded", "plain"],
)
def test_suppression_of_a_continuation_line_uses_ignore_block(text: str) -> None:
    """No comment fits inside a scalar: the task gets an ignore-block above it."""
    analysis = analyze(text)
    (finding,) = analysis.findings

    command, edit = fixes.suppression(
        analysis.source,
        finding.span,
        finding.within,
        finding.task_span,
        "dd-iac-scan",
    )
    fixed = apply_edits(text, [edit])

    assert command == "dd-iac-scan ignore-block"
    assert fixed == "# dd-iac-scan ignore-block\n" + text
    assert analyze(fixed).findings == ()


def test_suppression_keeps_the_byte_order_mark_first() -> None:
    text = "\ufeff- {name: a, ecs_taskdefinition: {network_mode: host}}\n"
    analysis = analyze(text)
    (finding,) = analysis.findings

    edit = suppress(analysis.source, finding.span, "kics-scan")
    fixed = apply_edits(text, [edit])

    assert fixed == "\ufeff# kics-scan ignore-line\n" + text[1:]
    assert analyze(fixed).findings == ()


@pytest.mark.parametrize(
    ("value", "shown"),
    [('" awsvpc"', "' awsvpc'"), ("|\n      awsvpc", "'awsvpc\\n'")],
    ids=["leading-space", "literal-block"],
)
def test_message_shows_blanks_of_a_near_awsvpc_value(value: str, shown: str) -> None:
    text = f"- ecs_taskdefinition:\n    network_mode: {value}\n"
    (finding,) = analyze(text).findings
    assert f"network_mode {shown}." in finding.message


MARKED = Path(__file__).parent.parent / "data" / "marked"


@pytest.mark.parametrize(
    "path", sorted(MARKED.glob("*.yml")), ids=lambda path: path.name
)
def test_marked_file(path: Path) -> None:
    """Whole files: every range exactly, and every fix clears only its finding."""
    text, expected = marked(path.read_bytes().decode("utf-8"))
    assert spans_of(text) == expected

    findings = analyze(text).findings
    for finding in findings:
        assert finding.fix is not None
        after = analyze(apply_edits(text, [finding.fix]))
        assert after.problem is None
        assert [f.span for f in after.findings if f.span < finding.span] == [
            f.span for f in findings if f.span < finding.span
        ]
        assert len(after.findings) == len(findings) - 1
    fixed = apply_edits(text, fix_all(findings))
    assert analyze(fixed).findings == ()
