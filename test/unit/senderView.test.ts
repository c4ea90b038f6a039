import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { senderViewOf, senderViewOfText } from '../../src/core/senders/senderView';
import type { SenderView } from '../../src/shared/detail';
import {
  rapida,
  watsonCdr,
  watsonMessageLogged,
  watsonPostMessage,
  watsonPreMessage,
} from './detailBuilders';

function viewOf(body: unknown, sender: string, event: string | null = null): SenderView | null {
  return senderViewOfText(JSON.stringify(body), sender, event);
}

function expectKind<K extends SenderView['kind']>(
  view: SenderView | null,
  kind: K,
): Extract<SenderView, { kind: K }> {
  assert.equal(view?.kind, kind);
  return view as Extract<SenderView, { kind: K }>;
}

describe('senderViewOf: Watson message_logged', () => {
  it('reads the turn: user text, intents, entities and replies by response type', () => {
    const view = expectKind(viewOf(watsonMessageLogged(), 'watson'), 'watson-message');
    assert.equal(view.logId, '5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11');
    assert.equal(view.sessionId, 'b263cb6f-0d62-4b01-a28e-1743ff54d28d');
    assert.equal(view.assistantId, '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e');
    assert.equal(view.snapshot, 'draft');
    assert.equal(view.requestTimestamp, '2025-05-14T15:03:02.511Z');
    assert.equal(view.turn.userText, 'What is my checking balance?');
    assert.equal(view.turn.messageType, 'text');
    assert.deepEqual(view.turn.intents, [
      { intent: 'check_balance', confidence: '0.9412', skill: 'actions skill' },
    ]);
    assert.deepEqual(view.turn.entities, [
      { entity: 'account_type', value: 'checking', confidence: '1', location: '15–23' },
    ]);
    const [text, option, search, other] = view.turn.replies;
    assert.deepEqual(text, { type: 'text', text: 'Your checking balance is $1,250.00.' });
    assert.deepEqual(option, {
      type: 'option',
      title: 'Anything else?',
      description: null,
      options: [
        { label: 'Transfer money', value: 'Transfer money' },
        { label: 'No, thanks', value: 'No, thanks' },
      ],
    });
    assert.deepEqual(search, {
      type: 'search',
      header: 'I found this:',
      results: [
        { title: 'Fees', body: 'Monthly fees are waived.', url: 'https://example.com/fees' },
        { title: 'Limits', body: 'Daily limits apply.', url: null },
      ],
    });
    assert.equal(other?.type, 'data');
    assert.equal(other?.type === 'data' && other.responseType, 'pause');
    assert.match(other?.type === 'data' ? other.json : '', /"time": 500/);
  });

  it('keeps the exact text of numbers (no float rounding)', () => {
    const body = watsonMessageLogged();
    const text = JSON.stringify(body).replace('0.9412', '0.94120000000000000000001');
    const view = expectKind(senderViewOfText(text, 'watson', null), 'watson-message');
    assert.equal(view.turn.intents[0]?.confidence, '0.94120000000000000000001');
  });

  it('reads a flat payload ({input, output, context} at the top)', () => {
    const view = expectKind(
      viewOf(
        {
          event: { name: 'message_logged' },
          payload: {
            input: { text: 'hi' },
            output: { generic: [{ response_type: 'text', text: 'hello' }] },
            context: { global: { session_id: 's-flat' } },
          },
        },
        'watson',
      ),
      'watson-message',
    );
    assert.equal(view.turn.userText, 'hi');
    assert.deepEqual(view.turn.replies, [{ type: 'text', text: 'hello' }]);
    assert.equal(view.sessionId, 's-flat');
  });

  it('falls back to the recorded event name when the body has none', () => {
    const body = { payload: { request: { input: { text: 'x' } } } };
    assert.equal(viewOf(body, 'watson', 'message_logged')?.kind, 'watson-message');
  });
});

