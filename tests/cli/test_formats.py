"""Every report format, checked against its contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecs_netmode_lsp.report.github import escape_data, escape_property
from ecs_netmode_lsp.rule import DOC_URL, KICS_QUERY_ID, RULE_ID

from .conftest import DATA, Outcome, run

# The schema check needs jsonschema (a test extra); without it these tests skip.
jsonschema = pytest.importorskip("jsonschema")

Check = Callable[..., Outcome]

SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))

# One wrong value after a four-byte character (two UTF-16 units), one missing
# key, and a file that does not parse.
UNICODE = (
    "- name: 🚀 deploy\n"
    "  community.aws.ecs_taskdefinition: {f: 🚀, network_mode: bridge}\n"
    "- name: worker\n"
    "  ecs_taskdefinition:\n"
    "    family: worker\n"
)
BROKEN = "- name: [unclosed\n"


@pytest.fixture
def project(workspace: Path) -> Path:
    """A workspace with one file of findings and one that does not parse."""
    (workspace / "roles").mkdir()
    (workspace / "roles" / "deploy.yml").write_text(UNICODE, "utf-8")
    (workspace / "broken.yml").write_text(BROKEN, "utf-8")
    return workspace


def test_text_lines_are_path_line_column_message_rule(
    project: Path, check_main: Check
) -> None:
    outcome = check_main()

    assert outcome.status == 1
    lines = outcome.stdout.splitlines()
    assert lines == [
        f"roles/deploy.yml:2:58: {_message(lines[0])} [{RULE_ID}]",
        f"roles/deploy.yml:3:9: {_message(lines[1])} [{RULE_ID}]",
    ]
    assert "'bridge'" in lines[0]
    assert "broken.yml:2:1: error: YAML syntax error" in outcome.stderr
    assert "2 findings in 1 file, 1 file with errors, 2 files checked" in (
        outcome.stderr
    )


def _message(line: str) -> str:
    return line.split(": ", 1)[1].rsplit(" [", 1)[0]


@pytest.mark.parametrize(
    ("env", "flag", "colored"),
    [
        ({}, "auto", False),
        ({"FORCE_COLOR": "1"}, "auto", True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, "auto", False),
        ({"NO_COLOR": "1"}, "always", True),
        ({"FORCE_COLOR": "1"}, "never", False),
    ],
)
def test_colour_follows_flag_then_environment(
    project: Path,
    check_main: Check,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    flag: str,
    colored: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    outcome = check_main("--color", flag, "roles")

    assert ("\x1b[" in outcome.stdout) is colored


def test_json_schema_is_stable(project: Path, check_main: Check) -> None:
    outcome = check_main("--format", "json", "--severity", "error")

    report = json.loads(outcome.stdout)
    assert outcome.status == 1
    assert report["version"] == 1
    assert report["rule"] == {
        "id": RULE_ID,
        "kicsId": KICS_QUERY_ID,
        "title": "ECS task definition network mode not recommended",
        "helpUri": DOC_URL,
    }
    assert report["summary"] == {"files": 2, "findings": 2, "errors": 1, "fixed": 0}
    first, second = report["findings"]
    assert first == {
        "ruleId": RULE_ID,
        "kicsId": KICS_QUERY_ID,
        "severity": "error",
        "path": "roles/deploy.yml",
        "line": 2,
        "column": 58,
        "endLine": 2,
        "endColumn": 64,
        "kind": "wrong-value",
        "value": "'bridge'",
        "message": first["message"],
        "fix": {
            "line": 2,
            "column": 58,
            "endLine": 2,
            "endColumn": 64,
            "newText": "awsvpc",
        },
    }
    assert second["kind"] == "missing"
    assert second["value"] is None
    assert second["fix"]["newText"] == "    network_mode: awsvpc\n"
    assert report["errors"] == [
        {
            "path": "broken.yml",
            "kind": "syntax",
            "message": report["errors"][0]["message"],
            "line": 2,
            "column": 1,
        }
    ]
    assert outcome.stderr == ""


def test_sarif_is_valid_and_counts_utf16_units(
    project: Path, check_main: Check
) -> None:
    outcome = check_main("--format", "sarif")

    log = json.loads(outcome.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    (run_,) = log["runs"]
    rule = run_["tool"]["driver"]["rules"][0]
    assert rule["id"] == RULE_ID
    assert rule["helpUri"] == DOC_URL
    assert DOC_URL in rule["help"]["markdown"]
    assert rule["properties"]["kicsId"] == KICS_QUERY_ID
    assert run_["columnKind"] == "utf16CodeUnits"
    assert run_["newlineSequences"] == ["\r\n", "\n", "\r"]

    wrong, missing = run_["results"]
    location = wrong["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "roles/deploy.yml",
        "uriBaseId": "%SRCROOT%",
    }
    # The rocket before the value is one code point but two UTF-16 units.
    assert location["region"] == {
        "startLine": 2,
        "startColumn": 59,
        "endLine": 2,
        "endColumn": 65,
    }
    assert wrong["level"] == "warning"
    change = wrong["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"] == {"text": "awsvpc"}
    assert missing["properties"] == {"kind": "missing", "value": None}

    (invocation,) = run_["invocations"]
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["descriptor"] == {"id": "yaml-syntax-error"}
    assert notification["level"] == "error"
    assert invocation["exitCode"] == 1


@pytest.mark.parametrize(
    ("severity", "level"),
    [("error", "error"), ("warning", "warning"), ("information", "note")],
)
def test_sarif_level_follows_severity(
    project: Path, check_main: Check, severity: str, level: str
) -> None:
    outcome = check_main("--format", "sarif", "--severity", severity, "roles")

    log = json.loads(outcome.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    levels = {result["level"] for result in log["runs"][0]["results"]}
    assert levels == {level}


def test_sarif_of_a_clean_run_is_valid(workspace: Path, check_main: Check) -> None:
    outcome = check_main("--format", "sarif")

    log = json.loads(outcome.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    assert log["runs"][0]["results"] == []
    assert outcome.status == 0


def test_sarif_of_a_file_outside_the_folder_uses_a_file_uri(
    tmp_path: Path, workspace: Path, check_main: Check
) -> None:
    outside = tmp_path / "outside dir" / "x.yml"
    outside.parent.mkdir()
    outside.write_text(UNICODE, "utf-8")

    log = json.loads(check_main("--format", "sarif", str(outside)).stdout)

    jsonschema.validate(log, SARIF_SCHEMA)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"] == {"uri": outside.as_uri()}


def test_github_commands(project: Path, check_main: Check) -> None:
    outcome = check_main("--format", "github")

    broken, wrong, missing = outcome.stdout.splitlines()
    pattern = re.compile(
        r"::warning file=roles/deploy\.yml,line=2,col=59,endLine=2,endColumn=65,"
        r"title=ECS task definition network mode not recommended "
        rf"\({RULE_ID}\)::ECS task definition uses network_mode 'bridge'\. .*"
    )
    assert pattern.fullmatch(wrong)
    assert missing.startswith("::warning file=roles/deploy.yml,line=3,col=9,")
    assert broken.startswith("::error file=broken.yml,line=2,col=1,title=YAML")
    assert outcome.status == 1


@pytest.mark.parametrize(
    ("severity", "command"), [("error", "error"), ("hint", "notice")]
)
def test_github_command_follows_severity(
    project: Path, check_main: Check, severity: str, command: str
) -> None:
    outcome = check_main("--format", "github", "--severity", severity, "roles")

    assert all(line.startswith(f"::{command} ") for line in outcome.stdout.splitlines())


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_escapes_a_path_with_commas(workspace: Path, check_main: Check) -> None:
    (workspace / "a,b:c.yml").write_text(UNICODE, "utf-8")

    outcome = check_main("--format", "github")

    assert outcome.stdout.startswith("::warning file=a%2Cb%3Ac.yml,line=2,")


def test_output_file_receives_the_report(project: Path, check_main: Check) -> None:
    outcome = check_main("--format", "sarif", "--output", "out.sarif", "roles")

    assert outcome.stdout == ""
    log: dict[str, Any] = json.loads((project / "out.sarif").read_text("utf-8"))
    jsonschema.validate(log, SARIF_SCHEMA)


def test_text_output_file_is_not_coloured_unless_asked(
    project: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")

    check_main("--output", "plain.txt", "--color", "never", "roles")
    check_main("--output", "colour.txt", "--color", "always", "roles")

    assert "\x1b[" not in (project / "plain.txt").read_text("utf-8")
    assert "\x1b[" in (project / "colour.txt").read_text("utf-8")


def test_end_to_end_sarif_through_the_console_script(project: Path) -> None:
    outcome = run("--format", "sarif", cwd=project)

    assert outcome.status == 1
    jsonschema.validate(json.loads(outcome.stdout), SARIF_SCHEMA)
    assert outcome.stderr == ""


@pytest.mark.parametrize("output", ["missing/out.json", "roles"])
def test_an_output_that_cannot_be_written_is_a_usage_error(
    project: Path, check_main: Check, output: str
) -> None:
    outcome = check_main("--format", "json", "-o", output)

    assert outcome.status == 2
    assert outcome.stderr.startswith(f"ecs-netmode-lsp check: -o {output}: ")
    assert not (project / "missing").exists()


def test_diff_goes_to_the_output_file(project: Path, check_main: Check) -> None:
    outcome = check_main("--diff", "-o", "fix.diff", "roles")

    assert outcome.stdout == ""
    assert (
        (project / "fix.diff")
        .read_text("utf-8")
        .startswith("--- a/roles/deploy.yml\n+++ b/roles/deploy.yml\n")
    )


def test_a_reader_that_leaves_early_gets_no_traceback(workspace: Path) -> None:
    # More report than a pipe holds, so writing goes on after the reader left.
    task = "- ecs_taskdefinition:\n    network_mode: host\n"
    (workspace / "many.yml").write_text(task * 2000, "utf-8")
    command = [sys.executable, "-m", "ecs_netmode_lsp", "check", "many.yml"]

    with subprocess.Popen(
        command, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read().decode("utf-8")
        status = process.wait(timeout=120)

    assert (status, errors) == (1, "")
