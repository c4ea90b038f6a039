// Delivery health (journey 10, the seed's "performance analysis"): deliveries per minute, verdict
// counts, how many forwards the handler took, and p50/p95/p99/max time taken with the error rate per
// event and per endpoint, over a time window.
//
// Fed only by store summaries and change events: it never reads a record from disk and never
// rescans the store. It tracks exactly the deliveries the store holds (retention deletes reach it
// as change events), so its memory is bounded by the store's own retention.
//
// Cost: an update is O(1) amortised (in-place replace; delete marks a tombstone, swept once
// tombstones outnumber live entries; a delivery arriving in time order is appended). A delivery
// older than the newest one tracked (an import) is inserted in place: O(log n) search plus an
// O(n) array move. `snapshot()` finds the window by binary search and then touches only the
// window's deliveries: O(log n + w log w) for w deliveries in the window (the log w is sorting
// each group's times for exact percentiles).
import { zeroCounts, type HealthOutcome, type OutcomeCounts } from '../../shared/health';
import { isFailedVerdict, VERDICTS } from '../../shared/model';
import { endpointOf } from '../deliveries/deliveryView';
import { failsToReachHandler } from '../detail/outcome';
import { Emitter, type Disposable, type Event } from '../store/emitter';
import type { DeliverySummary, ForwardSummary, StoreChangeEvent } from '../store/types';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A window length in milliseconds, or everything stored. */
export type HealthWindow = number | 'all';

/** The windows the CLI and the Health view offer by name. */
export const HEALTH_WINDOWS: ReadonlyArray<{
  readonly label: string;
  readonly window: HealthWindow;
}> = [
  { label: '5m', window: 5 * MINUTE_MS },
  { label: '15m', window: 15 * MINUTE_MS },
  { label: '1h', window: HOUR_MS },
  { label: '24h', window: DAY_MS },
  { label: 'all', window: 'all' },
];

/** Rows per table; the rest are folded into one "others" row so a snapshot stays small. */
export const MAX_HEALTH_ROWS = 50;
/** The per-minute series never has more buckets than this (a sparkline, not a history). */
export const MAX_SERIES_MINUTES = 60;
/** The longest window `parseHealthWindow` accepts. */
export const MAX_WINDOW_MS = 365 * DAY_MS;

/** Times and errors for a set of deliveries. */
export interface HealthStats {
  readonly count: number;
  /** How many of them have a time taken (the percentiles are over these). */
  readonly timed: number;
  /** Nearest-rank percentiles and maximum of the time taken in ms; null when none is timed. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** Deliveries whose status is not 2xx, or who got no answer at all (status null). */
  readonly errors: number;
  /** `errors / count`, 0..1; null when `count` is 0. */
  readonly errorRate: number | null;
}

export interface HealthRow extends HealthStats {
  /**
   * `key`: one event name or endpoint (`METHOD /path`, no query). `none`: deliveries without an
   * event. `others`: the rows beyond `MAX_HEALTH_ROWS`, folded together (always last).
   */
  readonly kind: 'key' | 'none' | 'others';
  /** The event or endpoint for `kind: 'key'`, else null. Payload text: render as text. */
  readonly key: string | null;
  /** How many distinct keys the row stands for: 1, or more for `others`. */
  readonly keyCount: number;
}

export interface HealthSnapshot {
  /** The window asked for, in ms, or 'all'. */
  readonly window: HealthWindow;
  /**
   * ISO time. A timed window covers (from, to]: a delivery exactly at `from` is outside it. For
   * 'all' it is the oldest stored delivery's time (inclusive), or null when nothing is stored.
   */
  readonly from: string | null;
  /** ISO time the snapshot was taken ("now"). Deliveries stamped later count only in 'all'. */
  readonly to: string;
  readonly total: number;
  readonly perMinute: {
    /** Deliveries per minute over the window ('all': since the oldest, at least one minute). */
    readonly rate: number;
    /**
     * Deliveries in each of the last `series.length` minutes, oldest first: bucket i covers
     * (seriesFrom + i min, seriesFrom + (i + 1) min]. The window's length in minutes, at most
     * `MAX_SERIES_MINUTES` (for 'all', that many).
     */
    readonly series: readonly number[];
    readonly seriesFrom: string;
    /** The same minutes as `series`, split by what became of each delivery (the Health chart). */
    readonly outcomes: readonly OutcomeCounts[];
  };
  /** Every verdict, zero when none had it. */
  /** Every known verdict (0 when none), plus any unknown one a newer HookLens stored. */
  readonly verdicts: Record<string, number>;
  /** What became of the window's deliveries, one outcome each (see `healthOutcomeOf`). */
  readonly byOutcome: OutcomeCounts;
  /** Deliveries whose verdict is a failed verification (what `reject` answers 401). */
  readonly failedVerifications: number;
  /** By each forwarded delivery's latest forward attempt (a retry that succeeded counts as such). */
  readonly forwards: {
    readonly attempted: number;
    /** The handler answered 2xx. */
    readonly succeeded: number;
    /** Anything else: another status, or no answer. */
    readonly failed: number;
    /** `succeeded / attempted`, 0..1; null when nothing was forwarded. */
    readonly successRate: number | null;
  };
  /** Every delivery in the window together. */
  readonly overall: HealthStats;
  /** Sorted by count (most first), then key; at most `MAX_HEALTH_ROWS` + one "others" row. */
  readonly byEvent: readonly HealthRow[];
  readonly byEndpoint: readonly HealthRow[];
  /**
   * Per route (its name; `fail-next`/`fail-rate` for failure simulation); `none` is the
   * deliveries no route took (the forward target, or HookLens's own answer). Empty when no
   * delivery in the window took a route.
   */
  readonly byRoute: readonly HealthRow[];
}

