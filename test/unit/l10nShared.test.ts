// What src/core, src/shared and the webview pages say, in German: @vscode/l10n configured with
// l10n/bundle.l10n.de.json as the extension (sharedL10n.ts) and each page (webview-ui/src/l10n.ts)
// configure it, then a row, a group, a verdict, the Filter pick's first items, the body-search
// note, the Health charts and the detail panel are drawn. Payload text (the event name, the URL)
// stays as it is. Unconfigured, the same code says English: the other tests and the CLI rely on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { JSDOM } from 'jsdom';
import { bodySearchNote } from '../../src/core/deliveries/bodySearch';
import {
  describeSimulation,
  parseFailNext,
  parseFailRate,
} from '../../src/core/routes/chosenAnswers';
import { collectFacets, suggestFilter } from '../../src/core/deliveries/filterSuggestions';
import { parseFilter } from '../../src/core/deliveries/deliveryView';
import { sessionGroupDescription } from '../../src/core/deliveries/rowText';
import type { DeliveryRecord } from '../../src/core/delivery';
import { buildDeliveryDetail } from '../../src/core/detail/deliveryDetail';
import { headlineOfRecord } from '../../src/core/detail/headline';
import { presentGroup, presentRow } from '../../src/core/detail/rowPresentation';
import { healthChartData } from '../../src/core/health/healthChart';
import { HealthTracker } from '../../src/core/health/healthTracker';
import { summarize } from '../../src/core/store/deliveryIndex';
import { minuteChartSummary } from '../../src/shared/healthChart';
import { L10N_ELEMENT_ID } from '../../src/shared/protocol';
import { presentVerdict } from '../../src/shared/verdicts';
import { DetailView } from '../../webview-ui/src/detailView';
import { HealthPage } from '../../webview-ui/src/healthView';
import { configurePageL10n } from '../../webview-ui/src/l10n';
import { aDelivery, anAttempt } from './builders';
import { aSenderRecord } from './detailBuilders';
import { githubPush } from './providerRecords';

const GERMAN = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.de.json'), 'utf8'),
) as Record<string, string>;

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());

const NOW = Date.parse('2025-06-01T10:05:00.000Z');

/** A forwarded delivery whose handler was down: the sender got 502. */
function handlerDown(): DeliveryRecord {
  return {
    ...aDelivery('d_01', {
      response: { status: 502, headers: [], body: '', timeMs: 8 },
      attempts: [anAttempt(null, null, { kind: 'forward' })],
    }),
    seq: 1,
  };
}

