// What the Filter quick pick offers while the user types (issue 16, "Find"): the typed text checked
// as they type (its mistakes shown, never dropped), completions for the token being typed from
// what the store holds (failed, status classes, verdicts, providers, events), a body search for a
// free word, and Clear Filter. Pure: the VS Code layer only shows the items. Its words are in the
// editor's language through @vscode/l10n; the filter's own syntax (is:failed, status:4xx) is not.
import * as l10n from '@vscode/l10n';
import { deliveriesCount } from '../../shared/words';
import type { DeliverySummary } from '../store/types';
import {
  FILTER_KEYS,
  isEmptyFilter,
  isFailedDelivery,
  matchesFilter,
  parseFilter,
  tokenizeFilter,
  type DeliveryFilter,
} from './deliveryView';

/** What the stored deliveries hold, counted: the values worth suggesting. */
export interface FilterFacets {
  readonly total: number;
  readonly failed: number;
  readonly statusClasses: ReadonlyMap<string, number>;
  readonly verdicts: ReadonlyMap<string, number>;
  readonly providers: ReadonlyMap<string, number>;
  readonly events: ReadonlyMap<string, number>;
}

export function collectFacets(summaries: readonly DeliverySummary[]): FilterFacets {
  const statusClasses = new Map<string, number>();
  const verdicts = new Map<string, number>();
  const providers = new Map<string, number>();
  const events = new Map<string, number>();
  const add = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  let failed = 0;
  for (const summary of summaries) {
    if (isFailedDelivery(summary)) failed++;
    add(statusClasses, summary.status === null ? 'none' : `${String(summary.status)[0]}xx`);
    add(verdicts, summary.verdict);
    add(providers, summary.sender.toLowerCase());
    if (summary.event !== null) add(events, summary.event.toLowerCase());
  }
  return { total: summaries.length, failed, statusClasses, verdicts, providers, events };
}

export type FilterSuggestionKind = 'apply' | 'error' | 'complete' | 'body' | 'clear';

export interface FilterSuggestion {
  readonly kind: FilterSuggestionKind;
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** The filter text this item stands for (the whole text, not only the token). */
  readonly value: string;
}

export interface SuggestOptions {
  /** The filter in force when the quick pick opened ('' for none): Clear Filter is offered. */
  readonly current: string;
  /** Counts "N of M" for the typed filter; omitted, counts are left out. */
  readonly summaries?: readonly DeliverySummary[];
  /** Most completions listed at once. */
  readonly limit?: number;
}

/** Events listed when nothing is typed yet (the most frequent). */
const TOP_EVENTS = 12;

/**
 * The items for the typed text: first the text itself (to apply, or its mistakes), then
 * completions of the token under the end of the text, a body search for a free word, and Clear
 * Filter. Each item's `value` is the whole filter text it leads to.
 */
export function suggestFilter(
  text: string,
  facets: FilterFacets,
  options: SuggestOptions,
): FilterSuggestion[] {
  const items: FilterSuggestion[] = [];
  const filter = parseFilter(text, { knownVerdicts: facets.verdicts.keys() });
  const clear: FilterSuggestion = {
    kind: 'clear',
    label: l10n.t('Clear Filter'),
    description: l10n.t('show all {0}', deliveriesCount(facets.total)),
    value: '',
  };
  if (text.trim() === '') {
    items.push(
      options.current.trim() !== ''
        ? clear
        : {
            kind: 'apply',
            label: l10n.t('Show All Deliveries'),
            description: l10n.t('type to filter; pick a suggestion to add it'),
            value: '',
          },
    );
  } else if (filter.errors.length > 0) {
    items.push({
      kind: 'error',
      label: text.trim(),
      description: filter.errors[0],
      detail: filter.errors.length > 1 ? filter.errors.slice(1).join(' ') : undefined,
      value: text,
    });
  } else {
    items.push({
      kind: 'apply',
      label: text.trim(),
      description: applyDescription(filter, options),
      value: text,
    });
  }

  const tokens = tokenizeFilter(text);
  const last = tokens.at(-1);
  const typing = last !== undefined && last.start + last.raw.length === text.length;
  const head = typing
    ? text.slice(0, last.start)
    : text === '' || /\s$/.test(text)
      ? text
      : `${text} `;
  const partial = typing ? last : undefined;
  const used = new Set(
    tokens.filter((token) => token !== partial).map((token) => token.raw.toLowerCase()),
  );
  const completions = candidates(
    facets,
    partial?.key ?? null,
    partial?.value ?? '',
    partial === undefined,
  )
    .filter((candidate) => !used.has(candidate.token.toLowerCase()))
    .filter(
      (candidate) =>
        partial === undefined || candidate.token.toLowerCase() !== partial.raw.toLowerCase(),
    )
    .slice(0, options.limit ?? 30);
  for (const candidate of completions) {
    const continues = candidate.token.endsWith(':');
    items.push({
      kind: 'complete',
      label: candidate.token,
      description: candidate.description,
      value: `${head}${candidate.token}${continues ? '' : ' '}`,
    });
  }

  if (partial && partial.key === null && partial.value.trim() !== '' && !partial.unclosed) {
    items.push({
      kind: 'body',
      label: `body:${quoteValue(partial.value)}`,
      description: l10n.t('search the bodies for “{0}”', partial.value),
      value: `${head}body:${quoteValue(partial.value)} `,
    });
  }
  if (text.trim() !== '' && options.current.trim() !== '') items.push(clear);
  return items;
}

