// The Health view's entry point (a second bundle beside the detail panel's main.ts).
import * as l10n from '@vscode/l10n';
import type { HealthToHost, HostToHealth } from '../../src/shared/health';
import { HealthPage } from './healthView';
import { configurePageL10n } from './l10n';

interface VsCodeApi {
  postMessage(message: HealthToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

configurePageL10n();
const api = acquireVsCodeApi();
const app = document.getElementById('app');
const page = app ? new HealthPage(app, (message) => api.postMessage(message)) : undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  const typed = message as HostToHealth;
  switch (typed.type) {
    case 'health/show':
      page?.show(typed.data);
      break;
    case 'health/none':
      page?.showNone(typed.message);
      break;
  }
});

page?.showNone(l10n.t('Loading…'));
api.postMessage({ type: 'ready' });
