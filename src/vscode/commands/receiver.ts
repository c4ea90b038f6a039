import { join } from 'node:path';
import * as vscode from 'vscode';
import { shellQuote } from '../../core/export/curl';
import { isLoopbackBindAddress, ReceiverStartError } from '../../core/receiver/receiverServer';
import type { CommandTable } from '../commands';
import { runCommand } from '../commands';
import { StoreRefusalError, ViewerError } from '../receiverController';
import { summariseEntries } from '../secrets';
import { openSettings, readSettings, SETTINGS_SECTION } from '../settings';
import { storeReadOnly, tailCommand } from '../store/storeStatus';
import { errorMessage, type CommandContext } from './context';
import { statusActions } from './statusActions';

type ReceiverCommandId =
  | 'hooklens.startReceiver'
  | 'hooklens.stopReceiver'
  | 'hooklens.copyUrl'
  | 'hooklens.copyPublicUrl'
  | 'hooklens.copyTailCommand'
  | 'hooklens.statusActions';

/**
 * Start and stop the receiver (with the busy-port flow: Change Port, Retry, Show Logs), copy its
 * URL, its public URL and a tail command, and the status bar item's quick pick.
 */
export class ReceiverCommands {
  constructor(
    private readonly context: CommandContext,
    /** Connect to Team Store…, offered when starting needs the team store connected first. */
    private readonly connectTeamStore: () => Promise<void>,
  ) {}

  commands(): CommandTable<ReceiverCommandId> {
    return {
      'hooklens.startReceiver': () => this.start(),
      'hooklens.stopReceiver': () => this.context.receiver.stop(),
      'hooklens.copyUrl': () => this.copyUrl(),
      'hooklens.copyPublicUrl': () => this.copyPublicUrl(),
      'hooklens.copyTailCommand': () => this.copyTailCommand(),
      'hooklens.statusActions': () => this.showStatusActions(),
    };
  }

