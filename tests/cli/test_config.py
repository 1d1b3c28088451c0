"""Settings from ``[tool.ecs-netmode-lsp]`` in ``pyproject.toml``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import FIX, Outcome

Check = Callable[..., Outcome]

WRONG = "- ecs_taskdefinition:\n    family: web\n    network_mode: host\n"


@pytest.fixture
def project(workspace: Path) -> Path:
    """A project with one wrong value, one missing key and a vendored file."""
    (workspace / "wrong.yml").write_text(WRONG, "utf-8")
    (workspace / "missing.yml").write_bytes((FIX / "missing.yml").read_bytes())
    (workspace / "vendor").mkdir()
    (workspace / "vendor" / "v.yml").write_text(WRONG, "utf-8")
    return workspace


def _configure(folder: Path, table: str) -> None:
    (folder / "pyproject.toml").write_text(
        f"[project]\nname = 'x'\n\n[tool.ecs-netmode-lsp]\n{table}\n", "utf-8"
    )


def _report(outcome: Outcome) -> dict[str, list[dict[str, str]]]:
    report: dict[str, list[dict[str, str]]] = json.loads(outcome.stdout)
    return report


def test_settings_from_pyproject(project: Path, check_main: Check) -> None:
    _configure(
        project, 'severity = "error"\nflag-missing = false\nexclude = ["vendor"]'
    )

    report = _report(check_main("--format", "json"))

    assert [(f["path"], f["severity"]) for f in report["findings"]] == [
        ("wrong.yml", "error")
    ]


def test_flags_win_over_the_file(project: Path, check_main: Check) -> None:
    _configure(project, 'severity = "error"\nflag-missing = false')

    report = _report(
        check_main(
            "--format",
            "json",
            "--severity",
            "hint",
            "--flag-missing",
            "--exclude",
            "vendor",
        )
    )

    assert [(f["path"], f["severity"]) for f in report["findings"]] == [
        ("missing.yml", "hint"),
        ("wrong.yml", "hint"),
    ]


def test_found_from_a_subfolder_with_excludes_relative_to_it(
    project: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project, 'exclude = ["vendor/*"]')
    monkeypatch.chdir(project / "vendor")

    outcome = check_main()

    assert (outcome.status, outcome.stdout) == (0, "")


def test_excludes_relative_to_the_file_when_checking_a_parent(
    project: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project, 'exclude = ["vendor/v.yml", "wrong.yml"]')
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")

    outcome = check_main("..")

    assert [line.split(":")[0] for line in outcome.stdout.splitlines()] == [
        "../missing.yml"
    ]


def test_a_pyproject_without_the_table_is_passed_by(
    project: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(project, "flag-missing = false")
    (project / "vendor" / "pyproject.toml").write_text("[tool.other]\n", "utf-8")
    monkeypatch.chdir(project / "vendor")
    (project / "vendor" / "m.yml").write_bytes((FIX / "missing.yml").read_bytes())

    outcome = check_main()

    assert [line.split(":")[0] for line in outcome.stdout.splitlines()] == ["v.yml"]


def test_explicit_config_and_no_config(project: Path, check_main: Check) -> None:
    _configure(project, "flag-missing = false")
    (project / "other.toml").write_text(
        '[tool.ecs-netmode-lsp]\nexclude = ["wrong.yml", "vendor"]\n', "utf-8"
    )

    assert check_main("--config", "other.toml").stdout.startswith("missing.yml:")
    assert len(check_main("--no-config").stdout.splitlines()) == 3


def test_settings_that_are_not_a_table_are_a_usage_error(
    project: Path, check_main: Check
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool]\necs-netmode-lsp = "strict"\n', "utf-8"
    )

    outcome = check_main()

    assert outcome.status == 2
    assert "tool.ecs-netmode-lsp = 'strict': expected a table" in outcome.stderr
    assert outcome.stdout == ""


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('severity = "fatal"', "severity = 'fatal': expected one of error, warning"),
        ('flag-missing = "no"', "flag-missing = 'no': expected true or false"),
        ('exclude = "vendor"', "exclude = 'vendor': expected a list of glob strings"),
        ("flag_missing = false", "has unknown keys: flag_missing"),
        ("severity = ", "not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error(
    project: Path, check_main: Check, table: str, message: str
) -> None:
    _configure(project, table)

    outcome = check_main()

    assert outcome.status == 2
    assert message in outcome.stderr
    assert outcome.stdout == ""
