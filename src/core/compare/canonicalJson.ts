// The compare view diffs two deliveries as canonical JSON: keys sorted at every level, two-space
// indent, every number exactly as the sender wrote it (lossless-json), so the only differences
// left are real ones. Masking hides what differs on every delivery anyway (timestamps, ids).
import { isLosslessNumber, parse } from 'lossless-json';
import type { DeliveryRecord } from '../delivery';
import { redactHeaders } from '../export/exportRecord';
import { jsonNestingDepth } from '../jsonDepth';

export interface CanonicalOptions {
  /** Replace timestamps and ids with `"<timestamp>"` / `"<id>"` so only meaningful changes show. */
  readonly maskVolatile: boolean;
}

export type CanonicalResult =
  | { readonly ok: true; readonly text: string }
  /** `text` is the input unchanged; `reason` says why it could not be made canonical. */
  | { readonly ok: false; readonly text: string; readonly reason: string };

export const TIMESTAMP_PLACEHOLDER = '<timestamp>';
export const ID_PLACEHOLDER = '<id>';
export const SIGNATURE_PLACEHOLDER = '<signature>';

/**
 * lossless-json parses recursively and overflows the stack a few thousand levels down; no real
 * webhook comes near this, so deeper bodies are compared as text instead.
 */
export const MAX_CANONICAL_DEPTH = 200;

/** The canonical text of a body, or the body unchanged when it is not JSON (or absurdly deep). */
export function canonicalJson(bodyText: string, options: CanonicalOptions): string {
  return canonicalize(bodyText, options).text;
}

/** Like `canonicalJson`, but says why a body was left as it was. */
export function canonicalize(bodyText: string, options: CanonicalOptions): CanonicalResult {
  const depth = jsonNestingDepth(bodyText);
  if (depth > MAX_CANONICAL_DEPTH) {
    return {
      ok: false,
      text: bodyText,
      reason: `The JSON is nested ${depth} levels deep (more than ${MAX_CANONICAL_DEPTH}), so it is compared as text.`,
    };
  }
  let value: unknown;
  try {
    // A key given twice with different values cannot be shown canonically without dropping one,
    // so such a body is compared as the sender wrote it (lossless-json throws on it).
    value = parse(bodyText);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, text: bodyText, reason: `The body is not JSON: ${detail}` };
  }
  const lines: string[] = [];
  writeValue(value, '', options.maskVolatile ? null : undefined, options.maskVolatile, lines);
  return { ok: true, text: `${lines.join('')}\n` };
}

export interface ComparedDocumentOptions extends CanonicalOptions {
  /** Start with the request line and the headers (sorted by name, credentials redacted). */
  readonly includeHeaders?: boolean;
}

/** The text the diff editor shows for one delivery: its body as canonical JSON, headers first. */
export function comparedDocument(
  record: Pick<DeliveryRecord, 'method' | 'url' | 'headers' | 'bodyBase64'>,
  options: ComparedDocumentOptions,
): string {
  const bytes = Buffer.from(record.bodyBase64, 'base64');
  let body: string;
  try {
    body = canonicalJson(utf8.decode(bytes), options);
  } catch {
    body = `The body (${bytes.length} bytes) is not UTF-8 text. Its bytes, base64:\n${record.bodyBase64}\n`;
  }
  if (!options.includeHeaders) return body;
  const headers = redactHeaders(record.headers)
    .map(([name, value], index) => ({ name, value, index }))
    // Sorted so a sender that reorders headers does not show as a difference; stable for repeats.
    .sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || a.index - b.index)
    .map(({ name, value }) => `${name}: ${options.maskVolatile ? maskHeader(name, value) : value}`);
  return [`${record.method} ${record.url}`, ...headers, '', body].join('\n');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Writes `value` as indented JSON into `out`. Own writer rather than lossless-json's stringify:
 * JavaScript objects list integer-like keys ("10", "9") first whatever the insertion order, so
 * only writing the keys ourselves gives one order for every key.
 * `key` is the property name the value sits under (null for array items and the root when
 * masking, undefined when not masking).
 */
