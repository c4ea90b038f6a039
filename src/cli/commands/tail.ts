// `hooklens tail`: follows a running receiver's live stream (the extension's or `hooklens listen`)
// and prints each delivery as it is stored, reconnecting whenever the receiver restarts.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket, type RawData } from 'ws';
import { exportDelivery, type ExportedDelivery } from '../../core/export/exportRecord';
import { readReceiverInfo, receiverInfoPath } from '../../core/stream/receiverInfo';
import { checkStreamPeer } from '../../core/stream/streamAuth';
import {
  STREAM_PATH,
  STREAM_PROTOCOL_VERSION,
  attemptsSummary,
  type AttemptsSummary,
  type StreamMessage,
} from '../../core/stream/streamHub';
import { readStreamToken, streamTokenPath } from '../../core/stream/streamToken';
import { attemptsNote, exportedDeliveryLine, shellWord } from '../format';
import { CliFailure, LiveLines, parseIntegerOption, UsageError, type CliIo } from '../io';
import { openTeamStore, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';

export const TAIL_HELP = `Usage: hooklens tail [--store DIR] [--port N] [--json]
       hooklens tail --database-env NAME [--json]

Follows a running receiver (HookLens in VS Code, or hooklens listen) and prints each delivery as
it is stored, and again when it changes (a forward or a replay). When the receiver stops, tail
waits for it and reconnects. Stop with Ctrl+C (lines still queued for stdout are written first).
While stdout is not read (| less, a paused reader) lines are skipped, and counted on stderr,
rather than held in memory; the deliveries are in the store. A closed stdout (| head) stops tail.

The stream token in DIR/stream.token never leaves this machine's files: whatever answers on the
port must first prove that it holds the token, for this port and this run of the receiver, and
only then does tail prove the same. Anything else is sent nothing but a random nonce.

Options:
  --store DIR   The receiver's store folder (default ~/.hooklens/store); the stream token is
                read from DIR/stream.token
  --port N      The receiver's port (default: the one in DIR/receiver.json, which the receiver
                writes when it starts; without it tail waits for the receiver)
  --database-env NAME
                Follow the team store on PostgreSQL instead (its change feed): every delivery
                any receiver on that database takes. NAME is the environment variable holding
                the database URL. Waits and reconnects while the database is unreachable.
  --json        One JSON object per event (NDJSON): {"type":"delivery.new" or "delivery.updated",
                "delivery":{...same fields as export, Authorization redacted},"attempts":{...}};
                also {"type":"delivery.deleted","ids":[...]} and {"type":"deliveries.cleared"}
`;

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
/** A delivery body may be 25 MiB, and JSON-escaping can grow it several times. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

interface Target {
  readonly host: string;
  readonly port: number;
  /** `host:port` for messages. */
  readonly label: string;
  readonly url: string;
  /** The run receiver.json records for this port, when it records one. */
  readonly runId: string | undefined;
  /** Where the port came from: the user (a refusal is final) or receiver.json (it may be stale). */
  readonly source: '--port' | 'receiver.json';
}

type Outcome =
  | { readonly kind: 'stopped' }
  /** Was connected, then the connection ended: the receiver stopped or restarts. */
  | { readonly kind: 'closed' }
  /** Never connected: nothing listens there (yet), or the connection failed. */
  | { readonly kind: 'unreachable' }
  /** Something answers there but is not this store's receiver (this run): it was sent nothing. */
  | { readonly kind: 'impostor'; readonly message: string }
  /** Refused for now (too many clients, shutting down): try again later. */
  | { readonly kind: 'busy'; readonly message: string }
  | { readonly kind: 'fatal'; readonly message: string };

