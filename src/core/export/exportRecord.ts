// The exported shape of a delivery (NDJSON lines, `listen --json`): stable field names, the
// Authorization value redacted (unless the user asks to keep it), the body as text when it is
// UTF-8 and base64 otherwise. The configured secret never reaches an export: ingest already
// replaced any header that carried it, so keeping Authorization keeps only real tokens.
import { CREDENTIAL_HEADERS } from '../secrets/redaction';
import type { DeliveryRecord } from '../delivery';

export interface ExportedDelivery {
  readonly id: string;
  readonly receivedAt: string;
  readonly method: string;
  readonly path: string;
  readonly remoteAddress: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  readonly bodySha256: string;
  readonly parseError: string | null;
  readonly sender: string;
  readonly event: string | null;
  readonly sessionId: string | null;
  readonly verification: {
    readonly verdict: string;
    readonly reason: string;
    /** The scheme that checked it (`jwt`, `stripe`, `hub-signature`, …), when known. */
    readonly scheme?: string;
  };
  readonly status: number | null;
  readonly timeMs: number | null;
  readonly retryCount: number;
  readonly duplicateOf: string | null;
}

export interface ExportOptions {
  /** Keep Authorization values as stored (tokens, never the secret). Default: redacted. */
  readonly keepAuthorization?: boolean;
}

// ignoreBOM keeps a leading byte-order mark in the text, so importing gives back the same bytes.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `Bearer eyJ…` becomes `Bearer [redacted]`: the scheme stays readable, the credential does not. */
export function redactAuthorization(value: string): string {
  const match = /^\s*(bearer|basic|token)\s+/i.exec(value);
  return match ? `${match[1]} [redacted]` : '[redacted]';
}

/**
 * Credentials in headers (Authorization, cookies, and the well-known token headers such as
 * X-Gitlab-Token, X-Telegram-Bot-Api-Secret-Token, X-API-Key): redacted in every export and
 * display unless said otherwise. Signatures are not credentials and stay.
 */
const CREDENTIAL_HEADER_NAMES: ReadonlySet<string> = new Set([...CREDENTIAL_HEADERS, 'set-cookie']);

function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER_NAMES.has(name.toLowerCase());
}

export function redactHeaders(
  headers: DeliveryRecord['headers'],
  options: ExportOptions = {},
): Array<[string, string]> {
  return headers.map(([name, value]) => [
    name,
    isCredentialHeader(name) && !(options.keepAuthorization && /^authorization$/i.test(name))
      ? redactAuthorization(value)
      : value,
  ]);
}

/** The body as text when it is UTF-8 (BOM kept), else base64. */
export function exportedBody(bodyBase64: string): {
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
} {
  try {
    return { body: decoder.decode(Buffer.from(bodyBase64, 'base64')), bodyEncoding: 'utf8' };
  } catch {
    return { body: bodyBase64, bodyEncoding: 'base64' };
  }
}

export function exportDelivery(
  record: DeliveryRecord,
  duplicateCount = 0,
  options: ExportOptions = {},
): ExportedDelivery {
  const { body, bodyEncoding } = exportedBody(record.bodyBase64);
  const latest = record.attempts.at(-1);
  return {
    id: record.id,
    receivedAt: record.receivedAt,
    method: record.method,
    path: record.url,
    remoteAddress: record.remoteAddress,
    headers: redactHeaders(record.headers, options),
    body,
    bodyEncoding,
    bodySha256: record.bodySha256,
    parseError: record.parseError,
    sender: record.sender,
    event: record.event,
    sessionId: record.sessionId,
    verification: {
      verdict: record.verification.verdict,
      reason: record.verification.reason,
      ...(record.verification.scheme === undefined ? {} : { scheme: record.verification.scheme }),
    },
    status: latest ? latest.status : (record.response?.status ?? null),
    timeMs: latest ? latest.timeMs : (record.response?.timeMs ?? null),
    retryCount: retryCount({
      replayCount: record.attempts.filter((attempt) => attempt.kind === 'replay').length,
      duplicateCount,
    }),
    duplicateOf: record.duplicateOf,
  };
}

/** The seed's "Retry Count": the developer's replays plus the sender's own retries (duplicates). */
export function retryCount(summary: {
  readonly replayCount: number;
  readonly duplicateCount: number;
}): number {
  return summary.replayCount + summary.duplicateCount;
}
