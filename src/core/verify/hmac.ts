// The HMAC algorithms a shared-secret webhook can use (RFC 7518 §3.2), in one place for the
// verifier and the signer.
import { createHmac, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

interface HmacParameters {
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  readonly signatureBytes: number;
}

export const HMAC_ALGORITHMS: Readonly<Record<HmacAlgorithm, HmacParameters>> = {
  HS256: { hash: 'sha256', signatureBytes: 32 },
  HS384: { hash: 'sha384', signatureBytes: 48 },
  HS512: { hash: 'sha512', signatureBytes: 64 },
};

/**
 * A shared secret: text as typed into the sender (used as its UTF-8 bytes, like Watson does), or
 * raw key bytes (RFC test vectors use binary keys).
 */
export type SecretValue = string | Uint8Array;

export function isHmacAlgorithm(value: unknown): value is HmacAlgorithm {
  return value === 'HS256' || value === 'HS384' || value === 'HS512';
}

export function secretBytes(secret: SecretValue): Buffer {
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
}

/** The raw signature bytes of `signingInput` (the ASCII text `header.payload`). */
export function hmacSignature(
  algorithm: HmacAlgorithm,
  key: KeyObject | Buffer,
  signingInput: string,
): Buffer {
  return createHmac(HMAC_ALGORITHMS[algorithm].hash, key).update(signingInput, 'utf8').digest();
}
