// Servers under test run as child processes of their own, so each one's memory can be read from
// /proc and none of them shares an event loop (or a CPU's worth of work) with the load generator.
// Every process started here is tracked by pid; `stopAllServers()` kills what is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (bench/lib/ is two levels down). */
export const repoRoot = join(__dirname, '..', '..');
/** The built CLI, as `hooklens` runs it after `npm run build`. */
export const cliPath = join(repoRoot, 'dist', 'cli.js');

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Everything the process wrote to stderr so far (stdout is read only when `readStdout`). */
  stderr(): string;
  stdout(): string;
  readonly exited: Promise<ServerExit>;
  /** Sends `signal` by pid, waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ServerExit>;
}

export interface ServerSpec {
  /** Arguments to `node` (a script path first, then its arguments). */
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Matched against stdout and stderr as they grow; group 1 is the port it listens on. */
  readonly portPattern?: RegExp;
  /**
   * Keep stdout piped and collected. Off by default: a server under load printing one line per
   * request would make the parent read it on the load generator's CPU; /dev/null costs nothing.
   */
  readonly readStdout?: boolean;
  /**
   * Called with each chunk of stdout instead of collecting it (a reader that keeps up with a
   * server printing one line per request, e.g. `listen --json`, without holding it all).
   */
  readonly onStdout?: (chunk: Buffer) => void;
  /** Run under `taskset -c CPUS` (a core list such as `1`), so the server has its own core. */
  readonly cpus?: string;
  readonly startTimeoutMs?: number;
}

const live = new Map<number, ChildProcess>();

/**
 * Starts `node ...spec.args` and resolves once it names its port (by default a first line
 * `LISTENING <port>`, as the scripts in bench/lib/servers print). Rejects with its output if it
 * exits or stays silent first.
 */
export function startServerProcess(spec: ServerSpec): Promise<ServerProcess> {
  const portPattern = spec.portPattern ?? /^LISTENING (\d+)$/m;
  const pipeStdout = spec.readStdout || spec.onStdout !== undefined || !spec.portPattern;
  // taskset execs node, so the pid is node's own (its /proc figures are the server's).
  const [command, args] =
    spec.cpus === undefined
      ? [process.execPath, [...spec.args]]
      : ['taskset', ['-c', spec.cpus, process.execPath, ...spec.args]];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', pipeStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) return Promise.reject(new Error(`could not start node ${spec.args[0]}`));
  live.set(pid, child);
  let stdout = '';
  let stderr = '';
  let exit: ServerExit | undefined;
  const exited = new Promise<ServerExit>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(pid);
      exit = { code, signal };
      resolve(exit);
    }),
  );

  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      fail(`did not name its port within ${spec.startTimeoutMs ?? 15_000} ms`);
      kill(pid, 'SIGKILL');
    }, spec.startTimeoutMs ?? 15_000);
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`node ${spec.args.join(' ')} ${why}:\n${stderr}${stdout}`));
    };
    const check = (): void => {
      if (settled) return;
      const match = portPattern.exec(stdout) ?? portPattern.exec(stderr);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      const port = Number(match[1]);
      if (!spec.readStdout && child.stdout) {
        // Keep draining without holding on to it, so the pipe never fills up.
        child.stdout.removeAllListeners('data');
        const onStdout = spec.onStdout;
        if (onStdout) child.stdout.on('data', (chunk: Buffer) => onStdout(chunk));
        child.stdout.resume();
      }
      resolve({
        pid,
        port,
        url: `http://127.0.0.1:${port}/`,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        stop: async (signal = 'SIGTERM', graceMs = 30_000) => {
          if (exit) return exit;
          kill(pid, signal);
          const timeout = setTimeout(() => kill(pid, 'SIGKILL'), graceMs);
          const result = await exited;
          clearTimeout(timeout);
          return result;
        },
      });
    };
    // Buffers, not text: a reader given to onStdout counts bytes without decoding them.
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      check();
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      check();
    });
    void exited.then((value) => fail(`exited (${JSON.stringify(value)}) before listening`));
  });
}

/**
 * Starts `hooklens listen --port 0 ...args` and reads its port from stderr. For profiling:
 * HOOKLENS_BENCH_CPU_PROF=DIR runs it under `node --cpu-prof` (a .cpuprofile lands in DIR when it
 * stops), and HOOKLENS_BENCH_CLI=FILE runs another build of the CLI than dist/cli.js, e.g. an
 * unminified `npx esbuild src/cli/main.ts --bundle --platform=node --outfile=FILE`, whose frames
 * keep their names (`npm run package` leaves dist/ minified). HOOKLENS_BENCH_NODE_FLAGS adds node
 * flags, e.g. "--trace-gc".
 */
export function startHooklensListen(
  args: readonly string[],
  env: Record<string, string>,
  extra: Pick<ServerSpec, 'cpus' | 'onStdout'> = {},
): Promise<ServerProcess> {
  const profileDir = process.env.HOOKLENS_BENCH_CPU_PROF;
  const profiling = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(process.env.HOOKLENS_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  ];
  const cli = process.env.HOOKLENS_BENCH_CLI ?? cliPath;
  return startServerProcess({
    args: [...profiling, cli, 'listen', '--port', '0', ...args],
    env,
    portPattern: /HookLens listening on http:\/\/127\.0\.0\.1:(\d+)\//,
    ...extra,
  });
}

/** SIGKILLs (by pid) every server process still running: for a benchmark that failed midway. */
export async function stopAllServers(): Promise<void> {
  const exits = [...live.values()].map(
    (child) => new Promise((resolve) => child.once('exit', resolve)),
  );
  for (const pid of live.keys()) kill(pid, 'SIGKILL');
  await Promise.all(exits);
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

export interface Rss {
  /** Resident set size now, in bytes. */
  readonly rssBytes: number;
  /** The kernel's high-water mark of the resident set (VmHWM), in bytes. */
  readonly hwmBytes: number;
}

/** VmRSS and VmHWM of a live process, from /proc/<pid>/status (Linux only). */
export function rssOf(pid: number): Rss | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kib('VmRSS'), hwmBytes: kib('VmHWM') };
}

export interface RssSampler {
  /** Stops sampling; returns the highest VmRSS seen and the last reading (VmRSS and VmHWM). */
  stop(): { peakBytes: number; last: Rss | undefined };
}

/** Reads a process's RSS every `intervalMs` (a cheap read of one /proc file). */
export function sampleRss(pid: number, intervalMs = 250): RssSampler {
  let peakBytes = 0;
  let last: Rss | undefined;
  const read = (): void => {
    const rss = rssOf(pid);
    if (!rss) return;
    last = rss;
    peakBytes = Math.max(peakBytes, rss.rssBytes);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return { peakBytes, last };
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuTimeOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces, so split after its closing paren):
  // utime and stime are fields 14 and 15 overall, in clock ticks (100 per second on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}
