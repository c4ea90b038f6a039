// The team store on a real PostgreSQL (a throwaway cluster started here): the store itself
// across several instances, then `hooklens listen/tail/export/stats/replay --database-env` as
// real processes, including kill -9 and a database restart under load.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import {
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../scripts/postgres/throwawayCluster';
import type { DeliveryRecord } from '../../src/core/delivery';
import { PostgresDeliveryStore } from '../../src/core/store/postgres/postgresStore';
import type { DeliveryInput, StoreChangeEvent } from '../../src/core/store/types';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cleanUp, cliPath, post, runCli, startCli, startListen, tempDir } from './listenProcess';

const execFileAsync = promisify(execFile);
let cluster: ThrowawayCluster;
const stores: PostgresDeliveryStore[] = [];

before(async () => {
  cluster = await startThrowawayCluster();
});
after(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await cleanUp();
  await cluster.destroy();
});

async function open(
  url: string,
  options: Parameters<typeof PostgresDeliveryStore.open>[1] = {},
): Promise<PostgresDeliveryStore> {
  const store = await PostgresDeliveryStore.open(url, options);
  stores.push(store);
  return store;
}

let counter = 0;
function delivery(overrides: Partial<DeliveryInput> = {}): DeliveryInput {
  const id = `d-${process.pid}-${++counter}`;
  const body = Buffer.from(JSON.stringify({ n: counter }));
  return {
    v: 1,
    id,
    receivedAt: new Date(Date.UTC(2026, 11, 4, 12, 0, counter % 60)).toISOString(),
    method: 'POST',
    url: '/hook',
    headers: [['content-type', 'application/json']],
    bodyBase64: body.toString('base64'),
    bodySize: body.length,
    sender: 'generic',
    event: 'thing.happened',
    sessionId: null,
    verification: { verdict: 'no_secret', reason: 'no secret set' },
    response: { status: 200, headers: [], body: '', timeMs: 1 },
    attempts: [],
    duplicateOf: null,
    dedupeKey: null,
    ...overrides,
  } as DeliveryInput;
}

/** Resolves with the first change event `store` fires that satisfies `test`. */
function changeWhere(
  store: PostgresDeliveryStore,
  test: (event: StoreChangeEvent) => boolean,
): Promise<StoreChangeEvent> {
  return new Promise((resolve) => {
    const subscription = store.onDidChange((event) => {
      if (!test(event)) return;
      subscription.dispose();
      resolve(event);
    });
  });
}

