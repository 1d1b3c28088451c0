"""``--fix`` and ``--diff``: golden files, byte for byte."""

from __future__ import annotations

import re
import stat
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


def test_diff_breaks_lines_where_yaml_does(workspace: Path, check_main: Check) -> None:
    # U+2028 inside a value is no line break; a lone CR is.
    (workspace / "s.yml").write_bytes(
        b"- ecs_taskdefinition:\r    family: 'a\xe2\x80\xa8b'\r    network_mode: host\r"
    )

    outcome = check_main("--diff", "s.yml")

    assert re.findall(r"[^\r\n]*(?:\r\n|\r|\n)", outcome.stdout)[2:] == [
        "@@ -1,3 +1,3 @@\n",
        " - ecs_taskdefinition:\r",
        "     family: 'a\u2028b'\r",
        "-    network_mode: host\r",
        "+    network_mode: awsvpc\r",
    ]


def test_end_to_end_fix(fixtures: Path) -> None:
    outcome = run("--fix", cwd=fixtures)

    assert outcome.status == 0
    for name in CASES:
        assert (fixtures / name).read_bytes() == (FIXED / name).read_bytes(), name
    assert outcome.stderr == "fixed 10 findings in 7 files\n"
