"""Which files a run reads: folders, hidden entries, excludes, standard input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Outcome, run

Check = Callable[..., Outcome]

WRONG = "- ecs_taskdefinition:\n    family: web\n    network_mode: host\n"


def _tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(WRONG, "utf-8")


def _paths(outcome: Outcome) -> list[str]:
    return [line.split(":", 1)[0] for line in outcome.stdout.splitlines()]


def test_folders_are_searched_for_yaml_sorted(
    workspace: Path, check_main: Check
) -> None:
    _tree(
        workspace,
        "site.yml",
        "roles/web/tasks/main.yaml",
        "roles/web/templates/task.json",
        "roles/web/files/notes.txt",
        "b.yml",
    )

    outcome = check_main()

    assert _paths(outcome) == ["b.yml", "roles/web/tasks/main.yaml", "site.yml"]


def test_hidden_vcs_and_vendored_folders_are_skipped(
    workspace: Path, check_main: Check
) -> None:
    _tree(
        workspace,
        ".git/x.yml",
        ".github/workflows/ci.yml",
        ".hidden.yml",
        "node_modules/pkg/a.yml",
        "roles/__pycache__/a.yml",
        "roles/keep.yml",
    )

    assert _paths(check_main()) == ["roles/keep.yml"]


def test_a_hidden_file_named_on_the_command_line_is_read(
    workspace: Path, check_main: Check
) -> None:
    _tree(workspace, ".hidden.yml", "notes.txt")

    assert _paths(check_main(".hidden.yml", "notes.txt")) == [
        ".hidden.yml",
        "notes.txt",
    ]


def test_excludes_match_names_and_relative_paths(
    workspace: Path, check_main: Check
) -> None:
    _tree(
        workspace,
        "molecule/default/converge.yml",
        "roles/legacy/tasks/main.yml",
        "roles/web/tasks/main.yml",
        "roles/web/tasks/old.yml",
    )

    outcome = check_main(
        "--exclude", "molecule", "--exclude", "roles/legacy/*", "--exclude", "old.*"
    )

    assert _paths(outcome) == ["roles/web/tasks/main.yml"]


def test_excludes_apply_to_files_named_on_the_command_line(
    workspace: Path, check_main: Check
) -> None:
    # pre-commit names every changed file; excluded ones must stay excluded.
    _tree(workspace, "vendor/a.yml", "b.yml")

    outcome = check_main("--exclude", "vendor", "vendor/a.yml", "b.yml")

    assert _paths(outcome) == ["b.yml"]


@pytest.mark.parametrize("glob", ["vendor/", "./vendor", "vendor"])
def test_exclude_spellings_of_a_folder(
    workspace: Path, check_main: Check, glob: str
) -> None:
    _tree(workspace, "vendor/a.yml", "b.yml")

    assert _paths(check_main("--exclude", glob)) == ["b.yml"]


@pytest.mark.parametrize(
    ("glob", "left"),
    [
        ("**/legacy", ["top.yml", "x/c.yml", "x/y/c.yml"]),
        ("**/legacy/**", ["top.yml", "x/c.yml", "x/y/c.yml"]),
        ("**/*.yml", []),
        ("x/**/c.yml", ["legacy/a.yml", "top.yml", "x/legacy/b.yml"]),
        ("x/**/legacy/*.yml", ["legacy/a.yml", "top.yml", "x/c.yml", "x/y/c.yml"]),
    ],
)
def test_double_star_also_matches_no_folder(
    workspace: Path, check_main: Check, glob: str, left: list[str]
) -> None:
    _tree(
        workspace, "legacy/a.yml", "top.yml", "x/legacy/b.yml", "x/y/c.yml", "x/c.yml"
    )

    assert _paths(check_main("--exclude", glob)) == left


def test_absolute_excludes(workspace: Path, check_main: Check) -> None:
    _tree(workspace, "gen/a.yml", "roles/gen/b.yml", "roles/c.yml")

    outcome = check_main(
        "--exclude", str(workspace / "gen"), "--exclude", f"{workspace}/*/gen"
    )

    assert _paths(outcome) == ["roles/c.yml"]


def test_excludes_hold_for_paths_through_a_parent(
    workspace: Path, check_main: Check
) -> None:
    _tree(workspace, "roles/legacy/a.yml", "roles/web/b.yml", "sub/c.yml")

    outcome = check_main("--exclude", "roles/legacy", "sub/../roles")

    assert _paths(outcome) == ["roles/web/b.yml"]


def test_excludes_relative_to_the_current_folder(
    workspace: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(workspace, "sub/gen/a.yml", "sub/b.yml")
    monkeypatch.chdir(workspace / "sub")

    assert _paths(check_main("--exclude", "gen/*")) == ["b.yml"]


def test_paths_are_reported_as_given(
    workspace: Path, check_main: Check, tmp_path: Path
) -> None:
    _tree(workspace, "a/b.yml")

    assert _paths(check_main("./a/../a")) == ["a/b.yml"]
    assert _paths(check_main(str(workspace / "a"))) == [f"{workspace}/a/b.yml"]


def test_a_link_loop_does_not_trap_the_search(
    workspace: Path, check_main: Check
) -> None:
    _tree(workspace, "a/b.yml")
    (workspace / "a" / "loop").symlink_to(workspace / "a")

    assert _paths(check_main()) == ["a/b.yml"]


def test_a_file_reached_through_a_link_is_reported_under_its_own_name(
    workspace: Path, check_main: Check
) -> None:
    # The link sorts first; alerts belong on the file that needs the fix.
    _tree(workspace, "roles/main.yml")
    (workspace / "roles" / "a-link.yml").symlink_to("main.yml")

    assert _paths(check_main()) == ["roles/main.yml"]
    assert _paths(check_main("roles/a-link.yml")) == ["roles/a-link.yml"]


def test_standard_input(
    workspace: Path, check_main: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WRONG.encode())))

    outcome = check_main("-")

    assert outcome.stdout.startswith("-:3:19: ECS task definition uses")
    assert outcome.status == 1


def test_standard_input_with_a_name_among_files(workspace: Path) -> None:
    _tree(workspace, "z.yml")

    outcome = run(
        "z.yml",
        "-",
        "--stdin-filename",
        "roles/x.yml",
        cwd=workspace,
        stdin=WRONG.encode(),
    )

    assert _paths(outcome) == ["z.yml", "roles/x.yml"]
    assert outcome.status == 1


def test_standard_input_diff(workspace: Path) -> None:
    outcome = run("--diff", "-", cwd=workspace, stdin=WRONG.encode())

    assert "+    network_mode: awsvpc\n" in outcome.stdout
    assert outcome.stdout.startswith("--- a/-\n+++ b/-\n")


def test_clean_standard_input(workspace: Path) -> None:
    outcome = run("-", cwd=workspace, stdin=b"- debug: msg=hi\n")

    assert (outcome.status, outcome.stdout, outcome.stderr) == (0, "", "")


def test_many_files_in_parallel_keep_their_order(workspace: Path) -> None:
    names = [f"d{index % 3}/f{index:03}.yml" for index in range(40)]
    _tree(workspace, *names)
    (workspace / "d1" / "broken.yml").write_text("[", "utf-8")

    outcome = run("--format", "text", cwd=workspace)

    assert _paths(outcome) == sorted(names)
    assert "d1/broken.yml:1:2: error: YAML syntax error" in outcome.stderr
    assert outcome.status == 1


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_one_worker_per_core_the_process_may_use() -> None:
    # Pinned to one core (taskset, a container's CPU set), a pool of one
    # process per machine core only adds start-up and pickling costs.
    script = (
        "import os\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "from ecs_netmode_lsp.check_run import workers\n"
        "print(workers(10_000))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert completed.stdout == "1\n"
