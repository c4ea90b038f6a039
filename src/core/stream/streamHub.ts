// The live stream: a WebSocket at /_hooklens/stream on the receiver's port that pushes every
// delivery as it is stored or changed, in the export shape (Authorization redacted).
//
// Every check runs before the upgrade completes (path, method, Origin, proof, capacity), so a
// refused client only ever sees a plain HTTP error. The token itself is never accepted: a client
// proves it holds it by answering a challenge after the receiver proved the same (streamAuth.ts),
// with a key bound to this run of the receiver. Browsers (any Origin) are refused. Sending never touches the ingest path: the hub
// hears the store's change events (ids only), reads the records itself, one after another, and
// hands each message to the clients without waiting on any of them. A client that does not keep
// up is dropped once its unsent bytes pass a limit, so it can neither grow memory nor slow ingest.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { DeliveryRecord } from '../delivery';
import { exportDelivery, type ExportedDelivery } from '../export/exportRecord';
import { refuseUpgrade } from '../receiver/receiverServer';
import type { DeliveryStoreBackend } from '../store/backend';
import type { Disposable } from '../store/emitter';
import type { StoreChangeEvent } from '../store/types';
import {
  AUTH_SCHEME,
  CHALLENGE_HEADER,
  CLIENT_NONCE_HEADER,
  CLIENT_PROOF_HEADER,
  SERVER_NONCE_HEADER,
  STREAM_PATH,
  clientProof,
  formatChallenge,
  isNonce,
  newNonce,
  newRunId,
  proofMatches,
  runKey,
  serverProof,
} from './streamAuth';

