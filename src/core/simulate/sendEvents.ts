// Signs sample events the way their sender signs (the provider's verification scheme, its secret)
// and sends them, once or as a small paced load. Deliberately broken signatures (a wrong secret,
// an expired timestamp) or none at all exercise the handler's rejection path. Bounded on purpose:
// this is a developer's test tool, not a load generator.
import { performance } from 'node:perf_hooks';
import type { SigningSettings } from '../forward/replay';
import {
  OutboundAgents,
  sendOutbound,
  type OutboundFailureKind,
  type OutboundResponse,
} from '../forward/outbound';
import { DEFAULT_EXPIRES_IN_SECONDS } from '../verify/sign';
import { defaultRandom, type RandomSource } from './random';
import {
  EXPIRED_SIGNATURE_AGE_MS,
  eventSigning,
  secretForEvent,
  signedHeaders,
  throwawayEd25519Headers,
  withoutSignature,
  wrongSecret,
  type EventSigning,
  type SignableRequest,
} from './signing';
import { isSignedAuth, SimulateError, type BuiltEvent } from './templates';

/**
 * `valid`: signed as the sender signs. `bad-signature`: signed the same way with a wrong secret.
 * `expired`: signed with the secret at a time long past (a JWT expired 55 minutes ago, a
 * timestamped signature 10 minutes old). `unsigned`: without the scheme's headers at all.
 */
export type SendMode = 'valid' | 'bad-signature' | 'expired' | 'unsigned';

/** What the signature was: `template` means one the user template itself carries. */
export type TokenSent = 'valid' | 'bad-signature' | 'expired' | 'none' | 'template';

export const MAX_SEND_COUNT = 10_000;
export const MAX_SEND_RATE = 1_000;
/** Requests in flight at most, so a slow handler at a high rate cannot pile up sockets. */
export const MAX_IN_FLIGHT = 256;
/** How much of each answer is kept for display. */
export const ANSWER_PREVIEW_BYTES = 200;
/** An expired JWT's `exp` lies this far back: beyond any clock tolerance (at most 600 s). */
const EXPIRED_FOR_SECONDS = 55 * 60;

export interface SignEventOptions {
  /** A lone default JWT secret (Watson, Rapida, generic); added to `signing`'s secrets. */
  readonly secret?: string;
  /** The configured secrets and the schemes' settings (JWT algorithms, public URL, …). */
  readonly signing?: SigningSettings;
  readonly mode: SendMode;
  readonly nowMs: number;
  /** The path and query the event goes to; defaults to the event's own path. */
  readonly url?: string;
  readonly random?: RandomSource;
}

export interface SignedEvent extends BuiltEvent {
  readonly token: TokenSent;
}

function signable(event: BuiltEvent, url: string | undefined): SignableRequest {
  return {
    sender: event.sender,
    method: event.method,
    url: url ?? event.path,
    headers: event.headers,
    body: event.body,
  };
}

/**
 * Why `mode` cannot be made for events of `sender`, or undefined when it can: a public-key
 * scheme (Discord) cannot be signed here at all, and a scheme without a timestamp (GitHub,
 * Shopify…) has no "expired" signature. For callers to refuse up front, with this sentence.
 */
export function sendModeProblem(
  event: BuiltEvent,
  mode: SendMode,
  signing?: SigningSettings,
): string | undefined {
  if (mode !== 'expired') return undefined;
  const how = eventSigning(signable(event, undefined), signing, Date.now());
  const label = how.identity.label;
  if (!how.canSign) {
    return `${label} signs with a private key that only ${label} holds, so HookLens cannot make a valid ${label} signature, expired or not.`;
  }
  if (!how.timestamped) {
    return `${label} deliveries are signed without a timestamp, so none can be expired: a handler has nothing to judge their age by (a replayed ${label} delivery verifies; dedupe on its delivery id instead).`;
  }
  return undefined;
}

/** How this event is signed, for a line saying so: the provider, and whether it can be. */
export function describeSigning(
  event: BuiltEvent,
  signing?: SigningSettings,
): Pick<EventSigning, 'canSign' | 'timestamped'> & {
  readonly label: string;
  readonly scheme: string;
  readonly noun: string;
  readonly usesDefaultSecret: boolean;
  readonly cannotSign: string | undefined;
} {
  const how = eventSigning(signable(event, undefined), signing, Date.now());
  return {
    canSign: how.canSign,
    timestamped: how.timestamped,
    label: how.identity.label,
    scheme: how.identity.scheme.id,
    noun: how.identity.noun,
    usesDefaultSecret: how.identity.usesDefaultSecret,
    cannotSign: how.identity.scheme.cannotSign,
  };
}

