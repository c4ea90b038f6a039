import * as vscode from 'vscode';
import type { DeliveryRecord } from '../core/delivery';
import { Forwarder } from '../core/forward/forwarder';
import { Ingestor } from '../core/receiver/ingest';
import {
  isLoopbackBindAddress,
  ReceiverStartError,
  startReceiver,
  type RunningReceiver,
} from '../core/receiver/receiverServer';
import { DeliveryStore } from '../core/store/deliveryStore';
import { removeReceiverInfo, writeReceiverInfo } from '../core/stream/receiverInfo';
import { StreamHub } from '../core/stream/streamHub';
import { ensureStreamToken } from '../core/stream/streamToken';
import type { DeliverySummary, StoreChangeEvent } from '../core/store/types';
import type { RequestAnalyser } from '../core/analysis/analyseRequest';
import { analyserWithSecrets } from '../core/analysis/analyseRequest';
import type { ReceiverState } from '../shared/model';
import { toSingleLine } from '../shared/visibleText';
import { DisposableOwner } from './dispose';
import type { SecretStore } from './secrets';
import { readSettings, type Settings } from './settings';

/** How often a viewer window looks for new deliveries and for an owner that went away. */
const VIEWER_POLL_MS = 2_000;

/**
 * Owns the receiver's lifetime in this window: the durable store (opened once), the capture
 * pipeline, the HTTP server (restarted alone when its settings change), and the verifier (rebuilt
 * when the secret or verification settings change).
 */
export class ReceiverController extends DisposableOwner {
  private readonly stateChanged = this.register(new vscode.EventEmitter<ReceiverState>());
  readonly onDidChangeState = this.stateChanged.event;
  private readonly deliveriesChanged = this.register(new vscode.EventEmitter<StoreChangeEvent>());
  readonly onDidChangeDeliveries = this.deliveriesChanged.event;
  private readonly ingested = this.register(new vscode.EventEmitter<DeliveryRecord>());
  readonly onDidIngest = this.ingested.event;

  private currentState: ReceiverState = { kind: 'stopped' };
  private store: DeliveryStore | undefined;
  private ingestor: Ingestor | undefined;
  private receiver: RunningReceiver | undefined;
  private analyser: RequestAnalyser = analyserWithSecrets([]);
  private hasSecret = false;
  private analyserReady: Promise<void> | undefined;
  private forwarder: Forwarder | undefined;
  /** The live stream (`/_hooklens/stream`) for `hooklens tail`; one per receiver run. */
  private stream: StreamHub | undefined;
  private settings: Settings = readSettings();
  private viewerTimer: NodeJS.Timeout | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly storeDir: string,
    private readonly secrets: SecretStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.ready = this.openStore();
    this.register(secrets.onDidChange(() => void (this.analyserReady = this.rebuildVerifier())));
    this.register({ dispose: () => this.stopViewerPolling() });
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
  get deliveryStore(): DeliveryStore | undefined {
    return this.store;
  }

  /** The store's folder, for `hooklens tail --store` and other CLI commands. */
  get storeFolder(): string {
    return this.storeDir;
  }

  /**
   * The analysis the receiver runs (providers, secrets, verification settings), for import and
   * replay, which must recognise and redact deliveries the same way.
   */
  async currentAnalyser(): Promise<RequestAnalyser> {
    this.analyserReady ??= this.rebuildVerifier();
    await this.analyserReady;
    return this.analyser;
  }

  /** Where live deliveries are forwarded, when forwarding is on and its URL is valid. */
  get forwardTarget(): URL | undefined {
    return this.forwarder?.settings.target;
  }

