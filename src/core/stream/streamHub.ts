// The live stream: a WebSocket at /_hooklens/stream on the receiver's port that pushes every
// delivery as it is stored or changed, in the export shape (Authorization redacted).
//
// Every check runs before the upgrade completes (path, method, Origin, token, capacity), so a
// refused client only ever sees a plain HTTP error. Sending never touches the ingest path: the hub
// hears the store's change events (ids only), reads the records itself, one after another, and
// hands each message to the clients without waiting on any of them. A client that does not keep
// up is dropped once its unsent bytes pass a limit, so it can neither grow memory nor slow ingest.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { DeliveryRecord } from '../delivery';
import { exportDelivery, type ExportedDelivery } from '../export/exportRecord';
import { refuseUpgrade } from '../receiver/receiverServer';
import type { DeliveryStore } from '../store/deliveryStore';
import type { Disposable } from '../store/emitter';
import type { StoreChangeEvent } from '../store/types';

export const STREAM_PATH = '/_hooklens/stream';
export const STREAM_PROTOCOL_VERSION = 1;
export const DEFAULT_MAX_STREAM_CLIENTS = 32;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Clients never need to send data; anything bigger than a close frame's reason is abuse. */
const MAX_CLIENT_PAYLOAD = 1024;
const HEARTBEAT_MS = 30_000;
/** Ids waiting to be read and sent; past this the stream has fallen hopelessly behind. */
const MAX_PENDING = 10_000;

/** The latest attempt (forward or replay) of a delivery, for a one-line "what happened". */
export interface AttemptsSummary {
  readonly count: number;
  readonly latestKind: 'forward' | 'replay' | null;
  readonly latestStatus: number | null;
  readonly latestError: string | null;
}

export type StreamMessage =
  | {
      readonly type: 'hello';
      readonly version: typeof STREAM_PROTOCOL_VERSION;
      readonly store: string;
    }
  | {
      readonly type: 'delivery.new' | 'delivery.updated';
      readonly delivery: ExportedDelivery;
      readonly attempts: AttemptsSummary;
    }
  | { readonly type: 'delivery.deleted'; readonly ids: readonly string[] }
  | { readonly type: 'deliveries.cleared' };

export interface StreamHubOptions {
  /** The store's stream token (see `ensureStreamToken`). */
  readonly token: string;
  /** Browser origins allowed to connect, exactly (`http://localhost:3000`). Default: none. */
  readonly allowedOrigins?: readonly string[];
  readonly maxClients?: number;
  /** A client with more unsent bytes than this is dropped. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Refused connections and dropped clients, for the log. Never contains the token. */
  readonly log?: (message: string) => void;
}

interface Pending {
  readonly type: 'delivery.new' | 'delivery.updated';
  readonly id: string;
}

