// Benchmark 3, the extension host under load: the packaged extension runs in a real VS Code
// (code-server, its workbench open in Chromium with the Deliveries view showing), and 1,000 signed
// Watson deliveries a second for 10 s go to its receiver, twice: paced evenly over each second,
// then as autocannon's overallRate sends them (a burst at the start of each second). The
// extension's bench probe (src/vscode/benchProbe.ts, on only because HOOKLENS_BENCH_PROBE is set)
// reports the extension host's event-loop delay, the tree's refreshes and the store's size; the
// store is then read back to check that every acknowledged delivery is in it.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  CODE_SERVER_BIN,
  freePort,
  startCodeServer,
  type RunningCodeServer,
} from '../scripts/e2e/codeServer';
import { recognise } from '../src/core/senders/recognise';
import { DeliveryStore } from '../src/core/store/deliveryStore';
import { signToken } from '../src/core/verify/sign';
import {
  BENCH_PROBE_ENV,
  BENCH_PROBE_INTERVAL_MS,
  BENCH_PROBE_RESOLUTION_MS,
} from '../src/vscode/benchProbe';
import { openHookLensView, setSecret } from '../test/e2e/workbench';
import {
  loadWindowFigures,
  readProbe,
  resetProbeWindow,
  type LoadWindowFigures,
} from './lib/extensionHostProbe';
import {
  CPU_PROFILE_ENV,
  findExtensionHost,
  startCpuProfile,
} from './lib/extensionHostProbeCpuProfile';
import {
  autocannonLoad,
  pacedLoad,
  type LoadFigures,
  type LoadSpec,
} from './lib/extensionHostProbeLoad';
import { loadDurationSec } from './lib/load';
import { watsonMessageLogged } from './lib/payload';
import type { Benchmark, Figure, Verdict } from './lib/result';

const REPO = join(__dirname, '..');
const CHROMIUM = process.env.HOOKLENS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(REPO, 'test-artifacts', 'bench', 'extension-host-under-load.png');

const OFFERED_RATE = 1000;
/** At 10 req/s each, a connection has 100 ms per answer before the offered rate slips. */
const CONNECTIONS = 100;
const WARM_UP = { seconds: 2, rate: 200, connections: 20 };
/** Deliveries per Watson session: a conversation has a few turns, so the tree has real groups. */
const TURNS_PER_SESSION = 4;
/** Far above what the run stores, so retention never deletes a delivery the check looks for. */
const MAX_DELIVERIES = 50_000;
/** Between phases: the store and the tree settle, so one phase's tail is not the next's start. */
const SETTLE_MS = 2_000;

const EVENT_LOOP_P99_TARGET_MS = 50;
const TREE_REFRESHES_PER_SECOND_TARGET = 4;
const LATEST_SHOWN_TARGET_MS = 2_000;

const PHASES = [
  { key: 'paced', title: 'paced', load: pacedLoad },
  { key: 'bursts', title: 'autocannon bursts', load: autocannonLoad },
] as const;

interface PhaseResult {
  readonly title: string;
  readonly load: LoadFigures;
  readonly window: LoadWindowFigures;
  /** From the 2xx answer to the last of two deliveries sent right after the load to their group row showing, ms. */
  readonly latestShownMs: number;
}

const log = (message: string): void => void process.stderr.write(`[extension-host] ${message}\n`);

