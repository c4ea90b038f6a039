// "Replay failed": when a handler answers 2xx again after it was down, timing out or failing with
// 5xx, the deliveries it missed in the meantime are offered for replay in one action. Decided per
// handler (the attempt's target URL): another route's handler, or a replay to a URL typed once,
// answering says nothing about this one. Read from store summaries alone, so the tree, the
// status bar and tests share one decision.
import * as l10n from '@vscode/l10n';
import { failsToReachHandler } from '../detail/outcome';
import type { DeliverySummary, ForwardSummary } from '../store/types';

export interface ReplayFailedOffer {
  /** The deliveries a handler missed before it answered again, oldest first (replay order). */
  readonly ids: readonly string[];
  /** The handlers that answer again (their URLs), each with the deliveries it missed. */
  readonly byTarget: ReadonlyMap<string, readonly string[]>;
  /** When each offered delivery last failed (ms since the epoch): what a dismissal remembers. */
  readonly failedAt: ReadonlyMap<string, number>;
}

export interface ReplayFailedOptions {
  /** A delivery the forwarder is still retrying is left to it (it would arrive twice). */
  readonly isRetrying?: (id: string) => boolean;
  /**
   * When the user dismissed the offer of this delivery (the failure time it had then), if they
   * did: a dismissed failure is not offered again, but a later failure of it is.
   */
  readonly dismissedAt?: (id: string) => number | undefined;
}

/**
 * The deliveries to offer for replay, or undefined when there is nothing to offer. A delivery is
 * offered when its latest attempt failed the way a replay can fix (no answer, or 5xx; not the
 * handler's own 4xx), and the same handler answered 2xx after that failure and has not failed
 * since (when it is down again, replaying now would fail again).
 */
export function replayFailedOffer(
  summaries: Iterable<DeliverySummary>,
  options: ReplayFailedOptions = {},
): ReplayFailedOffer | undefined {
  const lastOk = new Map<string, number>();
  const lastFailure = new Map<string, number>();
  const missed: Array<{
    readonly id: string;
    readonly seq: number;
    readonly at: number;
    readonly target: string;
  }> = [];
  for (const summary of summaries) {
    for (const attempt of [summary.forward ?? null, summary.replay ?? null]) {
      const at = timeOf(attempt);
      if (attempt?.target === undefined || at === undefined) continue;
      if (attempt.ok) later(lastOk, attempt.target, at);
      else if (isFixableFailure(attempt)) later(lastFailure, attempt.target, at);
    }
    if (!failsToReachHandler(summary)) continue;
    const failure = latestFailure(summary);
    const at = timeOf(failure);
    if (failure?.target === undefined || at === undefined || !isFixableFailure(failure)) continue;
    missed.push({ id: summary.id, seq: summary.seq, at, target: failure.target });
  }
  const byTarget = new Map<string, string[]>();
  for (const delivery of missed.sort((a, b) => a.seq - b.seq)) {
    const back = lastOk.get(delivery.target);
    if (back === undefined || delivery.at >= back) continue;
    // Down again since it answered: wait for it to answer once more.
    if ((lastFailure.get(delivery.target) ?? -Infinity) > back) continue;
    if (options.isRetrying?.(delivery.id) === true) continue;
    if ((options.dismissedAt?.(delivery.id) ?? -Infinity) >= delivery.at) continue;
    const ids = byTarget.get(delivery.target) ?? [];
    ids.push(delivery.id);
    byTarget.set(delivery.target, ids);
  }
  if (byTarget.size === 0) return undefined;
  const offered = missed.filter(
    (delivery) => byTarget.get(delivery.target)?.includes(delivery.id) === true,
  );
  return {
    ids: offered.map((delivery) => delivery.id),
    byTarget,
    failedAt: new Map(offered.map((delivery) => [delivery.id, delivery.at])),
  };
}

/** The words for the offer: "Your handler answers again: 3 deliveries it missed can be replayed." */
export function replayFailedMessage(offer: ReplayFailedOffer): string {
  const count = offer.ids.length;
  // Whole sentences per form: German changes more than the noun.
  if (offer.byTarget.size === 1) {
    return count === 1
      ? l10n.t(
          'Your handler answers again: 1 delivery missed can be replayed (Replay Failed Deliveries).',
        )
      : l10n.t(
          'Your handler answers again: {0} deliveries missed can be replayed (Replay Failed Deliveries).',
          count,
        );
  }
  return count === 1
    ? l10n.t(
        'Your handlers answer again: 1 delivery missed can be replayed (Replay Failed Deliveries).',
      )
    : l10n.t(
        'Your handlers answer again: {0} deliveries missed can be replayed (Replay Failed Deliveries).',
        count,
      );
}

/** No answer (refused, reset, timed out) or 5xx: the handler was not there, not saying no. */
function isFixableFailure(attempt: ForwardSummary): boolean {
  return !attempt.ok && (attempt.status === null || attempt.status >= 500);
}

/** The delivery's latest attempt that failed: its replay if that failed, else its forward. */
function latestFailure(summary: DeliverySummary): ForwardSummary | null {
  const replay = summary.replay ?? null;
  if (replay !== null) return replay.ok ? null : replay;
  const forward = summary.forward ?? null;
  return forward !== null && !forward.ok ? forward : null;
}

function later(map: Map<string, number>, key: string, at: number): void {
  const known = map.get(key);
  if (known === undefined || at > known) map.set(key, at);
}

function timeOf(attempt: ForwardSummary | null): number | undefined {
  if (attempt?.at === undefined) return undefined;
  const ms = Date.parse(attempt.at);
  return Number.isNaN(ms) ? undefined : ms;
}
