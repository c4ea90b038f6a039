// Benchmark 2 (issue 7): what forwarding costs. The ingest benchmark's load (the same signed
// delivery, 50 connections) against a bare handler directly, then through `hooklens listen
// --forward-to` that handler (verify, store, forward, record the attempt, answer with the
// handler's answer). Saturating load measures queueing as much as work, so the same pair is also
// run paced at 1,000 deliveries/s (benchmark 3's sender), where latency is the per-delivery cost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_MAX_DELIVERIES, bareServerScript, CONNECTIONS } from './ingest';
import { pacedLoad, type LoadFigures } from './lib/extensionHostProbeLoad';
import { loadDurationSec, warmUpSec } from './lib/load';
import { measureTarget, type TargetMeasurement } from './lib/measure';
import { signedWatsonDelivery } from './lib/payload';
import { startHooklensListen, startServerProcess, stopAllServers } from './lib/processes';
import type { Benchmark, BenchResult, Figure } from './lib/result';

/** Benchmark 3's rate: a busy sender, well below either path's capacity. */
const FIXED_RATE = 1_000;
/** Sockets the paced sender may open; at 1,000/s a few are in use at once. */
const PACED_CONNECTIONS = 50;

export const run: Benchmark = async () => {
  const delivery = signedWatsonDelivery();
  const durations = { warmUpSec: warmUpSec(), durationSec: loadDurationSec() };
  const storeDir = await mkdtemp(join(tmpdir(), 'hooklens-bench-forward-'));
  const saturating = { connections: CONNECTIONS, body: delivery.body, headers: delivery.headers };
  // Not autocannon's overallRate: that sends each connection's share of a second back to back and
  // then waits, so every second starts with a saturating burst (see extensionHostProbeLoad.ts).
  const paced = (url: string): Promise<LoadFigures> =>
    pacedLoad({
      url,
      rate: FIXED_RATE,
      durationSec: durations.durationSec,
      connections: PACED_CONNECTIONS,
      deliveries: { headers: delivery.headers, next: () => delivery.body },
      onAcknowledged: () => undefined,
    });
  try {
    const handler = await startServerProcess({ args: [bareServerScript] });
    const directSaturated = await measureTarget(handler, saturating, durations);
    const directFixed = await paced(handler.url);

    const listen = await startHooklensListen(
      [
        '--store',
        storeDir,
        '--max-deliveries',
        String(BENCH_MAX_DELIVERIES),
        '--forward-to',
        handler.url,
      ],
      { HOOKLENS_SECRET: delivery.secret },
    );
    const forwardedSaturated = await measureTarget(listen, saturating, durations);
    const forwardedFixed = await paced(listen.url);
    const exit = await listen.stop('SIGTERM');
    await handler.stop();

    return result(
      { direct: fromAutocannon(directSaturated), forwarded: fromAutocannon(forwardedSaturated) },
      { direct: fromPaced(directFixed), forwarded: fromPaced(forwardedFixed) },
      { ...durations, exitCode: exit.code },
    );
  } finally {
    await stopAllServers();
    await rm(storeDir, { recursive: true, force: true });
  }
};

interface Pair<T> {
  readonly direct: T;
  readonly forwarded: T;
}

interface Run {
  readonly reqPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly failures: number;
}

function fromAutocannon(measured: TargetMeasurement): Run {
  const { load } = measured;
  return { ...load, failures: load.non2xx + load.errors };
}

function fromPaced(load: LoadFigures): Run {
  return {
    reqPerSec: load.answered2xx / load.durationSec,
    latencyP50Ms: load.latencyP50Ms,
    latencyP99Ms: load.latencyP99Ms,
    failures: load.non2xx + load.errors,
  };
}

function pairFigures(pair: Pair<Run>, how: string): Figure[] {
  const figures: Figure[] = [];
  for (const [name, run] of [
    ['direct', pair.direct],
    ['forwarded', pair.forwarded],
  ] as const) {
    figures.push(
      { label: `${name} ${how} req/s`, value: run.reqPerSec, unit: 'req/s' },
      { label: `${name} ${how} latency p50`, value: run.latencyP50Ms, unit: 'ms' },
      { label: `${name} ${how} latency p99`, value: run.latencyP99Ms, unit: 'ms' },
      { label: `${name} ${how} non-2xx + errors`, value: run.failures, unit: '' },
    );
  }
  return figures;
}

/** Autocannon reports whole milliseconds: a 0 ms p99 counts as 1 ms, or the ratio is infinite. */
function p99Ratio(pair: Pair<Run>, resolutionMs: number): number {
  return pair.forwarded.latencyP99Ms / Math.max(resolutionMs, pair.direct.latencyP99Ms);
}

function result(
  saturated: Pair<Run>,
  fixed: Pair<Run>,
  setup: { warmUpSec: number; durationSec: number; exitCode: number | null },
): BenchResult {
  const ratio = p99Ratio(saturated, 1);
  const fixedRatio = p99Ratio(fixed, 0.001);
  const failures = saturated.forwarded.failures;
  const fixedFailures = fixed.forwarded.failures;
  return {
    name: '2. Forwarding overhead',
    figures: [
      ...pairFigures(saturated, `${CONNECTIONS} conns`),
      {
        label: `forwarded/direct req/s (${CONNECTIONS} conns)`,
        value: saturated.forwarded.reqPerSec / saturated.direct.reqPerSec,
        unit: 'x',
      },
      { label: `forwarded/direct p99 (${CONNECTIONS} conns)`, value: ratio, unit: 'x' },
      ...pairFigures(fixed, `paced ${FIXED_RATE}/s`),
      { label: `forwarded/direct p99 (paced ${FIXED_RATE}/s)`, value: fixedRatio, unit: 'x' },
    ],
    verdicts: [
      {
        target: `forwarded p99 <= 2x direct p99 (${CONNECTIONS} connections, saturating)`,
        measured: ratio,
        unit: 'x',
        met: ratio <= 2 && failures === 0,
        note: `${saturated.forwarded.latencyP99Ms} vs ${saturated.direct.latencyP99Ms} ms${failures === 0 ? '' : `; ${failures} failed`}`,
      },
      {
        target: `forwarded p99 <= 2x direct p99 (paced ${FIXED_RATE} deliveries/s)`,
        measured: fixedRatio,
        unit: 'x',
        met: fixedRatio <= 2 && fixedFailures === 0,
        note: `${fixed.forwarded.latencyP99Ms.toFixed(2)} vs ${fixed.direct.latencyP99Ms.toFixed(2)} ms${fixedFailures === 0 ? '' : `; ${fixedFailures} failed`}`,
      },
    ],
    notes: [
      `${setup.warmUpSec} s warm-up then ${setup.durationSec} s measured per run; the handler is bench/lib/servers/bare-server.mjs; hooklens listen --forward-to it, --max-deliveries ${BENCH_MAX_DELIVERIES}, in its own process (exit ${setup.exitCode} on SIGTERM).`,
      'Forwarded = stored (fdatasync) before forwarding, the attempt then recorded (a second durable write) before the sender gets the handler’s answer.',
      `Under saturating load (${CONNECTIONS} connections, no think time) p99 is mostly queueing, so its ratio tracks the throughput ratio; autocannon reports whole milliseconds. Paced: ${FIXED_RATE}/s sent in 10 ms ticks by extensionHostProbeLoad.ts's pacedLoad (keep-alive, up to ${PACED_CONNECTIONS} sockets), latency timed to the microsecond: the per-delivery cost without queueing.`,
    ],
  };
}
