// Linear: `Linear-Signature` (hex HMAC-SHA256 of the raw body) with the webhook's signing secret,
// the timestamp in the body's `webhookTimestamp` (milliseconds). The event is the body's `type`
// and `action` (`Issue.create`), the id the `Linear-Delivery` header, grouped by the entity.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const linear: Provider = {
  id: 'linear',
  label: 'Linear',
  scheme: 'linear',
  secret: {
    kind: 'issued',
    noun: 'signing secret',
    where: "the webhook's Signing secret in Linear (Settings → API → Webhooks → the webhook)",
    validate(value) {
      const text = value.trim();
      if (text.startsWith('lin_api_') || text.startsWith('lin_oauth_')) {
        return "This is a Linear API key or OAuth token; webhooks are signed with the webhook's signing secret (lin_wh_…).";
      }
      return /\s/.test(text) ? 'A Linear signing secret has no spaces.' : undefined;
    },
  },
  detect: (request) =>
    request.header('linear-signature') !== undefined ||
    request.header('linear-delivery') !== undefined,
  recognise(request) {
    const type =
      stringAt(request.json, '/type') ?? (request.header('linear-event')?.trim() || null);
    const action = stringAt(request.json, '/action');
    return {
      event: type === null ? action : action === null ? type : `${type}.${action}`,
      sessionId: stringAt(request.json, '/data/id'),
      senderEventId: request.header('linear-delivery')?.trim() || null,
    };
  },
};
