// A delivery's headline: one short line on what it says ("“What is my balance?” → #check_balance",
// "octocat pushed 1 commit to main · octocat/hello", "payment_intent.succeeded · 12.00 USD"), so
// rows in the Deliveries view tell deliveries apart. Computed once at capture from the same
// sender views and provider summaries the detail panel shows, and stored on the record: the tree
// has summaries only, never bodies. Pure and defensive: anything odd gives null (the row then
// shows the event name).
import type { DeliveryRecord } from '../delivery';
import { parseBody } from '../receiver/bodyText';
import { senderViewOf } from '../senders/senderView';
import type { SenderView, WatsonIntent, WatsonReply } from '../../shared/detail';

/** Longest headline stored; rows cut it further to the side bar's width. */
export const MAX_HEADLINE_CHARS = 100;
/** Bodies larger than this get no headline: capture stays cheap, the panel still reads them. */
export const MAX_HEADLINE_BODY_BYTES = 256 * 1024;

type HeadlineSource = Pick<
  DeliveryRecord,
  'bodyBase64' | 'bodySize' | 'headers' | 'sender' | 'event' | 'parseError'
>;

/** The headline of a stored (or about to be stored) delivery, or null. Never throws. */
export function headlineOfRecord(record: HeadlineSource): string | null {
  try {
    if (record.parseError !== null || record.bodySize > MAX_HEADLINE_BODY_BYTES) return null;
    const bytes = Buffer.from(record.bodyBase64, 'base64');
    const contentType =
      record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? undefined;
    const parsed = parseBody(bytes, contentType);
    if (!parsed.ok) return null;
    const view = senderViewOf(parsed.json, record.sender, record.event, {
      headers: record.headers,
      form: parsed.form ?? null,
    });
    return headlineOfView(view);
  } catch {
    return null;
  }
}

/** The headline a sender view or provider summary gives, or null. */
export function headlineOfView(view: SenderView | null): string | null {
  if (view === null) return null;
  switch (view.kind) {
    case 'summary': {
      if (view.headline === null) return null;
      // "octocat pushed 1 commit to main" says what; the repository says where. Found by its id:
      // its label is in the editor's language, and capture runs in the editor too.
      const repository = view.blocks
        .flatMap((block) => (block.kind === 'fields' ? block.fields : []))
        .find((field) => field.id === 'repository')?.value;
      return shorten(
        repository === undefined || view.headline.includes(repository)
          ? view.headline
          : `${view.headline} · ${repository}`,
      );
    }
    case 'watson-message':
      return said(
        view.turn.userText,
        topIntent(view.turn.intents) ?? firstReply(view.turn.replies),
      );
    case 'watson-message-received':
      return said(view.userText, null);
    case 'watson-message-processed':
      return shorten(topIntent(view.intents) ?? firstReply(view.replies));
    case 'watson-cdr': {
      const from = view.fromNumber ?? view.fromUri;
      const to = view.toNumber ?? view.toUri ?? view.primaryPhoneNumber;
      const route = from === null && to === null ? null : `${from ?? '?'} → ${to ?? '?'}`;
      return shorten(join([route ?? 'Call', seconds(view.durationMs), view.endReason]));
    }
    case 'rapida': {
      const first = view.messages.find((message) => message.message.trim() !== '');
      return first === undefined ? null : said(first.message, null);
    }
  }
}

/** “What the user said” → #intent; either part alone when the other is missing. */
function said(text: string | null, then: string | null): string | null {
  const quoted = text === null || text.trim() === '' ? null : `“${oneLine(text)}”`;
  if (quoted === null) return shorten(then);
  return shorten(then === null ? quoted : `${quoted} → ${then}`);
}

function topIntent(intents: readonly WatsonIntent[]): string | null {
  let best: WatsonIntent | undefined;
  for (const intent of intents) {
    const confidence = Number(intent.confidence ?? 0);
    if (best === undefined || confidence > Number(best.confidence ?? 0)) best = intent;
  }
  return best === undefined ? null : `#${best.intent}`;
}

function firstReply(replies: readonly WatsonReply[]): string | null {
  for (const reply of replies) {
    if (reply.type === 'text' && reply.text.trim() !== '') return oneLine(reply.text);
  }
  return null;
}

function seconds(ms: string | null): string | null {
  const value = Number(ms);
  if (ms === null || !Number.isFinite(value) || value < 0) return null;
  return value < 60_000
    ? `${Math.round(value / 1000)} s`
    : `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1000)} s`;
}

function join(parts: ReadonlyArray<string | null>): string {
  return parts.filter((part): part is string => part !== null && part !== '').join(' · ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string | null): string | null {
  if (text === null) return null;
  const line = oneLine(text);
  if (line === '') return null;
  return line.length <= MAX_HEADLINE_CHARS ? line : `${line.slice(0, MAX_HEADLINE_CHARS - 1)}…`;
}
