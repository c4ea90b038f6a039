// `body:` terms of the filter: finding a delivery by what its body says. A word found anywhere in
// the summary's own text (event, headline, provider, path, ids: `body:hooks` finds the url
// `/webhooks/stripe`) needs no body; the term's other words must be in the body (as bodyTerms.ts
// says). The same definition with or without the index (`unmetWords`). Otherwise the body index
// answers for the deliveries it holds (bodyIndex.ts), and the others (not indexed yet, or bodies
// longer than the index reads) are checked directly: the newest `limit` of them, one body at a
// time, until a deadline or a cancellation; the result says where it stopped and why.
import * as l10n from '@vscode/l10n';
import {
  analyseBody,
  analysisMatches,
  parseBodyTerm,
  type BodyInput,
  type BodyQuery,
} from './bodyTerms';
export { bodyInputOf } from './bodyTerms';
import type { BodyIndex, BodyIndexView } from './bodyIndex';
import type { DeliverySummary } from '../store/types';

export interface BodySearchOptions {
  /** Most bodies read directly (the newest candidates first). */
  readonly limit: number;
  /** Stop reading bodies after this long (ms). */
  readonly timeBudgetMs: number;
  readonly isCancelled?: () => boolean;
  readonly now?: () => number;
  /** The body index; without it (or for what it does not hold) bodies are read. */
  readonly index?: BodyIndexView;
}

export type BodySearchStop = 'limit' | 'time' | 'cancelled';

export interface BodySearchResult {
  /** Ids whose summary or body holds every term. */
  readonly matches: ReadonlySet<string>;
  /** Bodies read directly. */
  readonly read: number;
  /** Candidates whose body was needed and not read (limit, time or cancellation). */
  readonly unread: number;
  /** Why it stopped before the last candidate; null when every needed body was read. */
  readonly stopped: BodySearchStop | null;
  /** Candidates the index answered for (0 without one). */
  readonly indexed?: number;
  /** The index's progress when it was asked (absent without one). */
  readonly index?: { readonly indexed: number; readonly total: number; readonly ready: boolean };
}

export const DEFAULT_BODY_SEARCH: BodySearchOptions = { limit: 2000, timeBudgetMs: 1500 };

/** A body as `readBody` gives it: its text, or its bytes with the Content-Type. */
export type BodyRead = string | BodyInput | undefined;

/**
 * Searches `candidates` (newest first) for deliveries holding every term, in the summary's words,
 * the index, or the body `readBody` returns (undefined: gone, no match). A malformed term throws
 * its message (the filter refuses those before a search).
 */
export async function searchBodies(
  candidates: readonly DeliverySummary[],
  terms: readonly string[],
  readBody: (id: string) => Promise<BodyRead>,
  options: BodySearchOptions = DEFAULT_BODY_SEARCH,
): Promise<BodySearchResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const queries = terms
    .filter((term) => term.trim() !== '')
    .map((term) => {
      const query = parseBodyTerm(term);
      if ('error' in query) throw new Error(query.error);
      return query;
    });
  const { index } = options;
  // Each query's answer from the index, asked once and only when needed: keyed by its text, as
  // the part of a query the summary's words leave is a new object each time (its text is words
  // and spaces, never a path term's; a text always parses to the same kind).
  const fromIndex = new Map<string, ReadonlySet<string>>();
  const indexHas = (query: BodyQuery, id: string): boolean => {
    let ids = fromIndex.get(query.text);
    if (ids === undefined) {
      ids = index?.query(query) ?? new Set();
      fromIndex.set(query.text, ids);
    }
    return ids.has(id);
  };
  const matches = new Set<string>();
  let read = 0;
  let indexed = 0;
  let stopped: BodySearchStop | null = null;
  let unread = 0;
  for (const summary of candidates) {
    const coverage = index?.coverage(summary.id) ?? 'missing';
    // The index holds the whole body: it answers, with the summary's own text for the words it
    // holds (looked at only when the index alone does not find the query).
    if (coverage === 'full') {
      indexed++;
      let all = true;
      for (const query of queries) {
        if (indexHas(query, summary.id)) continue;
        const rest = query.kind === 'path' ? query : unmetWords(query, summary);
        if (rest === null || (rest !== query && indexHas(rest, summary.id))) continue;
        all = false;
        break;
      }
      if (all) matches.add(summary.id);
      continue;
    }
    let missing = queries
      .map((query) => unmetWords(query, summary))
      .filter((query): query is BodyQuery => query !== null);
    // Only the start of a long body is indexed: what it holds is found, the rest is read.
    if (coverage === 'partial') missing = missing.filter((query) => !indexHas(query, summary.id));
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
    const analysis = analyseBody(
      typeof body === 'string' ? { bytes: Buffer.from(body, 'utf8') } : body,
    );
    if (analysis.partial) {
      // Longer than the analysis reads: words are looked for in the whole text.
      const text = Buffer.from(typeof body === 'string' ? body : body.bytes).toString('utf8');
      const words = new Set(
        missing.flatMap((query) => (query.kind === 'words' ? query.words : [])),
      );
      const whole = analyseWords(text, words);
      if (
        missing.every((query) =>
          query.kind === 'path'
            ? analysisMatches(analysis, query)
            : query.words.every((word) => whole.has(word)),
        )
      )
        matches.add(summary.id);
    } else if (missing.every((query) => analysisMatches(analysis, query))) {
      matches.add(summary.id);
    }
  }
  return {
    matches,
    read,
    unread,
    stopped,
    ...(index === undefined ? {} : { indexed, index: index.progress }),
  };
}

