// Test helper: runs the built CLI (dist/cli.js) as real processes on loopback, and cleans up after
// itself. Every process started here is tracked by pid and killed by `cleanUp()`.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const cliPath = join(root, 'dist', 'cli.js');

const liveProcesses = new Map<number, ChildProcess>();
const tempDirs: string[] = [];

/** The environment a child gets: ours without any HOOKLENS_SECRET, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('HOOKLENS_SECRET' in extra)) delete env.HOOKLENS_SECRET;
  return env;
}

function track(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const pid = child.pid;
  liveProcesses.set(pid, child);
  child.once('exit', () => liveProcesses.delete(pid));
}

/** Starts `node dist/cli.js ARGS`, tracked for cleanUp(), collecting its output as text. */
function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return { child, output: () => ({ stdout, stderr }) };
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ListenProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Complete stdout lines so far. */
  stdoutLines(): string[];
  waitForStdoutLines(count: number, timeoutMs?: number): Promise<string[]>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<Exit>;
  /** Sends `signal` (by pid) and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Resolves when `check()` returns a value, polling every 20 ms; rejects after `timeoutMs`. */
async function waitFor<T>(
  check: () => T | undefined,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `hooklens listen --port 0 ...args` and resolves once it prints its URL on stderr. The
 * real port is read from that line. Rejects (with stderr) if the process exits first.
 */
export async function startListen(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ListenProcess> {
  const fullArgs = args.includes('--port') ? args : ['--port', '0', ...args];
  const { child, output } = spawnCli(['listen', ...fullArgs], env);
  const stdoutOf = (): string => output().stdout;
  const stderrOf = (): string => output().stderr;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));

  const port = await waitFor(
    () => {
      const match = /HookLens listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderrOf());
      if (match) return Number(match[1]);
      if (exit)
        throw new Error(`listen exited ${JSON.stringify(exit)} before listening:\n${stderrOf()}`);
      return undefined;
    },
    10_000,
    () => `listen to start; stderr so far:\n${stderrOf()}`,
  );
  const pid = child.pid ?? -1;
  const lines = (): string[] => stdoutOf().split('\n').slice(0, -1);
  return {
    pid,
    port,
    url: `http://127.0.0.1:${port}/`,
    stdout: stdoutOf,
    stderr: stderrOf,
    stdoutLines: lines,
    waitForStdoutLines: (count, timeoutMs = 5_000) =>
      waitFor(
        () => (lines().length >= count ? lines() : undefined),
        timeoutMs,
        () => `${count} stdout lines; got:\n${stdoutOf()}\nstderr:\n${stderrOf()}`,
      ),
    waitForStderr: (pattern, timeoutMs = 5_000) =>
      waitFor(
        () => (pattern.test(stderrOf()) ? stderrOf() : undefined),
        timeoutMs,
        () => `${String(pattern)} on stderr; got:\n${stderrOf()}`,
      ),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!exit) process.kill(pid, signal);
      return exited;
    },
  };
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` to completion (killed after `timeoutMs`). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const { child, output } = spawnCli(args, env);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code, ...output() });
    });
  });
}

export interface PostResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One POST over a fresh connection to 127.0.0.1:port. */
export function post(
  port: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
  path = '/webhook',
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function tempDir(prefix = 'hooklens-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Kills (SIGKILL, by pid) every process still running and removes every temp dir. */
export async function cleanUp(): Promise<void> {
  const exits: Promise<unknown>[] = [];
  for (const [pid, child] of liveProcesses) {
    exits.push(new Promise((resolve) => child.once('exit', resolve)));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await Promise.all(exits);
  liveProcesses.clear();
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** A Watson log webhook body (webhook-senders §2.3, trimmed). */
export function messageLogged(logId: string, sessionId = 'b263cb6f-0d62-4b01-a28e-1743ff54d28d') {
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: {
      log_id: logId,
      request: {
        input: { message_type: 'text', text: 'What is my checking balance?' },
        context: { global: { session_id: sessionId } },
      },
      response: {
        output: {
          generic: [{ response_type: 'text', text: 'Your checking balance is $1,250.00.' }],
        },
        context: { global: { session_id: sessionId } },
      },
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
      session_id: sessionId,
      skill_id: '1b7c4d52-3f0e-4a2a-8f7e-6a3c9d0e5b21',
      snapshot: 'draft',
      request_timestamp: '2025-05-14T15:03:02.511Z',
      response_timestamp: '2025-05-14T15:03:02.874Z',
      language: 'en',
    },
  });
}

/** A long-running CLI process (`hooklens tail`…) started by `startCli`. */
export interface CliProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Complete stdout lines so far. */
  stdoutLines(): string[];
  waitForStdoutLines(count: number, timeoutMs?: number): Promise<string[]>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<Exit>;
  /** Sends `signal` (by pid) and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Starts `node dist/cli.js ...args` without waiting for anything; tracked for cleanUp(). */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const { child, output } = spawnCli(args, env);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));
  const stdoutOf = (): string => output().stdout;
  const stderrOf = (): string => output().stderr;
  const lines = (): string[] => stdoutOf().split('\n').slice(0, -1);
  const pid = child.pid ?? -1;
  return {
    pid,
    stdout: stdoutOf,
    stderr: stderrOf,
    stdoutLines: lines,
    waitForStdoutLines: (count, timeoutMs = 5_000) =>
      waitFor(
        () => (lines().length >= count ? lines() : undefined),
        timeoutMs,
        () =>
          `${count} stdout lines of ${args.join(' ')}; got:\n${stdoutOf()}\nstderr:\n${stderrOf()}`,
      ),
    waitForStderr: (pattern, timeoutMs = 5_000) =>
      waitFor(
        () => (pattern.test(stderrOf()) ? stderrOf() : undefined),
        timeoutMs,
        () => `${String(pattern)} on stderr of ${args.join(' ')}; got:\n${stderrOf()}`,
      ),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!exit) process.kill(pid, signal);
      return exited;
    },
  };
}
