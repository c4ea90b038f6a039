// Built-in sample events, like `stripe trigger`: for every provider HookLens knows, a request its
// sender would make, with realistic content, fresh ids and times of "now" on every build. Watson
// and Rapida samples are here (shapes from docs/webhook-senders.md §2.3, §3, §4.1, §4.2, §5.2;
// where IBM's example and reference disagree (§3.3) the reference's spelling is used); the other
// providers' are one file each in ./samples.
import type { SenderKind } from '../delivery';
import { providerById } from '../providers/registry';
import { requestFacts } from '../providers/requestFacts';
import { DEFAULT_GENERIC_POINTERS } from '../senders/recognise';
import {
  defaultRandom,
  pick,
  randomDigits,
  randomHex,
  randomInRange,
  randomUuid,
  type RandomSource,
} from './random';
import { PROVIDER_DEFAULT_HEADERS, PROVIDER_SAMPLES } from './samples';
import type { SampleDefinition, SampleRequest, TemplateAuth } from './samples/sample';

export type { TemplateAuth } from './samples/sample';
export { isSignedAuth } from './samples/sample';

/** One request, ready to sign and send. */
export interface BuiltEvent {
  /** The built-in template's name, or the user template's. */
  readonly template: string;
  readonly method: string;
  /** Path (and query) the sender would post to; used for the default target only. */
  readonly path: string;
  /** Without signature headers: signing adds them (see signEvent). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** The provider that sends it; its scheme signs it. */
  readonly sender: SenderKind;
  readonly event: string | null;
  /** The sender's own id for the event (log_id, evt_…, a delivery GUID), else its session's. */
  readonly id: string | null;
  readonly auth: TemplateAuth;
}

export interface BuildOptions {
  readonly nowMs: number;
  readonly random?: RandomSource;
}

export interface BuiltInTemplate {
  readonly name: string;
  readonly description: string;
  /** The provider id (`watson`, `github`, `standard-webhooks`, …). */
  readonly sender: string;
  readonly event: string;
  readonly path: string;
  readonly auth: TemplateAuth;
}

/** A mistake in what was asked for (unknown template, unusable template file): said plainly. */
export class SimulateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulateError';
  }
}

interface SenderDefaults {
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly auth: TemplateAuth;
}

/**
 * How a sender's requests look when only a body is known. Watson documents no User-Agent or
 * other headers for its webhooks (§1.2), so none is invented. Rapida posts with Go's HTTP client
 * and no signature (§5.2). Other providers send their usual headers and are signed their way.
 */
export function senderDefaults(sender: SenderKind): SenderDefaults {
  switch (sender) {
    case 'watson':
      return {
        path: '/webhooks/watson',
        headers: [['Content-Type', 'application/json']],
        auth: 'jwt',
      };
    case 'rapida':
      return {
        path: '/webhooks/rapida',
        headers: [
          ['Content-Type', 'application/json'],
          ['User-Agent', 'Go-http-client/1.1'],
        ],
        auth: 'none',
      };
    default: {
      const known = PROVIDER_DEFAULT_HEADERS[sender];
      if (known !== undefined && providerById(sender) !== undefined) {
        return { path: `/webhooks/${sender}`, headers: known, auth: 'signed' };
      }
      // HookLens verifies a generic delivery's JWT, so a generic JSON event is signed like Watson's.
      return {
        path: '/webhooks/generic',
        headers: [['Content-Type', 'application/json']],
        auth: 'jwt',
      };
    }
  }
}

type BodyBuilder = (nowMs: number, random: RandomSource) => Record<string, unknown>;

// Fixed ids stand for the developer's own assistant: they name configuration, not the event.
const WATSON_ASSISTANT_ID = '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e';
const WATSON_SKILL_ID = '1b7c4d52-3f0e-4a2a-8f7e-6a3c9d0e5b21';
const WATSON_PHONE_NUMBER = '+18005550123';
const RAPIDA_ASSISTANT_ID = '2157896541236547896';
const RAPIDA_ASSISTANT_VERSION = 'vrsn_2157896541236548001';

const iso = (ms: number): string => new Date(ms).toISOString();
/** Rapida's Go `time.Time` JSON in UTC at second precision, as in its logs: `…T10:15:03Z`. */
const isoSeconds = (ms: number): string => iso(ms).replace(/\.\d{3}Z$/, 'Z');

interface WatsonTurn {
  readonly text: string;
  readonly intent: string;
  readonly confidence: number;
  readonly entity?: { readonly entity: string; readonly value: string };
  readonly replies: readonly Record<string, unknown>[];
}

