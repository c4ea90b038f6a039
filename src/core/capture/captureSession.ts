// One capture session: the receiver, the analysis (providers, secrets, verification), the
// ingestor, the forwarder and the live stream over one open store, started and stopped in one
// order. The extension, the CLI and the benchmarks all run this, so they cannot drift apart.
import { randomBytes } from 'node:crypto';
import { RequestAnalyser, type AnalysisSettings } from '../analysis/analyseRequest';
import type { DeliveryRecord } from '../delivery';
import { Forwarder, type ForwardSettings } from '../forward/forwarder';
import type { Attempt } from '../delivery';
import { providerAcceptsMethod } from '../providers/registry';
import { Ingestor, type VerificationPolicy } from '../receiver/ingest';
import { FailureSimulator, type FailureSimulation } from '../routes/chosenAnswers';
import { Router, type ActiveRoute } from '../routes/router';
import type { Route } from '../routes/routeRules';
import { startReceiver, type Refusal, type RunningReceiver } from '../receiver/receiverServer';
import type { DeliveryStoreBackend } from '../store/backend';
import { removeReceiverInfo, writeReceiverInfo } from '../stream/receiverInfo';
import { StreamHub } from '../stream/streamHub';
import { ensureStreamToken } from '../stream/streamToken';

export interface ListenSettings {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly allowedHosts: readonly string[];
}

/** What can change while the session runs, without restarting the receiver. */
export interface PipelineSettings {
  readonly policy: VerificationPolicy;
  readonly analysis: AnalysisSettings;
  /** Undefined when forwarding is off. */
  readonly forward: ForwardSettings | undefined;
  /** Routes and failure simulation; absent when there are none. */
  readonly routes?: RoutingSettings;
}

/** Several handlers behind one receiver, and answers the user chose (see core/routes). */
export interface RoutingSettings {
  /** In order: the first that matches wins; `forward` stays the catch-all. */
  readonly rules: readonly Route[];
  /** For the routes' handlers, as for the forward target. */
  readonly timeoutMs: number;
  readonly retries: number;
  /**
   * Failure simulation. Counting is per object: the same object keeps its count across
   * updates; a new one (the user turned it on again) starts again.
   */
  readonly failures?: FailureSimulation;
}

/** Where failure simulation stands, for the status bar and logs. */
export interface SimulationState {
  readonly simulation: FailureSimulation;
  /** Deliveries of `next` still to fail. */
  readonly remaining: number;
  /** False once `next` is used up and there is no rate. */
  readonly active: boolean;
}

export interface CaptureSessionOptions {
  readonly store: DeliveryStoreBackend;
  readonly storeDir: string;
  readonly listen: ListenSettings;
  readonly pipeline: PipelineSettings;
  readonly log: {
    info(message: string): void;
    warn(message: string): void;
  };
  readonly onRefused?: (refusal: Refusal) => void;
  readonly onForwardRetry?: (deliveryId: string, attempt: Attempt, recorded: boolean) => void;
}

export class CaptureSession {
  private analyserNow: RequestAnalyser;
  private pipelineNow: PipelineSettings;
  private forwarderNow: Forwarder | undefined;
  private routerNow: Router | undefined;
  /** One sentence per forwarding route left out because it points at this receiver. */
  private refused: readonly string[] = [];
  private readonly ingestor: Ingestor;
  private hub: StreamHub | undefined;
  private receiver: RunningReceiver | undefined;
  private stopping: Promise<void> | undefined;
  /** Marks this session's forwards, so one that comes back to this receiver is refused (508). */
  private readonly loopMarker = randomBytes(12).toString('base64url');

  private constructor(private readonly options: CaptureSessionOptions) {
    this.pipelineNow = options.pipeline;
    this.analyserNow = new RequestAnalyser(options.pipeline.analysis);
    const policy = (): PipelineSettings['policy'] => this.pipelineNow.policy;
    this.ingestor = new Ingestor(options.store, {
      // Read per delivery: a settings change applies to the next one without a new ingestor.
      get policy() {
        return policy();
      },
      analyser: () => this.analyserNow,
      forwarder: () => this.forwarderNow,
      router: () => this.routerNow,
    });
  }

  /** Starts listening; on failure everything started so far is stopped and the error rethrown. */
  static async start(options: CaptureSessionOptions): Promise<CaptureSession> {
    const session = new CaptureSession(options);
    try {
      await session.listen();
    } catch (error) {
      await session.stop();
      throw error;
    }
    return session;
  }

