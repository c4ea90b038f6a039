// Square: `x-square-hmacsha256-signature` over the subscription's notification URL and the raw
// body, so the public URL matters as for Twilio. The event is the body's `type`
// (`payment.updated`), its id `event_id`, grouped by the object the event is about.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const square: Provider = {
  id: 'square',
  label: 'Square',
  scheme: 'square',
  secret: {
    kind: 'issued',
    noun: 'signature key',
    where:
      "the subscription's Signature key in the Developer Console (the application → Webhooks → Subscriptions)",
    validate(value) {
      const text = value.trim();
      if (/^(EAAA|sq0atp-|sq0csp-|sq0idp-)/.test(text)) {
        return "This is a Square access token or application credential; webhooks are signed with the subscription's signature key.";
      }
      return /\s/.test(text) ? 'A Square signature key has no spaces.' : undefined;
    },
  },
  detect: (request) =>
    request.header('x-square-hmacsha256-signature') !== undefined ||
    request.header('x-square-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/type'),
    sessionId: stringAt(request.json, '/data/id'),
    senderEventId: stringAt(request.json, '/event_id'),
  }),
};
