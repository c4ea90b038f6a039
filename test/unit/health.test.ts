// Delivery health: hand-computed figures, window boundaries, updates through a real store, and
// the incremental tracker against one rebuilt from scratch after random changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatHealthWindow,
  HealthTracker,
  MAX_HEALTH_ROWS,
  MAX_SERIES_MINUTES,
  nearestRank,
  parseHealthWindow,
  type HealthRow,
  type HealthWindow,
} from '../../src/core/health/healthTracker';
import type { Attempt } from '../../src/core/delivery';
import { summarize } from '../../src/core/store/deliveryIndex';
import type { DeliverySummary, ForwardSummary, StoreChangeEvent } from '../../src/core/store/types';
import type { Verdict } from '../../src/shared/model';
import { aDelivery, anAttempt } from './builders';
import { useStoreFixtures } from './storeFixtures';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

interface Spec {
  readonly at: number;
  readonly event?: string | null;
  readonly method?: string;
  readonly url?: string;
  readonly verdict?: Verdict;
  readonly status?: number | null;
  readonly timeMs?: number | null;
  readonly forward?: ForwardSummary | null;
}

let nextSeq = 1;
function summary(id: string, spec: Spec): DeliverySummary {
  return {
    id,
    seq: nextSeq++,
    receivedAt: new Date(spec.at).toISOString(),
    method: spec.method ?? 'POST',
    url: spec.url ?? '/hooks/watson',
    sender: 'watson',
    event: spec.event === undefined ? 'message_logged' : spec.event,
    sessionId: null,
    verdict: spec.verdict ?? 'verified',
    verdictReason: '',
    status: spec.status === undefined ? 200 : spec.status,
    timeMs: spec.timeMs === undefined ? 5 : spec.timeMs,
    attemptCount: spec.forward ? 1 : 0,
    replayCount: 0,
    forward: spec.forward ?? null,
    duplicateOf: null,
    dedupeKey: null,
    duplicateCount: 0,
    bodySize: 10,
  };
}

const forwardOk = (status = 200, timeMs = 10): ForwardSummary => ({ status, timeMs, ok: true });
const forwardFailed = (status: number | null = null): ForwardSummary => ({
  status,
  timeMs: status === null ? null : 7,
  ok: false,
});

function trackerAt(now: number, summaries: readonly DeliverySummary[] = []): HealthTracker {
  const tracker = new HealthTracker({ now: () => now });
  tracker.seed(summaries);
  return tracker;
}

function added(...ids: string[]): StoreChangeEvent {
  return { added: ids, updated: [], deleted: [], cleared: false };
}

/** The rows as `key count p50 p95 max errors`, for compact comparisons. */
function brief(rows: readonly HealthRow[]): string[] {
  return rows.map(
    (row) =>
      `${row.kind === 'key' ? row.key : `(${row.kind})`} ${row.count} ${row.p50} ${row.p95} ${row.max} ${row.errors}`,
  );
}

// The known set. d8 sits exactly on the 5-minute boundary; d7 is two hours old.
const KNOWN = [
  summary('d1', {
    at: NOW - 30 * SECOND,
    url: '/hooks/watson?env=dev',
    timeMs: 10,
    forward: forwardOk(200, 10),
  }),
  summary('d2', {
    at: NOW - 2 * MINUTE,
    url: '/hooks/watson?env=prod',
    status: 201,
    timeMs: 20,
    forward: forwardOk(201, 20),
  }),
  summary('d3', { at: NOW - 3 * MINUTE, status: 502, timeMs: 30, forward: forwardFailed(502) }),
  summary('d4', { at: NOW - 4 * MINUTE, verdict: 'invalid_signature', status: 401, timeMs: 1 }),
  // A forward that got no answer: the summary's status and time are null too.
  summary('d5', {
    at: NOW - 4.5 * MINUTE,
    event: 'cdr_logged',
    url: '/hooks/cdr',
    status: null,
    timeMs: null,
    forward: forwardFailed(null),
  }),
  summary('d6', { at: NOW - 10 * MINUTE, event: null, url: '/generic', verdict: 'no_secret' }),
  summary('d7', { at: NOW - 2 * HOUR, verdict: 'expired', status: 401, timeMs: 2 }),
  summary('d8', { at: NOW - 5 * MINUTE, event: 'cdr_logged', url: '/hooks/cdr', timeMs: 50 }),
];

