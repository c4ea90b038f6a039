// Mux: `Mux-Signature: t=<unix s>,v1=<hex>` = HMAC-SHA256 over `{t}.{raw body}` with the
// webhook's signing secret (as text); mux-node refuses timestamps more than 300 s old.
import { timestampedHeaderScheme } from './timestampedHeader';

export const muxScheme = timestampedHeaderScheme({
  schemeId: 'mux',
  header: 'Mux-Signature',
  provider: 'Mux',
  itemSeparator: ',',
  timestampKey: 't',
  signatureKey: 'v1',
  contentSeparator: '.',
  toleranceSeconds: 300,
});
