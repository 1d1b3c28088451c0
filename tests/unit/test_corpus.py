"""The rule against the upstream fixtures and hand-labelled real-world files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecs_netmode_lsp.analysis import Kind, Options, analyze, fix_all
from ecs_netmode_lsp.source import apply_edits

DATA = Path(__file__).parent.parent / "data"
MANIFEST = json.loads((DATA / "corpus" / "manifest.json").read_text())
KICS = json.loads((DATA / "kics" / "expected.json").read_text())


def labels(text: str, options: Options | None = None) -> list[tuple[int, str]]:
    analysis = analyze(text, options)
    assert analysis.problem is None, analysis.problem
    lines = analysis.source.lines
    return [
        (
            lines.line_of(finding.span.start) + 1,
            "missing" if finding.kind is Kind.MISSING else "value",
        )
        for finding in analysis.findings
    ]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_real_world_file(entry: dict) -> None:
    text = (DATA / "corpus" / "files" / entry["file"]).read_bytes().decode("utf-8")
    expected = [(f["line"], f["kind"]) for f in entry["findings"]]
    assert labels(text) == expected


@pytest.mark.parametrize("name", sorted(KICS))
def test_kics_fixture_without_missing_matches_upstream(name: str) -> None:
    text = (DATA / "kics" / name).read_text()
    expected = [(f["line"], "value") for f in KICS[name]]
    assert labels(text, Options(flag_missing=False)) == expected


def test_kics_upstream_result_lines() -> None:
    upstream = json.loads((DATA / "kics" / "positive_expected_result.json").read_text())
    text = (DATA / "kics" / "positive.yaml").read_text()
    assert [line for line, _ in labels(text)] == [r["line"] for r in upstream]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_every_fix_clears_exactly_its_finding(entry: dict) -> None:
    text = (DATA / "corpus" / "files" / entry["file"]).read_bytes().decode("utf-8")
    findings = analyze(text).findings
    for finding in findings:
        assert finding.fix is not None
        fixed = analyze(apply_edits(text, [finding.fix]))
        assert fixed.problem is None
        assert len(fixed.findings) == len(findings) - 1

    fixed_all = analyze(apply_edits(text, fix_all(findings)))
    assert fixed_all.problem is None
    assert fixed_all.findings == ()