describe('HealthTracker figures', () => {
  const tracker = trackerAt(NOW, KNOWN);

  it('last 5 minutes: totals, rate, verdicts, forwards, per event and per endpoint', () => {
    const snapshot = tracker.snapshot(5 * MINUTE);
    assert.equal(snapshot.window, 5 * MINUTE);
    assert.equal(snapshot.from, '2025-06-01T11:55:00.000Z');
    assert.equal(snapshot.to, '2025-06-01T12:00:00.000Z');
    assert.equal(snapshot.total, 5, 'd1..d5; d8 exactly at the start is outside');
    assert.equal(snapshot.perMinute.rate, 1);
    // Buckets (to-5m, to-4m], ..., (to-1m, to]: d4 and d5 | d3 | d2 | - | d1.
    assert.deepEqual(snapshot.perMinute.series, [2, 1, 1, 0, 1]);
    assert.equal(snapshot.perMinute.seriesFrom, '2025-06-01T11:55:00.000Z');
    // The same minutes by outcome: d4 failed verification, d5 and d3 did not reach the handler.
    const none = { delivered: 0, notForwarded: 0, handlerFailed: 0, failedVerification: 0 };
    assert.deepEqual(snapshot.perMinute.outcomes, [
      { ...none, handlerFailed: 1, failedVerification: 1 },
      { ...none, handlerFailed: 1 },
      { ...none, delivered: 1 },
      none,
      { ...none, delivered: 1 },
    ]);
    assert.deepEqual(snapshot.byOutcome, {
      delivered: 2,
      notForwarded: 0,
      handlerFailed: 2,
      failedVerification: 1,
    });
    assert.equal(snapshot.verdicts.verified, 4);
    assert.equal(snapshot.verdicts.invalid_signature, 1);
    assert.equal(snapshot.verdicts.expired, 0);
    assert.equal(snapshot.failedVerifications, 1);
    assert.deepEqual(snapshot.forwards, {
      attempted: 4,
      succeeded: 2,
      failed: 2,
      successRate: 0.5,
    });
    // message_logged times 10, 20, 30, 1 → sorted 1, 10, 20, 30: p50 = 2nd, p95 = 4th.
    assert.deepEqual(snapshot.byEvent, [
      {
        kind: 'key',
        key: 'message_logged',
        keyCount: 1,
        count: 4,
        timed: 4,
        p50: 10,
        p95: 30,
        p99: 30,
        max: 30,
        errors: 2,
        errorRate: 0.5,
      },
      {
        kind: 'key',
        key: 'cdr_logged',
        keyCount: 1,
        count: 1,
        timed: 0,
        p50: null,
        p95: null,
        p99: null,
        max: null,
        errors: 1,
        errorRate: 1,
      },
    ]);
    // The query is not part of the endpoint: d1 and d2 join the other /hooks/watson deliveries.
    assert.deepEqual(brief(snapshot.byEndpoint), [
      'POST /hooks/watson 4 10 30 30 2',
      'POST /hooks/cdr 1 null null null 1',
    ]);
    assert.deepEqual(snapshot.overall, {
      count: 5,
      timed: 4,
      p50: 10,
      p95: 30,
      p99: 30,
      max: 30,
      errors: 3,
      errorRate: 0.6,
    });
  });

  it('last 15 minutes: the boundary delivery and the one without an event join', () => {
    const snapshot = tracker.snapshot(15 * MINUTE);
    assert.equal(snapshot.total, 7);
    assert.equal(snapshot.perMinute.rate, 7 / 15);
    // d6 and d8 were answered by HookLens itself (nothing forwarded).
    assert.deepEqual(snapshot.byOutcome, {
      delivered: 2,
      notForwarded: 2,
      handlerFailed: 2,
      failedVerification: 1,
    });
    assert.equal(snapshot.perMinute.series.length, 15);
    assert.equal(
      snapshot.perMinute.series.reduce((sum, count) => sum + count, 0),
      7,
    );
    assert.deepEqual(brief(snapshot.byEvent), [
      'message_logged 4 10 30 30 2',
      'cdr_logged 2 50 50 50 1',
      '(none) 1 5 5 5 0',
    ]);
    assert.deepEqual(brief(snapshot.byEndpoint), [
      'POST /hooks/watson 4 10 30 30 2',
      'POST /hooks/cdr 2 50 50 50 1',
      'POST /generic 1 5 5 5 0',
    ]);
    assert.equal(snapshot.verdicts.verified, 5);
    assert.equal(snapshot.verdicts.no_secret, 1);
    assert.equal(snapshot.failedVerifications, 1, 'no_secret is not a failed verification');
  });

  it('1 hour equals 15 minutes here; 24 hours and all add the old one', () => {
    assert.equal(tracker.snapshot(HOUR).total, 7);
    const day = tracker.snapshot(24 * HOUR);
    assert.equal(day.total, 8);
    assert.equal(day.perMinute.series.length, MAX_SERIES_MINUTES, 'the sparkline stays bounded');
    assert.equal(day.verdicts.expired, 1);
    assert.equal(day.failedVerifications, 2);
    const all = tracker.snapshot('all');
    assert.equal(all.total, 8);
    assert.equal(all.from, '2025-06-01T10:00:00.000Z', 'the oldest delivery');
    assert.equal(all.perMinute.rate, 8 / 120);
    // message_logged now has 10, 20, 30, 1, 2 → 1, 2, 10, 20, 30: p50 = 3rd, p95 = 5th.
    assert.deepEqual(brief(all.byEvent)[0], 'message_logged 5 10 30 30 3');
  });

  it('an empty tracker gives zeros and nulls, not NaN', () => {
    const empty = trackerAt(NOW).snapshot('all');
    assert.equal(empty.total, 0);
    assert.equal(empty.from, null);
    assert.equal(empty.perMinute.rate, 0);
    assert.equal(empty.perMinute.series.length, MAX_SERIES_MINUTES);
    assert.ok(empty.perMinute.series.every((count) => count === 0));
    assert.ok(Object.values(empty.verdicts).every((count) => count === 0));
    assert.deepEqual(empty.forwards, { attempted: 0, succeeded: 0, failed: 0, successRate: null });
    assert.deepEqual(empty.overall, {
      count: 0,
      timed: 0,
      p50: null,
      p95: null,
      p99: null,
      max: null,
      errors: 0,
      errorRate: null,
    });
    assert.deepEqual(empty.byEvent, []);
    assert.deepEqual(empty.byEndpoint, []);
    assert.equal(trackerAt(NOW).snapshot(5 * MINUTE).from, '2025-06-01T11:55:00.000Z');
    assert.doesNotMatch(JSON.stringify(empty), /NaN|Infinity/);
  });

  it('rejects a window that is not a positive number of ms', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => tracker.snapshot(bad), RangeError);
    }
  });
});

