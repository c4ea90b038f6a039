// Paddle Billing: `Paddle-Signature: ts=…;h1=…` over `{ts}:{raw body}` with the notification
// destination's secret key; the event is the body's `event_type` (`transaction.completed`), its
// id `event_id` (the same on every retry), grouped by customer.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const paddle: Provider = {
  id: 'paddle',
  label: 'Paddle',
  scheme: 'paddle',
  secret: {
    kind: 'issued',
    noun: 'secret key',
    where:
      "the notification destination's Secret key in Paddle (Developer Tools → Notifications → ⋯ → Edit destination)",
    validate(value) {
      const text = value.trim();
      if (/apikey/i.test(text)) {
        return "This is a Paddle API key; webhooks are signed with the notification destination's secret key (pdl_ntfset_…).";
      }
      return /\s/.test(text) ? 'A Paddle secret key has no spaces.' : undefined;
    },
  },
  detect: (request) => request.header('paddle-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/event_type'),
    sessionId:
      stringAt(request.json, '/data/customer_id') ?? stringAt(request.json, '/data/id') ?? null,
    senderEventId:
      stringAt(request.json, '/event_id') ?? stringAt(request.json, '/notification_id'),
  }),
};