describe('senderViewOf: Watson cdr_logged', () => {
  for (const exampleSpelling of [false, true]) {
    const spelling = exampleSpelling ? "IBM's example spelling" : "the reference's spelling";
    it(`reads the call summary in ${spelling}`, () => {
      const view = expectKind(viewOf(watsonCdr(exampleSpelling), 'watson'), 'watson-cdr');
      assert.equal(view.fromNumber, '+18885550456');
      assert.equal(view.toNumber, '+18005550123');
      assert.equal(view.fromUri, 'sip:+18885550456@pstn.twilio.com');
      assert.equal(view.primaryPhoneNumber, '+18005550123');
      assert.equal(view.startTimestamp, '2021-10-12T20:54:02.591Z');
      assert.equal(view.durationMs, '17784');
      assert.equal(view.endReason, 'assistant_hangup');
      assert.equal(view.failureOccurred, false);
      assert.equal(view.transferOccurred, true);
      assert.equal(view.outbound, false);
      assert.equal(view.inviteArrivalTimestamp, '2021-10-12T20:54:00.565Z');
      assert.equal(view.setupMs, '2026');
      assert.equal(view.sipTrunkCallId, 'CA5f0e8b2c1d4a3b2c1d0e9f8a7b6c5d4e');
      assert.deepEqual(view.maxResponseMs, {
        assistant: '339',
        textToSpeech: '535',
        speechToText: '0',
      });
      assert.equal(view.inboundStream?.averageJitter, '4');
      assert.equal(view.inboundStream?.maximumJitter, '18');
      assert.equal(view.inboundStream?.packetsLost, '3');
      assert.equal(view.outboundStream?.toolName, 'IBM Voice Gateway/1.0.7.0');
      assert.deepEqual(view.warnings, [
        {
          code: 'CWSMR0033W',
          message: 'CWSMR0033W: The inbound RTP audio stream jitter of 43 ms exceeds 30 ms.',
        },
      ]);
      assert.match(view.injectedCustomData ?? '', /balance_check/);
    });
  }

  it('reads the per-turn timeline with barge-ins', () => {
    const view = expectKind(viewOf(watsonCdr(), 'watson'), 'watson-cdr');
    assert.equal(view.turns.length, 3);
    const [start, speech, hangup] = view.turns;
    assert.equal(start?.requestType, 'start');
    assert.equal(start?.sessionId, '7874ec3a-1330-4180-afe1-46bfb220af5b');
    assert.equal(start?.assistantResponseMs, '339');
    assert.deepEqual(start?.responses, [
      {
        type: 'text_to_speech',
        bargeIn: true,
        responseMs: '301',
        startTimestamp: '2021-10-12T20:54:00.722Z',
      },
    ]);
    assert.equal(speech?.requestResponseMs, '121');
    assert.equal(speech?.requestConfidence, '0.87');
    assert.deepEqual(
      speech?.responses.map((response) => [response.type, response.bargeIn]),
      [
        ['disable_speech_barge_in', null],
        ['text_to_speech', null],
      ],
    );
    // `hangup` is not in the documented request types; the type stays an open string.
    assert.equal(hangup?.requestType, 'hangup');
    assert.deepEqual(hangup?.responses, []);
  });

  it('has no network section without RTCP, and takes the called number when To is missing', () => {
    const body = watsonCdr();
    const payload = body.payload as Record<string, unknown>;
    delete payload.realtime_transport_network_summary;
    delete payload.session_initiation_protocol;
    const view = expectKind(viewOf(body, 'watson'), 'watson-cdr');
    assert.equal(view.inboundStream, null);
    assert.equal(view.outboundStream, null);
    assert.equal(view.fromNumber, null);
    assert.equal(view.toNumber, '+18005550123');
  });
});