describe('window boundaries', () => {
  it('a window is (now - length, now]: the exact start is out, now is in, later only in all', () => {
    const tracker = trackerAt(NOW, [
      summary('start', { at: NOW - 5 * MINUTE }),
      summary('just-inside', { at: NOW - 5 * MINUTE + 1 }),
      summary('now', { at: NOW }),
      summary('future', { at: NOW + 1 }),
    ]);
    const five = tracker.snapshot(5 * MINUTE);
    assert.equal(five.total, 2, 'just-inside and now');
    assert.equal(five.perMinute.series[0], 1, 'just-inside is in the first bucket');
    assert.equal(five.perMinute.series[4], 1, 'now is in the last bucket');
    assert.equal(tracker.snapshot(5 * MINUTE + 1).total, 3, 'one ms longer takes the start in');
    const all = tracker.snapshot('all');
    assert.equal(all.total, 4);
    assert.equal(
      all.perMinute.series.reduce((sum, count) => sum + count, 0),
      3,
      'a later stamp is in no bucket',
    );
  });

  it('the window follows the clock', () => {
    let now = NOW;
    const tracker = new HealthTracker({ now: () => now });
    tracker.seed([summary('a', { at: NOW - 4 * MINUTE })]);
    assert.equal(tracker.snapshot(5 * MINUTE).total, 1);
    now += MINUTE;
    assert.equal(tracker.snapshot(5 * MINUTE).total, 0, 'exactly 5 minutes old: out');
  });
});

