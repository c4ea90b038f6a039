import type { WebviewToHost } from '../../src/shared/protocol';

/** What VS Code keeps across reloads so the serializer can restore the panel. */
export interface PanelState {
  readonly deliveryId?: string;
  /** The selected tab, so a restored or re-shown panel opens where the user left it. */
  readonly tab?: string;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: PanelState): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; everything posts through this typed wrapper. */
const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export function rememberState(state: PanelState): void {
  api.setState(state);
}

/** The state saved before a reload; anything malformed counts as none. */
export function restoredState(): PanelState {
  const state = api.getState();
  if (typeof state !== 'object' || state === null) return {};
  const { deliveryId, tab } = state as Record<string, unknown>;
  return {
    ...(typeof deliveryId === 'string' ? { deliveryId } : {}),
    ...(typeof tab === 'string' ? { tab } : {}),
  };
}
