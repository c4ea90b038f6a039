// The typed contract between the extension host and the detail webview. Both sides import this
// file. Messages from the webview are untrusted (a compromised page can post anything), so the
// host accepts only what `parseWebviewMessage` returns.
import type { DeliveryDetail } from './detail';

/**
 * The id of the page's `<script type="application/json">` holding its l10n bundle (the messages
 * in the editor's language): the host writes it into both pages' HTML, and each page reads it
 * before drawing anything.
 */
export const L10N_ELEMENT_ID = 'hooklens-l10n';

export type HostToWebview =
  | { readonly type: 'delivery/show'; readonly detail: DeliveryDetail }
  | { readonly type: 'delivery/none'; readonly message: string }
  /** Failure simulation as it stands (the toolbar's toggle); null when it is off. */
  | { readonly type: 'simulation/state'; readonly state: SimulationView | null };

/** What the panel shows of failure simulation while it is on. */
export interface SimulationView {
  /** What is being failed, e.g. "failing the next 2 (500)". */
  readonly text: string;
}

/**
 * The panel's failure-simulation toggle: `failNext3` turns on "Answer 500 to the next 3
 * deliveries", `stop` turns simulation off. The host runs its Simulate Failures commands.
 */
export const SIMULATION_ACTIONS = ['failNext3', 'stop'] as const;
export type SimulationAction = (typeof SIMULATION_ACTIONS)[number];

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
  | { readonly type: 'action'; readonly action: DetailAction; readonly deliveryId: string }
  | { readonly type: 'simulation'; readonly action: SimulationAction };

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
    case 'simulation':
      // Only on or off: the count and status of "the next 3" are the host's, never the page's.
      return hasOnlyKeys(raw, ['type', 'action']) &&
        typeof raw.action === 'string' &&
        (SIMULATION_ACTIONS as readonly string[]).includes(raw.action)
        ? { type: 'simulation', action: raw.action as SimulationAction }
        : undefined;
    default:
      return undefined;
  }
}
