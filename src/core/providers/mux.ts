// Mux: `Mux-Signature: t=…,v1=…` over `{t}.{raw body}` with the webhook's signing secret. The
// event is the body's `type` (`video.asset.ready`), its id `id`, grouped by the asset or stream.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const mux: Provider = {
  id: 'mux',
  label: 'Mux',
  scheme: 'mux',
  secret: {
    kind: 'issued',
    noun: 'signing secret',
    where: "the webhook's Signing Secret in the Mux dashboard (Settings → Webhooks)",
    validate: (value) =>
      /\s/.test(value.trim()) ? 'A Mux signing secret has no spaces.' : undefined,
  },
  detect: (request) => request.header('mux-signature') !== undefined,
  recognise: (request) => ({
    event: stringAt(request.json, '/type'),
    sessionId: stringAt(request.json, '/object/id') ?? stringAt(request.json, '/data/id'),
    senderEventId: stringAt(request.json, '/id'),
  }),
};
