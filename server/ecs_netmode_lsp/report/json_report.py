"""``--format json``: one JSON document, schema version 1.

The shape, documented in ``docs/ci.md``::

    {
      "version": 1,
      "tool": {"name": "ecs-netmode-lsp", "version": "0.1.0"},
      "rule": {"id": ..., "kicsId": ..., "title": ..., "helpUri": ...},
      "summary": {"files": 3, "findings": 2, "errors": 1, "fixed": 0},
      "findings": [{"ruleId", "kicsId", "severity", "path", "line", "column",
                    "endLine", "endColumn", "kind", "value", "message",
                    "fix": {"line", "column", "endLine", "endColumn",
                            "newText"} or null}],
      "errors": [{"path", "kind", "message", "line", "column"}]
    }

Lines and columns are 1-based and count characters (code points); an end
column points just after the last character.  Keys are only ever added.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from ecs_netmode_lsp import __version__
from ecs_netmode_lsp.check_model import FileResult, Fix, Issue, Problem, Region
from ecs_netmode_lsp.report import Context
from ecs_netmode_lsp.rule import DOC_URL, KICS_QUERY_ID, RULE_ID, SOURCE, TITLE

SCHEMA_VERSION = 1


def write(results: Sequence[FileResult], context: Context, stream: TextIO) -> None:
    """Write the whole report as one JSON document."""
    json.dump(document(results, context), stream, indent=2)
    stream.write("\n")


def document(results: Sequence[FileResult], context: Context) -> dict[str, Any]:
    """Return the report as JSON-ready data."""
    findings = [
        _finding(result.path, issue, context)
        for result in results
        for issue in result.issues
    ]
    errors = [
        _error(result.path, problem)
        for result in results
        for problem in result.problems
    ]
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": SOURCE, "version": __version__},
        "rule": {
            "id": RULE_ID,
            "kicsId": KICS_QUERY_ID,
            "title": TITLE,
            "helpUri": DOC_URL,
        },
        "summary": {
            "files": len(results),
            "findings": len(findings),
            "errors": len(errors),
            "fixed": sum(result.fixed for result in results),
        },
        "findings": findings,
        "errors": errors,
    }


def _finding(path: str, issue: Issue, context: Context) -> dict[str, Any]:
    return {
        "ruleId": RULE_ID,
        "kicsId": KICS_QUERY_ID,
        "severity": context.severity,
        "path": path,
        **_range(issue.place.points),
        "kind": issue.kind,
        "value": issue.value,
        "message": issue.message,
        "fix": None if issue.fix is None else _fix(issue.fix),
    }


def _range(region: Region) -> dict[str, int]:
    return {
        "line": region.line,
        "column": region.column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    }


def _fix(fix: Fix) -> dict[str, Any]:
    return {**_range(fix.place.points), "newText": fix.new_text}


def _error(path: str, problem: Problem) -> dict[str, Any]:
    region = problem.place.points if problem.place else None
    return {
        "path": path,
        "kind": problem.kind,
        "message": problem.message,
        "line": region.line if region else None,
        "column": region.column if region else None,
    }
