// IBM Watson Assistant: log webhooks (`message_logged`, `cdr_logged`) and the pre-/post-message
// webhooks, signed with an HS256 JWT in Authorization made from the webhook's Secret field.
import { stringAt } from '../senders/jsonPointer';
import { jsonAnswer, type Provider } from './provider';

export const WATSON_EVENTS = [
  'message_logged',
  'cdr_logged',
  'message_received',
  'message_processed',
] as const;

function watsonEvent(json: unknown): string | null {
  const name = stringAt(json, '/event/name');
  return name !== null && (WATSON_EVENTS as readonly string[]).includes(name) ? name : null;
}

export const watson: Provider = {
  id: 'watson',
  label: 'Watson Assistant',
  scheme: 'jwt',
  secret: {
    kind: 'chosen',
    noun: 'webhook secret',
    where: "the Secret field of the assistant's webhook settings",
  },
  detect: (request) => watsonEvent(request.json) !== null,
  recognise(request) {
    const body = request.json;
    const name = watsonEvent(body);
    const sessionId =
      stringAt(body, '/payload/session_id') ??
      stringAt(body, '/payload/context/global/session_id') ??
      stringAt(body, '/payload/global_session_id') ??
      stringAt(body, '/payload/request/context/global/session_id');
    // message_logged carries log_id; a CDR has one global_session_id per call.
    const senderEventId =
      stringAt(body, '/payload/log_id') ??
      (name === 'cdr_logged' ? stringAt(body, '/payload/global_session_id') : null);
    return { event: name, sessionId, senderEventId };
  },
  /**
   * The pre- and post-message webhooks expect the message back as `{ "payload": … }` or the
   * assistant reports an error; log webhooks ignore the answer.
   */
  answer(request, recognition) {
    const json = request.json;
    if (
      (recognition.event === 'message_received' || recognition.event === 'message_processed') &&
      typeof json === 'object' &&
      json !== null &&
      'payload' in json
    ) {
      return jsonAnswer({ payload: json.payload }, false);
    }
    return undefined;
  },
};
