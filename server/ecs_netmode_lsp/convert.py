"""Conversions from the analysis' own types to LSP types."""

from __future__ import annotations

from lsprotocol import types

from ecs_netmode_lsp.analysis import Finding
from ecs_netmode_lsp.rule import DOC_URL, PARSE_ERROR_CODE, RULE_ID, SOURCE
from ecs_netmode_lsp.settings import Severity
from ecs_netmode_lsp.source import Edit, Span
from ecs_netmode_lsp.text import Encoding, LineIndex
from ecs_netmode_lsp.yamlsource import ParseProblem

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def to_range(lines: LineIndex, span: Span, encoding: Encoding) -> types.Range:
    """Convert a span to a range in the negotiated encoding."""
    start = lines.position(span.start, encoding)
    end = lines.position(span.end, encoding)
    return types.Range(
        start=types.Position(line=start.line, character=start.character),
        end=types.Position(line=end.line, character=end.character),
    )


def to_text_edit(lines: LineIndex, edit: Edit, encoding: Encoding) -> types.TextEdit:
    """Convert an edit to a text edit in the negotiated encoding."""
    return types.TextEdit(
        range=to_range(lines, edit.span, encoding), new_text=edit.new_text
    )


def to_diagnostic(
    lines: LineIndex, finding: Finding, encoding: Encoding, severity: Severity
) -> types.Diagnostic:
    """Convert a finding to a diagnostic that carries its fix in ``data``."""
    data: dict[str, object] = {"kind": finding.kind.value}
    if finding.fix is not None:
        edit = to_text_edit(lines, finding.fix, encoding)
        data["fix"] = {
            "range": _range_json(edit.range),
            "newText": edit.new_text,
        }
    return types.Diagnostic(
        range=to_range(lines, finding.span, encoding),
        message=finding.message,
        severity=SEVERITY[severity],
        code=RULE_ID,
        code_description=types.CodeDescription(href=DOC_URL),
        source=SOURCE,
        data=data,
    )


def problem_diagnostic(
    lines: LineIndex, problem: ParseProblem, encoding: Encoding, code: str
) -> types.Diagnostic:
    """Convert a parse problem (or a notice) to one diagnostic at its offset."""
    offset = problem.offset
    end = offset + 1 if offset < lines.line_end(lines.line_of(offset)) else offset
    severity = (
        types.DiagnosticSeverity.Error
        if code == PARSE_ERROR_CODE
        else types.DiagnosticSeverity.Information
    )
    return types.Diagnostic(
        range=to_range(lines, Span(offset, end), encoding),
        message=problem.message,
        severity=severity,
        code=code,
        source=SOURCE,
    )


def _range_json(value: types.Range) -> dict[str, dict[str, int]]:
    return {
        "start": {"line": value.start.line, "character": value.start.character},
        "end": {"line": value.end.line, "character": value.end.character},
    }
