// How the Deliveries list is filtered and grouped. Pure functions over store summaries, so the
// tree, the CLI and tests share one definition.
import { isFailedVerdict } from '../../shared/model';
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
}

export const EMPTY_FILTER: DeliveryFilter = {
  text: '',
  words: [],
  events: [],
  verdicts: [],
  statuses: [],
};

/**
 * Parses the filter box: free words match event, path, session id and delivery id (all must
 * match); `event:NAME`, `verdict:NAME` (or `verdict:failed`) and `status:401` / `status:4xx`
 * narrow further. Repeating a key means "any of".
 */
export function parseFilter(text: string): DeliveryFilter {
  const words: string[] = [];
  const events: string[] = [];
  const verdicts: string[] = [];
  const statuses: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const match = /^(event|verdict|status):(.+)$/i.exec(token);
    const key = match?.[1]?.toLowerCase();
    const value = match?.[2]?.toLowerCase() ?? token.toLowerCase();
    if (key === 'event') events.push(value);
    else if (key === 'verdict') verdicts.push(value);
    else if (key === 'status') statuses.push(value);
    else words.push(value);
  }
  return { text: text.trim(), words, events, verdicts, statuses };
}

export function isEmptyFilter(filter: DeliveryFilter): boolean {
  return filter.text === '';
}

export function matchesFilter(summary: DeliverySummary, filter: DeliveryFilter): boolean {
  if (filter.events.length > 0 && !filter.events.includes((summary.event ?? '').toLowerCase()))
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
  if (filter.words.length === 0) return true;
  const haystack = [summary.event, summary.url, summary.sessionId, summary.id, summary.method]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return filter.words.every((word) => haystack.includes(word));
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
