// The HTTP transport: a node:http server on loopback that applies every transport check before
// any other work (Host, Origin, method, encoding, size), then hands the captured request to the
// pipeline. Slow or hostile clients are cut off by Node's timeouts, checked every second.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { jsonAnswer, type CapturedRequest, type ReceiverAnswer } from './captured';

export const DEFAULT_PORT = 7878;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** GitHub's cap; more is almost certainly a mistake or an attack. */
export const MAX_MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface ReceiverOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes?: number;
  /** Extra `Host` names to accept (a tunnel's hostname). Loopback names are always accepted. */
  readonly allowedHosts?: readonly string[];
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxHeaderBytes?: number;
  readonly maxHeadersCount?: number;
  /**
   * Takes WebSocket upgrades (the live stream) once the Host check passed. Without it the
   * receiver has no upgrade handling at all, so Node serves every request as plain HTTP.
   */
  readonly onUpgrade?: UpgradeHandler;
  /**
   * A request other than POST that a provider sends and expects answered (Meta's subscription
   * GET); every other method is refused with 405.
   */
  readonly acceptsMethod?: (method: string, url: string) => boolean;
  /**
   * This receiver's forwarding marker: a request carrying it in `X-HookLens-Loop` was forwarded
   * by this very receiver back to itself, and is refused (508) instead of looping.
   */
  readonly loopMarker?: string;
  /**
   * Body bytes all requests in flight may hold together (declared or worst case, plus the decoded
   * size when compressed); past it a new request gets 503 with Retry-After. Default: 64 MiB or four
   * maximum bodies, whichever is more. The extension host shares its memory with every extension.
   */
  readonly maxInFlightBytes?: number;
}

/** The header a forward carries so the receiver that sent it can spot it coming back. */
export const LOOP_MARKER_HEADER = 'X-HookLens-Loop';

/** Must answer and destroy `socket` itself when it refuses (see `refuseUpgrade`). */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export type CaptureHandler = (request: CapturedRequest) => Promise<ReceiverAnswer>;

/** What happened to a request the transport refused, for the log (never stored). */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
  readonly method: string;
  /** The request target without its query (`/path?…` when it had one): logs never show it. */
  readonly url: string;
  readonly remoteAddress: string;
}

export interface RunningReceiver {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every socket. */
  stop(graceMs?: number): Promise<void>;
}

