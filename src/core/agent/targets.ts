// Where an agent may send traffic: a loopback URL, or one the user configured (the forward
// target, hooklens mcp --replay-target). Anything else is refused: an agent must not turn the
// user's captured deliveries, signed with the user's secrets, into requests to the internet.
import type { DeliveryRecord } from '../delivery';
import { parseTargetUrl } from '../forward/outbound';
import { routeByNameOrIndex, routeReplayTarget } from '../routes/replayTarget';
import { describeTarget } from '../routes/routeRules';
import type { AgentContext } from './context';
import { AgentToolError } from './results';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function sameTarget(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname && a.search === b.search;
}

/** Checks an agent-given URL; throws an AgentToolError the agent can act on. */
export function checkedTarget(raw: string, context: AgentContext): URL {
  const parsed = parseTargetUrl(raw);
  if (!parsed.ok) throw new AgentToolError('invalid-input', `target: ${parsed.error}`);
  const url = parsed.url;
  if (url.username !== '' || url.password !== '') {
    throw new AgentToolError(
      'refused-target',
      'target must not carry a user name or password. Give the URL without credentials.',
    );
  }
  const configured = [context.forwardTarget(), ...context.configuredTargets()].filter(
    (item): item is URL => item !== undefined,
  );
  if (isLoopbackUrl(url) || configured.some((item) => sameTarget(item, url))) return url;
  throw new AgentToolError(
    'refused-target',
    `${url.origin} is neither a loopback address nor a target the user configured, so HookLens does not send there. Use a loopback URL (http://127.0.0.1:PORT/path)${configured.length > 0 ? ` or the configured target ${configured.map((item) => item.href).join(', ')}` : ''}; the user can configure another target (VS Code: hooklens.forwardTo; hooklens mcp: --forward-to or --replay-target).`,
  );
}

/** The target a replay goes to: the given one (checked), else the configured forward target. */
export function replayTarget(raw: string | undefined, context: AgentContext): URL {
  if (raw !== undefined && raw.trim() !== '') return checkedTarget(raw, context);
  const forward = context.forwardTarget();
  if (forward !== undefined) return forward;
  throw new AgentToolError(
    'invalid-input',
    "No forward target is configured, so name one: pass target with the handler's loopback URL, such as http://127.0.0.1:3000/webhooks.",
  );
}

/** The words an agent uses for "where the delivery's own route sends it". */
export const ITS_ROUTE = 'its';

export interface ReplayDestination {
  readonly target: URL;
  /** The route whose target this is, recorded on the attempt; undefined for other targets. */
  readonly route?: string;
  /** How it was chosen, for the result's note: "its route stripe", "the forward target", … */
  readonly how: string;
  /** The same, for the user's confirmation (phrased there, in the editor's language). */
  readonly chosenBy: 'target' | 'route' | 'its-route' | 'its-recorded-route' | 'forward-target';
}

/**
 * Where a replay goes: `target` (checked: loopback or configured); or `route`, a configured route
 * by name or position, or "its" for the delivery's own route; with neither, its own route when it
 * has one (as Replay does in the editor and the CLI), else the configured forward target.
 */
export function replayDestination(
  input: { readonly target?: string; readonly route?: string },
  record: Pick<
    DeliveryRecord,
    'id' | 'url' | 'sender' | 'event' | 'verification' | 'headers' | 'route'
  >,
  context: AgentContext,
): ReplayDestination {
  const target = input.target?.trim() ?? '';
  const wanted = input.route?.trim() ?? '';
  if (target !== '' && wanted !== '') {
    throw new AgentToolError(
      'invalid-input',
      'Give target or route, not both: target is a URL, route names where a configured route sends it.',
    );
  }
  if (target !== '')
    return { target: checkedTarget(target, context), how: 'the target given', chosenBy: 'target' };
  const routes = context.routes?.() ?? [];
  const names = routes.map((route, index) => `${index + 1}. ${route.name}`).join('; ');
  if (wanted !== '' && wanted.toLowerCase() !== ITS_ROUTE) {
    const route = routeByNameOrIndex(routes, wanted);
    if (route === undefined) {
      throw new AgentToolError(
        'invalid-input',
        routes.length === 0
          ? `No routes are configured here, so there is no route '${wanted.slice(0, 80)}'. Leave route out (the forward target), or pass target with a loopback URL.`
          : `There is no route '${wanted.slice(0, 80)}'. The configured routes are: ${names}. Pass one's name or number, or "${ITS_ROUTE}".`,
      );
    }
    if (route.target.kind !== 'forward') {
      throw new AgentToolError(
        'invalid-input',
        `Route ${route.name} ${describeTarget(route.target)} by itself: it has no handler to replay to. Pass target with the handler's loopback URL, or another route.`,
      );
    }
    return {
      target: route.target.url,
      route: route.name,
      how: `route ${route.name}`,
      chosenBy: 'route',
    };
  }
  const own = routeReplayTarget(record, routes);
  if (own.kind === 'route') {
    return {
      target: own.target,
      route: own.route,
      how: `its route ${own.route}${own.source === 'recorded' ? ' (the route it took when it arrived)' : ''}`,
      chosenBy: own.source === 'recorded' ? 'its-recorded-route' : 'its-route',
    };
  }
  if (wanted !== '') {
    throw new AgentToolError(
      'invalid-input',
      own.kind === 'answers'
        ? `Delivery ${record.id}'s route ${own.route} ${own.description} by itself: there is no handler to replay it to. Pass target with the handler's loopback URL.`
        : `Delivery ${record.id} takes no route${routes.length > 0 ? ` (configured: ${names})` : ''}. Leave route out to replay to the forward target, or pass target.`,
    );
  }
  return {
    target: replayTarget(undefined, context),
    how: 'the forward target',
    chosenBy: 'forward-target',
  };
}
