"""A document's text with the helpers that map YAML nodes onto it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecs_netmode_lsp.text import LineIndex

_PROPERTIES = re.compile(r"(?:(?:&[^\s,\[\]{}]+|![^\s,\[\]{}]*)\s+)+")
_ALIAS = re.compile(r"\s*:\s*(\*[^\s,\[\]{}]+)")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range of code point offsets into a document's text."""

    start: int
    end: int

    def shifted(self, delta: int) -> Span:
        """Return the span moved ``delta`` characters along the text."""
        return Span(self.start + delta, self.end + delta)


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``span`` with ``new_text``."""

    span: Span
    new_text: str

    def shifted(self, delta: int) -> Edit:
        """Return the edit moved ``delta`` characters along the text."""
        return Edit(self.span.shifted(delta), self.new_text)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (spans refer to ``text``) and return the result."""
    parts = []
    position = 0
    for edit in sorted(edits, key=lambda edit: edit.span.start):
        parts.append(text[position : edit.span.start])
        parts.append(edit.new_text)
        position = edit.span.end
    parts.append(text[position:])
    return "".join(parts)


class Source:
    """A document's text; node marks are turned into spans here."""

    def __init__(self, text: str, shift: int = 0, lines: LineIndex | None = None):
        self.text = text
        self.shift = shift
        self._lines = lines

    @property
    def lines(self) -> LineIndex:
        """The line index of the text, built on first use."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def node_span(self, node: Node) -> Span:
        """Return where ``node`` is written, without its anchor or tag."""
        start = node.start_mark.index + self.shift
        end = node.end_mark.index + self.shift
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            # A block scalar's end mark lies after its last line break.
            end = start + len(self.text[start:end].rstrip())
        properties = _PROPERTIES.match(self.text, start, end)
        if properties is not None:
            start = properties.end()
        return Span(start, max(start, end))

    def value_span(self, node: Node) -> Span:
        """Return where ``node`` is written, a block collection ending at its content.

        The end mark of a block list or mapping lies at the next token, past the
        line break, the next line's indentation and any comment lines between.
        """
        span = self.node_span(node)
        last = node
        while isinstance(last, (MappingNode, SequenceNode)) and not last.flow_style:
            child = _last_written(last)
            if child is None:
                # Empty, or ending in an alias to a node written earlier.
                end = span.start + len(self.text[span.start : span.end].rstrip())
                return Span(span.start, max(span.start, end))
            last = child
        if last is node:
            return span
        return Span(span.start, max(span.start, self.node_span(last).end))

    def alias_after(self, key: Node) -> Span | None:
        """Return the ``*alias`` written as ``key``'s value, if there is one."""
        key_end = key.end_mark.index + self.shift
        match = _ALIAS.match(self.text, key_end)
        return Span(match.start(1), match.end(1)) if match else None

    def is_alias_value(self, key: Node, value: Node) -> bool:
        """Tell whether ``value`` was written as an alias after ``key``."""
        return bool(value.start_mark.index < key.end_mark.index)

    def indent_of(self, offset: int) -> str:
        """Return spaces as wide as the text before ``offset`` on its line."""
        line = self.lines.line_of(offset)
        return " " * (offset - self.lines.start(line))


def _last_written(node: MappingNode | SequenceNode) -> Node | None:
    """Return the node written last in a collection, unless it is an alias."""
    if not node.value:
        return None
    if isinstance(node, MappingNode):
        key, child = node.value[-1]
        after = key.end_mark.index
        return child if child.start_mark.index >= after else None
    child = node.value[-1]
    before = node.value[-2] if len(node.value) > 1 else None
    after = node.start_mark.index if before is None else before.start_mark.index + 1
    return child if child.start_mark.index >= after else None
