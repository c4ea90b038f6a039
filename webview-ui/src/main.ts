import type { HostToWebview } from '../../src/shared/protocol';
import { renderEmpty, renderOverview } from './render';
import { post, rememberState } from './vscodeApi';

const app = document.getElementById('app');

function show(view: HTMLElement): void {
  app?.replaceChildren(view);
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'delivery/show':
      show(renderOverview(message.delivery));
      rememberState({ deliveryId: message.delivery.id });
      break;
    case 'delivery/none':
      show(renderEmpty(message.message));
      break;
  }
});

show(renderEmpty('Loading…'));
post({ type: 'ready' });