describe('senderViewOf: pre- and post-message', () => {
  it('shows message_received as the request it carries', () => {
    const view = expectKind(viewOf(watsonPreMessage(), 'watson'), 'watson-message-received');
    assert.deepEqual(view, {
      kind: 'watson-message-received',
      sessionId: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d',
      userId: '88c38df9',
      turnCount: '4',
      userText: 'support',
      messageType: 'text',
      sourceType: 'user',
    });
  });

  it('shows message_processed as the response it carries', () => {
    const view = expectKind(viewOf(watsonPostMessage(), 'watson'), 'watson-message-processed');
    assert.deepEqual(view, {
      kind: 'watson-message-processed',
      sessionId: 'sxxx',
      userId: 'test user',
      turnCount: '11',
      intents: [{ intent: 'General_Greetings', confidence: '1', skill: null }],
      entities: [],
      replies: [{ type: 'text', text: 'Hello. Good evening' }],
    });
  });
});

describe('senderViewOf: Rapida', () => {
  it('shows a completed conversation as its transcript and analysis', () => {
    const view = expectKind(viewOf(rapida('conversation.completed'), 'rapida'), 'rapida');
    assert.equal(view.event, 'conversation.completed');
    assert.equal(view.assistantId, '2157896541236547896');
    assert.equal(view.assistantVersion, 'vrsn_2157896541236548001');
    assert.equal(view.conversationId, '2157896541299991234');
    assert.deepEqual(view.messages, [
      { role: 'user', message: 'Hi, I want to book an appointment', time: '2025-11-02T10:15:03Z' },
      { role: 'assistant', message: 'Sure, what day works for you?', time: '2025-11-02T10:15:04Z' },
    ]);
    assert.match(view.analysis ?? '', /Caller booked an appointment for Tuesday\./);
  });

  it('keeps a 19-digit id exactly (it is past 2^53)', () => {
    const text = '{"event":"conversation.begin","data":{"assistant":{"id":2157896541236547896}}}';
    const view = expectKind(senderViewOfText(text, 'rapida', null), 'rapida');
    assert.equal(view.assistantId, '2157896541236547896');
  });

  it('shows begin (no messages yet) and failed deliveries', () => {
    const begin = expectKind(viewOf(rapida('conversation.begin'), 'rapida'), 'rapida');
    assert.deepEqual(begin.messages, []);
    assert.equal(begin.analysis, null);
    const failed = expectKind(viewOf(rapida('conversation.failed'), 'rapida'), 'rapida');
    assert.equal(failed.event, 'conversation.failed');
    assert.equal(failed.messages.length, 2);
  });

  it('shows a non-text message as its JSON and skips entries that are not messages', () => {
    const body = {
      event: 'conversation.completed',
      data: {
        conversation: {
          messages: [
            { role: 'assistant', message: { parts: ['a'] } },
            'junk',
            null,
            { role: 'user' },
          ],
        },
      },
    };
    const view = expectKind(viewOf(body, 'rapida'), 'rapida');
    assert.equal(view.messages.length, 1);
    assert.match(view.messages[0]?.message ?? '', /"parts"/);
    assert.equal(view.messages[0]?.time, null);
  });
});

