// The capture pipeline behind the HTTP transport: parse, recognise, verify, spot duplicates,
// decide the answer, persist durably, and only then let the sender be answered.
import { isFailedVerdict } from '../../shared/verdicts';
import { DEFAULT_ANALYSIS_SETTINGS, RequestAnalyser } from '../analysis/analyseRequest';
import { withBody, withChanges } from '../capturedBody';
import type { DeliveryRecord } from '../delivery';
import { headlineOfView, MAX_HEADLINE_BODY_BYTES } from '../detail/headline';
import { RECORDED_BODY_CHARS } from '../forward/attempt';
import type { Forwarder } from '../forward/forwarder';
import { DELIVERY_RECORD_VERSION } from '../delivery';
import { newDeliveryId } from '../ids';
import { renderAnswer, type RenderedAnswer } from '../routes/chosenAnswers';
import type { RouteDecision, Router } from '../routes/router';
import { pathOf } from '../routes/routeRules';
import { senderViewOf } from '../senders/senderView';
import type { RequestFacts } from '../providers/requestFacts';
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
  /**
   * The delivery, or undefined when it could not be persisted (the answer is then 503). When it
   * was forwarded, this is the record with the forward's attempt and answer, as `recorded` stores it.
   */
  readonly record: DeliveryRecord | undefined;
  /**
   * Settles once everything about the delivery is durable: at once without forwarding. When
   * forwarding, the sender is answered before the attempt record is durable (issue 15: the
   * delivery itself was on disk before the forward started; the attempt joins the next group
   * commit). Resolves with the record as stored, or undefined if the attempt could not be
   * recorded (the delivery then shows "forward outcome not recorded").
   */
  readonly recorded: Promise<DeliveryRecord | undefined>;
}

const WITHOUT_SECRETS = new RequestAnalyser(DEFAULT_ANALYSIS_SETTINGS);

