// HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/): one entry per delivery. The
// request is what the sender sent, the response what it was answered. HookLens's own fields ride
// in `_hooklens`, as the spec allows custom fields that start with an underscore.
import { STATUS_CODES } from 'node:http';
import type { Entry, Har, Header, PostData, QueryString } from 'har-format';
import type { Attempt, DeliveryRecord } from '../delivery';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../productInfo';
import { exportedBody, redactHeaders, retryCount, type ExportOptions } from './exportRecord';

export interface HarOptions extends ExportOptions {
  /** How many stored deliveries repeat each one (the sender's retries), by delivery id. */
  readonly duplicateCounts?: ReadonlyMap<string, number>;
}

/** What HookLens adds to each entry; `importRecords` reads it back. */
export interface HookLensEntryFields {
  readonly id: string;
  readonly verdict: string;
  readonly reason: string;
  readonly sender: string;
  readonly event: string | null;
  readonly sessionId: string | null;
  readonly remoteAddress: string;
  readonly duplicateOf: string | null;
  readonly retryCount: number;
  readonly parseError: string | null;
  readonly attempts: ReadonlyArray<{
    readonly kind: Attempt['kind'];
    readonly at: string;
    readonly target: string;
    readonly tokenMode: Attempt['tokenMode'];
    readonly status: number | null;
    readonly timeMs: number | null;
    readonly error: string | null;
  }>;
}

export type HookLensEntry = Entry & { readonly _hooklens: HookLensEntryFields };

/** The receiver does not record the HTTP version; Node's server speaks HTTP/1.1 to senders. */
const HTTP_VERSION = 'HTTP/1.1';
/** A Host value that can sit in a URL's authority as is: name or IP, optional port. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export const HAR_CREATOR = { name: PRODUCT_NAME, version: PRODUCT_VERSION } as const;

/** A complete HAR document for `records`, in the order given. */
export function toHar(records: readonly DeliveryRecord[], options: HarOptions = {}): Har {
  return {
    log: {
      version: '1.2',
      creator: { ...HAR_CREATOR },
      entries: records.map((record) => toHarEntry(record, options)),
    },
  };
}

/**
 * The same document as `toHar`, as text, one entry at a time: a store can hold more deliveries
 * than are worth holding in memory at once.
 */
export async function* harText(
  records: AsyncIterable<DeliveryRecord> | Iterable<DeliveryRecord>,
  options: HarOptions = {},
): AsyncGenerator<string> {
  yield `{\n  "log": {\n    "version": "1.2",\n    "creator": ${JSON.stringify(HAR_CREATOR)},\n    "entries": [`;
  let first = true;
  for await (const record of records) {
    // JSON.stringify never puts a raw newline inside a string, so indenting by line is safe.
    const entry = JSON.stringify(toHarEntry(record, options), null, 2).replace(/\n/g, '\n      ');
    yield `${first ? '\n' : ',\n'}      ${entry}`;
    first = false;
  }
  yield first ? ']\n  }\n}\n' : '\n    ]\n  }\n}\n';
}

export function toHarEntry(record: DeliveryRecord, options: HarOptions = {}): HookLensEntry {
  const headers = redactHeaders(record.headers, options);
  const { body, bodyEncoding } = exportedBody(record.bodyBase64);
  const contentType = headerValue(record.headers, 'content-type') ?? '';
  const postData: (PostData & { encoding?: 'base64' }) | undefined =
    record.bodySize === 0
      ? undefined
      : bodyEncoding === 'utf8'
        ? { mimeType: contentType, text: body }
        : // HAR 1.2 gives postData no `encoding`; this mirrors `content.encoding`, which it does.
          { mimeType: contentType, text: body, encoding: 'base64' };
  const response = record.response;
  const waitMs = Math.max(0, response?.timeMs ?? 0);
  return {
    startedDateTime: record.receivedAt,
    time: waitMs,
    request: {
      method: record.method,
      url: absoluteUrl(record),
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: harHeaders(headers),
      queryString: queryString(record.url),
      ...(postData ? { postData } : {}),
      headersSize: -1,
      bodySize: record.bodySize,
    },
    response: {
      status: response?.status ?? 0,
      statusText: response ? (STATUS_CODES[response.status] ?? '') : '',
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: harHeaders(redactHeaders(response?.headers ?? [])),
      content: {
        size: Buffer.byteLength(response?.body ?? '', 'utf8'),
        mimeType: headerValue(response?.headers ?? [], 'content-type') ?? '',
        text: response?.body ?? '',
      },
      redirectURL: '',
      headersSize: -1,
      // The recorded answer is kept for display and may be shortened: its real size is unknown.
      bodySize: -1,
    },
    cache: {},
    // Only the time to the answer is known; the spec's "-1" marks the phases that were not measured.
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: waitMs, receive: 0 },
    _hooklens: {
      id: record.id,
      verdict: record.verification.verdict,
      reason: record.verification.reason,
      sender: record.sender,
      event: record.event,
      sessionId: record.sessionId,
      remoteAddress: record.remoteAddress,
      duplicateOf: record.duplicateOf,
      retryCount: retryCount({
        replayCount: record.attempts.filter((attempt) => attempt.kind === 'replay').length,
        duplicateCount: options.duplicateCounts?.get(record.id) ?? 0,
      }),
      parseError: record.parseError,
      attempts: record.attempts.map((attempt) => ({
        kind: attempt.kind,
        at: attempt.at,
        target: withoutUserInfo(attempt.target),
        tokenMode: attempt.tokenMode,
        status: attempt.status,
        timeMs: attempt.timeMs,
        error: attempt.error,
      })),
    },
  };
}

/** `http://<Host><path>`: HAR wants an absolute URL; the receiver only saw the path. */
function absoluteUrl(record: Pick<DeliveryRecord, 'url' | 'headers'>): string {
  if (/^https?:\/\//i.test(record.url)) return record.url; // A request in absolute form.
  const host = headerValue(record.headers, 'host')?.trim() ?? '';
  const authority = PLAIN_HOST.test(host) ? host : 'localhost';
  return `http://${authority}${record.url.startsWith('/') ? '' : '/'}${record.url}`;
}

function queryString(url: string): QueryString[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return [...new URLSearchParams(url.slice(at + 1))].map(([name, value]) => ({ name, value }));
}

function harHeaders(headers: ReadonlyArray<readonly [string, string]>): Header[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function headerValue(
  headers: ReadonlyArray<readonly [string, string]>,
  name: string,
): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** A replay target typed as `http://user:pass@host/` keeps its credentials out of the export. */
function withoutUserInfo(target: string): string {
  try {
    const url = new URL(target);
    if (url.username === '' && url.password === '') return target;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return target;
  }
}
