// Replay: send a stored delivery again, to the forward target or a URL the user chose, either as
// captured or with a fresh signature made the way its sender signs (the provider's scheme and
// secret, a current timestamp). Each replay becomes an Attempt on the delivery; the delivery
// itself (body, headers, verdict) never changes.
import type { Attempt, DeliveryRecord, Verification } from '../delivery';
import type { Provider } from '../providers/provider';
import { providerById } from '../providers/registry';
import type { HeaderPairs } from '../providers/requestFacts';
import { SECRET_REDACTION } from '../secrets/secretPolicy';
import { SecretRing, type ConfiguredSecret } from '../secrets/secretRing';
import type { DeliveryStoreBackend } from '../store/backend';
import { StoreWriteError } from '../store/errors';
import type { VerifierOptions } from '../verify/jwtVerifier';
import type { SchemeContext, SchemeSecret, VerificationScheme } from '../verify/scheme';
import { schemeById } from '../verify/schemes';
import type { GenericHmacConfig } from '../verify/schemes/genericHmac';
import { freshJwtAuthorization } from '../verify/schemes/jwt';
import { english } from '../../shared/translation';
import { isFailedVerdict, presentVerdict } from '../../shared/verdicts';
import { attemptFrom } from './attempt';
import { sendOutbound, sha256Hex, type OutboundAgents, type OutboundRequest } from './outbound';

/** `original`: as captured. `fresh`: signed again now (stored as `fresh`, whatever the scheme). */
export type TokenMode = 'original' | 'fresh';

/**
 * What signing needs besides the delivery: the configured secrets and the settings the schemes
 * read. An `AnalysisSettings` (the CLI's verification options, the receiver's) is one.
 */
export interface SigningSettings {
  readonly secrets: SecretRing | readonly ConfiguredSecret[];
  readonly jwt?: VerifierOptions;
  /** The public URL senders call (a tunnel's): Twilio signs it. */
  readonly publicBaseUrl?: string;
  readonly genericHmac?: GenericHmacConfig;
}

export interface ReplayRequestOptions {
  readonly tokenMode: TokenMode;
  /** The configured secrets and verification settings, for fresh signatures and credentials. */
  readonly signing?: SigningSettings;
  /** Shorthand for a single default JWT secret (Watson, Rapida, generic), as before providers. */
  readonly secret?: string;
  /**
   * Re-sign a delivery whose signature failed verification when it was captured. Without it such
   * a delivery is refused: a fresh signature would make a forgery look genuine to the handler.
   */
  readonly allowResignFailed?: boolean;
  /** An edited body to send instead of the stored one (edit and replay). */
  readonly body?: Buffer;
  readonly nowMs?: number;
}

/** Why a replay could not be made, so callers can offer the right way out. */
export type ReplayErrorKind =
  | 'not-stored'
  | 'needs-secret'
  | 'cannot-sign'
  | 'failed-verification'
  | 'unknown-scheme'
  | 'sign-failed';