function writeValue(
  value: unknown,
  indent: string,
  key: string | null | undefined,
  mask: boolean,
  out: string[],
): void {
  if (mask && key !== undefined) {
    const placeholder = volatilePlaceholder(key, value);
    if (placeholder !== undefined) {
      out.push(JSON.stringify(placeholder));
      return;
    }
  }
  if (isLosslessNumber(value)) {
    out.push(value.value);
  } else if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    if (items.length === 0) {
      out.push('[]');
      return;
    }
    const inner = `${indent}  `;
    out.push('[');
    items.forEach((item, index) => {
      out.push(index === 0 ? `\n${inner}` : `,\n${inner}`);
      writeValue(item, inner, mask ? null : undefined, mask, out);
    });
    out.push(`\n${indent}]`);
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort(compareText);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    const record = value as Record<string, unknown>;
    out.push('{');
    keys.forEach((name, index) => {
      out.push(`${index === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(name)}: `);
      writeValue(record[name], inner, mask ? name : undefined, mask, out);
    });
    out.push(`\n${indent}}`);
  } else {
    // Strings, booleans and null: lossless-json never produces plain JS numbers.
    out.push(JSON.stringify(value));
  }
}

/** UTF-16 code unit order, the order RFC 8785 (JSON canonicalization) uses; locale-independent. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** Seconds (9–10 digits), milliseconds (12–13) or microseconds (15–16) since 1970. */
const EPOCH = /^\d{9,16}(?:\.\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TIME_KEYS = new Set([
  'iat',
  'exp',
  'nbf',
  'auth_time',
  'ts',
  'time',
  'timestamp',
  'date',
  'datetime',
  'created',
  'updated',
  'modified',
  'deleted',
  'expires',
  'expiry',
  'issued',
  'sent',
  'received',
]);
/** `created_at`, `request_timestamp`, `webhook-timestamp`, `send_ts`. */
const TIME_KEY_SEPARATED = /[_-](?:at|time|timestamp|ts|date)$/i;
/** `createdAt`, `requestTimestamp`, `sentTs`; case matters, or "format" would end in "At". */
const TIME_KEY_CAMEL = /[a-z0-9](?:At|Time|Timestamp|Ts|Date)$/;
/** `id`, `uuid`, `log_id`, `x-request-id`. */
const ID_KEY_SEPARATED = /^(?:id|uuid|guid)$|[_-](?:id|uuid|guid)$/i;
/** `sessionId`, `userID`; case matters, or "paid" and "valid" would count. */
const ID_KEY_CAMEL = /[a-z0-9](?:Id|ID|Uuid|UUID|Guid|GUID)$/;

function isTimeKey(key: string): boolean {
  return (
    TIME_KEYS.has(key.toLowerCase()) || TIME_KEY_SEPARATED.test(key) || TIME_KEY_CAMEL.test(key)
  );
}

function isIdKey(key: string): boolean {
  return ID_KEY_SEPARATED.test(key) || ID_KEY_CAMEL.test(key);
}

/**
 * The placeholder for a volatile value, or undefined to keep it. Containers are never masked.
 * `value` is a string or a lossless-json number; `key` is the property it sits under (null for
 * array items). Sample events use the same judgement to decide which ids and times to refresh.
 */
export function volatilePlaceholder(key: string | null, value: unknown): string | undefined {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value : null;
  if (text === null) return undefined;
  if (typeof value === 'string' && ISO_DATE_TIME.test(text)) return TIMESTAMP_PLACEHOLDER;
  if (key !== null && isTimeKey(key)) {
    if (EPOCH.test(text) || ISO_DATE.test(text) || HTTP_DATE.test(text)) {
      return TIMESTAMP_PLACEHOLDER;
    }
  }
  if (key !== null && isIdKey(key)) return ID_PLACEHOLDER;
  if (typeof value === 'string' && UUID.test(text)) return ID_PLACEHOLDER;
  return undefined;
}

function maskHeader(name: string, value: string): string {
  if (/signature/i.test(name)) return SIGNATURE_PLACEHOLDER;
  return volatilePlaceholder(name, value) ?? value;
}
