// Benchmark 5, activation and size: how long our own code takes from activation start to the
// receiver listening, what loading the extension bundle costs, that quicktype stays out of it, and
// the sizes of dist/ and the .vsix.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ActivationChildResult } from './lib/activationChild';
import { median, percentile, REPO_ROOT, round, runJsonChild } from './lib/childJson';
import type { Benchmark, Figure, Verdict } from './lib/result';

/** Cold activations, each in a fresh process with a fresh store folder. */
const ACTIVATION_RUNS = 20;
/** Cold loads of dist/extension.js, each in a fresh process. */
const LOAD_RUNS = 10;
const TARGET_ACTIVATION_MS = 50;
const TARGET_VSIX_BYTES = 2 * 1024 * 1024;
const KB = 1024;
const QUICKTYPE = /quicktype/i;

/**
 * Loads (does not activate) the bundle in plain Node with `vscode` answered by a stub: a proxy
 * that is every property, callable and constructible, so top-level `class … extends vscode.X` and
 * `vscode.Y.Z` references evaluate. argv[1] is the bundle's path.
 */
const LOAD_SCRIPT = `
const Module = require('node:module');
const stub = new Proxy(function () {}, {
  get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : stub),
  getPrototypeOf: () => stub,
  apply: () => stub,
  construct: () => stub,
});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
const fake = new Module('vscode');
fake.exports = stub;
fake.loaded = true;
require.cache.vscode = fake;
const before = new Set(Object.keys(require.cache));
const start = performance.now();
const extension = require(process.argv[1]);
const loadMs = performance.now() - start;
const modules = Object.keys(require.cache).filter((name) => !before.has(name));
process.stdout.write(JSON.stringify({
  loadMs,
  exportsActivate: typeof extension.activate === 'function',
  modules,
}) + '\\n');
`;

interface LoadResult {
  readonly loadMs: number;
  readonly exportsActivate: boolean;
  readonly modules: readonly string[];
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.size,
    () => undefined,
  );
}

async function treeStats(dir: string): Promise<{ bytes: number; newestMs: number; maps: number }> {
  let bytes = 0;
  let newestMs = 0;
  let maps = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await treeStats(path);
      bytes += inner.bytes;
      newestMs = Math.max(newestMs, inner.newestMs);
      maps += inner.maps;
    } else {
      const info = await stat(path);
      bytes += info.size;
      newestMs = Math.max(newestMs, info.mtimeMs);
      if (entry.name.endsWith('.map')) maps += 1;
    }
  }
  return { bytes, newestMs, maps };
}

