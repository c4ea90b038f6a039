// Typeform: `Typeform-Signature: sha256=<base64>` over the raw body with the webhook's secret. The
// event is the body's `event_type` (`form_response`), its id `event_id`, grouped by form.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const typeform: Provider = {
  id: 'typeform',
  label: 'Typeform',
  scheme: 'typeform',
  secret: {
    kind: 'chosen',
    noun: 'webhook secret',
    where:
      "the Secret set on the webhook (the form's Connect → Webhooks → Edit, or `secret` in the Webhooks API)",
  },
  detect: (request) => request.header('typeform-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/event_type'),
    sessionId: stringAt(request.json, '/form_response/form_id'),
    senderEventId: stringAt(request.json, '/event_id'),
  }),
};
