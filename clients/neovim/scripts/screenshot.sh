#!/usr/bin/env bash
# Makes clients/neovim/screenshots/diagnostics.png: a real (non-headless)
# Neovim in a detached tmux pane, with the shipped config and the server,
# showing the network_mode warnings on a small playbook; the pane is captured
# with its colours and drawn to a PNG by render_ansi.py.
#
#   bash clients/neovim/scripts/screenshot.sh [OUT.png [SCREEN.txt]]
#
# SCREEN.txt, when given, receives the pane as plain text, for a test to read.
#
# Uses the Python of the active virtualenv (or $PYTHON): `nvim` and
# `ecs-netmode-lsp` next to it (ECS_NETMODE_LSP_CMD overrides the server).
# Installs tmux and fonts-dejavu-core (apt) and Pillow (pip) when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
client_dir="$(dirname "$here")"
out="${1:-$client_dir/screenshots/diagnostics.png}"
screen_text="${2:-}"
cols=124
rows=28

if [[ -n "${PYTHON:-}" ]]; then py="$PYTHON"
elif [[ -n "${VIRTUAL_ENV:-}" ]]; then py="$VIRTUAL_ENV/bin/python"
else py="$(command -v python3)"; fi
bin_dir="$(dirname "$("$py" -c 'import sys; print(sys.executable)')")"
nvim="$bin_dir/nvim"
[[ -x "$nvim" ]] || nvim="$(command -v nvim)" || { echo "screenshot: no nvim (run setup-test.sh)" >&2; exit 1; }
server="${ECS_NETMODE_LSP_CMD:-$bin_dir/ecs-netmode-lsp}"
[[ -x "$server" ]] || { echo "screenshot: no server at $server" >&2; exit 1; }

missing=()
command -v tmux >/dev/null || missing+=(tmux)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]] || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
  apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; }
fi
"$py" -c 'import PIL' 2>/dev/null || "$py" -m pip install --quiet pillow

work="$(mktemp -d)"
sock="ecs-netmode-shot-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/project"
: > "$work/project/ansible.cfg"
cat > "$work/project/deploy.yml" <<'YAML'
---
- name: Deploy the web service
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Register the web task definition
      community.aws.ecs_taskdefinition:
        family: web
        network_mode: host
        containers:
          - name: web
            image: nginx:1.27
            memory: 256

    - name: Register the worker task definition
      community.aws.ecs_taskdefinition:
        family: worker
        state: present

    - name: Register the api task definition
      community.aws.ecs_taskdefinition:
        family: api
        network_mode: awsvpc
YAML

cat > "$work/init.lua" <<'LUA'
vim.opt.runtimepath:prepend(vim.env.ECS_NETMODE_CLIENT_DIR)
vim.o.termguicolors = true
vim.o.swapfile = false
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true })
vim.lsp.config('ecs_netmode_lsp', { cmd = { vim.env.ECS_NETMODE_LSP_CMD } })
vim.lsp.enable('ecs_netmode_lsp')

local done = false
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(args)
    local list = vim.diagnostic.get(args.buf)
    if done or #list < 2 then
      return
    end
    done = true
    table.sort(list, function(a, b) return a.lnum < b.lnum end)
    vim.schedule(function()
      vim.api.nvim_win_set_cursor(0, { list[1].lnum + 1, list[1].col })
      -- Open the float once the cursor move has been handled (it closes floats).
      vim.defer_fn(function()
        vim.diagnostic.open_float({ scope = 'cursor', border = 'rounded' })
        vim.defer_fn(function()
          vim.fn.writefile({ 'ready' }, vim.env.ECS_NETMODE_READY)
        end, 500)
      end, 200)
    end)
  end,
})
LUA

tmux -L "$sock" -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" \
  "cd '$work/project' && env TERM=tmux-256color COLORTERM=truecolor \
   ECS_NETMODE_CLIENT_DIR='$client_dir' ECS_NETMODE_LSP_CMD='$server' \
   ECS_NETMODE_READY='$work/ready' XDG_STATE_HOME='$work/state' \
   '$nvim' --clean -u '$work/init.lua' deploy.yml"

for _ in $(seq 1 600); do
  [[ -f "$work/ready" ]] && break
  sleep 0.1
done
if [[ ! -f "$work/ready" ]]; then
  echo "screenshot: no diagnostics within 60 s; the screen was:" >&2
  tmux -L "$sock" capture-pane -p -t shot >&2 || true
  exit 1
fi

tmux -L "$sock" capture-pane -p -e -N -t shot > "$work/screen.ansi"
if [[ -n "$screen_text" ]]; then
  tmux -L "$sock" capture-pane -p -t shot > "$screen_text"
fi
mkdir -p "$(dirname "$out")"
"$py" "$here/render_ansi.py" "$work/screen.ansi" "$out" --cols "$cols" --rows "$rows"
tmux -L "$sock" send-keys -t shot Escape ':qa!' Enter
for _ in $(seq 1 50); do
  tmux -L "$sock" has-session -t shot 2>/dev/null || break
  sleep 0.1
done
echo "screenshot: wrote $out"
