import * as vscode from 'vscode';
import { replayFailedMessage } from '../core/forward/replayFailed';
import type { ReceiverController } from './receiverController';
import type { ReplayFailedOffers } from './replay/replayFailedOffers';
import { summariseEntries, type SecretStore } from './secrets';
import type { ReceiverStatusBar } from './statusBar';
import { storeBadge, storeNote, storeReadOnly } from './store/storeStatus';
import type { DeliveriesTree } from './tree/deliveriesTree';

/**
 * What the window shows of the receiver and its store outside the tree's rows: the status bar
 * item, the note above the tree, and the context keys menus and welcome views read.
 */
export class WindowState {
  constructor(
    private readonly parts: {
      readonly receiver: ReceiverController;
      readonly secrets: SecretStore;
      readonly statusBar: ReceiverStatusBar;
      readonly tree: DeliveriesTree;
      readonly replayFailed: ReplayFailedOffers;
      /** False until the store is first needed: then nothing is opening, and nothing is said. */
      readonly storeOpened: () => boolean;
    },
  ) {}

  render(): void {
    const { receiver, statusBar, tree, replayFailed } = this.parts;
    const state = receiver.state;
    const status = receiver.storeStatus;
    const opened = this.parts.storeOpened();
    statusBar.setStore(opened ? storeBadge(status, vscode.l10n) : undefined);
    statusBar.show(state, receiver.count);
    const offer = replayFailed.current;
    const notes = [
      state.kind === 'viewer'
        ? state.ownerPid
          ? vscode.l10n.t(
              'Another VS Code window (pid {0}) runs the receiver; showing its deliveries.',
              state.ownerPid,
            )
          : vscode.l10n.t('Another VS Code window runs the receiver; showing its deliveries.')
        : opened
          ? storeNote(status, vscode.l10n)
          : undefined,
      offer && !storeReadOnly(status) ? replayFailedMessage(offer) : undefined,
    ].filter((note) => note !== undefined);
    tree.setNote(notes.length > 0 ? notes.join(' ') : undefined);
    // Each key written out: the walkthrough test finds the context keys HookLens sets this way.
    void vscode.commands.executeCommand(
      'setContext',
      'hooklens.receiverRunning',
      state.kind === 'listening',
    );
    void vscode.commands.executeCommand('setContext', 'hooklens.storeKind', status.kind);
    // Delete, Clear and Start Receiver are hidden on a store this window may only read.
    void vscode.commands.executeCommand(
      'setContext',
      'hooklens.storeReadOnly',
      storeReadOnly(status),
    );
    void vscode.commands.executeCommand(
      'setContext',
      'hooklens.teamStoreNotConnected',
      status.phase === 'not-connected',
    );
  }

  /** Who has a secret (the status bar's tooltip) and whether any is set (the welcome view). */
  async renderSecrets(): Promise<void> {
    const entries = await this.parts.secrets.entries();
    this.parts.statusBar.setVerification(summariseEntries(entries));
    await vscode.commands.executeCommand('setContext', 'hooklens.hasSecret', entries.length > 0);
  }
}
