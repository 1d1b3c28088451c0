"""``--format sarif``: a SARIF 2.1.0 log for code scanning.

One run, one rule (with its help text and link), one result per finding.
Regions count columns in UTF-16 code units, SARIF's default and what GitHub
code scanning expects; every result carries its fix as a replacement.  Files
that could not be read, decoded, parsed or written back are tool execution
notifications, not results: they are no security finding, but they are shown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from ecs_netmode_lsp import __version__
from ecs_netmode_lsp.check_model import FileResult, Issue, Problem, Region
from ecs_netmode_lsp.report import Context
from ecs_netmode_lsp.rule import (
    DOC_URL,
    FIX_TITLE,
    KICS_QUERY_ID,
    PARSE_ERROR_CODE,
    RULE_ID,
    SOURCE,
    TITLE,
    WHY,
)
from ecs_netmode_lsp.settings import Severity

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
    "sarif-schema-2.1.0.json"
)
ROOT = "%SRCROOT%"
LEVELS: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "information": "note",
    "hint": "note",
}
HELP = (
    "Set `network_mode: awsvpc` in every `community.aws.ecs_taskdefinition` "
    f"task. {WHY} A task without `network_mode` gets `bridge`. KICS query "
    f"{KICS_QUERY_ID}. [Rule documentation]({DOC_URL})"
)

# KICS rates the query MEDIUM; code scanning reads this as its security severity.
SECURITY_SEVERITY = "5.0"


def write(results: Sequence[FileResult], context: Context, stream: TextIO) -> None:
    """Write the whole report as one SARIF log."""
    json.dump(log(results, context), stream, indent=2)
    stream.write("\n")


def log(results: Sequence[FileResult], context: Context) -> dict[str, Any]:
    """Return the SARIF log as JSON-ready data."""
    level = LEVELS[context.severity]
    run = {
        "tool": {"driver": _driver(level)},
        "invocations": [_invocation(results, context)],
        "originalUriBaseIds": {ROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        # Lines are counted as editors count them: a lone CR breaks a line too.
        "newlineSequences": ["\r\n", "\n", "\r"],
        "results": [
            _result(result.path, issue, level)
            for result in results
            for issue in result.issues
        ],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _driver(level: str) -> dict[str, Any]:
    rule = {
        "id": RULE_ID,
        "name": "EcsTaskDefinitionNetworkModeNotRecommended",
        "shortDescription": {"text": TITLE},
        "fullDescription": {"text": WHY},
        "help": {"text": HELP.replace("`", ""), "markdown": HELP},
        "helpUri": DOC_URL,
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": ["security", "ansible", "aws", "ecs", "iac"],
            "precision": "very-high",
            "security-severity": SECURITY_SEVERITY,
            "kicsId": KICS_QUERY_ID,
        },
    }
    return {
        "name": SOURCE,
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": DOC_URL,
        "rules": [rule],
    }


def _invocation(results: Sequence[FileResult], context: Context) -> dict[str, Any]:
    notifications = [
        _notification(result.path, problem)
        for result in results
        for problem in result.problems
    ]
    return {
        "executionSuccessful": True,
        "exitCode": context.exit_code,
        "toolExecutionNotifications": notifications,
    }


def _notification(path: str, problem: Problem) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if problem.place is not None:
        region = problem.place.utf16
        location["region"] = {
            "startLine": region.line,
            "startColumn": region.column,
        }
    descriptor = PARSE_ERROR_CODE if problem.kind == "syntax" else problem.kind
    return {
        "level": "error",
        "message": {"text": f"{path}: {problem.message}"},
        "descriptor": {"id": descriptor},
        "locations": [{"physicalLocation": location}],
    }


def _result(path: str, issue: Issue, level: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": RULE_ID,
        "ruleIndex": 0,
        "kind": "fail",
        "level": level,
        "message": {"text": issue.message},
        "locations": [_location(path, issue.place.utf16)],
        "properties": {"kind": issue.kind, "value": issue.value},
    }
    if issue.fix is not None:
        replacement = {
            "deletedRegion": _region(issue.fix.place.utf16),
            "insertedContent": {"text": issue.fix.new_text},
        }
        change = {"artifactLocation": _artifact(path), "replacements": [replacement]}
        result["fixes"] = [
            {"description": {"text": FIX_TITLE}, "artifactChanges": [change]}
        ]
    return result


def _location(path: str, region: Region) -> dict[str, Any]:
    physical = {"artifactLocation": _artifact(path), "region": _region(region)}
    return {"physicalLocation": physical}


def _region(region: Region) -> dict[str, int]:
    return {
        "startLine": region.line,
        "startColumn": region.column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    }


def _artifact(path: str) -> dict[str, str]:
    """Locate a file relative to the working folder when it lies inside it."""
    absolute = Path(os.path.normpath(Path(path).absolute()))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": ROOT}
