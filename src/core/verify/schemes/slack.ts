// Slack: `X-Slack-Signature: v0=<hex>` = HMAC-SHA256 over `v0:{X-Slack-Request-Timestamp}:{raw
// body}` with the app's Signing Secret; Bolt refuses timestamps more than 5 minutes old. Zoom signs
// the same way under other header names, so the construction is shared (`v0Scheme`).
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

/** The `v0:{timestamp}:{body}` construction, hex HMAC-SHA256 after `v0=`, under given headers. */
export function v0Scheme(options: {
  readonly id: string;
  readonly header: string;
  readonly timestampHeader: string;
  readonly providerLabel: string;
  readonly toleranceSeconds: number;
}): VerificationScheme {
  const { header: HEADER, timestampHeader: TIMESTAMP, providerLabel } = options;
  // The timestamp exactly as sent: it is part of the signed bytes.
  const signingPrefix = (timestamp: string): string => `v0:${timestamp}:`;
  const spec: SignedPayloadSpec = {
    schemeId: options.id,
    headerName: HEADER,
    toleranceSeconds: options.toleranceSeconds,
    signedContent: `"v0:", the ${TIMESTAMP}, ":" and the raw body`,
    read(request): SignatureRead {
      const header = singleHeader(request, HEADER, providerLabel);
      if (!header.ok) return header;
      const stamp = singleHeader(request, TIMESTAMP, providerLabel);
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
      hmac('sha256', secret, signingPrefix(request.header(TIMESTAMP)?.trim() ?? ''), request.body),
    ],
  };
  return {
    id: options.id,
    verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
    sign(input, secret, context) {
      const ts = String(Math.floor(context.nowMs / 1000));
      const signature = hmac('sha256', secret.value, signingPrefix(ts), input.body).toString('hex');
      return {
        headers: replaceHeaders(input.headers, [
          [TIMESTAMP, ts],
          [HEADER, `v0=${signature}`],
        ]),
      };
    },
    dedupeToken: (request) => request.header(HEADER),
  };
}

export const slackScheme = v0Scheme({
  id: 'slack',
  header: 'X-Slack-Signature',
  timestampHeader: 'X-Slack-Request-Timestamp',
  providerLabel: 'Slack',
  toleranceSeconds: 300,
});
