// Stripe: `Stripe-Signature: t=…,v1=…` over `{t}.{raw body}` with the endpoint's `whsec_…`
// signing secret; the event is the body's `type`, its id `evt_…` (the same on every retry).
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const stripe: Provider = {
  id: 'stripe',
  label: 'Stripe',
  scheme: 'stripe',
  secret: {
    kind: 'issued',
    noun: 'signing secret',
    where:
      "the endpoint's Signing secret in the Dashboard (Developers → Webhooks), or the one `stripe listen` prints",
    validate: (value) =>
      value.trim().startsWith('whsec_')
        ? undefined
        : 'A Stripe signing secret starts with whsec_ (an API key sk_… or pk_… is not it).',
  },
  detect: (request) => request.header('stripe-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/type'),
    sessionId: stringAt(request.json, '/data/object/id'),
    senderEventId: stringAt(request.json, '/id'),
  }),
};
