"""Conversions from the analysis' own types to LSP types.

Diagnostics are built as JSON-ready dictionaries first: publishing hundreds of
them is the server's most frequent output, and building lsprotocol objects only
for cattrs to take them apart again cost more than the incremental analysis of
an edit.  The lsprotocol objects code actions need are made from the same
dictionaries, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import converters, types

from ecs_netmode_lsp.analysis import Finding
from ecs_netmode_lsp.rule import DOC_URL, PARSE_ERROR_CODE, RULE_ID, SOURCE
from ecs_netmode_lsp.settings import Severity
from ecs_netmode_lsp.source import Edit, Span
from ecs_netmode_lsp.text import Encoding, LineIndex
from ecs_netmode_lsp.yamlsource import ParseProblem

Json = dict[str, Any]

_CONVERTER = converters.get_converter()

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


def range_json(lines: LineIndex, span: Span, encoding: Encoding) -> Json:
    """Convert a span to an LSP range, as JSON."""
    start = lines.position(span.start, encoding)
    end = lines.position(span.end, encoding)
    return {
        "start": {"line": start.line, "character": start.character},
        "end": {"line": end.line, "character": end.character},
    }


def diagnostic_json(
    lines: LineIndex, finding: Finding, encoding: Encoding, severity: Severity
) -> Json:
    """Convert a finding to a diagnostic that carries its fix in ``data``."""
    data: Json = {"kind": finding.kind.value}
    if finding.fix is not None:
        data["fix"] = {
            "range": range_json(lines, finding.fix.span, encoding),
            "newText": finding.fix.new_text,
        }
    return {
        "range": range_json(lines, finding.span, encoding),
        "severity": SEVERITY[severity].value,
        "code": RULE_ID,
        "codeDescription": {"href": DOC_URL},
        "source": SOURCE,
        "message": finding.message,
        "data": data,
    }


def problem_json(
    lines: LineIndex, problem: ParseProblem, encoding: Encoding, code: str
) -> Json:
    """Convert a parse problem (or a notice) to one diagnostic at its offset."""
    offset = problem.offset
    end = offset + 1 if offset < lines.line_end(lines.line_of(offset)) else offset
    severity = (
        types.DiagnosticSeverity.Error
        if code == PARSE_ERROR_CODE
        else types.DiagnosticSeverity.Information
    )
    return {
        "range": range_json(lines, Span(offset, end), encoding),
        "severity": severity.value,
        "code": code,
        "source": SOURCE,
        "message": problem.message,
    }


def to_diagnostic(
    lines: LineIndex, finding: Finding, encoding: Encoding, severity: Severity
) -> types.Diagnostic:
    """Convert a finding to an lsprotocol diagnostic (see :func:`diagnostic_json`)."""
    value = diagnostic_json(lines, finding, encoding, severity)
    diagnostic: types.Diagnostic = _CONVERTER.structure(value, types.Diagnostic)
    return diagnostic
