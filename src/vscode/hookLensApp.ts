import * as vscode from 'vscode';
import type { ReceiverState } from '../shared/model';
import { registerCommands, notYetAvailable } from './commands';
import { DisposableOwner } from './dispose';
import { SecretStore } from './secrets';
import { runSetSecretFlow } from './setSecretFlow';
import { openSettings } from './settings';
import { ReceiverStatusBar } from './statusBar';
import { DeliveriesTree } from './tree/deliveriesTree';
import { DETAIL_VIEW_TYPE, DetailPanel } from './webview/detailPanel';

/** The composition root's object graph: everything the extension owns, disposed together. */
export class HookLensApp extends DisposableOwner {
  private readonly secrets: SecretStore;
  private readonly statusBar = this.register(new ReceiverStatusBar());
  private readonly tree = this.register(new DeliveriesTree());
  private receiverState: ReceiverState = { kind: 'stopped' };
  private detail: DetailPanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.secrets = this.register(new SecretStore(context.secrets));
    this.register(
      this.secrets.onDidChange(() => {
        log.info('The secret changed (possibly in another window); verification uses the new one.');
        void this.updateSecretContext();
      }),
    );
    void this.updateSecretContext();
    this.registerAllCommands();
    this.register(
      vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel) => {
          this.adoptDetail(DetailPanel.revive(panel, context.extensionUri, () => undefined));
          return Promise.resolve();
        },
      }),
    );
    this.render();
  }

  private registerAllCommands(): void {
    for (const disposable of registerCommands({
      'hooklens.startReceiver': notYetAvailable('Starting the receiver'),
      'hooklens.stopReceiver': notYetAvailable('Stopping the receiver'),
      'hooklens.copyUrl': notYetAvailable('Copy Receiver URL'),
      'hooklens.copyPublicUrl': notYetAvailable('Copy Public URL'),
      'hooklens.setSecret': () => runSetSecretFlow(this.secrets, this.log),
      'hooklens.clearSecret': () => this.clearSecret(),
      'hooklens.statusActions': () => this.showStatusActions(),
      'hooklens.clearDeliveries': notYetAvailable('Clear Deliveries'),
      'hooklens.deleteDelivery': notYetAvailable('Delete Delivery'),
      'hooklens.filter': notYetAvailable('Filtering deliveries'),
      'hooklens.groupBy': notYetAvailable('Grouping deliveries'),
      'hooklens.openDelivery': () => this.openDelivery(),
      'hooklens.pinDelivery': notYetAvailable('Pinning a delivery in its own panel'),
      'hooklens.replay': notYetAvailable('Replay'),
      'hooklens.replayTo': notYetAvailable('Replay to another URL'),
      'hooklens.editAndReplay': notYetAvailable('Edit and Replay'),
      'hooklens.compare': notYetAvailable('Compare Deliveries'),
      'hooklens.copyAsCurl': notYetAvailable('Copy as cURL'),
      'hooklens.export': notYetAvailable('Export'),
      'hooklens.import': notYetAvailable('Import'),
      'hooklens.generateHandler': notYetAvailable('Generate Handler'),
      'hooklens.sendTestEvent': notYetAvailable('Send Test Event'),
      'hooklens.showHealth': notYetAvailable('Delivery health'),
      'hooklens.showLogs': () => this.log.show(true),
      'hooklens.openSettings': () => openSettings(),
    })) {
      this.register(disposable);
    }
  }

  private render(): void {
    this.statusBar.show(this.receiverState, this.tree.count);
    void vscode.commands.executeCommand(
      'setContext',
      'hooklens.receiverRunning',
      this.receiverState.kind === 'listening',
    );
  }

  private async updateSecretContext(): Promise<void> {
    const hasSecret = (await this.secrets.get()) !== undefined;
    await vscode.commands.executeCommand('setContext', 'hooklens.hasSecret', hasSecret);
  }

  private async clearSecret(): Promise<void> {
    if ((await this.secrets.get()) === undefined) {
      await vscode.window.showInformationMessage('HookLens has no secret to clear.');
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      'Clear the HookLens secret? Deliveries will be accepted but marked unverified until you set one again.',
      { modal: true },
      'Clear Secret',
    );
    if (answer !== 'Clear Secret') return;
    await this.secrets.clear();
    this.log.info('The secret was cleared.');
  }

  private async showStatusActions(): Promise<void> {
    const running = this.receiverState.kind === 'listening';
    const hasSecret = (await this.secrets.get()) !== undefined;
    const items: (vscode.QuickPickItem & { command: string })[] = [
      running
        ? { label: '$(debug-stop) Stop Receiver', command: 'hooklens.stopReceiver' }
        : { label: '$(play) Start Receiver', command: 'hooklens.startReceiver' },
      { label: '$(copy) Copy Receiver URL', command: 'hooklens.copyUrl' },
      {
        label: '$(globe) Copy Public URL',
        detail: 'For senders in the cloud, such as Watson',
        command: 'hooklens.copyPublicUrl',
      },
      {
        label: '$(key) Set Secret',
        description: hasSecret ? 'a secret is set' : 'no secret: deliveries are not verified',
        command: 'hooklens.setSecret',
      },
      { label: '$(output) Show Logs', command: 'hooklens.showLogs' },
      { label: '$(gear) Open Settings', command: 'hooklens.openSettings' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'HookLens',
      placeHolder: 'Receiver actions',
    });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }

  private async openDelivery(): Promise<void> {
    const [selected] = this.tree.view.selection;
    if (!selected) {
      await vscode.window.showInformationMessage(
        'HookLens: select a delivery in the Deliveries view first.',
      );
      return;
    }
    if (!this.detail) {
      this.adoptDetail(
        DetailPanel.create(this.context.extensionUri, 'HookLens Delivery', () => undefined),
      );
    }
    this.detail?.reveal();
  }

  private adoptDetail(panel: DetailPanel): void {
    this.detail = this.register(panel);
    panel.post({ type: 'delivery/none', message: 'Select a delivery in the Deliveries view.' });
    panel.onDidDispose(() => {
      if (this.detail === panel) this.detail = undefined;
    });
  }
}
