// The CLI as a real process: the built bundle, run with node, as `hooklens` would be.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
};

function hooklens(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('hooklens CLI', () => {
  it('prints the package version', () => {
    const result = hooklens('--version');
    assert.equal(result.status, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it('prints help listing every command', () => {
    const result = hooklens('--help');
    assert.equal(result.status, 0);
    for (const command of ['listen', 'tail', 'send', 'replay', 'export', 'generate']) {
      assert.match(result.stdout, new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('exits 2 with help when run without a command', () => {
    const result = hooklens();
    assert.equal(result.status, 2);
    assert.match(result.stdout, /Usage: hooklens/);
  });

  it('rejects an unknown command with a usage error on stderr', () => {
    const result = hooklens('frobnicate');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
    assert.equal(result.stdout, '');
  });

  it('is declared as the package bin with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    assert.equal(pkg.bin.hooklens, './dist/cli.js');
    assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });
});