export class Ingestor {
  /** dedupe key → the id of the first delivery with it; rebuilt from the store at start. */
  private readonly firstByKey = new Map<string, string>();
  /** The reverse of firstByKey (id → key), so a deletion finds its key without a scan. */
  private readonly keyOfFirst = new Map<string, string>();
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
        this.rememberFirst(summary.dedupeKey, summary.id);
      }
    }
    // At the retention cap every batch deletes the oldest deliveries: look each one up, never
    // scan every key (10,000 of them at the default cap) per batch.
    this.storeSubscription = store.onDidChange((change) => {
      if (change.cleared) {
        this.firstByKey.clear();
        this.keyOfFirst.clear();
      }
      for (const id of change.deleted) {
        const key = this.keyOfFirst.get(id);
        if (key === undefined) continue;
        this.keyOfFirst.delete(id);
        if (this.firstByKey.get(key) === id) this.firstByKey.delete(key);
      }
    });
  }

  private rememberFirst(key: string, id: string): void {
    this.firstByKey.set(key, id);
    this.keyOfFirst.set(id, key);
  }

  private forgetFirst(key: string, id: string): void {
    if (this.firstByKey.get(key) === id) this.firstByKey.delete(key);
    this.keyOfFirst.delete(id);
  }

  dispose(): void {
    for (const end of this.delays) end();
    this.delays.clear();
    this.storeSubscription.dispose();
    this.listeners.clear();
  }

  /**
   * Called after each delivery is on disk: before the sender is answered, except when it is
   * forwarded, where it is called once the attempt is recorded too (or could not be).
   */
  onDidIngest(listener: (record: DeliveryRecord) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async ingest(captured: CapturedRequest): Promise<IngestResult> {
    // Analysed in a function of its own, so the parsed body (as large as the body, and more) is
    // garbage before the store's write is awaited, not held until the sender is answered.
    const { record, answer, forwarder, chosen, dedupeKey, duplicateOf } = this.capture(captured);
    let stored: DeliveryRecord;
    try {
      stored = await this.store.put(record);
    } catch (error) {
      if (duplicateOf === null) this.forgetFirst(dedupeKey, record.id);
      if (error instanceof StoreWriteError) {
        // Nothing is acknowledged that is not on disk; the sender should retry (D-05).
        return {
          answer: jsonAnswer(503, { error: 'temporarily unavailable' }, [['Retry-After', '5']]),
          record: undefined,
          recorded: Promise.resolve(undefined),
        };
      }
      throw error;
    }
    if (forwarder) return this.forward(forwarder, stored, captured);
    this.notify(stored);
    if (chosen !== undefined && chosen.delayMs > 0) await this.delay(chosen.delayMs);
    return { answer, record: stored, recorded: Promise.resolve(stored) };
  }

  /** Everything about a delivery before it is stored: its analysis, record and answer. */
  private capture(captured: CapturedRequest): {
    readonly record: Omit<DeliveryRecord, 'seq'>;
    readonly answer: ReceiverAnswer;
    readonly forwarder: Forwarder | undefined;
    readonly chosen: RenderedAnswer | undefined;
    readonly dedupeKey: string;
    readonly duplicateOf: string | null;
  } {
    const now = this.options.now ?? Date.now;
    const id = newDeliveryId(captured.receivedAtMs);
    const analysis = (this.options.analyser?.() ?? WITHOUT_SECRETS).analyse(captured, now(), id);
    const { verification, recognition, dedupeKey } = analysis;
    const duplicateOf = this.firstByKey.get(dedupeKey) ?? null;
    if (duplicateOf === null) this.rememberFirst(dedupeKey, id);

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

    // A route's forwarder, else (no route applied) the catch-all one.
    const forwarder = !accepted
      ? undefined
      : decision === undefined
        ? this.options.forwarder?.()
        : decision.kind === 'forward'
          ? decision.forwarder
          : undefined;

    const captureRecord: Omit<DeliveryRecord, 'seq'> = {
      v: DELIVERY_RECORD_VERSION,
      id,
      receivedAt: new Date(captured.receivedAtMs).toISOString(),
      method: captured.method,
      url: analysis.url,
      headers: analysis.headers,
      remoteAddress: captured.remoteAddress,
      // Filled in by withBody below; here so the body keeps its place in the line, before the
      // claims a sender chose (store opening skips the first body key it finds).
      bodyBase64: '',
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
      // Forwarded: the sender will get the handler's answer, recorded with the attempt. Until
      // then (and for good if HookLens stops first) there is no answer on record: the delivery
      // shows "forward outcome not recorded", never an answer the sender did not get.
      response: forwarder
        ? null
        : {
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
    const headline = headlineOf(captureRecord, analysis.facts);
    // A large body stays the captured bytes: the store writes its line from them (capturedBody.ts).
    const record = withBody(
      headline === null ? captureRecord : { ...captureRecord, headline },
      captured.body,
    );
    return { record, answer, forwarder, chosen, dedupeKey, duplicateOf };
  }

  private notify(record: DeliveryRecord): void {
    for (const listener of this.listeners) listener(record);
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
   * handler's answer as soon as it comes; the record gets the attempt and that answer in the next
   * group commit, without the sender waiting for it (issue 15's decision).
   */
  private async forward(
    forwarder: Forwarder,
    stored: DeliveryRecord,
    captured: CapturedRequest,
  ): Promise<IngestResult> {
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
    const withAttempt = (current: DeliveryRecord): DeliveryRecord =>
      withChanges(current, { response, attempts: [...current.attempts, attempt] });
    // Asked for at once, so the store's per-delivery update order keeps this attempt ahead of
    // the forwarder's background retries. Eventual: nobody waits on it, so it rides with the
    // next delivery's commit instead of costing an fdatasync of its own.
    const recorded = this.store.update(stored.id, withAttempt, { eventual: true }).then(
      (updated) => {
        this.notify(updated ?? stored);
        return updated;
      },
      () => {
        // The delivery is stored; only its attempt record is lost ("forward outcome not
        // recorded"), and the store reports why.
        this.notify(stored);
        return undefined;
      },
    );
    return { answer, record: withAttempt(stored), recorded };
  }
}

/**
 * The delivery's headline from the body the analysis already parsed (headlineOfRecord would
 * decode and parse it again): the same sender view, the same rules. Never throws.
 */
function headlineOf(
  record: Pick<DeliveryRecord, 'bodySize' | 'headers' | 'sender' | 'event' | 'parseError'>,
  facts: RequestFacts,
): string | null {
  try {
    if (record.parseError !== null || record.bodySize > MAX_HEADLINE_BODY_BYTES) return null;
    if (!facts.parsed.ok) return null;
    return headlineOfView(
      senderViewOf(facts.parsed.json, record.sender, record.event, {
        headers: record.headers,
        form: facts.parsed.form ?? null,
      }),
    );
  } catch {
    return null;
  }
}
