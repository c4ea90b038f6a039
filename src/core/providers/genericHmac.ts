// Any HMAC-signing sender not listed, described by the generic HMAC settings (header, prefix,
// algorithm, encoding, signed content). It claims a delivery when its configured header is there.
import type { Provider } from './provider';
import { generic } from './generic';

export const genericHmac: Provider = {
  id: 'generic-hmac',
  label: 'Generic HMAC',
  scheme: 'generic-hmac',
  secret: {
    kind: 'chosen',
    noun: 'HMAC secret',
    where: 'the secret your sender signs with',
  },
  detect: (request, context) =>
    context.genericHmacHeader !== undefined &&
    request.header(context.genericHmacHeader) !== undefined,
  recognise: (request, context) => generic.recognise(request, context),
};