/**
 * The label of the configured secret that signs this event when it is sent to `url` (a path may
 * have its own secret), or undefined when none does.
 */
export function signingSecretLabel(
  event: BuiltEvent,
  signing?: SigningSettings,
  url?: string,
): string | undefined {
  const request = signable(event, url);
  const how = eventSigning(request, signing, Date.now());
  return secretForEvent(request, how, signing)?.label;
}

/**
 * Signs an event the way the mode asks, with its provider's scheme: Watson's bare JWT with `iat`
 * now and `exp` 300 s later (webhook-senders §1.4), Stripe's `t=…,v1=…`, GitHub's
 * `X-Hub-Signature-256`, and so on. A signed event without a secret goes unsigned; a sender that
 * signs nothing (Rapida) is sent as it is. Throws SimulateError for a mode that cannot be made
 * (see sendModeProblem) and for `expired` without a secret: a signature that fails for another
 * reason would test the wrong thing.
 */
export function signEvent(event: BuiltEvent, options: SignEventOptions): SignedEvent {
  const request = signable(event, options.url);
  const how = eventSigning(request, options.signing, options.nowMs);
  const bare = withoutSignature(request, how);
  const secret = secretForEvent(request, how, options.signing, options.secret);
  const signWith = (chosen: typeof secret & object, nowMs: number): BuiltEvent['headers'] => {
    try {
      return signedHeaders({ ...request, headers: bare }, how, chosen, options.signing, nowMs);
    } catch (error) {
      throw new SimulateError(
        `${event.template} cannot be signed as ${how.identity.label}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  switch (options.mode) {
    case 'unsigned':
      return { ...event, headers: bare, token: 'none' };
    case 'valid':
      if (!isSignedAuth(event.auth)) {
        const carries = event.headers.some(([name]) =>
          how.signatureHeaders.has(name.toLowerCase()),
        );
        return { ...event, token: carries ? 'template' : 'none' };
      }
      if (!how.canSign || secret === undefined) return { ...event, headers: bare, token: 'none' };
      return { ...event, headers: signWith(secret, options.nowMs), token: 'valid' };
    case 'bad-signature':
      if (!how.canSign) {
        return {
          ...event,
          headers: throwawayEd25519Headers({ ...request, headers: bare }, options.nowMs),
          token: 'bad-signature',
        };
      }
      return {
        ...event,
        headers: signWith(
          wrongSecret(secret?.value, options.random ?? defaultRandom),
          options.nowMs,
        ),
        token: 'bad-signature',
      };
    case 'expired': {
      const problem = sendModeProblem(event, 'expired', options.signing);
      if (problem !== undefined) throw new SimulateError(problem);
      if (secret === undefined) {
        throw new SimulateError(
          'An expired signature has to be made with the secret, or the handler would reject it for its signature instead.',
        );
      }
      // A JWT is expired by its `exp`: issued long enough ago that no tolerance saves it.
      const signedAt =
        how.identity.scheme.id === 'jwt'
          ? options.nowMs - (EXPIRED_FOR_SECONDS + DEFAULT_EXPIRES_IN_SECONDS) * 1000
          : options.nowMs - EXPIRED_SIGNATURE_AGE_MS;
      return { ...event, headers: signWith(secret, signedAt), token: 'expired' };
    }
  }
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
  /** A lone default JWT secret; see SignEventOptions. */
  readonly secret?: string;
  /** The configured secrets and scheme settings events are signed with. */
  readonly signing?: SigningSettings;
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
      // A URL-bound scheme (Twilio) signs the URL the event goes to, unless a public one is set.
      signing: {
        secrets: options.signing?.secrets ?? [],
        ...options.signing,
        publicBaseUrl: options.signing?.publicBaseUrl ?? target.origin,
      },
      url: `${target.pathname}${target.search}`,
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
  const answered = (response: OutboundResponse): SendResult => ({
    ...base,
    status: response.status,
    error: null,
    failureKind: null,
    answer: response.body.toString('utf8'),
  });
  if (outcome.ok) return answered(outcome.response);
  // Only the start of the answer is read: a longer one is still an answer, with its status.
  if (outcome.kind === 'too-large' && outcome.response !== undefined) {
    return answered(outcome.response);
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
