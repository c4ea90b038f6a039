// Signs sample events the way their sender does and sends them, once or as a small paced load.
// Deliberately broken tokens (wrong key, long expired) or none at all exercise the handler's
// rejection path. Bounded on purpose: this is a developer's test tool, not a load generator.
import { performance } from 'node:perf_hooks';
import { OutboundAgents, sendOutbound, type OutboundFailureKind } from '../forward/outbound';
import { secretBytes, type SecretValue } from '../verify/hmac';
import { DEFAULT_EXPIRES_IN_SECONDS, signToken } from '../verify/sign';
import { defaultRandom, type RandomSource } from './random';
import { SimulateError, type BuiltEvent } from './templates';

/**
 * `valid`: signed as the sender signs (Watson: a fresh HS256 JWT; Rapida: nothing).
 * `bad-signature`: a well-formed JWT signed with a random key. `expired`: signed with the secret
 * but expired 55 minutes ago. `unsigned`: no Authorization at all.
 */
export type SendMode = 'valid' | 'bad-signature' | 'expired' | 'unsigned';

/** What went in Authorization: `template` means a header the user template itself carries. */
export type TokenSent = 'valid' | 'bad-signature' | 'expired' | 'none' | 'template';

export const MAX_SEND_COUNT = 10_000;
export const MAX_SEND_RATE = 1_000;
/** Requests in flight at most, so a slow handler at a high rate cannot pile up sockets. */
export const MAX_IN_FLIGHT = 256;
/** How much of each answer is kept for display. */
export const ANSWER_PREVIEW_BYTES = 200;
/** An expired token's `exp` lies this far back: beyond any clock tolerance (at most 600 s). */
const EXPIRED_FOR_SECONDS = 55 * 60;

export interface SignEventOptions {
  readonly secret?: SecretValue;
  readonly mode: SendMode;
  readonly nowMs: number;
  readonly random?: RandomSource;
}

export interface SignedEvent extends BuiltEvent {
  readonly token: TokenSent;
}

/**
 * Puts the Authorization header the mode asks for on an event: a bare token, as Watson sends it
 * (webhook-senders §1.4), with `iat` now and `exp` 300 s later; no other claims are documented.
 * A `jwt` event in `valid` mode without a secret goes unsigned. Throws SimulateError for
 * `expired` without a secret: a token that fails for another reason would test the wrong thing.
 */
export function signEvent(event: BuiltEvent, options: SignEventOptions): SignedEvent {
  const isAuthorization = ([name]: readonly [string, string]): boolean =>
    name.toLowerCase() === 'authorization';
  const withoutAuthorization = event.headers.filter((header) => !isAuthorization(header));
  const withToken = (token: string, sent: TokenSent): SignedEvent => ({
    ...event,
    headers: [...withoutAuthorization, ['Authorization', token]],
    token: sent,
  });
  switch (options.mode) {
    case 'unsigned':
      return { ...event, headers: withoutAuthorization, token: 'none' };
    case 'valid':
      if (event.auth === 'none') {
        return { ...event, token: event.headers.some(isAuthorization) ? 'template' : 'none' };
      }
      if (options.secret === undefined) {
        return { ...event, headers: withoutAuthorization, token: 'none' };
      }
      return withToken(signToken(options.secret, {}, { nowMs: options.nowMs }), 'valid');
    case 'bad-signature':
      return withToken(
        signToken(
          wrongKey(options.secret, options.random ?? defaultRandom),
          {},
          {
            nowMs: options.nowMs,
          },
        ),
        'bad-signature',
      );
    case 'expired': {
      if (options.secret === undefined) {
        throw new SimulateError(
          'An expired token has to be signed with the secret, or the handler would reject it for its signature instead.',
        );
      }
      const issuedMs = options.nowMs - (EXPIRED_FOR_SECONDS + DEFAULT_EXPIRES_IN_SECONDS) * 1000;
      return withToken(signToken(options.secret, {}, { nowMs: issuedMs }), 'expired');
    }
  }
}

/** 32 random bytes that are not the secret. */
function wrongKey(secret: SecretValue | undefined, random: RandomSource): Buffer {
  const key = Buffer.from(random(32));
  if (secret !== undefined && key.equals(secretBytes(secret))) key[0] = (key[0] ?? 0) ^ 0xff;
  return key;
}

/** The answers a mode hopes for: 2xx for valid events, 401 or 403 when the point is rejection. */
export function isExpectedStatus(status: number | null, mode: SendMode): boolean {
  if (status === null) return false;
  return mode === 'valid' ? status >= 200 && status < 300 : status === 401 || status === 403;
}

export interface SendResult {
  /** 0-based position in the run. */
  readonly index: number;
  readonly template: string;
  readonly sender: string;
  readonly event: string | null;
  readonly id: string | null;
  readonly token: TokenSent;
  /** The handler's status; null when there was no answer (or the event could not be built). */
  readonly status: number | null;
  readonly timeMs: number;
  readonly error: string | null;
  readonly failureKind: OutboundFailureKind | 'build' | null;
  /** The start of the answer's body, as text. */
  readonly answer: string;
}

