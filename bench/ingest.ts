// Benchmark 1 (issue 7): ingest. The same signed Watson delivery, posted by autocannon with 50
// connections, against a bare node:http server (the limit on this machine), mockttp recording
// traffic (HTTP Toolkit's engine) and `hooklens listen` (verify, store durably, then answer), one
// after another in one run. Then every delivery HookLens acknowledged is looked up in its store.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryStore } from '../src/core/store/deliveryStore';
import { loadDurationSec, warmUpSec } from './lib/load';
import { measureTarget, MIB, type TargetMeasurement } from './lib/measure';
import { signedWatsonDelivery } from './lib/payload';
import {
  repoRoot,
  startHooklensListen,
  startServerProcess,
  stopAllServers,
  type ServerProcess,
} from './lib/processes';
import type { Benchmark, BenchResult, Figure, Verdict } from './lib/result';

export const CONNECTIONS = 50;
/** Above any run's count, so the store's retention (default 10,000) never drops one. */
export const BENCH_MAX_DELIVERIES = 1_000_000;
export const bareServerScript = join(repoRoot, 'bench', 'lib', 'servers', 'bare-server.mjs');
const mockttpServerScript = join(repoRoot, 'bench', 'lib', 'servers', 'mockttp-server.mjs');

interface StoreCheck {
  readonly stored: number;
  readonly verified: number;
  /** Acknowledged (2xx, id in the answer) but not in the store after a clean stop. */
  readonly missing: number;
  readonly exitCode: number | null;
}

export const run: Benchmark = async () => {
  const delivery = signedWatsonDelivery();
  const durations = { warmUpSec: warmUpSec(), durationSec: loadDurationSec() };
  const storeDir = await mkdtemp(join(tmpdir(), 'hooklens-bench-ingest-'));
  // Every target gets the same answer callback, so the load generator does the same work for each.
  let answers: string[] = [];
  const load = {
    connections: CONNECTIONS,
    body: delivery.body,
    headers: delivery.headers,
    onResponse: (status: number, body: string) => {
      if (status >= 200 && status < 300) answers.push(body);
    },
  };
  const measure = (server: ServerProcess): Promise<TargetMeasurement> => {
    answers = [];
    return measureTarget(server, load, durations);
  };

  try {
    const bareServer = await startServerProcess({ args: [bareServerScript] });
    const bare = await measure(bareServer);
    await bareServer.stop();

    const mockttpServer = await startServerProcess({ args: [mockttpServerScript] });
    const mockttp = await measure(mockttpServer);
    await mockttpServer.stop();
    const recorded = /RECORDED (\d+)/.exec(mockttpServer.stderr())?.[1];

    const listen = await startHooklensListen(
      ['--store', storeDir, '--max-deliveries', String(BENCH_MAX_DELIVERIES)],
      { HOOKLENS_SECRET: delivery.secret },
    );
    const hooklens = await measure(listen);
    const exit = await listen.stop('SIGTERM');
    const check = await checkStore(storeDir, answers, exit.code);

    return result(bare, mockttp, hooklens, check, recorded, {
      ...durations,
      bodyBytes: Buffer.byteLength(delivery.body),
    });
  } finally {
    await stopAllServers();
    await rm(storeDir, { recursive: true, force: true });
  }
};

/** Opens the store the stopped `listen` left and looks up every id HookLens answered 2xx with. */
async function checkStore(
  storeDir: string,
  answers: readonly string[],
  exitCode: number | null,
): Promise<StoreCheck> {
  const store = await DeliveryStore.open(storeDir, { maxDeliveries: BENCH_MAX_DELIVERIES });
  try {
    let missing = 0;
    for (const answer of answers) {
      const id = (JSON.parse(answer) as { id?: unknown }).id;
      if (typeof id !== 'string' || store.summary(id) === undefined) missing++;
    }
    const summaries = store.summaries();
    return {
      stored: summaries.length,
      verified: summaries.filter((summary) => summary.verdict === 'verified').length,
      missing,
      exitCode,
    };
  } finally {
    await store.close();
  }
}

