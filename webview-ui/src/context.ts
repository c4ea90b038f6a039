// What every part of the panel shares: the user's view state (kept across live updates of the
// same delivery) and the ways out of the page (posting to the host, switching tabs).
import type { WebviewToHost } from '../../src/shared/protocol';
import { newTreeState, type TreeState } from './jsonTree';

export const TAB_IDS = ['overview', 'sender', 'request', 'response', 'auth', 'attempts'] as const;
export type TabId = (typeof TAB_IDS)[number];

export function isTabId(value: unknown): value is TabId {
  return typeof value === 'string' && (TAB_IDS as readonly string[]).includes(value);
}

export interface UiState {
  deliveryId: string | null;
  tab: TabId;
  /** Per JSON tree (request body, each response body...): expansion and search. */
  readonly trees: Map<string, TreeState>;
  /** Per body: tree or raw. */
  readonly bodyModes: Map<string, 'tree' | 'raw'>;
  /** Which <details> the user opened, by a stable key. */
  readonly openDetails: Set<string>;
}

export function newUiState(tab: TabId = 'overview'): UiState {
  return {
    deliveryId: null,
    tab,
    trees: new Map(),
    bodyModes: new Map(),
    openDetails: new Set(),
  };
}

/** Forgets everything that belonged to the previous delivery, except the selected tab. */
export function resetForDelivery(ui: UiState, deliveryId: string): void {
  ui.deliveryId = deliveryId;
  ui.trees.clear();
  ui.bodyModes.clear();
  ui.openDetails.clear();
}

export function treeStateFor(ui: UiState, key: string): TreeState {
  let state = ui.trees.get(key);
  if (!state) {
    state = newTreeState();
    ui.trees.set(key, state);
  }
  return state;
}

export interface ViewContext {
  readonly ui: UiState;
  readonly post: (message: WebviewToHost) => void;
  readonly selectTab: (tab: TabId) => void;
  /** The clock for "in 4 min" / "2 h ago"; tests pin it. */
  readonly now: () => number;
}
