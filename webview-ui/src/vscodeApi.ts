import type { WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; everything posts through this typed wrapper. */
const api: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}
