// The load generator: autocannon, in this process, against one URL. Results are boiled down to the
// figures the benchmarks compare.
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly connections?: number;
  /** Seconds. */
  readonly duration: number;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  readonly overallRate?: number;
  /** Called with each answer (status, body text): e.g. to collect the ids a server handed out. */
  readonly onResponse?: (status: number, body: string) => void;
}

export interface LoadResult {
  /** 2xx answers per second over the run. */
  readonly reqPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly answered2xx: number;
  readonly non2xx: number;
  /** Connection errors, including timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  readonly durationSec: number;
  readonly statusCounts: Readonly<Record<string, number>>;
}

export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const onResponse = options.onResponse;
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.duration,
    method: options.method ?? 'POST',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(onResponse
      ? { requests: [{ onResponse: (status, body) => onResponse(status, body) }] }
      : {}),
  });
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCounts[status] = Number(count);
  }
  return {
    reqPerSec: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    answered2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: result.duration,
    statusCounts,
  };
}

/**
 * Seconds of measured load per target: 10 by default, HOOKLENS_BENCH_DURATION to change it (a
 * quick look while working on the code; published figures use the default).
 */
export function loadDurationSec(): number {
  const value = Number(process.env.HOOKLENS_BENCH_DURATION ?? '10');
  return Number.isFinite(value) && value >= 1 ? value : 10;
}

/** Seconds of unmeasured load first, so JIT warm-up and first allocations are not counted. */
export function warmUpSec(): number {
  return Math.min(3, Math.max(1, Math.round(loadDurationSec() / 4)));
}
