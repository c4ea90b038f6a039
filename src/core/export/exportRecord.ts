// The exported shape of a delivery (NDJSON lines, `listen --json`): stable field names, the
// Authorization value redacted, the body as text when it is UTF-8 and base64 otherwise.
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
  readonly verification: { readonly verdict: string; readonly reason: string };
  readonly status: number | null;
  readonly timeMs: number | null;
  readonly retryCount: number;
  readonly duplicateOf: string | null;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** `Bearer eyJ…` becomes `Bearer [redacted]`: the scheme stays readable, the credential does not. */
export function redactAuthorization(value: string): string {
  const match = /^\s*(bearer|basic|token)\s+/i.exec(value);
  return match ? `${match[1]} [redacted]` : '[redacted]';
}

export function redactHeaders(headers: DeliveryRecord['headers']): Array<[string, string]> {
  return headers.map(([name, value]) => [
    name,
    /^(authorization|proxy-authorization|cookie)$/i.test(name) ? redactAuthorization(value) : value,
  ]);
}

export function exportDelivery(record: DeliveryRecord, duplicateCount = 0): ExportedDelivery {
  const bytes = Buffer.from(record.bodyBase64, 'base64');
  let body: string;
  let bodyEncoding: 'utf8' | 'base64';
  try {
    body = decoder.decode(bytes);
    bodyEncoding = 'utf8';
  } catch {
    body = record.bodyBase64;
    bodyEncoding = 'base64';
  }
  const latest = record.attempts.at(-1);
  return {
    id: record.id,
    receivedAt: record.receivedAt,
    method: record.method,
    path: record.url,
    remoteAddress: record.remoteAddress,
    headers: redactHeaders(record.headers),
    body,
    bodyEncoding,
    bodySha256: record.bodySha256,
    parseError: record.parseError,
    sender: record.sender,
    event: record.event,
    sessionId: record.sessionId,
    verification: { verdict: record.verification.verdict, reason: record.verification.reason },
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
