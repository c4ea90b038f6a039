// Calendly: `Calendly-Webhook-Signature: t=…,v1=…` over `{t}.{raw body}` with the subscription's
// signing key. The event is the body's `event` (`invitee.created`); Calendly sends no event id,
// so the event and the invitee's URI stand for one. Grouped by the scheduled event.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const calendly: Provider = {
  id: 'calendly',
  label: 'Calendly',
  scheme: 'calendly',
  secret: {
    kind: 'chosen',
    noun: 'webhook signing key',
    where:
      'the signing_key given when the webhook subscription was created (OAuth apps: the Webhook signing key in the Calendly developer portal)',
    validate: (value) =>
      /\s/.test(value.trim()) ? 'A Calendly signing key has no spaces.' : undefined,
  },
  detect: (request) => request.header('calendly-webhook-signature') !== undefined,
  recognise(request) {
    const event = stringAt(request.json, '/event');
    const uri = stringAt(request.json, '/payload/uri');
    return {
      event,
      sessionId:
        stringAt(request.json, '/payload/scheduled_event/uri') ??
        stringAt(request.json, '/payload/event'),
      senderEventId: event === null || uri === null ? null : `${event} ${uri}`,
    };
  },
};
