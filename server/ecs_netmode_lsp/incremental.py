"""Re-analysis of an edited document that parses only what the edit touched.

A task file or playbook is a list at column 0: every top-level entry (a play,
or a task of a role's task file) starts with ``-`` at the start of a line and
runs to the next such line or document marker.  Those entries are the chunks
here.  When an edit stays inside one entry, that entry's new text is composed on
its own and judged; the findings of every other entry are kept, moved by the
edit's length.  The result is identical to a full analysis because an entry is
judged without looking outside it, as long as its aliases name anchors of its
own and no other entry uses an anchor it defines.  Anything else (an edit
across entries or on an entry's first characters, aliases across entries, a
document that is not such a list, a parse error, a BOM or a ``%`` directive)
takes the full analysis.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from ruamel.yaml.nodes import Node, SequenceNode

from ecs_netmode_lsp import suppression
from ecs_netmode_lsp.analysis import (
    Analysis,
    Finding,
    Options,
    finish,
    judge_documents,
    prepare,
)
from ecs_netmode_lsp.source import Source, Span
from ecs_netmode_lsp.text import LineIndex
from ecs_netmode_lsp.yamlsource import ParseProblem, compose, gc_paused

_BOUNDARY = re.compile(r"^(?:-|---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)
_ENTRY = re.compile(r"-(?=[ \t\r\n]|$)")
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")


class Chunk(NamedTuple):
    """One top-level entry of the text, with what was found in it.

    A tuple, not a dataclass: every edit moves every later chunk, and a file
    can hold hundreds of thousands of them.
    """

    start: int
    end: int
    entry: bool
    """True for a list entry (``-``); False for headers and document markers."""

    anchors: frozenset[str] = frozenset()
    """Names that look like anchors defined here (``&name``)."""

    aliases: frozenset[str] = frozenset()
    """Names that look like aliases used here (``*name``, ``<<: *name``)."""

    findings: tuple[Finding, ...] = ()
    tasks: tuple[Span, ...] = ()

    def shifted(self, delta: int) -> Chunk:
        """Return the chunk moved ``delta`` characters along the text."""
        return Chunk(
            self.start + delta,
            self.end + delta,
            self.entry,
            self.anchors,
            self.aliases,
            tuple(f.shifted(delta) for f in self.findings) if self.findings else (),
            tuple(s.shifted(delta) for s in self.tasks) if self.tasks else (),
        )


_NO_NAMES: frozenset[str] = frozenset()


def _anchors(text: str) -> frozenset[str]:
    # Read from the text, so a "&" or "*" inside a string counts too: that
    # only ever sends an edit to the full analysis, never a wrong result.
    return frozenset(_ANCHOR.findall(text)) if "&" in text else _NO_NAMES


def _aliases(text: str) -> frozenset[str]:
    return frozenset(_ALIAS.findall(text)) if "*" in text else _NO_NAMES


@dataclass(frozen=True)
class DocumentAnalysis:
    """An analysis and the chunks that let the next one be incremental."""

    analysis: Analysis
    options: Options
    chunks: tuple[Chunk, ...] = ()
    uncommented: bool = False
    """True when the text holds no suppression keyword at all."""


def analyze_document(
    text: str,
    options: Options,
    lines: LineIndex | None = None,
    previous: DocumentAnalysis | None = None,
    unchanged: tuple[int, int] | None = None,
) -> DocumentAnalysis:
    """Analyse ``text``, reusing ``previous`` where the edit allows.

    ``unchanged`` gives how many characters at the start and at the end of
    ``text`` are the same as in the previous text.
    """
    if previous is not None and unchanged is not None:
        result = _reanalyze(text, options, lines, previous, unchanged)
        if result is not None:
            return result
    return full(text, options, lines)


def full(text: str, options: Options, lines: LineIndex | None) -> DocumentAnalysis:
    """Analyse the whole text and cut it into chunks for the next edit."""
    plain, suppressions = prepare(text, lines)
    if suppressions.skip_file:
        return DocumentAnalysis(Analysis(source=plain), options)

    with gc_paused():
        composed = compose(text)
        if isinstance(composed, ParseProblem):
            return DocumentAnalysis(Analysis(problem=composed, source=plain), options)
        source = Source(text, composed.shift, plain.lines)
        found, spans = judge_documents(composed.documents, source, options)
        bounds = _bounds(text, composed.documents, composed.shift)
        del composed

    analysis = finish(source, suppressions, found, spans)
    chunks = _chunks(text, bounds, found, spans)
    uncommented = suppressions is suppression.NONE
    return DocumentAnalysis(analysis, options, chunks, uncommented)


def _bounds(text: str, documents: list[Node], shift: int) -> list[int]:
    """Return the chunk starts, or nothing when the layout is not plain."""
    if shift or text.startswith("%"):
        return []
    starts = [match.start() for match in _BOUNDARY.finditer(text)]
    entries = [start for start in starts if _ENTRY.match(text, start)]
    items = []
    for document in documents:
        if not isinstance(document, SequenceNode) or document.flow_style:
            return []
        items += [item.start_mark.index for item in document.value]
    # Each entry line must hold exactly one top-level item, on that line.
    if len(items) != len(entries):
        return []
    for item, entry in zip(items, entries, strict=True):
        if not entry < item < _line_end(text, entry):
            return []
    return starts if starts and starts[0] == 0 else [0, *starts]


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _chunks(
    text: str, bounds: list[int], found: list[Finding], spans: tuple[Span, ...]
) -> tuple[Chunk, ...]:
    if not bounds:
        return ()
    findings: list[list[Finding]] = [[] for _ in bounds]
    tasks: list[list[Span]] = [[] for _ in bounds]
    for finding in found:
        at = bisect.bisect_right(bounds, finding.task_span.start) - 1
        findings[at].append(finding)
    for span in spans:
        tasks[bisect.bisect_right(bounds, span.start) - 1].append(span)

    ends = [*bounds[1:], len(text)]
    chunks = []
    for index, (start, end) in enumerate(zip(bounds, ends, strict=True)):
        part = text[start:end]
        chunks.append(
            Chunk(
                start,
                end,
                bool(_ENTRY.match(part)),
                _anchors(part),
                _aliases(part),
                tuple(findings[index]),
                tuple(tasks[index]),
            )
        )
    return tuple(chunks)


def _reanalyze(
    text: str,
    options: Options,
    lines: LineIndex | None,
    previous: DocumentAnalysis,
    unchanged: tuple[int, int],
) -> DocumentAnalysis | None:
    old = previous.analysis.source.text
    if options != previous.options or not previous.chunks:
        return None
    head, tail = unchanged
    tail = min(tail, len(old) - head, len(text) - head)
    delta = len(text) - len(old)
    index = bisect.bisect_right([c.start for c in previous.chunks], head) - 1
    chunk = previous.chunks[index]
    if not _inside(chunk, head, len(old) - tail):
        return None

    start, end = chunk.start, chunk.end + delta
    entry = text[start:end]
    anchors, aliases = _anchors(entry), _aliases(entry)
    used_elsewhere = frozenset().union(
        *(c.aliases for i, c in enumerate(previous.chunks) if i != index)
    )
    # Aliases must resolve inside the entry, and no other entry may use an
    # anchor the entry defines (or defined): both could change other results.
    if not aliases <= anchors or (anchors | chunk.anchors) & used_elsewhere:
        return None
    judged = _judge_entry(text, start, end, options, lines)
    if judged is None:
        return None

    new_chunk = chunk._replace(
        end=end,
        anchors=anchors,
        aliases=aliases,
        findings=judged[0],
        tasks=judged[1],
    )
    later = tuple(c.shifted(delta) for c in previous.chunks[index + 1 :])
    chunks = (*previous.chunks[:index], new_chunk, *later)
    uncommented = previous.uncommented and not _keyword_near(text, head, tail)
    analysis = _combine(text, lines, chunks, uncommented)
    return DocumentAnalysis(analysis, options, chunks, uncommented)


def _keyword_near(text: str, head: int, tail: int) -> bool:
    """Tell whether a suppression keyword overlaps the edited part of ``text``.

    When the text before the edit held none, this is the only place a new one
    can be, and the whole-text scan for comments can be skipped.
    """
    reach = len(suppression.KEYWORD_MARK) - 1
    window = text[max(0, head - reach) : len(text) - tail + reach]
    return suppression.KEYWORD_MARK in window


def _inside(chunk: Chunk, start: int, end: int) -> bool:
    """Tell whether an edit of ``[start, end)`` leaves the chunk's frame alone."""
    # The entry's dash and the line break that ends it stay untouched.
    return chunk.entry and chunk.start + 1 < start and end < chunk.end


def _judge_entry(
    text: str, start: int, end: int, options: Options, lines: LineIndex | None
) -> tuple[tuple[Finding, ...], tuple[Span, ...]] | None:
    entry = text[start:end]
    if _BOUNDARY.search(entry, 1):
        return None
    with gc_paused():
        composed = compose(entry)
        if isinstance(composed, ParseProblem) or len(composed.documents) != 1:
            return None
        (document,) = composed.documents
        if not isinstance(document, SequenceNode) or len(document.value) != 1:
            return None
        source = Source(text, start, lines)
        found, spans = judge_documents(composed.documents, source, options)
        del composed, document
    return tuple(found), spans


def _combine(
    text: str, lines: LineIndex | None, chunks: tuple[Chunk, ...], uncommented: bool
) -> Analysis:
    if uncommented:
        source, suppressions = Source(text, 0, lines), suppression.NONE
    else:
        source, suppressions = prepare(text, lines)
    found = [finding for chunk in chunks for finding in chunk.findings]
    spans = tuple(span for chunk in chunks for span in chunk.tasks)
    return finish(source, suppressions, found, spans)
