// `hooklens listen`: the receiver in a terminal. Same core, same store format as the extension.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureSession } from '../../core/capture/captureSession';
import type { RouteChoice } from '../../core/delivery';
import { exportDelivery } from '../../core/export/exportRecord';
import { DEFAULT_FORWARD_TIMEOUT_MS, MAX_FORWARD_RETRIES } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import type { VerificationPolicy } from '../../core/receiver/ingest';
import {
  describeSimulation,
  parseFailNext,
  parseFailRate,
  type FailureSimulation,
} from '../../core/routes/chosenAnswers';
import { describeTarget } from '../../core/routes/routeRules';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  isLoopbackBindAddress,
  MAX_MAX_BODY_BYTES,
  ReceiverStartError,
} from '../../core/receiver/receiverServer';
import {
  DeliveryStore,
  STORE_DEFAULTS,
  type DeliveryStoreBackend,
  type EvictionNotice,
  type LockInfo,
  type StoreOptions,
} from '../../core/store/deliveryStore';
import { toSingleLine } from '../../shared/visibleText';
import { deliveryLine, shellWord } from '../format';
import { ROUTE_PARSE_OPTIONS, routesFromOptions } from '../routeOptions';
import { openTeamStore } from '../storeSource';
import {
  CliFailure,
  LiveLines,
  parseIntegerOption,
  UsageError,
  type CliIo,
  type OutputError,
} from '../io';
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
handshakes), and prints one line per delivery. Stop with Ctrl+C (in-flight deliveries finish first,
then the lines still queued for stdout are written). While stdout is not read (\`| less\`, a
paused reader) lines are skipped, and counted on stderr, rather than held in memory; the
deliveries are in the store. A closed stdout (\`| head\`) stops listen cleanly. If another
HookLens takes the store over (this one was suspended longer than the lock allows), listen says
so and exits with status 1.

Options:
  --port N            Port to listen on (default ${DEFAULT_PORT})
  --host H            Address to bind (default 127.0.0.1; others need --allow-non-loopback)
  --allow-non-loopback  Allow --host to be a non-loopback address
  --allow-host NAME   Also accept this Host header (a tunnel's hostname); repeatable
  --store DIR         Delivery store folder (default ~/.hooklens/store)
  --database-env NAME Store in the team store on PostgreSQL instead of a folder: NAME is the
                      environment variable holding its URL (never a flag, so it stays out of
                      shell history), e.g. postgres://USER:PASSWORD@HOST:5432/hooklens?sslmode=require.
                      Several receivers may share one database (behind a load balancer); each
                      delivery is acknowledged once its transaction commits; while the database
                      is unreachable deliveries are answered 503 with Retry-After.
  --max-deliveries N  Keep at most N deliveries in the store; the oldest are removed first
                      (at most ${MAX_MAX_DELIVERIES}). Recorded in the store: later runs and the
                      other commands keep to it. Default: the limit recorded in the store, else
                      ${STORE_DEFAULTS.maxDeliveries}. A limit below what the store holds says how
                      many deliveries it removes before removing them.
  --policy P          reject (default): a delivery whose provider has a secret set and fails
                      verification gets 401; accept: it is kept, flagged and answered 2xx
  --max-body BYTES    Body size limit (default ${DEFAULT_MAX_BODY_BYTES}, at most ${MAX_MAX_BODY_BYTES})
  --forward-to URL    Send every accepted delivery on to your handler (exact bytes, original
                      headers); the sender gets the handler's answer, or 502/504 if it fails
  --forward-timeout S Seconds to wait for the handler (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --forward-retries N Retry a failed forward up to N times in the background (default 0, max ${MAX_FORWARD_RETRIES})
  --route 'MATCH=>TARGET'
                      Send matching deliveries to their own handler, or answer them yourself;
                      repeatable, in order, first match wins (--forward-to stays the catch-all).
                      MATCH: * or comma-separated conditions that must all hold: path=/prefix,
                      provider=stripe, event=payment_intent.*, verdict=verified, header.NAME=VALUE
                      (values may use *; a path without * is a prefix; a value with a comma
                      in double quotes, header.X-Tags="a,b", or the comma escaped, a\\,b).
                      TARGET: a handler URL, or
                      answer:STATUS[,delay=MS][,header.NAME=VALUE][,body=TEXT] (the body runs to
                      the end; {id}, {event}, {provider}, {challenge} and {payload} are filled in).
                      Example: --route 'provider=stripe,event=payment_intent.*=>http://localhost:4242/stripe'
                               --route 'path=/slow*=>answer:503,delay=2000'
  --routes FILE       Routes from a JSON file: an array of "MATCH=>TARGET" strings or objects
                      {"name", "match", "to"} / {"name", "match", "answer": {"status", "delayMs",
                      "body", "headers"}}; used before any --route
  --fail-next N[:STATUS]
                      Answer the next N accepted deliveries with STATUS (default 500) instead of
                      taking them: to see how the sender retries. Each is stored and marked.
  --fail-rate PERCENT[:STATUS]
                      Answer that share of accepted deliveries with STATUS (default 500)
  --json              One JSON object per delivery (NDJSON) instead of readable lines

${VERIFICATION_HELP}
The live stream (hooklens tail --store DIR) is served on the same port, to clients that prove
they hold the token in DIR/stream.token (the receiver proves it first; the token itself is never
sent).
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
      ...ROUTE_PARSE_OPTIONS,
      'fail-next': { type: 'string' },
      'fail-rate': { type: 'string' },
      'database-env': { type: 'string' },
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
  // From here on Ctrl+C is a clean stop (after start-up, if it comes during it).
  const stopRequested = io.stopRequested;
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
  const routes = await routesFromOptions(values.routes, values.route);
  const failures = failureSimulationFrom(values['fail-next'], values['fail-rate']);
  const verification = verificationSetup(values, io);
  const policy: VerificationPolicy = values.policy ?? 'reject';
  const teamEnv = values['database-env'];
  if (teamEnv !== undefined && values.store !== undefined) {
    throw new UsageError('Give --store DIR or --database-env NAME, not both.');
  }
  // On the team store this folder only keeps this receiver's stream token and receiver.json.
  const storeDir = resolve(
    teamEnv === undefined
      ? (values.store ?? join(homedir(), '.hooklens', 'store'))
      : join(homedir(), '.hooklens', `team-receiver-${port}`),
  );
  const maxDeliveries = parseIntegerOption(
    'max-deliveries',
    values['max-deliveries'],
    MIN_MAX_DELIVERIES,
    MAX_MAX_DELIVERIES,
  );

  const retention = {
    ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
    // Said before anything is removed: the store's limits are smaller than what it holds.
    onWillEvict: (notice: EvictionNotice) => void io.stderr(`store: ${notice.message}\n`),
  };
  const store: DeliveryStoreBackend =
    teamEnv === undefined
      ? await DeliveryStore.open(storeDir, { ...retention, ...lockTiming(io.env) })
      : await openTeamStore(teamEnv, retention);
  const storeName = teamEnv === undefined ? storeDir : store.location;
  if (teamEnv !== undefined) await mkdir(storeDir, { recursive: true, mode: 0o700 });
  if (store.kind === 'team' && store.mode !== 'owner') {
    await store.close();
    throw new CliFailure(
      `A receiver cannot store deliveries in the ${store.location}: ${store.readOnlyReason ?? 'it is read-only'}. Receivers use the writer role (see the README's Team store section).`,
    );
  }
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
        ...(routes.length > 0 || failures !== undefined
          ? {
              routes: {
                rules: routes,
                timeoutMs: forwardTimeoutMs,
                retries: forwardRetries,
                ...(failures === undefined ? {} : { failures }),
              },
            }
          : {}),
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
  const lines = new LiveLines(io);
  session.onDidIngest((record) => {
    lines.line(
      values.json
        ? `${JSON.stringify(exportDelivery(record))}\n`
        : `${deliveryLine(record)}${routeSuffix(record.route)}\n`,
    );
  });
  // Losing the lock (another HookLens judged this one stale: it was suspended, or the machine
  // slept) is said at once; listen then stops, since nothing it receives can be stored.
  const lockLost = new Promise<LockInfo | null>((resolve) => {
    store.onDidChangeMode((mode) => {
      if (mode === 'owner') return;
      const holder = store.lockHolder;
      const who = holder
        ? `another HookLens (pid ${holder.pid} on ${holder.hostname})`
        : 'another HookLens';
      io.stderr(
        `store: ${who} took over the store ${storeDir}: this process did not renew its lock in time (it was suspended or the machine slept). Deliveries can no longer be stored here; stopping.\n`,
      );
      resolve(holder);
    });
  });
  io.stderr(
    `HookLens listening on ${session.url} (store ${storeName}; ${verification.summary}; policy ${policy})\n`,
  );
  const forwarder = session.forwarder;
  if (forwardTarget?.ok && forwarder === undefined) {
    await session.stop();
    await store.close();
    throw new CliFailure(
      `--forward-to ${forwardTarget.url.href} is this receiver itself: every delivery would loop. Forward to your handler's port.`,
    );
  }
  if (session.refusedRoutes.length > 0) {
    await session.stop();
    await store.close();
    throw new CliFailure(
      `${session.refusedRoutes.join(' ')} Route to your handler's port instead.`.replace(
        /^route/,
        'Route',
      ),
    );
  }
  for (const route of routes) io.stderr(`route ${route.name}: ${describeTarget(route.target)}\n`);
  if (failures !== undefined) {
    io.stderr(`failure simulation: ${describeSimulation(failures)}\n`);
  }
  if (forwarder) {
    io.stderr(
      `forwarding accepted deliveries${routes.length > 0 ? ' no route takes' : ''} to ${forwarder.settings.target.href}\n`,
    );
  }
  io.stderr(
    teamEnv === undefined
      ? `follow with: hooklens tail --store ${shellWord(storeDir)}\n`
      : `follow with: hooklens tail --database-env ${teamEnv}\n`,
  );
  if (!isLoopbackBindAddress(values.host))
    io.stderr(`warning: bound to ${values.host}, reachable from your network.\n`);

  const reason = await Promise.race([
    stopRequested.then((signal) => ({ kind: 'signal' as const, signal })),
    io.output.failed.then((failure) => ({ kind: 'output' as const, failure })),
    lockLost.then(() => ({ kind: 'lock-lost' as const })),
  ]);
  if (reason.kind === 'signal') {
    io.stderr(`${reason.signal}: stopping; finishing in-flight deliveries…\n`);
  } else if (reason.kind === 'output') {
    io.stderr(`${outputStopMessage(reason.failure)}; stopping; finishing in-flight deliveries…\n`);
  }
  await session.stop();
  await store.close();
  io.stderr(`stopped (${store.size} deliveries in the store).\n`);
  await lines.close(); // What is queued for stdout reaches the reader before the process exits.
  if (reason.kind === 'lock-lost') return 1;
  if (reason.kind === 'output' && !reason.failure.readerClosed) return 1;
  return 0;
}

