// Zoom: `x-zm-signature: v0=<hex>` = HMAC-SHA256 over `v0:{x-zm-request-timestamp}:{raw body}`
// with the app's Secret Token (Slack's construction under other header names). Zoom documents no
// window; 300 s is what receivers commonly use. The same secret answers Zoom's
// `endpoint.url_validation` handshake: encryptedToken = hex HMAC-SHA256(secret, plainToken).
import { hmac } from './signedPayload';
import { v0Scheme } from './slack';

/** The `encryptedToken` Zoom expects back for a `plainToken`. */
export function zoomEncryptedToken(secret: string, plainToken: string): string {
  return hmac('sha256', secret, plainToken).toString('hex');
}

export const zoomScheme = v0Scheme({
  id: 'zoom',
  header: 'x-zm-signature',
  timestampHeader: 'x-zm-request-timestamp',
  providerLabel: 'Zoom',
  toleranceSeconds: 300,
});
