// Vercel: `x-vercel-signature` (hex HMAC-SHA1 of the raw body) with the webhook's secret or the
// integration's Client Secret. The event is the body's `type` (`deployment.created`), its id `id`,
// grouped by deployment (or project).
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const vercel: Provider = {
  id: 'vercel',
  label: 'Vercel',
  scheme: 'vercel',
  secret: {
    kind: 'issued',
    noun: 'webhook secret',
    where:
      "the secret shown once when the webhook was created (Team Settings → Webhooks), or the integration's Client Secret",
    validate: (value) =>
      /\s/.test(value.trim()) ? 'A Vercel webhook secret has no spaces.' : undefined,
  },
  detect: (request) => request.header('x-vercel-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/type'),
    sessionId:
      stringAt(request.json, '/payload/deployment/id') ??
      stringAt(request.json, '/payload/project/id'),
    senderEventId: stringAt(request.json, '/id'),
  }),
};
