// Benchmark 2 (issues 7 and 15): what forwarding costs a sender. The same signed delivery, paced
// at 1,000 deliveries/s (benchmark 3's sender), to a bare handler directly, then through `hooklens
// listen --forward-to` that handler at its default settings (verify, store durably, forward, answer
// with the handler's answer; the attempt record joins the next group commit). Paced, not
// saturating: latency is then the per-delivery cost, not queueing. Rounds interleave the two
// paths; medians are reported.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareServerScript, CONNECTIONS, rounds } from './ingest';
import { coreBusyShare, coreTimes, pinLoadGenerator, placementNote, serverCpus } from './lib/cores';
import { pacedLoad, type LoadFigures } from './lib/extensionHostProbeLoad';
import { loadDurationSec, runAutocannon, warmUpSec } from './lib/load';
import { median } from './lib/measure';
import { signedWatsonDelivery } from './lib/payload';
import {
  cpuTimeOf,
  startHooklensListen,
  startServerProcess,
  stopAllServers,
} from './lib/processes';
import type { Benchmark, BenchResult, Figure } from './lib/result';

/** Benchmark 3's rate: a busy sender, well below either path's capacity. */
const FIXED_RATE = 1_000;
/** Sockets the paced sender may open; at 1,000/s a few are in use at once. */
const PACED_CONNECTIONS = 50;
/** The default retention, and a little more: the store is full before measuring. */
const FULL_STORE = 10_500;
/** Issue 15's target. */
const TARGET_P99_RATIO = 1.5;

interface PacedRun {
  readonly load: LoadFigures;
  /** CPU time of hooklens per delivery (forwarded runs only), in ms. */
  readonly hooklensCpuMs: number | undefined;
  /** How busy the load generator's and the server's cores were, with every process on them. */
  readonly busy: { readonly load: number | undefined; readonly server: number | undefined };
}

export const run: Benchmark = async () => {
  const plan = pinLoadGenerator();
  const cpus = serverCpus();
  const delivery = signedWatsonDelivery();
  const durationSec = loadDurationSec();
  const storeDir = await mkdtemp(join(tmpdir(), 'hooklens-bench-forward-'));
  // Not autocannon's overallRate: that sends each connection's share of a second back to back and
  // then waits, so every second starts with a saturating burst (see extensionHostProbeLoad.ts).
  const paced = (url: string, seconds: number): Promise<LoadFigures> =>
    pacedLoad({
      url,
      rate: FIXED_RATE,
      durationSec: seconds,
      connections: PACED_CONNECTIONS,
      deliveries: { headers: delivery.headers, next: () => delivery.body },
      onAcknowledged: () => undefined,
    });
  try {
    // The handler beside the load generator, hooklens on the server core: on two cores the
    // forwarded path then crosses cores twice, as a sender → HookLens → handler chain does.
    const handler = await startServerProcess({
      args: [bareServerScript],
      ...(cpus === undefined ? {} : { cpus: plan.load }),
    });
    const listen = await startHooklensListen(
      ['--store', storeDir, '--forward-to', handler.url],
      { HOOKLENS_SECRET: delivery.secret },
      cpus === undefined ? {} : { cpus },
    );
    // The steady state: the store full (10,000 deliveries, the default cap), still ingesting.
    let stored = 0;
    while (stored < FULL_STORE) {
      const fill = await runAutocannon({
        url: listen.url,
        connections: CONNECTIONS,
        duration: 2,
        body: delivery.body,
        headers: delivery.headers,
      });
      stored += fill.answered2xx;
    }
    await paced(handler.url, warmUpSec());
    await paced(listen.url, warmUpSec());
    const direct: PacedRun[] = [];
    const forwarded: PacedRun[] = [];
    const measure = async (url: string): Promise<Omit<PacedRun, 'hooklensCpuMs'>> => {
      const before = { load: coreTimes(plan.load), server: coreTimes(plan.server) };
      const load = await paced(url, durationSec);
      return {
        load,
        busy: {
          load: coreBusyShare(before.load, coreTimes(plan.load)),
          server: coreBusyShare(before.server, coreTimes(plan.server)),
        },
      };
    };
    for (let round = 0; round < rounds(); round++) {
      direct.push({ ...(await measure(handler.url)), hooklensCpuMs: undefined });
      const before = cpuTimeOf(listen.pid);
      const run = await measure(listen.url);
      const load = run.load;
      const after = cpuTimeOf(listen.pid);
      forwarded.push({
        ...run,
        hooklensCpuMs:
          before !== undefined && after !== undefined && load.answered2xx > 0
            ? (after - before) / load.answered2xx
            : undefined,
      });
    }
    const exit = await listen.stop('SIGTERM');
    await handler.stop();
    return result(direct, forwarded, { durationSec, exitCode: exit.code });
  } finally {
    await stopAllServers();
    await rm(storeDir, { recursive: true, force: true });
  }
};

