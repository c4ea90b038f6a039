// Starts a real VS Code (code-server 4.100.3, installed by install-harness.sh) with the HookLens
// VSIX installed and a workspace open, on a free loopback port. Used by the e2e suite and by
// `npm start`. Everything lives in a fresh temporary folder that `stop()` removes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const HARNESS_CACHE =
  process.env.HOOKLENS_VSCODE_CACHE ?? join(homedir(), '.cache', 'hooklens-vscode');
export const CODE_SERVER_BIN = join(HARNESS_CACHE, 'node_modules', '.bin', 'code-server');
export const SAMPLE_WORKSPACE = join(__dirname, '..', '..', 'test', 'fixtures', 'sample-workspace');

export interface CodeServerOptions {
  readonly vsixPath: string;
  /** Copied into the temporary folder so that tests never write into the repository. */
  readonly workspaceTemplate?: string;
  readonly userSettings?: Record<string, unknown>;
  readonly port?: number;
  readonly log?: (line: string) => void;
  /** Extra environment for code-server and so its extension host (e.g. HOOKLENS_BENCH_PROBE). */
  readonly env?: Record<string, string>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly workbenchUrl: string;
  /** Everything code-server printed, for diagnosing a failed test. */
  readonly output: () => string;
  readonly stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const root = await mkdtemp(join(tmpdir(), 'hooklens-vscode-'));
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await cp(options.workspaceTemplate ?? SAMPLE_WORKSPACE, workspace, { recursive: true });
  await writeFile(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        // Without this the window opens in Restricted Mode and the extension never activates.
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        ...options.userSettings,
      },
      null,
      2,
    ),
  );
  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  await execFileAsync(CODE_SERVER_BIN, [
    ...common,
    '--install-extension',
    options.vsixPath,
    '--force',
  ]);

  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(
    CODE_SERVER_BIN,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      workspace,
    ],
    // Its own process group, so stop() also ends the file watchers and extension host it starts.
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    },
  );
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output += text;
    options.log?.(text.trimEnd());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000));
      await Promise.race([exited, timeout]);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Exited cleanly.
      }
    }
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitForHttp(`${url}/healthz`, 60_000, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start: ${String(error)}\n${output}`, { cause: error });
  }
  return {
    url,
    port,
    workspace,
    userDataDir,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspace)}`,
    output: () => output,
    stop,
  };
}

async function waitForHttp(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error('code-server exited');
    try {
      const response = await fetch(url);
      if (response.ok) return;
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${url}: ${String(lastError)}`);
}
