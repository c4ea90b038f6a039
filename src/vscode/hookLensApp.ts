import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SimulationState } from '../core/capture/captureSession';
import { EMPTY_FILTER, GROUP_BY, type GroupBy } from '../core/deliveries/deliveryView';
import { shellQuote } from '../core/export/curl';
import { providerById } from '../core/providers/registry';
import { describeSimulation } from '../core/routes/chosenAnswers';
import { isLoopbackBindAddress, ReceiverStartError } from '../core/receiver/receiverServer';
import { registerAgentTools } from './agent/agentTools';
import { startBenchProbe } from './benchProbe';
import { registerCommands } from './commands';
import { DeliveryCommands } from './deliveryCommands';
import { DisposableOwner } from './dispose';
import { HealthView } from './health/healthView';
import { TestEventCommands } from './simulate/testEvents';
import { ReceiverController, StoreRefusalError, ViewerError } from './receiverController';
import { SecretStore, summariseEntries } from './secrets';
import { deliveryIdsFrom } from './selection';
import { runRemoveSecretFlow, runSetSecretFlow } from './setSecretFlow';
import {
  openSettings,
  PIPELINE_SETTINGS,
  readSettings,
  RECEIVER_RESTART_SETTINGS,
  SETTINGS_SECTION,
} from './settings';
import { RouteCommands } from './routes/routeCommands';
import { ReceiverStatusBar } from './statusBar';
import type { DeliveryStoreBackend } from '../core/store/backend';
import { storeBadge, storeNote, storeReadOnly, tailCommand } from './store/storeStatus';
import { TeamStoreCommands, TeamStoreSecret } from './store/teamStoreConnection';
import { TransferCommands } from './transferCommands';
import { GenerateCommand } from './generate/generateCommand';
import { DeliveriesTree, type DeliveryTreeNode } from './tree/deliveriesTree';
import { pickFilter } from './tree/filterQuickPick';
import { DETAIL_VIEW_TYPE } from './webview/detailPanel';
import { DetailPanels } from './webview/detailPanels';

