"""Fixes against golden files: every byte but the fix stays as it was."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from ecs_netmode_lsp.analysis import analyze, fix_all
from ecs_netmode_lsp.source import apply_edits

FIXES = Path(__file__).parent.parent / "data" / "fixes"
CASES = sorted(
    path.name.removesuffix(".before.yml") for path in FIXES.glob("*.before.yml")
)


def read(path: Path) -> str:
    # Bytes, not text mode: line endings and the BOM must survive as they are.
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_fix_all_matches_golden(case: str) -> None:
    before = read(FIXES / f"{case}.before.yml")
    after = read(FIXES / f"{case}.after.yml")

    findings = analyze(before).findings
    assert findings, "a golden case must have something to fix"
    fixed = apply_edits(before, fix_all(findings))

    assert fixed == after, "".join(
        difflib.unified_diff(after.splitlines(True), fixed.splitlines(True))
    )
    again = analyze(fixed)
    assert again.problem is None
    assert again.findings == ()


@pytest.mark.parametrize("case", CASES)
def test_each_fix_alone_clears_only_its_finding(case: str) -> None:
    before = read(FIXES / f"{case}.before.yml")
    findings = analyze(before).findings
    for finding in findings:
        assert finding.fix is not None
        remaining = analyze(apply_edits(before, [finding.fix])).findings
        assert finding.span not in [f.span for f in remaining] or len(remaining) < len(
            findings
        )
        assert len(remaining) == len(findings) - 1


def test_crlf_fix_uses_crlf() -> None:
    fixed = read(FIXES / "crlf.after.yml")
    assert "\n" not in fixed.replace("\r\n", "")