export interface SendSummary {
  readonly requested: number;
  /** Requests made (fewer than requested when cancelled). */
  readonly sent: number;
  /** Requests that got an HTTP answer. */
  readonly answered: number;
  /** Answers by status code. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Requests with no answer: refused, timed out, reset, redirected, or not built. */
  readonly failures: number;
  /** Answers `isExpectedStatus` accepts for the mode. */
  readonly expected: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly elapsedMs: number;
  readonly cancelled: boolean;
}

export interface SendEventsOptions {
  /** 1 to 10,000; clamped. */
  readonly count: number;
  /** Events per second, up to 1,000 (clamped). Absent: one after another, each after the last answer. */
  readonly ratePerSecond?: number;
  readonly secret?: SecretValue;
  readonly mode: SendMode;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onResult?: (result: SendResult) => void;
  /** Shared keep-alive agents; made (and disposed of) per run when absent. */
  readonly agents?: OutboundAgents;
  /** The wall clock that builds and signs each event; defaults to Date.now. */
  readonly now?: () => number;
  readonly random?: RandomSource;
}

/**
 * Builds, signs and sends `count` events to `target` and summarises the answers. Never throws:
 * an event that cannot be built or sent is a failure in the summary. Out-of-range options are
 * clamped; callers that take them from users should refuse them with a message first.
 */
export async function sendEvents(
  target: URL,
  build: (index: number, nowMs: number) => BuiltEvent,
  options: SendEventsOptions,
): Promise<SendSummary> {
  const count = clamp(Math.floor(options.count), 1, MAX_SEND_COUNT, 1);
  const rate =
    options.ratePerSecond === undefined
      ? undefined
      : clamp(options.ratePerSecond, Number.MIN_VALUE, MAX_SEND_RATE, MAX_SEND_RATE);
  const now = options.now ?? Date.now;
  const agents = options.agents ?? new OutboundAgents();
  const statuses: Record<string, number> = {};
  const times: number[] = [];
  let sent = 0;
  let failures = 0;
  let expected = 0;
  const started = performance.now();

  const sendOne = async (index: number): Promise<void> => {
    const result = await attempt(target, build, index, now, agents, options);
    sent++;
    if (result.status === null) failures++;
    else {
      statuses[String(result.status)] = (statuses[String(result.status)] ?? 0) + 1;
      times.push(result.timeMs);
      if (isExpectedStatus(result.status, options.mode)) expected++;
    }
    try {
      options.onResult?.(result);
    } catch {
      // A failing listener (a closed stdout) must not stop the run or lose the summary.
    }
  };

  const inFlight = new Set<Promise<void>>();
  let cancelled = false;
  try {
    for (let index = 0; index < count; index++) {
      if (rate !== undefined) await sleepUntil(started + (index * 1000) / rate, options.signal);
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      const pending = sendOne(index).finally(() => inFlight.delete(pending));
      inFlight.add(pending);
      if (rate === undefined) await pending;
    }
    await Promise.all(inFlight);
  } finally {
    if (options.agents === undefined) agents.dispose();
  }
  times.sort((a, b) => a - b);
  return {
    requested: count,
    sent,
    answered: times.length,
    statuses,
    failures,
    expected,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    elapsedMs: Math.round(performance.now() - started),
    cancelled: cancelled || options.signal?.aborted === true,
  };
}

async function attempt(
  target: URL,
  build: (index: number, nowMs: number) => BuiltEvent,
  index: number,
  now: () => number,
  agents: OutboundAgents,
  options: SendEventsOptions,
): Promise<SendResult> {
  let signed: SignedEvent;
  try {
    const nowMs = now();
    signed = signEvent(build(index, nowMs), {
      secret: options.secret,
      mode: options.mode,
      nowMs,
      random: options.random,
    });
  } catch (error) {
    return {
      index,
      template: '',
      sender: 'unknown',
      event: null,
      id: null,
      token: 'none',
      status: null,
      timeMs: 0,
      error: `The event could not be built: ${error instanceof Error ? error.message : String(error)}`,
      failureKind: 'build',
      answer: '',
    };
  }
  const outcome = await sendOutbound(
    target,
    { method: signed.method, headers: signed.headers, body: signed.body },
    {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      agents,
      maxResponseBytes: ANSWER_PREVIEW_BYTES,
    },
  );
  const base = {
    index,
    template: signed.template,
    sender: signed.sender,
    event: signed.event,
    id: signed.id,
    token: signed.token,
    timeMs: outcome.timeMs,
  };
  if (outcome.ok) {
    return {
      ...base,
      status: outcome.response.status,
      error: null,
      failureKind: null,
      answer: outcome.response.body.toString('utf8'),
    };
  }
  return {
    ...base,
    status: null,
    error: outcome.message,
    failureKind: outcome.kind,
    answer: outcome.response?.body.toString('utf8') ?? '',
  };
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  if (Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  return Math.round(value * 10) / 10;
}

/** Waits until `performance.now()` reaches `dueMs`, or the signal aborts. */
function sleepUntil(dueMs: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = dueMs - performance.now();
  if (wait <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    signal?.addEventListener('abort', done, { once: true });
  });
}
