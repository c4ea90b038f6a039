// GitHub: `X-Hub-Signature-256` over the raw body (JSON, or a `payload=` form), the event in
// `X-GitHub-Event` (with the body's `action`), the delivery GUID in `X-GitHub-Delivery`, which a
// redelivery keeps.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const github: Provider = {
  id: 'github',
  label: 'GitHub',
  scheme: 'hub-signature',
  secret: {
    kind: 'chosen',
    noun: 'webhook secret',
    where: "the Secret field of the repository's, organization's or app's webhook settings",
  },
  detect: (request) => request.header('x-github-event') !== undefined,
  recognise(request) {
    const name = request.header('x-github-event')?.trim() || null;
    const action = stringAt(request.json, '/action');
    return {
      event: name === null ? null : action === null ? name : `${name}.${action}`,
      sessionId: stringAt(request.json, '/repository/full_name'),
      senderEventId: request.header('x-github-delivery')?.trim() || null,
    };
  },
};