  /** Starts the receiver; a failure is said with what can be done about it. */
  async start(): Promise<void> {
    const { receiver, log } = this.context;
    try {
      await receiver.start();
      const state = receiver.state;
      if (state.kind === 'listening' && !isLoopbackBindAddress(state.host)) {
        const open = vscode.l10n.t('Open Settings');
        void vscode.window
          .showWarningMessage(
            vscode.l10n.t(
              'HookLens is listening on {0}, reachable from your network. Anyone who can reach it can send deliveries; keep a secret set, or bind to 127.0.0.1.',
              state.host,
            ),
            open,
          )
          .then((action) => (action === open ? openSettings() : undefined));
      }
    } catch (error) {
      if (error instanceof ViewerError) {
        await vscode.window.showInformationMessage(error.message);
        return;
      }
      if (error instanceof StoreRefusalError) {
        const connect = vscode.l10n.t('Connect to Team Store…');
        const action = await vscode.window.showWarningMessage(
          vscode.l10n.t('HookLens: {0}', error.message),
          ...(receiver.storeStatus.phase === 'not-connected' ? [connect] : []),
        );
        if (action === connect) await this.connectTeamStore();
        return;
      }
      const changePort = vscode.l10n.t('Change Port');
      const retry = vscode.l10n.t('Retry');
      const open = vscode.l10n.t('Open Settings');
      const showLogs = vscode.l10n.t('Show Logs');
      const actions =
        error instanceof ReceiverStartError && error.code === 'EADDRINUSE'
          ? [changePort, retry, showLogs]
          : [open, showLogs];
      const action = await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: {0}', errorMessage(error)),
        ...actions,
      );
      if (action === changePort) await this.changePort();
      else if (action === retry) await this.start();
      else if (action === open) await openSettings();
      else if (action === showLogs) log.show();
    }
  }

  private async changePort(): Promise<void> {
    const current = readSettings().port;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('HookLens: Receiver Port'),
      prompt: vscode.l10n.t(
        'Port {0} is busy. Choose another (remember to update the URL in your sender).',
        current,
      ),
      value: String(current === 65535 ? current - 1 : current + 1),
      validateInput: (text) =>
        /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535
          ? undefined
          : vscode.l10n.t('A port is a whole number from 1 to 65535.'),
    });
    if (value === undefined) return;
    // Saving the setting restarts nothing while the receiver is stopped; start it explicitly.
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update('port', Number(value), vscode.ConfigurationTarget.Global);
    await this.start();
  }

  private async copyUrl(): Promise<void> {
    const receiver = this.context.receiver;
    if (receiver.state.kind !== 'listening') {
      const startReceiver = vscode.l10n.t('Start Receiver');
      const action = await vscode.window.showInformationMessage(
        vscode.l10n.t('The HookLens receiver is not running.'),
        startReceiver,
      );
      if (action === startReceiver) await this.start();
    }
    const state = receiver.state;
    if (state.kind !== 'listening') return;
    await vscode.env.clipboard.writeText(state.url);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Copied {0}', state.url), 4000);
  }

  /** For senders in the cloud: VS Code forwards the port (remote windows, Codespaces, code-server). */
  private async copyPublicUrl(): Promise<void> {
    const state = this.context.receiver.state;
    if (state.kind !== 'listening') {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('Start the HookLens receiver first; the public URL forwards to it.'),
      );
      return;
    }
    const external = await vscode.env.asExternalUri(
      vscode.Uri.parse(`http://localhost:${state.port}/`),
    );
    const url = external.toString(true);
    await vscode.env.clipboard.writeText(url);
    const isLocal = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/i.test(url);
    if (isLocal) {
      const openPorts = vscode.l10n.t('Open Ports View');
      const action = await vscode.window.showInformationMessage(
        vscode.l10n.t(
          "Copied {0}. This VS Code runs locally, so a cloud sender such as Watson cannot reach it: forward port {1} in the Ports view (set it Public) or run a tunnel, and add the tunnel's host name to hooklens.allowedHosts.",
          url,
          state.port,
        ),
        openPorts,
      );
      if (action === openPorts)
        await vscode.commands.executeCommand('~remote.forwardedPorts.focus');
    } else {
      this.context.log.info(`Public URL for the receiver: ${url}`);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('$(globe) Copied {0}', url), 6000);
    }
  }

  /**
   * `hooklens tail` follows this window's receiver through the store's token and receiver.json;
   * on the team store it follows the database's change feed (every receiver's deliveries). It
   * runs the CLI this extension ships (dist/cli.js) with Node, so no global install is needed.
   */
  private async copyTailCommand(): Promise<void> {
    const { receiver, extensionPath } = this.context;
    const cli = `node ${shellQuote(join(extensionPath, 'dist', 'cli.js'))}`;
    const { command, note } = tailCommand(
      receiver.storeStatus.kind,
      shellQuote(receiver.storeFolder),
      vscode.l10n,
      cli,
    );
    await vscode.env.clipboard.writeText(command);
    if (note)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: copied {0}. {1}', command, note),
      );
    // The command is long (the extension's folder): the status bar names it rather than showing it cut.
    else
      void vscode.window.setStatusBarMessage(
        vscode.l10n.t(
          '$(terminal) Copied the tail command for this window’s receiver (paste it in a terminal)',
        ),
        6000,
      );
  }

  private async showStatusActions(): Promise<void> {
    const { receiver, secrets } = this.context;
    const state = receiver.state;
    const entries = await secrets.entries();
    const actions = statusActions(
      {
        listeningUrl: state.kind === 'listening' ? state.url : undefined,
        signingSecrets: entries.filter((entry) => entry.role === 'signing').length,
        verifying: summariseEntries(entries),
        storeKind: receiver.storeStatus.kind,
        readOnly: storeReadOnly(receiver.storeStatus),
      },
      vscode.l10n,
    );
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { action: number }>();
    // Not translated: the product's name.
    pick.title = 'HookLens';
    pick.placeholder = vscode.l10n.t('Receiver actions');
    pick.items = actions.map((action, index) => ({
      label: action.label,
      ...(action.description === undefined ? {} : { description: action.description }),
      ...(action.detail === undefined ? {} : { detail: action.detail }),
      action: index,
    }));
    pick.activeItems = pick.items.filter((item) => actions[item.action]?.active);
    const chosen = await new Promise<number | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.action);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    const command = chosen === undefined ? undefined : actions[chosen]?.command;
    if (command) await runCommand(command);
  }
}
