// One target under load: warm-up, then the measured run, while its RSS is sampled and its CPU
// time (and the load generator's own) is read before and after. Shared by the ingest and
// forwarding benchmarks.
import { coreBusyShare, coreTimes, ownCpuMsSince, pinLoadGenerator } from './cores';
import { runAutocannon, type LoadOptions, type LoadResult } from './load';
import { cpuTimeOf, sampleRss, type ServerProcess } from './processes';

export interface RunMeasurement {
  readonly load: LoadResult;
  /** Wall time of the measured run, in ms. */
  readonly wallMs: number;
  /** The server's CPU time during the run, in ms (from /proc/<pid>/stat, 10 ms ticks). */
  readonly serverCpuMs: number | undefined;
  /** The bench process's own CPU time during the run (the load generator), in ms. */
  readonly loadCpuMs: number;
  /** The server's CPU time per 2xx answer during the run, in ms. */
  readonly cpuMsPerRequest: number | undefined;
  /** Server CPU time over wall time: 1 = one core busy all the time. */
  readonly serverCoreShare: number | undefined;
  /** The load generator's CPU time over wall time (one thread: 1 is its limit). */
  readonly loadCoreShare: number;
  /**
   * How busy the server's core was with anything (other processes too): well above
   * `serverCoreShare` means the server shared its core with other work (a shared machine).
   */
  readonly serverCoreBusyAll: number | undefined;
}

export interface TargetMeasurement extends RunMeasurement {
  /** 2xx answers during the warm-up (they count towards what the server stored). */
  readonly warmUp2xx: number;
  /** Highest VmRSS sampled (every 250 ms) over warm-up and run, in bytes. */
  readonly rssPeakSampledBytes: number;
  /** VmRSS right after the run, in bytes. */
  readonly rssAfterBytes: number;
  /** VmHWM right after the run: the kernel's own peak, in bytes. */
  readonly rssHwmBytes: number;
}

type Load = Omit<LoadOptions, 'url' | 'duration'> & { readonly url?: string };

/** One measured autocannon run against a live server. */
export async function measureRun(
  server: ServerProcess,
  load: Load,
  durationSec: number,
): Promise<RunMeasurement> {
  const url = load.url ?? server.url;
  const core = pinLoadGenerator().server;
  const coreBefore = coreTimes(core);
  const cpuBefore = cpuTimeOf(server.pid);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const measured = await runAutocannon({ ...load, url, duration: durationSec });
  const wallMs = performance.now() - started;
  const loadCpuMs = ownCpuMsSince(ownBefore);
  const cpuAfter = cpuTimeOf(server.pid);
  const coreAfter = coreTimes(core);
  const serverCpuMs =
    cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    load: measured,
    wallMs,
    serverCpuMs,
    loadCpuMs,
    cpuMsPerRequest:
      serverCpuMs !== undefined && measured.answered2xx > 0
        ? serverCpuMs / measured.answered2xx
        : undefined,
    serverCoreShare: serverCpuMs === undefined ? undefined : serverCpuMs / wallMs,
    loadCoreShare: loadCpuMs / wallMs,
    serverCoreBusyAll: coreBusyShare(coreBefore, coreAfter),
  };
}

export async function measureTarget(
  server: ServerProcess,
  load: Load,
  durations: { readonly warmUpSec: number; readonly durationSec: number },
): Promise<TargetMeasurement> {
  const url = load.url ?? server.url;
  const sampler = sampleRss(server.pid);
  const warm = await runAutocannon({ ...load, url, duration: durations.warmUpSec });
  const run = await measureRun(server, load, durations.durationSec);
  const { peakBytes, last } = sampler.stop();
  return {
    ...run,
    warmUp2xx: warm.answered2xx,
    rssPeakSampledBytes: peakBytes,
    rssAfterBytes: last?.rssBytes ?? 0,
    rssHwmBytes: last?.hwmBytes ?? 0,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export const MIB = 1024 * 1024;