export async function tail(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(TAIL_HELP);
    return 0;
  }
  if (values['database-env'] !== undefined) {
    if (values.store !== undefined || values.port !== undefined) {
      throw new UsageError('--database-env follows the team store: leave out --store and --port.');
    }
    return tailTeamStore(values['database-env'], values.json, io);
  }
  const explicitPort = parseIntegerOption('port', values.port, 1, 65535);
  const storeDir = resolve(values.store ?? join(homedir(), '.hooklens', 'store'));
  let token = await readToken(storeDir);
  if (token === undefined) {
    throw new CliFailure(
      `There is no stream token in ${storeDir} (${streamTokenPath(storeDir)}), so no receiver has used this store yet. Start the receiver with this store (hooklens listen --store ${shellWord(storeDir)}, or Start Receiver in VS Code), or pass the --store your receiver uses.`,
    );
  }

  let stopped = false;
  let current: WebSocket | undefined;
  let wake: (() => void) | undefined;
  const abort = new AbortController();
  const stop = (): void => {
    stopped = true;
    abort.abort();
    current?.terminate();
    wake?.();
  };
  void io.stopRequested.then(stop);
  // The reader closed stdout (| head): nothing more can be shown, so stop, cleanly.
  void io.output.failed.then(stop);

  const lines = new LiveLines(io);
  const print = (message: StreamEvent): void => {
    if (values.json) {
      // Re-serialised, not echoed: one line each, whatever the server sent.
      lines.line(`${JSON.stringify(message)}\n`);
    } else if (message.type === 'delivery.new') {
      lines.line(`${exportedDeliveryLine(message.delivery)}\n`);
    } else if (message.type === 'delivery.updated') {
      lines.line(`${exportedDeliveryLine(message.delivery)}${attemptsNote(message.attempts)}\n`);
    }
  };

  let delay = FIRST_RETRY_MS;
  // What tail last said about waiting; said again only when it changes.
  let notice: string | undefined;
  const say = (text: string): void => {
    if (text === notice) return;
    notice = text;
    io.stderr(`${text}\n`);
  };
  while (!stopped) {
    // Re-read each time: the receiver records a new port and run in receiver.json at each start.
    const target = await resolveTarget(storeDir, explicitPort);
    if (target === undefined) {
      // No fallback port: whatever listens on a guessed port is nobody tail should talk to.
      say(
        `waiting for the receiver: none is recorded in ${receiverInfoPath(storeDir)} (the receiver writes it when it starts)…`,
      );
    } else {
      // Re-read each time: a receiver that recreated the token file must still be followed.
      token = (await readToken(storeDir).catch(() => undefined)) ?? token;
      const outcome = await follow(target, token, abort.signal, {
        stopped: () => stopped,
        current: (socket) => (current = socket),
        connected: () => {
          io.stderr(`connected to ${target.label} (store ${storeDir})\n`);
          notice = undefined;
          delay = FIRST_RETRY_MS;
        },
        message: print,
      });
      current = undefined;
      if (stopped || outcome.kind === 'stopped') break;
      if (outcome.kind === 'fatal') throw new CliFailure(outcome.message);
      if (outcome.kind === 'busy') {
        io.stderr(`${outcome.message}; trying again…\n`);
      } else if (outcome.kind === 'impostor') {
        say(`${outcome.message}; waiting for the receiver…`);
      } else if (outcome.kind === 'closed') {
        say(`the receiver at ${target.label} went away; waiting for the receiver…`);
      } else if (notice === undefined || !notice.endsWith('waiting for the receiver…')) {
        say(`waiting for the receiver at ${target.label}…`);
      }
    }
    if (stopped) break;
    await new Promise<void>((done) => {
      const timer = setTimeout(done, delay);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });
    wake = undefined;
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }
  return finish(lines, io);
}

interface FollowHooks {
  readonly stopped: () => boolean;
  readonly current: (socket: WebSocket) => void;
  readonly connected: () => void;
  readonly message: (message: StreamEvent) => void;
}

/**
 * One connection, from the handshake to its end. The peer proves it holds the token first; only
 * then is the stream opened with tail's own proof. Never rejects.
 */
async function follow(
  target: Target,
  token: string,
  signal: AbortSignal,
  hooks: FollowHooks,
): Promise<Outcome> {
  const peer = await checkStreamPeer(target, token, {
    ...(target.runId === undefined ? {} : { expectedRunId: target.runId }),
    signal,
  });
  if (hooks.stopped()) return { kind: 'stopped' };
  switch (peer.kind) {
    case 'unreachable':
      return { kind: 'unreachable' };
    case 'refused':
      return refusalOutcome(peer.status, target);
    case 'unproven':
      return unprovenOutcome(peer.reason, target);
    case 'proven':
      return openStream(target, peer.headers, hooks);
  }
}