describe('percentiles and window names', () => {
  it('nearest rank: the smallest value with at least p% at or below it', () => {
    assert.equal(nearestRank([], 50), null);
    assert.equal(nearestRank([7], 50), 7);
    assert.equal(nearestRank([7], 95), 7);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(nearestRank(twenty, 50), 10);
    assert.equal(nearestRank(twenty, 95), 19);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(nearestRank(hundred, 95), 95);
    const sixty = Array.from({ length: 60 }, (_, i) => i + 1);
    assert.equal(nearestRank(sixty, 95), 57, '95 × 60 / 100 is exactly 57');
    assert.equal(nearestRank([1, 2, 3], 95), 3);
  });

  it('p50/p95/max of 20 deliveries, fractional and unsorted times', () => {
    const times = [12.5, 3, 7, 100, 1, 2, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19];
    const tracker = trackerAt(
      NOW,
      times.map((timeMs, i) => summary(`t${i}`, { at: NOW - i * SECOND, timeMs })),
    );
    const [row] = tracker.snapshot(HOUR).byEvent;
    // Sorted: 1..11, 12.5, 13..19, 100 → 10th is 10, 19th is 19.
    assert.equal(row?.p50, 10);
    assert.equal(row?.p95, 19);
    assert.equal(row?.max, 100);
  });

  it('parses the window names, and refuses anything else', () => {
    assert.equal(parseHealthWindow('5m'), 5 * MINUTE);
    assert.equal(parseHealthWindow('15m'), 15 * MINUTE);
    assert.equal(parseHealthWindow('1h'), HOUR);
    assert.equal(parseHealthWindow('24h'), 24 * HOUR);
    assert.equal(parseHealthWindow('all'), 'all');
    assert.equal(parseHealthWindow('90s'), 90 * SECOND);
    assert.equal(parseHealthWindow('7d'), 7 * 24 * HOUR);
    for (const bad of ['', '5', 'm', '0m', '-5m', '1.5h', '5 m x', '5w', '366d', 'al']) {
      assert.equal(parseHealthWindow(bad), undefined, bad);
    }
    const names: Array<[HealthWindow, string]> = [
      [5 * MINUTE, '5m'],
      [HOUR, '1h'],
      [24 * HOUR, '24h'],
      [90 * SECOND, '90s'],
      ['all', 'all'],
    ];
    for (const [window, name] of names) assert.equal(formatHealthWindow(window), name);
  });
});

describe('rows', () => {
  it('sorts by count, then key; folds the rows beyond the limit into one "others" row', () => {
    const summaries: DeliverySummary[] = [];
    const keys = MAX_HEALTH_ROWS + 5;
    for (let k = 0; k < keys; k++) {
      // Event e000 has the most deliveries; the last five events have one each.
      const count = k < MAX_HEALTH_ROWS ? MAX_HEALTH_ROWS + 2 - k : 1;
      for (let c = 0; c < count; c++) {
        summaries.push(
          summary(`r${k}-${c}`, {
            at: NOW - c * SECOND,
            event: `e${String(k).padStart(3, '0')}`,
            url: `/p${k}`,
            timeMs: k,
            status: k >= MAX_HEALTH_ROWS ? 500 : 200,
          }),
        );
      }
    }
    const snapshot = trackerAt(NOW, summaries).snapshot('all');
    assert.equal(snapshot.byEvent.length, MAX_HEALTH_ROWS + 1);
    assert.equal(snapshot.byEvent[0]?.key, 'e000');
    assert.equal(snapshot.byEvent[MAX_HEALTH_ROWS - 1]?.key, `e0${MAX_HEALTH_ROWS - 1}`);
    const others = snapshot.byEvent[MAX_HEALTH_ROWS];
    assert.equal(others?.kind, 'others');
    assert.equal(others?.key, null);
    assert.equal(others?.keyCount, 5);
    assert.equal(others?.count, 5);
    assert.equal(others?.errorRate, 1);
    assert.equal(others?.max, keys - 1);
    assert.equal(snapshot.byEndpoint.length, MAX_HEALTH_ROWS + 1);
    assert.equal(snapshot.byEndpoint.at(-1)?.kind, 'others');
  });

  it('equal counts sort by key, with "no event" after the named ones', () => {
    const snapshot = trackerAt(NOW, [
      summary('a', { at: NOW, event: null }),
      summary('b', { at: NOW, event: 'zeta' }),
      summary('c', { at: NOW, event: 'alpha' }),
    ]).snapshot('all');
    assert.deepEqual(
      snapshot.byEvent.map((row) => row.key),
      ['alpha', 'zeta', null],
    );
  });
});

