// How the Deliveries list is filtered and grouped. Pure functions over store summaries, so the
// tree, the CLI and tests share one definition.
import * as l10n from '@vscode/l10n';
import { isFailedVerdict, VERDICTS } from '../../shared/model';
import { failsToReachHandler } from '../detail/outcome';
import { parseBodyTerm } from './bodyTerms';
import type { DeliverySummary } from '../store/types';

export const GROUP_BY = ['session', 'event', 'endpoint', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface DeliveryFilter {
  readonly text: string;
  readonly words: readonly string[];
  readonly events: readonly string[];
  readonly verdicts: readonly string[];
  /** Exact statuses ("401") or classes ("4xx"). */
  readonly statuses: readonly string[];
  /** Sender kinds (`provider:stripe`); repeating means "any of". */
  readonly providers: readonly string[];
  /** `body:TEXT` terms: all must be found in the delivery's body (see bodySearch.ts). */
  readonly bodyTerms: readonly string[];
  /** `is:failed`: rejected, or did not reach the handler (the rows' warning icon). */
  readonly failedOnly: boolean;
  /** Why the text is not a filter; empty when it parsed. Never applied silently. */
  readonly errors: readonly string[];
}

export const EMPTY_FILTER: DeliveryFilter = {
  text: '',
  words: [],
  events: [],
  verdicts: [],
  statuses: [],
  providers: [],
  bodyTerms: [],
  failedOnly: false,
  errors: [],
};

/** The keys the filter understands, in the order suggestions offer them. */
export const FILTER_KEYS = ['is', 'status', 'verdict', 'provider', 'event', 'body'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const KEY_ALIASES: Record<string, FilterKey> = {
  is: 'is',
  status: 'status',
  verdict: 'verdict',
  provider: 'provider',
  sender: 'provider',
  event: 'event',
  body: 'body',
};

export interface FilterToken {
  /** The key as written (`event`), null for a free word. */
  readonly key: string | null;
  /** The value, unquoted. */
  readonly value: string;
  /** Where the token starts in the text, and the text it was written as. */
  readonly start: number;
  readonly raw: string;
  /** An opening quote was never closed. */
  readonly unclosed: boolean;
}

/**
 * Splits filter text into tokens: `key:value`, `key:"two words"`, `"two words"` or a word. A key
 * is letters before the first colon (so `http://…` and `a:b:c` stay words when the letters are
 * not a key name only if quoted).
 */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  const pattern = /([A-Za-z]+):(?!\/\/)("([^"]*)("?)|\S*)|"([^"]*)("?)|\S+/g;
  for (const match of text.matchAll(pattern)) {
    const raw = match[0];
    const start = match.index;
    if (match[1] !== undefined) {
      const quoted = match[3] !== undefined;
      tokens.push({
        key: match[1],
        value: quoted ? (match[3] ?? '') : (match[2] ?? ''),
        start,
        raw,
        unclosed: quoted && match[4] !== '"',
      });
    } else if (match[5] !== undefined) {
      tokens.push({ key: null, value: match[5], start, raw, unclosed: match[6] !== '"' });
    } else {
      tokens.push({ key: null, value: raw, start, raw, unclosed: false });
    }
  }
  return tokens;
}

export interface ParseFilterOptions {
  /** Verdicts seen in the store (open strings): accepted besides the known ones. */
  readonly knownVerdicts?: Iterable<string>;
}

/**
 * Parses the filter box: free words match event, headline, provider, path, session id and delivery
 * id (all must match); `event:NAME`, `verdict:NAME` (or `verdict:failed`), `status:401` /
 * `status:4xx` / `status:none`, `provider:NAME` and `is:failed` narrow further; `body:TEXT` looks
 * in bodies. Repeating a key means "any of". Mistakes are listed in `errors`, never dropped.
 */
export function parseFilter(text: string, options: ParseFilterOptions = {}): DeliveryFilter {
  const words: string[] = [];
  const events: string[] = [];
  const verdicts: string[] = [];
  const statuses: string[] = [];
  const providers: string[] = [];
  const bodyTerms: string[] = [];
  const errors: string[] = [];
  let failedOnly = false;
  const knownVerdicts = new Set<string>([...VERDICTS, 'failed', ...(options.knownVerdicts ?? [])]);
  for (const token of tokenizeFilter(text)) {
    if (token.unclosed) errors.push(l10n.t('{0}: the quote is not closed.', token.raw));
    const value = token.value.toLowerCase();
    if (token.key === null) {
      if (value !== '') words.push(value);
      continue;
    }
    const key = KEY_ALIASES[token.key.toLowerCase()];
    if (key === undefined) {
      errors.push(
        l10n.t(
          '“{0}:” is not a filter key. Use {1} (or quote the words).',
          token.key,
          FILTER_KEYS.map((name) => `${name}:`).join(' '),
        ),
      );
      continue;
    }
    if (value.trim() === '') {
      errors.push(l10n.t('“{0}:” needs a value, e.g. {1}.', token.key, KEY_EXAMPLES[key]));
      continue;
    }
    switch (key) {
      case 'is':
        if (value === 'failed') failedOnly = true;
        else errors.push(l10n.t('is:{0}: only is:failed is known.', token.value));
        break;
      case 'status':
        if (/^[1-5]\d\d$/.test(value) || /^[1-5]xx$/.test(value) || value === 'none') {
          statuses.push(value);
        } else {
          errors.push(l10n.t('status:{0} is not a status: use 401, 4xx or none.', token.value));
        }
        break;
      case 'verdict':
        if (knownVerdicts.has(value)) verdicts.push(value);
        else
          errors.push(
            l10n.t(
              'verdict:{0} is not a verdict: use failed or {1}….',
              token.value,
              VERDICTS.slice(0, 4).join(', '),
            ),
          );
        break;
      case 'provider':
        providers.push(value);
        break;
      case 'event':
        events.push(value);
        break;
      case 'body': {
        const query = parseBodyTerm(token.value);
        if ('error' in query) errors.push(query.error);
        else bodyTerms.push(value);
        break;
      }
    }
  }
  return {
    text: text.trim(),
    words,
    events,
    verdicts,
    statuses,
    providers,
    bodyTerms,
    failedOnly,
    errors,
  };
}

const KEY_EXAMPLES: Record<FilterKey, string> = {
  is: 'is:failed',
  status: 'status:4xx',
  verdict: 'verdict:failed',
  provider: 'provider:stripe',
  event: 'event:push',
  body: 'body:declined or body:data.object.amount=2000',
};

export function isEmptyFilter(filter: DeliveryFilter): boolean {
  return filter.text === '';
}

/**
 * Rejected (a failed verdict), or did not reach the handler (forward or latest replay failed,
 * no answer, a 5xx HookLens could not take): the rows' warning icon, the groups' failed count,
 * and what `n` / `Shift+N` step through.
 */
export function isFailedDelivery(summary: DeliverySummary): boolean {
  return isFailedVerdict(summary.verdict) || failsToReachHandler(summary);
}

/**
 * Does a summary pass the filter? `body:` terms need the body search's answer in `bodyMatches`
 * (ids whose body has every term); without it they are not applied (the live preview while
 * typing, before the bodies are read).
 */
export function matchesFilter(
  summary: DeliverySummary,
  filter: DeliveryFilter,
  bodyMatches?: ReadonlySet<string>,
): boolean {
  if (filter.events.length > 0 && !filter.events.includes((summary.event ?? '').toLowerCase()))
    return false;
  if (filter.providers.length > 0 && !filter.providers.includes(summary.sender.toLowerCase()))
    return false;
  if (
    filter.verdicts.length > 0 &&
    !filter.verdicts.some(
      (verdict) =>
        verdict === summary.verdict || (verdict === 'failed' && isFailedVerdict(summary.verdict)),
    )
  ) {
    return false;
  }
  if (
    filter.statuses.length > 0 &&
    !filter.statuses.some((status) => statusMatches(summary.status, status))
  )
    return false;
  if (filter.failedOnly && !isFailedDelivery(summary)) return false;
  if (filter.bodyTerms.length > 0 && bodyMatches !== undefined && !bodyMatches.has(summary.id))
    return false;
  if (filter.words.length === 0) return true;
  const haystack = summaryText(summary);
  return filter.words.every((word) => haystack.includes(word));
}

/** The summary's own words, lower case: what free words and the body search's first pass read. */
export function summaryText(summary: DeliverySummary): string {
  return [
    summary.event,
    summary.headline,
    summary.sender,
    summary.url,
    summary.sessionId,
    summary.id,
    summary.method,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

function statusMatches(status: number | null, wanted: string): boolean {
  if (status === null) return wanted === 'none';
  const text = String(status);
  return /^[1-5]xx$/.test(wanted) ? text[0] === wanted[0] : text === wanted;
}

export interface DeliveryGroup {
  readonly key: string;
  readonly label: string;
  /** Newest first. */
  readonly deliveries: readonly DeliverySummary[];
}

/** Groups newest-first summaries; groups are ordered by their newest delivery. */
export function groupDeliveries(
  summaries: readonly DeliverySummary[],
  groupBy: Exclude<GroupBy, 'none'>,
): DeliveryGroup[] {
  const groups = new Map<string, { label: string; deliveries: DeliverySummary[] }>();
  for (const summary of summaries) {
    const { key, label } = groupKey(summary, groupBy);
    let group = groups.get(key);
    if (!group) {
      group = { label, deliveries: [] };
      groups.set(key, group);
    }
    group.deliveries.push(summary);
  }
  return [...groups].map(([key, group]) => ({
    key,
    label: group.label,
    deliveries: group.deliveries,
  }));
}

function groupKey(
  summary: DeliverySummary,
  groupBy: Exclude<GroupBy, 'none'>,
): { key: string; label: string } {
  switch (groupBy) {
    case 'session':
      return summary.sessionId === null
        ? { key: 'none', label: '(no session)' }
        : { key: `s:${summary.sessionId}`, label: summary.sessionId };
    case 'event':
      return summary.event === null
        ? { key: 'none', label: '(no event)' }
        : { key: `e:${summary.event}`, label: summary.event };
    case 'endpoint': {
      const path = endpointOf(summary.url);
      return { key: `p:${summary.method} ${path}`, label: `${summary.method} ${path}` };
    }
  }
}

/** The path without its query string: the "Endpoint" column. */
export function endpointOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The deliveries in the order the tree shows them: newest first, or group by group (groups
 * ordered by their newest delivery, newest first inside each).
 */
export function displayOrder(
  visible: readonly DeliverySummary[],
  groupBy: GroupBy,
): readonly DeliverySummary[] {
  if (groupBy === 'none') return visible;
  return groupDeliveries(visible, groupBy).flatMap((group) => group.deliveries);
}

/**
 * The next (`1`) or previous (`-1`) failed delivery after `currentId` in `ordered`, wrapping
 * around; from nothing (or an id no longer listed) the first (or last) one. Undefined when none
 * failed; the current one again when it is the only one.
 */
export function stepToFailed(
  ordered: readonly DeliverySummary[],
  currentId: string | undefined,
  direction: 1 | -1,
): DeliverySummary | undefined {
  const count = ordered.length;
  if (count === 0) return undefined;
  const at = currentId === undefined ? -1 : ordered.findIndex((item) => item.id === currentId);
  const from = at === -1 ? (direction === 1 ? -1 : count) : at;
  for (let step = 1; step <= count; step++) {
    const index = (((from + direction * step) % count) + count) % count;
    const candidate = ordered[index];
    if (candidate && isFailedDelivery(candidate)) return candidate;
  }
  return undefined;
}
