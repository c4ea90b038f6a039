// Who runs where (issue 15): each server under test on a core of its own, the load generator
// (autocannon, in the bench process) on the other cores, so neither takes CPU from the other and a
// server's CPU time per request is what a delivery costs. `taskset` is in util-linux.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface CorePlan {
  /** The core list for the server under test (`taskset -c`), e.g. `1`. */
  readonly server: string;
  /** The cores the bench process (the load generator) is pinned to, e.g. `0`. */
  readonly load: string;
  readonly loadCoreCount: number;
  readonly cpuCount: number;
  /** Why nothing is pinned (no taskset, one core), when it is not. */
  readonly unpinned?: string;
}

let plan: CorePlan | undefined;

/**
 * Pins this process (every thread: autocannon, the paced sender, GC) to every core but the last,
 * and names the last for the servers. Once per run; later calls return the same plan.
 */
export function pinLoadGenerator(): CorePlan {
  if (plan) return plan;
  const cpuCount = os.cpus().length;
  const last = cpuCount - 1;
  const load = last === 1 ? '0' : `0-${last - 1}`;
  if (cpuCount < 2) {
    plan = { server: '0', load: '0', loadCoreCount: 1, cpuCount, unpinned: 'one core only' };
    return plan;
  }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', load, String(process.pid)], { stdio: 'ignore' });
    plan = { server: String(last), load, loadCoreCount: last, cpuCount };
  } catch (error) {
    plan = {
      server: String(last),
      load,
      loadCoreCount: last,
      cpuCount,
      unpinned: `taskset failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install util-linux`,
    };
  }
  return plan;
}

/** The `cpus` to give startServerProcess: undefined when pinning is not possible. */
export function serverCpus(): string | undefined {
  const current = pinLoadGenerator();
  return current.unpinned === undefined ? current.server : undefined;
}

/** One sentence on the placement, for the notes. */
export function placementNote(): string {
  const current = pinLoadGenerator();
  if (current.unpinned !== undefined) {
    return `Not pinned (${current.unpinned}): the load generator and the servers share ${current.cpuCount} core(s).`;
  }
  return `Each server pinned to core ${current.server} (\`taskset -c ${current.server}\`), one at a time; the load generator (autocannon, in the bench process) pinned to core${current.loadCoreCount > 1 ? 's' : ''} ${current.load}, one thread.`;
}

/** CPU time (user + system) this process used between two readings, in ms. */
export function ownCpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Jiffies one core spent busy (anything but idle and iowait) and in all, from /proc/stat. */
export function coreTimes(core: string): { busy: number; total: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = stat.split('\n').find((row) => row.startsWith(`cpu${core} `));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** How busy a core was between two readings, 0 to 1 (every process on it, not only ours). */
export function coreBusyShare(
  before: ReturnType<typeof coreTimes>,
  after: ReturnType<typeof coreTimes>,
): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}
