// The Health view's page: the deliveries per minute as stacked bars by outcome, and p50/p95/p99
// per event, endpoint and route as bars. Everything clickable is a native button (Tab reaches it,
// Enter and Space press it); the bars are drawn in SVG with theme colours from the stylesheet and
// each chart has a text alternative (an aria-label sentence, and a table for the minutes).
import * as l10n from '@vscode/l10n';
import {
  HEALTH_OUTCOMES,
  presentOutcome,
  type HealthChartData,
  type HealthToHost,
  type LatencyChart,
  type LatencyRow,
} from '../../src/shared/health';
import {
  formatMs,
  latencyBars,
  latencyRowSummary,
  latencyScale,
  minuteBars,
  minuteChartSummary,
  minuteEnd,
  minuteTableRows,
  PERCENTILES,
  LATENCY_HEIGHT,
  LATENCY_WIDTH,
} from '../../src/shared/healthChart';
import { makeVisible } from '../../src/shared/visibleText';
import { deliveriesCount } from '../../src/shared/words';
import { h, icon } from './dom';
import { clock as clockOf, decimal, pageLocale } from './locale';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

/** "10:42" in the editor's language. */
function clock(iso: string): string {
  return clockOf(Date.parse(iso));
}

function rate(value: number): string {
  return decimal(value, value >= 10 ? 0 : 1, true);
}

export class HealthPage {
  /** Says what a click did, for screen readers too (a polite live region). */
  private readonly status: HTMLElement;
  private readonly content: HTMLElement;
  /**
   * The focusable elements of the last render by a stable key: a live update redraws the page,
   * and the element the user was on (by keyboard) is focused again in the new one.
   */
  private focusables = new Map<string, HTMLElement>();
  /** Whether the user opened the table: a redraw keeps it open. */
  private tableOpen = false;

  constructor(
    root: HTMLElement,
    private readonly post: (message: HealthToHost) => void,
  ) {
    this.content = h('div', { class: 'health-content' });
    this.status = h('p', { class: 'health-status', role: 'status', 'aria-live': 'polite' });
    root.replaceChildren(this.content, this.status);
  }

  showNone(message: string): void {
    this.content.replaceChildren(
      h('p', { class: 'health-empty' }, icon('pulse'), h('span', {}, message)),
    );
  }

  show(data: HealthChartData): void {
    const focused = this.focusedKey();
    this.focusables = new Map();
    this.render(data);
    if (focused !== undefined) this.focusables.get(focused)?.focus();
  }

  private focusedKey(): string | undefined {
    const active = document.activeElement;
    for (const [key, element] of this.focusables) if (element === active) return key;
    return undefined;
  }

  private render(data: HealthChartData): void {
    const header = h(
      'div',
      { class: 'health-header' },
      h(
        'p',
        { class: 'health-total' },
        h('strong', {}, deliveriesCount(data.total)),
        ` · ${rate(data.ratePerMinute)}/min · ${data.windowLabel}`,
      ),
    );
    if (data.total === 0) {
      this.content.replaceChildren(
        header,
        h('p', { class: 'health-empty' }, icon('pulse'), h('span', {}, data.emptyMessage)),
      );
      return;
    }
    this.content.replaceChildren(
      header,
      this.minuteChart(data),
      ...data.latency
        .filter((chart) => chart.rows.length > 0)
        .map((chart) => this.latencyChart(chart)),
    );
  }

  private filter(text: string, what: string): void {
    this.post({ type: 'filter', filter: text });
    this.status.textContent = makeVisible(l10n.t('Deliveries filtered to {0} ({1}).', what, text));
  }

  private minuteChart(data: HealthChartData): HTMLElement {
    const layout = minuteBars(data.minutes);
    const summary = minuteChartSummary(data, clock);
    const chart = svg('svg', {
      class: 'minute-chart',
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': summary,
    });
    // A faint baseline, so an empty minute still reads as a minute.
    chart.append(
      svg('line', {
        class: 'baseline',
        x1: 0,
        y1: layout.height,
        x2: layout.width,
        y2: layout.height,
      }),
    );
    for (const segment of layout.segments) {
      const minute = data.minutes[segment.minute];
      const filter = data.outcomeFilters[segment.outcome];
      const rect = svg('rect', {
        class: `segment outcome-${segment.outcome}${filter ? ' clickable' : ''}`,
        x: segment.x,
        y: segment.y,
        width: segment.width,
        height: segment.height,
      });
      const title = svg('title', {});
      const presentation = presentOutcome(segment.outcome);
      title.textContent = [
        minute ? clock(minuteEnd(minute)) : '',
        presentation.counted(segment.count),
        filter ? l10n.t('click: {0}', filter) : null,
      ]
        .filter((part) => part !== null)
        .join(' · ');
      rect.append(title);
      if (filter) {
        // The legend's buttons do the same from the keyboard; the bars are the mouse's shortcut.
        rect.addEventListener('click', () => this.filter(filter, presentation.words));
      }
      chart.append(rect);
    }
    const first = data.minutes[0];
    const axis = h(
      'div',
      { class: 'minute-axis', 'aria-hidden': 'true' },
      h('span', {}, first ? clock(first.from) : ''),
      h('span', {}, l10n.t('max {0}/min', layout.max)),
      h('span', {}, l10n.t('now')),
    );
    return h(
      'section',
      { class: 'health-block', 'aria-labelledby': 'minute-title' },
      h('h2', { id: 'minute-title' }, l10n.t('Deliveries per minute')),
      h('div', { class: 'minute-frame' }, chart),
      axis,
      this.legend(data),
      this.minuteTable(data),
    );
  }