export class ReceiverStartError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ReceiverStartError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const LOOPBACK_BIND = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackBindAddress(host: string): boolean {
  return LOOPBACK_BIND.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The `Host` header's name without its port, lower-cased; IPv6 keeps its brackets. */
export function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function startReceiver(
  options: ReceiverOptions,
  handle: CaptureHandler,
  onRefusal: (refusal: Refusal) => void = () => undefined,
): Promise<RunningReceiver> {
  const maxBodyBytes = Math.min(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, MAX_MAX_BODY_BYTES);
  const allowedHosts = new Set([
    ...LOOPBACK_HOSTS,
    // The address it binds to is a name it answers to (127.0.0.2, ::1, a LAN address).
    allowedHostName(options.host),
    ...(options.allowedHosts ?? []).map(allowedHostName),
  ]);
  const maxHeadersCount = options.maxHeadersCount ?? 200;
  const maxInFlightBytes = options.maxInFlightBytes ?? Math.max(64 * 1024 * 1024, 4 * maxBodyBytes);
  let bytesInFlight = 0;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  /** Sockets handed to `onUpgrade`: the server cannot close while they live. */
  const upgraded = new Set<Duplex>();

  const server: Server = createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
      // Node checks the two timeouts above only this often; its default of 30 s let a slow
      // socket live 31 s against a 5 s header timeout (catalogue H-06).
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
    },
    (request, response) => onRequest(request, response, false),
  );
  // Node sends "100 Continue" on its own unless told otherwise: decide first, so a body that will
  // be refused (413, 421, 405…) is never invited.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) =>
    onRequest(request, response, true),
  );

  function onRequest(
    request: IncomingMessage,
    response: ServerResponse,
    expectsContinue: boolean,
  ): void {
    {
      const startedAt = process.hrtime.bigint();
      inFlight++;
      response.once('close', () => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
      const refuse = (
        status: number,
        reason: string,
        error: string,
        extra: [string, string][] = [],
      ): void => {
        onRefusal({
          status,
          reason,
          method: request.method ?? '',
          // Never the query: it can carry a token (an old tail's /_hooklens/stream?token=, a
          // provider's ?secret=), and refusals are logged.
          url: pathOnly(request.url),
          remoteAddress: request.socket.remoteAddress ?? '',
        });
        const answer = jsonAnswer(status, { error }, [['Connection', 'close'], ...extra]);
        if (status === 413) {
          // Never read the rest of an oversized body: cut the connection once the answer is out.
          response.once('finish', () => request.socket.destroy());
        } else {
          request.resume(); // A small refused body is drained so the client reads the answer.
        }
        if (status === 503 && !expectsContinue && !request.complete) {
          // "Busy" is for a sender to read and retry: answered once its body is read, as closing
          // the connection with body bytes unread resets it, and the reset can take the answer
          // with it (a large body refused this way was often seen as a dropped connection).
          request.once('end', () => send(response, answer));
          return;
        }
        send(response, answer);
      };

      // DNS-rebinding defence: the Host check comes before anything else (L-02, L-04).
      const host = request.headers.host;
      if (host !== undefined && !allowedHosts.has(hostName(host))) {
        return refuse(
          421,
          `Host ${host.slice(0, 100)} is not a name this receiver answers to`,
          'misdirected request',
        );
      }
      // Senders are servers; only browsers send Origin (L-05).
      if (request.headers.origin !== undefined) {
        return refuse(
          403,
          'the request came from a browser page (it has an Origin header)',
          'forbidden',
        );
      }
      // Node keeps at most maxHeadersCount + 1 headers: one more than the limit means "too many",
      // not a silently shortened list (a valid Authorization after them would look missing).
      if (request.rawHeaders.length / 2 > maxHeadersCount) {
        return refuse(
          431,
          `the request has more than ${maxHeadersCount} headers`,
          'request header fields too large',
        );
      }
      const target = requestTarget(request.url ?? '/', allowedHosts);
      if (!target.ok) return refuse(target.status, target.reason, target.error);
      if (
        options.loopMarker !== undefined &&
        request.headers[LOOP_MARKER_HEADER.toLowerCase()] === options.loopMarker
      ) {
        return refuse(
          508,
          'the request is this receiver forwarding to itself (the forward target is the receiver)',
          'loop detected',
        );
      }
      if (
        request.method !== 'POST' &&
        !(options.acceptsMethod?.(request.method ?? '', request.url ?? '') ?? false)
      ) {
        return refuse(405, `method ${request.method ?? ''} is not POST`, 'method not allowed', [
          ['Allow', 'POST'],
        ]);
      }
      const encoding = request.headers['content-encoding'];
      const coding = contentCoding(encoding);
      if (coding === undefined) {
        return refuse(
          415,
          `Content-Encoding ${(encoding ?? '').slice(0, 50)} is not supported (gzip, deflate and br are)`,
          'unsupported content encoding',
        );
      }
      const declared = request.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBodyBytes) {
        return refuse(
          413,
          `Content-Length ${declared} is over the ${maxBodyBytes}-byte limit`,
          'payload too large',
        );
      }
      // The first request is always admitted, so one maximum body can never be refused outright.
      const reserved =
        (declared === undefined ? maxBodyBytes : Number(declared)) +
        (coding === 'identity' ? 0 : maxBodyBytes);
      if (bytesInFlight > 0 && bytesInFlight + reserved > maxInFlightBytes) {
        return refuse(
          503,
          `${Math.round(bytesInFlight / 1048576)} MiB of bodies are already in flight (limit ${Math.round(maxInFlightBytes / 1048576)} MiB)`,
          'busy, retry shortly',
          [['Retry-After', '1']],
        );
      }
      bytesInFlight += reserved;
      response.once('close', () => (bytesInFlight -= reserved));
      if (expectsContinue) response.writeContinue();
      readBody(request, maxBodyBytes, declared === undefined ? undefined : Number(declared)).then(
        async (raw) => {
          if (raw === 'too-large') {
            return refuse(
              413,
              `the body grew past the ${maxBodyBytes}-byte limit`,
              'payload too large',
            );
          }
          if (raw === 'aborted') return undefined;
          const body = coding === 'identity' ? raw : await decodeBody(raw, coding, maxBodyBytes);
          if (body === 'too-large') {
            return refuse(
              413,
              `the ${coding} body decodes to more than the ${maxBodyBytes}-byte limit`,
              'payload too large',
            );
          }
          if (body === 'invalid') {
            return refuse(400, `the body is not valid ${coding} data`, 'bad request');
          }
          const captured: CapturedRequest = {
            receivedAtMs: Date.now(),
            startedAt,
            method: request.method ?? 'POST',
            url: target.path,
            headers: pairs(request.rawHeaders),
            remoteAddress: request.socket.remoteAddress ?? '',
            body,
            ...(coding === 'identity' ? {} : { encodedBody: raw, contentEncoding: coding }),
          };
          return handle(captured).then(
            (answer) => send(response, answer),
            () => send(response, jsonAnswer(500, { error: 'internal error' })),
          );
        },
        () => send(response, jsonAnswer(400, { error: 'bad request' })),
      );
    }
  }
  server.maxHeadersCount = maxHeadersCount + 1;
  server.maxConnections = options.maxConnections ?? 256;
  // Malformed HTTP (CVE-2024-27982 and friends) gets llhttp's 400, and the server carries on.
  // The socket is destroyed once the answer is out, not just half-closed: a slowloris client that
  // ignores the FIN would otherwise hold its connection slot forever (H-06). Oversized headers get
  // 431 and header timeouts 408, as Node's own default handler answers (J-18).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
      socket.destroy(),
    );
  });

  const onUpgrade = options.onUpgrade;
  if (onUpgrade) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node took its own listeners off the socket; a reset must not become an uncaught error.
      socket.on('error', () => socket.destroy());
      if (!isWebSocketUpgrade(request)) {
        // A sender asking for another protocol (Java's HttpClient offers h2c on every POST) is
        // still a delivery: ignore the upgrade, as RFC 9110 allows, and parse it as plain HTTP.
        parseAsPlainHttp(server, request, socket, head);
        return;
      }
      const host = request.headers.host;
      if (host !== undefined && !allowedHosts.has(hostName(host))) {
        onRefusal({
          status: 421,
          reason: `Host ${host.slice(0, 100)} is not a name this receiver answers to`,
          method: request.method ?? '',
          url: pathOnly(request.url),
          remoteAddress: request.socket.remoteAddress ?? '',
        });
        refuseUpgrade(socket, 421, 'misdirected request');
        return;
      }
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      try {
        onUpgrade(request, socket, head);
      } catch {
        refuseUpgrade(socket, 500, 'internal error');
      }
    });
  }

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(startError(error, options)));
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      const displayHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        host: address.address,
        port: address.port,
        url: `http://${displayHost}:${address.port}/`,
        stop: (graceMs = 5_000) =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            const finish = (): void => {
              server.closeAllConnections();
              for (const socket of upgraded) socket.destroy();
            };
            if (inFlight === 0) finish();
            else {
              drained = finish;
              setTimeout(finish, graceMs).unref();
            }
          }),
      });
    });
  });
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  431: 'Request Header Fields Too Large',
  508: 'Loop Detected',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Refuses an upgrade before it completes: a plain HTTP answer with a generic JSON body (L-11),
 * then the socket is destroyed once the answer is out, so nothing else is ever read from it.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  error: string,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...extraHeaders.map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  socket.once('finish', () => socket.destroy());
  socket.end(`${head}\r\n\r\n${body}`);
  // A client that never reads could hold the socket open past 'finish'; do not wait on it.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return request.headers.upgrade?.trim().toLowerCase() === 'websocket';
}

