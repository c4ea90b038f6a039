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
    this.item.name = vscode.l10n.t('HookLens Receiver');
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
    const count = [
      ...(this.deliveryCount > 0 ? [String(this.deliveryCount)] : []),
      ...(this.failed > 0 ? [vscode.l10n.t('$(warning) {0} failed', this.failed)] : []),
    ]
      .map((part) => ` · ${part}`)
      .join('');
    this.item.backgroundColor = undefined;
    let tooltip: string;
    switch (state.kind) {
      case 'stopped':
        // On the team store the receivers usually run elsewhere: this window follows them.
        this.item.text = this.store
          ? // Not translated: the product's name and what is translated already.
            `$(circle-slash) HookLens · ${this.store.text}${count}`
          : vscode.l10n.t('$(circle-slash) HookLens: off{0}', count);
        tooltip = this.store
          ? vscode.l10n.t('This window’s receiver is stopped. Click for actions.')
          : vscode.l10n.t('HookLens receiver is stopped. Click for actions.');
        break;
      case 'starting':
        // Not translated: the product's name and the port.
        this.item.text = `$(loading~spin) HookLens :${state.port}`;
        tooltip = vscode.l10n.t(
          'Starting the HookLens receiver on {0}:{1}…',
          state.host,
          String(state.port),
        );
        break;
      case 'listening':
        // Not translated: the product's name, the port and what is translated already.
        this.item.text = `$(radio-tower) HookLens :${state.port}${this.store ? ` · ${this.store.text}` : ''}${count}`;
        tooltip = vscode.l10n.t(
          'Receiving webhooks at {0}. Click for actions (copy URL, stop, …).',
          state.url,
        );
        break;
      case 'viewer':
        this.item.text = vscode.l10n.t('$(eye) HookLens: viewer{0}', count);
        tooltip = state.ownerPid
          ? vscode.l10n.t(
              'Another VS Code window (pid {0}) runs the receiver; this window shows its deliveries.',
              state.ownerPid,
            )
          : vscode.l10n.t(
              'Another VS Code window runs the receiver; this window shows its deliveries.',
            );
        break;
      case 'failed':
        // Not translated: the product's name and the port.
        this.item.text = `$(error) HookLens :${state.port}`;
        tooltip = vscode.l10n.t('{0} Click for actions.', state.message);
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
      const failed =
        this.failed === 1
          ? vscode.l10n.t(
              '1 delivery failed to reach your handler since you last looked at the Deliveries view.',
            )
          : vscode.l10n.t(
              '{0} deliveries failed to reach your handler since you last looked at the Deliveries view.',
              this.failed,
            );
      tooltip += `\n${failed}`;
    }
    const secrets = this.verifying
      ? vscode.l10n.t('Secrets set for: {0}.', this.verifying)
      : vscode.l10n.t('No secret set: deliveries are accepted and marked unverified.');
    this.item.tooltip = `${tooltip}\n${secrets}`;
  }
}
