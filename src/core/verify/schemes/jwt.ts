// A JWT in `Authorization` (bare, as Watson sends it, or `Bearer`), HMAC-signed: IBM Watson
// Assistant's log webhook and any sender configured the same way. Also accepts the secret itself
// as the header (`secret_match`), which Watson allows.
import type { DeliveryRecord } from '../../delivery';
import { authorizationOf } from '../../receiver/captured';
import { readAuthorization } from '../authorizationHeader';
import { isHmacAlgorithm, type SecretValue } from '../hmac';
import {
  createVerifier,
  DEFAULT_VERIFIER_OPTIONS,
  type Verifier,
  type VerifierOptions,
} from '../jwtVerifier';
import type { SchemeSecret, VerificationScheme } from '../scheme';
import { DEFAULT_EXPIRES_IN_SECONDS, signToken } from '../sign';
import { tokenDedupeKey } from '../tokenKey';
import { replaceHeaders } from './headers';

// Building a verifier prepares key objects (7 µs per HMAC instead of 380 µs): keep one per
// secret list and options, which stay the same objects while the configuration does.
const verifiers = new WeakMap<readonly SchemeSecret[], Map<VerifierOptions, Verifier>>();

function verifierFor(secrets: readonly SchemeSecret[], options: VerifierOptions): Verifier {
  let byOptions = verifiers.get(secrets);
  if (byOptions === undefined) {
    byOptions = new Map<VerifierOptions, Verifier>();
    verifiers.set(secrets, byOptions);
  }
  let verifier = byOptions.get(options);
  if (verifier === undefined) byOptions.set(options, (verifier = createVerifier(secrets, options)));
  return verifier;
}

const NO_SECRETS: readonly SchemeSecret[] = [];

export const jwtScheme: VerificationScheme = {
  id: 'jwt',
  verify(request, secrets, context) {
    const verifier = verifierFor(
      secrets.length === 0 ? NO_SECRETS : secrets,
      context.jwt ?? DEFAULT_VERIFIER_OPTIONS,
    );
    return { ...verifier.verify(authorizationOf(request.headers), context.nowMs), scheme: 'jwt' };
  },
  sign(input, secret, context) {
    const authorization = freshJwtAuthorization(
      {
        headers: input.headers,
        verification: input.previous ?? { verdict: 'no_secret', reason: '' },
      },
      secret.value,
      context.nowMs,
      context.jwt,
    );
    return { headers: replaceHeaders(input.headers, [['Authorization', authorization]]) };
  },
  dedupeToken: (request) => tokenDedupeKey(authorizationOf(request.headers)) ?? undefined,
};

/**
 * A fresh Authorization value for a stored delivery: the original claims (from its decoded token)
 * with a new `iat` and `exp`, in the original algorithm when it is allowed (else the first allowed
 * one), in the original form (bare as Watson sends it, or Bearer).
 */
export function freshJwtAuthorization(
  record: Pick<DeliveryRecord, 'headers' | 'verification'>,
  secret: SecretValue,
  nowMs: number = Date.now(),
  options: VerifierOptions = DEFAULT_VERIFIER_OPTIONS,
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
  const originalAlgorithm = record.verification.header?.alg;
  const algorithm =
    isHmacAlgorithm(originalAlgorithm) && options.algorithms.includes(originalAlgorithm)
      ? originalAlgorithm
      : (options.algorithms[0] ?? 'HS256');
  const token = signToken(secret, kept, { algorithm, expiresInSeconds: lifetime, nowMs });
  const originals = record.headers.filter(([name]) => name.toLowerCase() === 'authorization');
  const original = originals.length === 1 ? readAuthorization(originals[0]?.[1]) : undefined;
  return original?.kind === 'token' && original.form === 'bearer' ? `Bearer ${token}` : token;
}
