// Rapida: conversation webhooks `{event, data}`, posted by Go's HTTP client; signed only when the
// user adds a static header, which the JWT scheme checks like Watson's (secret_match).
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

function rapidaEvent(json: unknown): string | null {
  const event = stringAt(json, '/event');
  if (event === null || stringAt(json, '/event/name') !== null) return null;
  return event.startsWith('conversation.') || stringAt(json, '/data/conversation/id') !== null
    ? event
    : null;
}

export const rapida: Provider = {
  id: 'rapida',
  label: 'Rapida',
  scheme: 'jwt',
  secret: {
    kind: 'chosen',
    noun: 'header secret',
    where: 'the value of the authorization header you added to the Rapida webhook',
  },
  detect: (request) => rapidaEvent(request.json) !== null,
  recognise: (request) => ({
    event: rapidaEvent(request.json),
    sessionId: stringAt(request.json, '/data/conversation/id'),
    senderEventId: null,
  }),
};
