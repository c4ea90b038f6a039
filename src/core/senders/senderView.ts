// Reads a delivery the way its sender's own tools would show it: a Watson message turn, a phone
// call's CDR, a pre/post-message payload, a Rapida transcript, and for the other providers a
// summary made of generic blocks (../detail/providerSummaries). Payloads come from outside and
// IBM's documents disagree on some keys (webhook-senders.md §3.3), so every read is defensive:
// what exists is shown, what is missing or oddly typed becomes null, nothing throws.
import { parse } from 'lossless-json';
import { at, flag, isObject, jsonText, listOf, MAX_LIST_ITEMS, text } from '../detail/payloadRead';
import { providerSummary, type SummaryContext } from '../detail/providerSummaries';
import { jsonNestingDepth } from '../jsonDepth';
import type {
  CdrStreamStats,
  CdrTurn,
  CdrTurnResponse,
  RapidaMessage,
  RapidaView,
  SenderView,
  WatsonCdrView,
  WatsonEntity,
  WatsonIntent,
  WatsonMessageView,
  WatsonOption,
  WatsonReply,
  WatsonSearchResult,
  WatsonTurn,
} from '../../shared/detail';

/** Deeper bodies get no view: no sender nests like this, and the parsers recurse. */
const MAX_VIEW_NESTING = 512;

/** Parses body text for a sender view; numbers keep their exact text. Null when not JSON. */
export function senderViewOfText(
  bodyText: string,
  sender: string,
  event: string | null,
  context: SummaryContext = {},
): SenderView | null {
  if (jsonNestingDepth(bodyText) > MAX_VIEW_NESTING) return null;
  let body: unknown;
  try {
    body = parse(bodyText);
  } catch {
    // lossless-json refuses duplicate keys that JSON.parse accepts; a view still helps there.
    try {
      body = JSON.parse(bodyText) as unknown;
    } catch {
      return null;
    }
  }
  return senderViewOf(body, sender, event, context);
}

/**
 * The sender-specific view of a parsed body (a form's fields in `context`), or null when no view
 * applies: Watson and Rapida have views of their own, the other known providers a summary.
 */
export function senderViewOf(
  body: unknown,
  sender: string,
  event: string | null,
  context: SummaryContext = {},
): SenderView | null {
  try {
    if (sender === 'watson') {
      const name = text(at(body, 'event', 'name')) ?? event;
      const payload = at(body, 'payload');
      if (!isObject(payload)) return null;
      switch (name) {
        case 'message_logged':
          return watsonMessage(payload);
        case 'cdr_logged':
          return watsonCdr(payload);
        case 'message_received':
          return watsonMessageReceived(payload);
        case 'message_processed':
          return watsonMessageProcessed(payload);
        default:
          return null;
      }
    }
    if (sender === 'rapida') return rapida(body, event);
    return providerSummary(sender, body, event, context);
  } catch {
    // Nothing above should throw; a view is an extra, never a reason the panel fails.
    return null;
  }
}

function watsonMessage(payload: Record<string, unknown>): WatsonMessageView {
  // The v2 Log shape nests request and response; tolerate a flat {input, output, context} too.
  const request = isObject(at(payload, 'request')) ? at(payload, 'request') : payload;
  const response = isObject(at(payload, 'response')) ? at(payload, 'response') : payload;
  const output = at(response, 'output');
  const turn: WatsonTurn = {
    userText: text(at(request, 'input', 'text')),
    messageType: text(at(request, 'input', 'message_type')),
    intents: intentsOf(at(output, 'intents')),
    entities: entitiesOf(at(output, 'entities')),
    replies: repliesOf(at(output, 'generic')),
  };
  return {
    kind: 'watson-message',
    logId: text(at(payload, 'log_id')),
    sessionId:
      text(at(payload, 'session_id')) ??
      text(at(request, 'context', 'global', 'session_id')) ??
      text(at(response, 'context', 'global', 'session_id')),
    assistantId: text(at(payload, 'assistant_id')),
    skillId: text(at(payload, 'skill_id')),
    snapshot: text(at(payload, 'snapshot')),
    language: text(at(payload, 'language')),
    requestTimestamp: text(at(payload, 'request_timestamp')),
    responseTimestamp: text(at(payload, 'response_timestamp')),
    turn,
  };
}

function watsonMessageReceived(payload: Record<string, unknown>): SenderView {
  const system = at(payload, 'context', 'global', 'system');
  return {
    kind: 'watson-message-received',
    sessionId: text(at(payload, 'context', 'global', 'session_id')),
    userId: text(at(payload, 'user_id')) ?? text(at(system, 'user_id')),
    turnCount: text(at(system, 'turn_count')),
    userText: text(at(payload, 'input', 'text')),
    messageType: text(at(payload, 'input', 'message_type')),
    sourceType: text(at(payload, 'input', 'source', 'type')),
  };
}

