// Runs inside the extension host of a desktop VS Code started by ../run.ts.
// Plain JavaScript so it loads without a TypeScript step in that process.
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function run() {
  const extension = vscode.extensions.getExtension('hooklens.hooklens');
  assert.ok(extension, 'HookLens is installed');
  await extension.activate();
  const commands = await vscode.commands.getCommands(true);
  const contributed = extension.packageJSON.contributes.commands.map((command) => command.command);
  for (const id of contributed) assert.ok(commands.includes(id), `${id} is registered`);
  await vscode.commands.executeCommand('workbench.view.extension.hooklens');
  console.log(`1 passed, 0 failed`);
}

module.exports = { run };