function openStream(
  target: Target,
  headers: Record<string, string>,
  hooks: FollowHooks,
): Promise<Outcome> {
  return new Promise((done) => {
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      done(outcome);
    };
    let opened = false;
    const socket = new WebSocket(target.url, {
      headers,
      perMessageDeflate: false,
      maxPayload: MAX_MESSAGE_BYTES,
      handshakeTimeout: 5_000,
      followRedirects: false,
    });
    hooks.current(socket);
    socket.on('unexpected-response', (request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      // 401 here: the proof came too late or the receiver restarted in between; ask again.
      settle(
        status === 401
          ? { kind: 'busy', message: `The receiver at ${target.label} did not take tail's proof` }
          : refusalOutcome(status, target),
      );
      request.destroy();
      socket.terminate();
    });
    socket.on('error', () => undefined); // 'close' follows; the outcome says what happened.
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? undefined : parseEvent(rawText(data));
      if (message === undefined) return; // Not ours to print; a newer receiver's extra type.
      if (message.type === 'hello') {
        if (message.version !== STREAM_PROTOCOL_VERSION) {
          settle({
            kind: 'fatal',
            message: `The receiver at ${target.label} speaks stream version ${message.version}; this hooklens understands ${STREAM_PROTOCOL_VERSION}. Update hooklens.`,
          });
          socket.terminate();
          return;
        }
        opened = true;
        hooks.connected();
        return;
      }
      if (opened) hooks.message(message);
    });
    socket.on('close', () => {
      if (hooks.stopped()) settle({ kind: 'stopped' });
      else settle(opened ? { kind: 'closed' } : { kind: 'unreachable' });
    });
  });
}

/**
 * A peer that did not prove it holds this store's token. Named by the user (--port): a clear
 * failure. Found in receiver.json: the file may be stale (its receiver died and something else
 * took the port), so tail waits for the receiver to record itself again.
 */
function unprovenOutcome(reason: string, target: Target): Outcome {
  if (target.source === 'receiver.json') {
    return {
      kind: 'impostor',
      message: `the process at ${target.label} (from receiver.json) did not prove it is this store's receiver: ${reason}. tail sent it nothing`,
    };
  }
  return {
    kind: 'fatal',
    message: `Not this store's receiver: the process at ${target.label} did not prove that it holds this store's stream token (${reason}), so tail sent it nothing. Pass the --store your receiver uses, and --port only if it is not the one in receiver.json.`,
  };
}

function refusalOutcome(status: number, target: Target): Outcome {
  if (status < 500 && target.source === 'receiver.json') {
    return {
      kind: 'impostor',
      message: `the process at ${target.label} (from receiver.json) answered HTTP ${status}, so it is not this store's receiver`,
    };
  }
  switch (status) {
    case 403:
      return {
        kind: 'fatal',
        message: `The receiver at ${target.label} refused the connection (403).`,
      };
    case 421:
      return {
        kind: 'fatal',
        message: `The receiver at ${target.label} does not answer to this host name (421); connect to it on a loopback address.`,
      };
    case 404:
    case 405:
      return {
        kind: 'fatal',
        message: `Port ${target.port} answers, but has no HookLens live stream (HTTP ${status}). Is it a HookLens receiver, and a version with the live stream?`,
      };
    default:
      return status >= 500
        ? { kind: 'busy', message: `The receiver at ${target.label} answered ${status}` }
        : {
            kind: 'fatal',
            message: `The receiver at ${target.label} refused the stream (HTTP ${status}).`,
          };
  }
}

/**
 * --port, else where receiver.json says the store's receiver listens; undefined when neither
 * (there is no default port to guess). receiver.json's host and run apply to its own port only.
 */
async function resolveTarget(
  storeDir: string,
  explicitPort: number | undefined,
): Promise<Target | undefined> {
  const recorded = await readReceiverInfo(storeDir).catch(() => undefined);
  const port = explicitPort ?? recorded?.port;
  if (port === undefined) return undefined;
  const info = recorded?.port === port ? recorded : undefined;
  const host = connectableHost(info?.host ?? '127.0.0.1');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    label: `${hostPart}:${port}`,
    url: `ws://${hostPart}:${port}${STREAM_PATH}`,
    runId: info?.runId,
    source: explicitPort === undefined ? 'receiver.json' : '--port',
  };
}

/** A receiver bound to every address is reached on loopback. */
function connectableHost(bound: string): string {
  if (bound === '0.0.0.0' || bound === '') return '127.0.0.1';
  if (bound === '::') return '::1';
  return bound;
}

