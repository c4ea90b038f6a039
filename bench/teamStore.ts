// Benchmark 7 (issue 18): the team store on PostgreSQL against the local JSONL store, in one run.
// `hooklens listen` with the JSONL store, then with --database-env (one receiver, then two
// sharing the database), each receiver pinned to the server core; PostgreSQL (a throwaway
// cluster on this same machine) pinned with the load generator. Every delivery has its own body,
// so none is a duplicate of another (a sender's real traffic). Then the time the editor waits for
// the first page of a team store holding 100,000 deliveries (open + newest 100 summaries).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { startThrowawayCluster, type ThrowawayCluster } from '../scripts/postgres/throwawayCluster';
import { PostgresDeliveryStore } from '../src/core/store/postgres/postgresStore';
import { pinLoadGenerator, placementNote, serverCpus } from './lib/cores';
import { loadDurationSec, warmUpSec } from './lib/load';
import { median } from './lib/measure';
import { cpuTimeOf, startHooklensListen, type ServerProcess } from './lib/processes';
import type { Benchmark, Figure, Verdict } from './lib/result';

const CONNECTIONS = 50;
const SEEDED = 100_000;
const FIRST_PAGE_TARGET_MS = 2_000;
/** What the extension asks the team store to list before the rest (its tree's first page and more). */
const TREE_FIRST_PAGE = 1_000;

interface Load {
  readonly reqPerSec: number;
  readonly ok: number;
  readonly failed: number;
  readonly p99Ms: number;
}

let sequence = 0;

/** Posts generic JSON deliveries, each body different, to every URL at once. */
async function load(urls: readonly string[], seconds: number): Promise<Load> {
  const perUrl = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: `${url}hooks/orders`,
        connections: perUrl,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                type: 'order.created',
                id: `ord_${process.pid}_${++sequence}`,
                amount: 1200 + (sequence % 500),
                currency: 'eur',
              }),
            }),
          },
        ],
      }),
    ),
  );
  const ok = results.reduce((sum, result) => sum + result['2xx'], 0);
  const failed = results.reduce(
    (sum, result) => sum + result.non2xx + result.errors + result.timeouts,
    0,
  );
  return {
    reqPerSec: ok / seconds,
    ok,
    failed,
    p99Ms: Math.max(...results.map((result) => result.latency.p99)),
  };
}

interface Run extends Load {
  /** Receivers' own CPU per 2xx answer. */
  readonly receiverCpuMs: number;
  /** PostgreSQL's processes' CPU per 2xx answer (0 for the JSONL store). */
  readonly databaseCpuMs: number;
}

function cpuOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuTimeOf(pid) ?? 0), 0);
}

async function measure(
  receivers: readonly ServerProcess[],
  databasePids: () => Promise<number[]>,
): Promise<Run> {
  const urls = receivers.map((receiver) => receiver.url);
  await load(urls, warmUpSec());
  const pidsBefore = await databasePids();
  const receiverBefore = cpuOf(receivers.map((receiver) => receiver.pid));
  const databaseBefore = cpuOf(pidsBefore);
  const result = await load(urls, loadDurationSec());
  const receiverCpu = cpuOf(receivers.map((receiver) => receiver.pid)) - receiverBefore;
  // Backends that started during the run count from zero; the pool keeps them for the run.
  const pidsAfter = await databasePids();
  const databaseCpu =
    cpuOf(pidsAfter) - databaseBefore + cpuOf(pidsBefore.filter((pid) => !pidsAfter.includes(pid)));
  return {
    ...result,
    receiverCpuMs: receiverCpu / Math.max(1, result.ok),
    databaseCpuMs: Math.max(0, databaseCpu) / Math.max(1, result.ok),
  };
}

function pin(pids: readonly number[], cores: string): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
    } catch {
      // A backend that ended meanwhile.
    }
  }
}

