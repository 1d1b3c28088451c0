"""The rule on small snippets: what is flagged, exactly where, and what is not.

In each snippet, ``«`` and ``»`` mark the expected diagnostic range; they are
removed before analysis.
"""

from __future__ import annotations

import pytest

from ecs_netmode_lsp.analysis import Kind, Options, analyze


def marked(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip the markers and return the text and the marked spans."""
    spans = []
    text = ""
    start = 0
    for char in snippet:
        if char == "«":
            start = len(text)
        elif char == "»":
            spans.append((start, len(text)))
        else:
            text += char
    return text, spans


def spans_of(text: str, options: Options | None = None) -> list[tuple[int, int]]:
    analysis = analyze(text, options)
    assert analysis.problem is None, analysis.problem
    return [(f.span.start, f.span.end) for f in analysis.findings]


FLAGGED = {
    "host value": """\
- name: web
  community.aws.ecs_taskdefinition:
    family: web
    network_mode: «host»
""",
    "short module name, bridge": """\
- ecs_taskdefinition:
    network_mode: «bridge»
""",
    "quoted value keeps quotes in range": """\
- ecs_taskdefinition:
    network_mode: «"none"»
""",
    "case matters": """\
- ecs_taskdefinition:
    network_mode: «AWSVPC»
""",
    "number": """\
- ecs_taskdefinition:
    network_mode: «42»
""",
    "empty name marks the module key": """\
- name:
  «ecs_taskdefinition»:
    family: web
""",
    "explicit null": """\
- ecs_taskdefinition:
    network_mode: «~»
""",
    "empty value points at the key": """\
- ecs_taskdefinition:
    «network_mode»:
    family: x
""",
    "list value": """\
- ecs_taskdefinition:
    network_mode: «[awsvpc]»
""",
    "block scalar without its line break": """\
- ecs_taskdefinition:
    network_mode: «|
      awsvpc»
    family: x
""",
    "anchor is not part of the value": """\
- ecs_taskdefinition:
    network_mode: &mode «host»
""",
    "missing key points at the task name": """\
- name: «deploy 🚀»
  ecs_taskdefinition:
    family: web
""",
    "missing key without name points at the module key": """\
- «community.aws.ecs_taskdefinition»:
    family: web
""",
    "flow mapping after characters outside the BMP": """\
- name: web 🚀
  ecs_taskdefinition: {family: "🚀🚀", network_mode: «host»}
""",
    "play tasks, pre_tasks, post_tasks and handlers": """\
- hosts: all
  pre_tasks:
    - ecs_taskdefinition: {network_mode: «host»}
  tasks:
    - ecs_taskdefinition: {network_mode: «bridge»}
  post_tasks:
    - ecs_taskdefinition: {network_mode: «none»}
  handlers:
    - ecs_taskdefinition: {network_mode: «default»}
""",
    "blocks at any depth": """\
- block:
    - block:
        - ecs_taskdefinition: {network_mode: «host»}
      rescue:
        - ecs_taskdefinition: {network_mode: «bridge»}
  always:
    - ecs_taskdefinition: {network_mode: «none»}
""",
    "every document of a stream": """\
- ecs_taskdefinition: {network_mode: «host»}
---
- ecs_taskdefinition: {network_mode: «bridge»}
""",
    "state present is judged": """\
- ecs_taskdefinition:
    state: present
    network_mode: «host»
""",
    "templated state is judged": """\
- ecs_taskdefinition:
    state: "{{ wanted }}"
    network_mode: «host»
""",
    "value merged in with <<": """\
- set_fact:
    common: &common
      network_mode: «bridge»
- ecs_taskdefinition:
    <<: *common
    family: web
""",
    "alias value points at the alias": """\
- set_fact:
    mode: &mode host
- ecs_taskdefinition:
    network_mode: «*mode»
""",
    "CRLF and BOM": "\ufeff- ecs_taskdefinition:\r\n    network_mode: «host»\r\n",
    "tabs inside values": (
        '- ecs_taskdefinition:\n    family: "a\\tb"\t\n    network_mode: «host»\n'
    ),
}


@pytest.mark.parametrize("snippet", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(snippet: str) -> None:
    text, expected = marked(snippet)
    assert spans_of(text) == expected


CLEAN = {
    "awsvpc": "- ecs_taskdefinition:\n    network_mode: awsvpc\n",
    "quoted awsvpc": "- ecs_taskdefinition:\n    network_mode: 'awsvpc'\n",
    "state absent": (
        "- ecs_taskdefinition:\n    state: absent\n    network_mode: host\n"
    ),
    "bare template arguments": '- ecs_taskdefinition: "{{ item }}"\n',
    "docker-compose": "services:\n  web:\n    image: x\n    network_mode: host\n",
    "docker_container task": (
        "- docker_container:\n    name: x\n    network_mode: host\n"
    ),
    "info module": "- ecs_taskdefinition_info:\n    network_mode: host\n",
    "CloudFormation": (
        "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n"
        "    Properties:\n      NetworkMode: bridge\n"
    ),
    "module name in a string": (
        '- debug:\n    msg: "ecs_taskdefinition: network_mode: host"\n'
    ),
    "module name in a comment": (
        "# - ecs_taskdefinition: {network_mode: host}\n- ping:\n"
    ),
    "module name as a variable": (
        "- hosts: all\n  vars:\n    ecs_taskdefinition:\n      network_mode: host\n"
    ),
    "mapping inside a task value is not a task": (
        "- set_fact:\n    x:\n      - ecs_taskdefinition:\n"
        "          network_mode: host\n"
    ),
    "top-level mapping": "ecs_taskdefinition:\n  network_mode: host\n",
    "explicit key beats merge": (
        "- set_fact:\n    c: &c {network_mode: host}\n"
        "- ecs_taskdefinition:\n    <<: *c\n    network_mode: awsvpc\n"
    ),
    "empty file": "",
    "only comments": "# nothing here\n",
}


@pytest.mark.parametrize("text", CLEAN.values(), ids=CLEAN.keys())
def test_clean(text: str) -> None:
    assert spans_of(text) == []


def test_kinds_and_messages() -> None:
    text = (
        "- name: a\n  ecs_taskdefinition: {network_mode: host}\n"
        "- name: b\n  ecs_taskdefinition: {network_mode: '{{ mode }}'}\n"
        "- name: c\n  ecs_taskdefinition: {family: c}\n"
    )
    findings = analyze(text).findings
    assert [f.kind for f in findings] == [Kind.WRONG, Kind.TEMPLATED, Kind.MISSING]
    assert "'host'" in findings[0].message
    assert "must render to 'awsvpc'" in findings[1].message
    assert "AWS uses 'bridge'" in findings[2].message


def test_flag_missing_off_matches_upstream() -> None:
    text = "- ecs_taskdefinition: {family: c}\n"
    text += "- ecs_taskdefinition: {network_mode: host}\n"
    assert len(spans_of(text, Options(flag_missing=False))) == 1


def test_one_finding_per_shared_task() -> None:
    text = "- hosts: all\n  tasks: &t\n    - ecs_taskdefinition: {network_mode: host}\n"
    text += "- hosts: other\n  tasks: *t\n"
    assert len(spans_of(text)) == 1


def test_huge_value_is_shortened_in_message() -> None:
    text = "- ecs_taskdefinition:\n    network_mode: " + "x" * 100_000 + "\n"
    (finding,) = analyze(text).findings
    assert len(finding.message) < 300


@pytest.mark.parametrize(
    ("text", "offset"),
    [("a: [\n", 5), ("- a\nb: c\n", 4), ("\ufeffa: [\n", 6)],
)
def test_parse_problem_position(text: str, offset: int) -> None:
    problem = analyze(text).problem
    assert problem is not None
    assert problem.offset == offset
    assert problem.message
