// Typeform: `Typeform-Signature: sha256=<base64>` = HMAC-SHA256 of the raw body with the
// webhook's secret. The prefix says sha256= like GitHub's, but the digest is base64, not hex.
import { bodyHmacScheme } from './bodyHmac';

export const typeformScheme = bodyHmacScheme({
  schemeId: 'typeform',
  header: 'Typeform-Signature',
  provider: 'Typeform',
  algorithm: 'sha256',
  encoding: 'base64',
  prefix: 'sha256=',
});