/** What the tracker needs of a store: `DeliveryStore` fits. */
export interface HealthSource {
  summaries(): readonly DeliverySummary[];
  summary(id: string): DeliverySummary | undefined;
  readonly onDidChange: Event<StoreChangeEvent>;
}

export interface HealthTrackerOptions {
  /** Wall clock for the window's end. Default `Date.now`. */
  readonly now?: () => number;
}

/** What is kept per delivery: a handful of fields of its summary. */
interface Facts {
  readonly event: string | null;
  /** `METHOD /path` without the query. */
  readonly endpoint: string;
  readonly verdict: string;
  /** Status and time taken as the summary gives them (latest attempt's, else the answer's). */
  readonly status: number | null;
  readonly timeMs: number | null;
  readonly forward: ForwardSummary | null;
  /** The route taken or the answer chosen; null when none applied. */
  readonly route: string | null;
  readonly outcome: HealthOutcome;
}

/** One place in the time-ordered array. `facts` null: deleted (a tombstone, swept later). */
interface Slot {
  readonly at: number;
  facts: Facts | null;
}

/** Tombstones are swept when there are more than this many and more than live slots. */
const SWEEP_MIN_TOMBSTONES = 64;

export class HealthTracker implements Disposable {
  private readonly now: () => number;
  /** Ascending by `at` (receivedAt ms); equal times keep arrival order. */
  private slots: Slot[] = [];
  private readonly byId = new Map<string, Slot>();
  private tombstones = 0;
  private subscription: Disposable | null = null;
  private readonly updateEmitter = new Emitter<void>();
  /** After the tracked deliveries changed (seed or a store change). */
  readonly onDidUpdate: Event<void> = this.updateEmitter.event;