describe('senderViewOf: hostile and odd input gets the view that applies, and never throws', () => {
  const odd: unknown[] = [
    null,
    undefined,
    42,
    'text',
    [],
    {},
    { event: { name: 'message_logged' } },
    { event: { name: 'message_logged' }, payload: 'not an object' },
    { event: { name: 'message_logged' }, payload: [] },
    {
      event: { name: 'message_logged' },
      payload: {
        request: { input: { text: 42, message_type: {} } },
        response: {
          output: {
            intents: 'nope',
            entities: [null, 1, { entity: 5, location: 'x' }, { entity: 'e', location: [1] }],
            generic: [
              null,
              'x',
              { response_type: 'option', options: 'nope' },
              { response_type: 'search' },
              { response_type: 'text' },
            ],
          },
        },
        log_id: { nested: true },
      },
    },
    {
      event: { name: 'cdr_logged' },
      payload: {
        call: 'x',
        assistant_interaction_summaries: [
          null,
          { turns: 'x' },
          { turns: [null, { response: 'x' }] },
        ],
        warnings_and_errors: [null, {}, { message: 7 }],
        realtime_transport_network_summary: { inbound_stream: [] },
      },
    },
    { event: { name: 'message_received' }, payload: { input: null, context: [] } },
    { event: { name: 'message_processed' }, payload: { output: { generic: {} } } },
    { event: { name: 'unknown_event' }, payload: {} },
    { event: 7, data: 'x' },
    { event: 'conversation.completed', data: { conversation: { messages: 'x' } } },
    JSON.parse(
      '{"__proto__":{"polluted":true},"event":{"name":"message_logged"},"payload":{"__proto__":{"log_id":"x"}}}',
    ),
  ];

  // Which view applies, by the rules the views document: Watson by event name (the body's, else
  // the delivery's) over an object payload; Rapida always; generic and unknown senders none.
  // Every internal failure is caught (and becomes null), so the test checks the result, not
  // merely that nothing escaped: a view that broke on hostile input would be missing here.
  const WATSON_KINDS = new Map<string, SenderView['kind']>([
    ['message_logged', 'watson-message'],
    ['cdr_logged', 'watson-cdr'],
    ['message_received', 'watson-message-received'],
    ['message_processed', 'watson-message-processed'],
  ]);
  const own = (value: unknown, key: string): unknown =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.prototype.hasOwnProperty.call(value, key)
      ? (value as Record<string, unknown>)[key]
      : undefined;
  function expectedKind(body: unknown, sender: string, event: string): SenderView['kind'] | null {
    if (sender === 'rapida') return 'rapida';
    if (sender !== 'watson') return null;
    const named = own(own(body, 'event'), 'name');
    const name =
      typeof named === 'string' ? named : typeof named === 'number' ? String(named) : event;
    const payload = own(body, 'payload');
    const objectPayload =
      typeof payload === 'object' && payload !== null && !Array.isArray(payload);
    return objectPayload ? (WATSON_KINDS.get(name) ?? null) : null;
  }

  for (const sender of ['watson', 'rapida', 'generic', 'unknown']) {
    it(`gives every odd ${sender} body the view that applies to it (or none), as plain data`, () => {
      let views = 0;
      for (const body of odd) {
        for (const event of ['message_logged', 'cdr_logged']) {
          const what = `${sender} ${event} ${JSON.stringify(body) ?? String(body)}`;
          const view = senderViewOf(body, sender, event);
          assert.equal(view?.kind ?? null, expectedKind(body, sender, event), what);
          if (view === null) continue;
          views++;
          // Plain JSON data for the webview: nothing undefined, no functions, no prototypes.
          assert.deepEqual(JSON.parse(JSON.stringify(view)), view, what);
        }
      }
      if (sender === 'watson' || sender === 'rapida') assert.ok(views > 0, 'some views apply');
    });
  }

  it('renders what exists of a malformed message turn', () => {
    const view = expectKind(viewOf(odd[9], 'watson'), 'watson-message');
    assert.equal(view.turn.userText, '42');
    assert.equal(view.turn.messageType, null);
    assert.deepEqual(view.turn.intents, []);
    // A number where a name belongs is still shown (as its text); a non-list location is not.
    assert.deepEqual(view.turn.entities, [
      { entity: '5', value: null, confidence: null, location: null },
      { entity: 'e', value: null, confidence: null, location: null },
    ]);
    assert.deepEqual(
      view.turn.replies.map((reply) => reply.type),
      ['data', 'data', 'data', 'search', 'data'],
    );
    assert.equal(view.logId, null);
  });

  it('reads only own properties: a __proto__ key is data, not a prototype', () => {
    const view = expectKind(viewOf(odd.at(-1), 'watson'), 'watson-message');
    assert.equal(view.logId, null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('returns null for text that is not JSON, and still reads JSON with duplicate keys', () => {
    assert.equal(senderViewOfText('{"event":', 'watson', 'message_logged'), null);
    const duplicate = '{"event":"conversation.begin","event":"conversation.completed","data":{}}';
    assert.equal(senderViewOfText(duplicate, 'rapida', null)?.kind, 'rapida');
  });

  it('has no view for generic senders', () => {
    assert.equal(viewOf(watsonMessageLogged(), 'generic'), null);
    assert.equal(viewOf(rapida('conversation.begin'), 'watson'), null);
  });
});
