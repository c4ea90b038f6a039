// The capture pipeline behind the HTTP transport: parse, recognise, verify, spot duplicates,
// decide the answer, persist durably, and only then let the sender be answered.
import { createHash } from 'node:crypto';
import { isFailedVerdict } from '../../shared/model';
import type { DeliveryRecord, Verification } from '../delivery';
import { RECORDED_BODY_CHARS } from '../forward/attempt';
import type { Forwarder } from '../forward/forwarder';
import { DELIVERY_RECORD_VERSION } from '../delivery';
import { newDeliveryId } from '../ids';
import { DEFAULT_GENERIC_POINTERS, recognise, type GenericPointers } from '../senders/recognise';
import type { DeliveryStore } from '../store/deliveryStore';
import { StoreWriteError } from '../store/errors';
import { createVerifier, type Verifier } from '../verify/jwtVerifier';
import { parseJsonBody } from './bodyText';
import {
  authorizationOf,
  dedupeKeyOf,
  elapsedMs,
  headerValues,
  jsonAnswer,
  type CapturedRequest,
  type ReceiverAnswer,
} from './captured';
import { SECRET_REDACTION } from '../secrets/secretPolicy';

/** `reject`: a delivery that fails verification is answered 401, kept and flagged. `accept`: 2xx. */
export type VerificationPolicy = 'reject' | 'accept';

export interface IngestOptions {
  readonly policy: VerificationPolicy;
  /** The current verifier, or undefined when no secret is configured. Read per delivery. */
  readonly verifier: () => Verifier | undefined;
  readonly genericPointers?: GenericPointers;
  /** The live forwarder, or undefined when forwarding is off. Read per delivery. */
  readonly forwarder?: () => Forwarder | undefined;
  readonly now?: () => number;
}

export interface IngestResult {
  readonly answer: ReceiverAnswer;
  /** The stored delivery, or undefined when it could not be persisted (the answer is then 503). */
  readonly record: DeliveryRecord | undefined;
}

const WITHOUT_SECRET = createVerifier([]);

export class Ingestor {
  /** dedupe key → the id of the first delivery with it; rebuilt from the store at start. */
  private readonly firstByKey = new Map<string, string>();
  private readonly listeners = new Set<(record: DeliveryRecord) => void>();
  private readonly storeSubscription: { dispose(): void };

  constructor(
    private readonly store: DeliveryStore,
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
    const contentType = headerValues(captured.headers, 'content-type')[0];
    const parsed = parseJsonBody(captured.body, contentType);
    const header = (name: string): string | undefined => headerValues(captured.headers, name)[0];
    const recognition = recognise(
      parsed.ok ? parsed.json : undefined,
      header,
      this.options.genericPointers ?? DEFAULT_GENERIC_POINTERS,
    );
    const authorizationInput = authorizationOf(captured.headers);
    const verification = this.verify(authorizationInput, now());
    const bodySha256 = createHash('sha256').update(captured.body).digest('hex');
    const dedupeKey = dedupeKeyOf(recognition, bodySha256, authorizationInput);
    const id = newDeliveryId(captured.receivedAtMs);
    const duplicateOf = this.firstByKey.get(dedupeKey) ?? null;
    if (duplicateOf === null) this.firstByKey.set(dedupeKey, id);

    const accepted = !isFailedVerdict(verification.verdict) || this.options.policy === 'accept';
    const answer = accepted
      ? jsonAnswer(200, acceptedBody(recognition.event, parsed.ok ? parsed.json : undefined, id))
      : jsonAnswer(401, { error: 'unauthorized' });

    const record: Omit<DeliveryRecord, 'seq'> = {
      v: DELIVERY_RECORD_VERSION,
      id,
      receivedAt: new Date(captured.receivedAtMs).toISOString(),
      method: captured.method,
      url: captured.url,
      headers: this.redactSecret(captured.headers, verification.verdict),
      remoteAddress: captured.remoteAddress,
      bodyBase64: captured.body.toString('base64'),
      bodySha256,
      bodySize: captured.body.length,
      parseError: parsed.ok ? null : parsed.error,
      sender: recognition.sender,
      event: recognition.event,
      sessionId: recognition.sessionId,
      senderEventId: recognition.senderEventId,
      verification,
      response: {
        status: answer.status,
        headers: answer.headers,
        body: typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8'),
        timeMs: elapsedMs(captured.startedAt),
      },
      attempts: [],
      duplicateOf,
      dedupeKey,
    };
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
    const forwarder = accepted ? this.options.forwarder?.() : undefined;
    const final = forwarder ? await this.forward(forwarder, stored, captured) : { answer, stored };
    for (const listener of this.listeners) listener(final.stored);
    return { answer: final.answer, record: final.stored };
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

  /**
   * Never store the secret (J-22): an Authorization value that is the secret itself, bare, after
   * a scheme word, or among several Authorization headers, is redacted. A direct comparison, so
   * the ingest path does not verify twice.
   */
  private redactSecret(
    headers: CapturedRequest['headers'],
    verdict: Verification['verdict'],
  ): CapturedRequest['headers'] {
    const verifier = this.options.verifier();
    const isSecret = (value: string): boolean =>
      verdict === 'secret_match' || (verifier?.containsSecret(value) ?? false);
    return headers.map(([name, value]) => [
      name,
      name.toLowerCase() === 'authorization' && isSecret(value) ? SECRET_REDACTION : value,
    ]);
  }

  private verify(authorization: string | string[] | undefined, nowMs: number): Verification {
    // With no secret the verdict is no_secret, but the token is still decoded for display.
    return (this.options.verifier() ?? WITHOUT_SECRET).verify(authorization, nowMs);
  }
}

/**
 * Watson's pre- and post-message webhooks expect the message back as `{ "payload": ... }` or the
 * assistant reports an error; everything else gets a small receipt (log webhooks ignore it).
 */
function acceptedBody(event: string | null, json: unknown, id: string): unknown {
  if (
    (event === 'message_received' || event === 'message_processed') &&
    typeof json === 'object' &&
    json !== null &&
    'payload' in json
  ) {
    return { payload: json.payload };
  }
  return { received: true, id };
}
