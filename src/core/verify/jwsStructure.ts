// Every check a compact JWS can fail before any cryptography runs. These cost microseconds, so
// junk, unsigned (`alg: none`) and wrong-family tokens are refused without touching a key
// (RFC 8725 §3.1-3.2, catalogue J-04..J-07, J-14..J-16).
import { HMAC_ALGORITHMS, isHmacAlgorithm, type HmacAlgorithm } from './hmac';
import { parseJsonObject, quoteForDisplay } from './jsonObject';
import { readTimeClaims, type TimeClaims } from './timeClaims';

/**
 * Longer than any header Node accepts by default (16 KiB for all headers together), so no token
 * that can arrive over HTTP is refused; it bounds the work for tokens from anywhere else.
 */
export const MAX_TOKEN_CHARS = 64 * 1024;

export interface DecodedJws {
  readonly algorithm: HmacAlgorithm;
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly times: TimeClaims;
  /** The ASCII text `header.payload` the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

export type JwsInspection =
  | { readonly ok: true; readonly jws: DecodedJws }
  | {
      readonly ok: false;
      readonly verdict: 'malformed_token' | 'wrong_algorithm';
      readonly reason: string;
      readonly header?: Record<string, unknown>;
      readonly claims?: Record<string, unknown>;
    };

type Failure = Extract<JwsInspection, { ok: false }>;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function inspectJws(token: string, allowed: readonly HmacAlgorithm[]): JwsInspection {
  if (token.length > MAX_TOKEN_CHARS) {
    return malformed(`The token is ${token.length} characters long, more than HookLens accepts.`);
  }
  const segments = token.split('.');
  if (segments.length !== 3) return malformed(describeSegmentCount(segments.length));
  const [headerSegment = '', payloadSegment = '', signatureSegment = ''] = segments;

  const header = decodeObjectSegment(headerSegment, 'header');
  if (!header.ok) return header;
  const claims = decodeObjectSegment(payloadSegment, 'payload');
  if (!claims.ok) return { ...claims, header: header.value };

  const decoded = { header: header.value, claims: claims.value };
  const algorithm = checkHeader(header.value, allowed);
  if (typeof algorithm !== 'string') return { ...algorithm, ...decoded };
  const signature = decodeSignature(signatureSegment, algorithm);
  if (!Buffer.isBuffer(signature)) return { ...signature, ...decoded };
  const times = readTimeClaims(claims.value);
  if (!times.ok) return { ...malformed(times.reason), ...decoded };

  return {
    ok: true,
    jws: {
      algorithm,
      ...decoded,
      times: times.times,
      signingInput: `${headerSegment}.${payloadSegment}`,
      signature,
    },
  };
}

function describeSegmentCount(count: number): string {
  if (count === 1) return 'The token is not a JWT: a JWT has three parts separated by dots.';
  if (count === 5) {
    return 'The token has five parts, so it is encrypted (JWE); webhook senders sign tokens (JWS) with three parts.';
  }
  return `The token has ${count} dot-separated parts; a signed JWT has exactly three.`;
}

/** Base64url exactly as RFC 7515 §2 defines it: no padding, no stray bits, nothing else. */
function decodeBase64url(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  // Node ignores the unused low bits of the last character; re-encoding exposes them.
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function decodeObjectSegment(
  segment: string,
  name: 'header' | 'payload',
): { readonly ok: true; readonly value: Record<string, unknown> } | Failure {
  if (segment === '') return malformed(`The token's ${name} is empty.`);
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) return malformed(`The token's ${name} is not valid base64url.`);
  const parsed = parseJsonObject(bytes);
  return parsed.ok ? parsed : malformed(`The token's ${name} ${parsed.problem}.`);
}

/** The algorithm when the header is one HookLens can check, else why not. */
function checkHeader(
  header: Record<string, unknown>,
  allowed: readonly HmacAlgorithm[],
): HmacAlgorithm | Failure {
  const alg = Object.hasOwn(header, 'alg') ? header.alg : undefined;
  if (typeof alg !== 'string') return malformed('The token\'s header has no "alg" string.');
  if (!isHmacAlgorithm(alg) || !allowed.includes(alg)) return wrongAlgorithm(alg, allowed);
  // RFC 7515 §4.1.11: a recipient must refuse a token whose `crit` names anything it does not
  // implement, and HookLens implements no extensions. jsonwebtoken 9 ignores `crit`.
  if (Object.hasOwn(header, 'crit')) {
    return malformed(
      'The token\'s header lists "crit" extensions HookLens does not implement, so it cannot be trusted.',
    );
  }
  // RFC 7797: b64:false means the payload is not base64url-encoded, which no webhook sender does.
  if (Object.hasOwn(header, 'b64') && header.b64 !== true) {
    return malformed(
      'The token\'s header sets "b64" (unencoded payload), which HookLens does not support.',
    );
  }
  return alg;
}

function wrongAlgorithm(alg: string, allowed: readonly HmacAlgorithm[]): Failure {
  const accepted = allowed.length === 0 ? 'no algorithm' : `only ${allowed.join(', ')}`;
  if (alg.toLowerCase() === 'none') {
    return {
      ok: false,
      verdict: 'wrong_algorithm',
      reason: `The token is unsigned (alg ${quoteForDisplay(alg)}); HookLens accepts ${accepted}.`,
    };
  }
  const hint = isHmacAlgorithm(alg) ? ' Allow it only if your sender really signs with it.' : '';
  return {
    ok: false,
    verdict: 'wrong_algorithm',
    reason: `The token uses the algorithm ${quoteForDisplay(alg)}; HookLens accepts ${accepted}.${hint}`,
  };
}

/** The signature bytes, when the segment is canonical base64url of the algorithm's length. */
function decodeSignature(segment: string, algorithm: HmacAlgorithm): Buffer | Failure {
  if (segment === '') return malformed('The token has no signature.');
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) return malformed("The token's signature is not valid base64url.");
  const expected = HMAC_ALGORITHMS[algorithm].signatureBytes;
  if (bytes.length !== expected) {
    return malformed(
      `The token's signature is ${bytes.length} bytes; an ${algorithm} signature is ${expected} bytes, so the token was probably cut or changed in transit.`,
    );
  }
  return bytes;
}

function malformed(reason: string): Failure {
  return { ok: false, verdict: 'malformed_token', reason };
}