function failureSimulationFrom(
  next: string | undefined,
  rate: string | undefined,
): FailureSimulation | undefined {
  if (next === undefined && rate === undefined) return undefined;
  const simulation: { next?: FailureSimulation['next']; rate?: FailureSimulation['rate'] } = {};
  if (next !== undefined) {
    const parsed = parseFailNext(next);
    if (!parsed.ok) throw new UsageError(`--fail-next: ${parsed.error}.`);
    simulation.next = parsed.value;
  }
  if (rate !== undefined) {
    const parsed = parseFailRate(rate);
    if (!parsed.ok) throw new UsageError(`--fail-rate: ${parsed.error}.`);
    simulation.rate = parsed.value;
  }
  return simulation;
}

/** What a delivery line adds when a route took it or an answer was chosen for it. */
function routeSuffix(route: RouteChoice | undefined): string {
  if (route === undefined) return '';
  if (route.kind === 'forward') return ` → route ${toSingleLine(route.name, 60)}`;
  if (route.kind === 'answer') return ` [chosen answer: route ${toSingleLine(route.name, 60)}]`;
  return ` [simulated failure ${route.status ?? ''}]`.replace(' ]', ']');
}

function outputStopMessage(failure: OutputError): string {
  return failure.readerClosed ? 'stdout was closed' : failure.message;
}

/**
 * Lock timing for tests only (HOOKLENS_LOCK_HEARTBEAT_MS, HOOKLENS_LOCK_STALE_MS): a takeover
 * test must not wait the real 15 s. Unset or not a positive whole number: the defaults.
 */
function lockTiming(
  env: Readonly<Record<string, string | undefined>>,
): Pick<StoreOptions, 'heartbeatMs' | 'staleAfterMs'> {
  const read = (name: string): number | undefined => {
    const value = Number(env[name]);
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  };
  const heartbeatMs = read('HOOKLENS_LOCK_HEARTBEAT_MS');
  const staleAfterMs = read('HOOKLENS_LOCK_STALE_MS');
  return {
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
  };
}
