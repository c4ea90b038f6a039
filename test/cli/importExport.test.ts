// `hooklens export --format har` and `hooklens import` as real processes: capture with listen,
// export, import into a fresh store, and compare; duplicates on re-import; bad files.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Har } from 'har-format';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-import-test-secret-7d2c9e4f1a0b8365';

after(cleanUp);

interface Exported {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Array<[string, string]>;
  readonly body: string;
  readonly bodyEncoding: string;
  readonly bodySha256: string;
  readonly event: string | null;
  readonly sessionId: string | null;
  readonly verification: { readonly verdict: string; readonly reason: string };
  readonly status: number | null;
}

function ndjsonRecords(stdout: string): Exported[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Exported);
}

describe('hooklens export --format har and hooklens import', () => {
  let source: string;
  let work: string;
  const token = signToken(SECRET, { sub: 'watson' });

  before(async () => {
    source = await tempDir();
    work = await tempDir();
    const listen = await startListen(['--store', source], { HOOKLENS_SECRET: SECRET });
    const answers = [
      await post(listen.port, messageLogged('log-1'), { Authorization: token }),
      await post(listen.port, messageLogged('log-2')), // unsigned → 401, kept
      await post(listen.port, Buffer.from([0xff, 0x00, 0xfe, 0x27]), {
        'Content-Type': 'application/octet-stream',
        Authorization: `Bearer ${token}`,
      }),
      await post(
        listen.port,
        '{"type":"invoice.paid","id":"evt_1"}',
        { 'X-Trace': "it's" },
        '/other?x=1',
      ),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 401, 200, 401],
    );
    await listen.waitForStdoutLines(4);
    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
  });

  it('exports a valid HAR with one entry per delivery, Authorization redacted', async () => {
    const out = join(work, 'all.har');
    const result = await runCli(['export', '--store', source, '--format', 'har', '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /exported 4 deliveries to /);
    const text = await readFile(out, 'utf8');
    const har = JSON.parse(text) as Har;
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.entries.length, 4);
    const [first] = har.log.entries;
    assert.match(first?.request.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    assert.equal(
      first?.request.headers.find((header) => header.name.toLowerCase() === 'authorization')?.value,
      '[redacted]',
    );
    assert.ok(!text.includes(token), 'no token');
    assert.ok(!text.includes(SECRET), 'no secret');
    assert.equal(
      (first as unknown as { _hooklens: { verdict: string } })._hooklens.verdict,
      'verified',
    );
  });

  it('--keep-authorization keeps the tokens (never the secret); --ids picks deliveries', async () => {
    const all = ndjsonRecords((await runCli(['export', '--store', source])).stdout);
    const ids = [all[2]?.id ?? '', all[0]?.id ?? ''];
    const result = await runCli([
      'export',
      '--store',
      source,
      '--format',
      'har',
      '--keep-authorization',
      '--ids',
      ids.join(','),
    ]);
    assert.equal(result.status, 0, result.stderr);
    const har = JSON.parse(result.stdout) as Har;
    assert.equal(har.log.entries.length, 2);
    assert.ok(result.stdout.includes(token));
    assert.ok(!result.stdout.includes(SECRET));
    // Oldest first, whatever order --ids named them in.
    assert.equal(
      (har.log.entries[0] as unknown as { _hooklens: { id: string } })._hooklens.id,
      all[0]?.id,
    );

    const missing = await runCli(['export', '--store', source, '--ids', 'nope,also-nope']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No delivery with id nope, also-nope in .*Nothing was exported\./);
    assert.equal(missing.stdout, '');
  });

  it('--out naming a folder writes a dated file in it', async () => {
    const folder = await tempDir();
    const result = await runCli(['export', '--store', source, '--format', 'har', '--out', folder]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /exported 4 deliveries to .*hooklens-deliveries-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.har\n$/,
    );
  });

  it('HAR round trip into a fresh store: same bodies, methods, paths, headers and verdicts', async () => {
    const file = join(work, 'round.har');
    assert.equal(
      (await runCli(['export', '--store', source, '--format', 'har', '--out', file])).status,
      0,
    );
    const fresh = await tempDir();
    const imported = await runCli(['import', file, '--store', fresh]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /^imported 4 deliveries from .*round\.har \(har\) into /);
    assert.equal(imported.stderr, '');

    const before = ndjsonRecords((await runCli(['export', '--store', source])).stdout);
    const afterImport = ndjsonRecords((await runCli(['export', '--store', fresh])).stdout);
    const comparable = (record: Exported) => ({
      id: record.id,
      method: record.method,
      path: record.path,
      headers: record.headers,
      body: record.body,
      bodyEncoding: record.bodyEncoding,
      bodySha256: record.bodySha256,
      event: record.event,
      sessionId: record.sessionId,
      verdict: record.verification.verdict,
      status: record.status,
    });
    assert.deepEqual(afterImport.map(comparable), before.map(comparable));
    for (const record of afterImport) {
      assert.match(record.verification.reason, /^Imported from round\.har; /);
    }
  });

  it('importing again reports every delivery as a duplicate; NDJSON imports too', async () => {
    const file = join(work, 'again.ndjson');
    assert.equal((await runCli(['export', '--store', source, '--out', file])).status, 0);
    const store = await tempDir();
    const first = await runCli(['import', file, '--store', store]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^imported 4 deliveries from .* \(ndjson\)/);
    const second = await runCli(['import', file, '--store', store]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^imported 0 deliveries, skipped 4 duplicates from /);
    const count = ndjsonRecords((await runCli(['export', '--store', store])).stdout).length;
    assert.equal(count, 4);
  });

  it('a missing file exits 1 with a clear message and creates no store', async () => {
    const store = join(await tempDir(), 'never-created');
    const result = await runCli(['import', join(work, 'nope.har'), '--store', store]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^hooklens import: .*nope\.har: no such file\.\n$/);
    assert.equal(result.stdout, '');
    await assert.rejects(readFile(join(store, 'store.lock')));
  });

  it('a malformed file exits 1 and says where it breaks; nothing is imported', async () => {
    const file = join(work, 'broken.har');
    await writeFile(file, '{\n  "log": {\n    "entries": [\n      { "request": }\n    ]\n  }\n}\n');
    const store = await tempDir();
    const result = await runCli(['import', file, '--store', store]);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /^hooklens import: broken\.har is not valid JSON or NDJSON: .*\(line 4, column \d+\)\.\n$/,
    );
    const notText = join(work, 'binary.har');
    await writeFile(notText, Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    const binary = await runCli(['import', notText, '--store', store]);
    assert.equal(binary.status, 1);
    assert.match(binary.stderr, /is not UTF-8 text/);
    assert.equal(ndjsonRecords((await runCli(['export', '--store', store])).stdout).length, 0);
  });

  it('bad lines are reported by number on stderr, the rest imported, exit 1', async () => {
    const good = (await runCli(['export', '--store', source])).stdout.split('\n');
    const file = join(work, 'partly.ndjson');
    await writeFile(file, [good[0], '{"not": "a delivery"}', 'garbage', good[1], ''].join('\n'));
    const store = await tempDir();
    const result = await runCli(['import', file, '--store', store]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /partly\.ndjson:2: skipped: not a HookLens delivery/);
    assert.match(result.stderr, /partly\.ndjson:3: skipped: not valid JSON/);
    assert.match(
      result.stdout,
      /^imported 2 deliveries, skipped 2 unreadable entries from .*partly\.ndjson \(ndjson\)/,
    );
  });

  it('usage mistakes exit 2; a store owned by a running listen is refused', async () => {
    const noFile = await runCli(['import', '--store', work]);
    assert.equal(noFile.status, 2);
    assert.match(noFile.stderr, /Name the file to import/);
    const noStore = await runCli(['import', join(work, 'all.har')]);
    assert.equal(noStore.status, 2);
    assert.match(noStore.stderr, /--store DIR is required/);
    const help = await runCli(['import', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: hooklens import FILE --store DIR/);

    const owned = await tempDir();
    const listen = await startListen(['--store', owned]);
    const result = await runCli(['import', join(work, 'all.har'), '--store', owned]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /in use by another HookLens process \(pid \d+/);
    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
  });
});
