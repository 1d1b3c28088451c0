"""From Ansible tasks to findings and their fixes.

This is the rule.  A task that runs ``community.aws.ecs_taskdefinition`` (or its
short name) is judged by the ``network_mode`` that Ansible would pass to the
module, looked up where Ansible looks: the module's own arguments (keys merged
with ``<<`` included, or ``key=value`` free-form text), then the task's ``args``,
then the ``module_defaults`` of its blocks and play.  Anything but the exact
string ``awsvpc`` is a finding, and so is no value at all, because AWS then uses
``bridge``.  A task whose ``state`` is ``absent`` deletes the definition and is
not judged; a task whose arguments are a template cannot be judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecs_netmode_lsp import fixes, freeform, suppression
from ecs_netmode_lsp.ansible import (
    DEFAULTS_KEYS,
    MODULE_DEFAULTS,
    Entry,
    Mappings,
    Task,
    scalar,
    tasks,
)
from ecs_netmode_lsp.fixes import NULLS, VALUE_TAGS
from ecs_netmode_lsp.rule import RECOMMENDED
from ecs_netmode_lsp.source import Edit, Source, Span
from ecs_netmode_lsp.suppression import Suppressions
from ecs_netmode_lsp.text import LineIndex
from ecs_netmode_lsp.yamlsource import ParseProblem, compose, gc_paused

KEY = "network_mode"
MAX_SHOWN = 40


class Kind(str, Enum):
    """What is wrong with a task's network mode."""

    WRONG = "wrong-value"
    TEMPLATED = "templated"
    MISSING = "missing"


@dataclass(frozen=True)
class Finding:
    """One task definition that does not use awsvpc, and how to fix it."""

    kind: Kind
    span: Span
    message: str
    fix: Edit | None
    task_span: Span
    """The whole task, where a suppression comment above it applies."""

    value: str | None = None
    """The current value as written, shortened; None when it is missing."""

    task_name: str | None = None
    """The task's name, where one value is judged for several tasks."""

    within: Span | None = None
    """The free-form scalar the value is written in, which may span lines."""

    def shifted(self, delta: int) -> Finding:
        """Return the finding moved ``delta`` characters along the text."""
        fix = None if self.fix is None else self.fix.shifted(delta)
        within = None if self.within is None else self.within.shifted(delta)
        return replace(
            self,
            span=self.span.shifted(delta),
            fix=fix,
            task_span=self.task_span.shifted(delta),
            within=within,
        )


@dataclass(frozen=True)
class Options:
    """How the rule is applied."""

    flag_missing: bool = True
    """Report tasks without network_mode (AWS then uses bridge)."""


@dataclass(frozen=True)
class Analysis:
    """Everything the rule found in one text."""

    findings: tuple[Finding, ...] = ()
    problem: ParseProblem | None = None
    source: Source = field(default_factory=lambda: Source(""))
    tasks: tuple[Span, ...] = ()
    """Where every in-scope task is written, flagged or not."""


@dataclass(frozen=True)
class _Located:
    """Where the deciding network_mode of a task is written."""

    node: Node | None
    span: Span
    replace: Span | None
    """What the fix replaces; None means the fix adds a key to the task."""

    text: str | None
    origin: str
    within: Span | None = None
    key: Node | None = None
    empty: bool = False
    """The value is empty: the fix writes one after the key's colon."""


def analyze(
    text: str, options: Options | None = None, lines: LineIndex | None = None
) -> Analysis:
    """Parse ``text`` and return the findings of the rule, or the parse problem.

    ``lines`` may pass the text's line index when the caller already has it.
    """
    options = options or Options()
    plain, suppressions = prepare(text, lines)
    if suppressions.skip_file:
        return Analysis(source=plain)

    # The node graph is created and dropped inside one pause of the cyclic
    # collector: a collection over it would cost more than composing it.
    with gc_paused():
        composed = compose(text)
        if isinstance(composed, ParseProblem):
            return Analysis(problem=composed, source=plain)
        source = Source(text, composed.shift, plain.lines)
        found, spans = judge_documents(composed.documents, source, options)
        del composed
    return finish(source, suppressions, found, spans)