function watsonMessageProcessed(payload: Record<string, unknown>): SenderView {
  const system = at(payload, 'context', 'global', 'system');
  const output = at(payload, 'output');
  return {
    kind: 'watson-message-processed',
    sessionId: text(at(payload, 'context', 'global', 'session_id')),
    userId: text(at(payload, 'user_id')) ?? text(at(system, 'user_id')),
    turnCount: text(at(system, 'turn_count')),
    intents: intentsOf(at(output, 'intents')),
    entities: entitiesOf(at(output, 'entities')),
    replies: repliesOf(at(output, 'generic')),
  };
}

function intentsOf(value: unknown): WatsonIntent[] {
  return listOf(value).flatMap((item) => {
    const intent = text(at(item, 'intent'));
    if (intent === null) return [];
    return [{ intent, confidence: text(at(item, 'confidence')), skill: text(at(item, 'skill')) }];
  });
}

function entitiesOf(value: unknown): WatsonEntity[] {
  return listOf(value).flatMap((item) => {
    const entity = text(at(item, 'entity'));
    if (entity === null) return [];
    const location = listOf(at(item, 'location')).map(text);
    const [from, to] = location;
    return [
      {
        entity,
        value: text(at(item, 'value')),
        confidence: text(at(item, 'confidence')),
        location:
          location.length === 2 &&
          from !== null &&
          from !== undefined &&
          to !== null &&
          to !== undefined
            ? `${from}–${to}`
            : null,
      },
    ];
  });
}

function repliesOf(value: unknown): WatsonReply[] {
  return listOf(value).map(replyOf);
}

function replyOf(item: unknown): WatsonReply {
  const responseType = text(at(item, 'response_type'));
  if (responseType === 'text') {
    const replyText = text(at(item, 'text'));
    if (replyText !== null) return { type: 'text', text: replyText };
  }
  if (responseType === 'option' && Array.isArray(at(item, 'options'))) {
    return {
      type: 'option',
      title: text(at(item, 'title')),
      description: text(at(item, 'description')),
      options: listOf(at(item, 'options')).map(optionOf),
    };
  }
  if (responseType === 'search') {
    // v2 splits results into primary and additional; older payloads have one `results` list.
    const results = [
      ...listOf(at(item, 'primary_results')),
      ...listOf(at(item, 'results')),
      ...listOf(at(item, 'additional_results')),
    ].slice(0, MAX_LIST_ITEMS);
    return {
      type: 'search',
      header: text(at(item, 'header')),
      results: results.map(searchResultOf),
    };
  }
  return { type: 'data', responseType, json: jsonText(item) ?? '' };
}

function optionOf(item: unknown): WatsonOption {
  const value = text(at(item, 'value', 'input', 'text'));
  return { label: text(at(item, 'label')) ?? value ?? '', value };
}

function searchResultOf(item: unknown): WatsonSearchResult {
  return {
    title: text(at(item, 'title')),
    body: text(at(item, 'body')),
    url: text(at(item, 'url')),
  };
}

