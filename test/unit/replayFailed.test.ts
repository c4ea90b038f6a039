// Issue 16 item 1: when the handler answers again, the deliveries it missed are offered for
// replay. The decision is read from summaries: which failures a replay can fix, and whether the
// handler has answered 2xx since.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayFailedMessage, replayFailedOffer } from '../../src/core/forward/replayFailed';
import { summarize } from '../../src/core/store/deliveryIndex';
import type { DeliverySummary, ForwardSummary } from '../../src/core/store/types';
import { aDelivery, anAttempt } from './builders';

let nextSeq = 1;
function summary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return {
    id,
    seq: nextSeq++,
    receivedAt: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    url: '/hook',
    sender: 'stripe',
    event: 'payment_intent.succeeded',
    sessionId: null,
    verdict: 'verified',
    verdictReason: '',
    status: 200,
    timeMs: 2,
    attemptCount: 1,
    replayCount: 0,
    duplicateOf: null,
    dedupeKey: null,
    duplicateCount: 0,
    bodySize: 10,
    ...overrides,
  };
}

const at = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const down = (minute: number): ForwardSummary => ({
  status: null,
  timeMs: null,
  ok: false,
  at: at(minute),
});
const fine = (minute: number): ForwardSummary => ({
  status: 200,
  timeMs: 3,
  ok: true,
  at: at(minute),
});
const broke = (minute: number, status: number): ForwardSummary => ({
  status,
  timeMs: 3,
  ok: false,
  at: at(minute),
});

describe('Replay failed', () => {
  it('offers the deliveries the handler missed once it answers 2xx again, oldest first', () => {
    const offer = replayFailedOffer([
      summary('missed-1', { senderStatus: 502, forward: down(1) }),
      summary('timed-out', { senderStatus: 504, forward: down(2) }),
      summary('broke', { senderStatus: 500, forward: broke(3, 500) }),
      summary('back', { senderStatus: 200, forward: fine(4) }),
    ]);
    assert.deepEqual(offer?.ids, ['missed-1', 'timed-out', 'broke']);
    assert.equal(offer?.handlerBackAt, at(4));
    assert.ok(offer);
    assert.equal(
      replayFailedMessage(offer),
      'Your handler answers again: 3 deliveries it missed can be replayed (Replay Failed).',
    );
  });

  it('offers nothing while the handler is still down', () => {
    assert.equal(
      replayFailedOffer([
        summary('fine-before', { forward: fine(1) }),
        summary('missed', { senderStatus: 502, forward: down(2) }),
      ]),
      undefined,
    );
  });

  it('a replay that reached the handler counts as the handler being back, and recovers its delivery', () => {
    const offer = replayFailedOffer([
      summary('missed-1', { senderStatus: 502, forward: down(1) }),
      summary('missed-2', { senderStatus: 502, forward: down(2), replay: fine(5), replayCount: 1 }),
    ]);
    assert.deepEqual(offer?.ids, ['missed-1']);
    assert.equal(offer?.handlerBackAt, at(5));
  });

  it("leaves out what a replay would not fix: the handler's own 4xx, failed verification, deliveries never forwarded", () => {
    const offer = replayFailedOffer([
      summary('refused-by-handler', { senderStatus: 404, forward: broke(1, 404) }),
      summary('forged', {
        verdict: 'bad_signature',
        senderStatus: 401,
        status: 401,
        attemptCount: 0,
      }),
      summary('not-forwarded', { senderStatus: 200, attemptCount: 0 }),
      summary('back', { forward: fine(2) }),
    ]);
    assert.equal(offer, undefined);
  });

  it('a delivery whose latest replay failed after the handler answered is not offered until it answers again', () => {
    const summaries = [
      summary('missed', { senderStatus: 502, forward: down(1) }),
      summary('back', { forward: fine(2) }),
      summary('replayed-and-failed', { forward: fine(1), replay: down(3), replayCount: 1 }),
    ];
    assert.deepEqual(replayFailedOffer(summaries)?.ids, ['missed']);
    summaries.push(summary('back-again', { forward: fine(4) }));
    assert.deepEqual(replayFailedOffer(summaries)?.ids, ['missed', 'replayed-and-failed']);
  });

  it('summaries from the store carry when each attempt was made', () => {
    const record = {
      ...aDelivery('d1'),
      seq: 1,
      attempts: [
        anAttempt(null, null, { id: 'a1', kind: 'forward', at: at(1) }),
        anAttempt(200, 4, { id: 'a2', kind: 'replay', at: at(2) }),
      ],
    };
    const indexed = summarize(record, { segment: 1, offset: 0, length: 1 }, 0);
    assert.equal(indexed.forward?.at, at(1));
    assert.equal(indexed.replay?.at, at(2));
  });
});