describe('changes', () => {
  it('an update replaces, a delete removes, clear resets; unknown ids are ignored', () => {
    const tracker = trackerAt(NOW, [summary('a', { at: NOW - MINUTE })]);
    const current = new Map<string, DeliverySummary>([['a', summary('a', { at: NOW - MINUTE })]]);
    const lookup = (id: string) => current.get(id);
    let updates = 0;
    tracker.onDidUpdate(() => updates++);

    current.set('a', summary('a', { at: NOW - MINUTE, forward: forwardOk() }));
    tracker.onStoreChange({ added: [], updated: ['a'], deleted: [], cleared: false }, lookup);
    assert.deepEqual(tracker.snapshot('all').forwards, {
      attempted: 1,
      succeeded: 1,
      failed: 0,
      successRate: 1,
    });
    assert.equal(tracker.size, 1, 'replaced, not added twice');

    current.set('b', summary('b', { at: NOW - 2 * MINUTE, verdict: 'expired', status: 401 }));
    tracker.onStoreChange(added('b'), lookup);
    assert.equal(tracker.snapshot('all').failedVerifications, 1);

    current.delete('b');
    tracker.onStoreChange(
      { added: [], updated: [], deleted: ['b', 'nope'], cleared: false },
      lookup,
    );
    assert.equal(tracker.snapshot('all').total, 1);
    assert.equal(tracker.snapshot('all').failedVerifications, 0);

    // Reported as added, but gone by the time it is looked up: treated as deleted.
    tracker.onStoreChange(added('ghost'), lookup);
    assert.equal(tracker.size, 1);

    // A clear batch may re-add deliveries after the clear (the store reports those as updated).
    current.clear();
    current.set('c', summary('c', { at: NOW }));
    tracker.onStoreChange({ added: [], updated: ['c'], deleted: ['a'], cleared: true }, lookup);
    assert.equal(tracker.size, 1);
    assert.equal(tracker.snapshot('all').forwards.attempted, 0);
    assert.equal(updates, 5);
  });

  it('an update that moves the received time moves the delivery between windows', () => {
    const tracker = trackerAt(NOW, [summary('a', { at: NOW - 2 * HOUR })]);
    assert.equal(tracker.snapshot(HOUR).total, 0);
    tracker.onStoreChange({ added: [], updated: ['a'], deleted: [], cleared: false }, () =>
      summary('a', { at: NOW - MINUTE }),
    );
    assert.equal(tracker.snapshot(HOUR).total, 1);
    assert.equal(tracker.snapshot('all').total, 1);
  });

  it('a delivery received before the newest tracked one is placed in time order', () => {
    const tracker = trackerAt(NOW, [summary('new', { at: NOW - MINUTE })]);
    tracker.onStoreChange(added('old'), () => summary('old', { at: NOW - 2 * HOUR }));
    assert.equal(tracker.snapshot(HOUR).total, 1);
    assert.equal(tracker.snapshot('all').from, new Date(NOW - 2 * HOUR).toISOString());
  });
});

