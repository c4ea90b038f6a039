import * as vscode from 'vscode';
import type { ReceiverState } from '../shared/model';
import type { CommandId } from './commandIds';
import { DisposableOwner } from './dispose';
import type { StoreBadge } from './store/storeStatus';

/**
 * One status-bar item: the receiver's state, port and delivery count; a click lists actions. The
 * tooltip also says which providers have a secret (their names only, never a value).
 */
export class ReceiverStatusBar extends DisposableOwner {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('hooklens.receiver', vscode.StatusBarAlignment.Left, 100),
  );
  private state: ReceiverState = { kind: 'stopped' };
  private deliveryCount = 0;
  /** The providers with a secret, in words; empty when none is set. */
  private verifying = '';
  /** Deliveries that failed to reach the handler since the user last looked at the view. */
  private failed = 0;
  /** The team store: which, and whether it can be reached; undefined for the local store. */
  private store: StoreBadge | undefined;

  constructor() {
    super();
    this.item.name = 'HookLens Receiver';
    const actions: CommandId = 'hooklens.statusActions';
    this.item.command = actions;
    this.render();
    this.item.show();
  }

  show(state: ReceiverState, deliveryCount: number): void {
    this.state = state;
    this.deliveryCount = deliveryCount;
    this.render();
  }

  /** `verifying`: who has a secret, such as "GitHub, Stripe"; empty when no secret is set. */
  setVerification(verifying: string): void {
    this.verifying = verifying;
    this.render();
  }

  /** What to say about the store (the team store, unreachable…); undefined says nothing. */
  setStore(store: StoreBadge | undefined): void {
    this.store = store;
    this.render();
  }

  /** How many deliveries failed to reach the handler since the user last looked (0 hides it). */
  setFailures(failed: number): void {
    this.failed = failed;
    this.render();
  }

  private render(): void {
    const state = this.state;
    // A failure is said in words: a colour alone is missed, and the background is kept for the
    // receiver itself failing (status-bar guidelines).
    const failures = this.failed > 0 ? ` · $(warning) ${this.failed} failed` : '';
    const count = (this.deliveryCount > 0 ? ` · ${this.deliveryCount}` : '') + failures;
    this.item.backgroundColor = undefined;
    let tooltip: string;
    switch (state.kind) {
      case 'stopped':
        // On the team store the receivers usually run elsewhere: this window follows them.
        this.item.text = this.store
          ? `$(circle-slash) HookLens · ${this.store.text}${count}`
          : `$(circle-slash) HookLens: off${count}`;
        tooltip = this.store
          ? 'This window’s receiver is stopped. Click for actions.'
          : 'HookLens receiver is stopped. Click for actions.';
        break;
      case 'starting':
        this.item.text = `$(loading~spin) HookLens :${state.port}`;
        tooltip = `Starting the HookLens receiver on ${state.host}:${state.port}…`;
        break;
      case 'listening':
        this.item.text = `$(radio-tower) HookLens :${state.port}${this.store ? ` · ${this.store.text}` : ''}${count}`;
        tooltip = `Receiving webhooks at ${state.url}. Click for actions (copy URL, stop, …).`;
        break;
      case 'viewer':
        this.item.text = `$(eye) HookLens: viewer${count}`;
        tooltip = `Another VS Code window${state.ownerPid ? ` (pid ${state.ownerPid})` : ''} runs the receiver; this window shows its deliveries.`;
        break;
      case 'failed':
        this.item.text = `$(error) HookLens :${state.port}`;
        tooltip = `${state.message} Click for actions.`;
        // The guidelines keep the error background for exactly this: the receiver cannot run.
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    if (this.store) {
      tooltip = `${this.store.tooltip}\n${tooltip}`;
      if (this.store.warning && state.kind !== 'failed') {
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
    }
    if (this.failed > 0) {
      tooltip += `\n${this.failed} ${this.failed === 1 ? 'delivery' : 'deliveries'} failed to reach your handler since you last looked at the Deliveries view.`;
    }
    this.item.tooltip = `${tooltip}\n${
      this.verifying
        ? `Secrets set for: ${this.verifying}.`
        : 'No secret set: deliveries are accepted and marked unverified.'
    }`;
  }
}
