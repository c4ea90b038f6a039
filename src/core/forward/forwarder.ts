// Live forwarding: every accepted delivery goes on to the developer's handler, and the sender gets
// the handler's answer. A handler that is down or slow costs the sender a 502/504, never the
// delivery: it is stored before the forward starts, and each try is recorded as an attempt.
// Optional retries run in the background, after the sender has its answer.
import type { Attempt, DeliveryRecord } from '../delivery';
import type { CapturedRequest, ReceiverAnswer } from '../receiver/captured';
import { jsonAnswer } from '../receiver/captured';
import { LOOP_MARKER_HEADER } from '../receiver/receiverServer';
import type { DeliveryStoreBackend } from '../store/backend';
import { attemptFrom, isDelivered, isRetryable, retryDelayMs } from './attempt';
import {
  OutboundAgents,
  passableResponseHeaders,
  sendOutbound,
  sha256Hex,
  type OutboundRequest,
  type OutboundResult,
} from './outbound';

export interface ForwardSettings {
  readonly target: URL;
  readonly timeoutMs: number;
  /** Automatic retries after a failed forward (0 = off). Each is an attempt. */
  readonly retries: number;
  /** Sent as X-HookLens-Loop so this receiver refuses its own forward if it comes back. */
  readonly loopMarker?: string;
  /** The route this forwarder sends for; its attempts record the name. Absent for forwardTo. */
  readonly route?: string;
}

export const DEFAULT_FORWARD_TIMEOUT_MS = 10_000;
export const MAX_FORWARD_RETRIES = 10;

export interface ForwardOutcome {
  /** What the sender is answered: the handler's answer, or a short generic 502/504. */
  readonly answer: ReceiverAnswer;
  readonly attempt: Attempt;
}

export interface ForwarderDependencies {
  readonly random?: () => number;
  /** Called after a background retry is recorded (or could not be). For logs and tests. */
  readonly onRetry?: (deliveryId: string, attempt: Attempt, recorded: boolean) => void;
}

export class Forwarder {
  private readonly agents = new OutboundAgents();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Deliveries with a retry scheduled or under way, and how many. */
  private readonly retrying = new Map<string, number>();
  private readonly controller = new AbortController();
  private disposed = false;

  constructor(
    readonly settings: ForwardSettings,
    private readonly store: DeliveryStoreBackend,
    private readonly dependencies: ForwarderDependencies = {},
  ) {}

  /** Whether a retry of this delivery is scheduled or under way (Replay Failed leaves it alone). */
  isRetrying(deliveryId: string): boolean {
    return this.retrying.has(deliveryId);
  }

  /** Retries still scheduled; they end when the forwarder is disposed. */
  get pendingRetries(): number {
    return this.timers.size;
  }

  /** The first try, whose answer goes to the sender. Retries (if on) are scheduled after it. */
  async forward(record: DeliveryRecord, captured: CapturedRequest): Promise<ForwardOutcome> {
    const request = this.outboundRequest(captured);
    const result = await sendOutbound(this.settings.target, request, {
      timeoutMs: this.settings.timeoutMs,
      signal: this.controller.signal,
      agents: this.agents,
      refuseTruncatedAnswer: true,
    });
    const attempt = this.attempt(result, captured.body);
    if (!isDelivered(result) && isRetryable(result) && this.settings.retries > 0) {
      this.scheduleRetry(record.id, captured, 1, result);
    }
    return { answer: answerFor(result), attempt };
  }

  dispose(): void {
    this.disposed = true;
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.retrying.clear();
    this.agents.dispose();
  }

  /** The exact bytes as they arrived (still encoded when they came encoded), original headers. */
  private outboundRequest(captured: CapturedRequest): OutboundRequest {
    const marker = this.settings.loopMarker;
    return {
      method: captured.method,
      headers:
        marker === undefined
          ? captured.headers
          : [...captured.headers, [LOOP_MARKER_HEADER, marker] as const],
      body: captured.encodedBody ?? captured.body,
    };
  }

  private attempt(result: OutboundResult, body: Buffer): Attempt {
    return attemptFrom(result, {
      kind: 'forward',
      target: this.settings.target.href,
      tokenMode: 'original',
      sentBodySha256: sha256Hex(body),
      ...(this.settings.route === undefined ? {} : { route: this.settings.route }),
    });
  }

  private scheduleRetry(
    deliveryId: string,
    captured: CapturedRequest,
    retry: number,
    previous: OutboundResult,
  ): void {
    if (this.disposed) return;
    const delay = retryDelayMs(retry, previous, this.dependencies.random);
    this.retrying.set(deliveryId, (this.retrying.get(deliveryId) ?? 0) + 1);
    const done = (): void => {
      const left = (this.retrying.get(deliveryId) ?? 1) - 1;
      if (left > 0) this.retrying.set(deliveryId, left);
      else this.retrying.delete(deliveryId);
    };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.retry(deliveryId, captured, retry).finally(done);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async retry(deliveryId: string, captured: CapturedRequest, retry: number): Promise<void> {
    if (this.disposed) return;
    const request = this.outboundRequest(captured);
    const result = await sendOutbound(this.settings.target, request, {
      timeoutMs: this.settings.timeoutMs,
      signal: this.controller.signal,
      agents: this.agents,
      refuseTruncatedAnswer: true,
    });
    if (this.disposed) return;
    const attempt = this.attempt(result, captured.body);
    const recorded = await this.store
      .update(deliveryId, (record) => ({ ...record, attempts: [...record.attempts, attempt] }), {
        eventual: true,
      })
      .then(
        (updated) => updated !== undefined,
        () => false, // The store reports its own health; a lost retry record is not fatal.
      );
    this.dependencies.onRetry?.(deliveryId, attempt, recorded);
    if (
      recorded &&
      !isDelivered(result) &&
      isRetryable(result) &&
      retry < Math.min(this.settings.retries, MAX_FORWARD_RETRIES)
    ) {
      this.scheduleRetry(deliveryId, captured, retry + 1, result);
    }
  }
}

/**
 * The handler's answer as the sender should see it, or a short generic failure: the sender is a
 * third party, so it learns neither the target nor the error detail (those are in the attempt).
 */
function answerFor(result: OutboundResult): ReceiverAnswer {
  if (result.ok) {
    return {
      status: result.response.status,
      headers: passableResponseHeaders(result.response.headers),
      body: result.response.body,
    };
  }
  if (result.kind === 'timeout') {
    return jsonAnswer(504, { error: 'the webhook handler did not answer in time' });
  }
  return jsonAnswer(502, { error: 'the webhook handler could not be reached' });
}
