import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  DEFAULT_ANALYSIS_SETTINGS,
  RequestAnalyser,
  type AnalysisSettings,
} from '../core/analysis/analyseRequest';
import {
  CaptureSession,
  pointsAt,
  type PipelineSettings,
  type RoutingSettings,
  type SimulationState,
} from '../core/capture/captureSession';
import type { DeliveryRecord } from '../core/delivery';
import type { ForwardSettings } from '../core/forward/forwarder';
import { isLoopbackBindAddress, ReceiverStartError } from '../core/receiver/receiverServer';
import type { FailureSimulation } from '../core/routes/chosenAnswers';
import { firstMatch, routeFactsOf, routeProblemsNotice } from '../core/routes/routeRules';
import { SecretRing, type ConfiguredSecret } from '../core/secrets/secretRing';
import type { DeliveryStoreBackend } from '../core/store/backend';
import { DeliveryStore } from '../core/store/deliveryStore';
import { describeConnection, isConnectionError } from '../core/store/postgres/connection';
import { PostgresDeliveryStore } from '../core/store/postgres/postgresStore';
import type { DeliverySummary, StoreChangeEvent, StoreHealth } from '../core/store/types';
import type { ReceiverState } from '../shared/model';
import { toSingleLine } from '../shared/visibleText';
import { DisposableOwner } from './dispose';
import { entryOf, summariseEntries, type SecretStore } from './secrets';
import { readSettings, type Settings } from './settings';
import {
  TEAM_STORE_OPEN_OPTIONS,
  receiverStartRefusal,
  withoutPassword,
  writeRefusal,
  type StoreStatus,
} from './store/storeStatus';

/** How often a viewer window looks for new deliveries and for an owner that went away. */
const VIEWER_POLL_MS = 2_000;
/** On deactivation, in-flight deliveries get this long to finish before their sockets close. */
const SHUTDOWN_GRACE_MS = 3_000;

/** Team store: first retry of an open that could not reach the database, then doubling to the cap. */
const REOPEN_FIRST_MS = 5_000;
const REOPEN_MAX_MS = 60_000;

// What the user reads (messages, their buttons, errors shown) goes through vscode.l10n; lines
// written to the output channel stay English, because they are read in bug reports.

/** Where the team store's connection URL is kept (SecretStorage); see store/teamStoreConnection. */
export interface TeamStoreUrlSource {
  get(): Promise<string | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

/** The store this window should follow, from hooklens.store.location and the stored URL. */
type WantedStore =
  | { readonly kind: 'local' }
  | { readonly kind: 'team'; readonly url: string }
  | { readonly kind: 'team'; readonly url: undefined };

function wantedKey(wanted: WantedStore): string {
  return wanted.kind === 'local' ? 'local' : `team\n${wanted.url ?? ''}`;
}

/**
 * Owns the receiver's lifetime in this window: the durable store (the local folder, or the team
 * store on PostgreSQL when hooklens.store.location is team; switched when that changes) and the capture
 * session over it (core's CaptureSession: receiver, ingestor, forwarder and live stream, started
 * and stopped in one order). Listen settings restart the session; the pipeline's settings and the
 * secrets are applied to the running one with `update`, which keeps its ingestor, so a delivery
 * in flight keeps its log line and its badge.
 */
export class ReceiverController extends DisposableOwner {
  private readonly stateChanged = this.register(new vscode.EventEmitter<ReceiverState>());
  readonly onDidChangeState = this.stateChanged.event;
  private readonly deliveriesChanged = this.register(new vscode.EventEmitter<StoreChangeEvent>());
  readonly onDidChangeDeliveries = this.deliveriesChanged.event;
  private readonly ingested = this.register(new vscode.EventEmitter<DeliveryRecord>());
  readonly onDidIngest = this.ingested.event;
  private readonly simulationChanged = this.register(
    new vscode.EventEmitter<SimulationState | undefined>(),
  );
  /** Failure simulation turned on or off, or one more delivery failed on purpose. */
  readonly onDidChangeSimulation = this.simulationChanged.event;
  /** Failure simulation the user turned on; kept (same object) until it ends or is stopped. */
  private failures: FailureSimulation | undefined;
  /** The routes' settings text they were built from, to keep the same object while unchanged. */
  private routingKey = '';

  private readonly storeChanged = this.register(new vscode.EventEmitter<void>());
  /**
   * The store was switched (local and team), opened, or its status changed (team store
   * unreachable and back): read `storeStatus`, and everything shown from the store again.
   */
  readonly onDidChangeStore = this.storeChanged.event;