/** Fills a team store with `count` deliveries in one statement (a copy of one stored delivery). */
async function seed(cluster: ThrowawayCluster, writerUrl: string, database: string, count: number) {
  const store = await PostgresDeliveryStore.open(writerUrl, { maxDeliveries: count + 10 });
  const body = Buffer.from(JSON.stringify({ type: 'order.created', amount: 1200 }));
  await store.put({
    v: 1,
    id: 'seed-template',
    receivedAt: '2026-12-04T12:00:00.000Z',
    method: 'POST',
    url: '/hooks/orders',
    remoteAddress: '127.0.0.1',
    headers: [['content-type', 'application/json']],
    bodySha256: '0'.repeat(64),
    parseError: null,
    senderEventId: null,
    bodyBase64: body.toString('base64'),
    bodySize: body.length,
    sender: 'generic',
    event: 'order.created',
    sessionId: null,
    verification: { verdict: 'no_secret', reason: 'no secret set' },
    response: { status: 200, headers: [], body: '', timeMs: 1 },
    attempts: [],
    duplicateOf: null,
    dedupeKey: null,
    headline: 'order 12.00 EUR',
  });
  await store.close();
  await cluster.sql(
    `INSERT INTO hooklens_deliveries (id, seq, change_seq, received_at, sender, event, verdict,
       status, dedupe_key, duplicate_of, duplicate_count, body_size, stored_bytes, summary, record)
     SELECT 'seed-' || g, nextval('hooklens_delivery_seq'), nextval('hooklens_change_seq'),
       received_at, sender, event, verdict, status, NULL, NULL, 0, body_size, stored_bytes,
       replace(summary, 'seed-template', 'seed-' || g), replace(record, 'seed-template', 'seed-' || g)
     FROM hooklens_deliveries, generate_series(1, ${count - 1}) g WHERE id = 'seed-template';
     UPDATE hooklens_totals SET deliveries = ${count},
       bytes = (SELECT sum(stored_bytes) FROM hooklens_deliveries);
     ANALYZE hooklens_deliveries;`,
    database,
  );
}

async function rowCount(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM hooklens_deliveries',
    );
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