export { STREAM_PATH };
export const STREAM_PROTOCOL_VERSION = 1;
export const DEFAULT_MAX_STREAM_CLIENTS = 32;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Clients never need to send data; anything bigger than a close frame's reason is abuse. */
const MAX_CLIENT_PAYLOAD = 1024;
const HEARTBEAT_MS = 30_000;
/** Ids waiting to be read and sent; past this the stream has fallen hopelessly behind. */
const MAX_PENDING = 10_000;
/** How long a challenge may be answered. A client answers at once; this is for slow machines. */
export const DEFAULT_CHALLENGE_TTL_MS = 30_000;
/** Challenges waiting for an answer; past this the oldest is forgotten (its client retries). */
const MAX_OPEN_CHALLENGES = 256;

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
  /** The store's stream token (see `ensureStreamToken`). Only a key derived from it is kept. */
  readonly token: string;
  /** This run's id (random when not given); publish it in receiver.json (`runId`). */
  readonly runId?: string;
  /** How long an issued challenge can be answered. Default 30 s. */
  readonly challengeTtlMs?: number;
  readonly maxClients?: number;
  /** A client with more unsent bytes than this is dropped. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Refused connections and dropped clients, for the log (the caller adds a "stream: " prefix).
   * Never contains a token, a proof or a query.
   */
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
  /** Random per receiver start: a proof made for one run is worthless against the next. */
  readonly runId: string;
  private readonly runKey: Buffer;
  private readonly challengeTtlMs: number;
  /** Issued server nonces, each answerable once: server nonce → its client nonce and deadline. */
  private readonly challenges = new Map<string, { clientNonce: string; expiresAt: number }>();
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
    private readonly store: DeliveryStoreBackend,
    options: StreamHubOptions,
  ) {
    if (options.token.length < 22) throw new Error('The stream token is too short.');
    this.runId = options.runId ?? newRunId();
    this.runKey = runKey(options.token, this.runId);
    this.challengeTtlMs = options.challengeTtlMs ?? DEFAULT_CHALLENGE_TTL_MS;
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
    // Only the path is ever logged: a query (an old client's ?token=) is never written anywhere.
    const refuse = (status: number, error: string, reason: string): void => {
      this.log(
        `refused ${status} from ${request.socket.remoteAddress ?? '?'} (${url?.pathname ?? '?'}): ${reason}`,
      );
      refuseUpgrade(
        socket,
        status,
        error,
        status === 401 ? [['WWW-Authenticate', AUTH_SCHEME]] : [],
      );
    };
    if (url?.pathname !== STREAM_PATH) return refuse(404, 'not found', 'no such stream path');
    if (this.disposed) return refuse(503, 'unavailable', 'the stream is shut down');
    if (request.method !== 'GET') return refuse(405, 'method not allowed', 'not a GET');
    const origin = request.headers.origin;
    if (origin !== undefined) {
      return refuse(403, 'forbidden', `Origin ${origin.slice(0, 100)}: browsers may not connect`);
    }
    // The port this connection really reached, not what the client says: a proof made for another
    // port (a relay from the port a client was misled to) never matches.
    const port = request.socket.localPort;
    const clientNonce = singleHeader(request, CLIENT_NONCE_HEADER);
    const proof = singleHeader(request, CLIENT_PROOF_HEADER);
    if (port === undefined || !isNonce(clientNonce)) {
      const sentToken =
        request.headers.authorization !== undefined || url.searchParams.has('token');
      return refuse(
        401,
        'unauthorized',
        sentToken
          ? 'the token itself is never accepted, only a proof (an older hooklens tail sends it): update the client'
          : 'no client nonce',
      );
    }
    if (proof === undefined) {
      // Step 1: prove this receiver holds the token for the client's nonce, and set a challenge.
      // Not logged: every client starts here.
      const serverNonce = this.issueChallenge(clientNonce);
      const challenge = formatChallenge({
        runId: this.runId,
        serverNonce,
        serverProof: serverProof(this.runKey, port, clientNonce, serverNonce),
      });
      refuseUpgrade(socket, 401, 'unauthorized', [
        ['WWW-Authenticate', AUTH_SCHEME],
        [CHALLENGE_HEADER, challenge],
        ['Cache-Control', 'no-store'],
      ]);
      return;
    }
    // Step 2: the answer to a challenge this run issued, for this client nonce, once, in time.
    const serverNonce = singleHeader(request, SERVER_NONCE_HEADER);
    if (!isNonce(serverNonce) || !this.takeChallenge(serverNonce, clientNonce)) {
      return refuse(
        401,
        'unauthorized',
        'no open challenge for this proof (replayed, expired or from another run)',
      );
    }
    if (!proofMatches(clientProof(this.runKey, port, clientNonce, serverNonce), proof)) {
      return refuse(401, 'unauthorized', "wrong proof (not this store's stream token)");
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
    this.challenges.clear();
    for (const client of this.clients) {
      client.close(1001, 'receiver stopping');
      // A client that never answers the close must not keep its socket open.
      setTimeout(() => client.terminate(), 1_000).unref();
    }
    this.clients.clear();
    this.server.close();
  }

  private issueChallenge(clientNonce: string): string {
    const now = Date.now();
    for (const [nonce, open] of this.challenges) {
      // Oldest first: stop at the first one still open, or drop the oldest when there are too many.
      if (open.expiresAt > now && this.challenges.size < MAX_OPEN_CHALLENGES) break;
      this.challenges.delete(nonce);
    }
    const serverNonce = newNonce();
    this.challenges.set(serverNonce, { clientNonce, expiresAt: now + this.challengeTtlMs });
    return serverNonce;
  }

  /** True when `serverNonce` is an open challenge for `clientNonce`; either way it is used up. */
  private takeChallenge(serverNonce: string, clientNonce: string): boolean {
    const open = this.challenges.get(serverNonce);
    if (open === undefined) return false;
    this.challenges.delete(serverNonce);
    return open.clientNonce === clientNonce && Date.now() < open.expiresAt;
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
      store: this.store.location,
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
      this.log(`fell ${MAX_PENDING} deliveries behind; disconnecting every client`);
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
      this.log(`dropped a client that stopped reading (${buffered} bytes unsent)`);
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

/** A header sent once (Node joins repeats with ", ", which no nonce or proof contains). */
function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value.trim() : undefined;
}

function parseUrl(url: string | undefined): URL | undefined {
  try {
    return new URL(url ?? '/', 'http://receiver.invalid');
  } catch {
    return undefined;
  }
}
