// Any other JSON (or form) webhook: the event, session and id are found with the configurable
// pointers, and Authorization is checked as a JWT with the default secret when one is set.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const generic: Provider = {
  id: 'generic',
  label: 'Generic webhook',
  scheme: 'jwt',
  secret: {
    kind: 'chosen',
    noun: 'JWT secret',
    where: 'the secret your sender signs its Authorization JWT with',
  },
  detect: () => true,
  recognise(request, { pointers }) {
    const body = request.json;
    const event =
      (pointers.event ? stringAt(body, pointers.event) : null) ??
      stringAt(body, '/event') ??
      stringAt(body, '/event/name') ??
      stringAt(body, '/event_type') ??
      stringAt(body, '/eventType') ??
      request.header('x-event-type') ??
      null;
    const sessionId = pointers.session ? stringAt(body, pointers.session) : null;
    const senderEventId =
      request.header('webhook-id') ??
      request.header('x-request-id') ??
      (pointers.id ? stringAt(body, pointers.id) : null);
    return { event, sessionId, senderEventId };
  },
};