/** The path without its query, which can carry a token or secret and is never logged. */
function pathOnly(url: string | undefined): string {
  const value = url ?? '';
  const query = value.indexOf('?');
  return query === -1 ? value : `${value.slice(0, query)}?…`;
}

/**
 * Gives an upgrade request back to the HTTP parser as an ordinary request: its head is rebuilt
 * from the raw headers without the `upgrade` token in Connection (so it is not an upgrade again,
 * while `Upgrade` itself stays recorded), the bytes already read follow, and the socket is handed
 * to the server as a new connection, which applies every transport check and timeout again.
 */
function parseAsPlainHttp(
  server: Server,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const lines = [`${request.method ?? 'POST'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
  for (const [name, value] of pairs(request.rawHeaders)) {
    if (!/^connection$/i.test(name)) {
      lines.push(`${name}: ${value}`);
      continue;
    }
    const tokens = value
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token !== '' && token.toLowerCase() !== 'upgrade');
    if (tokens.length > 0) lines.push(`${name}: ${tokens.join(', ')}`);
  }
  socket.unshift(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]));
  server.emit('connection', socket);
}

function startError(error: NodeJS.ErrnoException, options: ReceiverOptions): ReceiverStartError {
  const where = `${options.host}:${options.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ReceiverStartError(
        `Port ${options.port} is already in use by another program, so the receiver cannot listen on ${where}. Stop that program or choose another port (your sender's URL must then change too).`,
        error.code,
      );
    case 'EACCES':
      return new ReceiverStartError(
        `The system does not allow listening on ${where}. Ports below 1024 need privileges; choose a higher port.`,
        error.code,
      );
    case 'EADDRNOTAVAIL':
      return new ReceiverStartError(
        `${options.host} is not an address of this machine, so the receiver cannot listen on it.`,
        error.code,
      );
    default:
      return new ReceiverStartError(
        `The receiver could not listen on ${where}: ${error.message}`,
        error.code,
      );
  }
}

/**
 * The body as one Buffer. With a Content-Length (already held to the limit) it is allocated once
 * at that size and each chunk is copied in as it arrives, so the socket's chunks are garbage at
 * once and the body never exists twice (collecting chunks, then concatenating them, held two
 * copies of every body at the end: issue 14 item 6). Without one (chunked), the chunks are
 * concatenated once, at their known total.
 */
function readBody(
  request: IncomingMessage,
  limit: number,
  declaredLength: number | undefined,
): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const preallocated =
      declaredLength !== undefined && Number.isSafeInteger(declaredLength) && declaredLength > 0
        ? Buffer.allocUnsafe(declaredLength)
        : undefined;
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'too-large' | 'aborted'): void => {
      if (settled) return;
      settled = true;
      chunks = [];
      resolve(value);
    };
    const whole = (): Buffer =>
      preallocated === undefined
        ? Buffer.concat(chunks, size)
        : size === preallocated.length
          ? preallocated
          : preallocated.subarray(0, size); // Node ends a shorter body as aborted; kept exact.
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (
        size + chunk.length > limit ||
        (preallocated && size + chunk.length > preallocated.length)
      ) {
        settle('too-large');
        return;
      }
      if (preallocated) chunk.copy(preallocated, size);
      else chunks.push(chunk);
      size += chunk.length;
    });
    request.on('end', () => settle(whole()));
    request.on('aborted', () => settle('aborted'));
    request.on('close', () => settle(request.complete ? whole() : 'aborted'));
    request.on('error', () => settle('aborted'));
  });
}

