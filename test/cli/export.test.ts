// `hooklens export` as a real process over a store filled in-process by the capture pipeline.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-export-test-secret-3e8f1a2b9c7d6054';

after(cleanUp);

interface Exported {
  readonly id: string;
  readonly receivedAt: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Array<[string, string]>;
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  readonly parseError: string | null;
  readonly sender: string;
  readonly event: string | null;
  readonly sessionId: string | null;
  readonly verification: { readonly verdict: string; readonly reason: string };
  readonly status: number | null;
  readonly retryCount: number;
  readonly duplicateOf: string | null;
}

let nextMs = Date.parse('2025-05-14T15:03:03.000Z');
function captured(body: string | Buffer, headers: Array<[string, string]> = []): CapturedRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    receivedAtMs: (nextMs += 1000),
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url: '/hooks/watson?env=dev',
    headers: [['Host', '127.0.0.1:7878'], ['Content-Type', 'application/json'], ...headers],
    remoteAddress: '127.0.0.1',
    body: bytes,
  };
}

describe('hooklens export', () => {
  let store: string;
  const token = signToken(SECRET, {});

  before(async () => {
    store = await tempDir();
    const deliveryStore = await DeliveryStore.open(store);
    const ingestor = new Ingestor(deliveryStore, {
      policy: 'reject',
      analyser: () => analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]),
    });
    await ingestor.ingest(captured(messageLogged('log-e1'), [['Authorization', token]]));
    await ingestor.ingest(captured(messageLogged('log-e1'), [['Authorization', token]])); // retry
    await ingestor.ingest(captured(messageLogged('log-e2'))); // unsigned → 401
    await ingestor.ingest(
      captured(Buffer.from([0xff, 0xfe, 0x00, 0x01]), [['Authorization', SECRET]]),
    );
    await deliveryStore.close();
  });

  it('ndjson: one object per line, oldest first, Authorization redacted, no secret (D-15)', async () => {
    const result = await runCli(['export', '--store', store]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.endsWith('\n'));
    const records = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Exported);
    assert.equal(records.length, 4);
    const [first, retry, unsigned, binary] = records;
    assert.equal(first?.event, 'message_logged');
    assert.equal(first?.path, '/hooks/watson?env=dev');
    assert.equal(first?.verification.verdict, 'verified');
    assert.equal(first?.status, 200);
    assert.equal(first?.retryCount, 1, 'the sender retried once');
    assert.equal(retry?.duplicateOf, first?.id);
    assert.equal(unsigned?.verification.verdict, 'missing_token');
    assert.equal(unsigned?.status, 401);
    assert.equal(binary?.bodyEncoding, 'base64');
    assert.equal(binary?.body, Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64'));
    assert.ok(binary?.parseError);
    assert.deepEqual(
      records.map((record) => record.receivedAt),
      [...records.map((record) => record.receivedAt)].sort(),
    );
    for (const record of records) {
      for (const [name, value] of record.headers) {
        if (name.toLowerCase() === 'authorization') assert.match(value, /redacted/);
      }
    }
    assert.ok(!result.stdout.includes(token), 'no token');
    assert.ok(!result.stdout.includes(SECRET), 'no secret');
  });

  it('--format json is one valid JSON array with the same records', async () => {
    const ndjson = await runCli(['export', '--store', store, '--format', 'ndjson']);
    const json = await runCli(['export', '--store', store, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    const array = JSON.parse(json.stdout) as Exported[];
    assert.ok(Array.isArray(array));
    assert.deepEqual(
      array,
      ndjson.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Exported),
    );
  });

  it('--out FILE writes the file and reports the count on stderr', async () => {
    const out = join(await tempDir(), 'deliveries.json');
    const result = await runCli(['export', '--store', store, '--format', 'json', '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /exported 4 deliveries to /);
    assert.equal((JSON.parse(await readFile(out, 'utf8')) as unknown[]).length, 4);
  });

  it('an empty store exports [] (json) and nothing (ndjson)', async () => {
    const empty = await tempDir();
    const json = await runCli(['export', '--store', empty, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), []);
    const ndjson = await runCli(['export', '--store', empty]);
    assert.equal(ndjson.stdout, '');
  });

  it('exports (as a viewer) while listen owns the store', async () => {
    const live = await tempDir();
    const listen = await startListen(['--store', live]);
    assert.equal((await post(listen.port, '{"type":"live.event","id":"evt_live"}')).status, 200);
    const result = await runCli(['export', '--store', live, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const records = JSON.parse(result.stdout) as Exported[];
    assert.deepEqual(
      records.map((record) => [record.event, record.verification.verdict]),
      [['live.event', 'no_secret']],
    );
    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
  });

  it('usage mistakes exit 2: missing --store, an unknown --format, an unknown option', async () => {
    const missing = await runCli(['export', '--format', 'json']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--store DIR is required/);
    assert.equal(missing.stdout, '');
    const format = await runCli(['export', '--store', store, '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format must be ndjson or json/);
    const unknown = await runCli(['export', '--store', store, '--frobnicate']);
    assert.equal(unknown.status, 2);
  });
});
