// Linear: `Linear-Signature: <hex>` = HMAC-SHA256 of the raw body with the webhook's signing
// secret. The timestamp is the body's `webhookTimestamp` (so it is signed), or else the
// `Linear-Timestamp` header, both in milliseconds; Linear's SDK refuses either more than 60 s
// away from now, in both directions.
import { resolvePointer } from '../../senders/jsonPointer';
import type { RequestFacts } from '../../providers/requestFacts';
import type { VerificationScheme } from '../scheme';
import { bodyHmacScheme, type BodyTimestamp } from './bodyHmac';
import { replaceHeaders } from './headers';
import { quote, shown } from './signedPayload';

const BODY_FIELD = 'webhookTimestamp';
const TIMESTAMP_HEADER = 'Linear-Timestamp';

function milliseconds(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  return /^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function linearTimestamp(request: RequestFacts): BodyTimestamp | undefined {
  const inBody = resolvePointer(request.json, `/${BODY_FIELD}`);
  if (inBody !== undefined && inBody !== null) {
    const ms = milliseconds(inBody);
    if (ms === undefined) {
      return {
        error: `The body's ${BODY_FIELD} ${quote(shown(typeof inBody === 'string' ? inBody : JSON.stringify(inBody), 40))} is not a Unix time in milliseconds.`,
      };
    }
    const seconds = Math.floor(ms / 1000);
    return { seconds, row: [`${BODY_FIELD} (body)`, `${ms} ms`] };
  }
  const header = request.header(TIMESTAMP_HEADER);
  if (header === undefined) return undefined;
  const ms = milliseconds(header);
  if (ms === undefined) {
    return {
      error: `The ${TIMESTAMP_HEADER} header ${quote(shown(header, 40))} is not a Unix time in milliseconds.`,
    };
  }
  return { seconds: Math.floor(ms / 1000), row: [TIMESTAMP_HEADER, `${ms} ms (not signed)`] };
}

const base = bodyHmacScheme({
  schemeId: 'linear',
  header: 'Linear-Signature',
  provider: 'Linear',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: '',
  timestamp: linearTimestamp,
  toleranceSeconds: 60,
  checkFuture: true,
  signedContent: `the raw body (which carries ${BODY_FIELD})`,
});

export const linearScheme: VerificationScheme = {
  ...base,
  // Re-signing cannot move the body's webhookTimestamp (the body is what is replayed); a
  // Linear-Timestamp header, when the request has one, is brought up to date with the signature.
  sign(input, secret, context) {
    const signed = base.sign?.(input, secret, context) ?? { headers: input.headers };
    const hasHeader = input.headers.some(
      ([name]) => name.toLowerCase() === TIMESTAMP_HEADER.toLowerCase(),
    );
    return hasHeader
      ? { headers: replaceHeaders(signed.headers, [[TIMESTAMP_HEADER, String(context.nowMs)]]) }
      : signed;
  },
};
