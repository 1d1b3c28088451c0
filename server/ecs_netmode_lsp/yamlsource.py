"""Composing YAML text into nodes with source marks.

Only composition happens here: no Python objects are constructed from tags and no
template is evaluated, so a hostile document cannot run code.  Aliases stay shared
node objects (never expanded), which keeps alias bombs as small as their text.

The libyaml-backed parser of ``ruamel.yaml.clib`` is used when it imports; the
pure-Python parser of ``ruamel.yaml`` is the fallback, and also handles the one
thing libyaml refuses that YAML allows: an anchor name defined twice.

Both parsers recurse once per nesting level and take time quadratic in the depth
of flow collections, so a text whose flow collections may nest deeper than
``MAX_FLOW_DEPTH``, or whose collections of any kind may nest deeper than
``MAX_DEPTH``, is refused before parsing; one that may be deeper than
``INLINE_DEPTH`` is composed on a thread with a stack for ``MAX_DEPTH`` levels.
"""

from __future__ import annotations

import gc
import itertools
import logging
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.main import YAML
from ruamel.yaml.nodes import Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

log = logging.getLogger(__name__)

PLAIN_TAG = "tag:yaml.org,2002:str"
"""The tag every untagged node gets: the rule compares text, not resolved types."""

BOM = "\ufeff"

MAX_FLOW_DEPTH = 20_000
"""Deepest flow nesting analysed: up to about five seconds of parsing."""

MAX_DEPTH = 200_000
"""Deepest nesting of any kind analysed: well within ``DEEP_STACK``."""

INLINE_DEPTH = 2_000
"""Deepest nesting composed on the caller's stack (libyaml needs ~300 B a level)."""

DEEP_STACK = 256 * 1024 * 1024
"""Stack of the thread that composes deeper texts: virtual, paid for as used."""

MAX_MESSAGE = 200
"""Longest parser message shown: the pure parser quotes whole alias names and tags."""

_BRACKETS = b"[]{}"
_OTHER_BYTES = bytes(byte for byte in range(256) if byte not in _BRACKETS)
_BRACKET_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_BLOCK_RUN = INLINE_DEPTH // 2
_PREFIX_BYTES = b" \t?-"
_PREFIX_MARK = bytes.maketrans(_PREFIX_BYTES, b"\x00" * len(_PREFIX_BYTES))
_LONG_PREFIX = b"\n" + b"\x00" * _BLOCK_RUN
_PREFIXES = re.compile(rb"^\x00+", re.MULTILINE)


@dataclass(frozen=True)
class ParseProblem:
    """Why a text is not YAML, and where (a code point offset into the text)."""

    offset: int
    message: str


@dataclass(frozen=True)
class Composed:
    """The documents of a YAML stream and the offset of their marks in the text."""

    documents: list[Node]
    shift: int
    """Added to a mark's index to get an offset: 1 when a BOM was stripped."""


class _FixedResolver:
    """Give every untagged node the same tag.

    Resolving implicit tags runs a regular expression per scalar and is the
    largest share of composing time; the rule only ever compares scalar text.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return PLAIN_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


class _PureResolver(_FixedResolver, VersionedResolver):
    """The fixed resolver in the shape ruamel.yaml's pure-Python loader wants."""

    _TAG = Tag(suffix=PLAIN_TAG)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        return self._TAG


def _pure_yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Resolver = _PureResolver
    return yaml


def _load_c_composer() -> type | None:
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:
        return None
    return type("_CComposer", (_FixedResolver, CParser), {})


_CComposer = _load_c_composer()
if _CComposer is None:
    log.info("ruamel.yaml.clib is not available; using the pure-Python YAML parser")


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, across threads, for the block.

    Composing allocates one object per node and the collector's generation-0
    passes over the growing graph cost about four fifths of composing time.
    Nodes form no reference cycles, so reference counting frees them anyway.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def compose(text: str) -> Composed | ParseProblem:
    """Compose every document of ``text``, or say why it is not YAML."""
    shift = 1 if text.startswith(BOM) else 0
    body = text[shift:]
    flow = _flow_bound(body)
    if flow > MAX_FLOW_DEPTH:
        return ParseProblem(
            0, _too_deep("flow collections ([...], {...})", MAX_FLOW_DEPTH)
        )
    depth = flow + _block_bound(body)
    if depth > MAX_DEPTH:
        return ParseProblem(0, _too_deep("collections", MAX_DEPTH))
    try:
        with gc_paused():
            if depth <= INLINE_DEPTH:
                return Composed(_compose_all(body), shift)
            return Composed(_on_deep_stack(body), shift)
    except MarkedYAMLError as error:
        return _marked_problem(error, shift)
    except ReaderError as error:
        return ParseProblem(_reader_offset(body, error) + shift, _reader_message(error))
    except UnicodeEncodeError as error:
        return ParseProblem(error.start + shift, "the text holds a lone surrogate")
    except RecursionError:
        return ParseProblem(0, "the YAML is nested too deeply to analyse")
    except YAMLError as error:
        return ParseProblem(0, _brief(str(error).splitlines()[0]))


