// File snapshots for generated code: a library upgrade that changes what users get fails here
// instead of shipping silently. UPDATE_SNAPSHOTS=1 rewrites them; a missing one fails in CI.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SNAPSHOT_DIR = join(__dirname, 'snapshots');

export function assertSnapshot(name: string, actual: string): void {
  const path = join(SNAPSHOT_DIR, name);
  if (
    process.env['UPDATE_SNAPSHOTS'] === '1' ||
    (!existsSync(path) && process.env['CI'] !== 'true')
  ) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(
    existsSync(path),
    `Snapshot ${name} is missing; run with UPDATE_SNAPSHOTS=1 and commit it.`,
  );
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `Generated code differs from snapshot ${name} (UPDATE_SNAPSHOTS=1 to accept).`,
  );
}