describe('summaries carry the latest forward', () => {
  const location = { segment: 1, offset: 0, length: 1 };
  const record = (attempts: ReadonlyArray<Partial<Attempt>>) =>
    summarize(
      {
        ...aDelivery('f1'),
        seq: 1,
        attempts: attempts.map((overrides, i) =>
          anAttempt(overrides.status ?? null, overrides.timeMs ?? null, {
            id: `a${i}`,
            ...overrides,
          }),
        ),
      },
      location,
      0,
    );

  it('null without a forward attempt; the latest forward, not a later replay', () => {
    assert.equal(record([]).forward, null);
    assert.equal(record([{ kind: 'replay', status: 200, timeMs: 4 }]).forward, null);
    const summary = record([
      { kind: 'forward', status: null, timeMs: null },
      { kind: 'forward', status: 204, timeMs: 9 },
      { kind: 'replay', status: 500, timeMs: 3 },
    ]);
    const at = '2025-06-01T10:05:00.000Z'; // anAttempt's
    const target = 'http://127.0.0.1:3000/webhook';
    assert.deepEqual(summary.forward, { status: 204, timeMs: 9, ok: true, at, target });
    // The existing fields keep their meaning: the latest attempt, whatever its kind.
    assert.equal(summary.status, 500);
    assert.equal(summary.timeMs, 3);
    assert.equal(summary.replayCount, 1);
    assert.deepEqual(record([{ kind: 'forward', status: 302, timeMs: 2 }]).forward, {
      status: 302,
      timeMs: 2,
      ok: false,
      at,
      target,
    });
    assert.deepEqual(record([{ kind: 'forward', status: null, timeMs: null }]).forward, {
      status: null,
      timeMs: null,
      ok: false,
      at,
      target,
    });
  });
});

describe('HealthTracker.fromStore follows a real DeliveryStore', () => {
  const fixtures = useStoreFixtures('hooklens-health-');
  const RECEIVED = Date.parse('2025-06-01T10:00:00.000Z');

  it('adds, forward attempts, replays, deletes, retention and clear', async () => {
    const store = await fixtures.open(await fixtures.tempDir(), { maxDeliveries: 3 });
    await store.put(aDelivery('old', { receivedAt: new Date(RECEIVED - HOUR).toISOString() }));
    const tracker = HealthTracker.fromStore(store, { now: () => RECEIVED + MINUTE });
    assert.equal(tracker.size, 1, 'seeded from what is stored');

    await store.put(aDelivery('d1'));
    await store.put(aDelivery('d2', { event: 'cdr_logged', url: '/cdr' }));
    let snapshot = tracker.snapshot(5 * MINUTE);
    assert.equal(snapshot.total, 2);
    assert.equal(snapshot.forwards.attempted, 0);
    assert.deepEqual(brief(snapshot.byEvent), ['cdr_logged 1 3 3 3 0', 'message_logged 1 3 3 3 0']);

    // The live forward gets no answer, then its retry is taken: the latest forward counts.
    await store.update('d1', (record) => ({
      ...record,
      attempts: [...record.attempts, anAttempt(null, null, { id: 'f1', kind: 'forward' })],
    }));
    snapshot = tracker.snapshot(5 * MINUTE);
    assert.deepEqual(snapshot.forwards, { attempted: 1, succeeded: 0, failed: 1, successRate: 0 });
    assert.equal(snapshot.overall.errors, 1, 'no answer is an error');
    await store.update('d1', (record) => ({
      ...record,
      attempts: [...record.attempts, anAttempt(200, 12, { id: 'f2', kind: 'forward' })],
    }));
    snapshot = tracker.snapshot(5 * MINUTE);
    assert.deepEqual(snapshot.forwards, { attempted: 1, succeeded: 1, failed: 0, successRate: 1 });
    assert.deepEqual(brief(snapshot.byEvent)[1], 'message_logged 1 12 12 12 0');

    // A replay changes status and time (the latest attempt) but not the forward figures.
    await store.update('d1', (record) => ({
      ...record,
      attempts: [...record.attempts, anAttempt(500, 40, { id: 'r1' })],
    }));
    snapshot = tracker.snapshot(5 * MINUTE);
    assert.equal(snapshot.forwards.succeeded, 1);
    assert.deepEqual(brief(snapshot.byEvent)[1], 'message_logged 1 40 40 40 1');

    await store.delete(['d2']);
    assert.equal(tracker.snapshot(5 * MINUTE).total, 1);
    assert.deepEqual(
      tracker.snapshot(5 * MINUTE).byEvent.map((row) => row.key),
      ['message_logged'],
    );

    // Retention (maxDeliveries 3) drops the oldest: the tracker hears of it as a delete.
    await store.put(aDelivery('d3'));
    await store.put(aDelivery('d4'));
    await store.whenIdle();
    assert.equal(store.size, 3);
    assert.equal(tracker.size, 3);
    assert.equal(tracker.snapshot('all').from, new Date(RECEIVED).toISOString(), 'old is gone');
    assert.deepEqual(
      tracker.snapshot('all'),
      trackerAt(RECEIVED + MINUTE, store.summaries()).snapshot('all'),
    );

    await store.clear();
    assert.equal(tracker.size, 0);
    assert.equal(tracker.snapshot('all').total, 0);

    tracker.dispose();
    await store.put(aDelivery('after-dispose'));
    assert.equal(tracker.size, 0, 'no longer following the store');
  });
});

