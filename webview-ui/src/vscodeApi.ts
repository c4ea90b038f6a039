import type { WebviewToHost } from '../../src/shared/protocol';

/** What VS Code keeps across reloads so the serializer can restore the panel. */
export interface PanelState {
  readonly deliveryId?: string;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: PanelState): void;
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
