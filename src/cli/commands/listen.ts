// `hooklens listen`: the receiver in a terminal. Same core, same store format as the extension.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureSession } from '../../core/capture/captureSession';
import { exportDelivery } from '../../core/export/exportRecord';
import { DEFAULT_FORWARD_TIMEOUT_MS, MAX_FORWARD_RETRIES } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import type { VerificationPolicy } from '../../core/receiver/ingest';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  isLoopbackBindAddress,
  MAX_MAX_BODY_BYTES,
  ReceiverStartError,
} from '../../core/receiver/receiverServer';
import { DeliveryStore, STORE_DEFAULTS } from '../../core/store/deliveryStore';
import { toSingleLine } from '../../shared/visibleText';
import { deliveryLine, shellWord } from '../format';
import { CliFailure, parseIntegerOption, UsageError, type CliIo } from '../io';
import {
  VERIFICATION_HELP,
  VERIFICATION_PARSE_OPTIONS,
  verificationSetup,
} from '../verificationOptions';

/** The extension's hooklens.retention.maxDeliveries range. */
const MIN_MAX_DELIVERIES = 100;
const MAX_MAX_DELIVERIES = 1_000_000;

export const LISTEN_HELP = `Usage: hooklens listen [options]

Runs the receiver: recognises each delivery's provider (GitHub, Stripe, Slack, Watson, …),
verifies it the way that provider signs it, stores it durably, answers the sender (and its
handshakes), and prints one line per delivery. Stop with Ctrl+C (in-flight deliveries finish first).

Options:
  --port N            Port to listen on (default ${DEFAULT_PORT})
  --host H            Address to bind (default 127.0.0.1; others need --allow-non-loopback)
  --allow-non-loopback  Allow --host to be a non-loopback address
  --allow-host NAME   Also accept this Host header (a tunnel's hostname); repeatable
  --store DIR         Delivery store folder (default ~/.hooklens/store)
  --max-deliveries N  Keep at most N deliveries in the store; the oldest are removed first
                      (default ${STORE_DEFAULTS.maxDeliveries}, at most ${MAX_MAX_DELIVERIES})
  --policy P          reject (default): a delivery whose provider has a secret set and fails
                      verification gets 401; accept: it is kept, flagged and answered 2xx
  --max-body BYTES    Body size limit (default ${DEFAULT_MAX_BODY_BYTES}, at most ${MAX_MAX_BODY_BYTES})
  --forward-to URL    Send every accepted delivery on to your handler (exact bytes, original
                      headers); the sender gets the handler's answer, or 502/504 if it fails
  --forward-timeout S Seconds to wait for the handler (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --forward-retries N Retry a failed forward up to N times in the background (default 0, max ${MAX_FORWARD_RETRIES})
  --json              One JSON object per delivery (NDJSON) instead of readable lines

${VERIFICATION_HELP}
The live stream (hooklens tail --store DIR) is served on the same port, to clients holding the
token in DIR/stream.token only.
`;

