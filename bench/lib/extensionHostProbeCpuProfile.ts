// Opt-in CPU profile of the extension host during benchmark 3 (HOOKLENS_BENCH_CPU_PROFILE=<file>).
// The extension host is a grandchild of code-server, so --cpu-prof (written only on a clean exit)
// does not fit: instead SIGUSR1 opens its inspector and the profile is taken over the DevTools
// protocol, touching nothing in the extension. The process is found by the probe's variable in
// its environment, so it is this run's extension host and no other.
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import WebSocket from 'ws';

export const CPU_PROFILE_ENV = 'HOOKLENS_BENCH_CPU_PROFILE';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface RunningProfile {
  /** Stops, writes the .cpuprofile (DevTools and speedscope open it) and summarises self time. */
  stop(path: string): Promise<string[]>;
}

/** The pid of the extension host whose environment has `name=value`. */
export function findExtensionHost(name: string, value: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('extensionHost')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`${name}=${value}`)) return Number(entry);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return undefined;
}

export async function startCpuProfile(pid: number): Promise<RunningProfile> {
  process.kill(pid, 'SIGUSR1');
  const target = await debuggerUrl(10_000);
  const socket = new WebSocket(target);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
  return {
    async stop(path: string) {
      const { profile } = (await send('Profiler.stop')) as { profile: CpuProfile };
      socket.close();
      await writeFile(path, JSON.stringify(profile));
      return summarise(profile);
    },
  };
}

async function debuggerUrl(timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const targets = (await (await fetch('http://127.0.0.1:9229/json/list')).json()) as {
        webSocketDebuggerUrl: string;
      }[];
      const first = targets[0];
      if (first) return first.webSocketDebuggerUrl;
    } catch {
      // The inspector is not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the extension host did not open its inspector on 127.0.0.1:9229');
}

/** Self time by function, then by file, the biggest first: what the profile says dominates. */
function summarise(profile: CpuProfile): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, index) => {
    byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^.*\/(node_modules|lib|extensions|out|dist)\//, '$1/') : '';
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const fileKey = file || `(${functionName})`;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros);
  }
  const total = profile.endTime - profile.startTime;
  const top = (map: Map<string, number>, count: number): string[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1)}% ${name.trim()}`);
  return [
    `CPU profile over ${(total / 1e6).toFixed(1)} s, self time by file: ${top(byFile, 8).join('; ')}`,
    `self time by function: ${top(byFunction, 12).join('; ')}`,
  ];
}
