"""From YAML nodes to Ansible tasks.

Ansible reads a playbook as a list of plays whose ``tasks``, ``pre_tasks``,
``post_tasks`` and ``handlers`` are task lists, and a role's ``tasks/*.yml`` or
``handlers/*.yml`` as a bare task list.  A task may be a ``block`` whose
``block``, ``rescue`` and ``always`` are task lists again, at any depth.  Only
mappings reached this way are tasks: a ``network_mode`` anywhere else (a
docker-compose service, a ``docker_container`` task, a variable) is never looked
at.

Walking is iterative and visits each node once, so deep nesting cannot exhaust
the stack and aliases (which compose to shared nodes) cannot multiply work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecs_netmode_lsp.rule import MODULE_NAMES

TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")
BLOCK_LISTS = ("block", "rescue", "always")
PLAY_KEYS = frozenset(
    {
        "hosts",
        "import_playbook",
        "ansible.builtin.import_playbook",
        "roles",
        *TASK_LISTS,
    }
)
MODULE_DEFAULTS = "community.aws.ecs_taskdefinition"
DEFAULTS_KEYS = {
    "group/aws": "group/aws",
    "group/community.aws.aws": "group/community.aws.aws",
    "ecs_taskdefinition": MODULE_DEFAULTS,
    "community.aws.ecs_taskdefinition": MODULE_DEFAULTS,
}
"""module_defaults keys that reach the module, and the one entry each stands for.

The module's action groups are ``aws`` (Ansible's own name, kept for old
playbooks) and ``community.aws.aws``; ``amazon.aws.aws`` does not hold it.
"""

ACTION_KEYS = ("action", "local_action", "ansible.builtin.local_action")
MAX_MERGE_DEPTH = 64


@dataclass(frozen=True)
class Entry:
    """One key of a mapping as Ansible sees it."""

    key: ScalarNode
    value: Node
    merged: bool = False
    """True when the key arrived through a ``<<`` merge key."""


Entries = dict[str, Entry]


@dataclass(frozen=True)
class ModuleCall:
    """The module a task runs, and where its arguments are written."""

    key: ScalarNode
    """The module key, or the ``action``/``local_action`` key."""

    arguments: Node
    """The module key's value: a mapping, a free-form string or null."""

    action: bool = False
    """True for ``action:``/``local_action:``, whose value also names the module."""


@dataclass(frozen=True)
class Task:
    """An in-scope task: one that runs the ECS task definition module."""

    node: MappingNode
    entries: Entries
    call: ModuleCall
    defaults: tuple[Node, ...]
    """``module_defaults`` values that apply, outermost first."""


def is_plain(node: Node, text: str) -> bool:
    """Tell whether ``node`` is the plain (unquoted, untagged) scalar ``text``."""
    return (
        isinstance(node, ScalarNode)
        and not node.style
        and node.value == text
        and str(node.tag) == "tag:yaml.org,2002:str"
    )


def scalar(node: Node | None) -> str | None:
    """Return the text of a scalar node, or None for anything else."""
    return node.value if isinstance(node, ScalarNode) else None


class Mappings:
    """Reads mappings with merge keys applied, each mapping once."""

    def __init__(self) -> None:
        self._cache: dict[int, Entries] = {}

    def entries(self, node: MappingNode, depth: int = 0) -> Entries:
        """Return the keys of ``node``: its own last, then merged ones, first wins."""
        cached = self._cache.get(id(node))
        if cached is not None:
            return cached

        # Seed the cache first: a mapping that merges itself must not loop.
        result: Entries = {}
        self._cache[id(node)] = result

        merged: Entries = {}
        for key, value in node.value:
            if is_plain(key, "<<"):
                if depth < MAX_MERGE_DEPTH:
                    self._merge_into(merged, value, depth)
                continue
            name = scalar(key)
            if name is not None:
                result[name] = Entry(key, value)

        for name, entry in merged.items():
            result.setdefault(name, entry)
        return result

    def _merge_into(self, merged: Entries, value: Node, depth: int) -> None:
        sources = value.value if isinstance(value, SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, MappingNode):
                continue
            for name, entry in self.entries(source, depth + 1).items():
                merged.setdefault(name, Entry(entry.key, entry.value, merged=True))


def tasks(documents: list[Node], mappings: Mappings) -> Iterator[Task]:
    """Yield every in-scope task of the documents."""
    seen: set[int] = set()
    for document in documents:
        if isinstance(document, SequenceNode):
            yield from _walk(document, mappings, seen)


def _walk(top: SequenceNode, mappings: Mappings, seen: set[int]) -> Iterator[Task]:
    stack: list[tuple[SequenceNode, tuple[Node, ...], bool]] = [(top, (), True)]
    while stack:
        sequence, defaults, top_level = stack.pop()
        for item in reversed(sequence.value):
            if not isinstance(item, MappingNode) or id(item) in seen:
                continue
            seen.add(id(item))
            entries = mappings.entries(item)
            own = _own_defaults(entries)
            lists = TASK_LISTS if top_level and _is_play(entries) else BLOCK_LISTS
            for name in lists:
                child = entries.get(name)
                if child is not None and isinstance(child.value, SequenceNode):
                    stack.append((child.value, defaults + own, False))
            call = None if lists is TASK_LISTS else find_call(entries)
            if call is not None:
                yield Task(item, entries, call, defaults + own)


def _is_play(entries: Entries) -> bool:
    return any(name in PLAY_KEYS for name in entries)


def _own_defaults(entries: Entries) -> tuple[Node, ...]:
    entry = entries.get("module_defaults")
    return () if entry is None else (entry.value,)


def find_call(entries: Entries) -> ModuleCall | None:
    """Return the ECS task definition module call of a task, if it has one."""
    for name, entry in entries.items():
        if name in MODULE_NAMES:
            return ModuleCall(entry.key, entry.value)
    for name in ACTION_KEYS:
        action = entries.get(name)
        if action is not None and action_module(action.value) in MODULE_NAMES:
            return ModuleCall(action.key, action.value, action=True)
    return None


def action_module(value: Node) -> str | None:
    """Return the module an ``action:`` value names (string or mapping form)."""
    if isinstance(value, ScalarNode):
        words = value.value.split(None, 1)
        return words[0] if words else None
    if isinstance(value, MappingNode):
        for key, item in value.value:
            if scalar(key) == "module":
                return scalar(item)
    return None
