// Who sent a delivery, and its event, session and sender event id (webhook-senders §2–§5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognise, type GenericPointers } from '../../src/core/senders/recognise';

const noHeaders = (): undefined => undefined;
const headersOf =
  (headers: Record<string, string>) =>
  (name: string): string | undefined =>
    headers[name.toLowerCase()];

const SESSION = 'b263cb6f-0d62-4b01-a28e-1743ff54d28d';
const LOG_ID = '5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11';

/** webhook-senders §2.3, trimmed to the fields recognition reads plus some context. */
const messageLogged = {
  event: { name: 'message_logged' },
  payload: {
    log_id: LOG_ID,
    request: {
      input: { message_type: 'text', text: 'What is my checking balance?' },
      context: { global: { session_id: SESSION } },
    },
    response: {
      output: { generic: [{ response_type: 'text', text: 'Your checking balance is $1,250.00.' }] },
      context: { global: { session_id: SESSION } },
    },
    assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
    session_id: SESSION,
    skill_id: '1b7c4d52-3f0e-4a2a-8f7e-6a3c9d0e5b21',
    request_timestamp: '2025-05-14T15:03:02.511Z',
  },
};

/** webhook-senders §3.4, trimmed. */
const cdrLogged = {
  event: { name: 'cdr_logged' },
  payload: {
    primary_phone_number: '+18005550123',
    global_session_id: '9caa8bad-aaa8-4a5a-a4b5-62bccc703d15',
    failure_occurred: false,
    call: { milliseconds_elapsed: 17784, end_reason: 'assistant_hangup' },
    assistant_interaction_summaries: [
      {
        session_id: '7874ec3a-1330-4180-afe1-46bfb220af5b',
        turns: [{ assistant: { log_id: '58bebfd1-0118-419b-a555-b152a1efbbe8' } }],
      },
    ],
  },
};

/** webhook-senders §4.1 (pre-message), trimmed. */
const messageReceived = {
  event: { name: 'message_received' },
  payload: {
    input: { message_type: 'text', text: 'support' },
    context: {
      global: {
        system: { user_id: '88c38df9ea94edc55eb9467fc3fef707', turn_count: 4 },
        session_id: SESSION,
      },
    },
  },
};

/** webhook-senders §4.2 (post-message), IBM's example. */
const messageProcessed = {
  event: { name: 'message_processed' },
  options: {},
  payload: {
    output: { generic: [{ response_type: 'text', text: 'Hello. Good evening' }] },
    user_id: 'test user',
    context: { global: { system: { user_id: 'test user', turn_count: 11 }, session_id: 'sxxx' } },
  },
};

/** webhook-senders §5.2: Rapida's default body. */
const rapidaCompleted = {
  event: 'conversation.completed',
  data: {
    assistant: { id: '2157896541236547896', version: 'vrsn_2157896541236548001' },
    conversation: {
      id: '2157896541299991234',
      messages: [{ role: 'user', message: 'Hi', time: '2025-11-02T10:15:03Z' }],
    },
    analysis: { summary: { result: 'Caller booked an appointment for Tuesday.' } },
  },
};

describe('recognise: Watson', () => {
  it('message_logged: session from payload.session_id, log_id as the sender event id', () => {
    assert.deepEqual(recognise(messageLogged, noHeaders), {
      sender: 'watson',
      event: 'message_logged',
      sessionId: SESSION,
      senderEventId: LOG_ID,
    });
  });

  it('message_logged without payload.session_id: falls back to the request context', () => {
    const payload = Object.fromEntries(
      Object.entries(messageLogged.payload).filter(([key]) => key !== 'session_id'),
    );
    const recognition = recognise({ ...messageLogged, payload }, noHeaders);
    assert.equal(recognition.sessionId, SESSION);
    assert.equal(recognition.senderEventId, LOG_ID);
  });

  it('payload.context.global.session_id is used when present (pre-message shape)', () => {
    assert.deepEqual(recognise(messageReceived, noHeaders), {
      sender: 'watson',
      event: 'message_received',
      sessionId: SESSION,
      senderEventId: null,
    });
  });

  it('message_processed (post-message) is Watson with its session', () => {
    assert.deepEqual(recognise(messageProcessed, noHeaders), {
      sender: 'watson',
      event: 'message_processed',
      sessionId: 'sxxx',
      senderEventId: null,
    });
  });

  it('cdr_logged: global_session_id is both the session and the sender event id', () => {
    assert.deepEqual(recognise(cdrLogged, noHeaders), {
      sender: 'watson',
      event: 'cdr_logged',
      sessionId: '9caa8bad-aaa8-4a5a-a4b5-62bccc703d15',
      senderEventId: '9caa8bad-aaa8-4a5a-a4b5-62bccc703d15',
    });
  });

  it('an unknown event.name is not Watson; it stays a generic event name', () => {
    const recognition = recognise({ event: { name: 'something_else' }, payload: {} }, noHeaders);
    assert.equal(recognition.sender, 'generic');
    assert.equal(recognition.event, 'something_else');
  });

  it('H-13: a log_id that exists only under "__proto__" is not the sender event id', () => {
    const body = JSON.parse(
      '{"event":{"name":"message_logged"},"payload":{"__proto__":{"log_id":"evil","session_id":"evil"}}}',
    ) as unknown;
    assert.deepEqual(recognise(body, noHeaders), {
      sender: 'watson',
      event: 'message_logged',
      sessionId: null,
      senderEventId: null,
    });
  });
});

