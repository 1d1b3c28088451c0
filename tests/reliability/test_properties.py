"""Property-based tests of the core, in process.

Real files are mutated and YAML-ish snippets are generated; for each text the
analysis must not raise, every span must lie inside the text, and every fix must
apply cleanly, leave YAML that parses, remove its finding and add none.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.invariants import check_text

DATA = Path(__file__).parent / "data"
# tests/fuzz/fuzz_analyze.py --examples N runs these properties at scale.
EXAMPLES = int(os.environ.get("ECS_NETMODE_FUZZ_EXAMPLES", "500"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def corpus() -> dict[str, str]:
    """The copied real and KICS files, by name (see data/NOTICE)."""
    return {
        path.name: path.read_bytes().decode("utf-8")
        for path in sorted(DATA.iterdir())
        if path.suffix in (".yml", ".yaml")
    }


KEYS = (
    "network_mode",
    "community.aws.ecs_taskdefinition",
    "ecs_taskdefinition",
    "block",
    "rescue",
    "tasks",
    "hosts",
    "args",
    "module_defaults",
    "group/aws",
    "<<",
    "state",
    "action",
    "local_action",
    "name",
    "family",
)
VALUES = (
    "bridge",
    "awsvpc",
    "host",
    "'awsvpc'",
    '"bridge"',
    "'{{ mode }}'",
    "~",
    "",
    "[]",
    "{}",
    "&a bridge",
    "*a",
    "!unsafe bridge",
    "!!str host",
    "|\n    bridge",
    ">-\n    awsvpc",
    "network_mode=bridge family=x",
    "ecs_taskdefinition network_mode=host",
    "absent",
)
PIECES = (
    "- ",
    ": ",
    "\n",
    "\r\n",
    "  ",
    "    ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "# c\n",
    "---\n",
    "...\n",
    "&b ",
    "*b",
    "? ",
    "'",
    '"',
    "=",
    "é",
    "🚀",
    "\u2028",
    "\ufeff",
    "\x85",
    "\x00",
    "\ud800",
)


def _line(key: str, value: str, indent: int) -> str:
    return f"{' ' * indent}{key}: {value}\n"


@st.composite
def task_like(draw: st.DrawFn) -> str:
    """Text shaped like Ansible tasks, with random keys, values and noise."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            indent = draw(st.sampled_from((0, 2, 4, 6, 8)))
            parts.append(
                _line(
                    draw(st.sampled_from(KEYS)), draw(st.sampled_from(VALUES)), indent
                )
            )
        elif choice == 1:
            indent = draw(st.sampled_from((0, 2, 4, 6)))
            parts.append(f"{' ' * indent}- {draw(st.sampled_from(KEYS))}:\n")
        elif choice == 2:
            parts.append(draw(st.sampled_from(PIECES)))
        else:
            mode = draw(st.sampled_from(VALUES))
            parts.append(
                "- community.aws.ecs_taskdefinition: "
                f"{{family: x, network_mode: {mode}}}\n"
            )
    return "".join(parts)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real file with a few random deletions, duplications and insertions."""
    text = draw(st.sampled_from(sorted(corpus().values())))
    for _ in range(draw(st.integers(1, 4))):
        size = len(text)
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, min(size, start + 80)))
        operation = draw(st.integers(0, 3))
        if operation == 0:
            text = text[:start] + text[end:]
        elif operation == 1:
            text = text[:end] + text[start:end] + text[end:]
        elif operation == 2:
            text = text[:start] + draw(st.sampled_from(PIECES + VALUES)) + text[start:]
        else:
            text = text[:start] + draw(task_like()) + text[start:]
    return text


def test_corpus_files_hold() -> None:
    """Every copied file, as it is, satisfies the invariants."""
    for text in corpus().values():
        check_text(text)


@PROPERTY
@given(mutated())
def test_mutated_corpus(text: str) -> None:
    """Mutated real files satisfy the invariants."""
    check_text(text)


@PROPERTY
@given(task_like())
def test_task_like_snippets(text: str) -> None:
    """Generated task-like snippets satisfy the invariants."""
    check_text(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    """Any text at all (lone surrogates included) satisfies the invariants."""
    check_text(text)
