import * as l10n from '@vscode/l10n';
import type { HostToWebview } from '../../src/shared/protocol';
import { isTabId } from './context';
import { DetailView } from './detailView';
import { configurePageL10n } from './l10n';
import { post, rememberState, restoredState } from './vscodeApi';

configurePageL10n();
const app = document.getElementById('app');
const saved = restoredState();
const view = app
  ? new DetailView(app, post, {
      initialTab: isTabId(saved.tab) ? saved.tab : 'overview',
      onStateChange: rememberState,
    })
  : undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  const typed = message as HostToWebview;
  switch (typed.type) {
    case 'delivery/show':
      view?.show(typed.detail);
      break;
    case 'delivery/none':
      view?.showEmpty(typed.message);
      break;
    case 'simulation/state':
      view?.setSimulation(typed.state);
      break;
  }
});

view?.showEmpty(l10n.t('Loading…'));
post({ type: 'ready' });
