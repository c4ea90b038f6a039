// A key for spotting the same token twice (catalogue J-08, J-20). The token string itself is not
// a good key: the last base64url character of a signature has unused low bits, so several
// strings carry the same signature bytes and some libraries accept them all.
import { createHash } from 'node:crypto';
import { extractToken, type AuthorizationInput } from './authorizationHeader';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * SHA-256 hex of `header.payload.hex(signature bytes)`, or `null` when the header carries no
 * three-part token (nothing to deduplicate on).
 */
export function tokenDedupeKey(authorization: AuthorizationInput): string | null {
  const token = extractToken(authorization);
  if (token === undefined) return null;
  const segments = token.split('.');
  if (segments.length !== 3) return null;
  const [header = '', payload = '', signature = ''] = segments;
  // Node skips characters outside the alphabet, so "sig!" would collide with "sig".
  if (!BASE64URL.test(signature) || signature.length % 4 === 1) return null;
  const signatureHex = Buffer.from(signature, 'base64url').toString('hex');
  return createHash('sha256').update(`${header}.${payload}.${signatureHex}`, 'utf8').digest('hex');
}
