// Dates, times and numbers on the webview pages are written in the editor's display language, read
// from <html lang> (webviewShell.ts sets it from vscode.env.language), not in the browser's locale:
// code-server's Chromium wrote "12/5/2026, 4:57:09 AM" in a German VS Code.
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { buildDeliveryDetail } from '../../src/core/detail/deliveryDetail';
import { healthChartData } from '../../src/core/health/healthChart';
import { HealthTracker } from '../../src/core/health/healthTracker';
import { summarize } from '../../src/core/store/deliveryIndex';
import { DetailView } from '../../webview-ui/src/detailView';
import { formatBytes, localTime, millis } from '../../webview-ui/src/format';
import { HealthPage } from '../../webview-ui/src/healthView';
import { pageLocale } from '../../webview-ui/src/locale';
import { aDelivery } from './builders';

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());

const NOW = Date.parse('2025-06-01T17:00:00.000Z');
const RECEIVED = '2025-06-01T16:57:09.000Z';

function setLang(lang: string): void {
  document.documentElement.lang = lang;
}

/** A delivery its handler took in 1234.5 ms. */
function slowDelivery() {
  return {
    ...aDelivery('d_01', {
      receivedAt: RECEIVED,
      response: { status: 200, headers: [], body: '', timeMs: 1234.5 },
    }),
    seq: 1,
  };
}

function rowsOf(root: Element): Map<string | null | undefined, string | null | undefined> {
  return new Map(
    [...root.querySelectorAll('tr')].map((row) => [
      row.querySelector('th')?.textContent,
      row.querySelector('td')?.textContent,
    ]),
  );
}

describe('webview pages write dates, times and numbers in the editor’s language', () => {
  afterEach(() => setLang(''));

  it('takes the language from <html lang>; none, or not a language tag, is English', () => {
    for (const [lang, locale] of [
      ['de', 'de'],
      ['zh-cn', 'zh-CN'],
      ['pt-br', 'pt-BR'],
      ['', 'en'],
      ['not a tag!', 'en'],
    ] as const) {
      setLang(lang);
      assert.equal(pageLocale(), locale, lang);
    }
  });

  it('German: the panel’s received date, time taken, body sizes and milliseconds', () => {
    setLang('de');
    const root = document.createElement('main');
    new DetailView(root, () => {}, { now: () => NOW }).show(
      buildDeliveryDetail(slowDelivery(), { duplicateCount: 0, pinned: false }),
    );
    const rows = rowsOf(root);
    const created = rows.get('Created Date');
    assert.equal(created, new Date(RECEIVED).toLocaleString('de'));
    assert.doesNotMatch(created ?? '', /AM|PM/);
    assert.equal(rows.get('Time Taken'), '1.234,5 ms');
    assert.equal(localTime(RECEIVED), new Date(RECEIVED).toLocaleString('de'));
    assert.equal(localTime('not a time'), 'not a time');
    assert.deepEqual(
      [formatBytes(512), formatBytes(1536), formatBytes(150 * 1024), millis('12345')],
      ['512 B', '1,5 KiB', '150 KiB', '12345 ms (12,3 s)'],
    );

    setLang('en');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(localTime(RECEIVED), new Date(RECEIVED).toLocaleString('en'));
  });

  it('German: the Health page’s minute axis, rate and latencies', () => {
    const tracker = new HealthTracker({ now: () => NOW });
    tracker.seed([summarize(slowDelivery(), { segment: 1, offset: 0, length: 1 }, 0)]);
    const data = healthChartData(tracker.snapshot('all'));
    const draw = (): string => {
      const root = document.createElement('main');
      new HealthPage(root, () => {}).show(data);
      return root.textContent ?? '';
    };

    setLang('de');
    const german = draw();
    assert.match(german, /1,2 s/);
    assert.doesNotMatch(german, /\b1\.2 s|AM|PM/);

    setLang('en');
    const english = draw();
    assert.match(english, /1\.2 s/);
    assert.match(english, /AM|PM/, 'a 12-hour clock in English');
  });
});
