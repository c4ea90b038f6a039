// `hooklens stats` as a real process over a store filled in-process by the capture pipeline.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Attempt, DeliveryRecord } from '../../src/core/delivery';
import type { HealthSnapshot } from '../../src/core/health/healthTracker';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-stats-test-secret-7a4c2e9b1d3f5068';
const MINUTE = 60_000;

after(cleanUp);

function captured(
  agoMs: number,
  body: string,
  url: string,
  headers: Array<[string, string]> = [],
): CapturedRequest {
  return {
    receivedAtMs: Date.now() - agoMs,
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url,
    headers: [['Host', '127.0.0.1:7878'], ['Content-Type', 'application/json'], ...headers],
    remoteAddress: '127.0.0.1',
    body: Buffer.from(body),
  };
}

function forwardAttempt(id: string, status: number | null, timeMs: number | null): Attempt {
  return {
    id,
    kind: 'forward',
    at: new Date().toISOString(),
    target: 'http://127.0.0.1:3000/api/webhooks',
    tokenMode: 'original',
    status,
    timeMs,
    error: status === null ? 'connect ECONNREFUSED 127.0.0.1:3000' : null,
    response: null,
  };
}

describe('hooklens stats', () => {
  let store: string;

  before(async () => {
    store = await tempDir();
    const deliveryStore = await DeliveryStore.open(store);
    const ingestor = new Ingestor(deliveryStore, {
      policy: 'reject',
      analyser: () => analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]),
    });
    const auth: Array<[string, string]> = [['Authorization', signToken(SECRET, {})]];
    const ingest = async (
      agoMs: number,
      logId: string,
      url: string,
      headers: Array<[string, string]>,
    ): Promise<DeliveryRecord> => {
      const { record } = await ingestor.ingest(captured(agoMs, messageLogged(logId), url, headers));
      assert.ok(record);
      return record;
    };
    const d1 = await ingest(1 * MINUTE, 'log-s1', '/hooks/watson?env=dev', auth);
    const d2 = await ingest(2 * MINUTE, 'log-s2', '/hooks/watson?env=prod', auth);
    const d3 = await ingest(3 * MINUTE, 'log-s3', '/hooks/watson', auth);
    const d4 = await ingest(4 * MINUTE, 'log-s4', '/hooks/watson', []); // unsigned → 401
    const d5 = await ingest(2 * 60 * MINUTE, 'log-s5', '/hooks/old', auth);
    // Measured times vary run to run; fix them (and the forwards) so the figures are exact.
    const times: Array<[DeliveryRecord, number, Attempt | null]> = [
      [d1, 5, forwardAttempt('f1', 200, 12)],
      [d2, 6, forwardAttempt('f2', null, null)],
      [d3, 30, null],
      [d4, 1, null],
      [d5, 99, null],
    ];
    for (const [record, timeMs, attempt] of times) {
      await deliveryStore.update(record.id, (current) => ({
        ...current,
        response: current.response && { ...current.response, timeMs },
        attempts: attempt ? [attempt] : [],
      }));
    }
    ingestor.dispose();
    await deliveryStore.close();
  });

  it('--json: one object with the figures of the window', async () => {
    const result = await runCli(['stats', '--store', store, '--window', '5m', '--json']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trimEnd().split('\n').length, 1, 'one line');
    const snapshot = JSON.parse(result.stdout) as HealthSnapshot;
    assert.equal(snapshot.window, 5 * MINUTE);
    assert.equal(snapshot.total, 4);
    assert.equal(snapshot.perMinute.rate, 4 / 5);
    assert.equal(snapshot.perMinute.series.length, 5);
    assert.equal(snapshot.verdicts.verified, 3);
    assert.equal(snapshot.verdicts.missing_token, 1);
    assert.equal(snapshot.failedVerifications, 1);
    assert.deepEqual(snapshot.forwards, {
      attempted: 2,
      succeeded: 1,
      failed: 1,
      successRate: 0.5,
    });
    // Times 12 (forward), none (forward without answer), 30, 1 → 1, 12, 30.
    assert.deepEqual(snapshot.byEvent, [
      {
        kind: 'key',
        key: 'message_logged',
        keyCount: 1,
        count: 4,
        timed: 3,
        p50: 12,
        p95: 30,
        p99: 30,
        max: 30,
        errors: 2,
        errorRate: 0.5,
      },
    ]);
    assert.deepEqual(
      snapshot.byEndpoint.map((row) => [row.key, row.count]),
      [['POST /hooks/watson', 4]],
    );
  });

  it('--window all (the default) includes the old delivery', async () => {
    const result = await runCli(['stats', '--store', store, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const snapshot = JSON.parse(result.stdout) as HealthSnapshot;
    assert.equal(snapshot.window, 'all');
    assert.equal(snapshot.total, 5);
    assert.deepEqual(
      snapshot.byEndpoint.map((row) => [row.key, row.count, row.max]),
      [
        ['POST /hooks/watson', 4, 30],
        ['POST /hooks/old', 1, 99],
      ],
    );
    const hour = JSON.parse(
      (await runCli(['stats', '--store', store, '--window', '1h', '--json'])).stdout,
    ) as HealthSnapshot;
    assert.equal(hour.total, 4);
  });

  it('readable form: a header with the totals, then per event and per endpoint tables', async () => {
    const result = await runCli(['stats', '--store', store, '--window', '5m']);
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /^Delivery health, last 5m \(\S+Z – \S+Z\)$/m);
    assert.match(
      out,
      /^4 deliveries, 0\.80\/min, errors 50\.0%, p50 12 ms, p95 30 ms, max 30 ms, forwards 1 of 2 took 2xx \(50\.0%\)$/m,
    );
    assert.match(out, /^Verdicts: verified 3, missing_token 1 \(1 failed verification\)$/m);
    assert.match(out, /^Per minute, last 5 min \(max \d\): [·▁▂▃▄▅▆▇█]{5}$/m);
    assert.match(out, /^EVENT\s+COUNT\s+P50 MS\s+P95 MS\s+MAX MS\s+ERRORS$/m);
    assert.match(out, /^message_logged\s+4\s+12\s+30\s+30\s+50\.0%$/m);
    assert.match(out, /^ENDPOINT\s+COUNT/m);
    assert.match(out, /^POST \/hooks\/watson\s+4\s+12\s+30\s+30\s+50\.0%$/m);
    assert.doesNotMatch(out, /hooks\/old/);
  });

  it('an empty window says so', async () => {
    const empty = await tempDir();
    await (await DeliveryStore.open(empty)).close();
    const result = await runCli(['stats', '--store', empty, '--window', '15m']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /No deliveries in the last 15m\./);
    const all = await runCli(['stats', '--store', empty, '--json']);
    assert.equal((JSON.parse(all.stdout) as HealthSnapshot).total, 0);
  });

  it('usage errors exit 2: a bad window, a missing value, no --store', async () => {
    for (const window of ['5x', '0m', '1.5h', 'forever', '']) {
      const result = await runCli(['stats', '--store', store, '--window', window]);
      assert.equal(result.status, 2, `--window '${window}': ${result.stderr}`);
      assert.match(result.stderr, /--window must be/);
      assert.equal(result.stdout, '');
    }
    const missing = await runCli(['stats', '--store', store, '--window']);
    assert.equal(missing.status, 2, missing.stderr);
    const noStore = await runCli(['stats']);
    assert.equal(noStore.status, 2);
    assert.match(noStore.stderr, /--store DIR is required/);
  });

  it('a folder that is not a store exits 1 and is not created', async () => {
    const nowhere = join(await tempDir(), 'not-here');
    const result = await runCli(['stats', '--store', nowhere]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /No store at/);
    const again = await runCli(['stats', '--store', nowhere]);
    assert.match(again.stderr, /No store at/, 'still not there');
  });

  it('reads a store a running listen owns (viewer), and is listed in --help', async () => {
    const owned = await tempDir();
    const listen = await startListen(['--store', owned]);
    await post(listen.port, messageLogged('log-live-1'));
    await post(listen.port, messageLogged('log-live-2'));
    const result = await runCli(['stats', '--store', owned, '--window', '5m', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const snapshot = JSON.parse(result.stdout) as HealthSnapshot;
    assert.equal(snapshot.total, 2);
    assert.equal(snapshot.verdicts.no_secret, 2, 'listen has no secret here');
    await listen.stop();
    const help = await runCli(['--help']);
    assert.match(help.stdout, /^ {2}stats\s+Delivery health/m);
    const statsHelp = await runCli(['stats', '--help']);
    assert.equal(statsHelp.status, 0);
    assert.match(statsHelp.stdout, /Usage: hooklens stats --store DIR/);
  });
});
