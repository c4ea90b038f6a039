// Benchmark 3 ("the extension host under load", bench/extensionHost.ts) needs figures from inside
// the extension host. This probe is active only when HOOKLENS_BENCH_PROBE names a file: without it
// nothing is created (no histogram, no timer, no listener), so normal use pays nothing.
import { appendFile, unlink } from 'node:fs/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type * as vscode from 'vscode';

export const BENCH_PROBE_ENV = 'HOOKLENS_BENCH_PROBE';
/** How often a snapshot is written. */
export const BENCH_PROBE_INTERVAL_MS = 500;
/** The histograms' sampling timer; their values include this period (an idle loop reads ~10 ms). */
export const BENCH_PROBE_RESOLUTION_MS = 10;
/** Creating `<probe file><this>` asks the probe to restart its window histogram. */
export const BENCH_PROBE_RESET_SUFFIX = '.reset';

export interface EventLoopFigures {
  /** In ms, as monitorEventLoopDelay measures (the sampling period included). */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  readonly samples: number;
}

/** One line of the probe's file (JSON Lines, appended, so a slow reader misses nothing). */
export interface BenchProbeSnapshot {
  /** Date.now() when written: the end of the interval the `eventLoop` figures cover. */
  readonly at: number;
  /**
   * This interval only. About 50 samples, so its p99 is its max: good for seeing where in a run
   * the delay was, not for a p99 of the run.
   */
  readonly eventLoop: EventLoopFigures;
  /** Everything since `windowStart`: a p99 over a whole load, from one histogram. */
  readonly window: EventLoopFigures;
  /** When the window histogram was last reset (Date.now()); the probe's start until asked. */
  readonly windowStart: number;
  /** Deliveries in the store now. */
  readonly deliveries: number;
  /** Times the Deliveries tree fired onDidChangeTreeData so far. */
  readonly treeRefreshes: number;
  /** When each refresh in this interval fired (Date.now()), so the rate can be judged exactly. */
  readonly treeRefreshAt: readonly number[];
  /** Deliveries the receiver stored and acknowledged so far (onDidIngest). */
  readonly ingested: number;
}

export interface BenchProbeSources {
  readonly deliveries: () => number;
  readonly treeRefreshes: () => number;
  readonly onDidRefreshTree: vscode.Event<unknown>;
  readonly onDidIngest: vscode.Event<unknown>;
}

/** Starts the probe when the environment asks for it; otherwise returns undefined and does nothing. */
export function startBenchProbe(
  sources: BenchProbeSources,
  env: NodeJS.ProcessEnv = process.env,
): vscode.Disposable | undefined {
  const path = env[BENCH_PROBE_ENV];
  if (!path) return undefined;
  let ingested = 0;
  let refreshTimes: number[] = [];
  const subscriptions = [
    sources.onDidIngest(() => ingested++),
    sources.onDidRefreshTree(() => {
      // Bounded: a broken debounce would still show as hundreds per interval.
      if (refreshTimes.length < 1000) refreshTimes.push(Date.now());
    }),
  ];
  const interval = monitorEventLoopDelay({ resolution: BENCH_PROBE_RESOLUTION_MS });
  const window = monitorEventLoopDelay({ resolution: BENCH_PROBE_RESOLUTION_MS });
  interval.enable();
  window.enable();
  let windowStart = Date.now();
  // Appends are chained so lines never interleave, even if the disk is slower than the interval.
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    writing = writing
      .then(async () => {
        // Deleting the request file is the check: it succeeds only when the benchmark made one.
        const resetAsked = await unlink(`${path}${BENCH_PROBE_RESET_SUFFIX}`).then(
          () => true,
          () => false,
        );
        if (resetAsked) {
          window.reset();
          windowStart = Date.now();
        }
        const snapshot: BenchProbeSnapshot = {
          at: Date.now(),
          eventLoop: figures(interval),
          window: figures(window),
          windowStart,
          deliveries: sources.deliveries(),
          treeRefreshes: sources.treeRefreshes(),
          treeRefreshAt: refreshTimes,
          ingested,
        };
        interval.reset();
        refreshTimes = [];
        await appendFile(path, `${JSON.stringify(snapshot)}\n`);
      })
      .catch(() => undefined);
  }, BENCH_PROBE_INTERVAL_MS);
  return {
    dispose: () => {
      clearInterval(timer);
      interval.disable();
      window.disable();
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}

function figures(histogram: IntervalHistogram): EventLoopFigures {
  const ms = (nanoseconds: number): number => Math.round(nanoseconds / 1e4) / 100;
  const samples = histogram.count;
  return {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    // With no sample the mean is NaN, which JSON would turn into null.
    mean: samples > 0 ? ms(histogram.mean) : 0,
    samples,
  };
}
