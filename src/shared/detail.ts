// What the detail panel shows for one delivery: built by the host from the stored record, posted
// to the webview as plain serialisable data. Every string here may come from the payload, so the
// webview renders all of it as text.
import type { DeliveryOverview } from './model';

/** Bodies up to this many bytes are sent whole and shown as a tree; larger ones are cut here. */
export const DEFAULT_MAX_INLINE_BODY_BYTES = 256 * 1024;

/** A response as recorded: what the receiver or the handler answered. Same shape as core's. */
export interface ResponseDetail {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Text as recorded (UTF-8, already shortened by the recorder to a display limit). */
  readonly body: string;
  readonly timeMs: number;
}

export interface RequestDetail {
  readonly method: string;
  readonly url: string;
  /** Arrival order and original case; Authorization, Proxy-Authorization and Cookie redacted. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly contentType: string | null;
  /** UTF-8 text of the body, or its base64 when the bytes are not UTF-8 (see `bodyEncoding`). */
  readonly bodyText: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** Size of the whole body in bytes, also when `bodyText` holds only its beginning. */
  readonly bodySize: number;
  /** True when `bodyText` is only the first part of the body (shown raw, no tree). */
  readonly truncated: boolean;
  /** Why the body is not JSON, or null when it parsed as JSON at capture. */
  readonly parseError: string | null;
  /**
   * An `application/x-www-form-urlencoded` body's fields in order, duplicates kept (Twilio, Slack
   * commands, GitHub's form content type); null for any other body or a truncated one.
   */
  readonly form: ReadonlyArray<readonly [string, string]> | null;
}

/** One titled table of what a scheme looked at (signature header, timestamp and its age, …). */
export interface AuthSection {
  readonly title: string;
  readonly rows: ReadonlyArray<readonly [string, string]>;
}

/** What the Auth tab says when no secret is set for the delivery's provider. */
export interface MissingSecret {
  /** "Set a GitHub webhook secret to check it." */
  readonly message: string;
  /** Where the provider shows or takes that secret, when known. */
  readonly where: string | null;
}

export interface AuthDetail {
  /** An open string (see verdicts.ts). */
  readonly verdict: string;
  readonly reason: string;
  /** Whether the request carried an Authorization header at all. */
  readonly tokenPresent: boolean;
  /** The decoded JWT protected header, when the token could be decoded. */
  readonly header?: Record<string, unknown>;
  /** The decoded JWT claims, when the token could be decoded. */
  readonly claims?: Record<string, unknown>;
  /**
   * The scheme that checked the delivery (`jwt`, `stripe`, `hub-signature`, …, or one a newer
   * HookLens wrote); null for records from before schemes were stored, which are all JWT.
   */
  readonly scheme: string | null;
  /** True when the JWT part (token, header, claims, times) applies. */
  readonly isJwt: boolean;
  /** The provider id as stored (an open string) and its label, or the id for an unknown one. */
  readonly provider: string;
  readonly providerLabel: string;
  /** The label of the configured secret that matched, never the secret. */
  readonly matchedSecret: string | null;
  /** The scheme's own details, as stored; empty when it recorded none. */
  readonly sections: readonly AuthSection[];
  /** Set when the verdict is that no secret is set for this provider. */
  readonly missingSecret: MissingSecret | null;
  /** When the delivery was checked (its receipt): ages in `sections` are as of then. */
  readonly checkedAt: string;
}

export interface AttemptDetail {
  readonly id: string;
  readonly kind: 'forward' | 'replay';
  readonly at: string;
  readonly target: string;
  readonly tokenMode: 'original' | 'fresh' | 'none';
  readonly bodyEdited: boolean;
  /** Whether the bytes sent equal the captured body; null when the attempt did not record it. */
  readonly sentBodyIdentical: boolean | null;
  readonly status: number | null;
  readonly timeMs: number | null;
  readonly error: string | null;
  readonly response: ResponseDetail | null;
  /** The route whose target this attempt went to; absent for the catch-all forward target. */
  readonly route?: string;
  /** Who replayed it (user@host), on the team store; absent for forwards and local replays. */
  readonly by?: string;
}

/** The route a delivery took, or the answer the user chose for it (routes, failure simulation). */
export interface RouteDetail {
  readonly name: string;
  readonly kind: 'forward' | 'answer' | 'simulated';
  readonly target: string | null;
  readonly status: number | null;
  readonly delayMs: number | null;
  /** One sentence for the panel. */
  readonly sentence: string;
}

