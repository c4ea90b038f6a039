// Shopify: `X-Shopify-Hmac-Sha256: <base64>` = HMAC-SHA256 of the raw body with the app's API
// secret (its client secret). No timestamp.
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromBase64,
  hmac,
  shown,
  singleHeader,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'X-Shopify-Hmac-Sha256';

const spec: SignedPayloadSpec = {
  schemeId: 'shopify',
  headerName: HEADER,
  signedContent: 'the raw body',
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Shopify');
    if (!header.ok) return header;
    const bytes = fromBase64(header.value);
    if (bytes === undefined || bytes.length !== 32) {
      return { kind: 'malformed', reason: `${HEADER} is not the base64 of a 32-byte HMAC-SHA256.` };
    }
    return { kind: 'present', signatures: [bytes], rows: [[HEADER, shown(header.value)]] };
  },
  expected: (request, _read, secret) => [hmac('sha256', secret, request.body)],
};

export const shopifyScheme: VerificationScheme = {
  id: 'shopify',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  sign: (input, secret) => ({
    headers: replaceHeaders(input.headers, [
      [HEADER, hmac('sha256', secret.value, input.body).toString('base64')],
    ]),
  }),
  dedupeToken: (request) => request.header(HEADER),
};