describe('incremental equals a full recompute', () => {
  /** mulberry32: a small seeded generator, so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const WINDOWS: HealthWindow[] = [90 * SECOND, 5 * MINUTE, 15 * MINUTE, HOUR, 24 * HOUR, 'all'];
  const VERDICT_CHOICES: Verdict[] = [
    'verified',
    'verified',
    'invalid_signature',
    'no_secret',
    'expired',
  ];

  for (const seed of [1, 2, 3, 42, 20250601]) {
    it(`seed ${seed}: random adds, updates, deletes and clears`, () => {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      const randomSummary = (id: string): DeliverySummary => {
        const roll = next();
        // Mostly recent, some old, a few in the future (a clock that moved back).
        const at =
          roll < 0.7
            ? NOW - Math.floor(next() * 20 * MINUTE)
            : roll < 0.95
              ? NOW - Math.floor(next() * 48 * HOUR)
              : NOW + Math.floor(next() * MINUTE);
        const forwardRoll = next();
        return summary(id, {
          at: next() < 0.05 ? NOW - 5 * MINUTE : at, // exact boundaries now and then
          event: next() < 0.1 ? null : `event-${Math.floor(next() * 70)}`,
          url: `/hook/${Math.floor(next() * 60)}?q=${Math.floor(next() * 3)}`,
          method: pick(['POST', 'POST', 'PUT']),
          verdict: pick(VERDICT_CHOICES),
          status: next() < 0.1 ? null : pick([200, 200, 201, 401, 500, 502]),
          timeMs: next() < 0.1 ? null : Math.round(next() * 5000) / 10,
          forward:
            forwardRoll < 0.5
              ? null
              : forwardRoll < 0.8
                ? forwardOk()
                : forwardFailed(pick([null, 500, 404])),
        });
      };

      const tracker = new HealthTracker({ now: () => NOW });
      const store = new Map<string, DeliverySummary>();
      let counter = 0;
      for (let step = 0; step < 600; step++) {
        const change = { added: [] as string[], updated: [] as string[], deleted: [] as string[] };
        let cleared = false;
        const ops = 1 + Math.floor(next() * 6);
        for (let op = 0; op < ops; op++) {
          const roll = next();
          const ids = [...store.keys()];
          if (roll < 0.005) {
            store.clear();
            cleared = true;
          } else if (roll < 0.5 || ids.length === 0) {
            const id = `d${counter++}`;
            store.set(id, randomSummary(id));
            change.added.push(id);
          } else if (roll < 0.75) {
            const id = pick(ids);
            const previous = store.get(id);
            // Usually only the outcome changes; sometimes the whole summary (and its time).
            const replacement = randomSummary(id);
            store.set(
              id,
              next() < 0.8 && previous
                ? { ...replacement, receivedAt: previous.receivedAt }
                : replacement,
            );
            change.updated.push(id);
          } else {
            const id = pick(ids);
            store.delete(id);
            change.deleted.push(id);
          }
        }
        tracker.onStoreChange({ ...change, cleared }, (id) => store.get(id));
        if (step % 25 === 0 || step === 599) {
          const rebuilt = trackerAt(NOW, [...store.values()].reverse());
          assert.equal(tracker.size, store.size);
          for (const window of WINDOWS) {
            assert.deepEqual(
              tracker.snapshot(window),
              rebuilt.snapshot(window),
              `seed ${seed}, step ${step}, window ${String(window)}`,
            );
          }
        }
      }
    });
  }
});
