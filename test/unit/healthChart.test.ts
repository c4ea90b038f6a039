// The Health view's chart model: what each delivery counts as, the minute buckets and latency
// rows the page gets (with the filter behind each click, which must select those deliveries in
// the tree), the SVG geometry of both charts, the text alternatives, and the page's messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter, parseFilter } from '../../src/core/deliveries/deliveryView';
import { healthChartData, windowLabel } from '../../src/core/health/healthChart';
import { HealthTracker, healthOutcomeOf } from '../../src/core/health/healthTracker';
import type { RouteChoice } from '../../src/core/delivery';
import type { DeliverySummary, ForwardSummary } from '../../src/core/store/types';
import {
  HEALTH_OUTCOMES,
  parseHealthMessage,
  zeroCounts,
  type HealthChartData,
  type LatencyRow,
  type MinuteBucket,
} from '../../src/shared/health';
import {
  LATENCY_BAR,
  LATENCY_GAP,
  LATENCY_WIDTH,
  latencyBars,
  formatMs,
  formatPercent,
  latencyRowSummary,
  latencyScale,
  MINUTE_BAR,
  MINUTE_HEIGHT,
  MINUTE_SLOT,
  minuteBars,
  minuteChartSummary,
  minuteTableRows,
  outcomeWords,
} from '../../src/shared/healthChart';

const MINUTE = 60_000;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

interface Spec {
  readonly ago: number;
  readonly event?: string | null;
  readonly url?: string;
  readonly verdict?: string;
  readonly status?: number | null;
  readonly timeMs?: number | null;
  readonly forward?: ForwardSummary | null;
  readonly replay?: ForwardSummary | null;
  readonly route?: RouteChoice;
}

let seq = 1;
function summary(id: string, spec: Spec): DeliverySummary {
  return {
    id,
    seq: seq++,
    receivedAt: new Date(NOW - spec.ago).toISOString(),
    method: 'POST',
    url: spec.url ?? '/hooks/github',
    sender: 'github',
    event: spec.event === undefined ? 'push' : spec.event,
    sessionId: null,
    verdict: spec.verdict ?? 'verified',
    verdictReason: '',
    status: spec.status === undefined ? 200 : spec.status,
    timeMs: spec.timeMs === undefined ? 5 : spec.timeMs,
    attemptCount: (spec.forward ? 1 : 0) + (spec.replay ? 1 : 0),
    replayCount: spec.replay ? 1 : 0,
    forward: spec.forward ?? null,
    replay: spec.replay ?? null,
    senderStatus: spec.status === undefined ? 200 : spec.status,
    ...(spec.route ? { route: spec.route } : {}),
    duplicateOf: null,
    dedupeKey: null,
    duplicateCount: 0,
    bodySize: 10,
  };
}

const ok = (status = 200, timeMs = 10): ForwardSummary => ({ status, timeMs, ok: true });
const failed = (status: number | null): ForwardSummary => ({ status, timeMs: 3, ok: false });

describe('what each delivery counts as', () => {
  it('failed verification first, then a handler failure, then forwarded or not', () => {
    assert.equal(
      healthOutcomeOf(summary('a', { ago: 0, verdict: 'invalid_signature', forward: failed(500) })),
      'failedVerification',
      'a forged delivery the handler also failed is a failed verification',
    );
    assert.equal(
      healthOutcomeOf(summary('b', { ago: 0, status: 500, forward: failed(500) })),
      'handlerFailed',
    );
    assert.equal(
      healthOutcomeOf(summary('c', { ago: 0, status: 502, forward: failed(null) })),
      'handlerFailed',
      'handler down',
    );
    assert.equal(
      healthOutcomeOf(summary('d', { ago: 0, status: 404, forward: failed(404) })),
      'handlerFailed',
      'a 4xx from the handler',
    );
    assert.equal(healthOutcomeOf(summary('e', { ago: 0, forward: ok() })), 'delivered');
    assert.equal(healthOutcomeOf(summary('f', { ago: 0 })), 'notForwarded');
    assert.equal(
      healthOutcomeOf(summary('g', { ago: 0, verdict: 'no_secret', forward: ok() })),
      'delivered',
      'no secret set is not a failed verification',
    );
    assert.equal(
      healthOutcomeOf(summary('h', { ago: 0, forward: failed(500), replay: ok() })),
      'delivered',
      'a replay that reached the handler recovers it',
    );
    assert.equal(
      healthOutcomeOf(summary('i', { ago: 0, replay: failed(500), status: 200 })),
      'handlerFailed',
      'the latest replay failed',
    );
    assert.equal(
      healthOutcomeOf(
        summary('j', {
          ago: 0,
          status: 500,
          route: { name: 'fail-next', kind: 'simulated', status: 500 },
        }),
      ),
      'notForwarded',
      'a failure the user chose is not a handler failure',
    );
  });
});

