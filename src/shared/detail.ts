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

export type SenderView =
  | WatsonMessageView
  | WatsonMessageReceivedView
  | WatsonMessageProcessedView
  | WatsonCdrView
  | RapidaView;
