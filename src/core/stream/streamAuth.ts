// How a stream client and the receiver prove to each other that they hold the store's stream
// token, without the token (or anything that opens the stream later) ever crossing the wire.
//
//   1. The client asks for a challenge: an upgrade request to the stream path carrying only a fresh
//      random client nonce. The receiver refuses it with 401 and a challenge header: its run id, a
//      fresh server nonce, and a server proof = HMAC(runKey, "server" | port | clientNonce |
//      serverNonce), where runKey = HMAC(token, runId) and runId is random per receiver start.
//   2. The client checks the server proof (constant time) for the port it connected to and, when
//      receiver.json names one, the run id it expects. Only when the peer has proved it holds the
//      token does the client send anything derived from it: a second upgrade request with
//      client proof = HMAC(runKey, "client" | port | clientNonce | serverNonce).
//   3. The receiver accepts a server nonce once, for the client nonce it was issued for, within
//      a short time, and completes the upgrade only when the client proof matches.
//
// What that rules out: a process that binds a port the client was pointed at (a stale
// receiver.json, a wrong --port) learns only a random nonce; relaying the exchange to the real
// receiver on another port fails because both proofs name the port; a proof seen once is useless
// again (single-use server nonce) and against the next run (another run key).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';

export const STREAM_PATH = '/_hooklens/stream';

/** Step 1, request: the client's fresh nonce. Step 2 repeats it. */
export const CLIENT_NONCE_HEADER = 'X-HookLens-Client-Nonce';
/** Step 1, answer: `v1 run=<runId>, nonce=<serverNonce>, proof=<serverProof>`. */
export const CHALLENGE_HEADER = 'X-HookLens-Challenge';
/** Step 2, request: the server nonce being answered, and the client's proof. */
export const SERVER_NONCE_HEADER = 'X-HookLens-Server-Nonce';
export const CLIENT_PROOF_HEADER = 'X-HookLens-Client-Proof';
export const AUTH_SCHEME = 'HookLens-Stream';
const VERSION = 'v1';

/** 32 random bytes as base64url (nonces and proofs are both this shape). */
const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
/** 16 random bytes as base64url. */
const RUN_ID = /^[A-Za-z0-9_-]{22}$/;

export interface Challenge {
  readonly runId: string;
  readonly serverNonce: string;
  readonly serverProof: string;
}

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function newRunId(): string {
  return randomBytes(16).toString('base64url');
}

export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && B64URL_32.test(value);
}

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

/** The key for one run of a receiver: a proof made with it is worthless against any other run. */
export function runKey(token: string, runId: string): Buffer {
  return createHmac('sha256', token).update(`hooklens-stream-run/${VERSION}\n${runId}`).digest();
}

export function serverProof(
  key: Buffer,
  port: number,
  clientNonce: string,
  serverNonce: string,
): string {
  return mac(key, 'server', port, clientNonce, serverNonce);
}

export function clientProof(
  key: Buffer,
  port: number,
  clientNonce: string,
  serverNonce: string,
): string {
  return mac(key, 'client', port, clientNonce, serverNonce);
}

function mac(
  key: Buffer,
  role: 'server' | 'client',
  port: number,
  clientNonce: string,
  serverNonce: string,
): string {
  // Every part is newline-free (checked shapes, a number), so the joined text is unambiguous; the
  // role keeps a server proof from ever passing as a client proof.
  return createHmac('sha256', key)
    .update(['hooklens-stream', VERSION, role, String(port), clientNonce, serverNonce].join('\n'))
    .digest('base64url');
}

/** Constant-time comparison of two proofs; anything not shaped like a proof never matches. */
export function proofMatches(expected: string, given: unknown): boolean {
  if (!isNonce(given) || !isNonce(expected)) return false;
  return timingSafeEqual(Buffer.from(expected, 'base64url'), Buffer.from(given, 'base64url'));
}

export function formatChallenge(challenge: Challenge): string {
  return `${VERSION} run=${challenge.runId}, nonce=${challenge.serverNonce}, proof=${challenge.serverProof}`;
}

