// What the Deliveries tree adds to the row and group words of rowPresentation.ts (issue 16 item 4):
// a session group says what a person counts in it (`Session dc8b16c2` · `4 turns · 6:46 PM`), and
// a Stripe row shows its amount where the side bar does not cut it. Pure, so it is unit tested.
// Words through @vscode/l10n, as there.
import * as l10n from '@vscode/l10n';
import { deliveriesCount } from '../../shared/words';
import { clockTime, shortId } from '../detail/rowPresentation';
import type { DeliverySummary } from '../store/types';

/** Watson's events of one conversation turn: the log, and the pre-/post-message webhooks. */
const TURN_EVENTS = ['message_logged', 'message_received', 'message_processed'] as const;

/**
 * How many turns a Watson session's deliveries are: each turn may be posted as a log, a
 * pre-message and a post-message webhook, so the most of any one kind (sender retries left out).
 * Calls (`cdr_logged`) count apart; null when the session has neither.
 */
export function sessionTurns(
  deliveries: readonly DeliverySummary[],
): { readonly turns: number; readonly calls: number } | null {
  const counts = new Map<string, number>();
  for (const summary of deliveries) {
    if (summary.sender !== 'watson' || summary.duplicateOf !== null || summary.event === null)
      continue;
    counts.set(summary.event, (counts.get(summary.event) ?? 0) + 1);
  }
  const turns = Math.max(0, ...TURN_EVENTS.map((event) => counts.get(event) ?? 0));
  const calls = counts.get('cdr_logged') ?? 0;
  return turns === 0 && calls === 0 ? null : { turns, calls };
}

/**
 * The description of a session group: failures first, then its turns (or calls) for a Watson
 * session, else its deliveries, and the time it started (`1 failed · 4 turns · 6:46 PM`).
 * `deliveries` are newest first, as the tree groups them.
 */
export function sessionGroupDescription(
  deliveries: readonly DeliverySummary[],
  failed: number,
): string {
  const counted = sessionTurns(deliveries);
  const parts: string[] = [];
  if (failed > 0) parts.push(l10n.t('{0} failed', failed));
  if (counted === null) {
    parts.push(deliveriesCount(deliveries.length));
  } else {
    if (counted.turns > 0) {
      parts.push(counted.turns === 1 ? l10n.t('1 turn') : l10n.t('{0} turns', counted.turns));
    }
    if (counted.calls > 0) {
      parts.push(counted.calls === 1 ? l10n.t('1 call') : l10n.t('{0} calls', counted.calls));
    }
  }
  const oldest = deliveries.at(-1);
  const started = oldest === undefined ? Number.NaN : Date.parse(oldest.receivedAt);
  if (!Number.isNaN(started)) parts.push(clockTime(started, false));
  return parts.join(' · ');
}

/** Senders whose sessions are conversations or calls (others group by what they name, e.g. a repository). */
const CONVERSATION_SENDERS = new Set(['watson', 'rapida']);

/**
 * A session group's label: `Session dc8b16c2` for a conversation; for other senders the
 * session is what they name (GitHub's is the repository), so the label is that name alone.
 */
export function sessionGroupLabel(
  sessionId: string,
  deliveries: readonly Pick<DeliverySummary, 'sender'>[],
): string {
  return deliveries.some((summary) => CONVERSATION_SENDERS.has(summary.sender))
    ? l10n.t('Session {0}', shortId(sessionId))
    : shortId(sessionId);
}

/** An amount as Stripe summaries write it: `12.00 USD`, `-5 JPY`, `1,234.56 EUR`. */
const AMOUNT = /^-?\d[\d,]*(\.\d+)? [A-Z]{3}$/;

/**
 * A Stripe row: its headline (`payment_intent.succeeded · 12.00 USD · succeeded`) is cut at the
 * default side-bar width before the amount, so the amount leads the description instead and the
 * label keeps the event type. Other rows are returned as they are.
 */
export function arrangeAmount(
  summary: Pick<DeliverySummary, 'sender' | 'headline'>,
  row: { readonly label: string; readonly description: string },
): { readonly label: string; readonly description: string } {
  if (summary.sender !== 'stripe' || summary.headline === undefined) return row;
  const parts = summary.headline.split(' · ');
  const amount = parts.find((part) => AMOUNT.test(part.trim()));
  if (amount === undefined || row.label !== summary.headline) return row;
  const rest = parts.filter((part) => part !== amount);
  return {
    label: rest[0] ?? row.label,
    description: [shortAmount(amount.trim()), row.description]
      .filter((part) => part !== '')
      .join(' · '),
  };
}

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/** `12.00 USD` → `$12.00` (`-$5.00` when negative); other currencies keep their code. */
export function shortAmount(amount: string): string {
  const [number = '', currency = ''] = amount.split(' ');
  const symbol = SYMBOLS[currency];
  if (symbol === undefined) return amount;
  return number.startsWith('-') ? `-${symbol}${number.slice(1)}` : `${symbol}${number}`;
}
