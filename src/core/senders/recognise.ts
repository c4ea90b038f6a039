// Recognition from a parsed body and a header lookup, for callers that have no raw request (the
// simulator's templates, benchmarks): the same provider registry the receiver uses, so Watson's,
// GitHub's or a generic sender's rules live in one place (src/core/providers).
import type { Recognition } from '../providers/provider';
import { detectProvider } from '../providers/registry';
import type { RequestFacts } from '../providers/requestFacts';

export { WATSON_EVENTS } from '../providers/watson';
export type { Recognition } from '../providers/provider';

/** Where to find the event, session and id in a generic JSON webhook (RFC 6901 pointers). */
export interface GenericPointers {
  readonly event: string;
  readonly session: string;
  readonly id: string;
}

/** Fits Stripe (`type`, `id`), Standard Webhooks (`type`), and many other JSON senders. */
export const DEFAULT_GENERIC_POINTERS: GenericPointers = { event: '/type', session: '', id: '/id' };

type HeaderLookup = (name: string) => string | undefined;

export function recognise(
  body: unknown,
  header: HeaderLookup,
  pointers: GenericPointers = DEFAULT_GENERIC_POINTERS,
): Recognition {
  const facts = parsedFacts(body, header);
  const context = { pointers };
  const provider = detectProvider(facts, context);
  const recognised = provider.recognise(facts, context);
  const isDocument = (typeof body === 'object' && body !== null) || recognised.event !== null;
  const sender = provider.id === 'generic' && !isDocument ? 'unknown' : provider.id;
  return { sender, ...recognised };
}

/** Request facts for an already parsed JSON body; no raw bytes, form or query. */
function parsedFacts(body: unknown, header: HeaderLookup): RequestFacts {
  return {
    method: 'POST',
    url: '/',
    headers: [],
    body: Buffer.alloc(0),
    json: body,
    form: undefined,
    parsed: body === undefined ? { ok: false, error: 'no body' } : { ok: true, json: body },
    header: (name) => header(name.toLowerCase()) ?? header(name),
    headerValues: (name) => {
      const value = header(name.toLowerCase()) ?? header(name);
      return value === undefined ? [] : [value];
    },
    query: () => undefined,
    formField: () => undefined,
  };
}
