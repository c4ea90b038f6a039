// The Health view's pictures as numbers: SVG geometry for the stacked per-minute bars and the
// latency percentile bars, and the words that say the same for a screen reader (and for anyone
// who opens the table). Pure and DOM-free: the page draws what these return, tests check them.
import * as l10n from '@vscode/l10n';
import {
  HEALTH_OUTCOMES,
  presentOutcome,
  totalOf,
  type HealthChartData,
  type HealthOutcome,
  type LatencyRow,
  type MinuteBucket,
} from './health';
import { deliveriesCount } from './words';

/** The per-minute chart's SVG user space: each minute is a slot of `SLOT` units, `HEIGHT` tall. */
export const MINUTE_SLOT = 10;
export const MINUTE_BAR = 8;
export const MINUTE_HEIGHT = 100;

export interface BarSegment {
  readonly minute: number;
  readonly outcome: HealthOutcome;
  readonly count: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface MinuteBarsLayout {
  /** The SVG viewBox: `0 0 width height`. */
  readonly width: number;
  readonly height: number;
  /** The busiest minute's count (the top of the scale); 0 when there are none. */
  readonly max: number;
  /** Bottom-up in HEALTH_OUTCOMES order within each minute; empty segments are left out. */
  readonly segments: readonly BarSegment[];
}

/**
 * One stacked bar per minute, scaled so the busiest minute fills the height. A segment's height
 * is its count's share of that, exactly: the stack of a minute is as tall as its total.
 */
export function minuteBars(minutes: readonly MinuteBucket[]): MinuteBarsLayout {
  const max = Math.max(0, ...minutes.map((minute) => totalOf(minute.counts)));
  const segments: BarSegment[] = [];
  const scale = max === 0 ? 0 : MINUTE_HEIGHT / max;
  minutes.forEach((minute, index) => {
    let bottom = MINUTE_HEIGHT;
    for (const outcome of HEALTH_OUTCOMES) {
      const count = minute.counts[outcome];
      if (count <= 0) continue;
      const height = count * scale;
      bottom -= height;
      segments.push({
        minute: index,
        outcome,
        count,
        x: index * MINUTE_SLOT + (MINUTE_SLOT - MINUTE_BAR) / 2,
        y: round(bottom),
        width: MINUTE_BAR,
        height: round(height),
      });
    }
  });
  return { width: Math.max(1, minutes.length) * MINUTE_SLOT, height: MINUTE_HEIGHT, max, segments };
}

export const PERCENTILES = ['p50', 'p95', 'p99'] as const;
export type Percentile = (typeof PERCENTILES)[number];

/** A latency row's SVG user space: three bars, one under the other. */
export const LATENCY_WIDTH = 100;
export const LATENCY_BAR = 4;
export const LATENCY_GAP = 1;
export const LATENCY_HEIGHT =
  PERCENTILES.length * LATENCY_BAR + (PERCENTILES.length - 1) * LATENCY_GAP;
/** A time above zero is never drawn thinner than this, so it does not read as "none". */
const MIN_LATENCY_WIDTH = 0.75;

export interface LatencyBar {
  readonly percentile: Percentile;
  readonly ms: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The scale of one latency chart: its slowest p99 (0 when nothing is timed). */
export function latencyScale(rows: readonly LatencyRow[]): number {
  return Math.max(0, ...rows.map((row) => row.p99 ?? row.p95 ?? row.p50 ?? 0));
}

/** p50, p95 and p99 as bars against `scaleMs`; a percentile with no time has no bar. */
export function latencyBars(row: LatencyRow, scaleMs: number): LatencyBar[] {
  const bars: LatencyBar[] = [];
  PERCENTILES.forEach((percentile, index) => {
    const ms = row[percentile];
    if (ms === null) return;
    const width =
      scaleMs <= 0 || ms <= 0
        ? 0
        : Math.max(MIN_LATENCY_WIDTH, Math.min(LATENCY_WIDTH, (ms / scaleMs) * LATENCY_WIDTH));
    bars.push({
      percentile,
      ms,
      x: 0,
      y: index * (LATENCY_BAR + LATENCY_GAP),
      width: round(width),
      height: LATENCY_BAR,
    });
  });
  return bars;
}

/** "12 ms", "0.4 ms", "1.2 s", "—", its numbers written for `locale` (the page's language). */
export function formatMs(value: number | null, locale: string): string {
  if (value === null) return '—';
  if (value >= 1000) {
    const seconds = value / 1000;
    return `${seconds.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: 1 })} ms`;
}

/** "25%" ("25 %" in German), "—". */
export function formatPercent(value: number | null, locale: string): string {
  return value === null
    ? '—'
    : value.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 });
}

/** "3 delivered, 1 handler failed": the outcomes that happened, in legend order. */
export function outcomeWords(counts: Readonly<Record<HealthOutcome, number>>): string {
  const parts = HEALTH_OUTCOMES.filter((outcome) => counts[outcome] > 0).map((outcome) =>
    presentOutcome(outcome).counted(counts[outcome]),
  );
  return parts.length === 0 ? l10n.t('none') : parts.join(', ');
}

/**
 * The per-minute chart in one sentence (its aria-label): how many, by outcome, and the busiest
 * minute. `time` formats a minute's end (the page uses the user's locale).
 */
export function minuteChartSummary(data: HealthChartData, time: (iso: string) => string): string {
  const minutes = data.minutes;
  const drawn = minutes.reduce((sum, minute) => sum + totalOf(minute.counts), 0);
  const head =
    minutes.length === 1
      ? l10n.t('Deliveries per minute over the last 1 minute: {0}', deliveriesCount(drawn))
      : l10n.t(
          'Deliveries per minute over the last {0} minutes: {1}',
          minutes.length,
          deliveriesCount(drawn),
        );
  if (drawn === 0) return `${head}.`;
  let busiest = 0;
  minutes.forEach((minute, index) => {
    if (totalOf(minute.counts) > totalOf(minutes[busiest]?.counts ?? minute.counts))
      busiest = index;
  });
  const top = minutes[busiest];
  const outcomes = HEALTH_OUTCOMES.map((outcome) => [
    outcome,
    minutes.reduce((sum, minute) => sum + minute.counts[outcome], 0),
  ]);
  const counts = Object.fromEntries(outcomes) as Record<HealthOutcome, number>;
  return top
    ? l10n.t(
        '{0} ({1}). Busiest minute: {2} at {3}.',
        head,
        outcomeWords(counts),
        totalOf(top.counts),
        time(minuteEnd(top)),
      )
    : l10n.t('{0} ({1}). Busiest minute: none.', head, outcomeWords(counts));
}

/** The table behind the chart: only the minutes that had deliveries, oldest first. */
export function minuteTableRows(
  data: HealthChartData,
  time: (iso: string) => string,
): Array<{ readonly time: string; readonly counts: readonly number[]; readonly total: number }> {
  return data.minutes
    .filter((minute) => totalOf(minute.counts) > 0)
    .map((minute) => ({
      time: time(minuteEnd(minute)),
      counts: HEALTH_OUTCOMES.map((outcome) => minute.counts[outcome]),
      total: totalOf(minute.counts),
    }));
}

/** When a minute bucket ends (what its label says: the minute up to that time). */
export function minuteEnd(minute: MinuteBucket): string {
  return new Date(Date.parse(minute.from) + 60_000).toISOString();
}

/**
 * One latency row in words: "push: 4 deliveries, p50 12 ms, p95 30 ms, p99 30 ms, 25% not 2xx",
 * numbers written for `locale` (the page's language).
 */
export function latencyRowSummary(row: LatencyRow, locale: string): string {
  const times =
    row.timed === 0
      ? l10n.t('no times')
      : PERCENTILES.map((percentile) => `${percentile} ${formatMs(row[percentile], locale)}`).join(
          ', ',
        );
  return l10n.t(
    '{0}: {1}, {2}, {3} not 2xx',
    row.label,
    deliveriesCount(row.count),
    times,
    formatPercent(row.errorRate, locale),
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