export const run: Benchmark = async () => {
  ensureHarness();
  const work = await mkdtemp(join(tmpdir(), 'hooklens-bench-exthost-'));
  // A private copy: another benchmark may repackage the shared VSIX while this one installs it.
  const vsix = join(work, 'hooklens.vsix');
  await copyFile(ensureVsix(), vsix);
  const probePath = join(work, 'probe.jsonl');
  const receiverPort = await freePort();
  const durationSec = loadDurationSec();
  const secret = randomBytes(24).toString('hex');
  const deliveries = deliveryFactory(secret);

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    log('starting code-server with the packaged extension');
    server = await startCodeServer({
      vsixPath: vsix,
      userSettings: {
        'hooklens.port': receiverPort,
        'hooklens.autoStart': true,
        'hooklens.retention.maxDeliveries': MAX_DELIVERIES,
      },
      env: { [BENCH_PROBE_ENV]: probePath },
    });
    // The extension activates on startup finished, which takes a window: open the workbench.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The load must exercise the visible tree, as a developer watching deliveries arrive has it.
    await openHookLensView(page);
    await waitForPort(receiverPort, 60_000);
    await waitFor(async () => (await readProbe(probePath)).length > 0, 30_000, 'the bench probe');
    await setSecret(page, secret);

    const url = `http://127.0.0.1:${receiverPort}/webhooks/watson`;
    const acknowledged: string[] = [];
    const spec = (rate: number, seconds: number, connections: number): LoadSpec => ({
      url,
      rate,
      durationSec: seconds,
      connections,
      deliveries: { headers: deliveries.headers, next: () => deliveries.next().body },
      onAcknowledged: (id) => acknowledged.push(id),
    });

    log(`warm-up: ${WARM_UP.seconds} s at ${WARM_UP.rate}/s`);
    const warm = await pacedLoad(spec(WARM_UP.rate, WARM_UP.seconds, WARM_UP.connections));
    if (warm.answered2xx === 0 || warm.non2xx > 0 || warm.errors > 0) {
      throw new Error(
        `warm-up: ${warm.answered2xx} 2xx, ${warm.non2xx} non-2xx, ${warm.errors} errors (is the secret set?)`,
      );
    }
    let answered2xx = warm.answered2xx;
    await sleep(SETTLE_MS);

    const profilePath = process.env[CPU_PROFILE_ENV];
    const profile = profilePath ? await startCpuProfile(extensionHostPid(probePath)) : undefined;
    const phases: PhaseResult[] = [];
    for (const phase of PHASES) {
      log(`${phase.title}: ${durationSec} s at ${OFFERED_RATE}/s over ${CONNECTIONS} connections`);
      await resetProbeWindow(probePath);
      const start = Date.now();
      const load = await phase.load(spec(OFFERED_RATE, durationSec, CONNECTIONS));
      const end = Date.now();
      answered2xx += load.answered2xx;
      const latest = await latestShown(page, url, deliveries, acknowledged);
      answered2xx += latest.answered;
      // Let the last store batch, the last refresh and the probe's closing interval land.
      await sleep(SETTLE_MS);
      const window = loadWindowFigures(
        await readProbe(probePath),
        start,
        end,
        BENCH_PROBE_INTERVAL_MS,
      );
      phases.push({ title: phase.title, load, window, latestShownMs: latest.shownMs });
    }
    const profileNotes = profile && profilePath ? await profile.stop(profilePath) : [];
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.mouse.move(700, 450); // No hover tooltip over the view in the picture.
    await page.screenshot({ path: SCREENSHOT });

    const probe = (await readProbe(probePath)).at(-1);
    const stored = await storedIds(server.userDataDir);
    const missing = acknowledged.filter((id) => !stored.ids.has(id));
    const unique = new Set(acknowledged).size;
    const worst = (pick: (phase: PhaseResult) => number): PhaseResult =>
      phases.reduce((a, b) => (pick(b) > pick(a) || Number.isNaN(pick(b)) ? b : a));
    const byPhase = (pick: (phase: PhaseResult) => number, unit: string): string =>
      phases.map((phase) => `${phase.title} ${format(pick(phase))}${unit}`).join(', ');

    const figures: Figure[] = [
      { label: 'offered rate', value: OFFERED_RATE, unit: 'req/s' },
      ...phases.flatMap((phase): Figure[] => {
        const { load, window } = phase;
        const label = (what: string): string => `${phase.title}: ${what}`;
        return [
          {
            label: label('achieved (2xx/s)'),
            value: load.answered2xx / load.durationSec,
            unit: 'req/s',
          },
          { label: label('2xx'), value: load.answered2xx, unit: '' },
          { label: label('non-2xx'), value: load.non2xx, unit: '' },
          { label: label('errors'), value: load.errors, unit: '' },
          { label: label('latency p50'), value: load.latencyP50Ms, unit: 'ms' },
          { label: label('latency p99'), value: load.latencyP99Ms, unit: 'ms' },
          { label: label('event-loop p50'), value: window.eventLoop.p50, unit: 'ms' },
          { label: label('event-loop p99'), value: window.eventLoop.p99, unit: 'ms' },
          { label: label('event-loop max'), value: window.eventLoop.max, unit: 'ms' },
          { label: label('tree refreshes'), value: window.treeRefreshesPerSecond, unit: '/s' },
          {
            label: label('tree refreshes, most in any 1 s'),
            value: window.treeRefreshesPeakPerSecond,
            unit: '/s',
          },
          { label: label('latest delivery shown after'), value: phase.latestShownMs, unit: 'ms' },
        ];
      }),
      { label: 'deliveries acknowledged (2xx, all phases)', value: acknowledged.length, unit: '' },
      { label: 'deliveries in the store', value: stored.ids.size, unit: '' },
      { label: 'acknowledged but not in the store', value: missing.length, unit: '' },
      { label: 'stored deliveries verified (JWT)', value: stored.verified, unit: '' },
    ];

    const loopWorst = worst((phase) => phase.window.eventLoop.p99);
    const refreshWorst = worst((phase) => phase.window.treeRefreshesPeakPerSecond);
    const shownWorst = worst((phase) => phase.latestShownMs);
    const verdicts: Verdict[] = [
      {
        target: `event-loop p99 < ${EVENT_LOOP_P99_TARGET_MS} ms`,
        measured: loopWorst.window.eventLoop.p99,
        unit: 'ms',
        met: phases.every(
          ({ window }) =>
            window.eventLoop.samples > 0 && window.eventLoop.p99 < EVENT_LOOP_P99_TARGET_MS,
        ),
        note: `${byPhase((phase) => phase.window.eventLoop.p99, ' ms')}; max ${byPhase((phase) => phase.window.eventLoop.max, ' ms')}`,
      },
      {
        target: `tree refreshes <= ${TREE_REFRESHES_PER_SECOND_TARGET}/s`,
        measured: refreshWorst.window.treeRefreshesPeakPerSecond,
        unit: '/s',
        met: phases.every(
          ({ window }) =>
            window.treeRefreshes > 0 &&
            window.treeRefreshesPeakPerSecond <= TREE_REFRESHES_PER_SECOND_TARGET,
        ),
        note: `most in any 1 s; on average ${byPhase((phase) => phase.window.treeRefreshesPerSecond, '/s')}`,
      },
      {
        target: `latest delivery in the tree <= ${LATEST_SHOWN_TARGET_MS} ms after the load`,
        measured: shownWorst.latestShownMs,
        unit: 'ms',
        met: phases.every((phase) => phase.latestShownMs <= LATEST_SHOWN_TARGET_MS),
        note: byPhase((phase) => phase.latestShownMs, ' ms'),
      },
      {
        target: 'no acknowledged delivery lost',
        measured: missing.length,
        unit: 'lost',
        met:
          acknowledged.length > 0 &&
          acknowledged.length === answered2xx &&
          unique === acknowledged.length &&
          missing.length === 0,
        note: `${acknowledged.length} ids from ${answered2xx} 2xx answers; ${stored.ids.size} stored`,
      },
    ];
    return {
      name: '3. Extension host under load',
      figures,
      verdicts,
      notes: [
        `code-server ${codeServerVersion()} with the packaged extension; Chromium shows the Deliveries view (grouped by session, ${TURNS_PER_SESSION} turns each) throughout.`,
        `Load: ${OFFERED_RATE} deliveries/s for ${durationSec} s over ${CONNECTIONS} connections, each a distinct Watson message_logged (${deliveries.size} bytes) with a valid HS256 JWT; after a ${WARM_UP.seconds} s warm-up at ${WARM_UP.rate}/s. Twice: "paced" sends every 10 ms what has come due (an even 1,000/s); "autocannon bursts" is autocannon's overallRate, which sends each connection's share of a second as fast as it is answered and then waits, so each second starts with a burst of up to ${OFFERED_RATE}.`,
        `Event loop: perf_hooks.monitorEventLoopDelay({ resolution: ${BENCH_PROBE_RESOLUTION_MS} }) in the extension host, one histogram per phase, reset right before it and read at most ${BENCH_PROBE_INTERVAL_MS} ms after it; its values include the ${BENCH_PROBE_RESOLUTION_MS} ms sampling period (an idle loop reads about ${BENCH_PROBE_RESOLUTION_MS} ms).`,
        ...phases.map(
          (phase) =>
            `${phase.title}: event-loop max per ${BENCH_PROBE_INTERVAL_MS} ms interval (ms): ${phase.window.intervalMaxima.map((max) => Math.round(max)).join(' ')}; shortest gap between tree refreshes ${phase.window.treeRefreshMinGapMs ?? '-'} ms.`,
        ),
        `Loss check: every id a 2xx answer named was looked up in the store, read back from disk after the run (probe: ${probe ? `${probe.ingested} ingested, ${probe.deliveries} in the store` : 'no snapshot'}). The store may hold more than was acknowledged: requests still in flight when a load stopped were stored, then not counted.`,
        `Screenshot: ${SCREENSHOT.slice(REPO.length + 1)}`,
        ...(profilePath
          ? [`CPU profile of the extension host over both phases: ${profilePath}`, ...profileNotes]
          : []),
      ],
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
};

/**
 * Sends two more deliveries in a session of their own, so a group row names it (a session of
 * one is shown as the delivery's own row), and times how long after the second one's 2xx answer
 * the view shows that group.
 */
async function latestShown(
  page: Page,
  url: string,
  deliveries: DeliveryFactory,
  acknowledged: string[],
): Promise<{ shownMs: number; answered: number }> {
  // At most 24 characters, so the group row shows the whole id (longer ones are shortened).
  const sessionId = `latest-${randomUUID().slice(0, 13)}`;
  let answered = 0;
  let answeredAt = 0;
  for (let turn = 0; turn < 2; turn++) {
    const answer = await fetch(url, {
      method: 'POST',
      headers: deliveries.headers,
      body: deliveries.next(sessionId).body,
    });
    answeredAt = Date.now();
    const { id } = (await answer.json().catch(() => ({}))) as { id?: unknown };
    if (answer.ok && typeof id === 'string') {
      acknowledged.push(id);
      answered++;
    }
  }
  try {
    await page
      .locator('.part.sidebar .monaco-list-row', { hasText: `Session ${sessionId}` })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    return { shownMs: Date.now() - answeredAt, answered };
  } catch {
    // NaN: the verdict says the tree did not show it.
    return { shownMs: Number.NaN, answered };
  }
}

function format(value: number): string {
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : value.toFixed(1);
}

function extensionHostPid(probePath: string): number {
  const pid = findExtensionHost(BENCH_PROBE_ENV, probePath);
  if (pid === undefined) throw new Error('the extension host process was not found');
  return pid;
}

interface DeliveryFactory {
  readonly headers: Record<string, string>;
  readonly size: number;
  /** A new delivery: a fresh log id, and a new session every few turns (or the given one). */
  next(sessionId?: string): { readonly body: string; readonly sessionId: string };
}

function deliveryFactory(secret: string): DeliveryFactory {
  const logIdTemplate = '00000000-0000-4000-8000-000000000000';
  const template = watsonMessageLogged(logIdTemplate);
  const templateSession = recognise(JSON.parse(template), () => undefined).sessionId;
  if (!templateSession) throw new Error('the benchmark payload has no session id');
  // One token for the whole run, as a sender reusing a fresh token would; valid for an hour.
  const token = signToken(secret, { sub: 'watson' }, { expiresInSeconds: 60 * 60 });
  let count = 0;
  let session = randomUUID();
  return {
    headers: { 'Content-Type': 'application/json', Authorization: token },
    size: Buffer.byteLength(template),
    next(sessionId?: string) {
      if (count++ % TURNS_PER_SESSION === 0) session = randomUUID();
      const chosen = sessionId ?? session;
      // Same-length ids: every delivery has the template's size.
      const body = template
        .replace(logIdTemplate, randomUUID())
        .split(templateSession)
        .join(chosen);
      return { body, sessionId: chosen };
    },
  };
}

/** The extension's store (global storage), read as a second window would see it. */
async function storedIds(userDataDir: string): Promise<{ ids: Set<string>; verified: number }> {
  const globalStorage = join(userDataDir, 'User', 'globalStorage');
  const folder = readdirSync(globalStorage).find(
    (name) => name.toLowerCase() === 'hooklens.hooklens',
  );
  if (!folder) throw new Error(`no HookLens global storage in ${globalStorage}`);
  const store = await DeliveryStore.open(join(globalStorage, folder, 'store'), {
    maxDeliveries: MAX_DELIVERIES,
  });
  try {
    await store.refresh();
    const summaries = store.summaries();
    return {
      ids: new Set(summaries.map((summary) => summary.id)),
      verified: summaries.filter((summary) => summary.verdict === 'verified').length,
    };
  } finally {
    await store.close();
  }
}

/** Installs code-server and Chromium when either is missing (idempotent, cached outside the clone). */
function ensureHarness(): void {
  if (existsSync(CODE_SERVER_BIN) && existsSync(CHROMIUM)) return;
  log('installing the VS Code harness (code-server, Chromium)');
  execFileSync('bash', [join(REPO, 'scripts', 'e2e', 'install-harness.sh')], {
    cwd: REPO,
    stdio: ['ignore', process.stderr, process.stderr],
  });
}

/** The repository's VSIX, packaged again when anything it is built from is newer. */
function ensureVsix(): string {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    version: string;
  };
  const path = join(REPO, `hooklens-${version}.vsix`);
  const built = existsSync(path) ? statSync(path).mtimeMs : 0;
  const sources = ['src', 'webview-ui', 'media', 'package.json', 'esbuild.mjs'].map((name) =>
    join(REPO, name),
  );
  if (built === 0 || sources.some((source) => newestMtime(source) > built)) {
    log('packaging the extension (npm run package)');
    execFileSync('npm', ['run', 'package'], {
      cwd: REPO,
      stdio: ['ignore', process.stderr, process.stderr],
    });
  }
  return path;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function codeServerVersion(): string {
  try {
    return execFileSync(CODE_SERVER_BIN, ['--version'], { encoding: 'utf8' }).split(/\s/)[0] ?? '?';
  } catch {
    return '?';
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    timeoutMs,
    `the receiver on port ${port}`,
  );
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
