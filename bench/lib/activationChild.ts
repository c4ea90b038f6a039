// Child process of benchmark 5: one cold run of what the extension does at activation with
// `hooklens.autoStart` (ReceiverController.openStore, then start()), from opening an empty store
// to the receiver listening. Modules are loaded before the clock starts: the bundle's load time is
// measured separately. Prints one JSON line.
// Run as: node --import tsx bench/lib/activationChild.ts <emptyStoreDir>
import { request } from 'node:http';
import { Ingestor } from '../../src/core/receiver/ingest';
import { startReceiver } from '../../src/core/receiver/receiverServer';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { writeReceiverInfo } from '../../src/core/stream/receiverInfo';
import { StreamHub } from '../../src/core/stream/streamHub';
import { ensureStreamToken } from '../../src/core/stream/streamToken';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { DEFAULT_VERIFIER_OPTIONS } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';

const SECRET = 'purple unicorn purple unicorn purple unicorn';

export interface ActivationChildResult {
  readonly openStoreMs: number;
  readonly verifierMs: number;
  readonly ingestorMs: number;
  readonly streamMs: number;
  readonly listenMs: number;
  /** Activation start to listening: the sum of the phases above. */
  readonly totalMs: number;
  /** receiver.json, written after the state is already "listening". */
  readonly receiverInfoMs: number;
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
  const verifier = analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }], {
    jwt: DEFAULT_VERIFIER_OPTIONS,
  });
  const verified = performance.now();
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () => verifier,
    forwarder: () => undefined,
  });
  const ingesting = performance.now();
  const stream = new StreamHub(store, { token: await ensureStreamToken(dir) });
  const streaming = performance.now();
  const receiver = await startReceiver(
    {
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024 * 1024,
      allowedHosts: [],
      onUpgrade: (req, socket, head) => stream.handleUpgrade(req, socket, head),
    },
    async (captured) => (await ingestor.ingest(captured)).answer,
  );
  const listening = performance.now();
  await writeReceiverInfo(dir, { url: receiver.url, port: receiver.port, host: receiver.host });
  const infoWritten = performance.now();

  const status = await post(
    receiver.port,
    JSON.stringify({
      event: { name: 'message_logged' },
      payload: { log_id: 'L1', session_id: 'S1' },
    }),
    signToken(SECRET, { sub: 'watson' }),
  );

  await receiver.stop();
  stream.dispose();
  ingestor.dispose();
  await store.close();

  const result: ActivationChildResult = {
    openStoreMs: opened - start,
    verifierMs: verified - opened,
    ingestorMs: ingesting - verified,
    streamMs: streaming - ingesting,
    listenMs: listening - streaming,
    totalMs: listening - start,
    receiverInfoMs: infoWritten - listening,
    firstDeliveryStatus: status,
    quicktypeModules: Object.keys(require.cache).filter((name) => /quicktype/i.test(name)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
