"""Generators of hostile documents, shared by the stdio tests and the fuzz seeds.

Each generator returns the text; sizes are parameters so the same shapes can be
made small for in-process property tests and big for the end-to-end ones.
"""

from __future__ import annotations

BRIDGE_TASK = "{community.aws.ecs_taskdefinition: {family: web, network_mode: bridge}}"
FAN_OUT = 9
"""Aliases per level in the bombs: 9 levels of 9 is 387,420,489 leaves."""


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb as a plain mapping: no task, no finding."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * FAN_OUT)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _bomb_vars(levels: int, leaf: str) -> list[str]:
    # Each level is a list of blocks that all alias the level below, so a
    # walker that expanded aliases would visit 9**levels tasks.
    lines = [f"    l0: &l0 [{leaf}]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"{{block: *l{level - 1}}}"] * FAN_OUT)
        lines.append(f"    l{level}: &l{level} [{refs}]")
    return lines


def bomb_as_tasks(levels: int = 9) -> str:
    """A play whose ``tasks`` is an alias bomb of blocks around one bad task."""
    head = ["- hosts: all", "  vars:"]
    return "\n".join([*head, *_bomb_vars(levels, BRIDGE_TASK), f"  tasks: *l{levels}"])


def bomb_as_network_mode(levels: int = 9) -> str:
    """A task whose ``network_mode`` value is an alias bomb (a list)."""
    head = ["- hosts: all", "  vars:"]
    tail = [
        "  tasks:",
        "    - community.aws.ecs_taskdefinition:",
        "        family: web",
        f"        network_mode: *l{levels}",
    ]
    return "\n".join([*head, *_bomb_vars(levels, '"lol"'), *tail]) + "\n"


def merge_bomb(levels: int = 9) -> str:
    """Merge keys that each merge the level below nine times."""
    lines = ["- hosts: all", "  vars:", "    m0: &m0 {network_mode: bridge, k: v}"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*m{level - 1}"] * FAN_OUT)
        lines.append(f"    m{level}: &m{level} {{<<: [{refs}]}}")
    lines += [
        "  tasks:",
        f"    - community.aws.ecs_taskdefinition: {{<<: *m{levels}, family: web}}",
    ]
    return "\n".join(lines) + "\n"


def flow_nesting(depth: int) -> str:
    """``[[[...]]]`` nested ``depth`` levels."""
    return "[" * depth + "]" * depth + "\n"


def block_nesting(depth: int) -> str:
    """Block sequences nested ``depth`` levels in compact form: ``- - - x``."""
    return "- " * depth + "x\n"


def flow_map_nesting(depth: int) -> str:
    """``{a: {a: ...}}`` nested ``depth`` levels."""
    return "{a: " * depth + "}" * depth + "\n"


def flow_block_nesting(depth: int) -> str:
    """Ansible blocks nested ``depth`` levels in flow style, a bad task inside."""
    return "[{block: " * depth + f"[{BRIDGE_TASK}]" + "}]" * depth + "\n"


def indented_blocks(depth: int) -> str:
    """Ansible blocks nested ``depth`` levels in block style, a bad task inside."""
    lines = [f"{'  ' * level}- block:" for level in range(depth)]
    indent = "  " * depth
    lines += [
        f"{indent}- community.aws.ecs_taskdefinition:",
        f"{indent}    network_mode: bridge",
    ]
    return "\n".join(lines) + "\n"


def task(index: int, mode: str) -> str:
    """One block-style task with a short container list."""
    return (
        f"- name: service {index}\n"
        "  community.aws.ecs_taskdefinition:\n"
        f"    family: service-{index}\n"
        "    state: present\n"
        f"    network_mode: {mode}\n"
        "    containers:\n"
        f"      - name: app-{index}\n"
        "        image: registry.example.com/app:1.0\n"
        "        essential: true\n"
        "        portMappings:\n"
        "          - containerPort: 8080\n"
    )


def playbook(size: int) -> tuple[str, int]:
    """A task file of about ``size`` characters; every third task is bridge.

    Returns the text and its number of findings.
    """
    parts: list[str] = []
    length = findings = 0
    index = 0
    while length < size:
        bad = index % 3 == 0
        part = task(index, "bridge" if bad else "awsvpc")
        parts.append(part)
        length += len(part)
        findings += bad
        index += 1
    return "".join(parts), findings


def long_line(size: int, filler: str = "x") -> str:
    """One task on a single line of about ``size`` characters, one finding at its end.

    The family name carries the bulk, so the finding's columns are huge.
    """
    head = '- {community.aws.ecs_taskdefinition: {family: "'
    tail = '", network_mode: bridge}}'
    count = max(0, size - len(head) - len(tail)) // len(filler)
    return head + filler * count + tail


def many_on_one_line(size: int) -> tuple[str, int]:
    """Many bad tasks in one flow sequence on a single line.

    Returns the text and its number of findings.
    """
    item = '{community.aws.ecs_taskdefinition: {family: "🚀", network_mode: host}}, '
    count = max(1, size // len(item))
    return "[" + item * count + "]\n", count


def slow_tasks(tasks: int, filler: int) -> str:
    """``tasks`` tasks, every other one bridge and the rest without network_mode.

    A re-defined anchor sends the text to the pure-Python parser, which takes
    about ten microseconds a character over the ``filler`` small mappings after
    the tasks: the analysis of such a text runs for seconds.
    """
    lines = ["- x: &m 1", "- y: &m 2"]
    for index in range(tasks):
        mode = ["    network_mode: bridge"] if index % 2 else []
        lines += [f"- name: t{index}", "  community.aws.ecs_taskdefinition:", *mode]
    lines += ["- {a: b, c: d, e: f, g: h}"] * filler
    return "\n".join(lines) + "\n"


def many_documents(count: int) -> str:
    """``count`` YAML documents, each a task list with one bad task."""
    document = f"---\n- {BRIDGE_TASK}\n"
    return document * count


def many_ignore_blocks(count: int) -> str:
    """``count`` bad tasks under ``ignore-block`` comments, then one bad task."""
    suppressed = f"# dd-iac-scan ignore-block\n- {BRIDGE_TASK}\n"
    return suppressed * count + f"- {BRIDGE_TASK}\n"


VAULT_VALUE = """\
- name: vaulted
  community.aws.ecs_taskdefinition:
    family: web
    network_mode: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163383764373764613633653634306231386433626436623361
      6134333665353966363534333632666535333761666131620a663537646436643839616531643561
"""

VAULT_OTHER = """\
- name: vaulted password, awsvpc
  community.aws.ecs_taskdefinition:
    family: web
    network_mode: awsvpc
    password: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163383764373764613633653634306231386433626436623361
"""

UNSAFE = """\
- community.aws.ecs_taskdefinition:
    family: !unsafe '{{ not a template }}'
    network_mode: !unsafe awsvpc
- community.aws.ecs_taskdefinition:
    network_mode: !unsafe '{{ mode }}'
"""

CLOUDFORMATION = """\
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: !Ref Mode
      Family: !Sub "${AWS::StackName}-web"
      ExecutionRoleArn: !GetAtt Role.Arn
---
- community.aws.ecs_taskdefinition:
    family: !Sub "${Stack}-web"
    network_mode: !Ref NetworkMode
    execution_role_arn: !GetAtt [Role, Arn]
"""

TABS = "- community.aws.ecs_taskdefinition:\n\tnetwork_mode: bridge\n"

COMMENTS = "# only a comment\n#   - community.aws.ecs_taskdefinition:\n# end\n"

NOT_YAML = '{"unclosed": [1, 2,\n  @@@ %%% `backtick\n\x1b[31m'

SEPARATORS = """\
- name: "web\u2028app"
  community.aws.ecs_taskdefinition:
    family: "a\u2029b"
    network_mode: "ho\u2028st"
"""
"""U+2028/U+2029 are not LSP line breaks: the finding stays on line 3."""

SEPARATOR_IN_COMMENT = "# a\u2028b: [\n- ecs_taskdefinition: {network_mode: host}\n"
"""YAML 1.1 parsers (libyaml, and so Ansible) end a comment at U+2028."""

CONTROL = {
    "nul": "- community.aws.ecs_taskdefinition:\n    network_mode: bri\x00dge\n",
    "bell": "- community.aws.ecs_taskdefinition:\n    network_mode: \x07\n",
    "escape": "- name: \x1b[1m\n  ecs_taskdefinition: {network_mode: host}\n",
    "del": "- ecs_taskdefinition: {network_mode: \x7f}\n",
    "nel": "- name: a\x85b\n  ecs_taskdefinition: {network_mode: host}\n",
    "form-feed": "\x0c- ecs_taskdefinition: {network_mode: host}\n",
    "vertical-tab": "- ecs_taskdefinition: {network_mode: \x0bhost}\n",
    "fffe": "- name: \ufffe\n  ecs_taskdefinition: {network_mode: host}\n",
    "ffff": "- ecs_taskdefinition: {network_mode: host}  # \uffff\n",
    "lone-high": "- name: \ud800\n  ecs_taskdefinition: {network_mode: host}\n",
    "lone-low": "- ecs_taskdefinition: {network_mode: \udfff}\n",
    "reversed-pair": "# \udc00\ud800\n- ecs_taskdefinition: {network_mode: host}\n",
    "bom-crlf": "\ufeff- ecs_taskdefinition:\r\n    network_mode: host\r\n",
    "lone-cr": "- ecs_taskdefinition:\r    network_mode: host\r",
}