  get url(): string {
    return this.receiver?.url ?? '';
  }

  get port(): number {
    return this.receiver?.port ?? 0;
  }

  get host(): string {
    return this.receiver?.host ?? this.options.listen.host;
  }

  get forwarder(): Forwarder | undefined {
    return this.forwarderNow;
  }

  get analyser(): RequestAnalyser {
    return this.analyserNow;
  }

  get pipeline(): PipelineSettings {
    return this.pipelineNow;
  }

  /** Whether a forward retry of this delivery is scheduled or under way, on any forwarder. */
  isRetrying(deliveryId: string): boolean {
    return (
      this.forwarderNow?.isRetrying(deliveryId) === true ||
      this.routes.some((active) => active.forwarder?.isRetrying(deliveryId) === true)
    );
  }

  /** The routes in use, each with its forwarder when it forwards. */
  get routes(): readonly ActiveRoute[] {
    return this.routerNow?.routes ?? [];
  }

  /** Forwarding routes left out because their target is this receiver (every delivery would loop). */
  get refusedRoutes(): readonly string[] {
    return this.refused;
  }

  /** Failure simulation as it stands now; undefined when it is off. */
  get simulation(): SimulationState | undefined {
    const simulator = this.routerNow?.simulator;
    if (!simulator) return undefined;
    return {
      simulation: simulator.simulation,
      remaining: simulator.remaining,
      active: simulator.active,
    };
  }

  /** Called after each delivery is on disk, before the sender is answered. */
  onDidIngest(listener: (record: DeliveryRecord) => void): { dispose(): void } {
    return this.ingestor.onDidIngest(listener);
  }

  /**
   * Applies new pipeline settings to the next delivery. The forwarder is rebuilt only when its
   * own settings changed: rebuilding aborts its requests in flight and its scheduled retries.
   */
  update(pipeline: PipelineSettings): void {
    if (pipeline.analysis !== this.pipelineNow.analysis) {
      this.analyserNow = new RequestAnalyser(pipeline.analysis);
    }
    if (!sameForward(pipeline.forward, this.pipelineNow.forward)) {
      this.forwarderNow?.dispose();
      this.forwarderNow = this.makeForwarder(pipeline.forward);
    }
    const routesBefore = this.pipelineNow.routes;
    this.pipelineNow = pipeline;
    if (pipeline.routes !== routesBefore && this.receiver !== undefined) {
      this.routerNow = this.makeRouter(pipeline.routes, this.routerNow, routesBefore);
    }
  }

  /** Stops in one order: discovery file, stream, receiver (in-flight deliveries finish), forwarder. */
  stop(graceMs?: number): Promise<void> {
    this.stopping ??= (async () => {
      const receiver = this.receiver;
      this.receiver = undefined;
      if (receiver) await removeReceiverInfo(this.options.storeDir).catch(() => undefined);
      this.hub?.dispose();
      this.hub = undefined;
      await receiver?.stop(graceMs);
      this.forwarderNow?.dispose();
      this.forwarderNow = undefined;
      for (const active of this.routerNow?.routes ?? []) active.forwarder?.dispose();
      this.routerNow = undefined;
      this.ingestor.dispose();
    })();
    return this.stopping;
  }

  private async listen(): Promise<void> {
    const { store, storeDir, listen, log } = this.options;
    const hub = (this.hub = new StreamHub(store, {
      // The token belongs to the store and is reused while it exists, so tails keep following.
      token: await ensureStreamToken(storeDir),
      log: (message) => log.info(`stream: ${message}`),
    }));
    this.receiver = await startReceiver(
      {
        host: listen.host,
        port: listen.port,
        maxBodyBytes: listen.maxBodyBytes,
        allowedHosts: listen.allowedHosts,
        acceptsMethod: providerAcceptsMethod,
        loopMarker: this.loopMarker,
        onUpgrade: (request, socket, head) => hub.handleUpgrade(request, socket, head),
      },
      async (captured) => (await this.ingestor.ingest(captured)).answer,
      this.options.onRefused,
    );
    // Built once the port is known, so a target that is this receiver can be refused.
    this.forwarderNow = this.makeForwarder(this.pipelineNow.forward);
    this.routerNow = this.makeRouter(this.pipelineNow.routes, undefined, undefined);
    // Lets `hooklens tail --store DIR` find the port; a failure only costs discovery.
    await writeReceiverInfo(storeDir, {
      url: this.receiver.url,
      port: this.receiver.port,
      host: this.receiver.host,
      // Lets `tail` insist that the peer proving itself is this run's receiver.
      runId: hub.runId,
    }).catch((error: unknown) =>
      log.warn(
        `could not record the receiver in ${storeDir} (${error instanceof Error ? error.message : String(error)}); pass the port to tail`,
      ),
    );
  }