export interface DeliveryDetail {
  readonly overview: DeliveryOverview;
  /** True in a panel pinned to this delivery (its toolbar has no Pin button). */
  readonly pinned: boolean;
  readonly request: RequestDetail;
  /** What the sender was answered, once it was. */
  readonly response: ResponseDetail | null;
  /** The latest forward to the developer's handler, when forwarding is on. */
  readonly forward: AttemptDetail | null;
  readonly auth: AuthDetail;
  /** Oldest first: the forward (and its retries) and every replay. */
  readonly attempts: readonly AttemptDetail[];
  /** The route it took or the answer chosen for it; absent when none applied. */
  readonly route?: RouteDetail;
  readonly senderView: SenderView | null;
  readonly duplicateOf: string | null;
  /** How many later deliveries repeat this one (the sender's retries). */
  readonly duplicateCount: number;
}

// Sender views. Values are text exactly as the payload wrote them (numbers keep their digits);
// null where the payload has no such field or it has an unusable type.

export interface WatsonIntent {
  readonly intent: string;
  readonly confidence: string | null;
  readonly skill: string | null;
}

export interface WatsonEntity {
  readonly entity: string;
  readonly value: string | null;
  readonly confidence: string | null;
  /** Character offsets in the user's text, e.g. "15–23". */
  readonly location: string | null;
}

export interface WatsonOption {
  readonly label: string;
  /** The text the option sends (`value.input.text`), when it has one. */
  readonly value: string | null;
}

export interface WatsonSearchResult {
  readonly title: string | null;
  readonly body: string | null;
  /** Shown as text, never as a link. */
  readonly url: string | null;
}

/** One item of `output.generic`, by `response_type`. */
export type WatsonReply =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'option';
      readonly title: string | null;
      readonly description: string | null;
      readonly options: readonly WatsonOption[];
    }
  | {
      readonly type: 'search';
      readonly header: string | null;
      readonly results: readonly WatsonSearchResult[];
    }
  /** Any other response type: its JSON text, shown as data. */
  | { readonly type: 'data'; readonly responseType: string | null; readonly json: string };

/** What the user said and how the assistant understood and answered it. */
export interface WatsonTurn {
  readonly userText: string | null;
  readonly messageType: string | null;
  readonly intents: readonly WatsonIntent[];
  readonly entities: readonly WatsonEntity[];
  readonly replies: readonly WatsonReply[];
}

/** `message_logged`: a whole turn (request and response) with the log's identifiers. */
export interface WatsonMessageView {
  readonly kind: 'watson-message';
  readonly logId: string | null;
  readonly sessionId: string | null;
  readonly assistantId: string | null;
  readonly skillId: string | null;
  readonly snapshot: string | null;
  readonly language: string | null;
  readonly requestTimestamp: string | null;
  readonly responseTimestamp: string | null;
  readonly turn: WatsonTurn;
}

/** `message_received` (pre-message webhook): the request it carries, before the assistant. */
export interface WatsonMessageReceivedView {
  readonly kind: 'watson-message-received';
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly turnCount: string | null;
  readonly userText: string | null;
  readonly messageType: string | null;
  readonly sourceType: string | null;
}

/** `message_processed` (post-message webhook): the response it carries, before the user. */
export interface WatsonMessageProcessedView {
  readonly kind: 'watson-message-processed';
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly turnCount: string | null;
  readonly intents: readonly WatsonIntent[];
  readonly entities: readonly WatsonEntity[];
  readonly replies: readonly WatsonReply[];
}

export interface CdrStreamStats {
  readonly averageJitter: string | null;
  readonly maximumJitter: string | null;
  readonly packetsLost: string | null;
  readonly packetsTransmitted: string | null;
  readonly canonicalName: string | null;
  readonly toolName: string | null;
}

export interface CdrTurnResponse {
  readonly type: string | null;
  readonly bargeIn: boolean | null;
  readonly responseMs: string | null;
  readonly startTimestamp: string | null;
}

export interface CdrTurn {
  /** The assistant session of the interaction summary the turn belongs to. */
  readonly sessionId: string | null;
  readonly logId: string | null;
  readonly startTimestamp: string | null;
  readonly assistantResponseMs: string | null;
  readonly requestType: string | null;
  /** Speech-to-text latency and confidence, when the request carried streaming statistics. */
  readonly requestResponseMs: string | null;
  readonly requestConfidence: string | null;
  readonly responses: readonly CdrTurnResponse[];
}

/** `cdr_logged`: one phone call. IBM's example and reference disagree on two keys; both work. */
export interface WatsonCdrView {
  readonly kind: 'watson-cdr';
  readonly globalSessionId: string | null;
  readonly primaryPhoneNumber: string | null;
  readonly fromNumber: string | null;
  readonly toNumber: string | null;
  readonly fromUri: string | null;
  readonly toUri: string | null;
  readonly sipCallId: string | null;
  readonly sipTrunkCallId: string | null;
  readonly startTimestamp: string | null;
  readonly stopTimestamp: string | null;
  readonly durationMs: string | null;
  readonly endReason: string | null;
  readonly outbound: boolean | null;
  /** `invite_arrival_timestamp` (reference) or `invite_arrival_time` (example). */
  readonly inviteArrivalTimestamp: string | null;
  readonly setupMs: string | null;
  readonly failureOccurred: boolean | null;
  readonly failureDetails: string | null;
  readonly transferOccurred: boolean | null;
  readonly activeCalls: string | null;
  readonly maxResponseMs: {
    readonly assistant: string | null;
    readonly textToSpeech: string | null;
    readonly speechToText: string | null;
  };
  /** Only when RTCP is enabled (`realtime_transport_network_summary`). */
  readonly inboundStream: CdrStreamStats | null;
  readonly outboundStream: CdrStreamStats | null;
  /** `id` (reference) or `code` (example) with the message. */
  readonly warnings: ReadonlyArray<{ readonly code: string | null; readonly message: string }>;
  /** JSON text of `injected_custom_data`, when present. */
  readonly injectedCustomData: string | null;
  readonly turns: readonly CdrTurn[];
}

