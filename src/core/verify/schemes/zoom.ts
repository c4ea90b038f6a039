// Zoom: `x-zm-signature: v0=<hex>` = HMAC-SHA256 over `v0:{x-zm-request-timestamp}:{raw body}`
// with the app's Secret Token (Slack's construction under other header names). Zoom documents no
// window; 300 s is what receivers commonly use. The same secret answers Zoom's
// `endpoint.url_validation` handshake: encryptedToken = hex HMAC-SHA256(secret, plainToken).
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

const HEADER = 'x-zm-signature';
const TIMESTAMP = 'x-zm-request-timestamp';

/** The `encryptedToken` Zoom expects back for a `plainToken`. */
export function zoomEncryptedToken(secret: string, plainToken: string): string {
  return hmac('sha256', secret, plainToken).toString('hex');
}

const spec: SignedPayloadSpec = {
  schemeId: 'zoom',
  headerName: HEADER,
  toleranceSeconds: 300,
  signedContent: `"v0:", the ${TIMESTAMP}, ":" and the raw body`,
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Zoom');
    if (!header.ok) return header;
    const stamp = singleHeader(request, TIMESTAMP, 'Zoom');
    if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
    const seconds = unixSeconds(stamp.value, TIMESTAMP);
    if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
    const bytes = header.value.startsWith('v0=') ? fromHex(header.value.slice(3)) : undefined;
    if (bytes === undefined || bytes.length !== 32) {
      return { kind: 'malformed', reason: `${HEADER} is not v0= followed by 64 hex digits.` };
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
  expected: (request, _read, secret) => [
    hmac('sha256', secret, `v0:${request.header(TIMESTAMP)?.trim() ?? ''}:`, request.body),
  ],
};

export const zoomScheme: VerificationScheme = {
  id: 'zoom',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  sign(input, secret, context) {
    const ts = Math.floor(context.nowMs / 1000);
    const signature = hmac('sha256', secret.value, `v0:${ts}:`, input.body).toString('hex');
    return {
      headers: replaceHeaders(input.headers, [
        [TIMESTAMP, String(ts)],
        [HEADER, `v0=${signature}`],
      ]),
    };
  },
  dedupeToken: (request) => request.header(HEADER),
};
