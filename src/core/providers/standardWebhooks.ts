// Standard Webhooks and Svix (Clerk, Resend, OpenAI, Supabase and many more): `webhook-*` or
// `svix-*` headers; the event is the body's `type`, the id the `webhook-id` kept across retries.
import { stringAt } from '../senders/jsonPointer';
import { standardWebhooksKey } from '../verify/schemes/standardWebhooks';
import type { Provider } from './provider';

export const standardWebhooks: Provider = {
  id: 'standard-webhooks',
  label: 'Standard Webhooks',
  scheme: 'standard-webhooks',
  secret: {
    kind: 'issued',
    noun: 'signing secret',
    where:
      "the endpoint's signing secret (whsec_…) in the sender's dashboard (Svix, Clerk, Resend, OpenAI…)",
    validate(value) {
      if (value.trim().startsWith('whpk_')) return undefined;
      const key = standardWebhooksKey(value);
      return typeof key === 'string' ? `This secret ${key}.` : undefined;
    },
  },
  detect: (request) =>
    request.header('webhook-signature') !== undefined ||
    request.header('svix-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/type') ?? stringAt(request.json, '/event_type'),
    sessionId: null,
    senderEventId:
      request.header('webhook-id')?.trim() || request.header('svix-id')?.trim() || null,
  }),
};
