// Packages the extension as a .vsix (vsce runs `vscode:prepublish`, the production build) and
// checks the size budget. Prints the path of the package it wrote.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const MAX_VSIX_BYTES = 2 * 1024 * 1024;
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const out = `hooklens-${version}.vsix`;

execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', out], { stdio: 'inherit' });
const { size } = statSync(out);
console.log(`${out}: ${(size / 1024).toFixed(1)} KiB (budget ${MAX_VSIX_BYTES / 1024} KiB)`);
if (size >= MAX_VSIX_BYTES) {
  console.error(`The package is over its size budget of 2 MB.`);
  process.exit(1);
}
