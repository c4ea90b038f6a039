// Durability of `hooklens listen` with real processes: kill -9 under load loses no acknowledged
// delivery (D-01), and a torn last line is repaired on the next start (D-03).
import assert from 'node:assert/strict';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-durability-test-secret-0a9b8c7d6e5f';
const secretEnv = { HOOKLENS_SECRET: SECRET };

after(cleanUp);

interface Exported {
  readonly id: string;
  readonly body: string;
  readonly verification: { readonly verdict: string };
  readonly duplicateOf: string | null;
}

async function exportAll(store: string): Promise<Exported[]> {
  const result = await runCli(['export', '--store', store, '--format', 'ndjson']);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Exported);
}

/** Like `post`, but a socket error (the receiver was killed) becomes a value, not a rejection. */
function tryPost(
  port: number,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string } | { error: string }> {
  return post(port, body, headers).then(
    ({ status, body: text }) => ({ status, body: text }),
    (error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }),
  );
}

async function lastSegment(store: string): Promise<string> {
  const names = (await readdir(join(store, 'segments'))).filter((name) => name.endsWith('.jsonl'));
  names.sort();
  const last = names.at(-1);
  assert.ok(last, 'a segment exists');
  return join(store, 'segments', last);
}

/** Appends the first half of the segment's last line, without its newline: a torn write. */
async function tearLastSegment(store: string): Promise<void> {
  const segment = await lastSegment(store);
  const lines = (await readFile(segment, 'utf8')).split('\n').filter((line) => line !== '');
  const line = lines.at(-1) ?? '';
  assert.ok(line.length > 100);
  await appendFile(segment, line.slice(0, Math.floor(line.length / 2)));
}

describe('hooklens listen durability', () => {
  it('D-01: kill -9 during a burst of 300 deliveries (30 clients): every acknowledged id survives', async (t) => {
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--json'], secretEnv);
    const total = 300;
    const concurrency = 30;
    const killAfterAcks = 100;
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let issued = 0;
    let killed = false;

    const client = async (): Promise<void> => {
      while (issued < total) {
        const n = issued++;
        const result = await tryPost(listen.port, messageLogged(`log-d01-${n}`), {
          Authorization: signToken(SECRET, {}),
        });
        if ('error' in result) {
          failures.push(result.error);
          continue;
        }
        if (result.status >= 200 && result.status < 300) {
          const ack = JSON.parse(result.body) as { received: boolean; id: string };
          assert.equal(ack.received, true);
          acknowledged.push(ack.id);
          if (!killed && acknowledged.length >= killAfterAcks) {
            killed = true;
            process.kill(listen.pid, 'SIGKILL');
          }
        } else {
          failures.push(`HTTP ${result.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const exit = await listen.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(acknowledged.length >= killAfterAcks);
    assert.ok(acknowledged.length < total, `killed mid-burst (${acknowledged.length} acked)`);
    assert.ok(failures.length > 0, 'requests after the kill failed');
    assert.equal(acknowledged.length + failures.length, total);

    // Restart on the same store: the dead owner's lock is taken over, and nothing acked is lost.
    const restarted = await startListen(['--store', store], secretEnv);
    assert.match(restarted.stderr(), new RegExp(`store: HookLens \\(pid ${listen.pid} `));
    assert.equal(
      (
        await post(restarted.port, messageLogged('log-after-restart'), {
          Authorization: signToken(SECRET, {}),
        })
      ).status,
      200,
    );
    assert.deepEqual(await restarted.stop(), { code: 0, signal: null });

    const stored = await exportAll(store);
    t.diagnostic(
      `${acknowledged.length} acknowledged, ${failures.length} failed (${[...new Set(failures)].join(', ')}), ${stored.length} stored`,
    );
    const storedIds = new Set(stored.map((record) => record.id));
    const missing = acknowledged.filter((id) => !storedIds.has(id));
    assert.deepEqual(missing, [], `${missing.length} acknowledged deliveries were lost`);
    assert.ok(stored.every((record) => record.verification.verdict === 'verified'));
    assert.ok(stored.some((record) => record.body.includes('log-after-restart')));
    const logIds = stored.map((record) => /log-d01-\d+|log-after-restart/.exec(record.body)?.[0]);
    assert.equal(new Set(logIds).size, logIds.length, 'no delivery stored twice');
  });

  it('D-03: a torn last line: export still lists every complete record; listen repairs it and says so', async () => {
    const store = await tempDir();
    const first = await startListen(['--store', store], secretEnv);
    for (const n of [1, 2, 3]) {
      const result = await post(first.port, messageLogged(`log-d03-${n}`), {
        Authorization: signToken(SECRET, {}),
      });
      assert.equal(result.status, 200);
    }
    assert.deepEqual(await first.stop(), { code: 0, signal: null });

    await tearLastSegment(store);
    const exported = await exportAll(store);
    assert.deepEqual(
      exported.map((record) => /log-d03-\d/.exec(record.body)?.[0]),
      ['log-d03-1', 'log-d03-2', 'log-d03-3'],
    );

    await tearLastSegment(store);
    const listen = await startListen(['--store', store], secretEnv);
    assert.match(
      listen.stderr(),
      /store: The last \d+ bytes of \d+\.jsonl were an incomplete write/,
    );
    assert.match(listen.stderr(), /moved to quarantine\//);
    const after = await post(listen.port, messageLogged('log-d03-4'), {
      Authorization: signToken(SECRET, {}),
    });
    assert.equal(after.status, 200);
    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
    assert.match(listen.stderr(), /stopped \(4 deliveries in the store\)/);

    const again = await exportAll(store);
    assert.deepEqual(
      again.map((record) => /log-d03-\d/.exec(record.body)?.[0]),
      ['log-d03-1', 'log-d03-2', 'log-d03-3', 'log-d03-4'],
    );
    const quarantined = await readdir(join(store, 'quarantine'));
    assert.ok(quarantined.length >= 1, 'the torn bytes are kept in quarantine/');
  });
});
