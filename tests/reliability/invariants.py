"""What must hold for any text the core analyses; shared by tests and the fuzzer."""

from __future__ import annotations

import re
from collections import Counter

from ecs_netmode_lsp.analysis import Analysis, Finding, analyze, fix_all
from ecs_netmode_lsp.source import Span, apply_edits

_CHARACTER = re.compile(r"the character U\+([0-9A-F]{4,6}) ")


def check_problem(text: str, analysis: Analysis) -> None:
    """Assert a parse problem points inside the text, at the character it names."""
    problem = analysis.problem
    assert problem is not None
    assert problem.message.strip()
    assert "\n" not in problem.message, problem
    assert 0 <= problem.offset <= len(text), problem
    named = _CHARACTER.match(problem.message)
    if named is not None:
        assert text[problem.offset] == chr(int(named.group(1), 16)), problem


def _inside(span: Span, text: str) -> bool:
    return 0 <= span.start <= span.end <= len(text)


def signature(finding: Finding) -> tuple[str, str]:
    """What identifies a finding across edits that move it."""
    return finding.kind.value, finding.message


def check_spans(text: str, analysis: Analysis) -> None:
    """Assert every span and fix span lies inside the text."""
    if analysis.problem is not None:
        check_problem(text, analysis)
    for finding in analysis.findings:
        assert _inside(finding.span, text), finding
        assert _inside(finding.task_span, text), finding
        if finding.fix is not None:
            assert _inside(finding.fix.span, text), finding.fix


def check_fix(text: str, analysis: Analysis, finding: Finding) -> None:
    """Assert the fix leaves YAML that parses, without that finding or new ones."""
    assert finding.fix is not None
    fixed = apply_edits(text, [finding.fix])
    after = analyze(fixed)
    assert after.problem is None, (
        f"the fix for {finding.message!r} broke the YAML: {after.problem}\n"
        f"before: {text!r}\nafter:  {fixed!r}"
    )
    allowed = Counter(signature(f) for f in analysis.findings)
    allowed[signature(finding)] -= 1
    remaining = Counter(signature(f) for f in after.findings)
    assert not remaining - allowed, (
        f"the fix for {finding.message!r} left it or added findings\n"
        f"before: {text!r}\nafter:  {fixed!r}\nfindings: {after.findings}"
    )


def check_fix_all(text: str, analysis: Analysis) -> None:
    """Assert fix-all parses, removes at least one finding and adds none."""
    edits = fix_all(list(analysis.findings))
    if not edits:
        return
    fixed = apply_edits(text, edits)
    after = analyze(fixed)
    assert after.problem is None, f"fix-all broke the YAML: {fixed!r}"
    before = Counter(signature(f) for f in analysis.findings)
    remaining = Counter(signature(f) for f in after.findings)
    assert not remaining - before, f"fix-all added findings: {fixed!r}"
    assert len(after.findings) < len(analysis.findings), (
        f"fix-all did nothing: {fixed!r}"
    )


def check_text(text: str) -> Analysis:
    """Analyse ``text`` and check every invariant; return the analysis."""
    analysis = analyze(text)
    check_spans(text, analysis)
    for finding in analysis.findings:
        if finding.fix is not None:
            check_fix(text, analysis, finding)
    check_fix_all(text, analysis)
    return analysis
