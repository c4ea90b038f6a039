// Builders for the detail panel's tests: stored records with a given body, and sender payloads in
// the shapes of webhook-senders.md (§2.3 message_logged, §3.4 cdr_logged, §4 pre/post, §5 Rapida).
import type { DeliveryRecord } from '../../src/core/delivery';
import type { DeliveryInput } from '../../src/core/store/types';
import { aDelivery, bodyFields } from './builders';

/** A stored record whose body is `body` (text or bytes); override any other field. */
export function aRecordWithBody(
  body: string | Uint8Array,
  overrides: Partial<DeliveryInput> = {},
): DeliveryRecord {
  return {
    ...aDelivery('d_01', {
      ...bodyFields(body),
      ...overrides,
    }),
    seq: 1,
  };
}

/** A record for a sender payload, recognised as the sender recognise.ts would. */
export function aSenderRecord(
  body: unknown,
  sender: DeliveryRecord['sender'],
  event: string | null,
  overrides: Partial<DeliveryInput> = {},
): DeliveryRecord {
  return aRecordWithBody(JSON.stringify(body), { sender, event, ...overrides });
}

export function watsonMessageLogged(): Record<string, unknown> {
  return {
    event: { name: 'message_logged' },
    payload: {
      log_id: '5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11',
      request: {
        input: {
          message_type: 'text',
          text: 'What is my checking balance?',
          options: { return_context: true },
        },
        context: {
          global: {
            system: { user_id: 'anon-8d2f4c', turn_count: 2 },
            session_id: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d',
          },
        },
        user_id: 'anon-8d2f4c',
      },
      response: {
        output: {
          intents: [{ intent: 'check_balance', confidence: 0.9412, skill: 'actions skill' }],
          entities: [
            { entity: 'account_type', location: [15, 23], value: 'checking', confidence: 1 },
          ],
          generic: [
            { response_type: 'text', text: 'Your checking balance is $1,250.00.' },
            {
              response_type: 'option',
              title: 'Anything else?',
              options: [
                { label: 'Transfer money', value: { input: { text: 'Transfer money' } } },
                { label: 'No, thanks', value: { input: { text: 'No, thanks' } } },
              ],
            },
            {
              response_type: 'search',
              header: 'I found this:',
              primary_results: [
                {
                  title: 'Fees',
                  body: 'Monthly fees are waived.',
                  url: 'https://example.com/fees',
                },
              ],
              additional_results: [{ title: 'Limits', body: 'Daily limits apply.' }],
            },
            { response_type: 'pause', time: 500, typing: true },
          ],
        },
        context: { global: { session_id: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d' } },
        user_id: 'anon-8d2f4c',
      },
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
      session_id: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d',
      skill_id: '1b7c4d52-3f0e-4a2a-8f7e-6a3c9d0e5b21',
      snapshot: 'draft',
      request_timestamp: '2025-05-14T15:03:02.511Z',
      response_timestamp: '2025-05-14T15:03:02.874Z',
      language: 'en',
    },
  };
}

/**
 * A CDR in the reference's spelling (`invite_arrival_timestamp`, warnings with `id`), or, with
 * `exampleSpelling`, in IBM's example's (`invite_arrival_time`, warnings with `code`).
 */
export function watsonCdr(exampleSpelling = false): Record<string, unknown> {
  return {
    event: { name: 'cdr_logged' },
    payload: {
      primary_phone_number: '+18005550123',
      global_session_id: '9caa8bad-aaa8-4a5a-a4b5-62bccc703d15',
      failure_occurred: false,
      transfer_occurred: true,
      active_calls: 0,
      'x-global-sip-trunk-call-id': 'CA5f0e8b2c1d4a3b2c1d0e9f8a7b6c5d4e',
      injected_custom_data: { task_completed: 'balance_check' },
      warnings_and_errors: [
        {
          [exampleSpelling ? 'code' : 'id']: 'CWSMR0033W',
          message: 'CWSMR0033W: The inbound RTP audio stream jitter of 43 ms exceeds 30 ms.',
        },
      ],
      realtime_transport_network_summary: {
        inbound_stream: {
          average_jitter: 4,
          canonical_name: 'b74f3689',
          maximum_jitter: 18,
          packets_lost: 3,
          packets_transmitted: 952,
          tool_name: '',
        },
        outbound_stream: {
          average_jitter: 0,
          canonical_name: 'voice.gateway',
          maximum_jitter: 0,
          packets_lost: 0,
          packets_transmitted: 838,
          tool_name: 'IBM Voice Gateway/1.0.7.0',
        },
      },
      call: {
        start_timestamp: '2021-10-12T20:54:02.591Z',
        stop_timestamp: '2021-10-12T20:54:20.375Z',
        milliseconds_elapsed: 17784,
        outbound: false,
        end_reason: 'assistant_hangup',
        security: { media_encrypted: false, signaling_encrypted: false, sip_authenticated: false },
      },
      session_initiation_protocol: {
        [exampleSpelling ? 'invite_arrival_time' : 'invite_arrival_timestamp']:
          '2021-10-12T20:54:00.565Z',
        setup_milliseconds: 2026,
        headers: {
          call_id: '17465345_115257202@10.90.150.99',
          from_uri: 'sip:+18885550456@pstn.twilio.com',
          to_uri: 'sip:+18005550123@public.voip.us-south.assistant.test.watson.cloud.ibm.com',
        },
      },
      max_response_milliseconds: { assistant: 339, text_to_speech: 535, speech_to_text: 0 },
      assistant_interaction_summaries: [
        {
          session_id: '7874ec3a-1330-4180-afe1-46bfb220af5b',
          assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
          turns: [
            {
              assistant: {
                log_id: '58bebfd1-0118-419b-a555-b152a1efbbe8',
                response_milliseconds: 339,
                start_timestamp: '2021-10-12T20:54:00.722Z',
              },
              request: { type: 'start' },
              response: [
                {
                  type: 'text_to_speech',
                  barge_in_occurred: true,
                  streaming_statistics: {
                    transaction_id: '3dce431c',
                    start_timestamp: '2021-10-12T20:54:00.722Z',
                    stop_timestamp: '2021-10-12T20:54:01.023Z',
                    response_milliseconds: 301,
                  },
                },
              ],
            },
            {
              assistant: { log_id: '38f36bfb', response_milliseconds: 158 },
              request: {
                type: 'speech_to_text',
                streaming_statistics: { response_milliseconds: 121, confidence: 0.87 },
              },
              response: [{ type: 'disable_speech_barge_in' }, { type: 'text_to_speech' }],
            },
            { assistant: { log_id: '07d74b35' }, request: { type: 'hangup' }, response: [] },
          ],
        },
      ],
    },
  };
}

export function watsonPreMessage(): Record<string, unknown> {
  return {
    event: { name: 'message_received' },
    payload: {
      input: {
        message_type: 'text',
        text: 'support',
        source: { type: 'user', id: '88c38df9ea94edc55eb9467fc3fef707' },
      },
      context: {
        global: {
          system: { user_id: '88c38df9', turn_count: 4 },
          session_id: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d',
        },
      },
    },
  };
}

export function watsonPostMessage(): Record<string, unknown> {
  return {
    event: { name: 'message_processed' },
    options: {},
    payload: {
      output: {
        intents: [{ intent: 'General_Greetings', confidence: 1 }],
        entities: [],
        generic: [{ response_type: 'text', text: 'Hello. Good evening' }],
      },
      user_id: 'test user',
      context: {
        global: { system: { user_id: 'test user', turn_count: 11 }, session_id: 'sxxx' },
      },
    },
  };
}

export function rapida(event: string): Record<string, unknown> {
  return {
    event,
    data: {
      assistant: { id: '2157896541236547896', version: 'vrsn_2157896541236548001' },
      conversation: {
        id: '2157896541299991234',
        messages:
          event === 'conversation.begin'
            ? []
            : [
                {
                  role: 'user',
                  message: 'Hi, I want to book an appointment',
                  time: '2025-11-02T10:15:03Z',
                },
                {
                  role: 'assistant',
                  message: 'Sure, what day works for you?',
                  time: '2025-11-02T10:15:04Z',
                },
              ],
      },
      ...(event === 'conversation.completed'
        ? { analysis: { summary: { result: 'Caller booked an appointment for Tuesday.' } } }
        : {}),
    },
  };
}
