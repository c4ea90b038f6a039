// Discord: `X-Signature-Ed25519` (hex) over `X-Signature-Timestamp` + the raw body, checked with
// the application's public key (64 hex digits). Only Discord holds the private key, so a replay
// cannot be re-signed.
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { VerificationScheme } from '../scheme';
import {
  fromHex,
  shown,
  singleHeader,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'X-Signature-Ed25519';
const TIMESTAMP = 'X-Signature-Timestamp';

/** An Ed25519 public key from Discord's hex form, or why the text is not one. */
export function discordPublicKey(text: string): KeyObject | string {
  const raw = fromHex(text.trim());
  if (raw === undefined || raw.length !== 32) {
    return 'is not a public key of 64 hex digits (copy "Public Key" from the application\'s General Information page)';
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

const spec: SignedPayloadSpec = {
  schemeId: 'discord',
  headerName: HEADER,
  signedContent: 'the X-Signature-Timestamp followed by the raw body',
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Discord');
    if (!header.ok) return header;
    const stamp = singleHeader(request, TIMESTAMP, 'Discord');
    if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
    const bytes = fromHex(header.value);
    if (bytes === undefined || bytes.length !== 64) {
      return {
        kind: 'malformed',
        reason: `${HEADER} is not 128 hex digits (an Ed25519 signature).`,
      };
    }
    return {
      kind: 'present',
      signatures: [bytes],
      rows: [
        [HEADER, shown(header.value)],
        [TIMESTAMP, shown(stamp.value)],
      ],
    };
  },
  matches(request, read, secret) {
    const key = discordPublicKey(secret);
    if (typeof key === 'string') return key;
    const timestamp = request.header(TIMESTAMP)?.trim() ?? '';
    const content = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
    return read.signatures.some((sig) => verifySignature(null, content, key, sig));
  },
};

export const discordScheme: VerificationScheme = {
  id: 'discord',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  cannotSign:
    'Discord signs with its private key, which only Discord has: the replay keeps the original signature.',
  dedupeToken: (request) => request.header(HEADER),
};
