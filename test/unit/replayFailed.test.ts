// Issue 16 item 1: when the handler answers again, the deliveries it missed are offered for
// replay. The decision is read from summaries: which failures a replay can fix, and whether the
// handler has answered 2xx since.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayFailedMessage, replayFailedOffer } from '../../src/core/forward/replayFailed';
import { summarize } from '../../src/core/store/deliveryIndex';
import type { DeliverySummary, ForwardSummary } from '../../src/core/store/types';
import { aDelivery, anAttempt, aSummary } from './builders';

let nextSeq = 1;
function summary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return aSummary(id, {
    seq: nextSeq++,
    sender: 'stripe',
    event: 'payment_intent.succeeded',
    attemptCount: 1,
    ...overrides,
  });
}

const at = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const HANDLER = 'http://127.0.0.1:3000/webhooks';
const OTHER = 'http://127.0.0.1:3002/github';
const attempt = (minute: number, status: number | null, target = HANDLER): ForwardSummary => ({
  status,
  timeMs: status === null ? null : 3,
  ok: status !== null && status >= 200 && status < 300,
  at: at(minute),
  target,
});
const down = (minute: number, target?: string): ForwardSummary => attempt(minute, null, target);
const fine = (minute: number, target?: string): ForwardSummary => attempt(minute, 200, target);

describe('Replay failed', () => {
  it('offers the deliveries the handler missed once it answers 2xx again, oldest first', () => {
    const offer = replayFailedOffer([
      summary('missed-1', { senderStatus: 502, forward: down(1) }),
      summary('timed-out', { senderStatus: 504, forward: down(2) }),
      summary('broke', { senderStatus: 500, forward: attempt(3, 500) }),
      summary('back', { senderStatus: 200, forward: fine(4) }),
    ]);
    assert.deepEqual(offer?.ids, ['missed-1', 'timed-out', 'broke']);
    assert.deepEqual([...(offer?.byTarget.keys() ?? [])], [HANDLER]);
    assert.ok(offer);
    assert.equal(
      replayFailedMessage(offer),
      'Your handler answers again: 3 deliveries missed can be replayed (Replay Failed Deliveries).',
    );
  });

  it('leaves out what the user dismissed, until that delivery fails again', () => {
    const deliveries = [
      summary('dismissed', { senderStatus: 502, forward: down(1) }),
      summary('new-failure', { senderStatus: 502, forward: down(2) }),
      summary('back', { senderStatus: 200, forward: fine(3) }),
    ];
    const first = replayFailedOffer(deliveries);
    assert.deepEqual(first?.ids, ['dismissed', 'new-failure']);
    assert.equal(first?.failedAt.get('dismissed'), Date.parse(at(1)));
    // Dismissed when it had failed at minute 1: new-failure alone is offered.
    const dismissed = new Map([['dismissed', Date.parse(at(1))]]);
    const dismissedAt = (id: string): number | undefined => dismissed.get(id);
    assert.deepEqual(replayFailedOffer(deliveries, { dismissedAt })?.ids, ['new-failure']);
    // Everything dismissed: no offer at all.
    dismissed.set('new-failure', Date.parse(at(2)));
    assert.equal(replayFailedOffer(deliveries, { dismissedAt }), undefined);
    // The dismissed delivery is replayed, fails again (minute 4) and the handler is back (5).
    const again = [
      summary('dismissed', { senderStatus: 502, forward: down(1), replay: down(4) }),
      summary('back-again', { senderStatus: 200, forward: fine(5) }),
    ];
    assert.deepEqual(replayFailedOffer(again, { dismissedAt })?.ids, ['dismissed']);
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

  it('offers nothing while the handler is down again after it answered', () => {
    const offer = replayFailedOffer([
      summary('missed', { senderStatus: 502, forward: down(1) }),
      summary('back', { senderStatus: 200, forward: fine(2) }),
      summary('down-again', { senderStatus: 502, forward: down(3) }),
    ]);
    assert.equal(offer, undefined, `offered ${JSON.stringify(offer?.ids)}`);
  });

  it('another handler answering says nothing about this one; each is offered what it missed', () => {
    const summaries = [
      summary('stripe-missed', { senderStatus: 502, forward: down(1) }),
      summary('github-fine', { senderStatus: 200, forward: fine(2, OTHER) }),
      // A replay to a URL typed once, answered 200, does not bring the handler back either.
      summary('replayed-elsewhere', {
        forward: fine(1),
        replay: fine(3, 'https://webhook.site/x'),
      }),
    ];
    assert.equal(replayFailedOffer(summaries), undefined);
    summaries.push(summary('github-missed', { senderStatus: 502, forward: down(4, OTHER) }));
    summaries.push(summary('github-back', { senderStatus: 200, forward: fine(5, OTHER) }));
    summaries.push(summary('stripe-back', { senderStatus: 200, forward: fine(6) }));
    const offer = replayFailedOffer(summaries);
    assert.deepEqual(offer?.ids, ['stripe-missed', 'github-missed']);
    assert.deepEqual(offer?.byTarget.get(HANDLER), ['stripe-missed']);
    assert.deepEqual(offer?.byTarget.get(OTHER), ['github-missed']);
    assert.ok(offer);
    assert.match(replayFailedMessage(offer), /^Your handlers answer again: 2 deliveries/);
  });

  it('a replay that reached the handler brings it back, and recovers its delivery', () => {
    const offer = replayFailedOffer([
      summary('missed-1', { senderStatus: 502, forward: down(1) }),
      summary('missed-2', { senderStatus: 502, forward: down(2), replay: fine(5), replayCount: 1 }),
    ]);
    assert.deepEqual(offer?.ids, ['missed-1']);
  });

  it("leaves out what a replay would not fix: the handler's own 4xx, failed verification, deliveries never forwarded", () => {
    const offer = replayFailedOffer([
      summary('refused-by-handler', { senderStatus: 404, forward: attempt(1, 404) }),
      summary('forged', {
        verdict: 'bad_signature',
        senderStatus: 401,
        status: 401,
        attemptCount: 0,
      }),
      summary('not-forwarded', { senderStatus: 200, attemptCount: 0 }),
      summary('taken-then-replay-401', {
        senderStatus: 200,
        forward: fine(1),
        replay: attempt(2, 401),
        replayCount: 1,
      }),
      summary('back', { forward: fine(3) }),
    ]);
    assert.equal(offer, undefined, `offered ${JSON.stringify(offer?.ids)}`);
  });

  it('a delivery whose replay failed after the handler answered waits until it answers again', () => {
    const summaries = [
      summary('missed', { senderStatus: 502, forward: down(1) }),
      summary('back', { forward: fine(2) }),
      summary('replayed-and-failed', { forward: fine(1), replay: down(3), replayCount: 1 }),
    ];
    // The replay at 3 failed after the handler answered at 2: it is down again.
    assert.equal(replayFailedOffer(summaries), undefined);
    summaries.push(summary('back-again', { forward: fine(4) }));
    assert.deepEqual(replayFailedOffer(summaries)?.ids, ['missed', 'replayed-and-failed']);
  });

  it('a delivery the forwarder is still retrying is left to it', () => {
    const summaries = [
      summary('retrying', { senderStatus: 502, forward: down(1) }),
      summary('missed', { senderStatus: 502, forward: down(2) }),
      summary('back', { forward: fine(3) }),
    ];
    const offer = replayFailedOffer(summaries, { isRetrying: (id) => id === 'retrying' });
    assert.deepEqual(offer?.ids, ['missed']);
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
