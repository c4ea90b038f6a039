// The typed contract between the extension host and the detail webview. Both sides import this
// file. Messages from the webview are untrusted (a compromised page can post anything), so the
// host accepts only what `parseWebviewMessage` returns.
import type { DeliveryDetail } from './detail';

export type HostToWebview =
  | { readonly type: 'delivery/show'; readonly detail: DeliveryDetail }
  | { readonly type: 'delivery/none'; readonly message: string };

/** The panel's toolbar buttons. Each names a command; the host decides what it does and where. */
export const DETAIL_ACTIONS = [
  'replay',
  'replayFresh',
  'replayTo',
  'editAndReplay',
  'copyAsCurl',
  'copyBody',
  'copyId',
  'openBody',
  'pin',
  'compare',
  'setSecret',
] as const;
export type DetailAction = (typeof DETAIL_ACTIONS)[number];

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'openDelivery'; readonly deliveryId: string }
  | { readonly type: 'action'; readonly action: DetailAction; readonly deliveryId: string };

/** Larger messages are dropped: nothing the webview legitimately sends comes near this. */
export const MAX_WEBVIEW_MESSAGE_CHARS = 1_000_000;
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function isDeliveryId(value: unknown): value is string {
  return typeof value === 'string' && DELIVERY_ID.test(value);
}

function isDetailAction(value: unknown): value is DetailAction {
  return typeof value === 'string' && (DETAIL_ACTIONS as readonly string[]).includes(value);
}

/**
 * Returns a fresh, well-formed message, or `undefined` for anything else: unknown types, extra or
 * missing fields, wrong field types, oversized strings, prototype tricks.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isPlainRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return hasOnlyKeys(raw, ['type']) ? { type: 'ready' } : undefined;
    case 'copy':
      return hasOnlyKeys(raw, ['type', 'text']) &&
        typeof raw.text === 'string' &&
        raw.text.length <= MAX_WEBVIEW_MESSAGE_CHARS
        ? { type: 'copy', text: raw.text }
        : undefined;
    case 'openDelivery':
      return hasOnlyKeys(raw, ['type', 'deliveryId']) && isDeliveryId(raw.deliveryId)
        ? { type: 'openDelivery', deliveryId: raw.deliveryId }
        : undefined;
    case 'action':
      // No target, URL or body travels with an action: the host takes those from its own state.
      return hasOnlyKeys(raw, ['type', 'action', 'deliveryId']) &&
        isDetailAction(raw.action) &&
        isDeliveryId(raw.deliveryId)
        ? { type: 'action', action: raw.action, deliveryId: raw.deliveryId }
        : undefined;
    default:
      return undefined;
  }
}
