// Reads the extension host's probe file (src/vscode/benchProbe.ts appends one JSON line per
// 500 ms) and turns the snapshots that cover the load into the figures benchmark 3 judges.
import { readFile, writeFile } from 'node:fs/promises';
import {
  BENCH_PROBE_RESET_SUFFIX,
  type BenchProbeSnapshot,
  type EventLoopFigures,
} from '../../src/vscode/benchProbe';

export type { BenchProbeSnapshot };

export async function readProbe(path: string): Promise<BenchProbeSnapshot[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const snapshots: BenchProbeSnapshot[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      snapshots.push(JSON.parse(line) as BenchProbeSnapshot);
    } catch {
      // A line cut short by a read racing the append: the next read has it whole.
    }
  }
  return snapshots;
}

/**
 * Restarts the probe's window histogram and resolves once the probe did (within one interval), so
 * the load can start at once and the window holds the load and little else.
 */
export async function resetProbeWindow(path: string, timeoutMs = 5_000): Promise<number> {
  const askedAt = Date.now();
  await writeFile(`${path}${BENCH_PROBE_RESET_SUFFIX}`, '');
  while (Date.now() - askedAt < timeoutMs) {
    const reset = (await readProbe(path)).find((snapshot) => snapshot.windowStart >= askedAt);
    if (reset) return reset.windowStart;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the bench probe did not reset its window within ${timeoutMs} ms`);
}

export interface LoadWindowFigures {
  /** One histogram over the whole load (reset just before it, read just after it). */
  readonly eventLoop: EventLoopFigures;
  /** What that histogram spans, ms: the load plus at most one interval after it. */
  readonly eventLoopSpanMs: number;
  /** Each interval's max over the load, in order, ms: where in the load the delays were. */
  readonly intervalMaxima: readonly number[];
  /** Tree refreshes fired during the load. */
  readonly treeRefreshes: number;
  /** Refreshes per second over the load. */
  readonly treeRefreshesPerSecond: number;
  /** The most refreshes in any one-second window (exact, from the refresh times). */
  readonly treeRefreshesPeakPerSecond: number;
  /** The shortest time between two consecutive refreshes, ms (the debounce makes it >= 250). */
  readonly treeRefreshMinGapMs: number | null;
}

/**
 * Figures over [startMs, endMs], from a probe whose window histogram was reset at or before
 * startMs. Each snapshot's interval is (at - intervalMs, at]; those overlapping the load count.
 */
export function loadWindowFigures(
  snapshots: readonly BenchProbeSnapshot[],
  startMs: number,
  endMs: number,
  intervalMs: number,
): LoadWindowFigures {
  const closing = snapshots.find(
    (snapshot) => snapshot.at >= endMs && snapshot.windowStart <= startMs,
  );
  if (!closing) throw new Error('the bench probe wrote no snapshot after the load');
  const inWindow = snapshots.filter(
    (snapshot) => snapshot.at > startMs && snapshot.at - intervalMs < endMs,
  );
  const refreshTimes = inWindow
    .flatMap((snapshot) => snapshot.treeRefreshAt)
    .filter((at) => at >= startMs && at <= endMs)
    .sort((a, b) => a - b);
  let peak = 0;
  let minGap: number | null = null;
  for (let i = 0, j = 0; i < refreshTimes.length; i++) {
    const at = refreshTimes[i] as number;
    while ((refreshTimes[j] as number) <= at - 1000) j++;
    peak = Math.max(peak, i - j + 1);
    if (i > 0) {
      const gap = at - (refreshTimes[i - 1] as number);
      minGap = minGap === null ? gap : Math.min(minGap, gap);
    }
  }
  const seconds = (endMs - startMs) / 1000;
  return {
    eventLoop: closing.window,
    eventLoopSpanMs: closing.at - closing.windowStart,
    intervalMaxima: inWindow.map((snapshot) => snapshot.eventLoop.max),
    treeRefreshes: refreshTimes.length,
    treeRefreshesPerSecond: seconds > 0 ? refreshTimes.length / seconds : 0,
    treeRefreshesPeakPerSecond: peak,
    treeRefreshMinGapMs: minGap,
  };
}
