// D-01: kill -9 the writing process under concurrent load; every acknowledged delivery must be
// there after restart. (Process crash only: the page cache survives. Power loss, D-02, needs a VM.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeliveryStore } from '../../src/core/store/deliveryStore';

const storeModule = resolve(__dirname, '../../src/core/store/deliveryStore.ts');
const tempDirs: string[] = [];

after(async () => {
  for (const dir of tempDirs) {
    await rm(dir, { recursive: true, force: true });
  }
});

// The child writes with 16 concurrent "clients" and prints an id only after put() resolved,
// the moment the receiver would answer 2xx.
const writer = `
const loaded = await import(${JSON.stringify(storeModule)});
const { DeliveryStore } = loaded.DeliveryStore ? loaded : loaded.default;
const store = await DeliveryStore.open(process.argv[1], { segmentMaxBytes: 64 * 1024 });
const body = Buffer.from(JSON.stringify({ text: 'z'.repeat(300) })).toString('base64');
let next = 0;
async function client() {
  for (;;) {
    const id = 'k' + String(next++).padStart(7, '0');
    await store.put({
      v: 1, id, receivedAt: '2025-06-01T10:00:00.000Z', method: 'POST', url: '/hook',
      headers: [], remoteAddress: '127.0.0.1', bodyBase64: body, bodySha256: '', bodySize: 320,
      parseError: null, sender: 'generic', event: null, sessionId: null, senderEventId: null,
      verification: { verdict: 'no_secret', reason: '' }, response: null, attempts: [],
      duplicateOf: null, dedupeKey: null,
    });
    process.stdout.write('ack ' + id + '\\n');
  }
}
for (let i = 0; i < 16; i++) void client();
`;

describe('DeliveryStore crash safety', () => {
  it(
    'D-01: kill -9 under 16 concurrent writers loses no acknowledged delivery',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'hooklens-store-crash-'));
      tempDirs.push(dir);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', writer, dir],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const acked: string[] = [];
      let pending = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('ack ')) {
            acked.push(line.slice(4));
          }
        }
        if (acked.length >= 2_000 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
        }
      });
      const exit = await new Promise<NodeJS.Signals | null>((done) =>
        child.on('close', (_code, signal) => done(signal)),
      );
      assert.equal(exit, 'SIGKILL');
      assert.ok(acked.length >= 2_000);

      const store = await DeliveryStore.open(dir, { maxDeliveries: 1_000_000 });
      try {
        assert.equal(store.mode, 'owner', 'the dead writer left a stale lock, taken over');
        const missing = acked.filter((id) => !store.summary(id));
        assert.deepEqual(missing, [], `${missing.length} acknowledged deliveries lost`);
        // More may be stored than acked (written, killed before the ack): the sender retries.
        assert.ok(store.size >= acked.length);
        const seqs = store.summaries().map((s) => s.seq);
        assert.equal(new Set(seqs).size, seqs.length, 'seq unique');
        const sample = acked[Math.floor(acked.length / 2)] ?? '';
        assert.equal((await store.get(sample))?.id, sample);
      } finally {
        await store.close();
      }
    },
  );
});
