// Turning one outbound request's outcome into a stored Attempt, and deciding whether and when to
// try again. Pure functions: the forwarder and the replay runner share them.
import type { Attempt, RecordedResponse } from '../delivery';
import { newDeliveryId } from '../ids';
import type { OutboundResponse, OutboundResult } from './outbound';

/** How much of a handler's answer is kept for display in the store. */
export const RECORDED_BODY_CHARS = 64 * 1024;

export interface AttemptContext {
  readonly kind: Attempt['kind'];
  readonly target: string;
  readonly tokenMode: Attempt['tokenMode'];
  readonly sentBodySha256: string;
  readonly bodyEdited?: boolean;
  /** The route whose target this was, when a route chose it. */
  readonly route?: string;
  readonly nowMs?: number;
}

export function recordedResponse(response: OutboundResponse, timeMs: number): RecordedResponse {
  const text = response.body.toString('utf8');
  const truncated = response.bodyTruncated || text.length > RECORDED_BODY_CHARS;
  return {
    status: response.status,
    headers: response.headers.map(([name, value]) => [name, value]),
    body: truncated ? `${text.slice(0, RECORDED_BODY_CHARS)}\n[… truncated by HookLens]` : text,
    timeMs,
  };
}

export function attemptFrom(result: OutboundResult, context: AttemptContext): Attempt {
  const nowMs = context.nowMs ?? Date.now();
  const response = result.response ? recordedResponse(result.response, result.timeMs) : null;
  return {
    id: newDeliveryId(nowMs),
    kind: context.kind,
    at: new Date(nowMs).toISOString(),
    target: context.target,
    tokenMode: context.tokenMode,
    ...(context.bodyEdited ? { bodyEdited: true } : {}),
    ...(context.route === undefined ? {} : { route: context.route }),
    sentBodySha256: context.sentBodySha256,
    status: result.ok ? result.response.status : (result.response?.status ?? null),
    timeMs: result.timeMs,
    error: result.ok ? null : result.message,
    response,
  };
}

/** True when the handler answered with a status that means "delivered" (2xx). */
export function isDelivered(result: OutboundResult): boolean {
  return result.ok && result.response.status >= 200 && result.response.status < 300;
}

/** Network failures, 408, 429 and 5xx are worth another try; redirects and 4xx are not. */
export function isRetryable(result: OutboundResult): boolean {
  if (!result.ok) {
    return result.kind !== 'redirect' && result.kind !== 'cancelled' && result.kind !== 'too-large';
  }
  const status = result.response.status;
  return status === 408 || status === 429 || status >= 500;
}

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_DELAY_MS = 60_000;
/** A handler asking for longer than this is still retried, but no later than this. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

/**
 * Exponential backoff with jitter (half fixed, half random) for retry number `retry` (1-based),
 * unless the handler's `Retry-After` (seconds or an HTTP date) asks for something specific.
 */
export function retryDelayMs(
  retry: number,
  result: OutboundResult,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  const retryAfter = result.response?.headers.find(
    ([name]) => name.toLowerCase() === 'retry-after',
  )?.[1];
  const asked = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, nowMs);
  if (asked !== undefined) return Math.min(asked, RETRY_AFTER_CAP_MS);
  const exponential = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, retry - 1), RETRY_MAX_DELAY_MS);
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → milliseconds from now. */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, at - nowMs);
}
