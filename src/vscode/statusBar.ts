import * as vscode from 'vscode';
import type { ReceiverState } from '../shared/model';
import { DisposableOwner } from './dispose';

/** One status-bar item: the receiver's state, port and delivery count; a click lists actions. */
export class ReceiverStatusBar extends DisposableOwner {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('hooklens.receiver', vscode.StatusBarAlignment.Left, 100),
  );

  constructor() {
    super();
    this.item.name = 'HookLens Receiver';
    this.item.command = 'hooklens.statusActions';
    this.show({ kind: 'stopped' }, 0);
    this.item.show();
  }

  show(state: ReceiverState, deliveryCount: number): void {
    const count = deliveryCount > 0 ? ` · ${deliveryCount}` : '';
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'stopped':
        this.item.text = `$(circle-slash) HookLens: off${count}`;
        this.item.tooltip = 'HookLens receiver is stopped. Click for actions.';
        break;
      case 'starting':
        this.item.text = `$(loading~spin) HookLens :${state.port}`;
        this.item.tooltip = `Starting the HookLens receiver on ${state.host}:${state.port}…`;
        break;
      case 'listening':
        this.item.text = `$(radio-tower) HookLens :${state.port}${count}`;
        this.item.tooltip = `Receiving webhooks at ${state.url}. Click for actions (copy URL, stop, …).`;
        break;
      case 'viewer':
        this.item.text = `$(eye) HookLens: viewer${count}`;
        this.item.tooltip = `Another VS Code window${state.ownerPid ? ` (pid ${state.ownerPid})` : ''} runs the receiver; this window shows its deliveries.`;
        break;
      case 'failed':
        this.item.text = `$(error) HookLens :${state.port}`;
        this.item.tooltip = `${state.message} Click for actions.`;
        // The guidelines keep the error background for exactly this: the receiver cannot run.
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
  }
}
