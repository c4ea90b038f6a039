// Makes tokens the way Watson does (jsonwebtoken defaults: header {alg, typ: "JWT"}, an iat), for
// replay with a fresh token, "Send test event", and tests.
import { hmacSignature, secretBytes, type HmacAlgorithm, type SecretValue } from './hmac';

/** Short enough that a leaked token soon stops working, long enough for a slow handler. */
export const DEFAULT_EXPIRES_IN_SECONDS = 300;

export interface SignOptions {
  readonly algorithm?: HmacAlgorithm;
  /** Lifetime from now; `null` makes a token with no `exp`. Defaults to 300 s. */
  readonly expiresInSeconds?: number | null;
  /** The clock; defaults to Date.now(). */
  readonly nowMs?: number;
}

/**
 * A compact JWS over `claims` with `iat` = now and `exp` = now + expiresInSeconds. Any `iat` or
 * `exp` already in `claims` is replaced, so re-signing a stored token's claims gives fresh times.
 */
export function signToken(
  secret: SecretValue,
  claims: Record<string, unknown>,
  options: SignOptions = {},
): string {
  const algorithm = options.algorithm ?? 'HS256';
  const nowMs = options.nowMs ?? Date.now();
  const expiresIn =
    options.expiresInSeconds === undefined ? DEFAULT_EXPIRES_IN_SECONDS : options.expiresInSeconds;
  if (!Number.isFinite(nowMs) || (expiresIn !== null && !Number.isFinite(expiresIn))) {
    throw new RangeError('nowMs and expiresInSeconds must be finite numbers.');
  }
  // fromEntries and spread define own data properties, so a "__proto__" claim stays a claim.
  const rest = Object.fromEntries(
    Object.entries(claims).filter(([name]) => name !== 'iat' && name !== 'exp'),
  );
  const iat = Math.floor(nowMs / 1000);
  const payload = expiresIn === null ? { ...rest, iat } : { ...rest, iat, exp: iat + expiresIn };
  const header = { alg: algorithm, typ: 'JWT' };
  return signCompact(secret, algorithm, JSON.stringify(header), JSON.stringify(payload));
}

/**
 * Signs header and payload text exactly as given, byte for byte: for known-answer vectors
 * (RFC 7515 A.1 has CRLFs in its JSON) and for building deliberately odd tokens in tests.
 */
export function signCompact(
  secret: SecretValue,
  algorithm: HmacAlgorithm,
  headerText: string,
  payloadText: string,
): string {
  const signingInput = `${base64url(headerText)}.${base64url(payloadText)}`;
  const signature = hmacSignature(algorithm, secretBytes(secret), signingInput);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