describe('German through @vscode/l10n', () => {
  before(() => l10n.config({ contents: GERMAN }));
  // Module state: back to English for whatever runs after (the bundle is per process).
  after(() => l10n.config({ contents: {} }));

  it('a row, its hover and a session group say German; the event stays as sent', () => {
    const summary = summarize(handlerDown(), { segment: 1, offset: 0, length: 1 }, 0);
    const row = presentRow(summary, { groupBy: 'session', now: NOW });
    assert.equal(row.label, 'message_logged');
    assert.equal(row.description, '502 · Handler nicht erreichbar · 5 Min.');
    assert.match(row.tooltip, /^Ereignis: message_logged$/m);
    assert.match(
      row.tooltip,
      /^Zustellung: Ihr Handler war nicht erreichbar; der Absender erhielt 502\.$/m,
    );
    assert.match(row.tooltip, /^Verifizierung: Verifiziert\./m);
    const group = presentGroup({ key: 'session-1', label: 'session-1' }, [summary], 'session');
    assert.equal(group.label, 'Sitzung session-1');
    assert.match(group.description, /^1 fehlgeschlagen · 1 Zustellung · /);
    assert.match(sessionGroupDescription([summary], 1), /^1 fehlgeschlagen · 1 Gesprächsrunde · /);
    assert.equal(presentVerdict('invalid_signature').label, 'Ungültige Signatur');
    assert.equal(presentVerdict('invalid_signature').words, 'ungültige Signatur');
  });

  it('the failure simulation and its mistakes: German in the editor (the CLI prints English)', () => {
    assert.equal(
      describeSimulation({ next: { count: 3, status: 500 }, rate: { percent: 25, status: 503 } }),
      'die nächsten 3 schlagen fehl (500), danach 25 % schlagen fehl (503)',
    );
    assert.equal(
      describeSimulation({ next: { count: 3, status: 500 } }, 1),
      'die nächste Zustellung schlägt fehl (500)',
    );
    const wrong = parseFailNext('0');
    assert.ok(!wrong.ok);
    assert.match(wrong.error, /ist nicht N\[:STATUS\]/);
    const status = parseFailRate('25:200');
    assert.ok(!status.ok);
    assert.match(status.error, /der Fehlerstatus 200 liegt außerhalb des Bereichs/);
  });

  it('the Filter pick: its items, a count, a mistake and how far a body search went', () => {
    const summary = summarize(handlerDown(), { segment: 1, offset: 0, length: 1 }, 0);
    const facets = collectFacets([summary]);
    const empty = suggestFilter('', facets, { current: '' });
    assert.deepEqual(
      [empty[0]?.label, empty[0]?.description],
      [
        'Alle Zustellungen anzeigen',
        'Zum Filtern tippen; einen Vorschlag auswählen, um ihn hinzuzufügen',
      ],
    );
    const failed = suggestFilter('is:failed', facets, { current: '', summaries: [summary] });
    assert.equal(failed[0]?.description, 'Anwenden · 1 von 1 Zustellung');
    assert.deepEqual(parseFilter('status:abc').errors, [
      'status:abc ist kein Status: Verwenden Sie 401, 4xx oder none.',
    ]);
    assert.equal(
      bodySearchNote({ matches: new Set(), read: 500, unread: 3, stopped: 'limit' }),
      'Inhaltssuche nach 500 Inhalten beendet: 3 ältere Inhalte nicht durchsucht.',
    );
  });

  it('the Health charts: the host’s titles and the page’s labels', () => {
    const tracker = new HealthTracker({ now: () => NOW });
    tracker.seed([summarize(handlerDown(), { segment: 1, offset: 0, length: 1 }, 0)]);
    const data = healthChartData(tracker.snapshot(15 * 60_000));
    assert.deepEqual(
      data.latency.map((chart) => chart.title),
      ['Latenz nach Ereignis', 'Latenz nach Endpunkt'],
    );
    assert.equal(data.windowLabel, 'letzte 15 Minuten');
    assert.match(
      minuteChartSummary(data, () => '10:05'),
      /^Zustellungen pro Minute in den letzten 15 Minuten: 1 Zustellung \(1 Handler fehlgeschlagen\)\./,
    );
    const root = document.createElement('main');
    new HealthPage(root, () => {}).show(data);
    assert.equal(root.querySelector('#minute-title')?.textContent, 'Zustellungen pro Minute');
    assert.deepEqual(
      [...root.querySelectorAll('.legend-label')].map((label) => label.textContent),
      [
        'Zugestellt',
        'Nicht weitergeleitet',
        'Handler fehlgeschlagen',
        'Verifizierung fehlgeschlagen',
      ],
    );
  });

  it('the detail panel: tabs, toolbar and header in German, the event as sent', () => {
    const root = document.createElement('main');
    const view = new DetailView(root, () => {}, { now: () => NOW });
    view.show(buildDeliveryDetail(handlerDown(), { duplicateCount: 0, pinned: false }));
    assert.deepEqual(
      [...root.querySelectorAll('[role="tab"] .label')].map((label) => label.textContent),
      ['Übersicht', 'Anforderung', 'Antwort', 'Verifizierung', 'Versuche'],
    );
    assert.equal(root.querySelector('[data-action="replay"] .label')?.textContent, 'Erneut senden');
    assert.equal(root.querySelector('.outcome-words')?.textContent, 'Handler nicht erreichbar');
    assert.equal(root.querySelector('.verdict-chip')?.textContent, 'Verifiziert');
    assert.equal(
      root.querySelector('[role="toolbar"]')?.getAttribute('aria-label'),
      'Zustellungsaktionen',
    );
    assert.ok(root.querySelector('.fields')?.textContent?.includes('message_logged'));
  });

  it('the sender tab of a GitHub push: German labels, the payload and the headline as they are', () => {
    const record = aSenderRecord(githubPush(), 'github', 'push', {
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push'],
      ],
    });
    const root = document.createElement('main');
    const view = new DetailView(root, () => {}, { now: () => NOW });
    view.show(buildDeliveryDetail(record, { duplicateCount: 0, pinned: false }));
    root.querySelector<HTMLElement>('#tab-sender')?.click();
    const panel = root.querySelector('#panel-sender');
    const rows = new Map(
      [...(panel?.querySelectorAll('tr') ?? [])].map((row) => [
        row.querySelector('th')?.textContent,
        row.querySelector('td')?.textContent,
      ]),
    );
    assert.equal(rows.get('Ereignis'), 'push');
    assert.equal(rows.get('Absender'), 'octocat');
    assert.equal(rows.get('Autor des Head-Commits'), 'Mona Octocat');
    assert.equal(rows.get('Erzwungen'), 'Nein');
    // Stored with the delivery and read by agents, so English; found by the field's id.
    assert.equal(
      panel?.querySelector('.summary-headline')?.textContent,
      'octocat pushed 2 commits to main',
    );
    assert.equal(headlineOfRecord(record), 'octocat pushed 2 commits to main · octo-org/hello');
  });
});

describe('a page reads its bundle from the HTML the host wrote', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('a <script type="application/json"> with < escaped configures l10n.t', () => {
    const json = JSON.stringify({ ...GERMAN, 'x</script>': 'y' }).replace(/</g, '\\u003c');
    const page = new JSDOM(
      `<!DOCTYPE html><html lang="de"><head><script type="application/json" id="${L10N_ELEMENT_ID}">${json}</script></head><body></body></html>`,
    );
    configurePageL10n(page.window.document);
    assert.equal(l10n.t('Overview'), 'Übersicht');
    assert.equal(l10n.t('x</script>'), 'y');
    page.window.close();
  });

  it('without one (or with a broken one) the page stays English', () => {
    const page = new JSDOM(
      `<!DOCTYPE html><html><head><script type="application/json" id="${L10N_ELEMENT_ID}">{broken</script></head></html>`,
    );
    configurePageL10n(page.window.document);
    assert.equal(l10n.t('Overview'), 'Overview');
    page.window.close();
  });
});
