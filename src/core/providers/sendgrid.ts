// SendGrid Event Webhook: a JSON array of email events, signed with ECDSA P-256 over the
// timestamp header and the raw body, checked with the account's verification (public) key. The
// event is the batch's event types (`delivered`, or `open+processed` for a mixed batch), the id
// the first event's `sg_event_id` (a retried batch is the same batch), grouped by message.
import { resolvePointer, stringAt } from '../senders/jsonPointer';
import { sendgridPublicKey } from '../verify/schemes/sendgrid';
import type { Provider } from './provider';

const MAX_EVENT_NAMES = 4;

function batchEvent(json: unknown): string | null {
  if (!Array.isArray(json)) return stringAt(json, '/event');
  const names = new Set<string>();
  for (let index = 0; index < json.length; index++) {
    // One pointer for every element: a batch of any size never floods the parsed-pointer cache.
    const name = stringAt(json[index], '/event');
    if (name !== null) names.add(name);
  }
  if (names.size === 0) return null;
  const sorted = [...names].sort();
  return sorted.length > MAX_EVENT_NAMES
    ? `${sorted.slice(0, MAX_EVENT_NAMES).join('+')}+…`
    : sorted.join('+');
}

export const sendgrid: Provider = {
  id: 'sendgrid',
  label: 'SendGrid',
  scheme: 'sendgrid',
  secret: {
    kind: 'public-key',
    noun: 'verification key',
    where:
      'Settings → Mail Settings → Event Webhook → Signed Event Webhook Requests → Verification Key (it starts MFkw)',
    validate(value) {
      const key = sendgridPublicKey(value);
      return typeof key === 'string' ? `This ${key}.` : undefined;
    },
  },
  detect: (request) =>
    request.header('x-twilio-email-event-webhook-signature') !== undefined ||
    request.header('x-twilio-email-event-webhook-timestamp') !== undefined,
  recognise(request) {
    const json = request.json;
    const first = Array.isArray(json) ? resolvePointer(json, '/0') : json;
    return {
      event: batchEvent(json),
      sessionId: stringAt(first, '/sg_message_id'),
      senderEventId: stringAt(first, '/sg_event_id'),
    };
  },
};