describe('team store (PostgreSQL)', () => {
  it('stores, reads back and lists deliveries; bytes PostgreSQL text cannot hold survive', async () => {
    const db = await cluster.newDatabase();
    const store = await open(db.writerUrl);
    assert.equal(store.kind, 'team');
    assert.equal(store.mode, 'owner');
    assert.doesNotMatch(store.location, /writer-pw/, 'the password never appears in messages');
    const body = Buffer.from('{"text":"nul \\u0000 and raw \u0000 byte"}\u0000');
    const stored = await store.put(
      delivery({
        event: 'odd\u0000event',
        bodyBase64: body.toString('base64'),
        bodySize: body.length,
      }),
    );
    const back = await store.get(stored.id);
    assert.equal(back?.bodyBase64, body.toString('base64'));
    assert.equal(back?.event, 'odd\u0000event');
    assert.equal(store.summary(stored.id)?.event, 'odd\u0000event');
    const second = await store.put(delivery());
    assert.deepEqual(
      store.summaries().map((summary) => summary.id),
      [second.id, stored.id],
      'newest first',
    );
    assert.ok(second.seq > stored.seq);
  });

  it('two receivers taking one delivery at once: the database decides which is first', async () => {
    const db = await cluster.newDatabase();
    const a = await open(db.writerUrl);
    const b = await open(db.writerUrl);
    for (let round = 0; round < 10; round++) {
      const key = `github:delivery-${round}`;
      const [x, y] = await Promise.all([
        a.put(delivery({ dedupeKey: key })),
        b.put(delivery({ dedupeKey: key })),
      ]);
      const firsts = [x, y].filter((record) => record.duplicateOf === null);
      assert.equal(firsts.length, 1, `round ${round}: exactly one first`);
      const duplicate = [x, y].find((record) => record.duplicateOf !== null);
      assert.equal(duplicate?.duplicateOf, firsts[0]?.id);
    }
    await a.refresh();
    const counted = a.summaries().filter((summary) => summary.duplicateCount === 1);
    assert.equal(counted.length, 10, 'each first counts its duplicate');
  });

  it('follows what other processes commit through the change feed, deletes and clears included', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    const follower = await open(db.readerUrl);
    assert.equal(follower.mode, 'readonly');
    const added = changeWhere(follower, (event) => event.added.length > 0);
    const stored = await writer.put(delivery());
    assert.deepEqual((await added).added, [stored.id]);
    assert.equal(follower.summary(stored.id)?.id, stored.id);

    const updated = changeWhere(follower, (event) => event.updated.includes(stored.id));
    await writer.update(stored.id, (record) => ({
      ...record,
      attempts: [
        ...record.attempts,
        {
          id: 'a1',
          kind: 'forward',
          at: new Date().toISOString(),
          target: 'http://127.0.0.1:1/',
          tokenMode: 'original',
          status: 502,
          timeMs: 3,
          error: null,
          response: null,
        },
      ],
    }));
    await updated;
    assert.equal(follower.summary(stored.id)?.forward?.status, 502);

    const deleted = changeWhere(follower, (event) => event.deleted.includes(stored.id));
    await writer.delete([stored.id]);
    await deleted;
    assert.equal(follower.summary(stored.id), undefined);

    await writer.put(delivery());
    await follower.refresh();
    assert.equal(follower.size, 1);
    const cleared = changeWhere(follower, (event) => event.cleared);
    await writer.clear();
    await cleared;
    assert.equal(follower.size, 0);

    // Queued together: the clear removes what came before it, not what was put after it.
    const before = writer.put(delivery());
    const clearing = writer.clear();
    const after = writer.put(delivery());
    const [, , kept] = await Promise.all([before, clearing, after]);
    assert.deepEqual(
      writer.summaries().map((summary) => summary.id),
      [kept.id],
    );
  });

  it('one commit holding a delete and a put of the same delivery, or a first and its duplicate: every follower ends where the database is', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    const follower = await open(db.readerUrl);
    const stored = await writer.put(delivery());
    await follower.refresh();
    // The first put takes a commit of its own; the rest queue behind it and share the next one.
    const filler = writer.put(delivery());
    const deleting = writer.delete([stored.id]);
    const again = writer.put({ ...stored, event: 'again' });
    const first = writer.put(delivery({ dedupeKey: 'k-same-batch' }));
    const second = writer.put(delivery({ dedupeKey: 'k-same-batch' }));
    const [, , back, one, two] = await Promise.all([filler, deleting, again, first, second]);
    assert.equal(back.event, 'again');
    assert.equal(two.duplicateOf, one.id);
    await follower.refresh();
    for (const store of [writer, follower]) {
      assert.equal(store.summary(stored.id)?.event, 'again', 'the put after the delete stands');
      assert.equal(store.summary(one.id)?.duplicateCount, 1, 'a first counts its duplicate');
    }
  });

  it('a reader role is refused writes, by HookLens and by the database itself', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    const stored = await writer.put(delivery());
    const reader = await open(db.readerUrl);
    assert.equal(reader.mode, 'readonly');
    assert.match(reader.readOnlyReason ?? '', /may only read/);
    await assert.rejects(reader.delete([stored.id]), { code: 'READ_ONLY' });
    await assert.rejects(reader.clear(), { code: 'READ_ONLY' });
    // Even a HookLens that did not check: the role's privileges refuse it.
    const raw = new Client({ connectionString: db.readerUrl });
    await raw.connect();
    try {
      await assert.rejects(raw.query('DELETE FROM hooklens_deliveries'), /permission denied/);
      const rows = await raw.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM hooklens_deliveries',
      );
      assert.equal(rows.rows[0]?.n, 1);
    } finally {
      await raw.end();
    }
  });

  it('a reader cannot open a database that has no HookLens tables yet, and says what to do', async () => {
    const db = await cluster.newDatabase();
    await assert.rejects(
      PostgresDeliveryStore.open(db.readerUrl),
      /no HookLens tables yet.*writer role/,
    );
    // Reading with the writer role creates nothing either: the database stays empty.
    await assert.rejects(
      PostgresDeliveryStore.open(db.writerUrl, { access: 'read' }),
      /no HookLens tables yet, and opening it to read creates nothing/,
    );
    assert.equal(
      (await cluster.sql("SELECT to_regclass('hooklens_deliveries') IS NULL", db.name)).trim(),
      't',
    );
  });

  it('migrations run once when receivers start together', async () => {
    const db = await cluster.newDatabase();
    const opened = await Promise.all([1, 2, 3, 4].map(() => open(db.writerUrl)));
    assert.ok(opened.every((store) => store.mode === 'owner'));
    const versions = await cluster.sql('SELECT count(*) FROM hooklens_schema_migrations', db.name);
    assert.equal(versions.trim(), '1');
  });

  it('retention: limits are recorded in the store; the oldest go first, for every follower', async () => {
    const db = await cluster.newDatabase();
    const evictions: string[] = [];
    const writer = await open(db.writerUrl, { maxDeliveries: 5 });
    assert.equal(writer.retention.source, 'options');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await writer.put(delivery())).id);
    assert.deepEqual(
      writer.summaries().map((summary) => summary.id),
      ids.slice(3).reverse(),
    );
    const later = await open(db.writerUrl);
    assert.equal(later.retention.source, 'store');
    assert.equal(later.retention.maxDeliveries, 5);
    // A smaller limit says what it removes before removing it.
    const smaller = await open(db.writerUrl, {
      maxDeliveries: 3,
      onWillEvict: (notice) => {
        evictions.push(notice.message);
      },
    });
    assert.equal(evictions.length, 1);
    assert.match(evictions[0] ?? '', /removes the 2 oldest/);
    assert.equal(smaller.size, 3);
  });

  it('retention by bytes: a smaller byte limit removes the oldest until the rest fits', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await writer.put(delivery())).id);
    const each = writer.liveBytes / 30;
    const smaller = await open(db.writerUrl, { maxBytes: Math.floor(each * 10.5) });
    assert.ok(smaller.liveBytes <= each * 10.5, `${smaller.liveBytes} bytes kept`);
    assert.deepEqual(
      smaller.summaries().map((summary) => summary.id),
      ids.slice(-smaller.size).reverse(),
      'the newest are kept',
    );
    assert.ok(smaller.size >= 9 && smaller.size <= 10, `${smaller.size} kept`);
  });

  it('with firstPage, open lists the newest at once and the rest after, without bringing back what was deleted meanwhile', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await writer.put(delivery())).id);
    const follower = await open(db.readerUrl, { firstPage: 20 });
    // The rest may already be listed (open also connects the change feed): the newest lead.
    assert.ok(follower.size >= 20);
    assert.deepEqual(
      follower
        .summaries()
        .slice(0, 20)
        .map((summary) => summary.id),
      ids.slice(-20).reverse(),
      'the newest page first',
    );
    const oldest = ids[0] ?? '';
    await writer.delete([oldest]);
    await follower.refresh();
    await follower.whenListed();
    await follower.refresh();
    assert.equal(follower.size, 119);
    assert.equal(follower.summary(oldest), undefined);
    assert.deepEqual(
      follower.summaries().map((summary) => summary.id),
      ids.slice(1).reverse(),
    );
  });

  it("TLS: verify-full with the server's CA connects encrypted; another CA is refused with a clear error", async () => {
    const db = await cluster.newDatabase();
    const tls = `${db.writerUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(cluster.caFile)}`;
    const store = await open(tls);
    await store.put(delivery());
    const raw = new Client({ connectionString: tls });
    await raw.connect();
    try {
      const result = await raw.query<{ ssl: boolean }>(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      assert.equal(result.rows[0]?.ssl, true);
    } finally {
      await raw.end();
    }
    const otherCa = join(await tempDir(), 'other-ca.crt');
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Someone else',
      '-keyout',
      `${otherCa}.key`,
      '-out',
      otherCa,
    ]);
    await assert.rejects(
      PostgresDeliveryStore.open(
        `${db.writerUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(otherCa)}`,
      ),
      (error: Error) =>
        /Could not open the team database .*certificate/i.test(error.message) &&
        !error.message.includes('writer-pw'),
    );
  });

  it('a schema newer than this HookLens opens read-only and is never written', async () => {
    const db = await cluster.newDatabase();
    const writer = await open(db.writerUrl);
    await writer.put(delivery());
    await cluster.sql(
      "INSERT INTO hooklens_schema_migrations (version, name) VALUES (999, 'from_the_future')",
      db.name,
    );
    const older = await open(db.writerUrl);
    assert.equal(older.mode, 'readonly');
    assert.match(older.readOnlyReason ?? '', /newer HookLens/);
    assert.equal(older.size, 1);
  });
});

