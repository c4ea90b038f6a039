// Shopify: `X-Shopify-Hmac-Sha256: <base64>` = HMAC-SHA256 of the raw body with the app's API
// secret (its client secret). No timestamp. Shopify's newer "events" deliveries send the same
// signature un-prefixed as `shopify-hmac-sha256` (shopify-api-js picks the header set by which
// HMAC header is present), so that one is read when the classic one is absent.
import type { RequestFacts } from '../../providers/requestFacts';
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
const EVENTS_HEADER = 'shopify-hmac-sha256';

function headerOf(has: (name: string) => boolean): string {
  return !has(HEADER) && has(EVENTS_HEADER) ? EVENTS_HEADER : HEADER;
}

function specFor(request: RequestFacts): SignedPayloadSpec {
  const name = headerOf((header) => request.header(header) !== undefined);
  return {
    schemeId: 'shopify',
    headerName: name,
    signedContent: 'the raw body',
    read(facts): SignatureRead {
      const header = singleHeader(facts, name, 'Shopify');
      if (!header.ok) return header;
      const bytes = fromBase64(header.value);
      if (bytes === undefined || bytes.length !== 32) {
        return {
          kind: 'malformed',
          reason: `${name} is not the base64 of a 32-byte HMAC-SHA256.`,
        };
      }
      return { kind: 'present', signatures: [bytes], rows: [[name, shown(header.value)]] };
    },
    expected: (facts, _read, secret) => [hmac('sha256', secret, facts.body)],
  };
}

export const shopifyScheme: VerificationScheme = {
  id: 'shopify',
  verify: (request, secrets, context) =>
    verifySignedPayload(specFor(request), request, secrets, context),
  sign: (input, secret) => ({
    headers: replaceHeaders(input.headers, [
      [
        headerOf((name) => input.headers.some(([key]) => key.toLowerCase() === name.toLowerCase())),
        hmac('sha256', secret.value, input.body).toString('base64'),
      ],
    ]),
  }),
  dedupeToken: (request) => request.header(HEADER) ?? request.header(EVENTS_HEADER),
};
