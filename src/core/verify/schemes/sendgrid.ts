// SendGrid Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` (base64 of a DER ECDSA
// signature) over `X-Twilio-Email-Event-Webhook-Timestamp` followed by the raw body, checked with
// the account's verification key (base64 DER SubjectPublicKeyInfo of a P-256 key, `MFkw…`). Only
// SendGrid holds the private key, so a replay cannot be re-signed. SendGrid's library sets no
// timestamp tolerance, so none is applied here either.
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { VerificationScheme } from '../scheme';
import {
  fromBase64,
  shown,
  singleHeader,
  unixSeconds,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
const TIMESTAMP = 'X-Twilio-Email-Event-Webhook-Timestamp';
const UNUSABLE_KEY =
  'is not a P-256 verification key (copy it from Settings → Mail Settings → Event Webhook → Signature Verification; it starts MFkw)';

const keys = new Map<string, KeyObject | string>();

/** The ECDSA P-256 public key from SendGrid's base64 DER form, or why the text is not one. */
export function sendgridPublicKey(text: string): KeyObject | string {
  const trimmed = text.trim().replace(/\s+/g, '');
  const cached = keys.get(trimmed);
  if (cached !== undefined) return cached;
  let result: KeyObject | string = UNUSABLE_KEY;
  const der = fromBase64(trimmed);
  if (der !== undefined) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
      if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
        result = key;
      }
    } catch {
      // Not DER: result stays the sentence.
    }
  }
  if (keys.size > 64) keys.clear();
  keys.set(trimmed, result);
  return result;
}

const spec: SignedPayloadSpec = {
  schemeId: 'sendgrid',
  headerName: HEADER,
  signedContent: `the ${TIMESTAMP} followed by the raw body (each event ends with CR LF)`,
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'SendGrid');
    if (!header.ok) return header;
    const stamp = singleHeader(request, TIMESTAMP, 'SendGrid');
    if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
    const seconds = unixSeconds(stamp.value, TIMESTAMP);
    if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
    const bytes = fromBase64(header.value);
    // A DER ECDSA P-256 signature is a SEQUENCE (0x30) of two integers, 8 to 72 bytes.
    if (bytes === undefined || bytes.length < 8 || bytes.length > 72 || bytes[0] !== 0x30) {
      return {
        kind: 'malformed',
        reason: `${HEADER} is not the base64 of a DER-encoded ECDSA signature.`,
      };
    }
    return {
      kind: 'present',
      signatures: [bytes],
      timestampSeconds: seconds,
      rows: [
        [HEADER, shown(header.value)],
        [TIMESTAMP, shown(stamp.value)],
      ],
    };
  },
  matches(request, read, secret) {
    const key = sendgridPublicKey(secret);
    if (typeof key === 'string') return key;
    const content = Buffer.concat([
      Buffer.from(request.header(TIMESTAMP)?.trim() ?? '', 'utf8'),
      request.body,
    ]);
    return read.signatures.some((signature) => {
      try {
        return verifySignature('sha256', content, { key, dsaEncoding: 'der' }, signature);
      } catch {
        return false;
      }
    });
  },
};

export const sendgridScheme: VerificationScheme = {
  id: 'sendgrid',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  cannotSign:
    'SendGrid signs with its private key, which only SendGrid has: the replay keeps the original signature.',
  dedupeToken: (request) => request.header(HEADER),
};