const TURNS: readonly [WatsonTurn, ...WatsonTurn[]] = [
  {
    text: 'What is my checking balance?',
    intent: 'check_balance',
    confidence: 0.9412,
    entity: { entity: 'account_type', value: 'checking' },
    replies: [
      { response_type: 'text', text: 'Your checking balance is $1,250.00.' },
      {
        response_type: 'option',
        title: 'Anything else?',
        options: [
          { label: 'Transfer money', value: { input: { text: 'Transfer money' } } },
          { label: 'No, thanks', value: { input: { text: 'No, thanks' } } },
        ],
      },
    ],
  },
  {
    text: 'I want to transfer money to savings',
    intent: 'transfer_funds',
    confidence: 0.8876,
    entity: { entity: 'account_type', value: 'savings' },
    replies: [{ response_type: 'text', text: 'How much would you like to move to savings?' }],
  },
  {
    text: 'Can I talk to a person?',
    intent: 'connect_to_agent',
    confidence: 0.9731,
    replies: [{ response_type: 'text', text: 'Sure. I am connecting you with an agent now.' }],
  },
];

function intentsOf(turn: WatsonTurn, withSkill: boolean): Record<string, unknown>[] {
  const intent: Record<string, unknown> = { intent: turn.intent, confidence: turn.confidence };
  if (withSkill) intent.skill = 'actions skill';
  return [intent];
}

function entitiesOf(turn: WatsonTurn): Record<string, unknown>[] {
  if (!turn.entity) return [];
  const start = turn.text.indexOf(turn.entity.value);
  return [
    {
      entity: turn.entity.entity,
      location: [start, start + turn.entity.value.length],
      value: turn.entity.value,
      confidence: 1,
    },
  ];
}

/** An opaque Watson state blob: base64 of a small JSON, as the real one looks. */
function stateBlob(random: RandomSource): string {
  return Buffer.from(JSON.stringify({ v: 2, s: randomHex(random, 24) })).toString('base64');
}

/** §2.3: a v2 Log object (request, response, ids, times) for one turn. */
const messageLogged: BodyBuilder = (nowMs, random) => {
  const turn = pick(random, TURNS);
  const sessionId = randomUuid(random);
  const userId = `anon-${randomHex(random, 6)}`;
  const turnCount = randomInRange(random, 1, 6);
  const sessionStart = iso(nowMs - turnCount * 25_000 - randomInRange(random, 2_000, 9_000));
  const requestMs = nowMs - randomInRange(random, 180, 620);
  const system = {
    user_id: userId,
    timezone: 'America/New_York',
    turn_count: turnCount,
    session_start_time: sessionStart,
  };
  return {
    event: { name: 'message_logged' },
    payload: {
      log_id: randomUuid(random),
      request: {
        input: { message_type: 'text', text: turn.text, options: { return_context: true } },
        context: { global: { system, session_id: sessionId } },
        user_id: userId,
      },
      response: {
        output: {
          intents: intentsOf(turn, true),
          entities: entitiesOf(turn),
          generic: turn.replies,
        },
        context: {
          global: {
            system: { ...system, turn_count: turnCount + 1, state: stateBlob(random) },
            session_id: sessionId,
          },
          skills: {
            'actions skill': {
              user_defined: {},
              system: { state: stateBlob(random) },
              skill_variables: turn.entity ? { [turn.entity.entity]: turn.entity.value } : {},
            },
          },
          integrations: {
            chat: { browser_info: { page_url: 'https://example.com/help', language: 'en-US' } },
          },
        },
        user_id: userId,
      },
      assistant_id: WATSON_ASSISTANT_ID,
      session_id: sessionId,
      skill_id: WATSON_SKILL_ID,
      snapshot: 'draft',
      request_timestamp: iso(requestMs),
      response_timestamp: iso(nowMs),
      language: 'en',
    },
  };
};

function streamingStatistics(
  random: RandomSource,
  startMs: number,
  stopMs: number,
  responseMs: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    transaction_id: randomUuid(random),
    start_timestamp: iso(startMs),
    stop_timestamp: iso(stopMs),
    response_milliseconds: responseMs,
    ...extra,
  };
}

/**
 * §3: one phone call of three turns (greeting, a question, goodbye and hang-up) ending now. The
 * reference's spellings: `invite_arrival_timestamp`, warnings keyed `id`; no `call.outbound`.
 */