interface Summary {
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly p99s: readonly number[];
}

function summarise(runs: readonly PacedRun[]): Summary {
  return {
    reqPerSec: median(runs.map((run) => run.load.answered2xx / run.load.durationSec)),
    p50Ms: median(runs.map((run) => run.load.latencyP50Ms)),
    p99Ms: median(runs.map((run) => run.load.latencyP99Ms)),
    failures: runs.reduce((sum, run) => sum + run.load.non2xx + run.load.errors, 0),
    p99s: runs.map((run) => run.load.latencyP99Ms),
  };
}

function result(
  directRuns: readonly PacedRun[],
  forwardedRuns: readonly PacedRun[],
  setup: { durationSec: number; exitCode: number | null },
): BenchResult {
  const direct = summarise(directRuns);
  const forwarded = summarise(forwardedRuns);
  const ratio = forwarded.p99Ms / Math.max(0.001, direct.p99Ms);
  const cpu = median(forwardedRuns.map((run) => run.hooklensCpuMs ?? Number.NaN));
  const figures: Figure[] = [];
  for (const [name, summary] of [
    ['direct', direct],
    ['forwarded', forwarded],
  ] as const) {
    figures.push(
      { label: `${name} paced ${FIXED_RATE}/s req/s`, value: summary.reqPerSec, unit: 'req/s' },
      { label: `${name} latency p50`, value: summary.p50Ms, unit: 'ms' },
      { label: `${name} latency p99`, value: summary.p99Ms, unit: 'ms' },
      { label: `${name} non-2xx + errors`, value: summary.failures, unit: '' },
    );
  }
  figures.push(
    { label: 'forwarded/direct p99', value: ratio, unit: 'x' },
    { label: 'hooklens CPU per forwarded delivery', value: cpu, unit: 'ms' },
  );
  const fmt = (values: readonly number[]): string => values.map((v) => v.toFixed(2)).join(', ');
  const busy = (runs: readonly PacedRun[]): string =>
    runs
      .map(
        (run) =>
          `${((run.busy.load ?? Number.NaN) * 100).toFixed(0)}/${((run.busy.server ?? Number.NaN) * 100).toFixed(0)}%`,
      )
      .join(', ');
  return {
    name: '2. Forwarding overhead',
    figures,
    verdicts: [
      {
        target: `forwarded p99 <= ${TARGET_P99_RATIO}x direct p99 (paced ${FIXED_RATE} deliveries/s)`,
        measured: ratio,
        unit: 'x',
        met: ratio <= TARGET_P99_RATIO && forwarded.failures === 0,
        note: `${forwarded.p99Ms.toFixed(2)} vs ${direct.p99Ms.toFixed(2)} ms${forwarded.failures === 0 ? '' : `; ${forwarded.failures} failed`}`,
      },
    ],
    notes: [
      `${placementNote()} The handler (bench/lib/servers/bare-server.mjs) runs on the load generator's core; hooklens listen --forward-to it at its default settings, its store filled to the 10,000-delivery cap first (the steady state), in its own process (exit ${setup.exitCode} on SIGTERM).`,
      `Paced: ${FIXED_RATE}/s sent in 10 ms ticks by extensionHostProbeLoad.ts's pacedLoad (keep-alive, up to ${PACED_CONNECTIONS} sockets), latency timed to the microsecond; a warm-up, then ${directRuns.length} rounds of ${setup.durationSec} s, direct then forwarded; medians. p99 per round (ms): direct ${fmt(direct.p99s)}; forwarded ${fmt(forwarded.p99s)}. Load-generator/server core busy with every process on them, per round: direct ${busy(directRuns)}; forwarded ${busy(forwardedRuns)} (on a shared machine other work on these cores shows up as p99).`,
      'Forwarded = stored (group-committed fdatasync) before the forward starts; the sender gets the handler’s answer as soon as it comes, and the attempt record goes into the next group commit (issue 15): if HookLens stops in between, the delivery shows "forward outcome not recorded".',
    ],
  };
}