export function parseChallenge(header: unknown): Challenge | undefined {
  if (typeof header !== 'string' || header.length > 256) return undefined;
  const match = /^v1 run=([A-Za-z0-9_-]+), nonce=([A-Za-z0-9_-]+), proof=([A-Za-z0-9_-]+)$/.exec(
    header.trim(),
  );
  if (match === null) return undefined;
  const [, runId, serverNonce, proof] = match;
  if (!isRunId(runId) || !isNonce(serverNonce) || !isNonce(proof)) return undefined;
  return { runId, serverNonce, serverProof: proof };
}

export interface StreamPeer {
  /** An address to connect to (`127.0.0.1`, `::1`). */
  readonly host: string;
  readonly port: number;
}

export type PeerCheck =
  /** The peer proved it holds the token for this port (and run): `headers` open the stream. */
  | { readonly kind: 'proven'; readonly runId: string; readonly headers: Record<string, string> }
  /** Nothing answered (refused, reset, timed out). */
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** Something answered but did not prove it holds the token; it was sent nothing derived from it. */
  | { readonly kind: 'unproven'; readonly reason: string }
  /** A plain HTTP answer other than a challenge (404, 405, 503…). */
  | { readonly kind: 'refused'; readonly status: number };

export interface PeerCheckOptions {
  /** The run id receiver.json records; a peer of any other run is not the one it describes. */
  readonly expectedRunId?: string;
  readonly timeoutMs?: number;
  /** Abandons the check (it then settles as unreachable). */
  readonly signal?: AbortSignal;
}

/**
 * Step 1 and 2 of the handshake from the client's side, up to (not including) the upgrade: asks
 * `peer` for a challenge and checks its proof. Only a proven peer gets back the headers that carry
 * the client proof; for any other outcome nothing but the random client nonce was sent. Never
 * rejects.
 */
export function checkStreamPeer(
  peer: StreamPeer,
  token: string,
  options: PeerCheckOptions = {},
): Promise<PeerCheck> {
  const clientNonce = newNonce();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PeerCheck): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = httpRequest({
      host: peer.host,
      port: peer.port,
      path: STREAM_PATH,
      method: 'GET',
      agent: false,
      timeout: options.timeoutMs ?? 5_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        [CLIENT_NONCE_HEADER]: clientNonce,
      },
    });
    request.on('timeout', () => {
      settle({ kind: 'unreachable', reason: 'it did not answer in time' });
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'unreachable', reason: error.code ?? error.message }),
    );
    // A peer that upgrades without a challenge never proved anything: hang up on it.
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      settle({
        kind: 'unproven',
        reason: 'it accepted the connection without proving it holds the stream token',
      });
    });
    request.on('response', (response: IncomingMessage) => {
      response.resume();
      settle(judgeChallenge(response, peer.port, token, clientNonce, options.expectedRunId));
      request.destroy();
    });
    request.end();
  });
}

function judgeChallenge(
  response: IncomingMessage,
  port: number,
  token: string,
  clientNonce: string,
  expectedRunId: string | undefined,
): PeerCheck {
  const status = response.statusCode ?? 0;
  const header = response.headers[CHALLENGE_HEADER.toLowerCase()];
  if (status !== 401 || header === undefined) {
    return status === 401
      ? {
          kind: 'unproven',
          reason: 'it asked for a token without proving it holds one (an older receiver?)',
        }
      : { kind: 'refused', status };
  }
  const challenge = parseChallenge(header);
  if (challenge === undefined) {
    return { kind: 'unproven', reason: 'its challenge is malformed' };
  }
  if (expectedRunId !== undefined && challenge.runId !== expectedRunId) {
    return {
      kind: 'unproven',
      reason: 'it is not the receiver run that receiver.json records',
    };
  }
  const key = runKey(token, challenge.runId);
  const expected = serverProof(key, port, clientNonce, challenge.serverNonce);
  if (!proofMatches(expected, challenge.serverProof)) {
    return {
      kind: 'unproven',
      reason: "its proof does not match this store's stream token on this port",
    };
  }
  return {
    kind: 'proven',
    runId: challenge.runId,
    headers: {
      [CLIENT_NONCE_HEADER]: clientNonce,
      [SERVER_NONCE_HEADER]: challenge.serverNonce,
      [CLIENT_PROOF_HEADER]: clientProof(key, port, clientNonce, challenge.serverNonce),
    },
  };
}