export interface RapidaMessage {
  readonly role: string | null;
  readonly message: string;
  readonly time: string | null;
}

/** A Rapida delivery (`conversation.begin`, `.completed`, `.failed`): transcript and analysis. */
export interface RapidaView {
  readonly kind: 'rapida';
  readonly event: string | null;
  readonly assistantId: string | null;
  readonly assistantVersion: string | null;
  readonly conversationId: string | null;
  readonly messages: readonly RapidaMessage[];
  /** JSON text of `data.analysis`, when present. */
  readonly analysis: string | null;
}

// Provider summaries: what a delivery says, as generic blocks the webview renders without knowing
// the provider. A new provider adds a reader in core (src/core/detail/providerSummaries.ts) and no
// webview code.

/** How a field's value is shown. */
export type SummaryFormat =
  /** Plain text (wrapping as needed). */
  | 'text'
  /** An id, a hash or a code: monospace. */
  | 'code'
  /** A timestamp (ISO 8601 or anything Date.parse reads): local time, else as written. */
  | 'time'
  /** Text with its line breaks kept (a commit message, an SMS). */
  | 'multiline';

/** Fields that code reads back by name (headline.ts); a label is for reading and translated. */
export type SummaryFieldId = 'repository';

export interface SummaryField {
  readonly label: string;
  readonly value: string;
  /** `text` when absent. */
  readonly format?: SummaryFormat;
  /** Set on the few fields found by code rather than read by a person. */
  readonly id?: SummaryFieldId;
}

export interface SummaryMessage {
  /** Picks the bubble's style (a fixed list, never payload text). */
  readonly role: 'user' | 'assistant' | 'other';
  /** Who said it, as the payload names them. */
  readonly speaker: string | null;
  readonly text: string;
  readonly time: string | null;
}

export interface SummaryTimelineItem {
  readonly title: string;
  readonly time: string | null;
  /** A second line under the title. */
  readonly detail: string | null;
  readonly fields: readonly SummaryField[];
}

export type SummaryBlock =
  | {
      readonly kind: 'fields';
      readonly title: string | null;
      readonly fields: readonly SummaryField[];
    }
  | {
      readonly kind: 'transcript';
      readonly title: string | null;
      readonly messages: readonly SummaryMessage[];
    }
  | {
      readonly kind: 'timeline';
      readonly title: string | null;
      readonly items: readonly SummaryTimelineItem[];
      /** How many items the payload had, when only the first ones are listed. */
      readonly total: number | null;
    }
  /** JSON or other text shown as it is, in a scrollable block. */
  | { readonly kind: 'raw'; readonly title: string; readonly text: string }
  | { readonly kind: 'note'; readonly tone: 'info' | 'warning'; readonly text: string };

/** The codicons a summary may ask for; the webview checks, anything else gets the default. */
export const SUMMARY_ICONS = [
  'symbol-event',
  'github',
  'repo-push',
  'git-pull-request',
  'issues',
  'credit-card',
  'comment-discussion',
  'terminal',
  'device-mobile',
  'call-incoming',
  'package',
  'bell',
] as const;
export type SummaryIcon = (typeof SUMMARY_ICONS)[number];

export function isSummaryIcon(value: unknown): value is SummaryIcon {
  return typeof value === 'string' && (SUMMARY_ICONS as readonly string[]).includes(value);
}

/** A provider's delivery as a person reads it (GitHub, Stripe, Slack, Twilio, Shopify, …). */
export interface ProviderSummaryView {
  readonly kind: 'summary';
  /** The provider id, as stored. */
  readonly provider: string;
  /** The tab's label ("Push", "Payment", "Message"). */
  readonly label: string;
  readonly icon: SummaryIcon;
  /** One line on what happened ("octocat pushed 3 commits to main"). */
  readonly headline: string | null;
  readonly blocks: readonly SummaryBlock[];
}

export type SenderView =
  | ProviderSummaryView
  | WatsonMessageView
  | WatsonMessageReceivedView
  | WatsonMessageProcessedView
  | WatsonCdrView
  | RapidaView;
