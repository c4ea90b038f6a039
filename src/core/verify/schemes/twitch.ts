// Twitch EventSub: `Twitch-Eventsub-Message-Signature: sha256=<hex>` = HMAC-SHA256 over the
// message id, the timestamp and the raw body, concatenated without separators, with the secret
// given when subscribing. The timestamp is RFC 3339 with nanoseconds and is signed exactly as
// sent; Twitch asks receivers to refuse messages more than 10 minutes old.
import { randomUUID } from 'node:crypto';
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromHex,
  hmac,
  quote,
  shown,
  singleHeader,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const HEADER = 'Twitch-Eventsub-Message-Signature';
const ID = 'Twitch-Eventsub-Message-Id';
const TIMESTAMP = 'Twitch-Eventsub-Message-Timestamp';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Seconds since the epoch of an RFC 3339 time, or why the text is not one. */
export function rfc3339Seconds(text: string, name: string): number | string {
  const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    return `The ${name} value ${quote(shown(text, 40))} is not an RFC 3339 time.`;
  }
  return Math.floor(ms / 1000);
}

const spec: SignedPayloadSpec = {
  schemeId: 'twitch',
  headerName: HEADER,
  toleranceSeconds: 600,
  signedContent: `the ${ID}, the ${TIMESTAMP} and the raw body, without separators`,
  read(request): SignatureRead {
    const header = singleHeader(request, HEADER, 'Twitch');
    if (!header.ok) return header;
    const id = singleHeader(request, ID, 'Twitch');
    if (!id.ok) return { kind: 'malformed', reason: id.reason };
    const stamp = singleHeader(request, TIMESTAMP, 'Twitch');
    if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
    const seconds = rfc3339Seconds(stamp.value, TIMESTAMP);
    if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
    const value = header.value;
    const bytes = value.toLowerCase().startsWith('sha256=') ? fromHex(value.slice(7)) : undefined;
    if (bytes === undefined || bytes.length !== 32) {
      return { kind: 'malformed', reason: `${HEADER} is not sha256= followed by 64 hex digits.` };
    }
    return {
      kind: 'present',
      signatures: [bytes],
      timestampSeconds: seconds,
      rows: [
        [ID, shown(id.value)],
        [TIMESTAMP, shown(stamp.value)],
        [HEADER, shown(value)],
      ],
    };
  },
  expected: (request, _read, secret) => [
    hmac(
      'sha256',
      secret,
      request.header(ID)?.trim() ?? '',
      request.header(TIMESTAMP)?.trim() ?? '',
      request.body,
    ),
  ],
};

export const twitchScheme: VerificationScheme = {
  id: 'twitch',
  verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
  sign(input, secret, context) {
    const header = (name: string): string | undefined =>
      input.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.trim();
    // The message id is kept, so the handler's duplicate check can be tested with a replay.
    const id = header(ID) || randomUUID();
    const timestamp = new Date(context.nowMs).toISOString();
    const signature = hmac('sha256', secret.value, id, timestamp, input.body).toString('hex');
    return {
      headers: replaceHeaders(input.headers, [
        [ID, id],
        [TIMESTAMP, timestamp],
        [HEADER, `sha256=${signature}`],
      ]),
    };
  },
  dedupeToken: (request) => request.header(HEADER),
};