describe('recognise: Rapida', () => {
  it('conversation.completed: the conversation id is the session', () => {
    assert.deepEqual(recognise(rapidaCompleted, noHeaders), {
      sender: 'rapida',
      event: 'conversation.completed',
      sessionId: '2157896541299991234',
      senderEventId: null,
    });
  });

  it('conversation.begin without data is still Rapida (event prefix)', () => {
    assert.deepEqual(recognise({ event: 'conversation.begin' }, noHeaders), {
      sender: 'rapida',
      event: 'conversation.begin',
      sessionId: null,
      senderEventId: null,
    });
  });

  it('H-14: a conversation id sent as a JSON number past 2^53 is not trusted as a session', () => {
    const body = JSON.parse(
      '{"event":"conversation.failed","data":{"conversation":{"id":2157896541299991234}}}',
    ) as unknown;
    assert.equal(recognise(body, noHeaders).sessionId, null);
  });
});

describe('recognise: generic JSON', () => {
  it('Stripe-like {type, id}: type is the event, id the sender event id', () => {
    const body = { id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'charge.succeeded' };
    assert.deepEqual(recognise(body, noHeaders), {
      sender: 'generic',
      event: 'charge.succeeded',
      sessionId: null,
      senderEventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
    });
  });

  it('a plain string "event" that is not conversation.* is generic, not Rapida', () => {
    const recognition = recognise({ event: 'user.created', data: {} }, noHeaders);
    assert.equal(recognition.sender, 'generic');
    assert.equal(recognition.event, 'user.created');
  });

  it('Standard Webhooks: webhook-id header beats the body id', () => {
    const recognition = recognise(
      { type: 'invoice.paid', id: 'body-id' },
      headersOf({ 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' }),
    );
    assert.equal(recognition.senderEventId, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
    assert.equal(recognition.event, 'invoice.paid');
  });

  it('GitHub: x-github-delivery is the sender event id, x-github-event with the action the event', () => {
    const recognition = recognise(
      { action: 'opened', number: 7 },
      headersOf({
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'x-github-event': 'pull_request',
      }),
    );
    assert.deepEqual(recognition, {
      sender: 'github',
      event: 'pull_request.opened',
      sessionId: null,
      senderEventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    });
  });

  it('configurable pointers pick the event, session and id', () => {
    const pointers: GenericPointers = {
      event: '/meta/kind',
      session: '/meta/thread',
      id: '/meta/uid',
    };
    const body = { meta: { kind: 'ticket.updated', thread: 'th-9', uid: 123 } };
    assert.deepEqual(recognise(body, noHeaders, pointers), {
      sender: 'generic',
      event: 'ticket.updated',
      sessionId: 'th-9',
      senderEventId: '123',
    });
  });

  it('H-14: a numeric body id past 2^53 is not used as the sender event id', () => {
    const body = JSON.parse('{"type":"orders/create","id":820982911946154508}') as unknown;
    assert.equal(recognise(body, noHeaders).senderEventId, null);
  });

  it('non-JSON (undefined body) or a JSON scalar without headers is unknown', () => {
    for (const body of [undefined, 'just text', 42, null]) {
      assert.deepEqual(
        recognise(body, noHeaders),
        { sender: 'unknown', event: null, sessionId: null, senderEventId: null },
        String(body),
      );
    }
  });

  it('non-JSON with a GitHub event header is GitHub, named by the header', () => {
    const recognition = recognise(undefined, headersOf({ 'x-github-event': 'ping' }));
    assert.equal(recognition.sender, 'github');
    assert.equal(recognition.event, 'ping');
  });
});
