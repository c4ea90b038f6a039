// Calendly: `Calendly-Webhook-Signature: t=<unix s>,v1=<hex>` = HMAC-SHA256 over `{t}.{raw body}`
// with the subscription's signing key. Calendly's own example refuses timestamps more than three
// minutes old, so that is the default tolerance.
import { timestampedHeaderScheme } from './timestampedHeader';

export const calendlyScheme = timestampedHeaderScheme({
  schemeId: 'calendly',
  header: 'Calendly-Webhook-Signature',
  provider: 'Calendly',
  itemSeparator: ',',
  timestampKey: 't',
  signatureKey: 'v1',
  contentSeparator: '.',
  toleranceSeconds: 180,
});
