"""Incremental re-analysis gives exactly what a full analysis gives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecs_netmode_lsp.analysis import Analysis, Options, analyze
from ecs_netmode_lsp.incremental import DocumentAnalysis, analyze_document

DATA = Path(__file__).parent.parent / "data"
BASES = [
    (DATA / "corpus" / "files" / name).read_bytes().decode()
    for name in (
        "016_community-aws-20-ecs-service.yml",
        "019_community-aws-full-test-merge-keys.yml",
        "015_ansible-ecs-network-fail-playbook.yml",
        "003_datalogics-ecs-role-tasks.yml",
    )
] + [
    (DATA / "kics" / "positive.yaml").read_text(),
    (DATA / "fixes" / "missing-flow.before.yml").read_text(),
    # Plays that each define and use their own anchors, and one that shares.
    "".join(
        f"- hosts: h{n}\n  vars:\n    base{n}: &base{n} {{family: f{n}}}\n"
        f"  tasks:\n    - name: t{n}\n      ecs_taskdefinition:\n"
        f"        <<: *base{n}\n        network_mode: host\n"
        f"    - ecs_taskdefinition: {{<<: *base{n}}}\n"
        for n in range(4)
    )
    + "- hosts: last\n  tasks:\n    - ecs_taskdefinition: *base0\n",
]
PIECES = [
    "a",
    " ",
    "\n",
    "- ",
    ":",
    "host",
    "awsvpc",
    "network_mode: ",
    "#",
    "'",
    '"',
    "{",
    "}",
    "&x ",
    "*x",
    "\n- name: n\n",
    "\n---\n",
    "ecs_taskdefinition:",
    "  ",
    "\t",
    "🚀",
    "state: absent",
    "{{ v }}",
    "\r\n",
    # Suppression comments, whole and typed in pieces that join across edits.
    "# dd-iac-scan ignore-line\n",
    "# kics-scan ignore-block\n",
    "# dd-iac",
    "-sc",
    "an",
    " ignore-line",
]


def unchanged(old: str, new: str) -> tuple[int, int]:
    """Count the characters two texts share at their start and end."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def same(left: Analysis, right: Analysis) -> bool:
    return (left.findings, left.problem, left.tasks) == (
        right.findings,
        right.problem,
        right.tasks,
    )


edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.integers(0, 12),
        st.lists(st.sampled_from(PIECES), max_size=3).map("".join),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASES), edits, st.booleans())
def test_incremental_matches_full(base: str, changes, flag_missing: bool) -> None:
    options = Options(flag_missing=flag_missing)
    current = analyze_document(base, options)
    text = base
    for where, length, insert in changes:
        start = int(where * len(text))
        new = text[:start] + insert + text[start + length :]
        result = analyze_document(
            new, options, previous=current, unchanged=unchanged(text, new)
        )
        assert same(result.analysis, analyze(new, options))
        text, current = new, result


def test_an_edit_inside_a_task_is_incremental() -> None:
    base = BASES[0]
    first = analyze_document(base, Options())
    assert len(first.chunks) > 5
    at = base.index("family:", 2000)
    new = base[:at] + "x" + base[at:]

    result = analyze_document(
        new, Options(), previous=first, unchanged=unchanged(base, new)
    )

    assert same(result.analysis, analyze(new))
    # Entries before the edit are the very same objects: nothing recomposed.
    assert result.chunks[0] is first.chunks[0]
    assert len(result.chunks) == len(first.chunks)


def test_previous_of_another_setting_is_not_reused() -> None:
    text = "- ecs_taskdefinition: {family: a}\n- ecs_taskdefinition: {family: b}\n"
    first: DocumentAnalysis = analyze_document(text, Options(flag_missing=False))
    result = analyze_document(
        text, Options(), previous=first, unchanged=(len(text), len(text))
    )
    assert len(result.analysis.findings) == 2


PLAYS = "".join(
    f"- hosts: h{n}\n  tasks:\n    - name: t{n}\n      ecs_taskdefinition:\n"
    f"        family: f{n}\n        network_mode: host\n"
    for n in range(3)
)


def test_a_suppression_typed_in_pieces_is_seen() -> None:
    """A comment keyword completed by a later edit hides the finding below it."""
    at = PLAYS.index("        network_mode", PLAYS.index("h1"))
    steps = ["        # dd-iac-sc\n", "an ignore-line"]
    where = [at, at + len("        # dd-iac-sc")]
    current = analyze_document(PLAYS, Options())
    assert len(current.analysis.findings) == 3
    text = PLAYS
    for start, insert in zip(where, steps, strict=True):
        new = text[:start] + insert + text[start:]
        current = analyze_document(
            new, Options(), previous=current, unchanged=unchanged(text, new)
        )
        assert same(current.analysis, analyze(new))
        text = new
    assert len(current.analysis.findings) == 2
