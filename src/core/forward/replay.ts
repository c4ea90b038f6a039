// Replay: send a stored delivery again, to the forward target or a URL the user chose, with its
// original Authorization or a fresh token signed with the current secret. Each replay becomes an
// Attempt on the delivery; the delivery itself (body, headers, verdict) never changes.
import type { Attempt, DeliveryRecord } from '../delivery';
import type { DeliveryStore } from '../store/deliveryStore';
import { StoreWriteError } from '../store/errors';
import { readAuthorization } from '../verify/authorizationHeader';
import type { SecretValue } from '../verify/hmac';
import { DEFAULT_EXPIRES_IN_SECONDS, signToken } from '../verify/sign';
import { attemptFrom } from './attempt';
import { sendOutbound, sha256Hex, type OutboundAgents, type OutboundRequest } from './outbound';

export type TokenMode = 'original' | 'fresh';

export interface ReplayRequestOptions {
  readonly tokenMode: TokenMode;
  /** Needed for `fresh`: the current secret. */
  readonly secret?: SecretValue;
  /** An edited body to send instead of the stored one (edit and replay). */
  readonly body?: Buffer;
  readonly nowMs?: number;
}

export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

/** Marks a re-signed replay, so a handler can tell it from the sender's own retry (F-05). */
export const REPLAY_MARKER_HEADER: readonly [string, string] = ['X-Replay', 'true'];

/**
 * A fresh Authorization value for a stored delivery: the original claims (from its decoded token)
 * with a new `iat` and `exp`, HS256, in the original form (bare as Watson sends it, or Bearer).
 */
export function freshAuthorization(
  record: DeliveryRecord,
  secret: SecretValue,
  nowMs: number = Date.now(),
): string {
  const claims = record.verification.claims ?? {};
  const issuedAt = typeof claims.iat === 'number' ? claims.iat : undefined;
  const expires = typeof claims.exp === 'number' ? claims.exp : undefined;
  // Keep the sender's token lifetime when it is a sensible one.
  const lifetime =
    issuedAt !== undefined && expires !== undefined && expires > issuedAt
      ? Math.min(expires - issuedAt, 24 * 3600)
      : DEFAULT_EXPIRES_IN_SECONDS;
  const nowSeconds = Math.floor(nowMs / 1000);
  const kept: Record<string, unknown> = Object.fromEntries(Object.entries(claims));
  if ('nbf' in kept) kept.nbf = nowSeconds;
  const token = signToken(secret, kept, {
    algorithm: 'HS256',
    expiresInSeconds: lifetime,
    nowMs,
  });
  const originals = record.headers.filter(([name]) => name.toLowerCase() === 'authorization');
  const original = originals.length === 1 ? readAuthorization(originals[0]?.[1]) : undefined;
  return original?.kind === 'token' && original.form === 'bearer' ? `Bearer ${token}` : token;
}

/** What a replay sends: the stored request, with a fresh token and/or edited body if asked. */
export function replayRequest(
  record: DeliveryRecord,
  options: ReplayRequestOptions,
): OutboundRequest & { readonly tokenMode: Attempt['tokenMode'] } {
  const body = options.body ?? Buffer.from(record.bodyBase64, 'base64');
  const hasAuthorization = record.headers.some(([name]) => name.toLowerCase() === 'authorization');
  if (options.tokenMode === 'original') {
    return {
      method: record.method,
      headers: record.headers,
      body,
      tokenMode: hasAuthorization ? 'original' : 'none',
    };
  }
  if (options.secret === undefined) {
    throw new ReplayError(
      'A fresh token needs the secret, and none is set. Set the secret first, or replay with the original token.',
    );
  }
  const authorization = freshAuthorization(record, options.secret, options.nowMs);
  const headers: Array<readonly [string, string]> = [];
  let placed = false;
  for (const header of record.headers) {
    const lower = header[0].toLowerCase();
    if (lower === REPLAY_MARKER_HEADER[0].toLowerCase()) continue;
    if (lower !== 'authorization') headers.push(header);
    else if (!placed) {
      headers.push([header[0], authorization]);
      placed = true;
    }
  }
  if (!placed) headers.push(['Authorization', authorization]);
  headers.push(REPLAY_MARKER_HEADER);
  return { method: record.method, headers, body, tokenMode: 'fresh' };
}

export interface ReplayOptions extends ReplayRequestOptions {
  readonly target: URL;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly agents?: OutboundAgents;
}

export interface ReplayOutcome {
  readonly deliveryId: string;
  readonly attempt: Attempt;
  /** False when the attempt could not be written (store owned elsewhere, disk failing). */
  readonly recorded: boolean;
  /** Why it was not recorded, for the user. */
  readonly notRecordedReason?: string;
}

/** Sends one stored delivery again and records the attempt on it. Throws ReplayError if gone. */
export async function replayDelivery(
  store: DeliveryStore,
  id: string,
  options: ReplayOptions,
): Promise<ReplayOutcome> {
  const record = await store.get(id);
  if (record === undefined) {
    throw new ReplayError(`Delivery ${id} is not in the store (it may have been deleted).`);
  }
  const request = replayRequest(record, options);
  const result = await sendOutbound(options.target, request, {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    agents: options.agents,
  });
  const attempt = attemptFrom(result, {
    kind: 'replay',
    target: options.target.href,
    tokenMode: request.tokenMode,
    sentBodySha256: sha256Hex(request.body),
    bodyEdited: options.body !== undefined,
  });
  try {
    const updated = await store.update(id, (current) => ({
      ...current,
      attempts: [...current.attempts, attempt],
    }));
    return updated
      ? { deliveryId: id, attempt, recorded: true }
      : {
          deliveryId: id,
          attempt,
          recorded: false,
          notRecordedReason: 'the delivery was deleted meanwhile',
        };
  } catch (error) {
    if (!(error instanceof StoreWriteError)) throw error;
    return { deliveryId: id, attempt, recorded: false, notRecordedReason: error.message };
  }
}

export interface ReplayManyProgress {
  readonly done: number;
  readonly total: number;
  readonly outcome?: ReplayOutcome;
  readonly failure?: { readonly deliveryId: string; readonly message: string };
}

export interface ReplayManyResult {
  readonly outcomes: readonly ReplayOutcome[];
  readonly failures: ReadonlyArray<{ readonly deliveryId: string; readonly message: string }>;
  readonly cancelled: boolean;
}

export const DEFAULT_REPLAY_CONCURRENCY = 4;

/**
 * Replays many deliveries with at most `concurrency` in flight (F-07), in the order given.
 * Cancelling stops new replays and aborts the ones in flight.
 */
export async function replayMany(
  store: DeliveryStore,
  ids: readonly string[],
  options: Omit<ReplayOptions, 'body'> & {
    readonly concurrency?: number;
    readonly onProgress?: (progress: ReplayManyProgress) => void;
  },
): Promise<ReplayManyResult> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY, 32));
  const outcomes: ReplayOutcome[] = [];
  const failures: Array<{ deliveryId: string; message: string }> = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length && !options.signal?.aborted) {
      const id = ids[next++] as string;
      try {
        const outcome = await replayDelivery(store, id, options);
        outcomes.push(outcome);
        options.onProgress?.({ done: ++done, total: ids.length, outcome });
      } catch (error) {
        const failure = {
          deliveryId: id,
          message: error instanceof Error ? error.message : String(error),
        };
        failures.push(failure);
        options.onProgress?.({ done: ++done, total: ids.length, failure });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return { outcomes, failures, cancelled: options.signal?.aborted ?? false };
}