const cdrLogged: BodyBuilder = (nowMs, random) => {
  const elapsed = randomInRange(random, 14_000, 48_000);
  const start = nowMs - elapsed;
  const setup = randomInRange(random, 1_500, 2_600);
  const invite = start - setup;
  const caller = `+1888555${randomDigits(random, 4)}`;

  const greetingAt = invite + 157;
  const greetingTts = randomInRange(random, 250, 540);
  const sttStart = start + 500;
  const sttStop = sttStart + randomInRange(random, 1_800, 3_200);
  const sttMs = randomInRange(random, 90, 260);
  const answerAt = sttStop + sttMs;
  const answerAssistant = randomInRange(random, 120, 380);
  const answerTtsStart = answerAt + answerAssistant + 400;
  const answerTts = randomInRange(random, 300, 600);
  const byeAt = nowMs - 1_500;
  const byeAssistant = randomInRange(random, 100, 300);
  const byeTts = randomInRange(random, 250, 450);
  const jitter = randomInRange(random, 8, 45);
  const packets = Math.round(elapsed / 20);

  const turns = [
    {
      assistant: {
        log_id: randomUuid(random),
        response_milliseconds: 0,
        start_timestamp: iso(greetingAt),
      },
      request: { type: 'start' },
      response: [
        {
          type: 'text_to_speech',
          barge_in_occurred: false,
          streaming_statistics: streamingStatistics(
            random,
            greetingAt,
            greetingAt + greetingTts,
            greetingTts,
          ),
        },
      ],
    },
    {
      assistant: {
        log_id: randomUuid(random),
        response_milliseconds: answerAssistant,
        start_timestamp: iso(answerAt),
      },
      request: {
        type: 'speech_to_text',
        streaming_statistics: streamingStatistics(random, sttStart, sttStop, sttMs, {
          echo_detected: false,
          confidence: randomInRange(random, 72, 98) / 100,
        }),
      },
      response: [
        { type: 'disable_speech_barge_in' },
        {
          type: 'text_to_speech',
          barge_in_occurred: false,
          streaming_statistics: streamingStatistics(
            random,
            answerTtsStart,
            answerTtsStart + 4_200,
            answerTts,
          ),
        },
        { type: 'enable_speech_barge_in' },
      ],
    },
    {
      assistant: {
        log_id: randomUuid(random),
        response_milliseconds: byeAssistant,
        start_timestamp: iso(byeAt),
      },
      request: {
        type: 'speech_to_text',
        streaming_statistics: streamingStatistics(random, byeAt - 1_900, byeAt - 120, 120, {
          echo_detected: false,
          confidence: randomInRange(random, 80, 99) / 100,
        }),
      },
      response: [
        {
          type: 'text_to_speech',
          barge_in_occurred: false,
          streaming_statistics: streamingStatistics(
            random,
            byeAt + byeAssistant,
            byeAt + byeAssistant + 1_100,
            byeTts,
          ),
        },
        { type: 'hangup' },
      ],
    },
  ];
  const payload: Record<string, unknown> = {
    primary_phone_number: WATSON_PHONE_NUMBER,
    global_session_id: randomUuid(random),
    failure_occurred: false,
    transfer_occurred: false,
    active_calls: randomInRange(random, 0, 3),
    'x-global-sip-trunk-call-id': `CA${randomHex(random, 32)}`,
    injected_custom_data: {
      task_completed: 'balance_check',
      crm_case: `000${randomDigits(random, 5)}`,
    },
    warnings_and_errors:
      jitter > 30
        ? [
            {
              id: 'CWSMR0033W',
              message: `CWSMR0033W: The inbound RTP audio stream jitter of ${jitter} ms exceeds the maximum jitter threshold of 30 ms.`,
            },
          ]
        : [],
    realtime_transport_network_summary: {
      inbound_stream: {
        average_jitter: Math.max(1, Math.round(jitter / 5)),
        canonical_name: randomUuid(random),
        maximum_jitter: jitter,
        packets_lost: randomInRange(random, 0, 3),
        packets_transmitted: packets,
        tool_name: '',
      },
      outbound_stream: {
        average_jitter: 0,
        canonical_name: 'voice.gateway',
        maximum_jitter: 0,
        packets_lost: 0,
        packets_transmitted: packets - randomInRange(random, 40, 160),
        tool_name: 'IBM Voice Gateway/1.0.7.0',
      },
    },
    call: {
      start_timestamp: iso(start),
      stop_timestamp: iso(nowMs),
      milliseconds_elapsed: elapsed,
      end_reason: 'assistant_hangup',
      security: { media_encrypted: false, signaling_encrypted: false, sip_authenticated: false },
    },
    session_initiation_protocol: {
      invite_arrival_timestamp: iso(invite),
      setup_milliseconds: setup,
      headers: {
        call_id: `${randomDigits(random, 8)}_${randomDigits(random, 9)}@10.90.150.99`,
        from_uri: `sip:${caller}@pstn.twilio.com`,
        to_uri: `sip:${WATSON_PHONE_NUMBER}@public.voip.us-south.assistant.test.watson.cloud.ibm.com`,
      },
    },
    max_response_milliseconds: {
      assistant: Math.max(answerAssistant, byeAssistant),
      text_to_speech: Math.max(greetingTts, answerTts, byeTts),
      speech_to_text: Math.max(sttMs, 120),
    },
    assistant_interaction_summaries: [
      { session_id: randomUuid(random), assistant_id: WATSON_ASSISTANT_ID, turns },
    ],
  };
  return { event: { name: 'cdr_logged' }, payload };
};

