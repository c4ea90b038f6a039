#!/usr/bin/env bash
# Installs what `npm test` needs beyond npm packages: Debian's Chromium (Playwright cannot download a
# browser here), curl (the copy-as-cURL tests run real curl) and code-server 4.100.3 (VS Code 1.100.3).
# Idempotent and cached outside the clone (HOOKLENS_VSCODE_CACHE), so a second run takes a second.
# See ../shared/docs/real-vscode-tests.md for why each step exists.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${HOOKLENS_VSCODE_CACHE:-$HOME/.cache/hooklens-vscode}"
CODE_SERVER="$CACHE/node_modules/.bin/code-server"

log() { printf '[install-harness] %s\n' "$*"; }

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

if [ -x "$CODE_SERVER" ] && "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  log "code-server $CODE_SERVER_VERSION already installed in $CACHE"
  exit 0
fi

export npm_config_yes=true   # node-pty's install step calls npx node-gyp; some npmrc files set yes=false
log "installing code-server $CODE_SERVER_VERSION into $CACHE (a few minutes, once)"
rm -rf "$CACHE" && mkdir -p "$CACHE"
cd "$CACHE"
npm init -y >/dev/null
# --ignore-scripts: code-server's own postinstall downloads ripgrep from GitHub, which is unreachable.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null
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
"$CODE_SERVER" --version
log "done"