export class ReplayError extends Error {
  constructor(
    message: string,
    readonly kind: ReplayErrorKind = 'sign-failed',
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

/** Marks a re-signed replay, so a handler can tell it from the sender's own retry (F-05). */
export const REPLAY_MARKER_HEADER: readonly [string, string] = ['X-Replay', 'true'];

/** Time-only failures: the signature matched a configured secret, only its time was off. */
const TIME_VERDICTS: ReadonlySet<string> = new Set(['expired', 'not_yet_valid']);

/**
 * True when re-signing this verdict needs the user's explicit confirmation: the delivery failed
 * verification for a reason other than its time (a bad, malformed or missing signature, or a
 * verdict this version does not know). An expired delivery matched its secret (every scheme checks
 * the signature before the time), and refreshing its timestamp is what a fresh signature is for.
 */
export function needsResignConfirmation(verdict: string): boolean {
  return isFailedVerdict(verdict) && !TIME_VERDICTS.has(verdict);
}

/** The provider and scheme a delivery is signed with, for replay and Send Test Event. */
export interface SigningIdentity {
  /** The provider id the secrets are configured under (the delivery's `sender`). */
  readonly providerId: string;
  readonly label: string;
  /** What the provider calls its secret ("signing secret", "secret token"). */
  readonly noun: string;
  readonly scheme: VerificationScheme;
  /** True when the default JWT secret signs it too (Watson, Rapida, generic). */
  readonly usesDefaultSecret: boolean;
}

/**
 * The scheme a delivery of `sender` is signed with: its provider's (a body HookLens could not
 * read, `unknown`, is the generic provider's), else the scheme recorded at capture, for a
 * provider a newer HookLens wrote. Undefined when neither is known here.
 */
export function signingIdentity(
  sender: string,
  recordedScheme?: string,
): SigningIdentity | undefined {
  const provider: Provider | undefined = providerById(sender === 'unknown' ? 'generic' : sender);
  const scheme = schemeById(provider?.scheme ?? recordedScheme ?? '');
  if (scheme === undefined) return undefined;
  return {
    providerId: sender,
    label: provider?.label ?? sender,
    noun: provider?.secret.noun ?? 'secret',
    scheme,
    usesDefaultSecret: scheme.id === 'jwt',
  };
}

/** The configured secrets as a ring, with `secret` (a lone default JWT secret) added. */
export function signingRing(signing: SigningSettings | undefined, secret?: string): SecretRing {
  const extra: ConfiguredSecret[] =
    secret === undefined ? [] : [{ provider: null, label: 'current', value: secret }];
  const configured = signing?.secrets;
  if (configured === undefined) return new SecretRing(extra);
  if (configured instanceof SecretRing) {
    return extra.length === 0 ? configured : new SecretRing([...configured.secrets, ...extra]);
  }
  return new SecretRing([...configured, ...extra]);
}

/**
 * The secret to sign a delivery of `identity` to `path` with: the one that matched when it was
 * captured (by label), else the first configured for that provider and path.
 */
export function signingSecretFor(
  ring: SecretRing,
  identity: SigningIdentity,
  path: string,
  matchedLabel?: string,
): SchemeSecret | undefined {
  const secrets = ring.signingSecrets(identity.providerId, path, identity.usesDefaultSecret);
  return secrets.find((secret) => secret.label === matchedLabel) ?? secrets[0];
}

/** The context a scheme signs in: the clock, the provider's name and the scheme settings. */
export function signingContext(
  identity: SigningIdentity,
  signing: SigningSettings | undefined,
  nowMs: number,
): SchemeContext {
  return {
    nowMs,
    providerLabel: identity.label,
    ...(signing?.jwt ? { jwt: signing.jwt } : {}),
    ...(signing?.publicBaseUrl ? { publicBaseUrl: signing.publicBaseUrl } : {}),
    ...(signing?.genericHmac ? { config: { genericHmac: signing.genericHmac } } : {}),
  };
}

/** One line naming the missing secret and where it comes from. */
function needsSecretMessage(identity: SigningIdentity): string {
  return identity.usesDefaultSecret
    ? 'A fresh signature needs the secret, and none is set. Set the secret first, or replay with the original signature.'
    : `A fresh signature needs the ${identity.label} ${identity.noun}, and none is set for this delivery. Set the secret first, or replay with the original signature.`;
}

/**
 * The stored headers made sendable: a header HookLens stored redacted because it carried a secret
 * (Authorization when it was the secret itself, a credential header such as X-Gitlab-Token) gets
 * the configured secret back; one it cannot rebuild (the secret inside other text) is left out.
 * The redaction text is never sent.
 */
function restoredHeaders(
  record: Pick<DeliveryRecord, 'id' | 'headers' | 'verification'>,
  identity: SigningIdentity | undefined,
  secret: () => SchemeSecret | undefined,
): HeaderPairs {
  if (!record.headers.some(([, value]) => value === SECRET_REDACTION)) return record.headers;
  const credentials = new Set(
    (identity?.scheme.credentialHeaders ?? []).map((name) => name.toLowerCase()),
  );
  const secretMatch = record.verification.verdict === 'secret_match';
  const out: Array<readonly [string, string]> = [];
  for (const [name, value] of record.headers) {
    if (value !== SECRET_REDACTION) {
      out.push([name, value]);
      continue;
    }
    const lower = name.toLowerCase();
    const carriedSecret = credentials.has(lower) || (secretMatch && lower === 'authorization');
    if (!carriedSecret) continue;
    const configured = secret();
    if (configured === undefined) {
      const who = identity ? `the ${identity.label} ${identity.noun}` : 'a configured secret';
      throw new ReplayError(
        `Delivery ${record.id}'s ${name} header carried ${who}, which HookLens never stores. Set the secret first to replay it.`,
        'needs-secret',
      );
    }
    out.push([name, credentials.has(lower) ? configured.value.trim() : configured.value]);
  }
  return out;
}

/** True when the delivery carried something that authenticates it (a token, a signature). */
function carriedSignature(record: DeliveryRecord, identity: SigningIdentity | undefined): boolean {
  const verdict = record.verification.verdict;
  if (verdict === 'missing_token' || verdict === 'missing_signature') return false;
  if (identity === undefined || identity.scheme.id === 'jwt') {
    return record.headers.some(([name]) => name.toLowerCase() === 'authorization');
  }
  return true;
}

function withoutMarker(headers: HeaderPairs): HeaderPairs {
  const marker = REPLAY_MARKER_HEADER[0].toLowerCase();
  return headers.filter(([name]) => name.toLowerCase() !== marker);
}

function withMarker(headers: HeaderPairs): HeaderPairs {
  return [...withoutMarker(headers), REPLAY_MARKER_HEADER];
}

/** What a replay sends: the stored request, signed again and/or with an edited body if asked. */
export function replayRequest(
  record: DeliveryRecord,
  options: ReplayRequestOptions,
): OutboundRequest & { readonly tokenMode: Attempt['tokenMode'] } {
  const body = options.body ?? Buffer.from(record.bodyBase64, 'base64');
  const nowMs = options.nowMs ?? Date.now();
  const identity = signingIdentity(record.sender, record.verification.scheme);
  const ring = signingRing(options.signing, options.secret);
  const secret = (): SchemeSecret | undefined =>
    identity === undefined
      ? undefined
      : signingSecretFor(ring, identity, record.url, record.verification.matchedSecret);

  if (options.tokenMode === 'original') {
    return {
      method: record.method,
      headers: restoredHeaders(record, identity, secret),
      body,
      tokenMode: carriedSignature(record, identity) ? 'original' : 'none',
    };
  }

  if (identity === undefined) {
    throw new ReplayError(
      `HookLens does not know how ${record.sender} signs its deliveries, so delivery ${record.id} cannot get a fresh signature. Replay it as captured.`,
      'unknown-scheme',
    );
  }
  const sign = identity.scheme.sign;
  if (sign === undefined) {
    throw new ReplayError(
      `Delivery ${record.id} cannot get a fresh signature: ${identity.scheme.cannotSign ?? `HookLens cannot sign ${identity.label} deliveries.`} Replay it as captured instead.`,
      'cannot-sign',
    );
  }
  const verdict = record.verification.verdict;
  if (needsResignConfirmation(verdict) && options.allowResignFailed !== true) {
    // English like every ReplayError: agents and the log read it; the editor asks its own,
    // translated question before re-signing, so people meet this only there.
    throw new ReplayError(
      `Delivery ${record.id} failed verification when it was captured (${presentVerdict(verdict, english).label}: ${record.verification.reason.replace(/\.\s*$/, '')}). A fresh signature would make it pass your handler's check although HookLens could not tell it came from ${identity.label}; confirm to re-sign it anyway.`,
      'failed-verification',
    );
  }
  const chosen = secret();
  if (chosen === undefined) throw new ReplayError(needsSecretMessage(identity), 'needs-secret');
  const headers = restoredHeaders(record, identity, () => chosen);
  // Watson lets users put the secret itself in Authorization: that is the "signature" to send.
  if (verdict === 'secret_match') {
    return { method: record.method, headers: withMarker(headers), body, tokenMode: 'fresh' };
  }
  let signed: HeaderPairs;
  try {
    signed = sign(
      {
        method: record.method,
        url: record.url,
        headers: withoutMarker(headers),
        body,
        previous: record.verification,
      },
      chosen,
      signingContext(identity, options.signing, nowMs),
    ).headers;
  } catch (error) {
    throw new ReplayError(
      `Delivery ${record.id} could not be signed: ${error instanceof Error ? error.message : String(error)}`,
      'sign-failed',
    );
  }
  return { method: record.method, headers: withMarker(signed), body, tokenMode: 'fresh' };
}

/**
 * A fresh Authorization value for a stored JWT-signed delivery (Watson and other JWT senders):
 * the original claims with a new `iat` and `exp`, in the original form (bare or Bearer).
 */
export function freshAuthorization(
  record: Pick<DeliveryRecord, 'headers'> & { readonly verification: Verification },
  secret: string,
  nowMs: number = Date.now(),
  options?: VerifierOptions,
): string {
  return freshJwtAuthorization(record, secret, nowMs, options);
}

export interface ReplayOptions extends ReplayRequestOptions {
  readonly target: URL;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly agents?: OutboundAgents;
  /** The route whose target this is (Replay goes where the delivery's route sends it). */
  readonly route?: string;
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
  store: DeliveryStoreBackend,
  id: string,
  options: ReplayOptions,
): Promise<ReplayOutcome> {
  const record = await store.get(id);
  if (record === undefined) {
    throw new ReplayError(
      `Delivery ${id} is not in the store (it may have been deleted).`,
      'not-stored',
    );
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
    ...(options.route === undefined ? {} : { route: options.route }),
  });
  const recordedAttempt = store.actor === undefined ? attempt : { ...attempt, by: store.actor };
  try {
    const updated = await store.update(id, (current) => ({
      ...current,
      attempts: [...current.attempts, recordedAttempt],
    }));
    return updated
      ? { deliveryId: id, attempt: recordedAttempt, recorded: true }
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

export interface ReplayFailure {
  readonly deliveryId: string;
  readonly message: string;
  /** Set when the replay was refused before sending (see ReplayErrorKind). */
  readonly kind?: ReplayErrorKind;
}

export interface ReplayManyProgress {
  readonly done: number;
  readonly total: number;
  readonly outcome?: ReplayOutcome;
  readonly failure?: ReplayFailure;
}

export interface ReplayManyResult {
  readonly outcomes: readonly ReplayOutcome[];
  readonly failures: readonly ReplayFailure[];
  readonly cancelled: boolean;
}

export const DEFAULT_REPLAY_CONCURRENCY = 4;

/**
 * Replays many deliveries with at most `concurrency` in flight (F-07), in the order given.
 * Cancelling stops new replays and aborts the ones in flight.
 */
export async function replayMany(
  store: DeliveryStoreBackend,
  ids: readonly string[],
  options: Omit<ReplayOptions, 'body'> & {
    readonly concurrency?: number;
    readonly onProgress?: (progress: ReplayManyProgress) => void;
  },
): Promise<ReplayManyResult> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_REPLAY_CONCURRENCY, 32));
  // One secret ring for the whole run, not one per delivery.
  const { secret, ...rest } = options;
  const shared: ReplayOptions = {
    ...rest,
    signing: { ...options.signing, secrets: signingRing(options.signing, secret) },
  };
  const outcomes: ReplayOutcome[] = [];
  const failures: ReplayFailure[] = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length && !options.signal?.aborted) {
      const id = ids[next++] as string;
      try {
        const outcome = await replayDelivery(store, id, shared);
        outcomes.push(outcome);
        options.onProgress?.({ done: ++done, total: ids.length, outcome });
      } catch (error) {
        const failure: ReplayFailure = {
          deliveryId: id,
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof ReplayError ? { kind: error.kind } : {}),
        };
        failures.push(failure);
        options.onProgress?.({ done: ++done, total: ids.length, failure });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return { outcomes, failures, cancelled: options.signal?.aborted ?? false };
}