function watsonCdr(payload: Record<string, unknown>): WatsonCdrView {
  const call = at(payload, 'call');
  const sip = at(payload, 'session_initiation_protocol');
  const fromUri = text(at(sip, 'headers', 'from_uri'));
  const toUri = text(at(sip, 'headers', 'to_uri'));
  const primaryPhoneNumber = text(at(payload, 'primary_phone_number'));
  const network = at(payload, 'realtime_transport_network_summary');
  const maxResponse = at(payload, 'max_response_milliseconds');
  const customData = at(payload, 'injected_custom_data');
  return {
    kind: 'watson-cdr',
    globalSessionId: text(at(payload, 'global_session_id')),
    primaryPhoneNumber,
    fromNumber: sipUser(fromUri),
    toNumber: sipUser(toUri) ?? primaryPhoneNumber,
    fromUri,
    toUri,
    sipCallId: text(at(sip, 'headers', 'call_id')),
    sipTrunkCallId: text(at(payload, 'x-global-sip-trunk-call-id')),
    startTimestamp: text(at(call, 'start_timestamp')),
    stopTimestamp: text(at(call, 'stop_timestamp')),
    durationMs: text(at(call, 'milliseconds_elapsed')),
    endReason: text(at(call, 'end_reason')),
    outbound: flag(at(call, 'outbound')),
    inviteArrivalTimestamp:
      text(at(sip, 'invite_arrival_timestamp')) ?? text(at(sip, 'invite_arrival_time')),
    setupMs: text(at(sip, 'setup_milliseconds')),
    failureOccurred: flag(at(payload, 'failure_occurred')),
    failureDetails: text(at(payload, 'failure_details')),
    transferOccurred: flag(at(payload, 'transfer_occurred')),
    activeCalls: text(at(payload, 'active_calls')),
    maxResponseMs: {
      assistant: text(at(maxResponse, 'assistant')),
      textToSpeech: text(at(maxResponse, 'text_to_speech')),
      speechToText: text(at(maxResponse, 'speech_to_text')),
    },
    inboundStream: streamStats(at(network, 'inbound_stream')),
    outboundStream: streamStats(at(network, 'outbound_stream')),
    warnings: listOf(at(payload, 'warnings_and_errors')).flatMap((item) => {
      const code = text(at(item, 'id')) ?? text(at(item, 'code'));
      const message = text(at(item, 'message'));
      if (code === null && message === null) return [];
      return [{ code, message: message ?? '' }];
    }),
    injectedCustomData: customData === undefined ? null : jsonText(customData),
    turns: listOf(at(payload, 'assistant_interaction_summaries'))
      .flatMap((summary) => {
        const sessionId = text(at(summary, 'session_id'));
        return listOf(at(summary, 'turns')).map((turn) => cdrTurn(turn, sessionId));
      })
      .slice(0, MAX_LIST_ITEMS),
  };
}

function cdrTurn(turn: unknown, sessionId: string | null): CdrTurn {
  const request = at(turn, 'request');
  const responses: CdrTurnResponse[] = listOf(at(turn, 'response')).map((response) => ({
    type: text(at(response, 'type')),
    bargeIn: flag(at(response, 'barge_in_occurred')),
    responseMs: text(at(response, 'streaming_statistics', 'response_milliseconds')),
    startTimestamp: text(at(response, 'streaming_statistics', 'start_timestamp')),
  }));
  return {
    sessionId,
    logId: text(at(turn, 'assistant', 'log_id')),
    startTimestamp: text(at(turn, 'assistant', 'start_timestamp')),
    assistantResponseMs: text(at(turn, 'assistant', 'response_milliseconds')),
    requestType: text(at(request, 'type')),
    requestResponseMs: text(at(request, 'streaming_statistics', 'response_milliseconds')),
    requestConfidence: text(at(request, 'streaming_statistics', 'confidence')),
    responses,
  };
}

function streamStats(stream: unknown): CdrStreamStats | null {
  if (!isObject(stream)) return null;
  return {
    averageJitter: text(at(stream, 'average_jitter')),
    maximumJitter: text(at(stream, 'maximum_jitter')),
    packetsLost: text(at(stream, 'packets_lost')),
    packetsTransmitted: text(at(stream, 'packets_transmitted')),
    canonicalName: text(at(stream, 'canonical_name')),
    toolName: text(at(stream, 'tool_name')),
  };
}

/** `sip:+18885550456@pstn.twilio.com` → `+18885550456`. */
function sipUser(uri: string | null): string | null {
  if (uri === null) return null;
  const match = /^<?sips?:([^@;>]+)[@;>]/i.exec(uri);
  return match?.[1] ?? null;
}

function rapida(body: unknown, event: string | null): RapidaView {
  const data = at(body, 'data');
  const conversation = at(data, 'conversation');
  // The default mapping nests messages under conversation; a custom mapping may lift them.
  const messages = Array.isArray(at(conversation, 'messages'))
    ? at(conversation, 'messages')
    : at(data, 'messages');
  const analysis = at(data, 'analysis');
  return {
    kind: 'rapida',
    event: text(at(body, 'event')) ?? event,
    assistantId: text(at(data, 'assistant', 'id')),
    assistantVersion: text(at(data, 'assistant', 'version')),
    conversationId: text(at(conversation, 'id')),
    messages: listOf(messages).flatMap(rapidaMessage).slice(0, MAX_LIST_ITEMS),
    analysis: analysis === undefined || analysis === null ? null : jsonText(analysis),
  };
}

function rapidaMessage(item: unknown): RapidaMessage[] {
  if (!isObject(item)) return [];
  const content = at(item, 'message') ?? at(item, 'content') ?? at(item, 'text');
  const message = text(content) ?? (content === undefined ? null : jsonText(content));
  if (message === null) return [];
  return [{ role: text(at(item, 'role')), message, time: text(at(item, 'time')) }];
}
