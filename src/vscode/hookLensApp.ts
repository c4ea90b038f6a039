import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SimulationState } from '../core/capture/captureSession';
import { describeSimulation } from '../core/routes/chosenAnswers';
import type { DeliveryStoreBackend } from '../core/store/backend';
import { registerAgentTools } from './agent/agentTools';
import { startBenchProbe } from './benchProbe';
import { registerCommands, type CommandTable } from './commands';
import { DeliveryTargets, errorMessage, type CommandContext } from './commands/context';
import { DeliveryCommands } from './commands/deliveries';
import { ReceiverCommands } from './commands/receiver';
import { ReplayCommandModule } from './commands/replay';
import { ReplayFailedOffers } from './replay/replayFailedOffers';
import { secretCommands } from './commands/secrets';
import { transferCommands } from './commands/transfer';
import { treeCommands } from './commands/tree';
import { workbenchCommands } from './commands/workbench';
import { DisposableOwner } from './dispose';
import { GenerateCommand } from './generate/generateCommand';
import { HealthView } from './health/healthView';
import { ReceiverController } from './receiverController';
import { ReplayCommands } from './replay/replayCommands';
import { RouteCommands } from './routes/routeCommands';
import { SecretStore } from './secrets';
import { readSettings } from './settings';
import { applySettingsChange } from './settingsChanges';
import { TestEventCommands } from './simulate/testEvents';
import { ReceiverStatusBar } from './statusBar';
import { storeReadOnly } from './store/storeStatus';
import { TeamStoreCommands, TeamStoreSecret } from './store/teamStoreConnection';
import { TransferCommands } from './transferCommands';
import { DeliveriesTree } from './tree/deliveriesTree';
import { DETAIL_VIEW_TYPE } from './webview/detailPanel';
import { DetailPanels } from './webview/detailPanels';
import { WindowState } from './windowState';

/**
 * The composition root: builds the object graph, registers the command modules (commands/*) and
 * wires the events between the parts. Everything it owns is disposed together. The store opens
 * the first time something needs it (see `openStore`), never merely because the window started.
 */