/** A snapshot's chart data for these deliveries, over `window`. */
function chartOf(summaries: readonly DeliverySummary[], window: number | 'all'): HealthChartData {
  const tracker = new HealthTracker({ now: () => NOW });
  tracker.seed(summaries);
  return healthChartData(tracker.snapshot(window));
}

const MIXED = [
  summary('v1', { ago: 0.5 * MINUTE, forward: ok(200, 10), timeMs: 10 }),
  summary('v2', { ago: 0.7 * MINUTE, forward: ok(200, 30), timeMs: 30 }),
  summary('x1', { ago: 1.5 * MINUTE, verdict: 'invalid_signature', status: 401, timeMs: 1 }),
  summary('h1', {
    ago: 1.2 * MINUTE,
    event: 'issues',
    url: '/hooks/orders',
    status: 500,
    timeMs: 200,
    forward: failed(500),
  }),
  summary('n1', { ago: 4.5 * MINUTE, event: 'ping', url: '/hooks/other path?x=1', timeMs: 2 }),
  summary('q1', { ago: 2.5 * MINUTE, event: 'say "hi"', timeMs: 4 }),
  summary('z1', { ago: 2.2 * MINUTE, event: null, timeMs: 3 }),
];

describe('chart data from a snapshot', () => {
  const data = chartOf(MIXED, 5 * MINUTE);

  it('buckets each minute by outcome, oldest first, and totals the window', () => {
    assert.equal(data.total, 7);
    assert.equal(data.minutes.length, 5);
    assert.equal(data.minutes[0]?.from, '2025-06-01T11:55:00.000Z');
    assert.equal(data.minutes[4]?.from, '2025-06-01T11:59:00.000Z');
    const none = zeroCounts();
    assert.deepEqual(
      data.minutes.map((minute) => minute.counts),
      [
        { ...none, notForwarded: 1 },
        none,
        { ...none, notForwarded: 2 },
        { ...none, handlerFailed: 1, failedVerification: 1 },
        { ...none, delivered: 2 },
      ],
    );
    assert.deepEqual(data.outcomeTotals, {
      delivered: 2,
      notForwarded: 3,
      handlerFailed: 1,
      failedVerification: 1,
    });
    assert.equal(data.windowLabel, 'last 5 minutes');
  });

  it('has p50/p95/p99 per event and per endpoint (nearest rank)', () => {
    const push = data.latency[0]?.rows.find((row) => row.label === 'push');
    // push: 10, 30, 1 → sorted 1, 10, 30: p50 = 2nd, p95 and p99 = 3rd.
    assert.deepEqual(push && { count: push.count, p50: push.p50, p95: push.p95, p99: push.p99 }, {
      count: 3,
      p50: 10,
      p95: 30,
      p99: 30,
    });
    assert.deepEqual(
      data.latency.map((chart) => chart.id),
      ['event', 'endpoint'],
      'no route chart when no delivery took a route',
    );
  });

  it('every filter offered selects exactly the row or outcome clicked', () => {
    const rows = data.latency.flatMap((chart) => chart.rows);
    const offered = rows.filter((row) => row.filter !== null);
    assert.ok(offered.length >= 4, 'events and endpoints are clickable');
    for (const row of offered) {
      const filter = parseFilter(row.filter ?? '');
      assert.deepEqual(filter.errors, [], row.filter ?? '');
      const shown = MIXED.filter((one) => matchesFilter(one, filter));
      assert.equal(shown.length, row.count, `${row.label}: ${row.filter}`);
    }
    const other = rows.find((row) => row.label === 'POST /hooks/other path');
    assert.equal(other?.filter, 'POST "/hooks/other path"', 'a path with a space is quoted');
    // A double quote cannot be written in the filter, and "no event" has no key: not offered.
    assert.equal(rows.find((row) => row.label === 'say "hi"')?.filter, null);
    assert.equal(rows.find((row) => row.label === '(no event)')?.filter, null);

    const forged = MIXED.filter((one) =>
      matchesFilter(one, parseFilter(data.outcomeFilters.failedVerification ?? '')),
    );
    assert.deepEqual(
      forged.map((one) => one.id),
      ['x1'],
    );
    const failing = MIXED.filter((one) =>
      matchesFilter(one, parseFilter(data.outcomeFilters.handlerFailed ?? '')),
    ).map((one) => one.id);
    assert.ok(failing.includes('h1') && !failing.includes('v1'), failing.join());
    assert.equal(data.outcomeFilters.delivered, null);
  });

  it('a route chart when deliveries took routes; an empty window says so', () => {
    const routed = chartOf(
      [
        summary('r1', {
          ago: MINUTE,
          forward: ok(),
          route: { name: 'orders', kind: 'forward', target: 'http://localhost:3000' },
        }),
        summary('r2', { ago: MINUTE }),
      ],
      'all',
    );
    assert.deepEqual(
      routed.latency.find((chart) => chart.id === 'route')?.rows.map((row) => row.label),
      ['orders', '(no route)'],
    );
    const empty = chartOf([], 15 * MINUTE);
    assert.equal(empty.total, 0);
    assert.match(empty.emptyMessage, /No deliveries in the last 15 minutes/);
    assert.match(chartOf([], 'all').emptyMessage, /No deliveries are stored yet/);
  });

  it('names windows in words', () => {
    assert.equal(windowLabel(MINUTE), 'last minute');
    assert.equal(windowLabel(60 * MINUTE), 'last hour');
    assert.equal(windowLabel(24 * 60 * MINUTE), 'last 24 hours');
    assert.equal(windowLabel(90 * 1000), 'last 1.5 minutes');
    assert.equal(windowLabel('all'), 'all stored deliveries');
  });
});

