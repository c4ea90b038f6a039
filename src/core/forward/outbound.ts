// One HTTP request to the developer's handler: the exact body bytes, the original headers minus
// hop-by-hop ones, `Host` set to the target. Redirects are never followed (F-04) and nothing in
// the request can choose where it goes (F-06): the target is always the caller's.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface OutboundRequest {
  readonly method: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

export type OutboundFailureKind =
  'refused' | 'timeout' | 'reset' | 'dns' | 'redirect' | 'too-large' | 'cancelled' | 'other';

export interface OutboundResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The handler's body, up to `maxResponseBytes`; `bodyTruncated` says when more was dropped. */
  readonly body: Buffer;
  readonly bodyTruncated: boolean;
}

export type OutboundResult =
  | { readonly ok: true; readonly response: OutboundResponse; readonly timeMs: number }
  | {
      readonly ok: false;
      readonly kind: OutboundFailureKind;
      /** A sentence for the developer: what happened, naming the target. */
      readonly message: string;
      /** Present when the handler answered (a redirect), so the attempt can show it. */
      readonly response?: OutboundResponse;
      readonly timeMs: number;
    };

export interface OutboundOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxResponseBytes?: number;
  /**
   * An answer longer than `maxResponseBytes` is a failure (`too-large`) rather than a truncated
   * success: for forwarding, where the answer goes on to the sender and must not arrive cut off.
   */
  readonly refuseTruncatedAnswer?: boolean;
  readonly agents?: OutboundAgents;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** RFC 9110 §7.6.1 connection-specific fields, plus the framing Node recomputes itself. */
export const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** A header value or name Node would refuse, or that could split the request (F-02). */
const UNSAFE_HEADER_TEXT = /[\r\n\0]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The headers the handler receives: originals in order, without hop-by-hop fields (including any
 * the `Connection` header names), without anything carrying CR, LF or NUL, and with `Host` set to
 * the target and `Content-Length` to the body actually sent.
 */
export function forwardedHeaders(
  original: ReadonlyArray<readonly [string, string]>,
  target: URL,
  bodyLength: number,
): Array<[string, string]> {
  const namedByConnection = new Set<string>();
  for (const [name, value] of original) {
    if (name.toLowerCase() !== 'connection') continue;
    for (const token of value.split(',')) namedByConnection.add(token.trim().toLowerCase());
  }
  const kept: Array<[string, string]> = [['Host', target.host]];
  for (const [name, value] of original) {
    const lower = name.toLowerCase();
    if (NEVER_FORWARDED.has(lower) || namedByConnection.has(lower)) continue;
    if (!TOKEN.test(name) || UNSAFE_HEADER_TEXT.test(value)) continue;
    kept.push([name, value]);
  }
  kept.push(['Content-Length', String(bodyLength)]);
  return kept;
}

/** Headers of the handler's answer that may be passed back to the sender. */
export function passableResponseHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  return headers
    .filter(([name, value]) => {
      const lower = name.toLowerCase();
      return !NEVER_FORWARDED.has(lower) && TOKEN.test(name) && !UNSAFE_HEADER_TEXT.test(value);
    })
    .map(([name, value]) => [name, value]);
}

/** Keep-alive agents shared by every request a forwarder or replay run makes. */
export class OutboundAgents {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  dispose(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export type ForwardTargetCheck =
  { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly error: string };

/** Checks a forward or replay target typed by the user: an absolute http(s) URL. */
export function parseTargetUrl(raw: string): ForwardTargetCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'The target URL is empty.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: `'${text.slice(0, 200)}' is not a URL. Use a full URL such as http://localhost:3000/webhooks.`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: `The target must be an http:// or https:// URL, not ${url.protocol}`,
    };
  }
  if (url.hash !== '') url.hash = '';
  return { ok: true, url };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Sends one request and never throws: every outcome is an `OutboundResult`. */
