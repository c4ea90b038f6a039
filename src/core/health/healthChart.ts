// What the Health view draws, from a HealthTracker snapshot: the per-minute outcome buckets, the
// latency rows per event, endpoint and route, and the Deliveries filter behind each thing the
// user can click. Pure, so the figures and filters are unit-tested without a webview. Its words
// are in the editor's language through @vscode/l10n (English in the CLI and the unit tests).
import * as l10n from '@vscode/l10n';
import {
  type HealthChartData,
  type HealthOutcome,
  type LatencyChart,
  type LatencyRow,
  type MinuteBucket,
} from '../../shared/health';
import { toSingleLine } from '../../shared/visibleText';
import { parseFilter } from '../deliveries/deliveryView';
import { quoteValue } from '../deliveries/filterSuggestions';
import type { HealthRow, HealthSnapshot, HealthWindow } from './healthTracker';

const MINUTE_MS = 60_000;
/** Longest row label sent to the page; the page cuts it further to its width (with a tooltip). */
const MAX_LABEL_CHARS = 120;

/**
 * The filter for each outcome. The filter grammar has no outcome key: a failed verification is
 * exactly `verdict:failed`; a handler failure is among `is:failed` (which also lists failed
 * verifications); delivered and not forwarded have no filter that says only them.
 */
export const OUTCOME_FILTERS: Readonly<Record<HealthOutcome, string | null>> = {
  delivered: null,
  notForwarded: null,
  handlerFailed: 'is:failed',
  failedVerification: 'verdict:failed',
};

export function healthChartData(snapshot: HealthSnapshot): HealthChartData {
  const seriesFrom = Date.parse(snapshot.perMinute.seriesFrom);
  const minutes: MinuteBucket[] = snapshot.perMinute.outcomes.map((counts, index) => ({
    from: new Date(seriesFrom + index * MINUTE_MS).toISOString(),
    counts,
  }));
  const latency: LatencyChart[] = [
    {
      id: 'event',
      title: l10n.t('Latency by event'),
      rows: snapshot.byEvent.map((row) => eventRow(row)),
    },
    {
      id: 'endpoint',
      title: l10n.t('Latency by endpoint'),
      rows: snapshot.byEndpoint.map((row) => endpointRow(row)),
    },
  ];
  if (snapshot.byRoute.length > 0) {
    latency.push({
      id: 'route',
      title: l10n.t('Latency by route'),
      rows: snapshot.byRoute.map((row) => latencyRow(row, routeLabel(row), null)),
    });
  }
  return {
    windowLabel: windowLabel(snapshot.window),
    total: snapshot.total,
    ratePerMinute: snapshot.perMinute.rate,
    minutes,
    // Over the whole window, which can be longer than the 60 minutes drawn.
    outcomeTotals: snapshot.byOutcome,
    outcomeFilters: OUTCOME_FILTERS,
    latency,
    emptyMessage:
      snapshot.window === 'all'
        ? l10n.t(
            'No deliveries are stored yet. Send one to the receiver’s URL (or HookLens: Send Test Event) and it shows here.',
          )
        : l10n.t(
            'No deliveries in the {0}. Choose a longer window, or send one.',
            windowLabel(snapshot.window),
          ),
  };
}

/** "last 15 minutes", "last hour", "last 24 hours", "all stored deliveries". */
export function windowLabel(window: HealthWindow): string {
  if (window === 'all') return l10n.t('all stored deliveries');
  const seconds = window / 1000;
  if (seconds < 60) return l10n.t('last {0} seconds', seconds);
  const minutes = seconds / 60;
  if (minutes < 60)
    return minutes === 1 ? l10n.t('last minute') : l10n.t('last {0} minutes', minutes);
  const hours = minutes / 60;
  if (hours < 24 || hours % 24 !== 0)
    return hours === 1 ? l10n.t('last hour') : l10n.t('last {0} hours', hours);
  const days = hours / 24;
  return days === 1 ? l10n.t('last 24 hours') : l10n.t('last {0} days', days);
}

function eventRow(row: HealthRow): LatencyRow {
  if (row.kind === 'none') return latencyRow(row, l10n.t('(no event)'), null);
  if (row.kind === 'others') {
    return latencyRow(row, l10n.t('{0} other events', row.keyCount), null);
  }
  const event = row.key ?? '';
  return latencyRow(row, event, checkedFilter(`event:${quoteValue(event)}`, event));
}

function endpointRow(row: HealthRow): LatencyRow {
  if (row.kind !== 'key' || row.key === null) {
    return latencyRow(row, l10n.t('{0} other endpoints', row.keyCount), null);
  }
  // `METHOD /path`: free words match the method and the URL (the filter has no endpoint key).
  const space = row.key.indexOf(' ');
  const method = space === -1 ? '' : row.key.slice(0, space);
  const path = space === -1 ? row.key : row.key.slice(space + 1);
  return latencyRow(row, row.key, checkedFilter(`${method} ${quoteValue(path)}`.trim(), path));
}

function routeLabel(row: HealthRow): string {
  if (row.kind === 'none') return l10n.t('(no route)');
  if (row.kind === 'others') return l10n.t('{0} other routes', row.keyCount);
  return row.key ?? '';
}

function latencyRow(row: HealthRow, label: string, filter: string | null): LatencyRow {
  return {
    label: toSingleLine(label, MAX_LABEL_CHARS),
    count: row.count,
    timed: row.timed,
    p50: row.p50,
    p95: row.p95,
    p99: row.p99,
    errorRate: row.errorRate,
    filter,
  };
}

/**
 * The filter text when it reads back as exactly `value` (a value with a double quote cannot be
 * written in the filter, and one that does not parse is never offered), else null.
 */
function checkedFilter(text: string, value: string): string | null {
  if (value === '' || value.includes('"')) return null;
  return parseFilter(text).errors.length === 0 ? text : null;
}