/** The composition root's object graph: everything the extension owns, disposed together. */
export class HookLensApp extends DisposableOwner {
  private readonly secrets: SecretStore;
  private readonly receiver: ReceiverController;
  private readonly statusBar = this.register(new ReceiverStatusBar());
  private readonly tree: DeliveriesTree;
  private readonly panels: DetailPanels;
  private readonly deliveryCommands: DeliveryCommands;
  private readonly transfers: TransferCommands;
  private readonly generator: GenerateCommand;
  private readonly health: HealthView;
  private readonly testEvents: TestEventCommands;
  private readonly routes: RouteCommands;
  private readonly teamStore: TeamStoreCommands;
  /** The store the tree, the panels and Health show; another one means everything is redrawn. */
  private shownStore: DeliveryStoreBackend | undefined;
  /** False until the first store opened: what it holds is not news, and panels read it then. */
  private shownAStore = false;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.secrets = this.register(new SecretStore(context.secrets));
    const teamUrl = this.register(new TeamStoreSecret(context.secrets));
    this.receiver = this.register(
      new ReceiverController(
        {
          local: join(context.globalStorageUri.fsPath, 'store'),
          team: join(context.globalStorageUri.fsPath, 'team-store'),
        },
        this.secrets,
        log,
        teamUrl,
      ),
    );
    this.teamStore = new TeamStoreCommands(teamUrl, this.receiver, log);
    this.tree = this.register(new DeliveriesTree(this.receiver, readSettings().groupBy));
    this.panels = this.register(new DetailPanels(context.extensionUri, this.receiver, log));
    this.deliveryCommands = this.register(
      new DeliveryCommands(
        this.receiver,
        this.secrets,
        this.panels,
        {
          idsFor: (first, second) => deliveryIdsFrom(first, second, this.tree.view.selection),
        },
        context.globalState,
        log,
      ),
    );
    this.transfers = new TransferCommands(this.receiver, log);
    this.generator = new GenerateCommand(this.receiver, this.secrets, context.globalState, log);
    this.health = this.register(new HealthView(context.globalState));
    this.testEvents = new TestEventCommands(
      this.receiver,
      this.secrets,
      log,
      context.globalStorageUri,
    );
    // The agent tools (Copilot's agent mode and other in-editor agents), over this receiver.
    for (const tool of registerAgentTools({ receiver: this.receiver, secrets: this.secrets, log }))
      this.register(tool);
    this.routes = this.register(
      new RouteCommands(
        this.receiver,
        (first, second) => deliveryIdsFrom(first, second, this.tree.view.selection),
        log,
      ),
    );
    // The panels' failure-simulation toggle follows the simulation, wherever it was turned on.
    const showSimulation = (state: SimulationState | undefined): void =>
      this.panels.setSimulation(
        state ? { text: describeSimulation(state.simulation, state.remaining) } : null,
      );
    showSimulation(this.receiver.simulation);
    this.register(this.receiver.onDidChangeSimulation(showSimulation));
    // One panel follows the selection: moving through the tree moves the open panel along.
    this.register(
      this.tree.view.onDidChangeSelection((event) => {
        const [only] = event.selection;
        if (event.selection.length === 1 && only?.kind === 'delivery') this.panels.follow(only.id);
      }),
    );
    this.register(
      this.secrets.onDidChange(() => {
        log.info(
          'The secrets changed (possibly in another window); verification uses the new ones.',
        );
        void this.updateSecretContext();
      }),
    );
    this.register(this.receiver.onDidChangeState(() => this.render()));
    this.register(this.receiver.onDidChangeStore(() => this.onStoreChanged()));
    this.register(
      this.receiver.onDidChangeDeliveries((change) => {
        this.tree.scheduleRefresh();
        this.render();
        // While stores are switched (none open) the panels wait for the new one.
        if (this.receiver.deliveryStore) {
          this.panels.refreshChanged(
            change.cleared ? 'all' : new Set([...change.updated, ...change.deleted]),
          );
        }
      }),
    );
    this.register(this.receiver.onDidIngest(() => this.tree.noteArrival()));
    this.register(
      this.tree.onDidChangeUnseenFailures((failed) => this.statusBar.setFailures(failed)),
    );
    // Benchmark 3 only: a no-op unless HOOKLENS_BENCH_PROBE is set (see benchProbe.ts).
    const probe = startBenchProbe({
      deliveries: () => this.receiver.count,
      treeRefreshes: () => this.tree.refreshCount,
      onDidRefreshTree: this.tree.onDidChangeTreeData,
      onDidIngest: this.receiver.onDidIngest,
    });
    if (probe) this.register(probe);
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => void this.onSettingsChanged(event)),
    );
    this.registerAllCommands();
    this.register(
      vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const id: unknown =
            typeof state === 'object' && state !== null
              ? Reflect.get(state, 'deliveryId')
              : undefined;
          this.panels.revive(panel, typeof id === 'string' ? id : undefined);
          return Promise.resolve();
        },
      }),
    );
    void this.updateSecretContext();
    void this.initialise();
  }

  /** Deactivation: the receiver stops and the store closes; VS Code waits for this. */
  shutdown(): Promise<void> {
    return this.receiver.shutdown();
  }

  private async initialise(): Promise<void> {
    try {
      await this.receiver.ready;
    } catch (error) {
      const team = this.receiver.storeStatus.kind === 'team';
      void vscode.window
        .showErrorMessage(
          team
            ? `HookLens cannot open the team store: ${errorMessage(error)}`
            : `HookLens cannot open its delivery store: ${errorMessage(error)}`,
          ...(team ? ['Connect to Team Store…'] : []),
          'Show Logs',
        )
        .then((action) => {
          if (action === 'Show Logs') this.log.show();
          if (action === 'Connect to Team Store…') void this.teamStore.connect();
        });
      return;
    }
    // What is stored already is not news: only failures from now on count in the status bar.
    this.tree.startCountingFailures();
    this.tree.scheduleRefresh();
    this.onStoreChanged();
    if (
      readSettings().autoStart &&
      this.receiver.state.kind !== 'viewer' &&
      !storeReadOnly(this.receiver.storeStatus) &&
      this.receiver.storeStatus.phase === 'open'
    )
      await this.startReceiver();
  }

  /**
   * The store was switched, opened or its status changed: a new store is shown from scratch
   * (tree, panels, Health); the status bar and the note above the tree say where it is.
   */
  private onStoreChanged(): void {
    const store = this.receiver.deliveryStore;
    if (store !== this.shownStore) {
      const first = !this.shownAStore && store !== undefined;
      if (store) this.shownAStore = true;
      this.shownStore = store;
      if (store) {
        this.health.attach(store);
        // What the store holds already is not news: failures count from now.
        this.tree.restartCountingFailures();
      }
      this.tree.scheduleRefresh();
      // Panels restored before the store opened read their delivery now.
      if (first) this.panels.refreshChanged('all');
      else if (store) {
        this.panels.storeSwitched(
          store.kind === 'team' ? `the ${store.location}` : 'this machine’s store',
        );
      }
    }
    this.render();
  }

  private registerAllCommands(): void {
    for (const disposable of registerCommands({
      'hooklens.startReceiver': () => this.startReceiver(),
      'hooklens.stopReceiver': () => this.receiver.stop(),
      'hooklens.copyUrl': () => this.copyUrl(),
      'hooklens.copyPublicUrl': () => this.copyPublicUrl(),
      'hooklens.copyTailCommand': () => this.copyTailCommand(),
      'hooklens.setSecret': (provider: unknown) => this.setSecret(provider),
      'hooklens.removeSecret': () => runRemoveSecretFlow(this.secrets, this.log),
      'hooklens.clearSecret': () => this.clearSecret(),
      'hooklens.statusActions': () => this.showStatusActions(),
      'hooklens.clearDeliveries': () => this.clearDeliveries(),
      'hooklens.deleteDelivery': (node: unknown, nodes: unknown) =>
        this.deleteDeliveries(node, nodes),
      'hooklens.filter': () => this.editFilter(),
      'hooklens.clearFilter': () => this.clearFilter(),
      'hooklens.nextFailed': () => this.stepToFailed(1),
      'hooklens.previousFailed': () => this.stepToFailed(-1),
      'hooklens.groupBy': () => this.pickGroupBy(),
      'hooklens.showMore': (node: unknown) => this.tree.showMore(node as DeliveryTreeNode),
      'hooklens.openDelivery': (node: unknown) => this.openDelivery(node),
      'hooklens.export': (first: unknown, second: unknown) =>
        this.transfers.export(deliveryIdsFrom(first, second, this.tree.view.selection)),
      'hooklens.import': () => this.transfers.import(),
      ...this.deliveryCommands.commands(),
      ...this.routes.commands(),
      'hooklens.generateHandler': (first: unknown, second: unknown) =>
        this.generator.run(deliveryIdsFrom(first, second, this.tree.view.selection)),
      // The welcome view's button passes 'quick': one click sends a first event.
      'hooklens.sendTestEvent': (how: unknown) =>
        how === 'quick' ? this.testEvents.sendFirstTestEvent() : this.testEvents.sendTestEvent(),
      'hooklens.saveAsTemplate': async (first: unknown, second: unknown) => {
        const ids = this.deliveryCommands.ids(first, second);
        const record = await this.deliveryCommands.single(ids, 'save it as a template');
        if (record) await this.testEvents.saveAsTemplate(record);
      },
      'hooklens.showHealth': () => this.health.reveal(),
      'hooklens.healthWindow': () => this.health.pickWindow(),
      'hooklens.showLogs': () => this.log.show(true),
      'hooklens.openSettings': () => openSettings(),
      'hooklens.connectTeamStore': () => this.teamStore.connect(),
      'hooklens.disconnectTeamStore': () => this.teamStore.disconnect(),
    })) {
      this.register(disposable);
    }
  }

  private render(): void {
    const state = this.receiver.state;
    const status = this.receiver.storeStatus;
    this.statusBar.setStore(storeBadge(status));
    this.statusBar.show(state, this.receiver.count);
    this.tree.setNote(
      state.kind === 'viewer'
        ? `Another VS Code window${state.ownerPid ? ` (pid ${state.ownerPid})` : ''} runs the receiver; showing its deliveries.`
        : storeNote(status),
    );
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

  private async startReceiver(): Promise<void> {
    try {
      await this.receiver.start();
      const state = this.receiver.state;
      if (state.kind === 'listening' && !isLoopbackBindAddress(state.host)) {
        void vscode.window
          .showWarningMessage(
            `HookLens is listening on ${state.host}, reachable from your network. Anyone who can reach it can send deliveries; keep a secret set, or bind to 127.0.0.1.`,
            'Open Settings',
          )
          .then((action) => (action === 'Open Settings' ? openSettings() : undefined));
      }
    } catch (error) {
      if (error instanceof ViewerError) {
        await vscode.window.showInformationMessage(error.message);
        return;
      }
      if (error instanceof StoreRefusalError) {
        const connect = this.receiver.storeStatus.phase === 'not-connected';
        const action = await vscode.window.showWarningMessage(
          `HookLens: ${error.message}`,
          ...(connect ? ['Connect to Team Store…'] : []),
        );
        if (action === 'Connect to Team Store…') await this.teamStore.connect();
        return;
      }
      const actions =
        error instanceof ReceiverStartError && error.code === 'EADDRINUSE'
          ? ['Change Port', 'Retry', 'Show Logs']
          : ['Open Settings', 'Show Logs'];
      const action = await vscode.window.showErrorMessage(
        `HookLens: ${errorMessage(error)}`,
        ...actions,
      );
      if (action === 'Change Port') await this.changePort();
      else if (action === 'Retry') await this.startReceiver();
      else if (action === 'Open Settings') await openSettings();
      else if (action === 'Show Logs') this.log.show();
    }
  }

  private async changePort(): Promise<void> {
    const current = readSettings().port;
    const value = await vscode.window.showInputBox({
      title: 'HookLens: Receiver Port',
      prompt: `Port ${current} is busy. Choose another (remember to update the URL in your sender).`,
      value: String(current === 65535 ? current - 1 : current + 1),
      validateInput: (text) =>
        /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535
          ? undefined
          : 'A port is a whole number from 1 to 65535.',
    });
    if (value === undefined) return;
    // Saving the setting restarts nothing while the receiver is stopped; start it explicitly.
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update('port', Number(value), vscode.ConfigurationTarget.Global);
    await this.startReceiver();
  }

  private async copyUrl(): Promise<void> {
    const state = this.receiver.state;
    if (state.kind !== 'listening') {
      const action = await vscode.window.showInformationMessage(
        'The HookLens receiver is not running.',
        'Start Receiver',
      );
      if (action === 'Start Receiver') await this.startReceiver();
      if (this.receiver.state.kind !== 'listening') return;
      return this.copyUrl();
    }
    await vscode.env.clipboard.writeText(state.url);
    void vscode.window.setStatusBarMessage(`$(copy) Copied ${state.url}`, 4000);
  }

  /** For senders in the cloud: VS Code forwards the port (remote windows, Codespaces, code-server). */
  private async copyPublicUrl(): Promise<void> {
    const state = this.receiver.state;
    if (state.kind !== 'listening') {
      await vscode.window.showInformationMessage(
        'Start the HookLens receiver first; the public URL forwards to it.',
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
      const action = await vscode.window.showInformationMessage(
        `Copied ${url}. This VS Code runs locally, so a cloud sender such as Watson cannot reach it: forward port ${state.port} in the Ports view (set it Public) or run a tunnel, and add the tunnel's host name to hooklens.allowedHosts.`,
        'Open Ports View',
      );
      if (action === 'Open Ports View')
        await vscode.commands.executeCommand('~remote.forwardedPorts.focus');
    } else {
      this.log.info(`Public URL for the receiver: ${url}`);
      void vscode.window.setStatusBarMessage(`$(globe) Copied ${url}`, 6000);
    }
  }

  /**
   * `hooklens tail` follows this window's receiver through the store's token and receiver.json;
   * on the team store it follows the database's change feed (every receiver's deliveries).
   */
  private async copyTailCommand(): Promise<void> {
    const { command, note } = tailCommand(
      this.receiver.storeStatus.kind,
      shellQuote(this.receiver.storeFolder),
    );
    await vscode.env.clipboard.writeText(command);
    if (note) void vscode.window.showInformationMessage(`HookLens: copied ${command}. ${note}`);
    else void vscode.window.setStatusBarMessage(`$(terminal) Copied: ${command}`, 6000);
  }

  /**
   * Set Secret…: a provider id argument skips the pick; otherwise the pick starts on the provider
   * of the delivery selected in the tree, when there is one.
   */
  private setSecret(provider: unknown): Promise<void> {
    const given = typeof provider === 'string' && providerById(provider) ? provider : undefined;
    // The detail panel's Set Secret… passes its delivery's id.
    const fromDelivery =
      typeof provider === 'string' && given === undefined
        ? this.receiver.summary(provider)?.sender
        : undefined;
    const [selected] = this.tree.view.selection;
    const preselect =
      fromDelivery ??
      (selected?.kind === 'delivery' ? this.receiver.summary(selected.id)?.sender : undefined);
    return runSetSecretFlow(this.secrets, this.log, {
      ...(given === undefined ? {} : { provider: given }),
      ...(preselect === undefined ? {} : { preselect }),
    });
  }

  private async updateSecretContext(): Promise<void> {
    const entries = await this.secrets.entries();
    this.statusBar.setVerification(summariseEntries(entries));
    await vscode.commands.executeCommand('setContext', 'hooklens.hasSecret', entries.length > 0);
  }

  /** Clear All Secrets: the default secret and every provider's, after one confirmation. */
  private async clearSecret(): Promise<void> {
    const entries = await this.secrets.entries();
    if (entries.length === 0) {
      await vscode.window.showInformationMessage('HookLens has no secrets to clear.');
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      entries.length === 1
        ? 'Clear the HookLens secret?'
        : `Clear all ${entries.length} HookLens secrets?`,
      {
        modal: true,
        detail: `${summariseEntries(entries) || 'Verify tokens only'}. Deliveries will be accepted but marked unverified until you set secrets again.`,
      },
      'Clear Secrets',
    );
    if (answer !== 'Clear Secrets') return;
    await this.secrets.clearAll();
    this.log.info(
      entries.length === 1
        ? 'The secret was cleared.'
        : `All ${entries.length} secrets were cleared.`,
    );
  }

  private async clearDeliveries(): Promise<void> {
    const refusal = this.receiver.writeRefusal('clear');
    if (refusal !== undefined) {
      await vscode.window.showWarningMessage(`HookLens: ${refusal}`);
      return;
    }
    const count = this.receiver.count;
    if (count === 0) {
      await vscode.window.showInformationMessage('There are no deliveries to clear.');
      return;
    }
    const team = this.receiver.storeStatus.kind === 'team';
    const answer = await vscode.window.showWarningMessage(
      team
        ? `Delete all ${count} ${count === 1 ? 'delivery' : 'deliveries'} in the team store, for everyone on the team? This cannot be undone.`
        : `Delete all ${count} stored ${count === 1 ? 'delivery' : 'deliveries'}? This cannot be undone.`,
      { modal: true },
      'Clear Deliveries',
    );
    if (answer !== 'Clear Deliveries') return;
    await this.runStoreWrite(() => this.receiver.clear());
  }

  private async deleteDeliveries(node: unknown, nodes: unknown): Promise<void> {
    const chosen =
      Array.isArray(nodes) && nodes.length > 0 ? nodes : node ? [node] : this.tree.view.selection;
    const ids = (chosen as DeliveryTreeNode[]).flatMap((item) =>
      item.kind === 'delivery' ? [item.id] : [],
    );
    if (ids.length === 0) {
      await vscode.window.showInformationMessage('Select one or more deliveries to delete.');
      return;
    }
    const refusal = this.receiver.writeRefusal('delete');
    if (refusal !== undefined) {
      await vscode.window.showWarningMessage(`HookLens: ${refusal}`);
      return;
    }
    // One question for the whole selection (the Delete key included); deleting cannot be undone.
    const answer = await vscode.window.showWarningMessage(
      ids.length === 1 ? 'Delete this delivery?' : `Delete ${ids.length} deliveries?`,
      { modal: true, detail: 'This cannot be undone.' },
      'Delete',
    );
    if (answer !== 'Delete') return;
    await this.runStoreWrite(() => this.receiver.delete(ids));
  }

  private async runStoreWrite(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      await vscode.window.showErrorMessage(`HookLens: ${errorMessage(error)}`);
    }
  }

  private async editFilter(): Promise<void> {
    await pickFilter({
      tree: this.tree,
      deliveries: () => this.receiver.deliveries,
      read: (id) => this.receiver.get(id),
    });
  }

  private async clearFilter(): Promise<void> {
    this.tree.setFilter(EMPTY_FILTER);
    await vscode.commands.executeCommand('setContext', 'hooklens.filtered', false);
  }

  /** `n` / Shift+N in the tree: the next or previous failed delivery, selected and opened. */
  private async stepToFailed(direction: 1 | -1): Promise<void> {
    const id = this.tree.failedNeighbour(direction);
    if (id === undefined) {
      vscode.window.setStatusBarMessage('HookLens: no failed delivery in the list.', 3000);
      return;
    }
    await this.tree.revealDelivery(id);
    this.panels.show(id);
  }

  private async pickGroupBy(): Promise<void> {
    const labels: Record<GroupBy, string> = {
      session: 'Session',
      event: 'Event',
      endpoint: 'Endpoint',
      none: 'None (newest first)',
    };
    const current = this.tree.currentGroupBy;
    const picked = await vscode.window.showQuickPick(
      GROUP_BY.map((value) => ({
        label: labels[value],
        description: value === current ? 'current' : undefined,
        value,
      })),
      { title: 'HookLens: Group Deliveries By' },
    );
    if (!picked) return;
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update('deliveries.groupBy', picked.value, vscode.ConfigurationTarget.Global);
    this.tree.setGroupBy(picked.value);
  }

  private async onSettingsChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
    if (event.affectsConfiguration(`${SETTINGS_SECTION}.deliveries.groupBy`))
      this.tree.setGroupBy(readSettings().groupBy);
    if (event.affectsConfiguration(`${SETTINGS_SECTION}.store`)) {
      this.log.info('hooklens.store.location changed; opening the store it chooses.');
      await this.receiver.reconsiderStore().catch(() => undefined);
      return;
    }
    if (RECEIVER_RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) {
      this.log.info('Receiver settings changed; restarting the receiver if it runs.');
      try {
        await this.receiver.restartIfRunning();
      } catch (error) {
        await vscode.window.showErrorMessage(`HookLens: ${errorMessage(error)}`);
      }
      return;
    }
    // Display settings (grouping, compare masking) and the others leave the pipeline alone.
    if (PIPELINE_SETTINGS.some((key) => event.affectsConfiguration(key)))
      await this.receiver.applyLiveSettings();
  }

  private async showStatusActions(): Promise<void> {
    const state = this.receiver.state;
    const running = state.kind === 'listening';
    const entries = await this.secrets.entries();
    const verifying = summariseEntries(entries);
    const signing = entries.filter((entry) => entry.role === 'signing').length;
    const items: (vscode.QuickPickItem & { command: string })[] = [
      running
        ? {
            label: '$(debug-stop) Stop Receiver',
            description: state.url,
            command: 'hooklens.stopReceiver',
          }
        : { label: '$(play) Start Receiver', command: 'hooklens.startReceiver' },
      { label: '$(copy) Copy Receiver URL', command: 'hooklens.copyUrl' },
      {
        label: '$(globe) Copy Public URL',
        detail: 'For senders in the cloud, such as Watson',
        command: 'hooklens.copyPublicUrl',
      },
      {
        label: '$(key) Set Secret…',
        description:
          signing === 0
            ? 'no secret: deliveries are not verified'
            : `${signing === 1 ? 'a secret is' : 'secrets are'} set for ${verifying}`,
        command: 'hooklens.setSecret',
      },
      {
        label: '$(terminal) Copy Tail Command',
        detail: 'Follow deliveries live in a terminal: hooklens tail',
        command: 'hooklens.copyTailCommand',
      },
      this.receiver.storeStatus.kind === 'team'
        ? {
            label: '$(debug-disconnect) Disconnect from Team Store',
            detail: 'Forget the connection URL and show the local store again',
            command: 'hooklens.disconnectTeamStore',
          }
        : {
            label: '$(database) Connect to Team Store…',
            detail: 'Follow and replay the deliveries your team’s receivers store in PostgreSQL',
            command: 'hooklens.connectTeamStore',
          },
      { label: '$(pulse) Show Delivery Health', command: 'hooklens.showHealth' },
      { label: '$(output) Show Logs', command: 'hooklens.showLogs' },
      { label: '$(gear) Open Settings', command: 'hooklens.openSettings' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'HookLens',
      placeHolder: 'Receiver actions',
    });
    if (picked) await vscode.commands.executeCommand(picked.command);
  }

  private async openDelivery(node: unknown): Promise<void> {
    const target = (node as DeliveryTreeNode | undefined) ?? this.tree.view.selection[0];
    if (!target || target.kind !== 'delivery') {
      await vscode.window.showInformationMessage(
        'HookLens: select a delivery in the Deliveries view first.',
      );
      return;
    }
    this.panels.show(target.id);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