async function readToken(storeDir: string): Promise<string | undefined> {
  try {
    return await readStreamToken(storeDir);
  } catch (error) {
    throw new CliFailure(
      `Cannot read the stream token in ${storeDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * What tail accepts: the hub's messages, except that `hello` needs only a version (the store path
 * is informational, and an older or newer receiver may leave it out).
 */
type StreamEvent =
  | { readonly type: 'hello'; readonly version: number }
  | Exclude<StreamMessage, { readonly type: 'hello' }>;

/** Only well-formed messages are printed: whatever answers on the port is not trusted blindly. */
function parseEvent(text: string): StreamEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'hello':
      return typeof value.version === 'number'
        ? { type: 'hello', version: value.version }
        : undefined;
    case 'delivery.new':
    case 'delivery.updated':
      return isDelivery(value.delivery) && isAttempts(value.attempts)
        ? { type: value.type, delivery: value.delivery, attempts: value.attempts }
        : undefined;
    case 'delivery.deleted':
      return Array.isArray(value.ids) && value.ids.every((id) => typeof id === 'string')
        ? { type: 'delivery.deleted', ids: value.ids }
        : undefined;
    case 'deliveries.cleared':
      return { type: 'deliveries.cleared' };
    default:
      return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDelivery(value: unknown): value is ExportedDelivery {
  if (!isObject(value)) return false;
  const strings = ['id', 'receivedAt', 'method', 'path', 'body', 'bodyEncoding', 'sender'];
  return (
    strings.every((key) => typeof value[key] === 'string') &&
    Array.isArray(value.headers) &&
    isObject(value.verification) &&
    typeof value.verification.verdict === 'string' &&
    (value.status === null || typeof value.status === 'number') &&
    (value.event === null || typeof value.event === 'string') &&
    (value.sessionId === null || typeof value.sessionId === 'string') &&
    (value.duplicateOf === null || typeof value.duplicateOf === 'string') &&
    (value.parseError === null || typeof value.parseError === 'string')
  );
}

function isAttempts(value: unknown): value is AttemptsSummary {
  return (
    isObject(value) &&
    typeof value.count === 'number' &&
    (value.latestStatus === null || typeof value.latestStatus === 'number') &&
    (value.latestKind === null || typeof value.latestKind === 'string') &&
    (value.latestError === null || typeof value.latestError === 'string')
  );
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * Follows the team store's change feed: what every receiver on the database stores, in the same
 * lines and JSON events as the live stream.
 */
async function tailTeamStore(envName: string, json: boolean, io: CliIo): Promise<number> {
  const store = await openTeamStore(envName, { access: 'read' });
  const lines = new LiveLines(io);
  const say = (text: string): void => io.stderr(`${text}\n`);
  say(`following the ${store.location}`);
  // One read at a time, in order: a burst of changes is printed as it was committed.
  let queue: Promise<void> = Promise.resolve();
  const show = (type: 'delivery.new' | 'delivery.updated', id: string): void => {
    queue = queue.then(async () => {
      const record = await store.get(id).catch(() => undefined);
      if (record === undefined) return;
      const message: StreamMessage = {
        type,
        delivery: exportDelivery(record, store.summary(id)?.duplicateCount ?? 0),
        attempts: attemptsSummary(record),
      };
      if (json) lines.line(`${JSON.stringify(message)}\n`);
      else if (type === 'delivery.new') lines.line(`${exportedDeliveryLine(message.delivery)}\n`);
      else
        lines.line(`${exportedDeliveryLine(message.delivery)}${attemptsNote(message.attempts)}\n`);
    });
  };
  const subscription = store.onDidChange((change) => {
    if (change.cleared && json) lines.line(`${JSON.stringify({ type: 'deliveries.cleared' })}\n`);
    else if (change.deleted.length > 0 && json) {
      lines.line(`${JSON.stringify({ type: 'delivery.deleted', ids: change.deleted })}\n`);
    }
    for (const id of change.added) show('delivery.new', id);
    for (const id of change.updated) show('delivery.updated', id);
  });
  const health = store.onDidChangeHealth((state) =>
    say(state.state === 'ok' ? `the ${store.location} is reachable again` : state.message),
  );
  await Promise.race([io.stopRequested, io.output.failed]);
  subscription.dispose();
  health.dispose();
  await queue.catch(() => undefined);
  await store.close();
  return finish(lines, io);
}

/** Writes what is still queued; a failed stdout (not a closed reader) is exit status 1. */
async function finish(lines: LiveLines, io: CliIo): Promise<number> {
  await lines.close();
  const failure = io.output.failure;
  if (failure && !failure.readerClosed) {
    io.stderr(`hooklens tail: ${failure.message}\n`);
    return 1;
  }
  return 0;
}
