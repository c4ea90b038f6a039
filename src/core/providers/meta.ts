// Meta (Facebook, Instagram, WhatsApp Cloud API): `X-Hub-Signature-256` with the App Secret; the
// event is the body's `object` with the first change's `field` (`whatsapp_business_account.
// messages`). Subscribing sends `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`,
// answered with the challenge when the verify token is one configured.
import { timingSafeEqual } from 'node:crypto';
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

const OBJECTS = new Set([
  'page',
  'instagram',
  'whatsapp_business_account',
  'user',
  'permissions',
  'application',
  'certificate_transparency',
]);

function isSubscribe(url: string): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  return params.get('hub.mode') === 'subscribe' && params.has('hub.challenge');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export const meta: Provider = {
  id: 'meta',
  label: 'Meta',
  scheme: 'hub-signature',
  secret: {
    kind: 'issued',
    noun: 'App Secret',
    where: 'App settings → Basic → App Secret, in the Meta app dashboard',
    validate: (value) =>
      /^[0-9a-f]{32}$/.test(value.trim()) ? undefined : 'A Meta App Secret is 32 hex digits.',
  },
  verifyToken: {
    noun: 'verify token',
    where: 'the Verify token you type next to the Callback URL when you subscribe',
  },
  detect: (request) =>
    (request.method === 'GET' && isSubscribe(request.url)) ||
    (request.header('x-github-event') === undefined &&
      (request.header('x-hub-signature-256') !== undefined ||
        request.header('x-hub-signature') !== undefined) &&
      OBJECTS.has(stringAt(request.json, '/object') ?? '')),
  recognise(request) {
    if (request.method === 'GET') {
      return { event: 'subscribe', sessionId: null, senderEventId: null };
    }
    const object = stringAt(request.json, '/object');
    const field =
      stringAt(request.json, '/entry/0/changes/0/field') ??
      (stringAt(request.json, '/entry/0/messaging/0/sender/id') !== null ? 'messaging' : null);
    return {
      event: object === null ? null : field === null ? object : `${object}.${field}`,
      sessionId: stringAt(request.json, '/entry/0/id'),
      senderEventId: stringAt(request.json, '/entry/0/changes/0/value/messages/0/id'),
    };
  },
  acceptsMethod: (method, url) => method === 'GET' && isSubscribe(url),
  handshakeVerification(request, verifyTokens) {
    if (request.method !== 'GET' || !isSubscribe(request.url)) return undefined;
    if (verifyTokens.length === 0) {
      return {
        verdict: 'no_secret',
        reason:
          "Meta's subscription check is answered 403: no Meta verify token is configured, so hub.verify_token cannot be checked.",
      };
    }
    const token = request.query('hub.verify_token') ?? '';
    return verifyTokens.some((expected) => sameText(token, expected))
      ? {
          verdict: 'verified',
          reason: 'hub.verify_token matches the Meta verify token; the challenge is echoed.',
        }
      : {
          verdict: 'invalid_signature',
          reason: 'hub.verify_token does not match the Meta verify token.',
        };
  },
  answer(request, _recognition, { verifyTokens }) {
    if (request.method !== 'GET') return undefined;
    const token = request.query('hub.verify_token') ?? '';
    const challenge = request.query('hub.challenge') ?? '';
    const ok = verifyTokens.some((expected) => sameText(token, expected));
    return ok
      ? { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge, handshake: true }
      : {
          status: 403,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ error: 'verify token does not match' }),
          handshake: true,
        };
  },
};
