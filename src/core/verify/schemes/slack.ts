// Slack: `X-Slack-Signature: v0=<hex>` = HMAC-SHA256 over `v0:{X-Slack-Request-Timestamp}:{raw
// body}` with the app's Signing Secret; Bolt refuses timestamps more than 5 minutes old.
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

const HEADER = 'X-Slack-Signature';
const TIMESTAMP = 'X-Slack-Request-Timestamp';

const spec: SignedPayloadSpec = {
  schemeId: 'slack',
  headerName: HEADER,
  toleranceSeconds: 300,
  signedContent: '"v0:", the X-Slack-Request-Timestamp, ":" and the raw body',
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Slack');
    if (!header.ok) return header;
    const stamp = singleHeader(request, TIMESTAMP, 'Slack');
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
  expected: (request, read, secret) => [
    hmac('sha256', secret, `v0:${read.timestampSeconds}:`, request.body),
  ],
};

export const slackScheme: VerificationScheme = {
  id: 'slack',
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
