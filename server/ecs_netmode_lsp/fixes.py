"""The edits that set a task's network mode to awsvpc.

Every edit is the smallest change that makes the deciding value ``awsvpc``: a
wrong value is replaced where it is written (keeping its quotes); a missing key
is added to the module's arguments in the style they already use (a block line
with the sibling keys' indentation and the file's line break, an entry inside
flow braces, or ``network_mode=awsvpc`` in free-form text).  A value that came in
through a ``<<`` merge key is overridden in the task itself, so the shared anchor
and its other users stay as they are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecs_netmode_lsp.rule import RECOMMENDED
from ecs_netmode_lsp.source import Edit, Source, Span

if TYPE_CHECKING:
    from ecs_netmode_lsp.ansible import Mappings, Task

ENTRY = f"network_mode: {RECOMMENDED}"
KEY_EQ = f"network_mode={RECOMMENDED}"
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PROPERTIES = re.compile(r"(?:(?:[&!]\S*|\?)[ \t]+)+\Z")
_COLON = re.compile(r"(?:\s|#[^\r\n]*)*:")
"""The ``:`` after a key, past any line breaks and comments (explicit keys)."""
VALUE_TAGS = frozenset({"tag:yaml.org,2002:str", "!unsafe"})
"""Tags under which the text awsvpc is the string awsvpc."""


def _edit(span: Span, new_text: str) -> Edit:
    return Edit(span, new_text)


def replace(
    source: Source, node: Node | None, span: Span, key: Node | None = None
) -> Edit:
    """Replace the value written at ``span`` with awsvpc, keeping its quotes."""
    if isinstance(node, (MappingNode, SequenceNode)) and key is not None:
        return _indented(source, key, _replace_tagged(source, node, span))
    if node is not None and str(node.tag) not in VALUE_TAGS:
        return _replace_tagged(source, node, span)
    written = source.text[span.start : span.end]
    if span.start == span.end:
        before = source.text[span.start - 1 : span.start]
        return _edit(span, f" {RECOMMENDED}" if before == ":" else RECOMMENDED)
    quote = written[0]
    if quote in "'\"" and written.endswith(quote) and len(written) > 1:
        return _edit(span, f"{quote}{RECOMMENDED}{quote}")
    return _edit(span, RECOMMENDED)


def _indented(source: Source, key: Node, edit: Edit) -> Edit:
    # A block list may be written at its key's own indentation; the scalar that
    # takes its place must be indented deeper than the key to stay its value.
    lines = source.lines
    start = edit.span.start
    line_start = lines.start(lines.line_of(start))
    if source.text[line_start:start].strip():
        return edit
    key_start = _before_properties(source, source.node_span(key).start)
    key_column = key_start - lines.start(lines.line_of(key_start))
    column = start - line_start
    if column > key_column:
        return edit
    return Edit(edit.span, " " * (key_column + 2 - column) + edit.new_text)


def fill_empty(source: Source, key: Node, value: Node) -> Edit:
    """Write awsvpc as the value of ``key``, which has none or only an anchor or tag.

    Parsers disagree on where an empty value starts (after the colon, or at the
    next token), so the edit goes after the key's colon and the value's own
    anchor or tag, if it has them; a key written without a colon gets one.
    """
    text = source.text
    key_end = key.end_mark.index + source.shift
    colon = _COLON.match(text, key_end)
    if colon is None:
        return _add_colon(source, key, key_end)

    start = value.start_mark.index + source.shift
    end = value.end_mark.index + source.shift
    written = text[start:end].rstrip()
    if start < colon.end() or not written.startswith(("&", "!")):
        return _edit(_at(colon.end()), f" {RECOMMENDED}")
    properties = Span(start, start + len(written))
    if str(value.tag) in VALUE_TAGS:
        return _edit(_at(properties.end), f" {RECOMMENDED}")
    anchors = [token for token in written.split() if token.startswith("&")]
    return _edit(properties, " ".join([*anchors, RECOMMENDED]))


def _add_colon(source: Source, key: Node, key_end: int) -> Edit:
    # "? network_mode" (explicit key) or "{network_mode}" (flow key alone):
    # an explicit key must lose its "?", or the value would nest in the key.
    start = key.start_mark.index + source.shift
    before = source.text[:start].rstrip()
    if before.endswith("?"):
        question = len(before) - 1
        written = source.text[question + 1 : key_end].strip()
        return _edit(Span(question, key_end), f"{written}: {RECOMMENDED}")
    return _edit(_at(key_end), f": {RECOMMENDED}")


def _replace_tagged(source: Source, node: Node, span: Span) -> Edit:
    # A custom tag (!vault, !Ref) would still make the value something other
    # than the string awsvpc: drop the tag, keep any anchor for its aliases.
    start = _before_properties(source, node.start_mark.index + source.shift)
    properties = source.text[start : span.start].split()
    anchors = [token for token in properties if token.startswith("&")]
    return _edit(Span(start, span.end), " ".join([*anchors, RECOMMENDED]))


def add_key(source: Source, task: Task, mappings: Mappings) -> Edit | None:
    """Add network_mode: awsvpc to the task's module arguments."""
    call = task.call
    target = call.arguments
    owner: Node = call.key
    args = task.entries.get("args")
    if _is_null(target) and args is not None and isinstance(args.value, MappingNode):
        # The arguments live under args: keep them together.
        target, owner = args.value, args.key

    if source.is_alias_value(owner, target):
        return _wrap_alias(source, owner)
    if isinstance(target, MappingNode):
        return _into_mapping(source, owner, target)
    if _is_null(target):
        return _nested(source, task, owner, target)
    if isinstance(target, ScalarNode):
        return _edit(_at(scalar_content(source, target).end), f" {KEY_EQ}")
    return None


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and not node.style and node.value in NULLS


