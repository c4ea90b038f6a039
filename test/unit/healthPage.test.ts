// The Health view's page in jsdom: the charts drawn from the data the host sends, payload text as
// text only, no inline styles (the CSP blocks them), the text alternatives in place, what a click
// posts, the empty state, and a live update that keeps the user's place (focus, open table).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { healthChartData } from '../../src/core/health/healthChart';
import { HealthTracker } from '../../src/core/health/healthTracker';
import type { DeliverySummary } from '../../src/core/store/types';
import type { HealthChartData, HealthToHost } from '../../src/shared/health';
import { HealthPage } from '../../webview-ui/src/healthView';

const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const HOSTILE_EVENT = '<img src=x onerror=alert(1)>';

let seq = 1;
function summary(
  id: string,
  agoMs: number,
  event: string,
  extra: Partial<DeliverySummary> = {},
): DeliverySummary {
  return {
    id,
    seq: seq++,
    receivedAt: new Date(NOW - agoMs).toISOString(),
    method: 'POST',
    url: '/hooks/github',
    sender: 'github',
    event,
    sessionId: null,
    verdict: 'verified',
    verdictReason: '',
    status: 200,
    timeMs: 12,
    attemptCount: 1,
    replayCount: 0,
    forward: { status: 200, timeMs: 12, ok: true },
    senderStatus: 200,
    duplicateOf: null,
    dedupeKey: null,
    duplicateCount: 0,
    bodySize: 10,
    ...extra,
  };
}

function dataOf(summaries: readonly DeliverySummary[]): HealthChartData {
  const tracker = new HealthTracker({ now: () => NOW });
  tracker.seed(summaries);
  return healthChartData(tracker.snapshot(15 * 60_000));
}

const DATA = dataOf([
  summary('a', 30_000, 'push'),
  summary('b', 90_000, HOSTILE_EVENT, {
    status: 500,
    senderStatus: 500,
    forward: { status: 500, timeMs: 40, ok: false },
    timeMs: 40,
  }),
  summary('c', 100_000, 'push', { verdict: 'invalid_signature', status: 401, senderStatus: 401 }),
]);

function page(): { root: HTMLElement; posts: HealthToHost[]; view: HealthPage } {
  const root = document.createElement('main');
  document.body.replaceChildren(root);
  const posts: HealthToHost[] = [];
  return { root, posts, view: new HealthPage(root, (message) => posts.push(message)) };
}

describe('the Health page', () => {
  it('draws the minute chart and latency rows; payload text stays text; no inline styles', () => {
    const { root, view } = page();
    view.show(DATA);
    assert.match(root.textContent ?? '', /3 deliveries/);
    const chart = root.querySelector('svg.minute-chart');
    assert.equal(chart?.getAttribute('role'), 'img');
    assert.match(
      chart?.getAttribute('aria-label') ?? '',
      /1 delivered, 1 handler failed, 1 failed verification/,
    );
    assert.equal(root.querySelectorAll('rect.segment').length, 3);
    assert.equal(root.querySelectorAll('img').length, 0, 'an event name never becomes markup');
    assert.ok(root.textContent?.includes(HOSTILE_EVENT));
    for (const element of root.querySelectorAll('*')) {
      assert.equal(
        element.getAttribute('style'),
        null,
        `no style attribute on <${element.tagName}>`,
      );
      for (const attribute of element.attributes) assert.ok(!/^on/i.test(attribute.name));
    }
    // The table behind the chart lists the minutes that had deliveries.
    assert.equal(root.querySelectorAll('.minute-table tbody tr').length, 2);
  });

  it('rows, legend entries and failure bars post their filter; the others post nothing', () => {
    const { root, posts, view } = page();
    view.show(DATA);
    const push = [...root.querySelectorAll<HTMLButtonElement>('button.latency-row')].find(
      (button) => button.querySelector('.latency-label')?.textContent === 'push',
    );
    assert.ok(push, 'the push row is a button');
    assert.match(push.getAttribute('aria-label') ?? '', /^push: 2 deliveries, p50 12 ms/);
    push.click();
    const failed = root.querySelector<HTMLButtonElement>('button.legend-item');
    assert.ok(failed);
    failed.click();
    root
      .querySelector('rect.segment.outcome-failedVerification')
      ?.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    root
      .querySelector('rect.segment.outcome-delivered')
      ?.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    assert.deepEqual(posts, [
      { type: 'filter', filter: 'event:push' },
      { type: 'filter', filter: 'is:failed' },
      { type: 'filter', filter: 'verdict:failed' },
    ]);
    // Delivered has no filter: its legend entry is not a button.
    assert.deepEqual(
      [...root.querySelectorAll('button.legend-item .legend-label')].map(
        (label) => label.textContent,
      ),
      ['Handler failed', 'Failed verification'],
    );
    assert.match(
      root.querySelector('[role="status"]')?.textContent ?? '',
      /Deliveries filtered to/,
    );
  });

  it('a live update keeps focus on the same row and the table open', () => {
    const { root, view } = page();
    view.show(DATA);
    const row = (): HTMLElement | undefined =>
      [...root.querySelectorAll<HTMLElement>('button.latency-row')].find(
        (button) => button.querySelector('.latency-label')?.textContent === 'push',
      );
    row()?.focus();
    const details = root.querySelector<HTMLDetailsElement>('details.minute-table');
    assert.ok(details);
    details.open = true;
    details.dispatchEvent(new dom.window.Event('toggle'));
    const before = row();
    view.show(DATA);
    assert.notEqual(row(), before, 'redrawn');
    assert.equal(document.activeElement, row(), 'the same row has focus again');
    assert.equal(root.querySelector<HTMLDetailsElement>('details.minute-table')?.open, true);
  });

  it('the empty state and the state before a store is open', () => {
    const { root, view } = page();
    view.show(dataOf([]));
    assert.match(root.textContent ?? '', /No deliveries in the last 15 minutes/);
    assert.equal(root.querySelector('svg'), null);
    view.showNone('Opening the delivery store…');
    assert.match(root.textContent ?? '', /Opening the delivery store…/);
  });
});
