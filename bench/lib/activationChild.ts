// Child process of benchmark 5: one cold run of what the extension does at activation with
// `hooklens.autoStart` (ReceiverController.openStore, then start(): the analysis settings from
// the secrets, then core's CaptureSession.start), from opening an empty store to the receiver
// listening. Modules are loaded before the clock starts: the bundle's load time is measured
// separately. Prints one JSON line.
// Run as: node --import tsx bench/lib/activationChild.ts <emptyStoreDir>
import { request } from 'node:http';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../src/core/analysis/analyseRequest';
import { CaptureSession } from '../../src/core/capture/captureSession';
import { SecretRing } from '../../src/core/secrets/secretRing';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { DEFAULT_VERIFIER_OPTIONS } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';

const SECRET = 'purple unicorn purple unicorn purple unicorn';

export interface ActivationChildResult {
  readonly openStoreMs: number;
  /** The analysis settings from the secrets and the settings' defaults. */
  readonly analysisMs: number;
  /** CaptureSession.start: analyser, ingestor, stream token and hub, listening, receiver.json. */
  readonly listenMs: number;
  /** Activation start to listening: the sum of the phases above. */
  readonly totalMs: number;
  /** The status a signed delivery got right after: proves the receiver really works. */
  readonly firstDeliveryStatus: number;
  readonly quicktypeModules: readonly string[];
}

function post(port: number, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhook',
        headers: { 'Content-Type': 'application/json', Authorization: token },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: activationChild.ts <emptyStoreDir>');

  const start = performance.now();
  // The settings' defaults, as ReceiverController.openStore passes them.
  const store = await DeliveryStore.open(dir, { maxDeliveries: 10_000, maxBytes: 512 * 1024 ** 2 });
  const opened = performance.now();
  // As ReceiverController builds its pipeline: the default secret, the default settings.
  const analysis = {
    ...DEFAULT_ANALYSIS_SETTINGS,
    secrets: new SecretRing([{ provider: null, label: 'current', value: SECRET }]),
    jwt: DEFAULT_VERIFIER_OPTIONS,
  };
  const analysed = performance.now();
  const session = await CaptureSession.start({
    store,
    storeDir: dir,
    listen: { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 * 1024, allowedHosts: [] },
    pipeline: { policy: 'reject', analysis, forward: undefined },
    log: { info: () => undefined, warn: () => undefined },
  });
  const listening = performance.now();

  const status = await post(
    session.port,
    JSON.stringify({
      event: { name: 'message_logged' },
      payload: { log_id: 'L1', session_id: 'S1' },
    }),
    signToken(SECRET, { sub: 'watson' }),
  );

  await session.stop();
  await store.close();

  const result: ActivationChildResult = {
    openStoreMs: opened - start,
    analysisMs: analysed - opened,
    listenMs: listening - analysed,
    totalMs: listening - start,
    firstDeliveryStatus: status,
    quicktypeModules: Object.keys(require.cache).filter((name) => /quicktype/i.test(name)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