type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** The one coding of a request body HookLens decodes, or undefined for any other (415). */
function contentCoding(header: string | undefined): ContentCoding | undefined {
  const value = (header ?? 'identity').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'br') return value;
  return undefined;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * The decoded body, held to the body limit as it is inflated (maxOutputLength stops a
 * decompression bomb without allocating it). Senders sign the decoded bytes.
 */
async function decodeBody(
  raw: Buffer,
  coding: Exclude<ContentCoding, 'identity'>,
  limit: number,
): Promise<Buffer | 'too-large' | 'invalid'> {
  const options = { maxOutputLength: limit };
  try {
    if (coding === 'gzip') return await gunzip(raw, options);
    if (coding === 'br') return await brotli(raw, options);
    try {
      return await inflate(raw, options);
    } catch (error) {
      if (isTooLarge(error)) throw error;
      // Some senders send raw deflate without the zlib wrapper HTTP specifies.
      return await inflateRaw(raw, options);
    }
  } catch (error) {
    return isTooLarge(error) ? 'too-large' : 'invalid';
  }
}

function isTooLarge(error: unknown): boolean {
  return (
    error instanceof RangeError ||
    (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_BUFFER_TOO_LARGE'
  );
}

type RequestTarget =
  | { readonly ok: true; readonly path: string }
  | {
      readonly ok: false;
      readonly status: number;
      readonly reason: string;
      readonly error: string;
    };

/**
 * The path and query to record. An absolute-form target (`POST http://host/x`) is held to the
 * same Host rule as the Host header, then recorded as its path, so a sender cannot plant another
 * origin in the stored URL.
 */
function requestTarget(url: string, allowedHosts: ReadonlySet<string>): RequestTarget {
  if (url.startsWith('/')) return { ok: true, path: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      ok: false,
      status: 400,
      reason: 'the request target is not a path',
      error: 'bad request',
    };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return {
      ok: false,
      status: 400,
      reason: 'the request target is not a path',
      error: 'bad request',
    };
  }
  if (!allowedHosts.has(hostName(parsed.host))) {
    return {
      ok: false,
      status: 421,
      reason: `the request target names ${parsed.host.slice(0, 100)}, not a name this receiver answers to`,
      error: 'misdirected request',
    };
  }
  return { ok: true, path: `${parsed.pathname}${parsed.search}` };
}

