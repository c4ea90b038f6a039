// Where a replay of a stored delivery goes when the user does not name a URL: where its route
// sends it. With routes configured (hooklens.routes, --route/--routes), they are matched again on
// the stored delivery, as the receiver would now; without any, the route recorded on the
// delivery when it arrived. A target only ever comes from the user's configuration (a recorded
// route target was the user's when it was recorded), never from the delivery's own content.
import type { RouteChoice } from '../delivery';
import { parseTargetUrl } from '../forward/outbound';
import { describeTarget, firstMatch, routeFactsOf, type Route } from './routeRules';

export type RouteReplayTarget =
  /** A forwarding route takes it: replay to its handler, and record the route on the attempt. */
  | {
      readonly kind: 'route';
      readonly target: URL;
      readonly route: string;
      /** `rules`: a configured rule matched now; `recorded`: the route the delivery took. */
      readonly source: 'rules' | 'recorded';
    }
  /** Its route answers by itself (a chosen answer): there is no handler to replay to. */
  | { readonly kind: 'answers'; readonly route: string; readonly description: string }
  /** No route applies: the catch-all (the forward target) does. */
  | { readonly kind: 'none' };

/** What is read of a stored delivery: its route facts, and the route it took. */
type RecordFacts = Parameters<typeof routeFactsOf>[0] & { readonly route?: RouteChoice };

/** Where the delivery's route sends a replay; see the file comment for which routes count. */
export function routeReplayTarget(
  record: RecordFacts,
  routes: readonly Route[] | undefined,
): RouteReplayTarget {
  if (routes !== undefined && routes.length > 0) {
    const route = firstMatch(routes, routeFactsOf(record));
    if (route === undefined) return { kind: 'none' };
    return route.target.kind === 'forward'
      ? { kind: 'route', target: route.target.url, route: route.name, source: 'rules' }
      : { kind: 'answers', route: route.name, description: describeTarget(route.target) };
  }
  const recorded = record.route;
  if (recorded?.kind === 'forward' && recorded.target !== undefined) {
    const parsed = parseTargetUrl(recorded.target);
    if (parsed.ok) {
      return { kind: 'route', target: parsed.url, route: recorded.name, source: 'recorded' };
    }
  }
  if (recorded?.kind === 'answer') {
    return {
      kind: 'answers',
      route: recorded.name,
      description: `answered ${recorded.status ?? '—'}`,
    };
  }
  return { kind: 'none' };
}

/**
 * A configured route chosen by the user or an agent: by its name, or by its position (1 is the
 * first). Undefined when none has that name or position.
 */
export function routeByNameOrIndex(
  routes: readonly Route[],
  wanted: string | number,
): Route | undefined {
  if (typeof wanted === 'number' || /^\d{1,4}$/.test(wanted.trim())) {
    const index = Number(wanted);
    const byIndex = Number.isSafeInteger(index) ? routes[index - 1] : undefined;
    if (byIndex !== undefined) return byIndex;
    if (typeof wanted === 'number') return undefined;
  }
  const name = String(wanted).trim();
  return routes.find((route) => route.name === name);
}
