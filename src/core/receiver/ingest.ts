// The capture pipeline behind the HTTP transport: parse, recognise, verify, spot duplicates,
// decide the answer, persist durably, and only then let the sender be answered.
import { isFailedVerdict } from '../../shared/verdicts';
import { DEFAULT_ANALYSIS_SETTINGS, RequestAnalyser } from '../analysis/analyseRequest';
import type { DeliveryRecord } from '../delivery';
import { headlineOfRecord } from '../detail/headline';
import { RECORDED_BODY_CHARS } from '../forward/attempt';
import type { Forwarder } from '../forward/forwarder';
import { DELIVERY_RECORD_VERSION } from '../delivery';
import { newDeliveryId } from '../ids';
import { renderAnswer, type RenderedAnswer } from '../routes/chosenAnswers';
import type { RouteDecision, Router } from '../routes/router';
import { pathOf } from '../routes/routeRules';
import type { DeliveryStoreBackend } from '../store/backend';
import { StoreWriteError } from '../store/errors';
import { elapsedMs, jsonAnswer, type CapturedRequest, type ReceiverAnswer } from './captured';

/** `reject`: a delivery that fails verification is answered 401, kept and flagged. `accept`: 2xx. */
export type VerificationPolicy = 'reject' | 'accept';

export interface IngestOptions {
  readonly policy: VerificationPolicy;
  /**
   * The current analysis (providers, secrets, verification settings). Read per delivery, so a
   * secret or settings change applies to the next delivery without rebuilding the ingestor.
   */
  readonly analyser?: () => RequestAnalyser;
  /** The live forwarder, or undefined when forwarding is off. Read per delivery. */
  readonly forwarder?: () => Forwarder | undefined;
  /** The routes and failure simulation, or undefined when there are none. Read per delivery. */
  readonly router?: () => Router | undefined;
  readonly now?: () => number;
}

export interface IngestResult {
  readonly answer: ReceiverAnswer;
  /** The stored delivery, or undefined when it could not be persisted (the answer is then 503). */
  readonly record: DeliveryRecord | undefined;
}

const WITHOUT_SECRETS = new RequestAnalyser(DEFAULT_ANALYSIS_SETTINGS);

export class Ingestor {
  /** dedupe key → the id of the first delivery with it; rebuilt from the store at start. */
  private readonly firstByKey = new Map<string, string>();
  private readonly listeners = new Set<(record: DeliveryRecord) => void>();
  private readonly storeSubscription: { dispose(): void };
  /** Chosen delays still running; ended at once on dispose. */
  private readonly delays = new Set<() => void>();

  constructor(
    private readonly store: DeliveryStoreBackend,
    private readonly options: IngestOptions,
  ) {
    for (const summary of [...store.summaries()].reverse()) {
      if (
        summary.dedupeKey !== null &&
        summary.duplicateOf === null &&
        !this.firstByKey.has(summary.dedupeKey)
      ) {
        this.firstByKey.set(summary.dedupeKey, summary.id);
      }
    }
    this.storeSubscription = store.onDidChange((change) => {
      if (change.cleared) this.firstByKey.clear();
      if (change.deleted.length === 0) return;
      const deleted = new Set(change.deleted);
      for (const [key, id] of this.firstByKey) if (deleted.has(id)) this.firstByKey.delete(key);
    });
  }

  dispose(): void {
    for (const end of this.delays) end();
    this.delays.clear();
    this.storeSubscription.dispose();
    this.listeners.clear();
  }