/** Packages when the .vsix is missing or older than dist/ (vsce rebuilds dist/ for production). */
async function ensurePackage(vsix: string): Promise<string> {
  const packaged = await stat(vsix).catch(() => undefined);
  const dist = await treeStats(join(REPO_ROOT, 'dist')).catch(() => undefined);
  if (packaged && dist && packaged.mtimeMs >= dist.newestMs) return 'existing package';
  try {
    await promisify(execFile)('npm', ['run', 'package'], {
      cwd: REPO_ROOT,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return 'packaged now (`npm run package`)';
  } catch (error) {
    // The package script exits 1 over its size budget; the sizes below still tell by how much.
    const output = (error as { stderr?: string }).stderr ?? String(error);
    return `\`npm run package\` failed: ${output.trim().split('\n').slice(-3).join(' ')}`;
  }
}

export const run: Benchmark = async () => {
  const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const vsix = join(REPO_ROOT, `hooklens-${version}.vsix`);
  const packaging = await ensurePackage(vsix);

  // (b) sizes, taken after packaging so dist/ is the build that ships.
  const dist = await treeStats(join(REPO_ROOT, 'dist'));
  const bundles = ['extension.js', 'cli.js', join('webview', 'main.js')];
  const bundleSizes = await Promise.all(
    bundles.map(async (name) => ({ name, bytes: await fileSize(join(REPO_ROOT, 'dist', name)) })),
  );
  const vsixBytes = (await fileSize(vsix)) ?? Number.NaN;

  // quicktype must not be in the bundle that loads at activation.
  const extensionPath = join(REPO_ROOT, 'dist', 'extension.js');
  const quicktypeInBundle = QUICKTYPE.test(await readFile(extensionPath, 'utf8'));

  const loads: LoadResult[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    loads.push(await runJsonChild<LoadResult>(['-e', LOAD_SCRIPT, extensionPath], { tsx: false }));
  }
  const loadedModules = loads[0]?.modules ?? [];
  const quicktypeLoaded = loads.some((load) => load.modules.some((name) => QUICKTYPE.test(name)));

  // (a) activation to listening, cold, in fresh processes.
  const activations: ActivationChildResult[] = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'hooklens-bench-activation-'));
    try {
      activations.push(
        await runJsonChild<ActivationChildResult>([
          join(__dirname, 'lib', 'activationChild.ts'),
          join(dir, 'store'),
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const totals = activations.map((a) => a.totalMs);
  const activationMedian = median(totals);
  const activationP90 = percentile(totals, 90);
  const phase = (pick: (a: ActivationChildResult) => number): number =>
    round(median(activations.map(pick)), 2);
  const failedDeliveries = activations.filter((a) => a.firstDeliveryStatus !== 200).length;
  const quicktypeInActivation = activations.some((a) => a.quicktypeModules.length > 0);

  const figures: Figure[] = [
    { label: 'activation → listening, median', value: round(activationMedian, 2), unit: 'ms' },
    { label: 'activation → listening, p90', value: round(activationP90, 2), unit: 'ms' },
    { label: 'phase: open empty store', value: phase((a) => a.openStoreMs), unit: 'ms' },
    { label: 'phase: analysis settings (secrets)', value: phase((a) => a.analysisMs), unit: 'ms' },
    {
      label: 'phase: CaptureSession.start (ingestor, stream, listening, receiver.json)',
      value: phase((a) => a.listenMs),
      unit: 'ms',
    },
    {
      label: 'require dist/extension.js (median)',
      value: round(median(loads.map((l) => l.loadMs)), 2),
      unit: 'ms',
    },
    { label: 'dist/ total', value: round(dist.bytes / KB), unit: 'KiB' },
    ...bundleSizes.map(({ name, bytes }) => ({
      label: `dist/${name.replace(/\\/g, '/')}`,
      value: bytes === undefined ? Number.NaN : round(bytes / KB),
      unit: 'KiB',
    })),
    { label: `hooklens-${version}.vsix`, value: round(vsixBytes / KB), unit: 'KiB' },
  ];
  const verdicts: Verdict[] = [
    {
      target: 'activation → receiver listening < 50 ms of our own code (median)',
      measured: round(activationMedian, 2),
      unit: 'ms',
      met: activationMedian < TARGET_ACTIVATION_MS && failedDeliveries === 0,
      ...(failedDeliveries > 0
        ? { note: `${failedDeliveries} runs did not answer a signed delivery with 200` }
        : activationP90 >= TARGET_ACTIVATION_MS
          ? { note: `p90 ${round(activationP90, 2)} ms` }
          : {}),
    },
    {
      target: 'quicktype not loaded at activation',
      measured: Number(quicktypeInBundle) + Number(quicktypeLoaded) + Number(quicktypeInActivation),
      unit: 'places found',
      met: !quicktypeInBundle && !quicktypeLoaded && !quicktypeInActivation,
      ...(quicktypeInBundle ? { note: 'dist/extension.js mentions quicktype' } : {}),
    },
    {
      target: 'VSIX < 2 MB',
      measured: round(vsixBytes / KB),
      unit: 'KiB',
      met: vsixBytes < TARGET_VSIX_BYTES,
    },
  ];
  return {
    name: '5. Activation and size',
    figures,
    verdicts,
    notes: [
      `Activation: ${ACTIVATION_RUNS} fresh processes, each timing (cold, modules preloaded) what ReceiverController does with autoStart: DeliveryStore.open on an empty folder, the analysis settings from the secrets, then CaptureSession.start (ingestor, stream token and hub, the receiver on 127.0.0.1:0 until listening, receiver.json); each then answered a signed delivery (${ACTIVATION_RUNS - failedDeliveries}/${ACTIVATION_RUNS} with 200). VS Code's own work (secret storage, settings, tree) is not included.`,
      `Bundle load: ${LOAD_RUNS} fresh \`node\` processes require dist/extension.js with a stub \`vscode\` (load only, no activate; exports activate: ${loads.every((l) => l.exportsActivate)}); it pulls in ${loadedModules.length} module file(s): ${loadedModules.map((name) => name.replace(REPO_ROOT, '.')).join(', ')}.`,
      `quicktype: ${quicktypeInBundle ? 'named' : 'not named'} in dist/extension.js; ${quicktypeLoaded || quicktypeInActivation ? 'loaded' : 'not loaded'} by the bundle or the activation path.`,
      `Sizes: ${packaging}; dist/ ${dist.maps > 0 ? `holds ${dist.maps} source map(s) (a development build)` : 'is the production build (no source maps)'}.`,
    ],
  };
};
