// Recognises who sent a delivery and pulls out the event name, session id and the sender's own
// event id, which feed the tree, the seed's columns, and duplicate detection.
import type { SenderKind } from '../delivery';
import { stringAt } from './jsonPointer';

export const WATSON_EVENTS = [
  'message_logged',
  'cdr_logged',
  'message_received',
  'message_processed',
] as const;

/** Where to find the event, session and id in a generic JSON webhook (RFC 6901 pointers). */
export interface GenericPointers {
  readonly event: string;
  readonly session: string;
  readonly id: string;
}

/** Fits Stripe (`type`, `id`), Standard Webhooks (`type`), and many other JSON senders. */
export const DEFAULT_GENERIC_POINTERS: GenericPointers = { event: '/type', session: '', id: '/id' };

export interface Recognition {
  readonly sender: SenderKind;
  readonly event: string | null;
  readonly sessionId: string | null;
  readonly senderEventId: string | null;
}

type HeaderLookup = (name: string) => string | undefined;

export function recognise(
  body: unknown,
  header: HeaderLookup,
  pointers: GenericPointers = DEFAULT_GENERIC_POINTERS,
): Recognition {
  return recogniseWatson(body) ?? recogniseRapida(body) ?? recogniseGeneric(body, header, pointers);
}

function recogniseWatson(body: unknown): Recognition | undefined {
  const name = stringAt(body, '/event/name');
  if (name === null || !(WATSON_EVENTS as readonly string[]).includes(name)) return undefined;
  const sessionId =
    stringAt(body, '/payload/session_id') ??
    stringAt(body, '/payload/context/global/session_id') ??
    stringAt(body, '/payload/global_session_id') ??
    stringAt(body, '/payload/request/context/global/session_id');
  // message_logged carries log_id; a CDR has one global_session_id per call (webhook-senders §1.7).
  const senderEventId =
    stringAt(body, '/payload/log_id') ??
    (name === 'cdr_logged' ? stringAt(body, '/payload/global_session_id') : null);
  return { sender: 'watson', event: name, sessionId, senderEventId };
}

function recogniseRapida(body: unknown): Recognition | undefined {
  const event = stringAt(body, '/event');
  if (event === null || stringAt(body, '/event/name') !== null) return undefined;
  const conversationId = stringAt(body, '/data/conversation/id');
  if (!event.startsWith('conversation.') && conversationId === null) return undefined;
  return { sender: 'rapida', event, sessionId: conversationId, senderEventId: null };
}

function recogniseGeneric(
  body: unknown,
  header: HeaderLookup,
  pointers: GenericPointers,
): Recognition {
  const isJsonObject = typeof body === 'object' && body !== null;
  const event =
    (pointers.event ? stringAt(body, pointers.event) : null) ??
    stringAt(body, '/event') ??
    stringAt(body, '/event/name') ??
    stringAt(body, '/event_type') ??
    stringAt(body, '/eventType') ??
    header('x-github-event') ??
    header('x-event-type') ??
    null;
  const sessionId = pointers.session ? stringAt(body, pointers.session) : null;
  // Standard Webhooks and GitHub put a stable delivery id in a header; prefer it when present.
  const senderEventId =
    header('webhook-id') ??
    header('svix-id') ??
    header('x-github-delivery') ??
    (pointers.id ? stringAt(body, pointers.id) : null);
  return {
    sender: isJsonObject || event !== null ? 'generic' : 'unknown',
    event,
    sessionId,
    senderEventId,
  };
}