  private legend(data: HealthChartData): HTMLElement {
    const items = HEALTH_OUTCOMES.map((outcome) => {
      const presentation = presentOutcome(outcome);
      const count = data.outcomeTotals[outcome];
      const filter = data.outcomeFilters[outcome];
      const content = [
        h('span', { class: `swatch outcome-${outcome}`, 'aria-hidden': 'true' }),
        h('span', { class: 'legend-label' }, presentation.label),
        h('span', { class: 'legend-count' }, String(count)),
      ];
      if (filter && count > 0) {
        const element = h(
          'button',
          {
            type: 'button',
            class: 'legend-item clickable',
            title: l10n.t('{0}. Show them in Deliveries ({1}).', presentation.description, filter),
          },
          ...content,
        );
        element.addEventListener('click', () => this.filter(filter, presentation.words));
        this.focusables.set(`outcome:${outcome}`, element);
        return h('li', {}, element);
      }
      return h(
        'li',
        {},
        h('span', { class: 'legend-item', title: `${presentation.description}.` }, ...content),
      );
    });
    return h('ul', { class: 'legend', 'aria-label': l10n.t('Outcomes') }, ...items);
  }

  private minuteTable(data: HealthChartData): HTMLElement {
    const rows = minuteTableRows(data, clock);
    const summary = h('summary', {}, l10n.t('Show as a table'));
    this.focusables.set('table', summary);
    const details = h(
      'details',
      { class: 'minute-table' },
      summary,
      h(
        'table',
        {},
        h('caption', {}, l10n.t('Deliveries per minute by outcome, {0}', data.windowLabel)),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, l10n.t('Minute to')),
            ...HEALTH_OUTCOMES.map((outcome) =>
              h('th', { scope: 'col' }, presentOutcome(outcome).label),
            ),
            h('th', { scope: 'col' }, l10n.t('All')),
          ),
        ),
        h(
          'tbody',
          {},
          ...rows.map((row) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, row.time),
              ...row.counts.map((count) => h('td', {}, String(count))),
              h('td', {}, String(row.total)),
            ),
          ),
        ),
      ),
    ) as HTMLDetailsElement;
    details.open = this.tableOpen;
    details.addEventListener('toggle', () => (this.tableOpen = details.open));
    return details;
  }

  private latencyChart(chart: LatencyChart): HTMLElement {
    const scale = latencyScale(chart.rows);
    const titleId = `latency-${chart.id}`;
    return h(
      'section',
      { class: 'health-block', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, chart.title),
      h(
        'p',
        { class: 'percentile-key', 'aria-hidden': 'true' },
        ...PERCENTILES.map((percentile) =>
          h('span', {}, h('span', { class: `swatch ${percentile}` }), percentile),
        ),
        h('span', { class: 'muted' }, l10n.t('scale {0}', formatMs(scale, pageLocale()))),
      ),
      h(
        'ul',
        { class: 'latency-rows', 'aria-label': chart.title },
        ...chart.rows.map((row) => h('li', {}, this.latencyRow(row, scale, chart.id))),
      ),
    );
  }

  private latencyRow(row: LatencyRow, scale: number, chartId: string): HTMLElement {
    const bars = svg('svg', {
      class: 'latency-bars',
      viewBox: `0 0 ${LATENCY_WIDTH} ${LATENCY_HEIGHT}`,
      preserveAspectRatio: 'none',
      'aria-hidden': 'true',
    });
    for (const bar of latencyBars(row, scale)) {
      bars.append(
        svg('rect', {
          class: `bar ${bar.percentile}`,
          x: bar.x,
          y: bar.y,
          width: bar.width,
          height: bar.height,
        }),
      );
    }
    const label = makeVisible(row.label);
    const content = [
      h(
        'span',
        { class: 'latency-head' },
        h('span', { class: 'latency-label', title: label }, row.label),
        h('span', { class: 'latency-count' }, String(row.count)),
      ),
      bars,
      h(
        'span',
        { class: 'latency-values' },
        row.timed === 0
          ? l10n.t('no times')
          : PERCENTILES.map(
              (percentile) => `${percentile} ${formatMs(row[percentile], pageLocale())}`,
            ).join(' · '),
      ),
    ];
    const summary = makeVisible(latencyRowSummary(row, pageLocale()));
    const filter = row.filter;
    if (filter === null) {
      return h('div', { class: 'latency-row', role: 'group', 'aria-label': summary }, ...content);
    }
    const element = h(
      'button',
      {
        type: 'button',
        class: 'latency-row clickable',
        'aria-label': l10n.t('{0}. Show them in Deliveries.', summary),
      },
      ...content,
    );
    element.title = makeVisible(l10n.t('Show these in Deliveries ({0})', filter));
    element.addEventListener('click', () => this.filter(filter, label));
    this.focusables.set(`row:${chartId}:${filter}`, element);
    return element;
  }
}