  async start(): Promise<void> {
    await this.ready;
    if (this.receiver || !this.store) return;
    if (this.store.mode === 'viewer' && !(await this.store.tryTakeOver())) {
      throw new ViewerError(this.store.lockHolder?.pid ?? null);
    }
    if (this.store.mode === 'readonly') {
      throw new Error(
        `The delivery store is read-only: ${this.store.readOnlyReason ?? 'unknown reason'}`,
      );
    }
    this.stopViewerPolling();
    const settings = (this.settings = readSettings());
    if (!isLoopbackBindAddress(settings.host) && !settings.allowNonLoopbackHost) {
      throw new Error(
        `hooklens.host is ${settings.host}, which is not a loopback address. Turn on hooklens.allowNonLoopbackHost to expose the receiver to your network, or use 127.0.0.1.`,
      );
    }
    await this.rebuildVerifier();
    this.rebuildForwarder(this.store, settings);
    this.buildIngestor(this.store, settings);
    this.setState({ kind: 'starting', host: settings.host, port: settings.port });
    try {
      const stream = (this.stream = new StreamHub(this.store, {
        token: await ensureStreamToken(this.storeDir),
        log: (message) => this.log.info(`Stream: ${message}`),
      }));
      this.receiver = await startReceiver(
        {
          host: settings.host,
          port: settings.port,
          maxBodyBytes: settings.maxBodyBytes,
          allowedHosts: settings.allowedHosts,
          onUpgrade: (request, socket, head) => stream.handleUpgrade(request, socket, head),
        },
        async (captured) => {
          // Read live so a policy change applies to the next delivery without a restart.
          return (await this.requireIngestor().ingest(captured)).answer;
        },
        (refusal) =>
          this.log.warn(
            `Refused ${refusal.status} ${toSingleLine(`${refusal.method} ${refusal.url}`, 100)} from ${refusal.remoteAddress}: ${refusal.reason}`,
          ),
      );
    } catch (error) {
      this.ingestor?.dispose();
      this.ingestor = undefined;
      this.stream?.dispose();
      this.stream = undefined;
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
    const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${this.receiver.port}/`;
    this.setState({ kind: 'listening', host: settings.host, port: this.receiver.port, url });
    // Lets `hooklens tail --store <this store>` find the port; a failure only costs discovery.
    await writeReceiverInfo(this.storeDir, {
      url,
      port: this.receiver.port,
      host: settings.host,
    }).catch((error: unknown) => this.log.warn(`Could not write receiver.json: ${String(error)}`));
    this.log.info(
      `Receiver listening on ${url} (policy ${settings.policy}; ${this.hasSecret ? 'secrets set' : 'no secret: deliveries are not verified'}).`,
    );
    if (!isLoopbackBindAddress(settings.host)) {
      this.log.warn(`The receiver is bound to ${settings.host} and reachable from your network.`);
    }
  }

  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = undefined;
    this.ingestor?.dispose();
    this.ingestor = undefined;
    if (receiver) {
      await removeReceiverInfo(this.storeDir).catch(() => undefined);
      this.stream?.dispose();
      this.stream = undefined;
      await receiver.stop();
      this.forwarder?.dispose();
      this.forwarder = undefined;
      this.log.info('Receiver stopped.');
    }
    if (this.currentState.kind !== 'viewer') this.setState({ kind: 'stopped' });
  }

  async restartIfRunning(): Promise<void> {
    if (!this.receiver) return;
    await this.stop();
    await this.start();
  }

  /** Settings that apply without a restart (policy, verification, pointers): the next delivery uses them. */
  async applyLiveSettings(): Promise<void> {
    this.settings = readSettings();
    await this.rebuildVerifier();
    if (this.ingestor && this.store) {
      this.rebuildForwarder(this.store, this.settings);
      this.buildIngestor(this.store, this.settings);
    }
  }

  /**
   * A new forwarder only when its settings changed: rebuilding aborts the old one's requests in
   * flight (their senders get 502) and its scheduled retries.
   */
  private rebuildForwarder(store: DeliveryStore, settings: Settings): void {
    const wanted = settings.forwardTo?.ok
      ? {
          target: settings.forwardTo.url,
          timeoutMs: settings.forwardTimeoutMs,
          retries: settings.forwardRetries,
        }
      : undefined;
    const current = this.forwarder?.settings;
    const same =
      wanted !== undefined &&
      current !== undefined &&
      wanted.target.href === current.target.href &&
      wanted.timeoutMs === current.timeoutMs &&
      wanted.retries === current.retries;
    if (same) return;
    this.forwarder?.dispose();
    this.forwarder = undefined;
    if (settings.forwardTo && !settings.forwardTo.ok) {
      this.log.error(`hooklens.forwardTo: ${settings.forwardTo.error} Forwarding is off.`);
    }
    if (!wanted) return;
    this.forwarder = new Forwarder(wanted, store, {
      onRetry: (id, attempt, recorded) =>
        this.log.info(
          `Forward retry for ${id}: ${attempt.status ?? 'failed'}${attempt.error ? ` (${attempt.error})` : ''}${recorded ? '' : ' (not recorded)'}`,
        ),
    });
    this.log.info(`Forwarding accepted deliveries to ${wanted.target.href}.`);
  }

  private buildIngestor(store: DeliveryStore, settings: Settings): void {
    this.ingestor?.dispose();
    const ingestor = new Ingestor(store, {
      policy: settings.policy,
      analyser: () => this.analyser,
      forwarder: () => this.forwarder,
    });
    ingestor.onDidIngest((record) => {
      this.log.info(
        `${record.response?.status ?? '---'} ${record.verification.verdict} ${toSingleLine(record.event ?? '(no event)', 60)} ${toSingleLine(`${record.method} ${record.url}`, 100)} ${record.id}`,
      );
      this.ingested.fire(record);
    });
    this.ingestor = ingestor;
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.ready;
    await this.requireWritableStore().delete(ids);
  }

  async clear(): Promise<void> {
    await this.ready;
    await this.requireWritableStore().clear();
  }

  override dispose(): void {
    const receiver = this.receiver;
    const store = this.store;
    this.receiver = undefined;
    // Deactivation: drain in-flight deliveries, flush, release the lock (D-10).
    void (async () => {
      if (receiver) await removeReceiverInfo(this.storeDir).catch(() => undefined);
      this.stream?.dispose();
      await receiver?.stop(3_000);
      this.forwarder?.dispose();
      await store?.close();
    })();
    super.dispose();
  }

  private async openStore(): Promise<void> {
    const settings = this.settings;
    try {
      const store = await DeliveryStore.open(this.storeDir, {
        maxDeliveries: settings.retention.maxDeliveries,
        maxBytes: settings.retention.maxBytes,
      });
      this.store = store;
      store.onDidChange((change) => this.deliveriesChanged.fire(change));
      store.onDidChangeHealth((health) => {
        if (health.state === 'failing') {
          this.log.error(`Delivery store: ${health.message} Senders get 503 until it recovers.`);
          void vscode.window
            .showErrorMessage(
              `HookLens cannot write deliveries to disk: ${health.message}`,
              'Show Logs',
            )
            .then((action) => {
              if (action === 'Show Logs') this.log.show();
            });
        } else {
          this.log.info('Delivery store: writing again.');
        }
      });
      store.onDidChangeMode((mode) => {
        if (mode === 'viewer') this.enterViewerMode();
      });
      for (const note of store.recoveryReport.notes)
        this.log.warn(`Delivery store: ${note.message}`);
      this.log.info(`Delivery store ${this.storeDir}: ${store.size} deliveries (${store.mode}).`);
      if (store.mode === 'viewer') this.enterViewerMode();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`The delivery store could not be opened: ${message}`);
      throw error;
    }
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

  private async rebuildVerifier(): Promise<void> {
    const secrets = await this.secrets.getAll();
    const settings = readSettings();
    try {
      this.analyser = analyserWithSecrets(secrets, {
        jwt: settings.verifier,
        pointers: settings.genericPointers,
      });
      this.hasSecret = secrets.length > 0;
    } catch (error) {
      this.analyser = analyserWithSecrets([]);
      this.hasSecret = false;
      this.log.error(
        `The secrets cannot be used for verification: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private requireIngestor(): Ingestor {
    if (!this.ingestor) throw new Error('receiver stopped');
    return this.ingestor;
  }

  private requireWritableStore(): DeliveryStore {
    if (!this.store) throw new Error('The delivery store is not open.');
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
      `Another VS Code window${ownerPid ? ` (pid ${ownerPid})` : ''} runs the HookLens receiver and owns its store; this window shows its deliveries. Stop the receiver there or close that window to take over.`,
    );
  }
}
