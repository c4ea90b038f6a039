// Intercom: `X-Hub-Signature: sha1=<hex>` (HMAC-SHA1 of the raw body with the app's client
// secret), the hub-signature scheme's legacy form. GitHub and Meta use the same header, so
// Intercom is told apart by its User-Agent or its body (`"type":"notification_event"`). The event
// is the body's `topic` (`conversation.user.created`), its id `notif_…`.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const intercom: Provider = {
  id: 'intercom',
  label: 'Intercom',
  scheme: 'hub-signature',
  secret: {
    kind: 'issued',
    noun: 'client secret',
    where: "the app's Client secret in the Intercom Developer Hub (the app → Basic information)",
    validate: (value) =>
      /\s/.test(value.trim()) ? 'An Intercom client secret has no spaces.' : undefined,
  },
  detect(request) {
    if (request.header('x-github-event') !== undefined) return false;
    if (/^intercom-/i.test(request.header('user-agent')?.trim() ?? '')) return true;
    return (
      stringAt(request.json, '/type') === 'notification_event' &&
      (request.header('x-hub-signature') !== undefined || stringAt(request.json, '/topic') !== null)
    );
  },
  recognise: (request) => ({
    event: stringAt(request.json, '/topic'),
    sessionId: stringAt(request.json, '/data/item/id'),
    senderEventId: stringAt(request.json, '/id'),
  }),
};
