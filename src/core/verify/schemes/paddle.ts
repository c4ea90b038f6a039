// Paddle Billing: `Paddle-Signature: ts=<unix s>;h1=<hex>[;h1=<hex>]` = HMAC-SHA256 over
// `{ts}:{raw body}` (a colon, not a dot) with the notification destination's secret key. Every
// h1 is tried (Paddle's SDK keeps only the last one, which fails during a secret rotation); the
// SDK's tolerance is 5 seconds, which is the default here too.
import { timestampedHeaderScheme } from './timestampedHeader';

export const paddleScheme = timestampedHeaderScheme({
  schemeId: 'paddle',
  header: 'Paddle-Signature',
  provider: 'Paddle',
  itemSeparator: ';',
  timestampKey: 'ts',
  signatureKey: 'h1',
  contentSeparator: ':',
  toleranceSeconds: 5,
});