  private currentState: ReceiverState = { kind: 'stopped' };
  private store: DeliveryStoreBackend | undefined;
  /** The listeners on the open store, removed when it is switched. */
  private storeListeners: vscode.Disposable[] = [];
  private status: StoreStatus = { kind: 'local', phase: 'opening', location: '' };
  /** The store that is open or being opened (see wantedKey); switches run one after another. */
  private openKey: string | undefined;
  /** Undefined until something needs the store (see `open`): a window that never shows HookLens never opens it. */
  private opening: Promise<void> | undefined;
  private switching: Promise<void> = Promise.resolve();
  /** A team store the Connect command opened (to test it), handed over instead of opened again. */
  private offered: { readonly url: string; readonly store: PostgresDeliveryStore } | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenDelayMs = REOPEN_FIRST_MS;
  private session: CaptureSession | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** The pipeline the session runs, or would run: kept current while stopped too. */
  private pipeline: PipelineSettings = {
    policy: 'reject',
    analysis: DEFAULT_ANALYSIS_SETTINGS,
    forward: undefined,
  };
  /** A digest of what the analysis was built from: unchanged input keeps the same analyser. */
  private analysisDigest = '';
  /** For import and replay while the receiver is stopped. */
  private idleAnalyser: RequestAnalyser | undefined;
  /** Pipeline rebuilds run one after another; this is the latest. */
  private rebuilding: Promise<void> = Promise.resolve();
  private secretSummary = '';
  /** Setting problems already logged, so each is said once while it lasts. */
  private reportedProblems: ReadonlySet<string> = new Set();
  private settings: Settings = readSettings();
  private viewerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly folders: {
      /** The local store's folder. */
      readonly local: string;
      /** On the team store, this window's receiver keeps its stream token and receiver.json here. */
      readonly team: string;
    },
    private readonly secrets: SecretStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly teamUrl: TeamStoreUrlSource,
  ) {
    super();
    void this.applyLiveSettings();
    this.register(secrets.onDidChange(() => void this.applyLiveSettings()));
    // Another window connected or disconnected (SecretStorage is shared by the windows).
    this.register(teamUrl.onDidChange(() => void this.reconsiderStore()));
    this.register({ dispose: () => this.stopViewerPolling() });
    this.register({ dispose: () => this.stopReopening() });
  }

  /**
   * Resolves once the store is open (the first one, or the one being switched to); rejects when
   * it could not be opened. Then `deliveryStore` is the open store.
   */
  get ready(): Promise<void> {
    return this.open();
  }

  /**
   * Opens the store the settings choose, the first time anything needs it (the view is shown, a
   * command runs, autoStart); later calls return the same promise, or the latest switch's.
   */
  open(): Promise<void> {
    if (this.opening === undefined) {
      this.opening = this.openWanted();
      this.switching = this.opening.catch(() => undefined);
    }
    return this.opening;
  }

  /** Which store this window follows and how it is doing (for the status bar and the tree). */
  get storeStatus(): StoreStatus {
    return this.status;
  }

  /** Why deleting or clearing is refused here (a read-only store), or undefined. */
  writeRefusal(what: 'delete' | 'clear'): string | undefined {
    return writeRefusal(this.status, what, vscode.l10n);
  }

  get state(): ReceiverState {
    return this.currentState;
  }

  get deliveries(): readonly DeliverySummary[] {
    return this.store?.summaries() ?? [];
  }

  get count(): number {
    return this.store?.size ?? 0;
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    return this.store?.get(id);
  }

  summary(id: string): DeliverySummary | undefined {
    return this.store?.summary(id);
  }

  /** The open store, for replays and imports (which record on it), once `ready` resolved. */
  get deliveryStore(): DeliveryStoreBackend | undefined {
    return this.store;
  }

  /** The local store's folder, for `hooklens tail --store` and other CLI commands. */
  get storeFolder(): string {
    return this.folders.local;
  }

  /** The folder the capture session keeps its stream token and receiver.json in. */
  private get sessionFolder(): string {
    return this.status.kind === 'team' ? this.folders.team : this.folders.local;
  }