/** §4.1: the v2 /message request the assistant is about to process. */
const messageReceived: BodyBuilder = (nowMs, random) => {
  const turn = pick(random, TURNS);
  const userId = randomHex(random, 32);
  const turnCount = randomInRange(random, 1, 6);
  return {
    event: { name: 'message_received' },
    payload: {
      input: {
        message_type: 'text',
        text: turn.text,
        source: { type: 'user', id: userId },
        options: { suggestion_only: false, return_context: true },
      },
      context: {
        global: {
          system: {
            user_id: userId,
            session_start_time: iso(nowMs - turnCount * 25_000),
            turn_count: turnCount,
          },
          session_id: randomUuid(random),
        },
        skills: { 'actions skill': { user_defined: {}, system: {}, skill_variables: {} } },
      },
    },
  };
};

/** §4.2: the v2 /message response about to go back to the user. */
const messageProcessed: BodyBuilder = (nowMs, random) => {
  const turn = pick(random, TURNS);
  const userId = `anon-${randomHex(random, 6)}`;
  const turnCount = randomInRange(random, 2, 12);
  return {
    event: { name: 'message_processed' },
    options: {},
    payload: {
      output: {
        intents: intentsOf(turn, false),
        entities: entitiesOf(turn),
        generic: turn.replies,
      },
      user_id: userId,
      context: {
        global: {
          system: {
            user_id: userId,
            turn_count: turnCount,
            session_start_time: iso(nowMs - turnCount * 25_000),
          },
          session_id: randomUuid(random),
        },
        skills: { 'actions skill': { user_defined: {}, system: { state: stateBlob(random) } } },
      },
    },
  };
};

const RAPIDA_SCRIPT: ReadonlyArray<readonly [role: string, message: string]> = [
  ['user', 'Hi, I want to book an appointment'],
  ['assistant', 'Sure, what day works for you?'],
  ['user', 'Tuesday afternoon, if possible.'],
  ['assistant', 'I have 3 PM on Tuesday. Shall I book it?'],
  ['user', 'Yes, please.'],
  ['assistant', 'Done: you are booked for Tuesday at 3 PM. Goodbye!'],
];

/** The first `count` lines of the script, the last one said at `endMs`, a few seconds apart. */
function rapidaMessages(count: number, endMs: number, random: RandomSource) {
  const lines = RAPIDA_SCRIPT.slice(0, count);
  const times: number[] = [];
  let at = endMs;
  for (let index = lines.length - 1; index >= 0; index--) {
    times[index] = at;
    at -= randomInRange(random, 2_000, 6_000);
  }
  return lines.map(([role, message], index) => ({
    role,
    message,
    time: isoSeconds(times[index] ?? endMs),
  }));
}

/** §5.2: Rapida's default mapping, `{event, data: {assistant, conversation, analysis?}}`. */
function rapidaBody(
  event: string,
  messages: readonly Record<string, unknown>[],
  analysis: Record<string, unknown> | undefined,
  random: RandomSource,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    assistant: { id: RAPIDA_ASSISTANT_ID, version: RAPIDA_ASSISTANT_VERSION },
    conversation: { id: randomDigits(random, 19), messages },
  };
  // Analysis runs only once a conversation has ended normally (S18).
  if (analysis) data.analysis = analysis;
  return { event, data };
}

/** A Watson or Rapida sample: compact JSON with its sender's usual headers. */
function json(sender: 'watson' | 'rapida', build: BodyBuilder): SampleDefinition['build'] {
  return (nowMs, random): SampleRequest => ({
    headers: senderDefaults(sender).headers,
    body: JSON.stringify(build(nowMs, random)),
  });
}

