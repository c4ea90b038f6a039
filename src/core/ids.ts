import { randomBytes } from 'node:crypto';

/**
 * A delivery id: milliseconds in base 36 (sortable for the next few thousand years) plus 40
 * random bits. Only [0-9a-z], so it is safe in file names, URIs and the webview protocol.
 */
export function newDeliveryId(nowMs: number = Date.now()): string {
  return `${Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