  /**
   * The analysis the receiver runs (providers, secrets, verification settings), for import and
   * replay, which must recognise and redact deliveries the same way.
   */
  async currentAnalyser(): Promise<RequestAnalyser> {
    await this.rebuilding;
    if (this.session) return this.session.analyser;
    this.idleAnalyser ??= new RequestAnalyser(this.pipeline.analysis);
    return this.idleAnalyser;
  }

  /** Whether the running receiver has a forward retry of this delivery scheduled or under way. */
  isForwardRetrying(deliveryId: string): boolean {
    return this.session?.isRetrying(deliveryId) ?? false;
  }

  /** Where live deliveries are forwarded: while the receiver runs, forwarding is on and valid. */
  get forwardTarget(): URL | undefined {
    return this.session?.forwarder?.settings.target;
  }

  /**
   * Where Replay sends these deliveries: where their route sends them now (a forwarding route of
   * `hooklens.routes`, matched again on the stored delivery), when they all go to the same one;
   * else the forward target. Undefined: the user is asked.
   */
  async replayTargetFor(
    ids: readonly string[],
  ): Promise<{ readonly target: URL; readonly route?: string } | undefined> {
    // While the receiver is stopped (usual on the team store: its receivers run elsewhere), the
    // developer's handler is still hooklens.forwardTo.
    const configured = this.settings.forwardTo;
    const fallback =
      this.forwardTarget ??
      (configured?.ok && !this.refusesTarget(configured.url) ? configured.url : undefined);
    const routes = this.pipeline.routes?.rules ?? [];
    if (routes.length === 0 || ids.length === 0) return fallback && { target: fallback };
    let chosen: { target: URL; route: string } | null | undefined;
    for (const id of ids) {
      const record = await this.get(id);
      const route = record ? firstMatch(routes, routeFactsOf(record)) : undefined;
      const here =
        route?.target.kind === 'forward' ? { target: route.target.url, route: route.name } : null;
      if (chosen === undefined) chosen = here;
      else if (chosen?.target.href !== here?.target.href) chosen = null;
      if (chosen === null) break;
    }
    if (chosen && !this.refusesTarget(chosen.target)) return chosen;
    return fallback && { target: fallback };
  }

  /** True when `target` is this receiver itself (a route there would loop). */
  refusesTarget(target: URL): boolean {
    const state = this.currentState;
    return state.kind === 'listening' && pointsAt(target, state);
  }

  /** Failure simulation as it stands; undefined when it is off. */
  get simulation(): SimulationState | undefined {
    const live = this.session?.simulation;
    if (live) return live.active ? live : undefined;
    const failures = this.failures;
    return failures
      ? { simulation: failures, remaining: failures.next?.count ?? 0, active: true }
      : undefined;
  }

  /** Turns failure simulation on (a new count starts) or off (undefined). */
  async setFailureSimulation(failures: FailureSimulation | undefined): Promise<void> {
    this.failures = failures;
    await this.applyLiveSettings();
    this.simulationChanged.fire(this.simulation);
    this.log.info(
      failures
        ? `Failure simulation on: ${describeFailures(failures)}.`
        : 'Failure simulation off: deliveries are answered as usual.',
    );
  }

