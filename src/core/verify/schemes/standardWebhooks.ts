// Standard Webhooks (and Svix, which it came from: Clerk, Resend, OpenAI…): `webhook-id`,
// `webhook-timestamp`, `webhook-signature: v1,<base64> [v1,<base64>…]` (or the `svix-` names),
// HMAC-SHA256 over `{id}.{timestamp}.{raw body}` keyed with the base64 after `whsec_`; `v1a,`
// signatures are Ed25519 under a `whpk_` public key. ±5 minutes, both directions.
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { RequestFacts } from '../../providers/requestFacts';
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromBase64,
  hmac,
  safeEqual,
  shown,
  singleHeader,
  unixSeconds,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

function prefixOf(request: RequestFacts): 'webhook' | 'svix' {
  return request.header('webhook-signature') === undefined &&
    request.header('svix-signature') !== undefined
    ? 'svix'
    : 'webhook';
}

/** The HMAC key bytes of a `whsec_` secret (the prefix is optional), or why it is not one. */
export function standardWebhooksKey(secret: string): Buffer | string {
  const text = secret
    .trim()
    .replace(/^v1,/, '')
    .replace(/^whsec_/, '');
  const key = fromBase64(text);
  if (key === undefined || key.length === 0) {
    return 'is not whsec_ followed by base64 (copy the whole signing secret from the dashboard)';
  }
  return key;
}

function ed25519PublicKey(secret: string): ReturnType<typeof createPublicKey> | string {
  const raw = fromBase64(secret.trim().slice('whpk_'.length));
  if (raw === undefined || raw.length !== 32)
    return 'is not whpk_ followed by a base64 32-byte key';
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

function specFor(request: RequestFacts): SignedPayloadSpec {
  const prefix = prefixOf(request);
  const names = {
    id: `${prefix}-id`,
    timestamp: `${prefix}-timestamp`,
    signature: `${prefix}-signature`,
  };
  const provider = prefix === 'svix' ? 'Svix' : 'Standard Webhooks';
  let symmetric: Buffer[] = [];
  let asymmetric: Buffer[] = [];
  let id = '';
  return {
    schemeId: 'standard-webhooks',
    headerName: names.signature,
    toleranceSeconds: 300,
    checkFuture: true,
    signedContent: `the ${names.id}, a dot, the ${names.timestamp}, a dot, and the raw body`,
    read(facts): SignatureRead {
      const signature = singleHeader(facts, names.signature, provider);
      if (!signature.ok) return signature;
      const idHeader = singleHeader(facts, names.id, provider);
      if (!idHeader.ok) return { kind: 'malformed', reason: idHeader.reason };
      const stamp = singleHeader(facts, names.timestamp, provider);
      if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
      const seconds = unixSeconds(stamp.value, names.timestamp);
      if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
      id = idHeader.value;
      symmetric = [];
      asymmetric = [];
      for (const item of signature.value.split(' ')) {
        if (item === '') continue;
        const [version, encoded = ''] = item.split(',', 2);
        // Versions this scheme does not know are skipped unread, as the spec says (a v2 entry
        // beside the v1 one must not make the header malformed).
        if (version !== 'v1' && version !== 'v1a') continue;
        const bytes = fromBase64(encoded);
        if (bytes === undefined) {
          return {
            kind: 'malformed',
            reason: `${names.signature} has a ${shown(version ?? '', 10)} signature that is not base64.`,
          };
        }
        if (version === 'v1') symmetric.push(bytes);
        else if (version === 'v1a') asymmetric.push(bytes);
      }
      if (symmetric.length + asymmetric.length === 0) {
        return { kind: 'malformed', reason: `${names.signature} has no v1 or v1a signature.` };
      }
      return {
        kind: 'present',
        signatures: symmetric,
        timestampSeconds: seconds,
        rows: [
          [names.id, shown(idHeader.value)],
          [names.timestamp, shown(stamp.value)],
          [names.signature, shown(signature.value)],
        ],
      };
    },
    matches(facts, read, secret) {
      const content = Buffer.concat([Buffer.from(`${id}.${read.timestampSeconds}.`), facts.body]);
      if (secret.trim().startsWith('whpk_')) {
        const key = ed25519PublicKey(secret);
        if (typeof key === 'string') return key;
        return asymmetric.some(
          (sig) => sig.length === 64 && verifySignature(null, content, key, sig),
        );
      }
      const key = standardWebhooksKey(secret);
      if (typeof key === 'string') return key;
      const expected = hmac('sha256', key, content);
      return symmetric.some((sig) => safeEqual(sig, expected));
    },
  };
}

export const standardWebhooksScheme: VerificationScheme = {
  id: 'standard-webhooks',
  verify: (request, secrets, context) =>
    verifySignedPayload(specFor(request), request, secrets, context),
  sign(input, secret, context) {
    const key = standardWebhooksKey(secret.value);
    if (typeof key === 'string') {
      throw new Error(`The Standard Webhooks secret ${key}; a whpk_ public key cannot sign.`);
    }
    const lower = (name: string): string | undefined =>
      input.headers.find(([key]) => key.toLowerCase() === name)?.[1];
    // Svix's header family when the request uses it (a signature, or only an id so far).
    const prefix =
      lower('webhook-signature') === undefined &&
      lower('webhook-id') === undefined &&
      (lower('svix-signature') !== undefined || lower('svix-id') !== undefined)
        ? 'svix'
        : 'webhook';
    // Trimmed, as verify reads it (singleHeader trims): an id sent with edge whitespace would
    // otherwise be signed with it and never verify.
    const id = lower(`${prefix}-id`)?.trim() || `msg_hooklens_${context.nowMs}`;
    const ts = Math.floor(context.nowMs / 1000);
    const signature = hmac('sha256', key, `${id}.${ts}.`, input.body).toString('base64');
    return {
      headers: replaceHeaders(input.headers, [
        [`${prefix}-id`, id],
        [`${prefix}-timestamp`, String(ts)],
        [`${prefix}-signature`, `v1,${signature}`],
      ]),
    };
  },
  dedupeToken: (request) => request.header('webhook-signature') ?? request.header('svix-signature'),
};
