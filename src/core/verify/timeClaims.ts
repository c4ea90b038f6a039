// The JWT time claims (RFC 7519 §4.1.4-4.1.6), checked against a clock the caller passes in so
// tests and replays can freeze time. All three are optional; when present they must be numbers.

export interface TimeClaims {
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
}

export type TimeClaimsResult =
  | { readonly ok: true; readonly times: TimeClaims }
  | { readonly ok: false; readonly reason: string };

export type Freshness =
  /** `summary` is undefined when the token has neither `exp` nor `iat` to judge it by. */
  | { readonly ok: true; readonly summary: string | undefined }
  | { readonly ok: false; readonly verdict: 'expired' | 'not_yet_valid'; readonly reason: string };

const TIME_CLAIM_NAMES = ['exp', 'nbf', 'iat'] as const;
const SECONDS_PER_YEAR = 365.25 * 24 * 3600;

export function readTimeClaims(claims: Record<string, unknown>): TimeClaimsResult {
  const times: { exp?: number; nbf?: number; iat?: number } = {};
  for (const name of TIME_CLAIM_NAMES) {
    if (!Object.hasOwn(claims, name)) continue;
    const value = claims[name];
    if (typeof value !== 'number') {
      return {
        ok: false,
        reason: `The token's "${name}" claim is ${describeValue(value)}, but it must be a number of seconds since 1970.`,
      };
    }
    if (!Number.isFinite(value)) {
      return { ok: false, reason: `The token's "${name}" claim is too large to be a time.` };
    }
    times[name] = value;
  }
  return { ok: true, times };
}

/**
 * Expired when `exp <= now - tolerance`, not yet valid when `nbf` or `iat` is after
 * `now + tolerance`: the same boundaries jsonwebtoken uses for exp and nbf. A future `iat` is
 * refused too, which neither common library does by default (catalogue J-12).
 */
export function checkFreshness(
  times: TimeClaims,
  nowMs: number,
  toleranceSeconds: number,
): Freshness {
  const now = nowMs / 1000;
  const tolerance = `the ${toleranceSeconds}-second clock tolerance`;
  if (times.exp !== undefined && times.exp <= now - toleranceSeconds) {
    const ago = describeDuration(now - times.exp);
    return {
      ok: false,
      verdict: 'expired',
      reason: `The token had expired ${ago} before it was checked, more than ${tolerance} allows.`,
    };
  }
  if (times.nbf !== undefined && times.nbf > now + toleranceSeconds) {
    const wait = describeDuration(times.nbf - now);
    return {
      ok: false,
      verdict: 'not_yet_valid',
      reason: `When checked, the token was not valid for another ${wait} (its "nbf" claim), more than ${tolerance} allows; the sender's clock may be ahead.`,
    };
  }
  if (times.iat !== undefined && times.iat > now + toleranceSeconds) {
    const ahead = describeDuration(times.iat - now);
    return {
      ok: false,
      verdict: 'not_yet_valid',
      reason: `The token says it was issued ${ahead} after it was checked (its "iat" claim), more than ${tolerance} allows; the sender's clock may be ahead.`,
    };
  }
  return { ok: true, summary: summarise(times, now, tolerance) };
}

/**
 * Said relative to the check ("had 5 minutes left when checked"), never to the reader's now: the
 * sentence is stored with the delivery and read long after ("expires in 5 minutes" went stale).
 */
function summarise(times: TimeClaims, now: number, tolerance: string): string | undefined {
  if (times.exp !== undefined) {
    return times.exp > now
      ? `the token had ${describeDuration(times.exp - now)} left when checked`
      : `the token had expired ${describeDuration(now - times.exp)} before it was checked, within ${tolerance}`;
  }
  if (times.iat !== undefined) {
    const when =
      times.iat <= now
        ? `${describeDuration(now - times.iat)} before it was checked`
        : `${describeDuration(times.iat - now)} after it was checked, within ${tolerance}`;
    return `the token carries no expiry (it was issued ${when})`;
  }
  return undefined;
}

/** "61 seconds", "3 minutes", "2 hours", "5 days", "12 years": rounded, for people. */
export function describeDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 90) return plural(Math.round(abs), 'second');
  if (abs < 3600) return plural(Math.round(abs / 60), 'minute');
  if (abs < 48 * 3600) return plural(Math.round(abs / 3600), 'hour');
  if (abs < 2 * SECONDS_PER_YEAR) return plural(Math.round(abs / 86400), 'day');
  if (abs < 100 * SECONDS_PER_YEAR) return plural(Math.round(abs / SECONDS_PER_YEAR), 'year');
  return 'more than 100 years';
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  return `a value of type ${typeof value}`;
}