  /**
   * The routes' router. A forwarding route keeps its forwarder (and its scheduled retries) while
   * its name, target, timeout and retries are unchanged; failure simulation keeps its count while
   * its settings object is the same. A route whose target is this receiver is left out, and said.
   */
  private makeRouter(
    routing: RoutingSettings | undefined,
    previous: Router | undefined,
    previousSettings: RoutingSettings | undefined,
  ): Router | undefined {
    const reusable = new Map<string, Forwarder>();
    const sameTiming =
      previousSettings !== undefined &&
      routing !== undefined &&
      previousSettings.timeoutMs === routing.timeoutMs &&
      previousSettings.retries === routing.retries;
    for (const active of previous?.routes ?? []) {
      if (active.forwarder === undefined) continue;
      if (sameTiming) reusable.set(routeKey(active.route), active.forwarder);
      else active.forwarder.dispose();
    }
    const refused: string[] = [];
    const routes: ActiveRoute[] = [];
    for (const route of routing?.rules ?? []) {
      const target = route.target;
      if (target.kind === 'answer') {
        routes.push({ route });
        continue;
      }
      if (this.receiver !== undefined && pointsAt(target.url, this.receiver)) {
        refused.push(
          `route ${route.name} is off: ${target.url.href} is this receiver itself, so every delivery it takes would loop.`,
        );
        continue;
      }
      const key = routeKey(route);
      let forwarder = reusable.get(key);
      reusable.delete(key);
      if (forwarder === undefined && routing !== undefined) {
        const onRetry = this.options.onForwardRetry;
        forwarder = new Forwarder(
          {
            target: target.url,
            timeoutMs: routing.timeoutMs,
            retries: routing.retries,
            loopMarker: this.loopMarker,
            route: route.name,
          },
          this.options.store,
          onRetry ? { onRetry } : {},
        );
      }
      routes.push({ route, ...(forwarder ? { forwarder } : {}) });
    }
    for (const unused of reusable.values()) unused.dispose();
    for (const message of refused) {
      if (!this.refused.includes(message)) this.options.log.warn(message);
    }
    this.refused = refused;
    const failures = routing?.failures;
    const simulator =
      failures === undefined
        ? undefined
        : previous?.simulator !== undefined && previous.simulator.simulation === failures
          ? previous.simulator
          : new FailureSimulator(failures);
    if (routes.length === 0 && simulator === undefined) return undefined;
    return new Router(routes, simulator);
  }

  private makeForwarder(settings: ForwardSettings | undefined): Forwarder | undefined {
    if (settings === undefined) return undefined;
    if (this.receiver !== undefined && pointsAt(settings.target, this.receiver)) {
      this.options.log.warn(
        `forwarding is off: ${settings.target.href} is this receiver itself, so every delivery would loop.`,
      );
      return undefined;
    }
    const onRetry = this.options.onForwardRetry;
    return new Forwarder(
      { ...settings, loopMarker: this.loopMarker },
      this.options.store,
      onRetry ? { onRetry } : {},
    );
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '[::]']);

/** True when a forward target is the receiver's own address (any loopback name, same port). */
export function pointsAt(
  target: URL,
  receiver: { readonly host: string; readonly port: number },
): boolean {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (port !== receiver.port) return false;
  const host = target.hostname.toLowerCase();
  const bound = receiver.host.toLowerCase();
  const loopback = (name: string): boolean => LOOPBACK_NAMES.has(name) || /^127\./.test(name);
  return host === bound || `[${bound}]` === host || (loopback(host) && loopback(bound));
}

function routeKey(route: Route): string {
  return `${route.name}\n${route.target.kind === 'forward' ? route.target.url.href : ''}`;
}

function sameForward(a: ForwardSettings | undefined, b: ForwardSettings | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.target.href === b.target.href && a.timeoutMs === b.timeoutMs && a.retries === b.retries;
}
