// One target under load: warm-up, then the measured run, while its RSS is sampled and its CPU
// time is read before and after. Shared by the ingest and forwarding benchmarks.
import { runAutocannon, type LoadOptions, type LoadResult } from './load';
import { cpuTimeOf, sampleRss, type ServerProcess } from './processes';

export interface TargetMeasurement {
  readonly load: LoadResult;
  /** 2xx answers during the warm-up (they count towards what the server stored). */
  readonly warmUp2xx: number;
  /** Highest VmRSS sampled (every 250 ms) over warm-up and run, in bytes. */
  readonly rssPeakSampledBytes: number;
  /** VmRSS right after the run, in bytes. */
  readonly rssAfterBytes: number;
  /** VmHWM right after the run: the kernel's own peak, in bytes. */
  readonly rssHwmBytes: number;
  /** The server's CPU time per 2xx answer during the measured run, in ms. */
  readonly cpuMsPerRequest: number | undefined;
}

export async function measureTarget(
  server: ServerProcess,
  load: Omit<LoadOptions, 'url' | 'duration'> & { readonly url?: string },
  durations: { readonly warmUpSec: number; readonly durationSec: number },
): Promise<TargetMeasurement> {
  const url = load.url ?? server.url;
  const sampler = sampleRss(server.pid);
  const warm = await runAutocannon({ ...load, url, duration: durations.warmUpSec });
  const cpuBefore = cpuTimeOf(server.pid);
  const measured = await runAutocannon({ ...load, url, duration: durations.durationSec });
  const cpuAfter = cpuTimeOf(server.pid);
  const { peakBytes, last } = sampler.stop();
  return {
    load: measured,
    warmUp2xx: warm.answered2xx,
    rssPeakSampledBytes: peakBytes,
    rssAfterBytes: last?.rssBytes ?? 0,
    rssHwmBytes: last?.hwmBytes ?? 0,
    cpuMsPerRequest:
      cpuBefore !== undefined && cpuAfter !== undefined && measured.answered2xx > 0
        ? (cpuAfter - cpuBefore) / measured.answered2xx
        : undefined,
  };
}

export const MIB = 1024 * 1024;