def _at(offset: int) -> Span:
    return Span(offset, offset)


def _wrap_alias(source: Source, owner: Node) -> Edit | None:
    alias = source.alias_after(owner)
    if alias is None:
        return None
    written = source.text[alias.start : alias.end]
    return _edit(alias, f"{{<<: {written}, {ENTRY}}}")


def _into_mapping(source: Source, owner: Node, mapping: MappingNode) -> Edit:
    if mapping.flow_style or not mapping.value:
        return _into_flow(source, mapping)

    lines = source.lines
    first = source.node_span(mapping.value[0][0]).start
    owner_line = lines.line_of(source.node_span(owner).end)
    at = lines.start(owner_line + 1) if owner_line + 1 < lines.count else first
    if at > first:
        at = lines.start(lines.line_of(first))
    indent = source.indent_of(_before_properties(source, first))
    text = f"{indent}{ENTRY}{lines.line_break(owner_line)}"
    return _edit(_at(at), text)


def _before_properties(source: Source, key_start: int) -> int:
    """Return where a node begins when its anchor and tag (``&a``, ``!!str``) count.

    A key's mark starts after its properties and after the ``?`` of an explicit
    key (the mapping's indentation is the column of the first of them), and
    libyaml starts a node with a tag and then an anchor at the anchor.
    """
    line_start = source.lines.start(source.lines.line_of(key_start))
    prefix = source.text[line_start:key_start]
    match = _PROPERTIES.search(prefix)
    return key_start if match is None else line_start + match.start()


def _into_flow(source: Source, mapping: MappingNode) -> Edit:
    close = mapping.end_mark.index + source.shift - 1
    if not mapping.value:
        return _edit(_at(close), ENTRY)
    # Write after the last entry, not before the brace: a comment may sit
    # between them, and it would swallow the new entry.
    end = _last_entry_end(source, mapping)
    after = end
    while after < close and source.text[after] in " \t":
        after += 1
    if source.text[after] == ",":
        return _edit(_at(after + 1), f" {ENTRY}")
    return _edit(_at(end), f", {ENTRY}")


def _last_entry_end(source: Source, mapping: MappingNode) -> int:
    key, value = mapping.value[-1]
    end = source.node_span(key).end
    if source.is_alias_value(key, value):
        alias = source.alias_after(key)
        return end if alias is None else alias.end
    if _is_null(value) and not source.node_span(value).end > end:
        return end
    return max(end, source.value_span(value).end)


def _nested(source: Source, task: Task, owner: Node, null: Node) -> Edit:
    span = source.node_span(null)
    if span.end > span.start:
        return _edit(span, f"{{{ENTRY}}}")
    if task.node.flow_style:
        return _edit(span, f" {{{ENTRY}}}")

    lines = source.lines
    key_start = source.node_span(owner).start
    line = lines.line_of(key_start)
    indent = source.indent_of(key_start) + "  "
    text = f"{lines.line_break(line)}{indent}{ENTRY}"
    return _edit(_at(lines.line_end(line)), text)


def scalar_content(source: Source, node: ScalarNode) -> Span:
    """Return the span of a scalar's text, inside its quotes or block header."""
    span = source.node_span(node)
    if node.style in ("'", '"'):
        return Span(span.start + 1, max(span.start + 1, span.end - 1))
    if node.style in ("|", ">"):
        header_end = source.lines.line_end(source.lines.line_of(span.start))
        body = source.text[header_end : span.end]
        return Span(header_end + len(body) - len(body.lstrip()), span.end)
    return span


def suppress(source: Source, span: Span, keyword: str) -> Edit:
    """Add an ``ignore-line`` comment above the line where ``span`` starts."""
    return _comment_above(source, span.start, f"{keyword} ignore-line")


def suppression(
    source: Source, span: Span, within: Span | None, task: Span, keyword: str
) -> tuple[str, Edit]:
    """Return the suppression comment for a finding and the edit that writes it.

    A value on a continuation line of a multi-line scalar has no line above it
    where a comment could go (it would become part of the scalar), so the whole
    task is suppressed with ``ignore-block`` instead.
    """
    lines = source.lines
    if within is not None and lines.line_of(within.start) < lines.line_of(span.start):
        command = f"{keyword} ignore-block"
        return command, _comment_above(source, task.start, command)
    command = f"{keyword} ignore-line"
    return command, _comment_above(source, span.start, command)


def _comment_above(source: Source, offset: int, command: str) -> Edit:
    lines = source.lines
    line = lines.line_of(offset)
    start = lines.start(line)
    if start == 0 and source.text.startswith("\ufeff"):
        # The byte order mark stays the first character of the file.
        start = 1
    content = source.text[start : lines.line_end(line)]
    indent = content[: len(content) - len(content.lstrip(" \t"))]
    comment = f"{indent}# {command}{lines.line_break(line)}"
    return _edit(_at(start), comment)