  /** Called after each delivery is on disk, before the sender is answered. */
  onDidIngest(listener: (record: DeliveryRecord) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async ingest(captured: CapturedRequest): Promise<IngestResult> {
    const now = this.options.now ?? Date.now;
    const id = newDeliveryId(captured.receivedAtMs);
    const analysis = (this.options.analyser?.() ?? WITHOUT_SECRETS).analyse(captured, now(), id);
    const { verification, recognition, dedupeKey } = analysis;
    const duplicateOf = this.firstByKey.get(dedupeKey) ?? null;
    if (duplicateOf === null) this.firstByKey.set(dedupeKey, id);

    const accepted = !isFailedVerdict(verification.verdict) || this.options.policy === 'accept';
    const own = analysis.answer;
    // Routes and failure simulation apply to accepted deliveries only, like forwarding.
    const decision: RouteDecision | undefined = accepted
      ? this.options.router?.()?.decide({
          path: pathOf(captured.url),
          provider: recognition.sender,
          event: recognition.event,
          verdict: verification.verdict,
          headers: captured.headers,
        })
      : undefined;
    const chosen: RenderedAnswer | undefined =
      decision?.kind === 'answer'
        ? renderAnswer(decision.answer, {
            id,
            event: recognition.event,
            provider: recognition.sender,
            json: analysis.facts.json,
          })
        : undefined;
    const answer: ReceiverAnswer = chosen
      ? { status: chosen.status, headers: chosen.headers, body: chosen.body }
      : own !== undefined && (accepted || analysis.handshakeChecked)
        ? { status: own.status, headers: [['Content-Type', own.contentType]], body: own.body }
        : !accepted
          ? jsonAnswer(401, { error: 'unauthorized' })
          : jsonAnswer(200, { received: true, id });

    const captureRecord: Omit<DeliveryRecord, 'seq'> = {
      v: DELIVERY_RECORD_VERSION,
      id,
      receivedAt: new Date(captured.receivedAtMs).toISOString(),
      method: captured.method,
      url: analysis.url,
      headers: analysis.headers,
      remoteAddress: captured.remoteAddress,
      bodyBase64: captured.body.toString('base64'),
      bodySha256: analysis.bodySha256,
      bodySize: captured.body.length,
      ...(captured.encodedBody && captured.contentEncoding
        ? {
            contentEncoding: captured.contentEncoding,
            encodedBodyBase64: captured.encodedBody.toString('base64'),
          }
        : {}),
      parseError: analysis.parseError,
      sender: recognition.sender,
      event: recognition.event,
      sessionId: recognition.sessionId,
      senderEventId: recognition.senderEventId,
      verification,
      response: {
        status: answer.status,
        headers: answer.headers,
        body: typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8'),
        timeMs: elapsedMs(captured.startedAt) + (chosen?.delayMs ?? 0),
      },
      attempts: [],
      duplicateOf,
      dedupeKey,
      ...(decision ? { route: decision.choice } : {}),
    };
    const headline = headlineOfRecord(captureRecord);
    const record = headline === null ? captureRecord : { ...captureRecord, headline };
    let stored: DeliveryRecord;
    try {
      stored = await this.store.put(record);
    } catch (error) {
      if (duplicateOf === null && this.firstByKey.get(dedupeKey) === id)
        this.firstByKey.delete(dedupeKey);
      if (error instanceof StoreWriteError) {
        // Nothing is acknowledged that is not on disk; the sender should retry (D-05).
        return {
          answer: jsonAnswer(503, { error: 'temporarily unavailable' }, [['Retry-After', '5']]),
          record: undefined,
        };
      }
      throw error;
    }
    // A route's forwarder, else (no route applied) the catch-all one.
    const forwarder = !accepted
      ? undefined
      : decision === undefined
        ? this.options.forwarder?.()
        : decision.kind === 'forward'
          ? decision.forwarder
          : undefined;
    const final = forwarder ? await this.forward(forwarder, stored, captured) : { answer, stored };
    for (const listener of this.listeners) listener(final.stored);
    if (chosen !== undefined && chosen.delayMs > 0) await this.delay(chosen.delayMs);
    return { answer: final.answer, record: final.stored };
  }

  /** A chosen delay before answering; ends early when the ingestor is disposed. */
  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.delays.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.delays.add(end);
    });
  }

  /**
   * The delivery is already on disk, so a failing handler can never lose it. The sender gets the
   * handler's answer; the record gets the attempt and that answer.
   */
  private async forward(
    forwarder: Forwarder,
    stored: DeliveryRecord,
    captured: CapturedRequest,
  ): Promise<{ answer: ReceiverAnswer; stored: DeliveryRecord }> {
    const { answer, attempt } = await forwarder.forward(stored, captured);
    const text = typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
    const response = {
      status: answer.status,
      headers: answer.headers,
      body:
        text.length > RECORDED_BODY_CHARS
          ? `${text.slice(0, RECORDED_BODY_CHARS)}\n[… truncated by HookLens]`
          : text,
      timeMs: elapsedMs(captured.startedAt),
    };
    try {
      const updated = await this.store.update(stored.id, (current) => ({
        ...current,
        response,
        attempts: [...current.attempts, attempt],
      }));
      return { answer, stored: updated ?? stored };
    } catch {
      // The delivery is stored; only its attempt record is lost, and the store reports why.
      return { answer, stored };
    }
  }
}
