// Vercel: `x-vercel-signature: <hex>` = HMAC-SHA1 of the raw body with the webhook's secret (or
// the integration's Client Secret). No prefix, no timestamp.
import { bodyHmacScheme } from './bodyHmac';

export const vercelScheme = bodyHmacScheme({
  schemeId: 'vercel',
  header: 'x-vercel-signature',
  provider: 'Vercel',
  algorithm: 'sha1',
  encoding: 'hex',
  prefix: '',
});
