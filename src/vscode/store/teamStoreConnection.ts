// The team store's connection URL and the two commands that set and remove it. The URL holds the
// database password, so it lives only in VS Code's SecretStorage (the OS keychain): never in
// settings, logs, messages or the webview. Messages name the database, host and user only
// (describeConnection).
import * as vscode from 'vscode';
import { connectionUrlProblem, describeConnection } from '../../core/store/postgres/connection';
import { PostgresDeliveryStore } from '../../core/store/postgres/postgresStore';
import { DisposableOwner } from '../dispose';
import type { ReceiverController, TeamStoreUrlSource } from '../receiverController';
import { readSettings, SETTINGS_SECTION } from '../settings';
import { TEAM_STORE_OPEN_OPTIONS, withoutPassword } from './storeStatus';

const URL_KEY = 'hooklens.teamStore.connectionUrl';
const LOCATION_SETTING = 'store.location';

/** The stored connection URL; `onDidChange` also fires when another window changes it. */
export class TeamStoreSecret extends DisposableOwner implements TeamStoreUrlSource {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.SecretStorage) {
    super();
    this.register(
      storage.onDidChange((event) => {
        if (event.key === URL_KEY) this.changed.fire();
      }),
    );
  }

  async get(): Promise<string | undefined> {
    const value = await this.storage.get(URL_KEY);
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  set(url: string): Thenable<void> {
    return this.storage.store(URL_KEY, url);
  }

  delete(): Thenable<void> {
    return this.storage.delete(URL_KEY);
  }
}

/** HookLens: Connect to Team Store… and HookLens: Disconnect from Team Store. */
export class TeamStoreCommands {
  constructor(
    private readonly secret: TeamStoreSecret,
    private readonly receiver: ReceiverController,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Asks for the URL in a password box (checked as it is typed), tests it by opening the team
   * store, and only then keeps it and chooses the team store; a failure says why (without the
   * password) and offers to try again with what was typed.
   */
  async connect(): Promise<void> {
    let value = '';
    for (;;) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('HookLens: Connect to Team Store'),
        prompt: vscode.l10n.t(
          "The team store's PostgreSQL connection URL (add ?sslmode=require for TLS). It is kept in VS Code's secret storage, never in settings.",
        ),
        // Not translated: the URL's form, the same in every language.
        placeHolder: 'postgres://USER:PASSWORD@HOST:5432/hooklens?sslmode=require',
        password: true,
        ignoreFocusOut: true,
        value,
        validateInput: (text) => connectionUrlProblem(text) ?? undefined,
      });
      if (typed === undefined) return;
      const url = typed.trim();
      const where = describeConnection(url);
      let store: PostgresDeliveryStore;
      try {
        store = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('HookLens: connecting to the {0}…', where),
          },
          () => PostgresDeliveryStore.open(url, TEAM_STORE_OPEN_OPTIONS),
        );
      } catch (error) {
        const message = withoutPassword(
          error instanceof Error ? error.message : String(error),
          url,
        );
        this.log.warn(`Connect to Team Store: ${message}`);
        // The button's label comes back, so it is compared with the same translation.
        const tryAgain = vscode.l10n.t('Try Again');
        const action = await vscode.window.showErrorMessage(
          vscode.l10n.t('HookLens: {0}', message),
          tryAgain,
        );
        if (action !== tryAgain) return;
        value = url;
        continue;
      }
      const readOnly = store.mode === 'readonly' ? store.readOnlyReason : null;
      try {
        await this.receiver.connectTeamStore(url, store, async () => {
          await this.secret.set(url);
          await chooseLocation('team');
        });
      } catch (error) {
        await vscode.window.showWarningMessage(
          vscode.l10n.t(
            'HookLens: {0}',
            withoutPassword(error instanceof Error ? error.message : String(error), url),
          ),
        );
        return;
      }
      this.log.info(
        `Connected to the ${where}${readOnly ? ` (read-only: ${readOnly})` : ''}; the URL is kept in secret storage.`,
      );
      void vscode.window.showInformationMessage(
        readOnly
          ? vscode.l10n.t(
              'HookLens: connected to the {0}, read-only ({1}). You can browse and replay; replays are not recorded.',
              where,
              readOnly,
            )
          : vscode.l10n.t(
              'HookLens: connected to the {0}. The Deliveries view follows the team store.',
              where,
            ),
      );
      return;
    }
  }

  /** Forgets the URL and goes back to the local store. */
  async disconnect(): Promise<void> {
    const had = await this.secret.get();
    const location = readSettings().storeLocation;
    if (had === undefined && location !== 'team') {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens is not connected to a team store.'),
      );
      return;
    }
    const where = had === undefined ? 'the team store' : `the ${describeConnection(had)}`;
    await this.secret.delete();
    await chooseLocation('local');
    await this.receiver.reconsiderStore().catch(() => undefined);
    this.log.info(
      `Disconnected from ${where}; the connection URL was removed from secret storage.`,
    );
    void vscode.window.showInformationMessage(
      had === undefined
        ? vscode.l10n.t(
            'HookLens: disconnected from the team store. The connection URL was removed from secret storage; this window shows the local store again.',
          )
        : vscode.l10n.t(
            'HookLens: disconnected from the {0}. The connection URL was removed from secret storage; this window shows the local store again.',
            describeConnection(had),
          ),
    );
  }
}

/**
 * Sets hooklens.store.location for the user, and in the workspace too when the workspace sets it
 * (a workspace value would otherwise win).
 */
async function chooseLocation(location: 'local' | 'team'): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update(
    LOCATION_SETTING,
    location === 'local' ? undefined : location,
    vscode.ConfigurationTarget.Global,
  );
  const inspected = config.inspect(LOCATION_SETTING);
  if (inspected?.workspaceValue !== undefined && inspected.workspaceValue !== location) {
    await config.update(LOCATION_SETTING, location, vscode.ConfigurationTarget.Workspace);
  }
}
