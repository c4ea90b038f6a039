// "Replay failed": when the developer's handler answers 2xx again after it was down, timing out or
// failing with 5xx, the deliveries it missed in the meantime are offered for replay in one action.
// Read from store summaries alone, so the tree, the status bar and tests share one decision.
import { deliveryOutcome, outcomeFactsOfSummary, type OutcomeKind } from '../detail/outcome';
import type { DeliverySummary, ForwardSummary } from '../store/types';

/** The handler failures a replay can fix: it was down, too slow or broke (not its own 4xx). */
const MISSED: ReadonlySet<OutcomeKind> = new Set<OutcomeKind>([
  'handler-down',
  'handler-timeout',
  'handler-error',
  'replay-failed',
]);

export interface ReplayFailedOffer {
  /** The deliveries the handler missed before it answered again, oldest first (replay order). */
  readonly ids: readonly string[];
  /** When the handler last answered 2xx (a forward or a replay). */
  readonly handlerBackAt: string;
}

/**
 * The deliveries to offer for replay, or undefined when there is nothing to offer: no delivery
 * missed by the handler, or the handler has not answered 2xx since the last one it missed (it is
 * still down, so replaying now would fail again).
 */
export function replayFailedOffer(
  summaries: Iterable<DeliverySummary>,
): ReplayFailedOffer | undefined {
  let backAt: number | undefined;
  let backAtText = '';
  const missed: Array<{ readonly id: string; readonly seq: number; readonly at: number }> = [];
  for (const summary of summaries) {
    for (const attempt of [summary.forward ?? null, summary.replay ?? null]) {
      const at = timeOf(attempt);
      if (attempt?.ok === true && at !== undefined && (backAt === undefined || at > backAt)) {
        backAt = at;
        backAtText = attempt.at ?? '';
      }
    }
    const outcome = deliveryOutcome(outcomeFactsOfSummary(summary));
    if (!outcome.failed || !MISSED.has(outcome.kind)) continue;
    const at = latestFailureTime(summary);
    if (at !== undefined) missed.push({ id: summary.id, seq: summary.seq, at });
  }
  if (backAt === undefined) return undefined;
  const handlerBack = backAt;
  const ids = missed
    .filter((delivery) => delivery.at < handlerBack)
    .sort((a, b) => a.seq - b.seq)
    .map((delivery) => delivery.id);
  return ids.length === 0 ? undefined : { ids, handlerBackAt: backAtText };
}

/** The words for the offer: "Your handler answers again: 3 deliveries it missed can be replayed." */
export function replayFailedMessage(offer: ReplayFailedOffer): string {
  const count = offer.ids.length;
  return `Your handler answers again: ${count} ${count === 1 ? 'delivery' : 'deliveries'} it missed can be replayed (Replay Failed).`;
}

/** When the delivery's latest failing attempt was made: its replay if it has one, else its forward. */
function latestFailureTime(summary: DeliverySummary): number | undefined {
  const replay = summary.replay ?? null;
  if (replay !== null && !replay.ok) return timeOf(replay);
  return timeOf(summary.forward ?? null);
}

function timeOf(attempt: ForwardSummary | null): number | undefined {
  if (attempt?.at === undefined) return undefined;
  const ms = Date.parse(attempt.at);
  return Number.isNaN(ms) ? undefined : ms;
}
