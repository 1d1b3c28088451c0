"""``--fix`` and ``--diff``: golden files, byte for byte."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ecs_netmode_lsp import check_run

from .conftest import FIX, FIXED, Outcome, run

Check = Callable[..., Outcome]

CASES = sorted(path.name for path in FIXED.iterdir())


@pytest.mark.parametrize("name", CASES)
def test_fix_matches_the_golden_file(
    fixtures: Path, check_main: Check, name: str
) -> None:
    outcome = check_main("--fix", name)

    assert (fixtures / name).read_bytes() == (FIXED / name).read_bytes()
    assert outcome.status == 0
    assert outcome.stdout == ""
    assert "fixed " in outcome.stderr


def test_golden_files_are_clean(workspace: Path, check_main: Check) -> None:
    outcome = check_main(str(FIXED))

    assert (outcome.status, outcome.stdout) == (0, "")


def test_fix_keeps_crlf_and_bom(fixtures: Path, check_main: Check) -> None:
    check_main("--fix", "crlf.yml", "bom.yml")

    crlf = (fixtures / "crlf.yml").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") == 13
    assert (fixtures / "bom.yml").read_bytes().startswith(b"\xef\xbb\xbf#")


def test_fix_summary_counts_findings_and_files(
    fixtures: Path, check_main: Check
) -> None:
    outcome = check_main("--fix")

    assert outcome.stderr == "fixed 10 findings in 7 files\n"
    assert (fixtures / "clean.yml").read_bytes() == (FIX / "clean.yml").read_bytes()


def test_fix_leaves_the_rest_and_status_says_so(
    workspace: Path, check_main: Check
) -> None:
    # The fixable file ends clean; the one that does not parse stays an error.
    (workspace / "a.yml").write_text(
        "- ecs_taskdefinition:\n    network_mode: bridge\n", "utf-8"
    )
    (workspace / "b.yml").write_text("- [unclosed\n", "utf-8")

    outcome = check_main("--fix", "--format", "json")

    assert outcome.status == 1
    assert '"fixed": 1' in outcome.stdout
    assert '"findings": []' in outcome.stdout
    assert (workspace / "a.yml").read_text("utf-8").endswith("network_mode: awsvpc\n")


def test_fix_keeps_the_file_mode(fixtures: Path, check_main: Check) -> None:
    target = fixtures / "missing.yml"
    target.chmod(0o640)

    check_main("--fix", "missing.yml")

    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == (FIXED / "missing.yml").read_bytes()
    assert sorted(path.name for path in fixtures.iterdir() if "tmp" in path.name) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root can give a file to another user",
)
def test_fix_keeps_the_owner_and_the_set_id_bits(
    fixtures: Path, check_main: Check
) -> None:
    # A fix run by root (in a container, say) must not take the file over.
    target = fixtures / "missing.yml"
    os.chown(target, 65534, 65534)
    target.chmod(0o6750)

    check_main("--fix", "missing.yml")

    status = target.stat()
    assert (status.st_uid, status.st_gid) == (65534, 65534)
    assert stat.S_IMODE(status.st_mode) == 0o6750
    assert target.read_bytes() == (FIXED / "missing.yml").read_bytes()


def test_fix_through_a_symlink_keeps_the_link(
    fixtures: Path, check_main: Check
) -> None:
    link = fixtures / "link.yml"
    link.symlink_to(fixtures / "flow.yml")

    check_main("--fix", "link.yml")

    assert link.is_symlink()
    assert (fixtures / "flow.yml").read_bytes() == (FIXED / "flow.yml").read_bytes()


def test_fix_of_utf16_keeps_its_encoding(workspace: Path, check_main: Check) -> None:
    text = (FIX / "unicode.yml").read_text("utf-8")
    (workspace / "u.yml").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))

    outcome = check_main("--fix", "u.yml")

    expected = (FIXED / "unicode.yml").read_text("utf-8")
    assert (workspace / "u.yml").read_bytes() == b"\xfe\xff" + expected.encode(
        "utf-16-be"
    )
    assert outcome.status == 0


def test_fix_of_the_same_file_named_twice_happens_once(
    fixtures: Path, check_main: Check
) -> None:
    outcome = check_main("--fix", "flow.yml", ".", "./flow.yml")

    assert (fixtures / "flow.yml").read_bytes() == (FIXED / "flow.yml").read_bytes()
    assert outcome.stderr == "fixed 10 findings in 7 files\n"


def test_a_file_that_cannot_be_written_is_reported(
    fixtures: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes anywhere, so the refusal is simulated where the file is written.
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(check_run, "write_atomically", refuse)

    outcome = check_main("--fix", "flow.yml")

    assert outcome.status == 1
    assert "flow.yml: error: cannot write the fix: Permission denied" in outcome.stderr
    assert outcome.stdout.count("flow.yml:") == 2
    assert (fixtures / "flow.yml").read_bytes() == (FIX / "flow.yml").read_bytes()


def test_a_fix_that_would_break_the_yaml_is_not_written(
    fixtures: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The core's fixes keep YAML valid; this guards against one that would not.
    monkeypatch.setattr(check_run, "apply_edits", lambda text, edits: text + "[")

    outcome = check_main("--fix", "flow.yml")

    assert outcome.status == 1
    assert "flow.yml: error: not fixed: the fix would break the YAML" in outcome.stderr
    assert (fixtures / "flow.yml").read_bytes() == (FIX / "flow.yml").read_bytes()


def test_diff_writes_nothing_and_shows_the_change(
    fixtures: Path, check_main: Check
) -> None:
    outcome = check_main("--diff", "flow.yml", "crlf.yml")

    assert outcome.status == 1
    assert (fixtures / "flow.yml").read_bytes() == (FIX / "flow.yml").read_bytes()
    assert outcome.stdout.startswith(
        "--- a/flow.yml\n+++ b/flow.yml\n@@ -1,4 +1,4 @@\n"
    )
    assert (
        '+  community.aws.ecs_taskdefinition: {family: web, network_mode: "awsvpc"'
        in (outcome.stdout)
    )
    # The diff keeps each file's own line breaks.
    assert "+        network_mode: awsvpc\r\n" in outcome.stdout
    assert outcome.stderr.startswith("would fix 4 findings in 2 files\n")


def test_diff_of_a_clean_file_is_empty(fixtures: Path, check_main: Check) -> None:
    outcome = check_main("--diff", "clean.yml")

    assert (outcome.status, outcome.stdout) == (0, "")
    assert outcome.stderr == "would fix 0 findings in 0 files\n"


def test_diff_marks_a_missing_final_newline(workspace: Path, check_main: Check) -> None:
    (workspace / "n.yml").write_text(
        "- ecs_taskdefinition:\n    network_mode: host", "utf-8"
    )

    outcome = check_main("--diff", "n.yml")

    assert outcome.stdout.endswith(
        "-    network_mode: host\n\\ No newline at end of file\n"
        "+    network_mode: awsvpc\n\\ No newline at end of file\n"
    )


# Files whose diff patch(1) must apply: every kind of line break, a byte order
# mark on the changed first line, no final line break, U+2028 inside a value.
PATCHABLE = {
    "cr.yml": b"- ecs_taskdefinition:\r    network_mode: host\r",
    "crlf.yml": b"- ecs_taskdefinition:\r\n    network_mode: host\r\n",
    "mixed.yml": b"- name: a\r\n  ecs_taskdefinition:\n    family: x\r\n",
    "bom.yml": b"\xef\xbb\xbf- ecs_taskdefinition: {family: x}\n- debug: msg=1\n",
    "open.yml": b"- ecs_taskdefinition:\n    network_mode: host",
    "sep.yml": (
        b"- ecs_taskdefinition:\n    family: 'a\xe2\x80\xa8b'\n    network_mode: x\n"
    ),
}


def _write_patchable(folder: Path) -> None:
    folder.mkdir()
    for name, data in PATCHABLE.items():
        (folder / name).write_bytes(data)


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
def test_patch_applies_the_diff_byte_for_byte(workspace: Path) -> None:
    _write_patchable(workspace / "patched")
    _write_patchable(workspace / "fixed")

    diff = run("--diff", cwd=workspace / "patched").stdout
    subprocess.run(
        ["patch", "-p1", "--quiet", "--batch"],
        cwd=workspace / "patched",
        input=diff.encode("utf-8"),
        check=True,
    )
    run("--fix", cwd=workspace / "fixed")

    for name in PATCHABLE:
        fixed = (workspace / "fixed" / name).read_bytes()
        assert (workspace / "patched" / name).read_bytes() == fixed, name
        assert fixed != PATCHABLE[name], name


def test_diff_lines_end_at_line_feeds_only(workspace: Path, check_main: Check) -> None:
    # A lone CR is a YAML line break but not a patch one; the next file's
    # header must still start a line of its own.
    _write_patchable(workspace / "d")

    outcome = check_main("--diff", "d/cr.yml", "d/crlf.yml")

    assert re.findall(r"[^\n]*\n", outcome.stdout)[2:] == [
        "@@ -1 +1 @@\n",
        "-- ecs_taskdefinition:\r    network_mode: host\r\n",
        "\\ No newline at end of file\n",
        "+- ecs_taskdefinition:\r    network_mode: awsvpc\r\n",
        "\\ No newline at end of file\n",
        "--- a/d/crlf.yml\n",
        "+++ b/d/crlf.yml\n",
        "@@ -1,2 +1,2 @@\n",
        " - ecs_taskdefinition:\r\n",
        "-    network_mode: host\r\n",
        "+    network_mode: awsvpc\r\n",
    ]


def test_diff_of_a_link_names_its_target(workspace: Path, check_main: Check) -> None:
    # patch refuses to edit through a link; the target is the file that changes.
    (workspace / "shared").mkdir()
    (workspace / "shared" / "task.yml").write_bytes(PATCHABLE["crlf.yml"])
    (workspace / "link.yml").symlink_to(Path("shared") / "task.yml")

    outcome = check_main("--diff", "link.yml")

    assert outcome.stdout.startswith("--- a/shared/task.yml\n+++ b/shared/task.yml\n")


def test_end_to_end_fix(fixtures: Path) -> None:
    outcome = run("--fix", cwd=fixtures)

    assert outcome.status == 0
    for name in CASES:
        assert (fixtures / name).read_bytes() == (FIXED / name).read_bytes(), name
    assert outcome.stderr == "fixed 10 findings in 7 files\n"
