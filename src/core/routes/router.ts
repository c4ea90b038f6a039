// One decision per delivery: failure simulation first (it is on for a reason, and says so on every
// delivery it fails), then the routes in order (first match wins). Undefined means "as before
// routes": the catch-all forward target, or HookLens's own answer.
import type { RouteChoice } from '../delivery';
import type { Forwarder } from '../forward/forwarder';
import type { FailureSimulator } from './chosenAnswers';
import type { ChosenAnswer, Route, RouteFacts } from './routeRules';

export type RouteDecision =
  | { readonly kind: 'answer'; readonly answer: ChosenAnswer; readonly choice: RouteChoice }
  | {
      readonly kind: 'forward';
      readonly forwarder: Forwarder;
      readonly choice: RouteChoice;
    };

/** A route ready to use: a forwarding route comes with the forwarder for its target. */
export interface ActiveRoute {
  readonly route: Route;
  readonly forwarder?: Forwarder;
}

export class Router {
  constructor(
    readonly routes: readonly ActiveRoute[],
    readonly simulator: FailureSimulator | undefined,
  ) {}

  decide(facts: RouteFacts): RouteDecision | undefined {
    const failure = this.simulator?.take();
    if (failure) {
      return {
        kind: 'answer',
        answer: {
          status: failure.status,
          delayMs: 0,
          body: JSON.stringify({ error: 'simulated failure (HookLens failure simulation)' }),
          headers: [],
        },
        choice: {
          name: failure.name,
          kind: 'simulated',
          status: failure.status,
          note: failure.note,
        },
      };
    }
    for (const { route, forwarder } of this.routes) {
      if (!route.matches(facts)) continue;
      const target = route.target;
      if (target.kind === 'answer') {
        const { status, delayMs } = target.answer;
        return {
          kind: 'answer',
          answer: target.answer,
          choice: {
            name: route.name,
            kind: 'answer',
            status,
            ...(delayMs > 0 ? { delayMs } : {}),
            note: `Answered by route ${route.name}: ${status}${delayMs > 0 ? ` after ${delayMs} ms` : ''} (a chosen answer; not forwarded).`,
          },
        };
      }
      // A forwarding route without a forwarder was refused (it points at this receiver).
      if (forwarder === undefined) continue;
      return {
        kind: 'forward',
        forwarder,
        choice: { name: route.name, kind: 'forward', target: target.url.href },
      };
    }
    return undefined;
  }
}