/**
 * For a filter in force: does a delivery the index just took hold every `body:` term (in its
 * summary's words or its indexed body)? Undefined when the index cannot say (not indexed, or a
 * long body's start lacks a term): the delivery is then left out until the filter is run again.
 */
export function indexHoldsTerms(
  summary: DeliverySummary,
  terms: readonly string[],
  index: Pick<BodyIndex, 'holds'>,
  /** Shared by the calls for one batch: a delivery already sealed asks the whole index once. */
  cache?: Map<string, ReadonlySet<string>>,
): boolean | undefined {
  for (const term of terms) {
    const parsed = parseBodyTerm(term);
    if ('error' in parsed) return false;
    const query = unmetWords(parsed, summary);
    if (query === null) continue;
    const holds = index.holds(summary.id, query, cache);
    if (holds !== true) return holds;
  }
  return true;
}

/**
 * What of a query the body must hold, given the summary's own text: null when the summary holds
 * every word of it (each anywhere in its text, `ownHolds`), the query without those words when it
 * holds some, the query itself when none (and for `path=value`). The index, which holds the
 * summary's words as words, finds a subset of these: the search asks it first and this only when
 * it does not answer yes, so both paths give one answer.
 */
export function unmetWords(query: BodyQuery, summary: DeliverySummary): BodyQuery | null {
  if (query.kind === 'path') return query;
  const words = query.words.filter((word) => !ownHolds(summary, word));
  if (words.length === 0) return null;
  if (words.length === query.words.length) return query;
  return { kind: 'words', text: words.join(' '), words };
}

/** Case-insensitive patterns of query words (letters and digits only, as `wordsOf` gives them). */
const wordPatterns = new Map<string, RegExp>();

/**
 * Does the summary's own text (the fields `summaryText` joins: event, headline, sender, url,
 * session, id, method) hold `word` anywhere, ignoring case? Field by field with a case-insensitive
 * pattern: a third of the time of lower-casing the joined text, which the index path pays for every
 * delivery the index does not find.
 */
export function ownHolds(summary: DeliverySummary, word: string): boolean {
  let pattern = wordPatterns.get(word);
  if (pattern === undefined) {
    // Query words are runs of letters and digits: nothing in them to escape.
    pattern = new RegExp(word, 'iu');
    // Bounded: a session's searches ask few words.
    if (wordPatterns.size >= 256) wordPatterns.clear();
    wordPatterns.set(word, pattern);
  }
  const fields = [
    summary.event,
    summary.headline,
    summary.sender,
    summary.url,
    summary.sessionId,
    summary.id,
    summary.method,
  ];
  return fields.some((field) => typeof field === 'string' && pattern.test(field));
}

/** Which of `wanted` (word prefixes) a long text holds as the start of a word. */
function analyseWords(text: string, wanted: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    for (const word of wanted) if (match[0].startsWith(word)) found.add(word);
    if (found.size === wanted.size) break;
  }
  return found;
}

/**
 * One line on how the search went, for the view's message: '' when the index (or reading) covered
 * every candidate; else what was not searched, and why.
 */
export function bodySearchNote(result: BodySearchResult): string {
  const building =
    result.index !== undefined && !result.index.ready
      ? l10n.t(
          'The body index is still being built ({0} of {1} deliveries); the others were read directly',
          result.index.indexed.toLocaleString('en-US'),
          result.index.total.toLocaleString('en-US'),
        )
      : '';
  if (result.stopped === null) return building === '' ? '' : `${building}.`;
  const why =
    result.stopped === 'cancelled'
      ? l10n.t('cancelled')
      : result.stopped === 'limit'
        ? l10n.t('stopped after {0} bodies', result.read)
        : l10n.t('stopped after {0} bodies (time limit)', result.read);
  const unread =
    result.unread === 1
      ? l10n.t('1 older body not searched')
      : l10n.t('{0} older bodies not searched', result.unread);
  return building === ''
    ? l10n.t('Body search {0}: {1}.', why, unread)
    : l10n.t('{0}: {1}, {2}.', building, why, unread);
}

/** The body bytes (base64) as text, for searching. */
export function bodyTextOf(bodyBase64: string): string {
  return Buffer.from(bodyBase64, 'base64').toString('utf8');
}