def prepare(text: str, lines: LineIndex | None) -> tuple[Source, Suppressions]:
    """Return the text's source and the suppression comments it holds."""
    plain = Source(text, 0, lines)
    return plain, suppression.read(text, plain.lines)


def judge_documents(
    documents: list[Node], source: Source, options: Options
) -> tuple[list[Finding], tuple[Span, ...]]:
    """Judge every in-scope task of composed documents."""
    mappings = Mappings()
    judge = _Judge(source, mappings, options)
    in_scope = list(tasks(documents, mappings))
    found = [judge.task(task) for task in in_scope]
    spans = tuple(sorted(source.node_span(task.node) for task in in_scope))
    return [finding for finding in found if finding is not None], spans


def finish(
    source: Source,
    suppressions: Suppressions,
    found: Iterable[Finding],
    spans: tuple[Span, ...],
) -> Analysis:
    """Drop suppressed findings and put the analysis together."""
    kept = (f for f in found if not _hidden(f, suppressions, source))
    return Analysis(findings=_unique(kept), source=source, tasks=spans)


def _hidden(finding: Finding, suppressions: Suppressions, source: Source) -> bool:
    if suppressions is suppression.NONE:
        return False
    line = source.lines.line_of(finding.span.start)
    task_line = source.lines.line_of(finding.task_span.start)
    return suppressions.hides(line, task_line)


def fix_all(findings: Iterable[Finding]) -> list[Edit]:
    """Return the findings' fixes in text order, without duplicates or overlaps."""
    edits = sorted(
        {finding.fix for finding in findings if finding.fix is not None},
        key=lambda edit: (edit.span.start, edit.span.end),
    )
    kept: list[Edit] = []
    for edit in edits:
        if kept and edit.span.start < kept[-1].span.end:
            continue
        kept.append(edit)
    return kept


