// Where an agent may send traffic: a loopback URL, or one the user configured (the forward
// target, hooklens mcp --replay-target). Anything else is refused: an agent must not turn the
// user's captured deliveries, signed with the user's secrets, into requests to the internet.
import { parseTargetUrl } from '../forward/outbound';
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