export function sendOutbound(
  target: URL,
  request: OutboundRequest,
  options: OutboundOptions,
): Promise<OutboundResult> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const where = target.origin;
  const fail = (kind: OutboundFailureKind, message: string, response?: OutboundResponse) =>
    ({ ok: false, kind, message, response, timeMs: elapsed() }) as const;

  if (options.signal?.aborted) return Promise.resolve(fail('cancelled', 'Cancelled.'));

  return new Promise<OutboundResult>((resolve) => {
    let settled = false;
    const settle = (result: OutboundResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const isHttps = target.protocol === 'https:';
    const headers = forwardedHeaders(request.headers, target, request.body.length);
    const send = isHttps ? httpsRequest : httpRequest;
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = send(target, {
        method: request.method,
        // The array form keeps duplicates and order; Node validates names and values again.
        headers: headers.flat(),
        agent: isHttps ? options.agents?.https : options.agents?.http,
        setHost: false,
      });
    } catch (error) {
      resolve(fail('other', `The request to ${where} could not be made: ${messageOf(error)}`));
      return;
    }
    const timer = setTimeout(() => {
      settle(
        fail(
          'timeout',
          `The handler at ${where} did not answer within ${options.timeoutMs / 1000} s.`,
        ),
      );
      outgoing.destroy();
    }, options.timeoutMs);
    const onAbort = (): void => {
      settle(fail('cancelled', 'Cancelled.'));
      outgoing.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      settle(fail(failureKind(error), failureMessage(error, where)));
    });
    outgoing.on('response', (incoming: IncomingMessage) => {
      readResponse(incoming, maxResponseBytes).then(
        (response) => {
          if (response.status >= 300 && response.status < 400) {
            const location = response.headers.find(([name]) => name.toLowerCase() === 'location');
            const to = location ? ` to ${location[1].slice(0, 200)}` : '';
            settle(
              fail(
                'redirect',
                `The handler at ${where} answered ${response.status}${to}; redirects are not followed.`,
                response,
              ),
            );
            return;
          }
          if (response.bodyTruncated && options.refuseTruncatedAnswer === true) {
            // Passing on a cut-off answer as if it were whole would mislead the sender.
            settle(
              fail(
                'too-large',
                `The handler at ${where} answered ${response.status} with a body over ${Math.round(maxResponseBytes / 1048576)} MiB; HookLens kept its start and answered the sender 502.`,
                response,
              ),
            );
            return;
          }
          settle({ ok: true, response, timeMs: elapsed() });
        },
        (error: unknown) =>
          settle(
            fail('reset', `The handler at ${where} broke off its answer: ${messageOf(error)}`),
          ),
      );
    });
    outgoing.end(request.body);
  });
}

function readResponse(incoming: IncomingMessage, limit: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    incoming.on('data', (chunk: Buffer) => {
      if (size >= limit) {
        truncated = true;
        return;
      }
      const room = limit - size;
      if (chunk.length > room) {
        truncated = true;
        chunks.push(chunk.subarray(0, room));
        size = limit;
      } else {
        chunks.push(chunk);
        size += chunk.length;
      }
    });
    incoming.on('end', () =>
      resolve({
        status: incoming.statusCode ?? 0,
        headers: pairs(incoming.rawHeaders),
        body: Buffer.concat(chunks, size),
        bodyTruncated: truncated,
      }),
    );
    incoming.on('error', reject);
    incoming.on('aborted', () => reject(new Error('the connection closed mid-answer')));
  });
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    result.push([raw[index] ?? '', raw[index + 1] ?? '']);
  }
  return result;
}

function failureKind(error: NodeJS.ErrnoException): OutboundFailureKind {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

function failureMessage(error: NodeJS.ErrnoException, where: string): string {
  switch (failureKind(error)) {
    case 'refused':
      return `Nothing is listening at ${where} (connection refused). Is your handler running?`;
    case 'reset':
      return `The handler at ${where} closed the connection before answering.`;
    case 'dns':
      return `The host name in ${where} could not be resolved.`;
    case 'timeout':
      return `The connection to ${where} timed out.`;
    default:
      return `The request to ${where} failed: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
