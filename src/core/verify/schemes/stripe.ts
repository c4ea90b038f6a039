// Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=…]`, HMAC-SHA256 over `{t}.{raw body}`, keyed
// with the whole `whsec_…` string as text (not base64-decoded), 300 s tolerance (stripe-node).
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromHex,
  hmac,
  shown,
  singleHeader,
  unixSeconds,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'Stripe-Signature';

const spec: SignedPayloadSpec = {
  schemeId: 'stripe',
  headerName: HEADER,
  toleranceSeconds: 300,
  signedContent: 'the t= timestamp, a dot, and the raw body',
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Stripe');
    if (!header.ok) return header;
    let timestamp: string | undefined;
    const signatures: Buffer[] = [];
    for (const item of header.value.split(',')) {
      const [key, ...rest] = item.split('=');
      const value = rest.join('=').trim();
      if (key?.trim() === 't') timestamp = value;
      else if (key?.trim() === 'v1') {
        const bytes = fromHex(value);
        if (bytes === undefined || bytes.length !== 32) {
          return {
            kind: 'malformed',
            reason: `${HEADER} has a v1 signature that is not 64 hex digits.`,
          };
        }
        signatures.push(bytes);
      }
    }
    if (timestamp === undefined) {
      return { kind: 'malformed', reason: `${HEADER} has no t= timestamp.` };
    }
    const seconds = unixSeconds(timestamp, `${HEADER} t=`);
    if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
    if (signatures.length === 0) {
      return {
        kind: 'malformed',
        reason: `${HEADER} has no v1= signature (Stripe signs with v1).`,
      };
    }
    return {
      kind: 'present',
      signatures,
      timestampSeconds: seconds,
      rows: [[HEADER, shown(header.value)]],
    };
  },
  expected(request, read, secret) {
    return [hmac('sha256', secret, `${read.timestampSeconds}.`, request.body)];
  },
};

export const stripeScheme: VerificationScheme = {
  id: 'stripe',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  sign(input, secret, context) {
    const t = Math.floor(context.nowMs / 1000);
    const v1 = hmac('sha256', secret.value, `${t}.`, input.body).toString('hex');
    return { headers: replaceHeaders(input.headers, [[HEADER, `t=${t},v1=${v1}`]]) };
  },
  dedupeToken: (request) => request.header(HEADER),
};
