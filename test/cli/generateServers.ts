// Shared by the CLI tests that run generated handlers as real servers: a store filled through the
// capture pipeline, `hooklens generate` into a folder, each language's server built and started
// (TypeScript node/Express, Python FastAPI/Flask, Go net/http), requests sent, and the log read
// for which typed functions were reached.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { analyserWithSecrets, type AnalysisSettings } from '../../src/core/analysis/analyseRequest';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { compileTypescript, pythonWithFastapi } from './generatedToolchains';
import { root, runCli, tempDir } from './listenProcess';

export const CAPTURE_HOST = '127.0.0.1:7878';
const GO_JWT_SOURCE = '/usr/share/gocode/src/github.com/golang-jwt/jwt';
export const GO_ENV = { GOFLAGS: '-mod=mod', GOPROXY: 'off', GO111MODULE: 'on' };

export interface Req {
  readonly method?: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type Language = 'typescript' | 'python' | 'go';

/** Stores the requests as the receiver would have captured them (verified with `secrets`). */
export async function fillStore(
  requests: readonly Req[],
  secrets: readonly ConfiguredSecret[],
  settings: Partial<Omit<AnalysisSettings, 'secrets'>> = {},
  nowMs = Date.now(),
): Promise<string> {
  const dir = await tempDir('hooklens-genserve-');
  const store = await DeliveryStore.open(dir);
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () => analyserWithSecrets(secrets, settings),
  });
  let at = nowMs;
  for (const request of requests) {
    const captured: CapturedRequest = {
      receivedAtMs: (at += 10),
      startedAt: process.hrtime.bigint(),
      method: request.method ?? 'POST',
      url: request.path,
      headers: [['Host', CAPTURE_HOST], ...Object.entries(request.headers)],
      remoteAddress: '127.0.0.1',
      body: Buffer.from(request.body),
    };
    await ingestor.ingest(captured);
  }
  await store.close();
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Running {
  readonly child: ChildProcess;
  output: string;
}

export function startProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Running {
  const inherited = { ...process.env };
  delete inherited['NODE_TEST_CONTEXT'];
  const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: 'pipe' });
  const running: Running = { child, output: '' };
  child.stdout?.on('data', (chunk: Buffer) => (running.output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (running.output += chunk.toString()));
  return running;
}

export function exec(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const running = startProcess(command, args, cwd, env);
    running.child.once('close', (status) => resolve({ status, output: running.output }));
  });
}

export async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null || running.child.pid === undefined) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  process.kill(running.child.pid, 'SIGTERM');
  await exited;
}

export async function waitForPort(port: number, running: Running, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) {
      throw new Error(`${what} exited (${running.child.exitCode}): ${running.output}`);
    }
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${what} did not listen on ${port}: ${running.output}`);
}

/** `hooklens generate` into `out` (emptied first); fails the test when it does not exit 0. */
export async function generateInto(
  store: string,
  out: string,
  language: Language,
  extra: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  await rm(out, { recursive: true, force: true });
  const generated = await runCli(
    ['generate', '--store', store, '--lang', language, '--out', out, ...extra],
    env,
    60_000,
  );
  assert.equal(generated.status, 0, generated.stderr);
  return generated;
}

/** Builds and starts the generated server in `out` on `port` (framework as generated). */
export async function serveGenerated(
  out: string,
  language: Language,
  port: number,
  env: Record<string, string>,
  framework?: string,
): Promise<Running> {
  const fullEnv = { PORT: String(port), PYTHONUNBUFFERED: '1', ...env };
  let running: Running;
  if (language === 'typescript') {
    const compiled = await compileTypescript(out);
    assert.equal(compiled.status, 0, compiled.output);
    running = startProcess(process.execPath, [join(out, 'out', 'server.js')], out, fullEnv);
  } else if (language === 'python') {
    const python = pythonWithFastapi() ?? 'python3';
    running =
      framework === 'flask'
        ? startProcess(
            python,
            ['-m', 'flask', '--app', 'webhook_handler:app', 'run', '--port', String(port)],
            out,
            fullEnv,
          )
        : startProcess(
            python,
            ['-m', 'uvicorn', 'webhook_handler:app', '--host', '127.0.0.1', '--port', String(port)],
            out,
            fullEnv,
          );
  } else {
    await appendFile(
      join(out, 'go.mod'),
      `\nreplace github.com/golang-jwt/jwt/v4 => ${GO_JWT_SOURCE}\n`,
    );
    const built = await exec('go', ['build', '-o', 'webhook-server', '.'], out, GO_ENV);
    assert.equal(built.status, 0, built.output);
    running = startProcess(join(out, 'webhook-server'), [], out, fullEnv);
  }
  await waitForPort(port, running, `${out} server`);
  return running;
}

export async function send(base: string, request: Req): Promise<{ status: number; text: string }> {
  const response = await fetch(base + request.path, {
    method: request.method ?? 'POST',
    headers: request.headers,
    ...(request.method === 'GET' ? {} : { body: request.body }),
  });
  return { status: response.status, text: await response.text() };
}

/** How often the stub for `event` logged reaching it (`webhook: NAME` lines). */
export function timesReached(output: string, event: string): number {
  return output.split('\n').filter((line) => line.endsWith(`webhook: ${event}`)).length;
}

/** The generated test, run the way its file header says. */
export function runGeneratedTest(
  dir: string,
  language: Language,
): Promise<{ status: number | null; output: string }> {
  if (language === 'typescript') {
    return exec(
      process.execPath,
      ['--test', '--test-reporter=tap', join('out', 'webhookHandler.test.js')],
      dir,
    );
  }
  if (language === 'python') {
    return exec(pythonWithFastapi() ?? 'python3', ['-m', 'unittest', 'test_webhook_handler'], dir);
  }
  return exec('go', ['test', './...'], dir, GO_ENV);
}

export const GENERATED_ROOT = join(root, 'test-artifacts', 'generated-production');