  constructor(options: HealthTrackerOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** A tracker seeded from the store's summaries that follows its changes until `dispose()`. */
  static fromStore(source: HealthSource, options: HealthTrackerOptions = {}): HealthTracker {
    const tracker = new HealthTracker(options);
    tracker.seed(source.summaries());
    tracker.subscription = source.onDidChange((change) =>
      tracker.onStoreChange(change, (id) => source.summary(id)),
    );
    return tracker;
  }

  /** Number of deliveries tracked. */
  get size(): number {
    return this.byId.size;
  }

  /** Replaces everything tracked with these summaries (any order). O(n log n). */
  seed(summaries: Iterable<DeliverySummary>): void {
    this.byId.clear();
    const slots: Slot[] = [];
    for (const summary of summaries) {
      const at = Date.parse(summary.receivedAt);
      if (!Number.isFinite(at)) continue;
      const previous = this.byId.get(summary.id);
      if (previous) previous.facts = null; // The same id twice: the later one wins.
      const slot: Slot = { at, facts: factsOf(summary) };
      slots.push(slot);
      this.byId.set(summary.id, slot);
    }
    // Array.prototype.sort is stable: equal times keep their given order.
    this.slots = slots.filter((slot) => slot.facts !== null).sort((a, b) => a.at - b.at);
    this.tombstones = 0;
    this.updateEmitter.fire();
  }

  /**
   * Applies one store change. `lookup` gives the current summary of an id (`store.summary`); an
   * added or updated id it no longer knows is treated as deleted, so the tracker always ends up
   * holding what the store holds.
   */
  onStoreChange(
    change: StoreChangeEvent,
    lookup: (id: string) => DeliverySummary | undefined,
  ): void {
    if (change.cleared) {
      this.reset();
    }
    for (const id of change.deleted) {
      this.remove(id);
    }
    for (const id of [...change.added, ...change.updated]) {
      const summary = lookup(id);
      if (summary) this.upsert(summary);
      else this.remove(id);
    }
    this.updateEmitter.fire();
  }

  /** Health over the last `window` ms, or over everything tracked. Reads no records. */
  snapshot(window: HealthWindow): HealthSnapshot {
    if (window !== 'all' && (!Number.isFinite(window) || window <= 0)) {
      throw new RangeError(
        `A health window must be a positive number of ms or 'all' (got ${window}).`,
      );
    }
    const toMs = this.now();
    const slots = this.slots;
    const start = window === 'all' ? 0 : firstAfter(slots, toMs - window);
    const end = window === 'all' ? slots.length : firstAfter(slots, toMs);
    const seriesMinutes =
      window === 'all'
        ? MAX_SERIES_MINUTES
        : Math.min(MAX_SERIES_MINUTES, Math.max(1, Math.ceil(window / MINUTE_MS)));
    const series = new Array<number>(seriesMinutes).fill(0);
    const outcomes = Array.from({ length: seriesMinutes }, zeroCounts);
    const byOutcome = zeroCounts();
    const verdicts: Record<string, number> = Object.fromEntries(
      VERDICTS.map((verdict) => [verdict, 0]),
    );
    const overall = new Group();
    const events = new Map<string | null, Group>();
    const endpoints = new Map<string, Group>();
    const routes = new Map<string | null, Group>();
    let routed = 0;
    let failedVerifications = 0;
    let forwarded = 0;
    let forwardOk = 0;
    let oldest: number | null = null;

    for (let i = start; i < end; i++) {
      const slot = slots[i];
      const facts = slot?.facts;
      if (!slot || !facts) continue;
      oldest ??= slot.at;
      verdicts[facts.verdict] = (verdicts[facts.verdict] ?? 0) + 1;
      if (isFailedVerdict(facts.verdict)) failedVerifications++;
      if (facts.forward) {
        forwarded++;
        if (facts.forward.ok) forwardOk++;
      }
      overall.add(facts);
      byOutcome[facts.outcome]++;
      groupFor(events, facts.event).add(facts);
      groupFor(endpoints, facts.endpoint).add(facts);
      groupFor(routes, facts.route).add(facts);
      if (facts.route !== null) routed++;
      // Bucket k from the end covers (to - (k + 1) min, to - k min]; later stamps fall outside.
      const fromEnd = Math.floor((toMs - slot.at) / MINUTE_MS);
      if (fromEnd >= 0 && fromEnd < seriesMinutes) {
        const bucket = seriesMinutes - 1 - fromEnd;
        series[bucket] = (series[bucket] ?? 0) + 1;
        const counts = outcomes[bucket];
        if (counts) counts[facts.outcome]++;
      }
    }

    const total = overall.count;
    const spanMs = window === 'all' ? (oldest === null ? 0 : toMs - oldest) : window;
    return {
      window,
      from:
        window === 'all'
          ? oldest === null
            ? null
            : new Date(oldest).toISOString()
          : new Date(toMs - window).toISOString(),
      to: new Date(toMs).toISOString(),
      total,
      perMinute: {
        rate: total / Math.max(1, spanMs / MINUTE_MS),
        series,
        seriesFrom: new Date(toMs - seriesMinutes * MINUTE_MS).toISOString(),
        outcomes,
      },
      verdicts,
      byOutcome,
      failedVerifications,
      forwards: {
        attempted: forwarded,
        succeeded: forwardOk,
        failed: forwarded - forwardOk,
        successRate: forwarded === 0 ? null : forwardOk / forwarded,
      },
      overall: overall.stats(),
      byEvent: rows(events),
      byEndpoint: rows(endpoints),
      byRoute: routed === 0 ? [] : rows(routes),
    };
  }

  /** Stops following the store (for trackers made by `fromStore`). */
  dispose(): void {
    this.subscription?.dispose();
    this.subscription = null;
    this.updateEmitter.dispose();
  }

  private upsert(summary: DeliverySummary): void {
    const at = Date.parse(summary.receivedAt);
    if (!Number.isFinite(at)) {
      this.remove(summary.id);
      return;
    }
    const facts = factsOf(summary);
    const existing = this.byId.get(summary.id);
    if (existing && existing.at === at) {
      existing.facts = facts; // The usual update (a new attempt): same place, new facts.
      return;
    }
    if (existing) this.remove(summary.id);
    const slot: Slot = { at, facts };
    const last = this.slots[this.slots.length - 1];
    if (!last || last.at <= at) {
      this.slots.push(slot);
    } else {
      this.slots.splice(firstAfter(this.slots, at), 0, slot);
    }
    this.byId.set(summary.id, slot);
  }

  private remove(id: string): void {
    const slot = this.byId.get(id);
    if (!slot) return;
    this.byId.delete(id);
    slot.facts = null;
    this.tombstones++;
    if (this.tombstones > SWEEP_MIN_TOMBSTONES && this.tombstones > this.byId.size) {
      this.slots = this.slots.filter((candidate) => candidate.facts !== null);
      this.tombstones = 0;
    }
  }

  private reset(): void {
    this.byId.clear();
    this.slots = [];
    this.tombstones = 0;
  }
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least p% of
 * the values at or below it, i.e. `sorted[ceil(p/100 × n) − 1]`. Always one of the values.
 */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  // p × n is an exact integer for integer p, so the division rounds correctly (no 57.00000001).
  const rank = Math.max(1, Math.ceil((percent * n) / 100));
  return sorted[Math.min(n, rank) - 1] ?? null;
}

/**
 * `5m`, `15m`, `1h`, `24h`, `all`, or any whole number followed by s, m, h or d, up to 365 days.
 * Undefined when the text is none of those.
 */
export function parseHealthWindow(text: string): HealthWindow | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'all') return 'all';
  const match = /^(\d{1,9})(s|m|h|d)$/.exec(trimmed);
  if (!match) return undefined;
  const unit = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS }[
    match[2] as 's' | 'm' | 'h' | 'd'
  ];
  const ms = Number(match[1]) * unit;
  return ms > 0 && ms <= MAX_WINDOW_MS ? ms : undefined;
}