/** A handler on loopback that records what it is sent. */
async function startHandler(): Promise<{ server: Server; port: number; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('handled');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, bodies };
}

/** Every `n` in the exported deliveries' bodies, as the team store holds them. */
async function storedNumbers(env: Record<string, string>): Promise<number[]> {
  const exported = await runCli(['export', '--database-env', 'TEAM_DB', '--format', 'ndjson'], env);
  assert.equal(exported.status, 0, exported.stderr);
  return exported.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const delivery = JSON.parse(line) as { body?: unknown; bodyText?: unknown };
      const text =
        typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body);
      return (JSON.parse(text) as { n: number }).n;
    });
}

describe('hooklens on the team store (processes)', () => {
  it('two receivers on one database: every acknowledged delivery is there once; tail and stats see both', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const env = { TEAM_DB: db.writerUrl, HOME: home };
    const one = await startListen(['--database-env', 'TEAM_DB'], env);
    const two = await startListen(['--database-env', 'TEAM_DB'], env);
    assert.match(
      one.stderr(),
      /store team database hooklens_\d+ on 127\.0\.0\.1:\d+ as hooklens_writer/,
    );
    assert.doesNotMatch(one.stderr() + two.stderr(), /writer-pw/);
    const tail = startCli(['tail', '--database-env', 'TEAM_DB', '--json'], {
      TEAM_DB: db.readerUrl,
      HOME: home,
    });
    await tail.waitForStderr(/following the team database/);
    const acknowledged: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const result = await post((n % 2 === 0 ? one : two).port, JSON.stringify({ n }));
        if (result.status === 200) acknowledged.push(n);
      }),
    );
    assert.equal(acknowledged.length, 40);
    const numbers = await storedNumbers(env);
    assert.deepEqual(
      [...numbers].sort((a, b) => a - b),
      [...acknowledged].sort((a, b) => a - b),
    );
    const lines = await tail.waitForStdoutLines(40, 15_000);
    const newOnes = lines
      .map((line) => JSON.parse(line) as { type: string })
      .filter((message) => message.type === 'delivery.new');
    assert.equal(newOnes.length, 40, 'tail sees the deliveries of both receivers');
    const stats = await runCli(['stats', '--database-env', 'TEAM_DB', '--json'], env);
    assert.equal(stats.status, 0, stats.stderr);
    assert.equal((JSON.parse(stats.stdout) as { total: number }).total, 40);
    await Promise.all([one.stop(), two.stop(), tail.stop()]);
  });

  it('kill -9 of a receiver under load loses no acknowledged delivery', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const env = { TEAM_DB: db.writerUrl, HOME: home };
    const victim = await startListen(['--database-env', 'TEAM_DB'], env);
    const acknowledged: number[] = [];
    let n = 0;
    let stop = false;
    const senders = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const mine = n++;
        try {
          const result = await post(victim.port, JSON.stringify({ n: mine }));
          if (result.status === 200) acknowledged.push(mine);
        } catch {
          return; // The receiver is gone: connection refused or reset.
        }
      }
    });
    while (acknowledged.length < 60) await new Promise((resolve) => setImmediate(resolve));
    await victim.stop('SIGKILL');
    stop = true;
    await Promise.all(senders);
    const stored = new Set(await storedNumbers(env));
    const lost = acknowledged.filter((value) => !stored.has(value));
    assert.deepEqual(lost, [], 'every acknowledged delivery is in the database');
  });

  it('database stopped and started under load: 503 with Retry-After meanwhile, nothing acknowledged lost, it recovers by itself', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const env = { TEAM_DB: db.writerUrl, HOME: home };
    const receiver = await startListen(['--database-env', 'TEAM_DB'], env);
    const acknowledged: number[] = [];
    const refusals: Array<string | string[] | undefined> = [];
    let n = 0;
    let phase: 'up' | 'down' | 'back' = 'up';
    let okAfterRestart = 0;
    let stop = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const mine = n++;
        const result = await post(receiver.port, JSON.stringify({ n: mine })).catch(
          (error: unknown) => {
            throw new Error(`${String(error)}; receiver stderr:\n${receiver.stderr()}`);
          },
        );
        if (result.status === 200) {
          acknowledged.push(mine);
          if (phase === 'back') okAfterRestart++;
        } else {
          assert.equal(result.status, 503, result.body);
          refusals.push(result.headers['retry-after']);
          if (phase === 'up') continue;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    while (acknowledged.length < 30) await new Promise((resolve) => setImmediate(resolve));
    await cluster.stop();
    try {
      phase = 'down';
      await receiver.waitForStderr(/unreachable/, 20_000);
      while (refusals.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await cluster.start();
    }
    phase = 'back';
    while (okAfterRestart < 30) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await Promise.all(senders);
    assert.ok(
      refusals.every((value) => value === '5'),
      'every refusal says when to retry',
    );
    const stored = new Set(await storedNumbers(env));
    assert.deepEqual(
      acknowledged.filter((value) => !stored.has(value)),
      [],
      'every acknowledged delivery is in the database',
    );
    await receiver.stop();
  });

  it('replay from the team store goes to the developer’s handler and records who replayed it; a reader’s replay is sent but not recorded', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const receiver = await startListen(['--database-env', 'TEAM_DB'], {
      TEAM_DB: db.writerUrl,
      HOME: home,
    });
    assert.equal((await post(receiver.port, JSON.stringify({ n: 7 }))).status, 200);
    await receiver.stop();
    const handler = await startHandler();
    try {
      const store = await open(db.readerUrl);
      const id = store.summaries()[0]?.id ?? '';
      const target = `http://127.0.0.1:${handler.port}/hook`;
      const asWriter = await runCli(['replay', id, '--database-env', 'TEAM_DB', '--to', target], {
        TEAM_DB: db.writerUrl,
        HOME: home,
      });
      assert.equal(asWriter.status, 0, asWriter.stderr);
      const asReader = await runCli(['replay', id, '--database-env', 'TEAM_DB', '--to', target], {
        TEAM_DB: db.readerUrl,
        HOME: home,
      });
      assert.deepEqual(handler.bodies, ['{"n":7}', '{"n":7}'], 'both replays reached the handler');
      assert.match(asReader.stdout + asReader.stderr, /not recorded/);
      assert.match(asReader.stdout + asReader.stderr, /read-only|may only read/);
      await store.refresh();
      const record = (await store.get(id)) as DeliveryRecord;
      assert.equal(record.attempts.length, 1, 'only the writer’s replay is recorded');
      assert.match(record.attempts[0]?.by ?? '', /.+@.+/);
    } finally {
      handler.server.close();
    }
  });

  it('forwarding on the team store: the sender gets the handler’s answer and the attempt is stored', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const handler = await startHandler();
    try {
      const receiver = await startListen(
        ['--database-env', 'TEAM_DB', '--forward-to', `http://127.0.0.1:${handler.port}/hook`],
        { TEAM_DB: db.writerUrl, HOME: home },
      );
      const answered = await post(receiver.port, JSON.stringify({ n: 5 }));
      assert.equal(answered.status, 200);
      assert.equal(answered.body, 'handled');
      await receiver.stop(); // A clean stop waits for the attempt to be stored.
      const store = await open(db.readerUrl);
      const id = store.summaries()[0]?.id ?? '';
      const record = (await store.get(id)) as DeliveryRecord;
      assert.deepEqual(handler.bodies, ['{"n":5}']);
      assert.equal(record.attempts.length, 1);
      assert.equal(record.attempts[0]?.kind, 'forward');
      assert.equal(record.attempts[0]?.status, 200);
      assert.equal(store.summary(id)?.forward?.ok, true);
    } finally {
      handler.server.close();
    }
  });

  it('generate and import work on the team store as on a folder', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const env = { TEAM_DB: db.writerUrl, HOME: home };
    const receiver = await startListen(['--database-env', 'TEAM_DB'], env);
    const order = { type: 'order.created', id: 'ord_1', amount: 1200, currency: 'eur' };
    assert.equal((await post(receiver.port, JSON.stringify(order))).status, 200);
    await receiver.stop();
    const out = join(home, 'handler');
    const generated = await runCli(
      ['generate', '--database-env', 'TEAM_DB', '--lang', 'typescript', '--out', out],
      env,
      60_000,
    );
    assert.equal(generated.status, 0, generated.stderr);
    const files = await readdir(out);
    assert.ok(files.includes('server.ts'), files.join(', '));
    // Export from the team store, import into another team database: same deliveries.
    const exported = await runCli(
      ['export', '--database-env', 'TEAM_DB', '--out', join(home, 'x.ndjson')],
      env,
    );
    assert.equal(exported.status, 0, exported.stderr);
    const other = await cluster.newDatabase();
    await open(other.writerUrl); // Creates the tables.
    const imported = await runCli(
      ['import', join(home, 'x.ndjson'), '--database-env', 'OTHER_DB'],
      {
        OTHER_DB: other.writerUrl,
        HOME: home,
      },
    );
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /imported 1 delivery .* into team database hooklens_\d+/);
  });

  it('hooklens mcp serves the team store: agents list deliveries and their replays are recorded', async () => {
    const db = await cluster.newDatabase();
    const home = await tempDir();
    const receiver = await startListen(['--database-env', 'TEAM_DB'], {
      TEAM_DB: db.writerUrl,
      HOME: home,
    });
    assert.equal((await post(receiver.port, JSON.stringify({ n: 11 }))).status, 200);
    await receiver.stop();
    const handler = await startHandler();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'mcp', '--database-env', 'TEAM_DB', '--allow-replay'],
      env: { PATH: process.env.PATH ?? '', HOME: home, TEAM_DB: db.writerUrl },
      stderr: 'pipe',
    });
    const client = new McpClient({ name: 'hooklens-team-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const listed = await client.callTool({ name: 'list_deliveries', arguments: {} });
      const rows = (listed.structuredContent as { deliveries: Array<{ id: string }> }).deliveries;
      assert.equal(rows.length, 1);
      const id = rows[0]?.id ?? '';
      const replayed = await client.callTool({
        name: 'replay_delivery',
        arguments: { id, target: `http://127.0.0.1:${handler.port}/hook` },
      });
      const data = replayed.structuredContent as { recorded?: boolean; status?: number };
      assert.notEqual(replayed.isError, true, JSON.stringify(replayed));
      assert.equal(data.recorded, true, JSON.stringify(replayed));
      assert.deepEqual(handler.bodies, ['{"n":11}']);
      const store = await open(db.readerUrl);
      const record = (await store.get(id)) as DeliveryRecord;
      assert.match(record.attempts[0]?.by ?? '', /.+@.+/);
    } finally {
      await client.close();
      handler.server.close();
    }
  });

  it('clear errors: a missing variable, a bad URL, an unreachable database, a reader as receiver', async () => {
    const home = await tempDir();
    const missing = await runCli(['stats', '--database-env', 'NOPE_DB'], { HOME: home });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /NOPE_DB is not set/);
    const bad = await runCli(['stats', '--database-env', 'TEAM_DB'], {
      TEAM_DB: 'mysql://x@y/z',
      HOME: home,
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /must start with postgres:\/\//);
    const both = await runCli(['stats', '--database-env', 'TEAM_DB', '--store', home], {
      TEAM_DB: cluster.writerUrl,
      HOME: home,
    });
    assert.match(both.stderr, /not both/);
    const down = await runCli(['stats', '--database-env', 'TEAM_DB'], {
      TEAM_DB: 'postgres://u:secret-pw@127.0.0.1:1/hooklens',
      HOME: home,
    });
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Could not open the team database hooklens on 127\.0\.0\.1:1 as u/);
    assert.doesNotMatch(down.stderr, /secret-pw/);
    const db = await cluster.newDatabase();
    await open(db.writerUrl); // Creates the tables.
    const readerListen = await runCli(['listen', '--port', '0', '--database-env', 'TEAM_DB'], {
      TEAM_DB: db.readerUrl,
      HOME: home,
    });
    assert.equal(readerListen.status, 1);
    assert.match(readerListen.stderr, /Receivers use the writer role/);
  });
});
