// Builds what the detail panel shows for one stored delivery. Pure: the host posts the result to
// the webview as is. The webview must stay responsive with a 10 MB body (W-06), so a large body
// is decoded only as far as the panel shows it, and the rest is one "Open full body" away.
import type { Attempt, DeliveryRecord, RecordedResponse } from '../delivery';
import { redactHeaders, retryCount } from '../export/exportRecord';
import { senderViewOfText } from '../senders/senderView';
import {
  DEFAULT_MAX_INLINE_BODY_BYTES,
  type AttemptDetail,
  type DeliveryDetail,
  type RequestDetail,
  type ResponseDetail,
} from '../../shared/detail';

export interface DeliveryDetailOptions {
  /** How many stored deliveries repeat this one (the sender's retries), from the summary. */
  readonly duplicateCount: number;
  readonly pinned: boolean;
  /** Bodies larger than this are sent truncated, raw only. Default 256 KiB. */
  readonly maxInlineBodyBytes?: number;
}

export function buildDeliveryDetail(
  record: DeliveryRecord,
  options: DeliveryDetailOptions,
): DeliveryDetail {
  const request = requestDetail(
    record,
    options.maxInlineBodyBytes ?? DEFAULT_MAX_INLINE_BODY_BYTES,
  );
  const latest = record.attempts.at(-1);
  const status = latest ? latest.status : (record.response?.status ?? null);
  const timeMs = latest ? latest.timeMs : (record.response?.timeMs ?? null);
  const attempts = record.attempts.map((attempt) => attemptDetail(attempt, record.bodySha256));
  const forward = [...attempts].reverse().find((attempt) => attempt.kind === 'forward') ?? null;
  const { header, claims } = record.verification;
  const senderView =
    !request.truncated && request.bodyEncoding === 'utf8' && record.parseError === null
      ? senderViewOfText(request.bodyText, record.sender, record.event)
      : null;
  return {
    overview: {
      id: record.id,
      sessionId: record.sessionId,
      event: record.event,
      endpoint: `${record.method} ${record.url}`,
      // Same rule as the tree's summary, so the panel and the tree never disagree.
      httpStatus: typeof status === 'number' ? status : null,
      timeTakenMs: typeof timeMs === 'number' ? timeMs : null,
      retryCount: retryCount({
        replayCount: record.attempts.filter((attempt) => attempt.kind === 'replay').length,
        duplicateCount: options.duplicateCount,
      }),
      createdAt: record.receivedAt,
      verdict: record.verification.verdict,
      verdictReason: record.verification.reason,
      sender: record.sender,
    },
    pinned: options.pinned,
    request,
    response: record.response ? responseDetail(record.response) : null,
    forward,
    auth: {
      verdict: record.verification.verdict,
      reason: record.verification.reason,
      tokenPresent: record.headers.some(
        ([name, value]) => name.toLowerCase() === 'authorization' && value.trim() !== '',
      ),
      ...(isRecord(header) ? { header } : {}),
      ...(isRecord(claims) ? { claims } : {}),
    },
    attempts,
    senderView,
    duplicateOf: record.duplicateOf,
    duplicateCount: options.duplicateCount,
  };
}

function requestDetail(record: DeliveryRecord, maxInlineBytes: number): RequestDetail {
  const contentType =
    record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  return {
    method: record.method,
    url: record.url,
    headers: redactHeaders(record.headers),
    contentType,
    ...displayedBody(record.bodyBase64, maxInlineBytes),
    parseError: record.parseError,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface DisplayedBody {
  readonly bodyText: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  readonly bodySize: number;
  readonly truncated: boolean;
}

/** The body's text, or its first `maxBytes` bytes, decoding no more of the base64 than that. */
export function displayedBody(bodyBase64: string, maxBytes: number): DisplayedBody {
  const bodySize = base64ByteLength(bodyBase64);
  const truncated = bodySize > maxBytes;
  const bytes = truncated
    ? Buffer.from(bodyBase64.slice(0, Math.ceil(maxBytes / 3) * 4), 'base64').subarray(0, maxBytes)
    : Buffer.from(bodyBase64, 'base64');
  // A cut can split a multi-byte character: drop up to three trailing bytes before giving up.
  const attempts = truncated ? 4 : 1;
  for (let dropped = 0; dropped < attempts && dropped <= bytes.length; dropped++) {
    try {
      const text = utf8.decode(bytes.subarray(0, bytes.length - dropped));
      return { bodyText: text, bodyEncoding: 'utf8', bodySize, truncated };
    } catch {
      // Not UTF-8 at this cut; try a shorter one.
    }
  }
  return {
    bodyText: truncated ? bytes.toString('base64') : bodyBase64,
    bodyEncoding: 'base64',
    bodySize,
    truncated,
  };
}

function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

function attemptDetail(attempt: Attempt, capturedSha256: string): AttemptDetail {
  return {
    id: attempt.id,
    kind: attempt.kind,
    at: attempt.at,
    target: attempt.target,
    tokenMode: attempt.tokenMode,
    bodyEdited: attempt.bodyEdited === true,
    sentBodyIdentical:
      typeof attempt.sentBodySha256 === 'string' ? attempt.sentBodySha256 === capturedSha256 : null,
    status: typeof attempt.status === 'number' ? attempt.status : null,
    timeMs: typeof attempt.timeMs === 'number' ? attempt.timeMs : null,
    error: attempt.error,
    response: attempt.response ? responseDetail(attempt.response) : null,
  };
}

function responseDetail(response: RecordedResponse): ResponseDetail {
  return {
    status: response.status,
    headers: response.headers.map(([name, value]) => [name, value] as const),
    body: response.body,
    timeMs: response.timeMs,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