/** The short name of a window: `5m`, `1h`, `24h`, `90s`, `all`. */
export function formatHealthWindow(window: HealthWindow): string {
  if (window === 'all') return 'all';
  if (window % HOUR_MS === 0) return `${window / HOUR_MS}h`;
  if (window % MINUTE_MS === 0) return `${window / MINUTE_MS}m`;
  if (window % SECOND_MS === 0) return `${window / SECOND_MS}s`;
  return `${window}ms`;
}

function factsOf(summary: DeliverySummary): Facts {
  return {
    event: summary.event,
    endpoint: `${summary.method} ${endpointOf(summary.url)}`,
    verdict: summary.verdict,
    status: summary.status,
    timeMs: summary.timeMs,
    forward: summary.forward ?? null,
    route: summary.route?.name ?? null,
    outcome: healthOutcomeOf(summary),
  };
}

/**
 * What became of a delivery, for the stacked bars: a failed verification first (who sent it
 * comes before what the handler did), then a failure to reach the handler as the rows' warning
 * icon counts it (core/detail/outcome.ts), then whether it was forwarded at all.
 */
export function healthOutcomeOf(summary: DeliverySummary): HealthOutcome {
  if (isFailedVerdict(summary.verdict)) return 'failedVerification';
  if (failsToReachHandler(summary)) return 'handlerFailed';
  return summary.forward ? 'delivered' : 'notForwarded';
}

/** Index of the first slot with `at > time` (binary search; tombstones keep their `at`). */
function firstAfter(slots: readonly Slot[], time: number): number {
  let low = 0;
  let high = slots.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((slots[middle]?.at ?? Infinity) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

class Group {
  count = 0;
  errors = 0;
  readonly times: number[] = [];

  add(facts: Facts): void {
    this.count++;
    if (facts.status === null || facts.status < 200 || facts.status >= 300) this.errors++;
    if (facts.timeMs !== null) this.times.push(facts.timeMs);
  }

  merge(other: Group): void {
    this.count += other.count;
    this.errors += other.errors;
    for (const time of other.times) this.times.push(time);
  }

  stats(): HealthStats {
    // A Float64Array sorts numerically (a plain array would sort as strings).
    const sorted = Float64Array.from(this.times).sort();
    return {
      count: this.count,
      timed: sorted.length,
      p50: nearestRank(sorted, 50),
      p95: nearestRank(sorted, 95),
      p99: nearestRank(sorted, 99),
      max: sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null),
      errors: this.errors,
      errorRate: this.count === 0 ? null : this.errors / this.count,
    };
  }
}

function groupFor<K>(groups: Map<K, Group>, key: K): Group {
  let group = groups.get(key);
  if (!group) {
    group = new Group();
    groups.set(key, group);
  }
  return group;
}

/** Most deliveries first; equal counts by key (code-unit order, so the same everywhere), "no event" after keys. */
function rows(groups: Map<string | null, Group>): HealthRow[] {
  const entries = [...groups].sort(([keyA, a], [keyB, b]) => {
    if (a.count !== b.count) return b.count - a.count;
    if (keyA === keyB) return 0;
    if (keyA === null) return 1;
    if (keyB === null) return -1;
    return keyA < keyB ? -1 : 1;
  });
  const shown = entries.slice(0, MAX_HEALTH_ROWS).map(([key, group]): HealthRow => ({
    kind: key === null ? 'none' : 'key',
    key,
    keyCount: 1,
    ...group.stats(),
  }));
  const rest = entries.slice(MAX_HEALTH_ROWS);
  if (rest.length > 0) {
    const others = new Group();
    for (const [, group] of rest) others.merge(group);
    shown.push({ kind: 'others', key: null, keyCount: rest.length, ...others.stats() });
  }
  return shown;
}