export async function listen(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-non-loopback': { type: 'boolean', default: false },
      'allow-host': { type: 'string', multiple: true, default: [] },
      store: { type: 'string' },
      'max-deliveries': { type: 'string' },
      ...VERIFICATION_PARSE_OPTIONS,
      policy: { type: 'string' },
      'max-body': { type: 'string' },
      'forward-to': { type: 'string' },
      'forward-timeout': { type: 'string' },
      'forward-retries': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(LISTEN_HELP);
    return 0;
  }
  const port = parseIntegerOption('port', values.port, 0, 65535) ?? DEFAULT_PORT;
  const maxBodyBytes =
    parseIntegerOption('max-body', values['max-body'], 1, MAX_MAX_BODY_BYTES) ??
    DEFAULT_MAX_BODY_BYTES;
  if (values.policy !== undefined && values.policy !== 'reject' && values.policy !== 'accept') {
    throw new UsageError(`--policy must be reject or accept, not '${values.policy}'.`);
  }
  if (!isLoopbackBindAddress(values.host) && !values['allow-non-loopback']) {
    throw new UsageError(
      `--host ${values.host} is not a loopback address: it would expose the receiver to your network. Add --allow-non-loopback if you mean it.`,
    );
  }
  const forwardTarget =
    values['forward-to'] === undefined ? undefined : parseTargetUrl(values['forward-to']);
  if (forwardTarget && !forwardTarget.ok)
    throw new UsageError(`--forward-to: ${forwardTarget.error}`);
  const forwardTimeoutMs =
    (parseIntegerOption('forward-timeout', values['forward-timeout'], 1, 600) ??
      DEFAULT_FORWARD_TIMEOUT_MS / 1000) * 1000;
  const forwardRetries =
    parseIntegerOption('forward-retries', values['forward-retries'], 0, MAX_FORWARD_RETRIES) ?? 0;
  const verification = verificationSetup(values, io);
  const policy: VerificationPolicy = values.policy ?? 'reject';
  const storeDir = resolve(values.store ?? join(homedir(), '.hooklens', 'store'));
  const maxDeliveries = parseIntegerOption(
    'max-deliveries',
    values['max-deliveries'],
    MIN_MAX_DELIVERIES,
    MAX_MAX_DELIVERIES,
  );

  const store = await DeliveryStore.open(storeDir, maxDeliveries ? { maxDeliveries } : {});
  if (store.mode !== 'owner') {
    const owner = store.lockHolder
      ? ` (pid ${store.lockHolder.pid} on ${store.lockHolder.hostname})`
      : '';
    await store.close();
    throw new CliFailure(
      store.mode === 'viewer'
        ? `The store ${storeDir} is in use by another HookLens${owner}. Stop it, or pass another --store.`
        : `The store ${storeDir} is read-only: ${store.readOnlyReason ?? 'unknown reason'}`,
    );
  }
  for (const note of store.recoveryReport.notes) io.stderr(`store: ${note.message}\n`);
  store.onDidChangeHealth((health) => {
    if (health.state === 'failing')
      io.stderr(`store: ${health.message} Deliveries are answered 503 until it recovers.\n`);
    else io.stderr('store: writing again.\n');
  });

  let session: CaptureSession;
  try {
    session = await CaptureSession.start({
      store,
      storeDir,
      listen: { host: values.host, port, maxBodyBytes, allowedHosts: values['allow-host'] },
      pipeline: {
        policy,
        analysis: verification.analysis,
        forward: forwardTarget?.ok
          ? { target: forwardTarget.url, timeoutMs: forwardTimeoutMs, retries: forwardRetries }
          : undefined,
      },
      log: {
        info: (message) => io.stderr(`${message}\n`),
        warn: (message) => io.stderr(`warning: ${message}\n`),
      },
      onRefused: (refusal) =>
        io.stderr(
          `refused ${refusal.status} ${toSingleLine(`${refusal.method} ${refusal.url}`, 80)} from ${refusal.remoteAddress}: ${refusal.reason}\n`,
        ),
      onForwardRetry: (id, attempt) =>
        io.stderr(
          `retry ${id}: ${attempt.status ?? 'failed'}${attempt.error ? ` (${attempt.error})` : ''}\n`,
        ),
    });
  } catch (error) {
    await store.close();
    if (error instanceof ReceiverStartError) throw new CliFailure(error.message);
    throw error;
  }
  session.onDidIngest((record) => {
    io.stdout(
      values.json ? `${JSON.stringify(exportDelivery(record))}\n` : `${deliveryLine(record)}\n`,
    );
  });
  io.stderr(
    `HookLens listening on ${session.url} (store ${storeDir}; ${verification.summary}; policy ${policy})\n`,
  );
  const forwarder = session.forwarder;
  if (forwardTarget?.ok && forwarder === undefined) {
    await session.stop();
    await store.close();
    throw new CliFailure(
      `--forward-to ${forwardTarget.url.href} is this receiver itself: every delivery would loop. Forward to your handler's port.`,
    );
  }
  if (forwarder) io.stderr(`forwarding accepted deliveries to ${forwarder.settings.target.href}\n`);
  io.stderr(`follow with: hooklens tail --store ${shellWord(storeDir)}\n`);
  if (!isLoopbackBindAddress(values.host))
    io.stderr(`warning: bound to ${values.host}, reachable from your network.\n`);

  const signal = await io.stopRequested;
  io.stderr(`${signal}: stopping; finishing in-flight deliveries…\n`);
  await session.stop();
  await store.close();
  io.stderr(`stopped (${store.size} deliveries in the store).\n`);
  return 0;
}