function targetFigures(name: string, measured: TargetMeasurement): Figure[] {
  const { load } = measured;
  return [
    { label: `${name} req/s`, value: load.reqPerSec, unit: 'req/s' },
    { label: `${name} latency p50`, value: load.latencyP50Ms, unit: 'ms' },
    { label: `${name} latency p99`, value: load.latencyP99Ms, unit: 'ms' },
    { label: `${name} errors`, value: load.errors, unit: '' },
    { label: `${name} non-2xx`, value: load.non2xx, unit: '' },
    { label: `${name} RSS peak (VmHWM)`, value: measured.rssHwmBytes / MIB, unit: 'MiB' },
    { label: `${name} RSS peak (sampled)`, value: measured.rssPeakSampledBytes / MIB, unit: 'MiB' },
    { label: `${name} RSS after run`, value: measured.rssAfterBytes / MIB, unit: 'MiB' },
    ...(measured.cpuMsPerRequest === undefined
      ? []
      : [{ label: `${name} CPU per request`, value: measured.cpuMsPerRequest, unit: 'ms' }]),
  ];
}

function result(
  bare: TargetMeasurement,
  mockttp: TargetMeasurement,
  hooklens: TargetMeasurement,
  check: StoreCheck,
  mockttpRecorded: string | undefined,
  setup: { warmUpSec: number; durationSec: number; bodyBytes: number },
): BenchResult {
  const perBare = hooklens.load.reqPerSec / bare.load.reqPerSec;
  const perMockttp = hooklens.load.reqPerSec / mockttp.load.reqPerSec;
  const rssRatio = hooklens.rssHwmBytes / mockttp.rssHwmBytes;
  const failures = hooklens.load.non2xx + hooklens.load.errors;
  const acknowledged = hooklens.warmUp2xx + hooklens.load.answered2xx;
  const verdicts: Verdict[] = [
    { target: 'hooklens/bare req/s >= 0.35', measured: perBare, unit: 'x', met: perBare >= 0.35 },
    {
      target: 'hooklens/mockttp req/s >= 1.5',
      measured: perMockttp,
      unit: 'x',
      met: perMockttp >= 1.5,
    },
    {
      target: 'RSS hooklens/mockttp <= 0.5',
      measured: rssRatio,
      unit: 'x',
      met: rssRatio <= 0.5,
      note: `${(hooklens.rssHwmBytes / MIB).toFixed(0)} vs ${(mockttp.rssHwmBytes / MIB).toFixed(0)} MiB peak`,
    },
    {
      target: 'hooklens non-2xx (and errors) to valid deliveries = 0',
      measured: failures,
      unit: '',
      met: failures === 0,
    },
    {
      target: 'acknowledged deliveries missing from the store = 0',
      measured: check.missing,
      unit: '',
      met: check.missing === 0 && check.exitCode === 0,
      ...(check.exitCode === 0 ? {} : { note: `listen exited ${check.exitCode}` }),
    },
  ];
  return {
    name: '1. Ingest',
    figures: [
      ...targetFigures('bare', bare),
      ...targetFigures('mockttp', mockttp),
      ...targetFigures('hooklens', hooklens),
      { label: 'hooklens/bare req/s', value: perBare, unit: 'x' },
      { label: 'hooklens/mockttp req/s', value: perMockttp, unit: 'x' },
      { label: 'RSS hooklens/mockttp (peak)', value: rssRatio, unit: 'x' },
      {
        label: 'hooklens deliveries acknowledged (2xx, warm-up + run)',
        value: acknowledged,
        unit: '',
      },
      { label: 'hooklens deliveries in the store after SIGTERM', value: check.stored, unit: '' },
      { label: 'hooklens deliveries verified (HS256)', value: check.verified, unit: '' },
    ],
    verdicts,
    notes: [
      `${CONNECTIONS} connections, ${setup.warmUpSec} s warm-up then ${setup.durationSec} s measured per server, one server at a time; autocannon runs in the bench process, each server in its own (RSS from /proc/<pid>/status).`,
      `Body: Watson message_logged, ${setup.bodyBytes} bytes, bare HS256 JWT in Authorization (the same bytes every time, so HookLens records each after the first as a retry of it).`,
      `mockttp: getLocal() with its default recordTraffic, one forAnyRequest().thenReply(200) rule; it keeps every request (method, URL, headers, raw headers, body buffer, timings) in memory for getSeenRequests()${mockttpRecorded ? ` (${mockttpRecorded} recorded)` : ''}.`,
      `hooklens: node dist/cli.js listen --port 0 --store <tmp> --max-deliveries ${BENCH_MAX_DELIVERIES} (retention raised from the 10,000 default so every acknowledged id can be looked up afterwards; its RSS therefore includes the in-memory index of all ${check.stored} deliveries, where the default would cap it at 10,000), HOOKLENS_SECRET set, stdout to /dev/null.`,
      `Store check: ${check.stored} stored, ${acknowledged} acknowledged; more stored than acknowledged means requests in flight when autocannon stopped (stored, answer never read).`,
    ],
  };
}