export class StreamHub {
  private readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly tokenDigest: Buffer;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly maxClients: number;
  private readonly maxBufferedBytes: number;
  private readonly log: (message: string) => void;
  private readonly clients = new Set<WebSocket>();
  /** Alive since the last heartbeat (answered our ping, or just connected). */
  private readonly alive = new WeakSet<WebSocket>();
  private handshaking = 0;
  private readonly pending: Pending[] = [];
  /** `type:id` of entries in `pending`, so a burst of updates to one delivery is read once. */
  private readonly pendingKeys = new Set<string>();
  private pumping = false;
  private disposed = false;
  private readonly subscription: Disposable;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: DeliveryStore,
    options: StreamHubOptions,
  ) {
    if (options.token.length < 22) throw new Error('The stream token is too short.');
    this.tokenDigest = digest(options.token);
    this.allowedOrigins = new Set((options.allowedOrigins ?? []).map(normaliseOrigin));
    this.maxClients = options.maxClients ?? DEFAULT_MAX_STREAM_CLIENTS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.log = options.log ?? (() => undefined);
    this.subscription = store.onDidChange((change) => this.onStoreChange(change));
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * For `ReceiverOptions.onUpgrade`: the receiver has checked `Host`; this checks the rest and
   * either completes the WebSocket handshake or answers with a plain HTTP error and closes.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = parseUrl(request.url);
    const refuse = (status: number, error: string, reason: string): void => {
      this.log(
        `stream: refused ${status} from ${request.socket.remoteAddress ?? '?'} (${url?.pathname ?? '?'}): ${reason}`,
      );
      refuseUpgrade(socket, status, error, status === 401 ? [['WWW-Authenticate', 'Bearer']] : []);
    };
    if (url?.pathname !== STREAM_PATH) return refuse(404, 'not found', 'no such stream path');
    if (this.disposed) return refuse(503, 'unavailable', 'the stream is shut down');
    if (request.method !== 'GET') return refuse(405, 'method not allowed', 'not a GET');
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(normaliseOrigin(origin))) {
      return refuse(403, 'forbidden', `Origin ${origin.slice(0, 100)} is not allowed`);
    }
    const token = bearerToken(request.headers.authorization) ?? url.searchParams.get('token');
    if (token === null || !timingSafeEqual(digest(token), this.tokenDigest)) {
      return refuse(401, 'unauthorized', token === null ? 'no token' : 'wrong token');
    }
    if (this.clients.size + this.handshaking >= this.maxClients) {
      return refuse(503, 'too many clients', `already ${this.maxClients} clients`);
    }
    this.handshaking++;
    let settled = false;
    const settle = (): void => {
      if (!settled) this.handshaking--;
      settled = true;
    };
    // ws aborts a malformed handshake (bad key or version) itself with a 400; count that too.
    socket.once('close', settle);
    this.server.handleUpgrade(request, socket, head, (client) => {
      settle();
      socket.off('close', settle);
      this.adopt(client);
    });
  }

  /** Closes every client (1001, "going away") and stops listening to the store. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    clearInterval(this.heartbeat);
    this.pending.length = 0;
    this.pendingKeys.clear();
    for (const client of this.clients) {
      client.close(1001, 'receiver stopping');
      // A client that never answers the close must not keep its socket open.
      setTimeout(() => client.terminate(), 1_000).unref();
    }
    this.clients.clear();
    this.server.close();
  }

  private adopt(client: WebSocket): void {
    if (this.disposed) {
      client.terminate();
      return;
    }
    this.clients.add(client);
    this.alive.add(client);
    client.on('pong', () => this.alive.add(client));
    client.on('message', () => client.close(1008, 'this stream does not take messages'));
    // ws reports protocol errors (an oversized frame…) here, then closes; nothing to add.
    client.on('error', () => undefined);
    client.on('close', () => this.clients.delete(client));
    const hello: StreamMessage = {
      type: 'hello',
      version: STREAM_PROTOCOL_VERSION,
      store: this.store.dir,
    };
    this.sendTo(client, Buffer.from(JSON.stringify(hello)));
  }

  private onStoreChange(change: StoreChangeEvent): void {
    // Nothing is read or kept for nobody: with no client, the stream costs ingest nothing.
    if (this.disposed || this.clients.size === 0) return;
    if (change.cleared) {
      this.pending.length = 0;
      this.pendingKeys.clear();
      this.broadcast({ type: 'deliveries.cleared' });
    } else if (change.deleted.length > 0) {
      this.broadcast({ type: 'delivery.deleted', ids: change.deleted });
    }
    for (const id of change.added) this.enqueue({ type: 'delivery.new', id });
    for (const id of change.updated) this.enqueue({ type: 'delivery.updated', id });
    void this.pump();
  }

  private enqueue(item: Pending): void {
    const key = `${item.type}:${item.id}`;
    if (this.pendingKeys.has(key)) return; // The read still to come gets the latest version.
    if (this.pending.length >= MAX_PENDING) {
      this.log(`stream: fell ${MAX_PENDING} deliveries behind; disconnecting every client`);
      this.pending.length = 0;
      this.pendingKeys.clear();
      for (const client of this.clients) client.close(1013, 'fell behind; reconnect');
      return;
    }
    this.pending.push(item);
    this.pendingKeys.add(key);
  }

  /** Reads and sends pending deliveries in order, one read at a time, off the ingest path. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.pending.shift(); item; item = this.pending.shift()) {
        this.pendingKeys.delete(`${item.type}:${item.id}`);
        if (this.disposed || this.clients.size === 0) break;
        const record = await this.store.get(item.id).catch(() => undefined);
        if (record === undefined) continue; // Deleted meanwhile (or unreadable): nothing to show.
        const duplicateCount = this.store.summary(item.id)?.duplicateCount ?? 0;
        this.broadcast({
          type: item.type,
          delivery: exportDelivery(record, duplicateCount),
          attempts: attemptsSummary(record),
        });
      }
    } finally {
      if (this.disposed || this.clients.size === 0) {
        this.pending.length = 0;
        this.pendingKeys.clear();
      }
      this.pumping = false;
    }
  }

  private broadcast(message: StreamMessage): void {
    // Encoded once for every client; ws frames a Buffer without copying it.
    const data = Buffer.from(JSON.stringify(message));
    for (const client of this.clients) this.sendTo(client, data);
  }

  private sendTo(client: WebSocket, data: Buffer): void {
    if (client.readyState !== WebSocket.OPEN) return;
    const buffered = client.bufferedAmount;
    // One message of any size may go to a client that has caught up (a body can be 25 MiB);
    // piling more onto one that has not drops it.
    if (buffered > 0 && buffered + data.length > this.maxBufferedBytes) {
      this.log(`stream: dropped a client that stopped reading (${buffered} bytes unsent)`);
      this.clients.delete(client);
      client.terminate();
      return;
    }
    client.send(data, { binary: false });
  }

  private checkAlive(): void {
    for (const client of this.clients) {
      if (!this.alive.has(client)) {
        this.clients.delete(client);
        client.terminate();
        continue;
      }
      this.alive.delete(client);
      client.ping();
    }
  }
}

export function attemptsSummary(record: DeliveryRecord): AttemptsSummary {
  const latest = record.attempts.at(-1);
  return {
    count: record.attempts.length,
    latestKind: latest?.kind ?? null,
    latestStatus: latest?.status ?? null,
    latestError: latest?.error ?? null,
  };
}

function digest(value: string): Buffer {
  // Comparing fixed-size digests keeps the comparison constant-time whatever the lengths.
  return createHash('sha256').update(value, 'utf8').digest();
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function parseUrl(url: string | undefined): URL | undefined {
  try {
    return new URL(url ?? '/', 'http://receiver.invalid');
  } catch {
    return undefined;
  }
}

/** Origins compare as browsers serialise them: lower-case, no trailing slash. */
function normaliseOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}
