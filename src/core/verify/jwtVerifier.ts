// Verifies the JWT a webhook sender puts in the Authorization header (Watson's log webhook: an
// HS256 token made from the shared Secret field). The verdict and its one-sentence reason are
// what the developer sees, so every outcome says what went wrong and what to check.
import { createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Verification } from '../delivery';
import {
  readAuthorization,
  type AuthorizationInput,
  type AuthorizationValue,
} from './authorizationHeader';
import {
  hmacSignature,
  isHmacAlgorithm,
  secretBytes,
  type HmacAlgorithm,
  type SecretValue,
} from './hmac';
import { inspectJws, type DecodedJws } from './jwsStructure';
import { quoteForDisplay } from './jsonObject';
import { checkFreshness } from './timeClaims';

export interface VerifierOptions {
  readonly algorithms: readonly HmacAlgorithm[];
  readonly clockToleranceSeconds: number;
}

/** Watson signs with HS256; 60 s of skew covers ordinary clock drift between two machines. */
export const DEFAULT_VERIFIER_OPTIONS: VerifierOptions = Object.freeze({
  algorithms: Object.freeze(['HS256'] as const),
  clockToleranceSeconds: 60,
});

export interface ConfiguredSecret {
  /** A name for the UI ("current", "previous"); never the secret itself. */
  readonly label: string;
  readonly value: SecretValue;
}

export interface TokenVerification extends Verification {
  /** The label of the configured secret the token (or the literal header value) matched. */
  readonly matchedSecret?: string;
}

export interface Verifier {
  /** Never throws. `nowMs` is the clock to judge exp/nbf/iat by (Date.now() in production). */
  verify(authorization: AuthorizationInput, nowMs: number): TokenVerification;
  /**
   * True when one header value is a configured secret itself, bare or after any scheme word
   * (`Bearer <secret>`, `Basic <secret>`). Constant time per secret; used to keep secrets out of
   * the store (J-22).
   */
  containsSecret(value: string): boolean;
}

interface PreparedSecret {
  readonly label: string;
  readonly bytes: Buffer;
  readonly key: KeyObject;
  /** The text secret without its edge whitespace, kept only to explain a mismatch (J-09). */
  readonly trimmedKey: KeyObject | undefined;
}

interface VerifierContext {
  readonly secrets: readonly PreparedSecret[];
  readonly algorithms: readonly HmacAlgorithm[];
  readonly toleranceSeconds: number;
}

type Inspection =
  | { readonly ok: true; readonly jws: DecodedJws }
  | { readonly ok: false; readonly result: TokenVerification };

/**
 * Builds the key objects once: HMAC with a KeyObject costs about 7 µs, with a string secret about
 * 380 µs (catalogue J-25). Several secrets allow rotation (J-23): each is tried in order and the
 * result names the one that matched. Throws on an empty secret or invalid options, which are
 * configuration mistakes the settings layer refuses first.
 */
export function createVerifier(
  secrets: readonly ConfiguredSecret[],
  options: VerifierOptions = DEFAULT_VERIFIER_OPTIONS,
): Verifier {
  const context: VerifierContext = {
    secrets: secrets.map(prepareSecret),
    algorithms: validAlgorithms(options.algorithms),
    toleranceSeconds: validTolerance(options.clockToleranceSeconds),
  };
  return {
    verify(authorization, nowMs) {
      // A non-number clock is a caller bug; judging by the real clock is safer than by NaN.
      const now = Number.isFinite(nowMs) ? nowMs : Date.now();
      try {
        return verifyAuthorization(context, authorization, now);
      } catch {
        // Defence in depth: the checks are written not to throw, and a delivery must never be
        // lost to a verifier bug.
        return {
          verdict: 'malformed_token',
          reason: 'The Authorization header could not be checked.',
        };
      }
    },
    containsSecret(value) {
      const candidates = [value.trim(), value.trim().replace(/^\S+\s+/, '')].map((candidate) =>
        Buffer.from(candidate, 'utf8'),
      );
      return context.secrets.some((secret) =>
        candidates.some((candidate) => constantTimeEquals(candidate, secret.bytes)),
      );
    },
  };
}

