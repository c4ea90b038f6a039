// `body:` terms of the filter: finding a delivery by what its body says, bounded so a large
// store never holds up the extension host. A term found in the summary's own words (event,
// headline, provider, path) needs no read; otherwise the bodies of the newest `limit` candidates
// are read one at a time, until a deadline or a cancellation, and the result says where it stopped.
import { summaryText } from './deliveryView';
import type { DeliverySummary } from '../store/types';

export interface BodySearchOptions {
  /** Most bodies read (the newest candidates first). */
  readonly limit: number;
  /** Stop reading after this long (ms). */
  readonly timeBudgetMs: number;
  readonly isCancelled?: () => boolean;
  readonly now?: () => number;
}

export type BodySearchStop = 'limit' | 'time' | 'cancelled';

export interface BodySearchResult {
  /** Ids whose summary or body holds every term. */
  readonly matches: ReadonlySet<string>;
  /** Bodies read. */
  readonly read: number;
  /** Candidates whose body was needed and not read (limit, time or cancellation). */
  readonly unread: number;
  /** Why it stopped before the last candidate; null when every needed body was read. */
  readonly stopped: BodySearchStop | null;
}

export const DEFAULT_BODY_SEARCH: BodySearchOptions = { limit: 2000, timeBudgetMs: 1500 };

/**
 * Searches `candidates` (newest first) for deliveries holding every term (lower case), in the
 * summary's words or else in the body text `readBody` returns (undefined: gone, no match).
 */
export async function searchBodies(
  candidates: readonly DeliverySummary[],
  terms: readonly string[],
  readBody: (id: string) => Promise<string | undefined>,
  options: BodySearchOptions = DEFAULT_BODY_SEARCH,
): Promise<BodySearchResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const wanted = terms.map((term) => term.toLowerCase()).filter((term) => term !== '');
  const matches = new Set<string>();
  let read = 0;
  let stopped: BodySearchStop | null = null;
  let unread = 0;
  for (const summary of candidates) {
    const own = summaryText(summary);
    const missing = wanted.filter((term) => !own.includes(term));
    if (missing.length === 0) {
      matches.add(summary.id);
      continue;
    }
    if (stopped === null) {
      if (options.isCancelled?.() === true) stopped = 'cancelled';
      else if (read >= options.limit) stopped = 'limit';
      else if (now() - started > options.timeBudgetMs) stopped = 'time';
    }
    if (stopped !== null) {
      unread++;
      continue;
    }
    const body = await readBody(summary.id);
    read++;
    if (body === undefined) continue;
    const text = body.toLowerCase();
    if (missing.every((term) => text.includes(term))) matches.add(summary.id);
  }
  return { matches, read, unread, stopped };
}

/** One line on how far the search went, for the view's message; '' when it read all it needed. */
export function bodySearchNote(result: BodySearchResult): string {
  if (result.stopped === null) return '';
  const why =
    result.stopped === 'cancelled'
      ? 'cancelled'
      : result.stopped === 'limit'
        ? `stopped after ${result.read} bodies`
        : `stopped after ${result.read} bodies (time limit)`;
  return `Body search ${why}: ${result.unread} older ${result.unread === 1 ? 'body' : 'bodies'} not searched.`;
}

/** The body bytes (base64) as text, for searching. */
export function bodyTextOf(bodyBase64: string): string {
  return Buffer.from(bodyBase64, 'base64').toString('utf8');
}