def _too_deep(what: str, limit: int) -> str:
    return f"the YAML nests {what} more than {limit:,} levels deep; not analysed"


def _flow_bound(body: str) -> int:
    """Bound how deep flow collections nest: the deepest run of open brackets.

    Brackets inside quotes and comments count too; in real files they are few
    and mostly balanced.
    """
    opens = body.count("[") + body.count("{")
    if opens <= INLINE_DEPTH:
        return opens
    raw = body.encode("utf-8", "surrogatepass")
    steps = raw.translate(_BRACKET_STEP, _OTHER_BYTES)
    # Each bracket adds one level or takes one away; the deepest prefix is the bound.
    return max(itertools.accumulate(step if step < 128 else -1 for step in steps))


def _block_bound(body: str) -> int:
    """Bound how deep block collections nest.

    A block collection starts on its line after indentation or after ``- `` or
    ``? ``, one column or more deeper than its parent.  A sequence may sit at
    its mapping's column, but what it holds starts two columns on, after
    ``- ``: so a level costs a column, and the longest line prefix of those
    characters, plus two, bounds the depth.
    """
    marked = b"\n" + body.encode("utf-8", "surrogatepass").translate(_PREFIX_MARK)
    if marked.find(_LONG_PREFIX) < 0:
        return _BLOCK_RUN + 1
    return max(len(run) for run in _PREFIXES.findall(marked)) + 2


def _on_deep_stack(body: str) -> list[Node]:
    """Compose on a new thread whose stack holds ``MAX_DEPTH`` levels."""
    outcome: list[list[Node] | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_compose_all(body))
        except BaseException as error:  # re-raised on the calling thread
            outcome.append(error)

    with _stack_lock:
        previous = threading.stack_size(DEEP_STACK)
        try:
            worker = threading.Thread(target=run, name="compose-deep")
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


_stack_lock = threading.Lock()


def _compose_all(body: str) -> list[Node]:
    if _CComposer is not None:
        try:
            return _drain(_CComposer(body))
        except MarkedYAMLError as error:
            # libyaml rejects a re-defined anchor; YAML allows it (an alias
            # names the latest definition), so let the pure parser decide.
            if "duplicate anchor" not in str(error):
                raise
    with warnings.catch_warnings():
        # The re-defined anchor that brought us here is legal YAML.
        warnings.simplefilter("ignore")
        return [_kept(node) for node in _pure_yaml().compose_all(body)]


def _drain(composer: Any) -> list[Node]:
    documents = []
    try:
        while composer.check_node():
            documents.append(_kept(composer.get_node()))
    finally:
        composer.dispose()
    return documents


OTHER_DOCUMENT = ScalarNode(PLAIN_TAG, "")
"""Stands in for every document that is not a sequence, which holds no task.

Keeping them cost memory for nothing: 2.5 million ``---`` took a gigabyte.
"""


def _kept(document: Node) -> Node:
    return document if isinstance(document, SequenceNode) else OTHER_DOCUMENT


def _marked_problem(error: MarkedYAMLError, shift: int) -> ParseProblem:
    mark = error.problem_mark or error.context_mark
    offset = mark.index + shift if mark is not None else 0
    parts = [error.context, error.problem]
    message = "; ".join(part for part in parts if part) or "invalid YAML"
    return ParseProblem(offset, _brief(message))


def _brief(message: str) -> str:
    """Return ``message`` on one line and at most ``MAX_MESSAGE`` characters."""
    flat = " ".join(message.split())
    if len(flat) > MAX_MESSAGE:
        flat = flat[: MAX_MESSAGE - 1] + "…"
    return flat


def _reader_offset(body: str, error: ReaderError) -> int:
    # libyaml counts bytes of UTF-8 and the pure reader code points; both stop
    # at the first forbidden character, and YAML forbids it everywhere.
    character = error.character
    if isinstance(character, int):
        found = body.find(chr(character))
        if found >= 0:
            return found
    return min(int(error.position), len(body))


def _reader_message(error: ReaderError) -> str:
    character = error.character
    if isinstance(character, int):
        return f"the character U+{character:04X} is not allowed in YAML"
    return "the text holds a character that is not allowed in YAML"