function prepareSecret(secret: ConfiguredSecret): PreparedSecret {
  const bytes = secretBytes(secret.value);
  if (bytes.length === 0) {
    throw new RangeError(
      `The secret labelled ${quoteForDisplay(secret.label)} is empty; an empty key would let anyone sign.`,
    );
  }
  return {
    label: secret.label,
    bytes,
    key: createSecretKey(bytes),
    trimmedKey: trimmedKeyOf(secret.value),
  };
}

function trimmedKeyOf(value: SecretValue): KeyObject | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== value && trimmed !== ''
    ? createSecretKey(Buffer.from(trimmed, 'utf8'))
    : undefined;
}

function validAlgorithms(algorithms: readonly HmacAlgorithm[]): readonly HmacAlgorithm[] {
  for (const algorithm of algorithms) {
    if (!isHmacAlgorithm(algorithm)) {
      throw new RangeError(
        `HookLens verifies HS256, HS384 and HS512 only, not ${String(algorithm)}.`,
      );
    }
  }
  return [...algorithms];
}

function validTolerance(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError('The clock tolerance must be a number of seconds, zero or more.');
  }
  return seconds;
}

function verifyAuthorization(
  context: VerifierContext,
  authorization: AuthorizationInput,
  nowMs: number,
): TokenVerification {
  const read = readAuthorization(authorization);
  const literal = findLiteralSecret(read, context.secrets);
  if (literal !== undefined) {
    return {
      verdict: 'secret_match',
      reason: `The Authorization header carries ${secretName(literal, context.secrets)} itself, not a JWT: Watson lets users replace the header with their own value.`,
      matchedSecret: literal.label,
    };
  }
  const inspection = inspectAuthorization(read, context.algorithms);
  if (context.secrets.length === 0) return withoutSecret(inspection);
  if (!inspection.ok) return inspection.result;
  return checkSigned(inspection.jws, context, nowMs);
}

/**
 * Users may replace Watson's JWT with a header of their own, often the secret itself (IBM's test
 * server checks `token === secret`). Compared in constant time, whole value and after `Bearer`.
 */
function findLiteralSecret(
  read: AuthorizationValue,
  secrets: readonly PreparedSecret[],
): PreparedSecret | undefined {
  if (!('value' in read)) return undefined;
  const candidates = [read.value];
  if (read.kind === 'token' && read.form === 'bearer') candidates.push(read.token);
  const candidateBytes = candidates.map((candidate) => Buffer.from(candidate, 'utf8'));
  return secrets.find((secret) =>
    candidateBytes.some((candidate) => constantTimeEquals(candidate, secret.bytes)),
  );
}

// timingSafeEqual throws on a length mismatch; the length is not the secret part (J-26).
function constantTimeEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function inspectAuthorization(
  read: AuthorizationValue,
  algorithms: readonly HmacAlgorithm[],
): Inspection {
  switch (read.kind) {
    case 'absent':
      return missing('The request has no Authorization header, so nothing shows who sent it.');
    case 'empty':
      return missing('The Authorization header is empty.');
    case 'bearer_without_token':
      return missing('The Authorization header says Bearer but carries no token.');
    case 'other_scheme':
      return missing(
        `The Authorization header uses ${describeScheme(read.scheme)} instead of a JWT; Watson sends the bare token or "Bearer <token>".`,
      );
    case 'multiple':
      return failed({
        verdict: 'malformed_token',
        reason: `The request has ${read.count} Authorization headers; a signed webhook has exactly one.`,
      });
    case 'token': {
      const inspected = inspectJws(read.token, algorithms);
      if (inspected.ok) return inspected;
      const { verdict, reason, header, claims } = inspected;
      return failed({ verdict, reason, header, claims });
    }
  }
}

function missing(reason: string): Inspection {
  return failed({ verdict: 'missing_token', reason });
}

function failed(result: TokenVerification): Inspection {
  return { ok: false, result: withoutUndefined(result) };
}

// Registered schemes (IANA HTTP Authentication Scheme Registry) plus common ad-hoc ones. Any
// other first word is not echoed: it may be the start of a mistyped secret.
const KNOWN_SCHEMES = [
  'Basic',
  'Digest',
  'Negotiate',
  'NTLM',
  'OAuth',
  'DPoP',
  'GNAP',
  'HOBA',
  'Mutual',
  'PrivateToken',
  'Concealed',
  'SCRAM-SHA-1',
  'SCRAM-SHA-256',
  'vapid',
  'AWS4-HMAC-SHA256',
  'Hawk',
  'Token',
  'ApiKey',
];

function describeScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  const known = KNOWN_SCHEMES.find((name) => name.toLowerCase() === lower);
  return known === undefined ? 'an unrecognised scheme' : `the ${known} scheme`;
}

/** No secret configured: still decode what can be decoded, so the UI can show it. */
function withoutSecret(inspection: Inspection): TokenVerification {
  if (inspection.ok) {
    const { header, claims, algorithm } = inspection.jws;
    return {
      verdict: 'no_secret',
      reason: `No secret is configured, so the signature of this ${algorithm} token was not checked.`,
      header,
      claims,
    };
  }
  const { reason, header, claims } = inspection.result;
  return withoutUndefined({
    verdict: 'no_secret',
    reason: `No secret is configured, so nothing was verified; besides, ${lowerFirstWord(reason)}`,
    header,
    claims,
  });
}

function checkSigned(jws: DecodedJws, context: VerifierContext, nowMs: number): TokenVerification {
  const decoded = { header: jws.header, claims: jws.claims };
  const matched = context.secrets.find((secret) => signedWith(jws, secret.key));
  if (matched === undefined) {
    return {
      verdict: 'invalid_signature',
      reason: mismatchReason(jws, context.secrets),
      ...decoded,
    };
  }
  const matchedSecret = matched.label;
  const secret = secretName(matched, context.secrets);
  const freshness = checkFreshness(jws.times, nowMs, context.toleranceSeconds);
  if (!freshness.ok) {
    const reason = `The signature matches ${secret}, but ${lowerFirstWord(freshness.reason)}`;
    return { verdict: freshness.verdict, reason, matchedSecret, ...decoded };
  }
  const reason =
    freshness.summary === undefined
      ? `The signature matches ${secret}, but the token carries no expiry or issue time, so its freshness can't be checked.`
      : `The signature matches ${secret} and ${freshness.summary}.`;
  return { verdict: 'verified', reason, matchedSecret, ...decoded };
}

/**
 * The HMAC over the signing input inspectJws already decoded, compared in constant time. (This was
 * jsonwebtoken's verify on the reassembled token, which decoded header and claims a second time:
 * 8% of ingest, bench 1. The test vectors still check the result against jsonwebtoken.)
 */
function signedWith(jws: DecodedJws, key: KeyObject): boolean {
  const expected = hmacSignature(jws.algorithm, key, jws.signingInput);
  return constantTimeEquals(expected, jws.signature);
}

/** Points at the likely cause without ever echoing the secret or the token (J-09). */
function mismatchReason(jws: DecodedJws, secrets: readonly PreparedSecret[]): string {
  const trimmedMatch = secrets.find(
    (secret) => secret.trimmedKey !== undefined && signedWith(jws, secret.trimmedKey),
  );
  if (trimmedMatch !== undefined) {
    return `The signature matches the secret labelled ${quoteForDisplay(trimmedMatch.label)} only without the whitespace at its start or end: remove that whitespace from the configured secret.`;
  }
  const which =
    secrets.length === 1
      ? 'the configured secret'
      : `any of the ${secrets.length} configured secrets`;
  const padded = secrets.find((secret) => secret.trimmedKey !== undefined);
  const whitespaceHint =
    padded === undefined
      ? ''
      : ` (the secret labelled ${quoteForDisplay(padded.label)} starts or ends with whitespace, which senders often drop)`;
  return `The signature does not match ${which}; check that the secret configured in the sender is exactly the one configured in HookLens${whitespaceHint}.`;
}

/** Joins a reason that starts a sentence onto another sentence ("The token..." → "the token..."). */
/** Labels only matter when several secrets are configured (rotation); one is just "the secret". */
function secretName(
  secret: { readonly label: string },
  all: readonly { readonly label: string }[],
): string {
  return all.length > 1
    ? `the secret labelled ${quoteForDisplay(secret.label)}`
    : 'the configured secret';
}

function lowerFirstWord(reason: string): string {
  return reason.startsWith('The ') ? `the ${reason.slice(4)}` : reason;
}

/** Leaves out absent header/claims instead of storing `undefined` fields in the JSON record. */
function withoutUndefined(result: TokenVerification): TokenVerification {
  const { header, claims, ...rest } = result;
  return {
    ...rest,
    ...(header === undefined ? {} : { header }),
    ...(claims === undefined ? {} : { claims }),
  };
}
