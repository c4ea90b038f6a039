// Issue 16 item 4, rows that tell deliveries apart: a Watson session group counts turns and says
// when it started, a Stripe row's amount leads its description (the label is cut before it at
// the default side-bar width), and deliveries imported from HAR or JSONL files get the headline
// captured ones have.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arrangeAmount,
  sessionGroupDescription,
  sessionGroupLabel,
  sessionTurns,
  shortAmount,
} from '../../src/core/deliveries/rowText';
import { clockTime, presentRow } from '../../src/core/detail/rowPresentation';
import { toHar } from '../../src/core/export/har';
import { exportDelivery } from '../../src/core/export/exportRecord';
import { parseImport } from '../../src/core/export/importRecords';
import type { DeliverySummary } from '../../src/core/store/types';
import { aDelivery, aGenericDelivery, aSummary } from './builders';

function summary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return aSummary(id, {
    receivedAt: '2026-01-01T18:46:00.000Z',
    sessionId: 'dc8b16c2-c76c-4ab7-9e3e-4984f0a1b2c3',
    ...overrides,
  });
}

const at = (minute: number): string => `2026-01-01T18:${String(minute).padStart(2, '0')}:00.000Z`;

describe('session group rows', () => {
  it('a Watson session: its turns and the time it started', () => {
    // Newest first, as the tree groups them; one is a sender retry.
    const deliveries = [
      summary('d5', { receivedAt: at(50), duplicateOf: 'd4' }),
      summary('d4', { receivedAt: at(49) }),
      summary('d3', { receivedAt: at(48) }),
      summary('d2', { receivedAt: at(47) }),
      summary('d1', { receivedAt: at(46) }),
    ];
    assert.deepEqual(sessionTurns(deliveries), { turns: 4, calls: 0 });
    const started = clockTime(Date.parse(at(46)), false);
    assert.equal(sessionGroupDescription(deliveries, 0), `4 turns · ${started}`);
    assert.equal(sessionGroupDescription(deliveries, 1), `1 failed · 4 turns · ${started}`);
  });

  it('pre- and post-message webhooks of one turn count once; calls count apart', () => {
    const deliveries = [
      summary('p2', { event: 'message_processed' }),
      summary('r2', { event: 'message_received' }),
      summary('p1', { event: 'message_processed' }),
      summary('r1', { event: 'message_received' }),
      summary('c1', { event: 'cdr_logged' }),
    ];
    assert.deepEqual(sessionTurns(deliveries), { turns: 2, calls: 1 });
    assert.match(sessionGroupDescription(deliveries, 0), /^2 turns · 1 call · /);
    assert.match(
      sessionGroupDescription([summary('c1', { event: 'cdr_logged' })], 0),
      /^1 call · /,
    );
  });

  it('a session that is not a conversation counts deliveries', () => {
    const pushes = [
      summary('g2', { sender: 'github', event: 'push', sessionId: 'octocat/hello' }),
      summary('g1', { sender: 'github', event: 'push', sessionId: 'octocat/hello' }),
    ];
    assert.equal(sessionTurns(pushes), null);
    assert.match(sessionGroupDescription(pushes, 2), /^2 failed · 2 deliveries · /);
    // GitHub's session is the repository: the group is labelled with it alone.
    assert.equal(sessionGroupLabel('octocat/hello', pushes), 'octocat/hello');
    assert.equal(
      sessionGroupLabel('dc8b16c2-c76c-4ab7-9e3e-4984f0a1b2c3', [summary('w1')]),
      'Session dc8b16c2',
    );
  });
});

describe('Stripe rows', () => {
  const stripe = summary('s1', {
    sender: 'stripe',
    event: 'payment_intent.succeeded',
    sessionId: null,
    headline: 'payment_intent.succeeded · 1,234.50 USD · succeeded',
  });

  it('the amount leads the description; the label is the event type', () => {
    const row = presentRow(stripe, { groupBy: 'none', now: Date.parse(at(47)) });
    const arranged = arrangeAmount(stripe, row);
    assert.equal(arranged.label, 'payment_intent.succeeded');
    assert.match(arranged.description, /^\$1,234\.50 · 200 · /);
    // Within the first 28 characters the tree keeps of a label plus the description's start.
    assert.ok(arranged.label.length <= 28);
  });

  it('amounts in dollars, euros, pounds and yen take their symbol; others keep their code', () => {
    assert.equal(shortAmount('12.00 USD'), '$12.00');
    assert.equal(shortAmount('-5.00 EUR'), '-€5.00');
    assert.equal(shortAmount('1200 JPY'), '¥1200');
    assert.equal(shortAmount('9.50 CHF'), '9.50 CHF');
  });

  it('rows of other senders, or Stripe headlines without an amount, stay as they are', () => {
    const row = { label: 'x', description: '200 · now' };
    assert.equal(arrangeAmount({ sender: 'github', headline: 'a · 12.00 USD' }, row), row);
    const noAmount = { sender: 'stripe', headline: 'customer.created · cus_123' };
    const plain = { label: noAmount.headline, description: '200 · now' };
    assert.equal(arrangeAmount(noAmount, plain), plain);
    assert.equal(arrangeAmount({ sender: 'stripe', headline: undefined }, row), row);
  });
});

describe('imported deliveries get a headline', () => {
  const stripeBody = JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'payment_intent.succeeded',
    data: {
      object: { object: 'payment_intent', amount: 1200, currency: 'usd', status: 'succeeded' },
    },
  });
  const record = {
    ...aGenericDelivery('imp1', {
      url: '/webhooks/stripe',
      headers: [
        ['Content-Type', 'application/json'],
        ['Stripe-Signature', 't=1767225600,v1=0123456789abcdef'],
      ],
      bodyBase64: Buffer.from(stripeBody).toString('base64'),
      bodySize: Buffer.byteLength(stripeBody),
    }),
    seq: 1,
  };

  it('from a HAR file', () => {
    const result = parseImport(JSON.stringify(toHar([record])), { fileName: 'x.har' });
    assert.equal(result.records[0]?.headline, 'payment_intent.succeeded · 12.00 USD · succeeded');
  });

  it('from a JSONL export', () => {
    const result = parseImport(`${JSON.stringify(exportDelivery(record))}\n`, {
      fileName: 'x.jsonl',
    });
    assert.equal(result.records[0]?.headline, 'payment_intent.succeeded · 12.00 USD · succeeded');
  });

  it('none when the body says nothing to headline', () => {
    const plain = {
      ...aDelivery('imp2', { bodyBase64: Buffer.from('hello').toString('base64'), bodySize: 5 }),
      seq: 1,
    };
    const result = parseImport(JSON.stringify(toHar([plain])), { fileName: 'x.har' });
    assert.equal(result.records[0]?.headline, undefined);
  });
});