function bucket(index: number, counts: Partial<Record<string, number>>): MinuteBucket {
  return {
    from: new Date(NOW - (10 - index) * MINUTE).toISOString(),
    counts: { ...zeroCounts(), ...counts },
  };
}

describe('SVG geometry', () => {
  it('stacks each minute bottom-up in legend order, the busiest minute full height', () => {
    const layout = minuteBars([
      bucket(0, { delivered: 1, failedVerification: 1 }),
      bucket(1, {}),
      bucket(2, { delivered: 2, notForwarded: 1, handlerFailed: 1 }),
    ]);
    assert.equal(layout.max, 4);
    assert.equal(layout.width, 3 * MINUTE_SLOT);
    assert.equal(layout.height, MINUTE_HEIGHT);
    const unit = MINUTE_HEIGHT / 4;
    assert.deepEqual(
      layout.segments.map((segment) => [
        segment.minute,
        segment.outcome,
        segment.y,
        segment.height,
      ]),
      [
        [0, 'delivered', MINUTE_HEIGHT - unit, unit],
        [0, 'failedVerification', MINUTE_HEIGHT - 2 * unit, unit],
        [2, 'delivered', MINUTE_HEIGHT - 2 * unit, 2 * unit],
        [2, 'notForwarded', MINUTE_HEIGHT - 3 * unit, unit],
        [2, 'handlerFailed', 0, unit],
      ],
    );
    for (const segment of layout.segments) {
      assert.equal(segment.width, MINUTE_BAR);
      assert.equal(segment.x, segment.minute * MINUTE_SLOT + (MINUTE_SLOT - MINUTE_BAR) / 2);
    }
  });

  it('no deliveries: no segments, no division by zero', () => {
    const layout = minuteBars([bucket(0, {}), bucket(1, {})]);
    assert.equal(layout.max, 0);
    assert.deepEqual(layout.segments, []);
    assert.equal(minuteBars([]).width, MINUTE_SLOT, 'an empty chart still has a width');
  });

  it('segments never leave the chart, whatever the counts', () => {
    for (let trial = 0; trial < 200; trial++) {
      const minutes = Array.from({ length: 1 + (trial % 60) }, (_, index) =>
        bucket(
          index,
          Object.fromEntries(
            HEALTH_OUTCOMES.map((outcome, k) => [outcome, (trial * 7 + index * 13 + k * 5) % 9]),
          ),
        ),
      );
      const layout = minuteBars(minutes);
      for (const segment of layout.segments) {
        assert.ok(segment.y >= -1e-6 && segment.y + segment.height <= MINUTE_HEIGHT + 1e-6);
        assert.ok(segment.height > 0);
        assert.ok(segment.x >= 0 && segment.x + segment.width <= layout.width);
      }
    }
  });

  const row = (p50: number | null, p95: number | null, p99: number | null): LatencyRow => ({
    label: 'push',
    count: 3,
    timed: p50 === null ? 0 : 3,
    p50,
    p95,
    p99,
    errorRate: 0,
    filter: 'event:push',
  });

  it('latency bars: p50, p95, p99 one under the other, against the slowest p99', () => {
    const rows = [row(10, 40, 80), row(5, 100, 200)];
    const scale = latencyScale(rows);
    assert.equal(scale, 200);
    assert.deepEqual(
      latencyBars(rows[0] as LatencyRow, scale).map((bar) => [bar.percentile, bar.y, bar.width]),
      [
        ['p50', 0, 5],
        ['p95', LATENCY_BAR + LATENCY_GAP, 20],
        ['p99', 2 * (LATENCY_BAR + LATENCY_GAP), 40],
      ],
    );
    assert.equal(latencyBars(rows[1] as LatencyRow, scale)[2]?.width, LATENCY_WIDTH);
    // A tiny time still shows; none has no bar; a zero time is a zero-width bar.
    assert.ok((latencyBars(row(0.01, 0.01, 0.01), 1000)[0]?.width ?? 0) > 0);
    assert.deepEqual(latencyBars(row(null, null, null), 100), []);
    assert.equal(latencyBars(row(0, 0, 0), 0)[0]?.width, 0);
  });
});