def _unique(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    # A wrong module default is one finding, however many tasks inherit it.
    unique = {(f.span, f.kind, f.fix): f for f in findings}
    return tuple(sorted(unique.values(), key=lambda finding: finding.span.start))


class _Judge:
    """Judges tasks of one document."""

    def __init__(self, source: Source, mappings: Mappings, options: Options) -> None:
        self.source = source
        self.mappings = mappings
        self.options = options

    def task(self, task: Task) -> Finding | None:
        """Return the finding for one in-scope task, if it has one."""
        if self._lookup(task, "state") == "absent":
            return None

        located = self._locate(task)
        if located is None:
            return self._missing(task)

        problem = describe(located.node, located.text)
        if problem is None:
            return None
        kind, shown = problem
        return Finding(
            kind=kind,
            span=located.span,
            message=_message(kind, shown, located.origin, _name(task)),
            fix=self._fix(task, located),
            task_span=self.source.node_span(task.node),
            value=shown,
            within=located.within,
            task_name=_name(task),
        )

    def _missing(self, task: Task) -> Finding | None:
        if not self.options.flag_missing or self._unknowable(task):
            return None
        if isinstance(task.call.arguments, SequenceNode):
            # A list is no argument form Ansible accepts; nothing to judge.
            return None
        name = task.entries.get("name")
        anchor = name.value if name and isinstance(name.value, ScalarNode) else None
        span = self.source.node_span(anchor or task.call.key)
        if span.start == span.end:
            # An empty name has no text to mark: the module key has.
            span = self.source.node_span(task.call.key)
        return Finding(
            kind=Kind.MISSING,
            span=span,
            message=_message(Kind.MISSING, None, "module", None),
            fix=fixes.add_key(self.source, task, self.mappings),
            task_span=self.source.node_span(task.node),
        )

    def _fix(self, task: Task, located: _Located) -> Edit | None:
        if located.replace is None:
            return fixes.add_key(self.source, task, self.mappings)
        if located.empty and located.key is not None and located.node is not None:
            return fixes.fill_empty(self.source, located.key, located.node)
        return fixes.replace(self.source, located.node, located.replace, located.key)

    def _locate(self, task: Task) -> _Located | None:
        arguments = task.call.arguments
        own = self._from_arguments(arguments, "module")
        if own is not None and self.source.is_alias_value(task.call.key, arguments):
            # The arguments are a shared anchor: override in the task instead.
            return _Located(own.node, own.span, None, own.text, "alias")
        if own is not None:
            return own
        args = task.entries.get("args")
        if args is not None:
            from_args = self._from_arguments(args.value, "args")
            if from_args is not None:
                return from_args
        return self._from_defaults(task)

    def _from_arguments(self, node: Node, origin: str) -> _Located | None:
        if isinstance(node, MappingNode):
            entry = self.mappings.entries(node).get(KEY)
            return None if entry is None else self._from_entry(entry, origin)
        if isinstance(node, ScalarNode) and node.value not in NULLS:
            return self._from_free_form(node)
        return None

    def _from_entry(self, entry: Entry, origin: str) -> _Located:
        value = entry.value
        text = scalar(value)
        if entry.merged:
            span = self.source.value_span(value)
            return _Located(value, span, None, text, "merge")
        if self.source.is_alias_value(entry.key, value):
            alias = self.source.alias_after(entry.key)
            span = alias or self.source.node_span(entry.key)
            return _Located(value, span, span, text, origin)
        if isinstance(value, ScalarNode) and value.value == "" and not value.style:
            # An empty value has no text to point at: point at the key and
            # let the fix write the value after the key's colon.
            key_span = self.source.node_span(entry.key)
            return _Located(
                value, key_span, key_span, text, origin, key=entry.key, empty=True
            )
        span = self.source.value_span(value)
        return _Located(value, span, span, text, origin, key=entry.key)

    def _from_free_form(self, node: ScalarNode) -> _Located | None:
        content = fixes.scalar_content(self.source, node)
        raw = self.source.text[content.start : content.end]
        argument = freeform.arguments(raw, content.start).get(KEY)
        if argument is None:
            return None
        span = argument.value
        shown_span = span if span.end > span.start else Span(span.start - 1, span.start)
        within = self.source.node_span(node)
        return _Located(None, shown_span, span, argument.text, "free-form", within)

    def _from_defaults(self, task: Task) -> _Located | None:
        found: _Located | None = None
        for value in self._applied_defaults(task):
            if isinstance(value, MappingNode):
                entry = self.mappings.entries(value).get(KEY)
                if entry is not None:
                    found = self._from_entry(entry, "defaults")
            elif isinstance(value, ScalarNode) and is_template(value.value):
                # A template may or may not set network_mode: nothing is known.
                found = None
        return found

    def _applied_defaults(self, task: Task) -> list[Node]:
        """Return the module_defaults values Ansible applies, in the order it does.

        Ansible merges every level (play first, innermost block last) into one
        mapping, an inner entry replacing an outer one as a whole, then applies
        the group's entry and after it the module's own: the module's default
        wins over the group's wherever each was written.
        """
        merged: dict[str, Node] = {}
        for defaults in task.defaults:
            for mapping in _defaults_mappings(defaults):
                for name, entry in self.mappings.entries(mapping).items():
                    if name in DEFAULTS_KEYS:
                        merged[DEFAULTS_KEYS[name]] = entry.value
        # Groups in the merged order (a replaced entry keeps its place), then
        # the module's own.
        applied = [node for name, node in merged.items() if name != MODULE_DEFAULTS]
        own = merged.get(MODULE_DEFAULTS)
        return applied if own is None else [*applied, own]

    def _lookup(self, task: Task, key: str) -> str | None:
        """Return an argument's text as the module gets it, defaults included."""
        for node in (task.call.arguments, _value(task.entries.get("args"))):
            if isinstance(node, MappingNode):
                entry = self.mappings.entries(node).get(key)
                if entry is not None:
                    return scalar(entry.value)
            elif isinstance(node, ScalarNode):
                argument = freeform.arguments(node.value).get(key)
                if argument is not None:
                    return argument.text
        for node in reversed(self._applied_defaults(task)):
            if isinstance(node, MappingNode):
                entry = self.mappings.entries(node).get(key)
                if entry is not None:
                    return scalar(entry.value)
        return None

    def _unknowable(self, task: Task) -> bool:
        """Tell whether a template could supply the missing network_mode."""
        candidates = [task.call.arguments, _value(task.entries.get("args"))]
        candidates += [*task.defaults, *self._applied_defaults(task)]
        return any(
            isinstance(node, ScalarNode) and is_template(node.value)
            for node in candidates
        )


def _value(entry: Entry | None) -> Node | None:
    return None if entry is None else entry.value


def _defaults_mappings(node: Node) -> list[MappingNode]:
    # module_defaults is a mapping, or a list of mappings applied in order.
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [item for item in node.value if isinstance(item, MappingNode)]
    return []


def is_template(text: str) -> bool:
    """Tell whether ``text`` holds Jinja that Ansible would render."""
    return "{{" in text or "{%" in text


def describe(node: Node | None, text: str | None) -> tuple[Kind, str] | None:
    """Return what is wrong with a network_mode value, or None if it is awsvpc."""
    if node is not None and not isinstance(node, ScalarNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
        return Kind.WRONG, kind
    tag = str(node.tag) if node is not None else "tag:yaml.org,2002:str"
    if text == RECOMMENDED and tag in VALUE_TAGS:
        return None
    if tag == "!vault":
        return Kind.WRONG, "an encrypted !vault value"
    plain = node is None or not node.style
    if text is None or (plain and text in NULLS):
        return Kind.WRONG, "empty"
    if is_template(text):
        return Kind.TEMPLATED, shorten(text)
    return Kind.WRONG, shown_value(text)


def shown_value(value: str) -> str:
    """Quote a wrong value for a message, its blanks kept and breaks escaped.

    A value that differs from awsvpc only in blanks (" awsvpc", "awsvpc\\n")
    must not read as 'awsvpc'.
    """
    escaped = value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(escaped) > MAX_SHOWN:
        escaped = escaped[: MAX_SHOWN - 1] + "…"
    return f"'{escaped}'"


def shorten(text: str) -> str:
    """Quote ``text`` for a message, on one line and at most MAX_SHOWN long."""
    flat = " ".join(text.split())
    if len(flat) > MAX_SHOWN:
        flat = flat[: MAX_SHOWN - 1] + "…"
    return f"'{flat}'"


def _name(task: Task) -> str | None:
    entry = task.entries.get("name")
    return None if entry is None else scalar(entry.value)


def _message(kind: Kind, shown: str | None, origin: str, task: str | None) -> str:
    # A shared anchor's value can be flagged once per task that uses it: name
    # the task so the messages say which is which.
    of_task = f" of task {shorten(task)}" if task else ""
    where = {
        "merge": f" (merged in with << into the arguments{of_task})",
        "alias": f" (from the anchored arguments{of_task})",
        "defaults": " (from module_defaults)",
        "args": " (in args)",
    }.get(origin, "")
    if kind is Kind.MISSING:
        return (
            "ECS task definition has no network_mode, so AWS uses 'bridge'. "
            "Set network_mode: awsvpc to give each task its own network "
            "interface and security groups."
        )
    if kind is Kind.TEMPLATED:
        return (
            f"ECS task definition network_mode is the template {shown}{where}; "
            "it must render to 'awsvpc', which cannot be checked here. "
            "Set network_mode: awsvpc."
        )
    if shown == "empty":
        return (
            f"ECS task definition network_mode is empty{where}, so AWS uses "
            "'bridge'. Set network_mode: awsvpc."
        )
    return (
        f"ECS task definition uses network_mode {shown}{where}. Set it to "
        "'awsvpc' to give each task its own network interface and security "
        "groups."
    )