export class HookLensApp extends DisposableOwner {
  private readonly secrets: SecretStore;
  private readonly receiver: ReceiverController;
  private readonly statusBar = this.register(new ReceiverStatusBar());
  private readonly tree: DeliveriesTree;
  private readonly panels: DetailPanels;
  private readonly health: HealthView;
  private readonly teamStore: TeamStoreCommands;
  private readonly receiverCommands: ReceiverCommands;
  private readonly replayFailed: ReplayFailedOffers;
  private readonly windowState: WindowState;
  /** The store the tree, the panels and Health show; another one means everything is redrawn. */
  private shownStore: DeliveryStoreBackend | undefined;
  /** False until the first store opened: what it holds is not news, and panels read it then. */
  private shownAStore = false;
  /** Set by the first `openStore`: the store's opening and what follows it, once. */
  private storeOpening: Promise<void> | undefined;

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
    this.health = this.register(
      new HealthView(context.globalState, context.extensionUri, this.tree),
    );
    const targets = new DeliveryTargets(
      this.receiver,
      () => this.tree.view.selection,
      () => this.panels.activeDeliveryId,
      log,
    );
    const commandContext: CommandContext = {
      receiver: this.receiver,
      secrets: this.secrets,
      tree: this.tree,
      panels: this.panels,
      targets,
      log,
      extensionPath: context.extensionUri.fsPath,
      storeOpen: () => this.openStore(),
    };
    const replays = this.register(
      new ReplayCommands(this.receiver, this.secrets, context.globalState, log),
    );
    this.replayFailed = this.register(
      new ReplayFailedOffers(
        () => this.receiver.deliveries,
        (id) => this.receiver.isForwardRetrying(id),
        context.workspaceState,
      ),
    );
    this.windowState = new WindowState({
      receiver: this.receiver,
      secrets: this.secrets,
      statusBar: this.statusBar,
      tree: this.tree,
      replayFailed: this.replayFailed,
      storeOpened: () => this.storeOpening !== undefined,
    });
    this.receiverCommands = new ReceiverCommands(commandContext, () => this.teamStore.connect());
    const routes = this.register(
      new RouteCommands(this.receiver, (first, second) => targets.ids(first, second), log),
    );
    const table: CommandTable = {
      ...this.receiverCommands.commands(),
      ...secretCommands(commandContext),
      ...treeCommands(commandContext),
      ...this.register(new DeliveryCommands(commandContext, replays)).commands(),
      ...this.register(
        new ReplayCommandModule(commandContext, replays, this.replayFailed),
      ).commands(),
      ...transferCommands(commandContext, {
        transfers: new TransferCommands(this.receiver, log),
        generator: new GenerateCommand(this.receiver, this.secrets, context.globalState, log),
        testEvents: new TestEventCommands(
          this.receiver,
          this.secrets,
          log,
          context.globalStorageUri,
        ),
      }),
      ...workbenchCommands(commandContext, {
        teamStore: this.teamStore,
        routes,
        health: this.health,
      }),
    };
    // A HookLens command is a reason to open the store (most read it; the rest are cheap).
    for (const disposable of registerCommands(table, () => void this.openStore()))
      this.register(disposable);
    // The agent tools (Copilot's agent mode and other in-editor agents), over this receiver.
    for (const tool of registerAgentTools({ receiver: this.receiver, secrets: this.secrets, log }))
      this.register(tool);
    this.register(
      vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const id: unknown =
            typeof state === 'object' && state !== null
              ? Reflect.get(state, 'deliveryId')
              : undefined;
          this.panels.revive(panel, typeof id === 'string' ? id : undefined);
          // A restored panel reads its delivery from the store.
          void this.openStore();
          return Promise.resolve();
        },
      }),
    );
    this.wireEvents();
    void this.windowState.renderSecrets();
    this.windowState.render();
    // The view shown (now, or later) is a reason to open the store; so is autoStart.
    if (this.tree.view.visible || readSettings().autoStart) void this.openStore();
    else
      log.info(
        'The delivery store opens when the HookLens view is shown, a HookLens command runs or hooklens.autoStart is on.',
      );
    this.register(
      this.tree.view.onDidChangeVisibility((event) => {
        if (event.visible) void this.openStore();
      }),
    );
    this.register(this.health.onDidShow(() => void this.openStore()));
  }

  /** Deactivation: the receiver stops and the store closes; VS Code waits for this. */
  shutdown(): Promise<void> {
    return this.receiver.shutdown();
  }

  /**
   * Opens the store, the first time it is called; resolves once it is open or could not be
   * (that is said in a notification with what to do). Then, with hooklens.autoStart, the
   * receiver starts.
   */
  openStore(): Promise<void> {
    this.storeOpening ??= this.afterStoreOpens();
    return this.storeOpening;
  }

  private async afterStoreOpens(): Promise<void> {
    try {
      await this.receiver.open();
    } catch (error) {
      const team = this.receiver.storeStatus.kind === 'team';
      const connect = vscode.l10n.t('Connect to Team Store…');
      const showLogs = vscode.l10n.t('Show Logs');
      void vscode.window
        .showErrorMessage(
          team
            ? vscode.l10n.t('HookLens cannot open the team store: {0}', errorMessage(error))
            : vscode.l10n.t('HookLens cannot open its delivery store: {0}', errorMessage(error)),
          ...(team ? [connect] : []),
          showLogs,
        )
        .then((action) => {
          if (action === showLogs) this.log.show();
          if (action === connect) void this.teamStore.connect();
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
      await this.receiverCommands.start();
  }

  private wireEvents(): void {
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
        this.log.info(
          'The secrets changed (possibly in another window); verification uses the new ones.',
        );
        void this.windowState.renderSecrets();
      }),
    );
    this.register(this.receiver.onDidChangeState(() => this.windowState.render()));
    this.register(this.receiver.onDidChangeStore(() => this.onStoreChanged()));
    this.register(
      this.receiver.onDidChangeDeliveries((change) => {
        this.tree.scheduleRefresh();
        this.replayFailed.schedule();
        this.windowState.render();
        // While stores are switched (none open) the panels wait for the new one.
        if (this.receiver.deliveryStore) {
          this.panels.refreshChanged(
            change.cleared ? 'all' : new Set([...change.updated, ...change.deleted]),
          );
        }
      }),
    );
    this.register(this.receiver.onDidIngest(() => this.tree.noteArrival()));
    this.register(this.replayFailed.onDidChange(() => this.windowState.render()));
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
      vscode.workspace.onDidChangeConfiguration(
        (event) =>
          void applySettingsChange(event, {
            receiver: this.receiver,
            tree: this.tree,
            log: this.log,
          }),
      ),
    );
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
          store.kind === 'team'
            ? vscode.l10n.t('the {0}', store.location)
            : vscode.l10n.t('this machine’s store'),
        );
      }
    }
    this.windowState.render();
  }
}