describe('text alternatives', () => {
  const time = (iso: string): string => iso.slice(11, 16);

  it('the minute chart in one sentence and as a table of the minutes that had deliveries', () => {
    const data = chartOf(MIXED, 5 * MINUTE);
    assert.equal(
      minuteChartSummary(data, time),
      'Deliveries per minute over the last 5 minutes: 7 deliveries (2 delivered, 3 not forwarded, 1 handler failed, 1 failed verification). Busiest minute: 2 at 11:58.',
    );
    assert.deepEqual(minuteTableRows(data, time), [
      { time: '11:56', counts: [0, 1, 0, 0], total: 1 },
      { time: '11:58', counts: [0, 2, 0, 0], total: 2 },
      { time: '11:59', counts: [0, 0, 1, 1], total: 2 },
      { time: '12:00', counts: [2, 0, 0, 0], total: 2 },
    ]);
    assert.equal(
      minuteChartSummary(chartOf([], 15 * MINUTE), time),
      'Deliveries per minute over the last 15 minutes: 0 deliveries.',
    );
    assert.equal(outcomeWords(zeroCounts()), 'none');
  });

  it('a latency row in words', () => {
    const data = chartOf(MIXED, 5 * MINUTE);
    const issues = data.latency[0]?.rows.find((row) => row.label === 'issues');
    assert.equal(
      issues && latencyRowSummary(issues, 'en'),
      'issues: 1 delivery, p50 200 ms, p95 200 ms, p99 200 ms, 100% not 2xx',
    );
    assert.equal(
      latencyRowSummary({ ...(issues as LatencyRow), timed: 0, p50: null }, 'en'),
      'issues: 1 delivery, no times, 100% not 2xx',
    );
  });

  it('writes times and rates in the page’s language', () => {
    assert.deepEqual(
      [formatMs(12.34, 'en'), formatMs(1234, 'en'), formatPercent(0.125, 'en')],
      ['12.3 ms', '1.2 s', '12.5%'],
    );
    assert.deepEqual(
      [
        formatMs(12.34, 'de'),
        formatMs(1234, 'de'),
        formatMs(2000, 'de'),
        formatPercent(0.125, 'de'),
      ],
      ['12,3 ms', '1,2 s', '2,0 s', '12,5\u00a0%'],
    );
    assert.equal(formatMs(null, 'de'), '—');
  });
});

describe('the page’s messages', () => {
  it('accepts ready and a filter; nothing else', () => {
    assert.deepEqual(parseHealthMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseHealthMessage({ type: 'filter', filter: 'event:push' }), {
      type: 'filter',
      filter: 'event:push',
    });
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'ready', extra: 1 },
      { type: 'filter' },
      { type: 'filter', filter: '' },
      { type: 'filter', filter: 7 },
      { type: 'filter', filter: 'x'.repeat(1001) },
      { type: 'openDelivery', deliveryId: 'd1' },
      { type: 'pickWindow' },
      Object.create({ type: 'ready' }),
    ]) {
      assert.equal(parseHealthMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
