// GitLab: the webhook's secret token sent as `X-Gitlab-Token` (compared, never stored); the event
// is the body's `object_kind` (push, merge_request, …) or the `X-Gitlab-Event` header.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const gitlab: Provider = {
  id: 'gitlab',
  label: 'GitLab',
  scheme: 'gitlab-token',
  secret: {
    kind: 'chosen',
    noun: 'secret token',
    where: "the Secret token field of the project's or group's webhook settings",
  },
  detect: (request) =>
    request.header('x-gitlab-event') !== undefined ||
    request.header('x-gitlab-token') !== undefined,
  recognise: (request) => ({
    event:
      stringAt(request.json, '/object_kind') ??
      stringAt(request.json, '/event_name') ??
      (request.header('x-gitlab-event')?.trim() || null),
    sessionId: stringAt(request.json, '/project/path_with_namespace'),
    senderEventId:
      request.header('x-gitlab-event-uuid')?.trim() ||
      request.header('idempotency-key')?.trim() ||
      null,
  }),
};
