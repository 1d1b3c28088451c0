"""Exit status, and files that cannot be read, decoded or parsed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import FIX, Outcome, run

Check = Callable[..., Outcome]

WRONG = "- ecs_taskdefinition:\n    family: web\n    network_mode: host\n"


def test_clean_tree_exits_0(workspace: Path, check_main: Check) -> None:
    (workspace / "clean.yml").write_bytes((FIX / "clean.yml").read_bytes())

    outcome = check_main()

    assert (outcome.status, outcome.stdout, outcome.stderr) == (0, "", "")


def test_findings_exit_1(workspace: Path, check_main: Check) -> None:
    (workspace / "a.yml").write_text(WRONG, "utf-8")

    assert check_main("a.yml").status == 1


def test_no_flag_missing_matches_kics(workspace: Path, check_main: Check) -> None:
    (workspace / "m.yml").write_bytes((FIX / "missing.yml").read_bytes())

    assert check_main("m.yml").status == 1
    assert check_main("--no-flag-missing", "m.yml").status == 0


def test_missing_path_is_a_usage_error(workspace: Path, check_main: Check) -> None:
    (workspace / "a.yml").write_text(WRONG, "utf-8")

    outcome = check_main("a.yml", "nope.yml")

    assert outcome.status == 2
    assert "no such file or folder: 'nope.yml'" in outcome.stderr
    assert outcome.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--severity", "fatal"],
        ["--fix", "-"],
        ["--diff", "--format", "json"],
        ["-", "-"],
        ["--config", "x.toml", "--no-config"],
        ["--bogus"],
    ],
)
def test_usage_errors_exit_2(
    workspace: Path, check_main: Check, args: list[str]
) -> None:
    assert check_main(*args).status == 2


def test_help_exits_0(check_main: Check) -> None:
    outcome = check_main("--help")

    assert outcome.status == 0
    assert "--stdin-filename" in outcome.stdout


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (
            "- name: x\n".encode("utf-16-le"),
            "binary file (it holds NUL bytes), not YAML text; "
            "UTF-16 and UTF-32 are read only with a byte order mark",
        ),
        (b"- name: caf\xe9\n", "not valid UTF-8: byte 0xe9 at offset 11 (line 1)"),
        (b"a: 1\nb: \xff\n", "not valid UTF-8: byte 0xff at offset 8 (line 2)"),
    ],
)
def test_undecodable_files_are_reported_and_the_run_goes_on(
    workspace: Path, check_main: Check, data: bytes, expected: str
) -> None:
    (workspace / "a.yml").write_bytes(data)
    (workspace / "b.yml").write_text(WRONG, "utf-8")

    outcome = check_main()

    assert outcome.status == 1
    assert f"a.yml: error: {expected}" in outcome.stderr
    assert outcome.stdout.startswith("b.yml:3:19: ")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything"
)
def test_unreadable_file_is_reported(workspace: Path, check_main: Check) -> None:
    secret = workspace / "secret.yml"
    secret.write_text(WRONG, "utf-8")
    secret.chmod(0)

    outcome = check_main()

    assert outcome.status == 1
    assert "secret.yml: error: cannot read: Permission denied" in outcome.stderr


def test_permission_denied_is_reported(
    workspace: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root reads any file, so the refusal is simulated where the file is read.
    (workspace / "secret.yml").write_text(WRONG, "utf-8")
    (workspace / "open.yml").write_text(WRONG, "utf-8")
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "secret.yml":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)

    outcome = check_main()

    assert outcome.status == 1
    assert "secret.yml: error: cannot read: Permission denied" in outcome.stderr
    assert outcome.stdout.startswith("open.yml:3:19: ")


def test_a_folder_named_like_yaml_is_searched(
    workspace: Path, check_main: Check
) -> None:
    (workspace / "roles.yml").mkdir()
    (workspace / "roles.yml" / "main.yml").write_text(WRONG, "utf-8")

    outcome = check_main()

    assert outcome.stdout.startswith("roles.yml/main.yml:3:19: ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_passed_by(workspace: Path) -> None:
    # Opening a FIFO blocks until something writes to it: the run would hang.
    os.mkfifo(workspace / "pipe.yml")
    (workspace / "a.yml").write_text(WRONG, "utf-8")

    outcome = run(cwd=workspace)

    assert outcome.stdout.startswith("a.yml:3:19: ")
    assert "pipe.yml" not in outcome.stdout + outcome.stderr
    assert outcome.status == 1


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd here")
def test_a_pipe_named_on_the_command_line_is_read(
    workspace: Path, check_main: Check
) -> None:
    # Process substitution, as in `check <(git show HEAD:site.yml)`.
    reader, writer = os.pipe()
    os.write(writer, WRONG.encode())
    os.close(writer)

    try:
        outcome = check_main(f"/dev/fd/{reader}")
    finally:
        os.close(reader)

    assert outcome.stdout.startswith(f"/dev/fd/{reader}:3:19: ")


def test_unreadable_file_in_json_report(workspace: Path, check_main: Check) -> None:
    (workspace / "dangling.yml").symlink_to(workspace / "gone.yml")

    outcome = check_main("--format", "json", "dangling.yml")

    report = json.loads(outcome.stdout)
    assert outcome.status == 1
    assert report["errors"] == [
        {
            "path": "dangling.yml",
            "kind": "unreadable",
            "message": "cannot read: No such file or directory",
            "line": None,
            "column": None,
        }
    ]


def test_syntax_error_exits_1_and_names_the_place(
    workspace: Path, check_main: Check
) -> None:
    (workspace / "bad.yml").write_text("a: 1\n  b: [2\n", "utf-8")

    outcome = check_main()

    assert outcome.status == 1
    assert outcome.stderr.startswith("bad.yml:2:4: error: YAML syntax error: ")
    assert "[yaml-syntax-error]" in outcome.stderr


def test_utf16_with_bom_is_read(workspace: Path, check_main: Check) -> None:
    (workspace / "w.yml").write_bytes(b"\xff\xfe" + WRONG.encode("utf-16-le"))

    outcome = check_main()

    assert outcome.stdout.startswith("w.yml:3:19: ")


def test_end_to_end_exit_statuses(workspace: Path) -> None:
    (workspace / "a.yml").write_text(WRONG, "utf-8")
    (workspace / "c.yml").write_bytes((FIX / "clean.yml").read_bytes())

    assert run("c.yml", cwd=workspace).status == 0
    assert run("a.yml", cwd=workspace).status == 1
    assert run("missing.yml", cwd=workspace).status == 2