const WATSON_AND_RAPIDA: readonly SampleDefinition[] = [
  {
    name: 'watson.message_logged',
    description: 'Log webhook: one conversation turn (user text, intents, entities, replies)',
    sender: 'watson',
    event: 'message_logged',
    path: '/webhooks/watson',
    auth: 'jwt',
    build: json('watson', messageLogged),
  },
  {
    name: 'watson.cdr_logged',
    description: 'Log webhook: a phone call detail record (3 turns, SIP, jitter, latencies)',
    sender: 'watson',
    event: 'cdr_logged',
    path: '/webhooks/watson',
    auth: 'jwt',
    build: json('watson', cdrLogged),
  },
  {
    name: 'watson.message_received',
    description: 'Pre-message webhook: the /message request before the assistant sees it',
    sender: 'watson',
    event: 'message_received',
    path: '/webhooks/watson',
    auth: 'jwt',
    build: json('watson', messageReceived),
  },
  {
    name: 'watson.message_processed',
    description: 'Post-message webhook: the /message response before the user gets it',
    sender: 'watson',
    event: 'message_processed',
    path: '/webhooks/watson',
    auth: 'jwt',
    build: json('watson', messageProcessed),
  },
  {
    name: 'rapida.conversation.begin',
    description: 'Rapida: a conversation started (no messages yet); unsigned, as Rapida sends',
    sender: 'rapida',
    event: 'conversation.begin',
    path: '/webhooks/rapida',
    auth: 'none',
    build: json('rapida', (_nowMs, random) =>
      rapidaBody('conversation.begin', [], undefined, random),
    ),
  },
  {
    name: 'rapida.conversation.completed',
    description: 'Rapida: a finished conversation with its transcript and analysis; unsigned',
    sender: 'rapida',
    event: 'conversation.completed',
    path: '/webhooks/rapida',
    auth: 'none',
    build: json('rapida', (nowMs, random) =>
      rapidaBody(
        'conversation.completed',
        rapidaMessages(RAPIDA_SCRIPT.length, nowMs, random),
        { summary: { result: 'Caller booked an appointment for Tuesday at 3 PM.' } },
        random,
      ),
    ),
  },
  {
    name: 'rapida.conversation.failed',
    description:
      'Rapida: a conversation that broke off (partial transcript, no analysis); unsigned',
    sender: 'rapida',
    event: 'conversation.failed',
    path: '/webhooks/rapida',
    auth: 'none',
    build: json('rapida', (nowMs, random) =>
      rapidaBody('conversation.failed', rapidaMessages(2, nowMs, random), undefined, random),
    ),
  },
];

const TEMPLATES: readonly SampleDefinition[] = [...WATSON_AND_RAPIDA, ...PROVIDER_SAMPLES];

/** The built-in templates, in the order `hooklens send --list` shows them. */
export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = TEMPLATES.map(
  ({ name, description, sender, event, path, auth }) => ({
    name,
    description,
    sender,
    event,
    path,
    auth,
  }),
);

export function findTemplate(name: string): BuiltInTemplate | undefined {
  return BUILT_IN_TEMPLATES.find((template) => template.name === name);
}

/** Builds a fresh event from a built-in template. Throws SimulateError for an unknown name. */
export function buildEvent(name: string, options: BuildOptions): BuiltEvent {
  const definition = TEMPLATES.find((template) => template.name === name);
  if (!definition) {
    throw new SimulateError(
      `There is no template called '${name.slice(0, 100)}'. Templates: ${BUILT_IN_TEMPLATES.map((template) => template.name).join(', ')}.`,
    );
  }
  if (!Number.isFinite(options.nowMs)) throw new RangeError('nowMs must be a finite number.');
  const request = definition.build(options.nowMs, options.random ?? defaultRandom);
  const body = Buffer.from(request.body, 'utf8');
  return {
    template: definition.name,
    method: 'POST',
    path: definition.path,
    headers: request.headers,
    body,
    sender: definition.sender,
    event: definition.event,
    id: eventIdOf({
      sender: definition.sender,
      path: definition.path,
      headers: request.headers,
      body,
    }),
    auth: definition.auth,
  };
}

/**
 * The id to show for an event: the sender's event id as its provider reads it (a header or the
 * body), else its session or conversation id.
 */
export function eventIdOf(request: {
  readonly sender: SenderKind;
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}): string | null {
  const provider = providerById(request.sender) ?? providerById('generic');
  if (provider === undefined) return null;
  const facts = requestFacts({
    method: 'POST',
    url: request.path,
    headers: request.headers,
    body: request.body,
  });
  const recognition = provider.recognise(facts, { pointers: DEFAULT_GENERIC_POINTERS });
  return recognition.senderEventId ?? recognition.sessionId;
}