function pairs(rawHeaders: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    result.push([rawHeaders[index] ?? '', rawHeaders[index + 1] ?? '']);
  }
  return result;
}

function send(response: ServerResponse, answer: ReceiverAnswer): void {
  if (response.headersSent || response.destroyed) return;
  try {
    // The flat array form keeps repeated headers (a handler's several Set-Cookie) and their order.
    // The framing is Node's to set from the body: any length or transfer coding an answer carried
    // is dropped (none should: forwarded and route answers never pass them on).
    const headers = answer.headers.filter(([name]) => !FRAMING_HEADER.test(name)).flat();
    // With the length known the answer is sent as it is, not in chunked framing.
    if (mayCarryBody(answer.status, response.req.method)) {
      headers.push('Content-Length', String(Buffer.byteLength(answer.body)));
    }
    response.writeHead(answer.status, headers);
    response.end(answer.body);
  } catch {
    // A header Node refuses to send (CR/LF in a value) must not crash the host: drop the socket.
    response.destroy();
  }
}

const FRAMING_HEADER = /^(content-length|transfer-encoding)$/i;

/** Whether an answer has a body to measure: not to HEAD, and not for 1xx, 204 or 304. */
function mayCarryBody(status: number, method: string | undefined): boolean {
  return method !== 'HEAD' && status >= 200 && status !== 204 && status !== 304;
}

/** Users paste tunnel URLs (`https://abc.ngrok.app/`) as often as host names; accept both. */
export function allowedHostName(entry: string): string {
  const trimmed = entry.trim();
  if (trimmed.includes('://')) {
    try {
      return new URL(trimmed).hostname.toLowerCase();
    } catch {
      return hostName(trimmed);
    }
  }
  return hostName(trimmed);
}