export const run: Benchmark = async () => {
  const plan = pinLoadGenerator();
  const cpus = serverCpus();
  const extra = cpus === undefined ? {} : { cpus };
  const cluster = await startThrowawayCluster();
  const home = await mkdtemp(join(tmpdir(), 'hooklens-bench-team-'));
  const figures: Figure[] = [];
  const verdicts: Verdict[] = [];
  try {
    // PostgreSQL shares the load generator's core(s): the server core stays the receivers'.
    const databasePids = async (): Promise<number[]> => {
      const pids = await cluster.serverPids();
      pin(pids, plan.load);
      return pids;
    };
    await databasePids();

    const storeDir = join(home, 'store');
    const local = await startHooklensListen(['--store', storeDir], { HOME: home }, extra);
    const jsonl = await measure([local], () => Promise.resolve([]));
    await local.stop();

    const one = await cluster.newDatabase();
    const env = { HOME: home, TEAM_DB: one.writerUrl };
    const single = await startHooklensListen(['--database-env', 'TEAM_DB'], env, extra);
    const team1 = await measure([single], databasePids);
    await single.stop();
    const stored1 = await rowCount(one.writerUrl);

    const two = await cluster.newDatabase();
    const env2 = { HOME: home, TEAM_DB: two.writerUrl };
    const receivers = [
      await startHooklensListen(['--database-env', 'TEAM_DB'], env2, extra),
      await startHooklensListen(['--database-env', 'TEAM_DB'], env2, extra),
    ];
    const team2 = await measure(receivers, databasePids);
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    const stored2 = await rowCount(two.writerUrl);

    const rows: Array<[string, Run]> = [
      ['JSONL store', jsonl],
      ['team store, 1 receiver', team1],
      ['team store, 2 receivers', team2],
    ];
    for (const [label, measured] of rows) {
      figures.push(
        { label: `${label} req/s`, value: Math.round(measured.reqPerSec), unit: 'req/s' },
        {
          label: `${label} receiver CPU/delivery`,
          value: Number(measured.receiverCpuMs.toFixed(3)),
          unit: 'ms',
        },
        {
          label: `${label} PostgreSQL CPU/delivery`,
          value: Number(measured.databaseCpuMs.toFixed(3)),
          unit: 'ms',
        },
        { label: `${label} p99`, value: Math.round(measured.p99Ms), unit: 'ms' },
      );
    }
    figures.push(
      {
        label: 'team/JSONL req/s (1 receiver)',
        value: Number((team1.reqPerSec / jsonl.reqPerSec).toFixed(2)),
        unit: '×',
      },
      {
        label: 'team/JSONL receiver CPU/delivery (1 receiver)',
        value: Number((team1.receiverCpuMs / jsonl.receiverCpuMs).toFixed(2)),
        unit: '×',
      },
    );
    const failures = jsonl.failed + team1.failed + team2.failed;
    verdicts.push({
      target: 'no non-2xx answers, no acknowledged delivery missing from the database',
      measured: failures + Math.max(0, team1.ok - stored1) + Math.max(0, team2.ok - stored2),
      unit: 'missing or failed',
      met: failures === 0 && stored1 >= team1.ok && stored2 >= team2.ok,
      note: `1 receiver: ${team1.ok} acknowledged, ${stored1} stored (warm-up included); 2 receivers: ${team2.ok}, ${stored2}`,
    });

    const big = await cluster.newDatabase();
    await seed(cluster, big.writerUrl, big.name, SEEDED);
    const timeTo = async (firstPage: number | undefined): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = process.hrtime.bigint();
        const store = await PostgresDeliveryStore.open(big.readerUrl, {
          ...(firstPage === undefined ? {} : { firstPage }),
        });
        const page = store.summaries().slice(0, 100);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        await store.whenListed();
        if (page.length !== 100 || store.size !== SEEDED) {
          throw new Error(`first page had ${page.length} rows; ${store.size} listed in all`);
        }
        await store.close();
      }
      return median(times);
    };
    const firstPage = await timeTo(TREE_FIRST_PAGE);
    const everything = await timeTo(undefined);
    figures.push(
      {
        label: `first page of ${SEEDED.toLocaleString('en-US')} team deliveries (editor)`,
        value: Math.round(firstPage),
        unit: 'ms',
      },
      {
        label: `all ${SEEDED.toLocaleString('en-US')} summaries listed (CLI commands)`,
        value: Math.round(everything),
        unit: 'ms',
      },
    );
    verdicts.push({
      target: `first page of ${SEEDED.toLocaleString('en-US')} team deliveries < ${FIRST_PAGE_TARGET_MS} ms`,
      measured: Math.round(firstPage),
      unit: 'ms',
      met: firstPage < FIRST_PAGE_TARGET_MS,
    });
    return {
      name: '7. Team store (PostgreSQL)',
      figures,
      verdicts,
      notes: [
        placementNote(),
        `PostgreSQL ${cluster.version} runs on this same machine, pinned with the load generator (core${plan.loadCoreCount > 1 ? 's' : ''} ${plan.load}); with two receivers both share the server core, so the two-receiver row shows that sharing one database works and what it costs, not scaling.`,
        `${CONNECTIONS} connections, ${loadDurationSec()} s after a ${warmUpSec()} s warm-up per row; every delivery has its own body (no duplicates). CPU per delivery is each process's own CPU time over its 2xx answers; PostgreSQL's is all its processes' (postmaster, backends, WAL writer, checkpointer).`,
        'A delivery is acknowledged after its transaction commits (synchronous_commit on, fsync on); deliveries arriving while one commits share the next transaction.',
        `First page: PostgresDeliveryStore.open with firstPage ${TREE_FIRST_PAGE.toLocaleString('en-US')} (as the editor opens it: the newest listed, the rest read in the background from the same snapshot) until the newest 100 are sorted; all listed: open without it (as the CLI's commands do), which reads the ${SEEDED.toLocaleString('en-US')} summaries newest first in pages of 5,000. Medians of 3.`,
      ],
    };
  } finally {
    await cluster.destroy();
    await rm(home, { recursive: true, force: true });
  }
};