  start(): Promise<void> {
    this.starting ??= this.startSession().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startSession(): Promise<void> {
    await this.ready;
    const store = this.store;
    const refusal = receiverStartRefusal(this.status, vscode.l10n);
    if (refusal !== undefined && this.status.kind === 'team') throw new StoreRefusalError(refusal);
    if (this.session || !store || this.closing) return;
    if (store.mode === 'viewer' && !(await store.tryTakeOver())) {
      throw new ViewerError(store.lockHolder?.pid ?? null);
    }
    if (store.mode === 'readonly') {
      throw new Error(
        receiverStartRefusal(this.status, vscode.l10n) ??
          vscode.l10n.t(
            'The delivery store is read-only: {0}',
            store.readOnlyReason ?? vscode.l10n.t('unknown reason'),
          ),
      );
    }
    this.stopViewerPolling();
    // Fresh settings and secrets, as a start after editing settings.json by hand expects.
    await this.applyLiveSettings();
    const settings = this.settings;
    if (!isLoopbackBindAddress(settings.host) && !settings.allowNonLoopbackHost) {
      throw new Error(
        vscode.l10n.t(
          'hooklens.host is {0}, which is not a loopback address. Turn on hooklens.allowNonLoopbackHost to expose the receiver to your network, or use 127.0.0.1.',
          settings.host,
        ),
      );
    }
    this.setState({ kind: 'starting', host: settings.host, port: settings.port });
    let session: CaptureSession;
    try {
      // On the team store only the stream token and receiver.json live in this folder.
      if (this.status.kind === 'team')
        await mkdir(this.folders.team, { recursive: true, mode: 0o700 });
      session = await CaptureSession.start({
        store,
        storeDir: this.sessionFolder,
        listen: {
          host: settings.host,
          port: settings.port,
          maxBodyBytes: settings.maxBodyBytes,
          allowedHosts: settings.allowedHosts,
        },
        pipeline: this.pipeline,
        log: {
          info: (message) => this.log.info(message),
          warn: (message) => this.log.warn(message),
        },
        onRefused: (refusal) =>
          this.log.warn(
            `Refused ${refusal.status} ${toSingleLine(`${refusal.method} ${refusal.url}`, 100)} from ${refusal.remoteAddress}: ${refusal.reason}`,
          ),
        onForwardRetry: (id, attempt, recorded) =>
          this.log.info(
            `Forward retry for ${id}: ${attempt.status ?? 'failed'}${attempt.error ? ` (${attempt.error})` : ''}${recorded ? '' : ' (not recorded)'}`,
          ),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof ReceiverStartError ? error.code : undefined;
      this.setState({
        kind: 'failed',
        host: settings.host,
        port: settings.port,
        message,
        ...(code ? { code } : {}),
      });
      this.log.error(message);
      throw error;
    }
    session.onDidIngest((record) => {
      this.log.info(
        `${record.response?.status ?? '---'} ${record.verification.verdict} ${toSingleLine(record.event ?? '(no event)', 60)} ${toSingleLine(`${record.method} ${record.url}`, 100)} ${record.id}`,
      );
      this.ingested.fire(record);
      if (record.route?.kind === 'simulated') this.afterSimulatedFailure();
    });
    this.session = session;
    // A change of settings or secrets that landed while the session was starting.
    session.update(this.pipeline);
    this.setState({ kind: 'listening', host: session.host, port: session.port, url: session.url });
    this.log.info(
      `Receiver listening on ${session.url} (policy ${this.pipeline.policy}; ${this.secretSummary ? `verifying ${this.secretSummary}` : 'no secret: deliveries are not verified'}).`,
    );
    const target = session.forwarder?.settings.target;
    if (target) this.log.info(`Forwarding accepted deliveries to ${target.href}.`);
    if (!isLoopbackBindAddress(settings.host)) {
      this.log.warn(`The receiver is bound to ${settings.host} and reachable from your network.`);
    }
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const session = this.session;
    this.session = undefined;
    if (session) {
      await session.stop();
      this.log.info('Receiver stopped.');
    }
    if (this.currentState.kind !== 'viewer') this.setState({ kind: 'stopped' });
  }

  async restartIfRunning(): Promise<void> {
    if (!this.session) return;
    await this.stop();
    await this.start();
  }

  /**
   * Re-reads the pipeline's settings and the secrets and applies them to the next delivery,
   * without restarting the receiver: the running session keeps its ingestor, and its forwarder
   * unless forwarding itself changed. Calls run one after another; a failure is logged.
   */
  applyLiveSettings(): Promise<void> {
    // Never rejects: a failure is logged and the pipeline in use stays.
    this.rebuilding = this.rebuilding
      .then(() => this.rebuildPipeline())
      .catch((error: unknown) =>
        this.log.error(
          `The secrets and verification settings could not be applied: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return this.rebuilding;
  }

  private async rebuildPipeline(): Promise<void> {
    const secrets = await this.secrets.getAll();
    const settings = (this.settings = readSettings());
    this.reportProblems(settings);
    const analysis = this.analysisFrom(secrets, settings);
    const forward = this.forwardFrom(settings);
    const before = this.pipeline.forward;
    const routes = this.routingFrom(settings);
    this.pipeline = { policy: settings.policy, analysis, forward, ...(routes ? { routes } : {}) };
    this.secretSummary = summariseEntries(secrets.map(entryOf));
    const session = this.session;
    if (!session) return;
    session.update(this.pipeline);
    if (!sameForward(before, forward)) {
      this.log.info(
        forward
          ? `Forwarding accepted deliveries to ${forward.target.href}.`
          : 'Forwarding is off: HookLens answers deliveries itself.',
      );
    }
  }

  /** The same AnalysisSettings object while its input is unchanged, so the analyser is kept. */
  private analysisFrom(secrets: readonly ConfiguredSecret[], settings: Settings): AnalysisSettings {
    const input = {
      secrets,
      pointers: settings.genericPointers,
      jwt: settings.verifier,
      publicBaseUrl: settings.publicBaseUrl,
      genericHmac: settings.genericHmac,
    };
    // A digest, so that no copy of the secrets' text is kept for the comparison.
    const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (digest === this.analysisDigest) return this.pipeline.analysis;
    this.analysisDigest = digest;
    this.idleAnalyser = undefined;
    return {
      secrets: new SecretRing(secrets),
      pointers: settings.genericPointers,
      jwt: settings.verifier,
      ...(settings.publicBaseUrl === undefined ? {} : { publicBaseUrl: settings.publicBaseUrl }),
      ...(settings.genericHmac === undefined ? {} : { genericHmac: settings.genericHmac }),
    };
  }

  private forwardFrom(settings: Settings): ForwardSettings | undefined {
    if (!settings.forwardTo?.ok) return undefined;
    const wanted = {
      target: settings.forwardTo.url,
      timeoutMs: settings.forwardTimeoutMs,
      retries: settings.forwardRetries,
    };
    // The same object while nothing changed: the session compares, this keeps it obvious.
    return sameForward(this.pipeline.forward, wanted) ? this.pipeline.forward : wanted;
  }

  /** The same RoutingSettings object while the routes, their timing and the simulation are unchanged. */
  private routingFrom(settings: Settings): RoutingSettings | undefined {
    const failures = this.failures;
    if (settings.routes.length === 0 && failures === undefined) {
      this.routingKey = '';
      return undefined;
    }
    const key = `${settings.routesText}\n${settings.forwardTimeoutMs}\n${settings.forwardRetries}`;
    const current = this.pipeline.routes;
    if (current && key === this.routingKey && current.failures === failures) return current;
    this.routingKey = key;
    return {
      rules: settings.routes,
      timeoutMs: settings.forwardTimeoutMs,
      retries: settings.forwardRetries,
      ...(failures ? { failures } : {}),
    };
  }

  /** After a delivery failed on purpose: say how many are left, and end when none are. */
  private afterSimulatedFailure(): void {
    const live = this.session?.simulation;
    if (live && !live.active && this.failures === live.simulation) {
      void this.setFailureSimulation(undefined);
      return;
    }
    this.simulationChanged.fire(this.simulation);
  }

  private reportProblems(settings: Settings): void {
    const problems = [
      ...settings.problems.map((problem) =>
        problem.startsWith('hooklens.routes: route')
          ? `${problem} That route is ignored.`
          : `${problem} That setting is ignored.`,
      ),
      ...(settings.forwardTo && !settings.forwardTo.ok
        ? [`hooklens.forwardTo: ${settings.forwardTo.error} Forwarding is off.`]
        : []),
    ];
    const fresh = problems.filter((problem) => !this.reportedProblems.has(problem));
    for (const problem of fresh) this.log.error(problem);
    this.reportedProblems = new Set(problems);
    // Bad route rules are said where the user looks, once each, with a way to the setting.
    const routeProblems = settings.problems
      .filter((problem) => problem.startsWith('hooklens.routes'))
      .filter((problem) => fresh.some((said) => said.startsWith(problem)))
      .map((problem) => problem.replace(/^hooklens\.routes: /, ''));
    const notice = routeProblemsNotice(routeProblems);
    if (notice !== undefined) {
      const openSetting = vscode.l10n.t('Open Setting');
      void vscode.window
        .showWarningMessage(notice, openSetting)
        .then((action) =>
          action === openSetting
            ? vscode.commands.executeCommand('workbench.action.openSettings', 'hooklens.routes')
            : undefined,
        );
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.ready;
    await this.requireWritableStore('delete').delete(ids);
  }

  async clear(): Promise<void> {
    await this.ready;
    await this.requireWritableStore('clear').clear();
  }

  /**
   * Opens the store the settings and the stored URL choose, when it is not the one open: the
   * receiver stops, the old store closes, the new one opens (and the receiver starts again on it
   * when it ran and may). Calls run one after another; a failure is logged and shown in the status.
   */
  reconsiderStore(): Promise<void> {
    // Never opened yet: the store the settings choose then is opened when it is first needed.
    if (this.opening === undefined) return Promise.resolve();
    const next = this.switching.then(async () => {
      if (this.closing) return;
      const wanted = await this.wantedStore();
      // The same store again: nothing to do, unless it could not be opened (Connect retries it).
      if (wantedKey(wanted) === this.openKey && this.status.phase !== 'failed') return;
      const wasRunning = this.session !== undefined;
      await this.stop();
      this.stopViewerPolling();
      this.stopReopening();
      await this.closeStore();
      this.opening = this.openStore(wanted);
      this.storeChanged.fire();
      try {
        await this.opening;
      } catch {
        return; // Logged and shown through the status.
      }
      if (wasRunning && receiverStartRefusal(this.status, vscode.l10n) === undefined) {
        await this.start().catch((error: unknown) =>
          this.log.error(
            `The receiver could not start again on the ${this.status.kind} store: ${errorText(error)}`,
          ),
        );
      }
    });
    this.switching = next.catch(() => undefined);
    return next;
  }

  /**
   * Connect to Team Store: `store` was opened on `url` to test it. `persist` stores the URL and
   * chooses the team store in the settings; the store is then taken over instead of opened again.
   * Rejects (and closes `store`) when the settings still choose another store afterwards.
   */
  async connectTeamStore(
    url: string,
    store: PostgresDeliveryStore,
    persist: () => Promise<void>,
  ): Promise<void> {
    this.offered = { url, store };
    try {
      await persist();
      await this.reconsiderStore();
    } finally {
      if (this.offered?.store === store) {
        this.offered = undefined;
        await store.close();
      }
    }
    // Connected again to the store already followed: the test store was closed, nothing changes.
    if (this.openKey !== wantedKey({ kind: 'team', url })) {
      throw new Error(
        vscode.l10n.t(
          'The connection works and is saved, but hooklens.store.location is still local for this workspace: set it to team to follow the team store here.',
        ),
      );
    }
  }

  /**
   * Deactivation, in one order: the session stops (discovery file, live stream, receiver with
   * in-flight deliveries given a grace period, forwarder), then the store flushes and releases
   * its lock. The extension's `deactivate` returns this, so VS Code waits for it; `dispose`
   * (which VS Code calls right after) joins the same promise.
   */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.stopViewerPolling();
      await this.starting?.catch(() => undefined);
      const session = this.session;
      this.session = undefined;
      await session?.stop(SHUTDOWN_GRACE_MS);
      await this.switching;
      this.stopReopening();
      const store = await this.opening?.then(
        () => this.store,
        () => undefined,
      );
      await store?.close();
    })().catch(() => undefined);
    return this.closing;
  }

  override dispose(): void {
    void this.shutdown();
    super.dispose();
  }

  private async openWanted(): Promise<void> {
    return this.openStore(await this.wantedStore());
  }

  private async wantedStore(): Promise<WantedStore> {
    if (readSettings().storeLocation !== 'team') return { kind: 'local' };
    const url = await this.teamUrl.get().catch(() => undefined);
    return { kind: 'team', url: url === undefined || url.trim() === '' ? undefined : url.trim() };
  }

  private async openStore(wanted: WantedStore): Promise<void> {
    this.openKey = wantedKey(wanted);
    if (wanted.kind === 'local') return this.openLocalStore();
    if (wanted.url === undefined) {
      this.setStatus({ kind: 'team', phase: 'not-connected' });
      this.log.warn(
        'hooklens.store.location is team, but no connection URL is stored: run HookLens: Connect to Team Store….',
      );
      return;
    }
    return this.openTeamStore(wanted.url);
  }

  private async openTeamStore(url: string): Promise<void> {
    const offered = this.offered;
    let store: PostgresDeliveryStore;
    if (offered?.url === url) {
      this.offered = undefined;
      store = offered.store;
    } else {
      const location = describeConnection(url);
      this.setStatus({ kind: 'team', phase: 'opening', location });
      try {
        // No retention from this editor's settings: those are the local store's; the team's
        // limits are the receivers' (hooklens listen --max-deliveries).
        store = await PostgresDeliveryStore.open(url, TEAM_STORE_OPEN_OPTIONS);
      } catch (error) {
        const message = withoutPassword(errorText(error), url);
        const retrying = isConnectionError(error instanceof Error ? error.cause : error);
        this.setStatus({ kind: 'team', phase: 'failed', location, message, retrying });
        this.log.error(`Team store: ${message}${retrying ? ' Trying again by itself.' : ''}`);
        if (retrying) this.scheduleReopen(url);
        throw new Error(message, { cause: error });
      }
    }
    this.adopt(store);
    this.reopenDelayMs = REOPEN_FIRST_MS;
    this.log.info(
      `Delivery store: the ${store.location}, ${store.size} deliveries${store.mode === 'readonly' ? ` (read-only: ${store.readOnlyReason ?? 'unknown reason'})` : ''}; replays are recorded as ${store.actor}.`,
    );
  }

  /** Tries the team database again while it cannot be reached, with a growing delay. */
  private scheduleReopen(url: string): void {
    this.stopReopening();
    const delay = this.reopenDelayMs;
    this.reopenDelayMs = Math.min(REOPEN_MAX_MS, delay * 2);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.switching = this.switching
        .then(async () => {
          if (this.closing || this.store || this.openKey !== wantedKey({ kind: 'team', url })) {
            return;
          }
          this.opening = this.openTeamStore(url);
          await this.opening;
          this.log.info('Team store: connected again.');
          this.storeChanged.fire();
        })
        .catch(() => undefined);
    }, delay);
    this.reopenTimer.unref?.();
  }

  private stopReopening(): void {
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
  }

  private async openLocalStore(): Promise<void> {
    const settings = this.settings;
    this.setStatus({ kind: 'local', phase: 'opening', location: this.folders.local });
    try {
      const store = await DeliveryStore.open(this.folders.local, {
        ...settings.retention,
        // Smaller limits than the store holds would remove deliveries for good: ask first.
        onWillEvict: async (notice) => {
          this.log.warn(`Delivery store: ${notice.message}`);
          const removeThem = vscode.l10n.t('Remove Them');
          const choice = await vscode.window.showWarningMessage(
            vscode.l10n.t('HookLens: {0}', notice.message),
            { modal: true },
            removeThem,
          );
          if (choice !== removeThem) {
            this.log.info('Delivery store: kept every delivery this time (retention not applied).');
            return false;
          }
          return true;
        },
      });
      this.adopt(store);
      for (const note of store.recoveryReport.notes)
        this.log.warn(`Delivery store: ${note.message}`);
      this.log.info(
        `Delivery store ${this.folders.local}: ${store.size} deliveries (${store.mode}).`,
      );
      if (store.mode === 'viewer') this.enterViewerMode();
    } catch (error) {
      const message = errorText(error);
      this.setStatus({
        kind: 'local',
        phase: 'failed',
        location: this.folders.local,
        message,
        retrying: false,
      });
      this.log.error(`The delivery store could not be opened: ${message}`);
      throw error;
    }
  }

  /** Makes `store` this window's store: its changes, health and mode are followed from now on. */
  private adopt(store: DeliveryStoreBackend): void {
    this.store = store;
    this.storeListeners = [
      store.onDidChange((change) => this.deliveriesChanged.fire(change)),
      store.onDidChangeHealth((health) => this.onStoreHealth(store, health)),
      store.onDidChangeMode((mode) => {
        this.setStatus(openStatus(store));
        if (mode !== 'viewer') return;
        // This window lost the store (it was suspended past the lock's staleness and another
        // HookLens took over): its receiver could only answer 503, so stop it and say so.
        if (this.session) void this.onLostStore();
        this.enterViewerMode();
      }),
    ];
    this.setStatus(openStatus(store));
  }

  private onStoreHealth(store: DeliveryStoreBackend, health: StoreHealth): void {
    if (store !== this.store) return;
    this.setStatus(openStatus(store));
    if (store.kind === 'team') {
      // Said in the status bar and above the tree (not a notification each time the network
      // blinks); what is shown stays.
      if (health.state === 'failing') this.log.warn(`Team store: ${health.message}`);
      else this.log.info('Team store: reachable again.');
      return;
    }
    if (health.state === 'failing') {
      this.log.error(`Delivery store: ${health.message} Senders get 503 until it recovers.`);
      const showLogs = vscode.l10n.t('Show Logs');
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t('HookLens cannot write deliveries to disk: {0}', health.message),
          showLogs,
        )
        .then((action) => {
          if (action === showLogs) this.log.show();
        });
    } else {
      this.log.info('Delivery store: writing again.');
    }
  }

  /** Closes the open store (before another is opened); the tree then shows the new one's. */
  private async closeStore(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    for (const listener of this.storeListeners) listener.dispose();
    this.storeListeners = [];
    if (this.currentState.kind === 'viewer') this.setState({ kind: 'stopped' });
    if (!store) return;
    const ids = store.summaries().map((summary) => summary.id);
    await store
      .close()
      .catch((error: unknown) =>
        this.log.warn(`The ${store.location} did not close cleanly: ${errorText(error)}`),
      );
    // Everything shown came from that store.
    this.deliveriesChanged.fire({ added: [], updated: [], deleted: ids, cleared: true });
  }

  private setStatus(status: StoreStatus): void {
    this.status = status;
    this.storeChanged.fire();
  }

  private async onLostStore(): Promise<void> {
    const holder = this.store?.lockHolder;
    const who = holder ? ` (pid ${holder.pid} on ${holder.hostname})` : '';
    this.log.error(
      `Another HookLens${who} took over the delivery store; this window's receiver stopped.`,
    );
    await this.stop();
    void vscode.window.showWarningMessage(
      holder
        ? vscode.l10n.t(
            "HookLens: another HookLens (pid {0} on {1}) took over the delivery store, so this window's receiver stopped; this window now shows its deliveries.",
            holder.pid,
            holder.hostname,
          )
        : vscode.l10n.t(
            "HookLens: another HookLens took over the delivery store, so this window's receiver stopped; this window now shows its deliveries.",
          ),
    );
  }

  private enterViewerMode(): void {
    const pid = this.store?.lockHolder?.pid ?? null;
    this.setState({ kind: 'viewer', ownerPid: pid });
    this.log.info(
      `Another VS Code window${pid ? ` (pid ${pid})` : ''} owns the receiver and the store; this window shows its deliveries.`,
    );
    if (this.viewerTimer) return;
    this.viewerTimer = setInterval(() => void this.pollAsViewer(), VIEWER_POLL_MS);
  }

  private async pollAsViewer(): Promise<void> {
    const store = this.store;
    if (!store || store.mode !== 'viewer') return this.stopViewerPolling();
    await store.refresh();
    if (await store.tryTakeOver()) {
      this.stopViewerPolling();
      this.log.info('The window that owned the store is gone; this window owns it now.');
      this.setState({ kind: 'stopped' });
      if (readSettings().autoStart) await this.start().catch(() => undefined);
    }
  }

  private stopViewerPolling(): void {
    if (this.viewerTimer) clearInterval(this.viewerTimer);
    this.viewerTimer = undefined;
  }

  private requireWritableStore(what: 'delete' | 'clear'): DeliveryStoreBackend {
    const refusal = this.writeRefusal(what);
    if (refusal !== undefined) throw new StoreRefusalError(refusal);
    if (!this.store) throw new Error(vscode.l10n.t('The delivery store is not open.'));
    return this.store;
  }

  private setState(state: ReceiverState): void {
    this.currentState = state;
    this.stateChanged.fire(state);
  }
}

/** Start was asked for in a window that only views another window's store. */
export class ViewerError extends Error {
  constructor(readonly ownerPid: number | null) {
    super(
      ownerPid
        ? vscode.l10n.t(
            'Another VS Code window (pid {0}) runs the HookLens receiver and owns its store; this window shows its deliveries. Stop the receiver there or close that window to take over.',
            ownerPid,
          )
        : vscode.l10n.t(
            'Another VS Code window runs the HookLens receiver and owns its store; this window shows its deliveries. Stop the receiver there or close that window to take over.',
          ),
    );
  }
}

/** A store refuses what was asked (a read-only team store, a team store not connected). */
export class StoreRefusalError extends Error {}

function openStatus(store: DeliveryStoreBackend): StoreStatus {
  const health = store.health;
  return {
    kind: store.kind,
    phase: 'open',
    location: store.location,
    readOnlyReason:
      store.mode === 'readonly' ? (store.readOnlyReason ?? vscode.l10n.t('unknown reason')) : null,
    unreachable:
      store.kind === 'team' && health.state === 'failing' && health.code === 'UNREACHABLE'
        ? health.message
        : null,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeFailures(failures: FailureSimulation): string {
  const parts: string[] = [];
  if (failures.next)
    parts.push(`answer ${failures.next.status} to the next ${failures.next.count}`);
  if (failures.rate) parts.push(`answer ${failures.rate.status} to ${failures.rate.percent}%`);
  return parts.join(' and ');
}

function sameForward(a: ForwardSettings | undefined, b: ForwardSettings | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.target.href === b.target.href && a.timeoutMs === b.timeoutMs && a.retries === b.retries;
}
