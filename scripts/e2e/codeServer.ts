// Starts a real VS Code (code-server, installed by install-harness.sh) with the HookLens VSIX
// installed and a workspace open, on a free loopback port. Used by the e2e suite and by
// `npm start`. Everything lives in a fresh temporary folder that `stop()` removes.
//
// Two VS Codes are installed, both pinned in versions.sh: the floor (code-server 4.100.3, VS Code
// 1.100.3, on the system Node) and the newest (on its own Node 24, through code-server-newest.sh).
// HOOKLENS_VSCODE=newest picks the newest; unset or `floor`, the floor.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const HARNESS_CACHE =
  process.env.HOOKLENS_VSCODE_CACHE ?? join(homedir(), '.cache', 'hooklens-vscode');
/** The floor's code-server. */
export const CODE_SERVER_BIN = join(HARNESS_CACHE, 'node_modules', '.bin', 'code-server');
export const SAMPLE_WORKSPACE = join(__dirname, '..', '..', 'test', 'fixtures', 'sample-workspace');

export type VsCodeEdition = 'floor' | 'newest';

export interface VsCodeInstall {
  readonly edition: VsCodeEdition;
  /** What to run as `code-server`: the floor's bin, or the wrapper that starts the newest on Node 24. */
  readonly bin: string;
  readonly codeServerVersion: string;
  /** VS Code's version inside that code-server, e.g. 1.100.3. */
  readonly vscodeVersion: string;
}

/** The pins in versions.sh (KEY=value lines). */
export function pinnedVersions(): Record<string, string> {
  const text = readFileSync(join(__dirname, 'versions.sh'), 'utf8');
  const pins: Record<string, string> = {};
  for (const match of text.matchAll(/^([A-Z_]+)=(\S+)\s*$/gm))
    pins[match[1] ?? ''] = match[2] ?? '';
  return pins;
}

/** The edition HOOKLENS_VSCODE names: `newest`, or `floor` (the default). */
export function selectedEdition(): VsCodeEdition {
  const value = process.env.HOOKLENS_VSCODE ?? 'floor';
  if (value === '' || value === 'floor') return 'floor';
  if (value === 'newest') return 'newest';
  throw new Error(`HOOKLENS_VSCODE=${value}: expected "floor" or "newest"`);
}

export function vsCodeInstall(edition: VsCodeEdition = selectedEdition()): VsCodeInstall {
  const pins = pinnedVersions();
  const codeServerVersion =
    (edition === 'newest' ? pins.NEWEST_CODE_SERVER_VERSION : pins.FLOOR_CODE_SERVER_VERSION) ?? '';
  const codeServerDir =
    edition === 'newest'
      ? join(
          HARNESS_CACHE,
          'newest',
          `code-server-${codeServerVersion}-node-${pins.NEWEST_NODE_VERSION ?? ''}`,
          'cs',
          'node_modules',
          'code-server',
        )
      : join(HARNESS_CACHE, 'node_modules', 'code-server');
  const vscodePackage = join(codeServerDir, 'lib', 'vscode', 'package.json');
  if (!existsSync(vscodePackage)) {
    throw new Error(
      `code-server ${codeServerVersion} (the ${edition} VS Code) is not installed in ${codeServerDir}: ` +
        'run `bash scripts/e2e/install-harness.sh`',
    );
  }
  const { version } = JSON.parse(readFileSync(vscodePackage, 'utf8')) as { version: string };
  return {
    edition,
    bin: edition === 'newest' ? join(__dirname, 'code-server-newest.sh') : CODE_SERVER_BIN,
    codeServerVersion,
    vscodeVersion: version,
  };
}

export interface CodeServerOptions {
  readonly vsixPath: string;
  /** Copied into the temporary folder so that tests never write into the repository. */
  readonly workspaceTemplate?: string;
  readonly userSettings?: Record<string, unknown>;
  readonly port?: number;
  readonly log?: (line: string) => void;
  /** Extra environment for code-server and so its extension host (e.g. HOOKLENS_BENCH_PROBE). */
  readonly env?: Record<string, string>;
  /** Which VS Code to start; by default the one HOOKLENS_VSCODE names (the floor unless `newest`). */
  readonly vscode?: VsCodeEdition;
  /** The display language (`--locale`); VS Code needs a language pack for it (see `prepare`). */
  readonly locale?: string;
  /** Runs after HookLens is installed and before VS Code starts (install another extension). */
  readonly prepare?: (folders: {
    readonly bin: string;
    readonly extensionsDir: string;
    readonly userDataDir: string;
  }) => Promise<void>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly workbenchUrl: string;
  /** The VS Code that runs. */
  readonly vscode: VsCodeInstall;
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
  const vscode = vsCodeInstall(options.vscode);
  const root = await mkdtemp(join(tmpdir(), 'hooklens-vscode-'));
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await cp(options.workspaceTemplate ?? SAMPLE_WORKSPACE, workspace, { recursive: true });
  const userSettings: Record<string, unknown> = {
    // Without this the window opens in Restricted Mode and the extension never activates.
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    // Newer VS Codes (1.139) open the Chat view in the secondary side bar on the right at
    // start-up, which squeezes the editor and the panel; 1.100 ignores this setting.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...options.userSettings,
  };
  await writeFile(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(userSettings, null, 2),
  );
  // A code-server window is a remote window: VS Code 1.139 reads `machine`-scoped settings there
  // only from the remote ("Machine") settings and ignores them in User settings, as VS Code Remote
  // does (1.100 in code-server still read them from User). So the HookLens settings of that scope
  // (port, host, body and retention limits) go in both files, where a code-server user would put them.
  const machineScoped = machineScopedSettings();
  const machineSettings = Object.fromEntries(
    Object.entries(userSettings).filter(([key]) => machineScoped.has(key)),
  );
  if (Object.keys(machineSettings).length > 0) {
    await mkdir(join(userDataDir, 'Machine'), { recursive: true });
    await writeFile(
      join(userDataDir, 'Machine', 'settings.json'),
      JSON.stringify(machineSettings, null, 2),
    );
  }
  const common = ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  await execFileAsync(vscode.bin, [...common, '--install-extension', options.vsixPath, '--force']);
  await options.prepare?.({ bin: vscode.bin, extensionsDir, userDataDir });

  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(
    vscode.bin,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...(options.locale ? ['--locale', options.locale] : []),
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
    vscode,
    output: () => output,
    stop,
  };
}

/** The extension's settings whose scope is `machine` or `machine-overridable` (package.json). */
function machineScopedSettings(): Set<string> {
  const manifest = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as {
    contributes?: {
      configuration?:
        | { properties?: Record<string, { scope?: string }> }
        | Array<{ properties?: Record<string, { scope?: string }> }>;
    };
  };
  const sections = [manifest.contributes?.configuration ?? []].flat();
  const keys = new Set<string>();
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.properties ?? {})) {
      if (schema.scope === 'machine' || schema.scope === 'machine-overridable') keys.add(key);
    }
  }
  return keys;
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
