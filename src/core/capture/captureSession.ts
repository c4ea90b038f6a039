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
import { startReceiver, type Refusal, type RunningReceiver } from '../receiver/receiverServer';
import type { DeliveryStore } from '../store/deliveryStore';
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
}

export interface CaptureSessionOptions {
  readonly store: DeliveryStore;
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
    this.pipelineNow = pipeline;
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

function sameForward(a: ForwardSettings | undefined, b: ForwardSettings | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.target.href === b.target.href && a.timeoutMs === b.timeoutMs && a.retries === b.retries;
}
