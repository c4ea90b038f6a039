// The typed contract between the extension host and the Health webview view, and the figures it
// draws. Both sides import this file (the host builds `HealthChartData` from a HealthTracker
// snapshot in core/health/healthChart.ts). Messages from the page are untrusted: the host accepts
// only what `parseHealthMessage` returns.
import * as l10n from '@vscode/l10n';

/**
 * What became of a delivery, one per delivery (the stacked bars' segments), in drawing order from
 * the bottom. A failed verification counts as that even when the handler failed too: who sent it
 * is the first question.
 */
export const HEALTH_OUTCOMES = [
  /** Verification passed (or no secret is set) and the handler took it (2xx). */
  'delivered',
  /** Verification passed; nothing was forwarded (HookLens or a route answered). */
  'notForwarded',
  /** Did not reach the handler: it answered 4xx/5xx, was down or timed out, or a replay failed. */
  'handlerFailed',
  /** The signature or token did not check out. */
  'failedVerification',
] as const;
export type HealthOutcome = (typeof HEALTH_OUTCOMES)[number];

export type OutcomeCounts = Readonly<Record<HealthOutcome, number>>;

/** An outcome in words: its legend label, what it means, and a count of it in a list. */
export interface OutcomePresentation {
  readonly label: string;
  readonly description: string;
  /** The label inside a sentence ("handler failed"). */
  readonly words: string;
  /** "3 delivered", "1 handler failed". */
  readonly counted: (count: number) => string;
}

/**
 * Legend words (the theme's chart colour each outcome is drawn in is in health.css), said in the
 * editor's language when asked for (see verdicts.ts).
 */
export function presentOutcome(outcome: HealthOutcome): OutcomePresentation {
  switch (outcome) {
    case 'delivered':
      return {
        label: l10n.t('Delivered'),
        words: l10n.t('delivered'),
        description: l10n.t(
          'verification passed (or no secret is set) and your handler answered 2xx',
        ),
        counted: (count) => l10n.t('{0} delivered', count),
      };
    case 'notForwarded':
      return {
        label: l10n.t('Not forwarded'),
        words: l10n.t('not forwarded'),
        description: l10n.t(
          'verification passed; HookLens or a route answered, nothing was forwarded',
        ),
        counted: (count) => l10n.t('{0} not forwarded', count),
      };
    case 'handlerFailed':
      return {
        label: l10n.t('Handler failed'),
        words: l10n.t('handler failed'),
        description: l10n.t(
          'your handler answered 4xx or 5xx, was down or timed out, or a replay failed',
        ),
        counted: (count) => l10n.t('{0} handler failed', count),
      };
    case 'failedVerification':
      return {
        label: l10n.t('Failed verification'),
        words: l10n.t('failed verification'),
        description: l10n.t('the signature or token did not check out'),
        counted: (count) => l10n.t('{0} failed verification', count),
      };
  }
}

export function zeroCounts(): Record<HealthOutcome, number> {
  return { delivered: 0, notForwarded: 0, handlerFailed: 0, failedVerification: 0 };
}

export function totalOf(counts: OutcomeCounts): number {
  return HEALTH_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
}

/** One minute of the stacked bar chart: (from, from + 1 min]. */
export interface MinuteBucket {
  /** ISO time the minute starts (exclusive). */
  readonly from: string;
  readonly counts: OutcomeCounts;
}

/** One bar group of a latency chart: an event, an endpoint or a route. */
export interface LatencyRow {
  /** What the row is, as text (payload text: rendered as text only). */
  readonly label: string;
  readonly count: number;
  /** How many of them have a time taken (the percentiles are over these). */
  readonly timed: number;
  /** Nearest-rank percentiles of the time taken in ms; null when none is timed. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Share not answered 2xx, 0..1. */
  readonly errorRate: number | null;
  /** The Deliveries filter that shows these deliveries; null when the filter cannot say it. */
  readonly filter: string | null;
}

export interface LatencyChart {
  readonly id: 'event' | 'endpoint' | 'route';
  readonly title: string;
  readonly rows: readonly LatencyRow[];
}

export interface HealthChartData {
  /** "last 15 minutes", "all stored deliveries". */
  readonly windowLabel: string;
  readonly total: number;
  /** Deliveries per minute over the window. */
  readonly ratePerMinute: number;
  /** Oldest first; at most 60. */
  readonly minutes: readonly MinuteBucket[];
  readonly outcomeTotals: OutcomeCounts;
  /** The filter behind each outcome's legend entry and bar segments; null: none can say it. */
  readonly outcomeFilters: Readonly<Record<HealthOutcome, string | null>>;
  readonly latency: readonly LatencyChart[];
  /** What to say when `total` is 0. */
  readonly emptyMessage: string;
}

export type HostToHealth =
  | { readonly type: 'health/show'; readonly data: HealthChartData }
  /** No store is open yet. */
  | { readonly type: 'health/none'; readonly message: string };

export type HealthToHost =
  | { readonly type: 'ready' }
  /** Show only these deliveries in the tree: filter text the host checks before applying. */
  | { readonly type: 'filter'; readonly filter: string };

/** Nothing the page legitimately sends as a filter comes near this. */
export const MAX_HEALTH_FILTER_CHARS = 1000;

/** A fresh, well-formed message, or undefined for anything else (extra keys, wrong types). */
export function parseHealthMessage(raw: unknown): HealthToHost | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  if (Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const record = raw as Record<string, unknown>;
  const keys = Object.keys(record);
  switch (record.type) {
    case 'ready':
      return keys.length === 1 ? { type: 'ready' } : undefined;
    case 'filter':
      return keys.length === 2 &&
        typeof record.filter === 'string' &&
        record.filter.trim() !== '' &&
        record.filter.length <= MAX_HEALTH_FILTER_CHARS
        ? { type: 'filter', filter: record.filter }
        : undefined;
    default:
      return undefined;
  }
}
