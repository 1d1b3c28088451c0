"""Helpers for the ``check`` command tests.

``run`` starts the real command in a subprocess (end to end, as CI would);
``check`` calls ``check.main`` in this process, which is much faster.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecs_netmode_lsp import check

DATA = Path(__file__).parent / "data"
FIX = DATA / "fix"
FIXED = DATA / "fixed"


@dataclass(frozen=True)
class Outcome:
    """What one run of the command did."""

    status: int
    stdout: str
    stderr: str


def run(
    *args: str,
    cwd: Path,
    stdin: bytes = b"",
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run ``python -m ecs_netmode_lsp check ARGS`` and capture what it wrote."""
    environment = {**os.environ, "NO_COLOR": "", "FORCE_COLOR": "", **(env or {})}
    completed = subprocess.run(
        [sys.executable, "-m", "ecs_netmode_lsp", "check", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )
    return Outcome(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder that is the current folder, with no configuration above."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield folder


@pytest.fixture
def fixtures(workspace: Path) -> Path:
    """The workspace holding a copy of every fix fixture."""
    for source in FIX.iterdir():
        shutil.copyfile(source, workspace / source.name)
    return workspace


@pytest.fixture
def check_main(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Call ``check.main`` in this process and return its ``Outcome``."""

    def call(*args: str) -> Outcome:
        status = check.main(list(args))
        captured = capsys.readouterr()
        return Outcome(status, captured.out, captured.err)

    return call