function applyDescription(filter: DeliveryFilter, options: SuggestOptions): string {
  if (!options.summaries || isEmptyFilter(filter)) return l10n.t('Apply');
  const shown = options.summaries.filter((summary) => matchesFilter(summary, filter)).length;
  return filter.bodyTerms.length > 0
    ? l10n.t(
        'Apply · {0} of {1} before the body search',
        shown,
        deliveriesCount(options.summaries.length),
      )
    : applyCount(shown, options.summaries.length);
}

/** "Apply · 3 of 10 deliveries": the first item once the tree shows what the filter found. */
export function applyCount(shown: number, total: number): string {
  return l10n.t('Apply · {0} of {1}', shown, deliveriesCount(total));
}

interface Candidate {
  readonly token: string;
  readonly description: string;
}

/** Suggested tokens for a token being typed (`key` and `value` so far), best first. */
function candidates(
  facets: FilterFacets,
  key: string | null,
  value: string,
  fresh: boolean,
): Candidate[] {
  const all = facetTokens(facets, fresh);
  const wanted = value.toLowerCase();
  if (key !== null) {
    const prefix = `${key.toLowerCase() === 'sender' ? 'provider' : key.toLowerCase()}:`;
    return rank(
      all.filter((candidate) => candidate.token.startsWith(prefix)),
      (candidate) => candidate.token.slice(prefix.length),
      wanted,
    );
  }
  if (fresh) return all;
  const keys: Candidate[] = FILTER_KEYS.map((name) => ({
    token: `${name}:`,
    description: keyHelp(name),
  }));
  return rank(
    [...keys, ...all],
    (candidate) => candidate.token,
    wanted,
    (candidate) => candidate.token.slice(candidate.token.indexOf(':') + 1),
  );
}

/** Those starting with `wanted` (by their name, then by the value after the key), then containing it. */
function rank(
  list: readonly Candidate[],
  name: (candidate: Candidate) => string,
  wanted: string,
  alternative: (candidate: Candidate) => string = name,
): Candidate[] {
  if (wanted === '') return [...list];
  const starts = list.filter(
    (candidate) => name(candidate).startsWith(wanted) || alternative(candidate).startsWith(wanted),
  );
  const contains = list.filter(
    (candidate) => !starts.includes(candidate) && name(candidate).includes(wanted),
  );
  return [...starts, ...contains];
}

/** What a key is for, said when it is suggested. */
function keyHelp(key: (typeof FILTER_KEYS)[number]): string {
  switch (key) {
    case 'is':
      return l10n.t('is:failed: rejected or did not reach your handler');
    case 'status':
      return l10n.t('status:401, status:4xx or status:none (no answer)');
    case 'verdict':
      return l10n.t('verdict:failed or a verdict');
    case 'provider':
      return l10n.t('who sent it (stripe, github, …)');
    case 'event':
      return l10n.t('the event name');
    case 'body':
      return l10n.t('words in the body, or a JSON path=value (body:data.object.amount=2000)');
  }
}

/** Every value worth suggesting, each with how many stored deliveries have it. */
function facetTokens(facets: FilterFacets, fresh: boolean): Candidate[] {
  const counted = (token: string, count: number, description = deliveriesCount(count)) => ({
    token,
    description,
  });
  const byCount = (map: ReadonlyMap<string, number>): [string, number][] =>
    [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const out: Candidate[] = [];
  if (facets.failed > 0 || !fresh)
    out.push(
      counted(
        'is:failed',
        facets.failed,
        l10n.t('{0} rejected or not delivered', deliveriesCount(facets.failed)),
      ),
    );
  for (const [status, count] of byCount(facets.statusClasses)) {
    out.push(
      counted(
        `status:${status}`,
        count,
        status === 'none'
          ? l10n.t('{0} with no answer', deliveriesCount(count))
          : deliveriesCount(count),
      ),
    );
  }
  const verdicts = byCount(facets.verdicts);
  if (verdicts.some(([verdict]) => verdict !== 'verified'))
    out.push({ token: 'verdict:failed', description: l10n.t('any failed verification') });
  for (const [verdict, count] of verdicts)
    out.push(counted(`verdict:${quoteValue(verdict)}`, count));
  for (const [provider, count] of byCount(facets.providers))
    out.push(counted(`provider:${quoteValue(provider)}`, count));
  const events = byCount(facets.events);
  for (const [event, count] of fresh ? events.slice(0, TOP_EVENTS) : events)
    out.push(counted(`event:${quoteValue(event)}`, count));
  return out;
}

/** A value as the filter reads it back: quoted when it has spaces or quotes would be needed. */
export function quoteValue(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}
