// Slack: Events API (JSON), interactivity (`payload=` JSON in a form) and slash commands (a form),
// all signed `v0:{ts}:{body}`. An `event_callback`'s event is its inner `event.type`; the Events
// API's `url_verification` handshake is answered with its challenge.
import { stringAt } from '../senders/jsonPointer';
import { jsonAnswer, type Provider } from './provider';

function slackEvent(request: Parameters<Provider['recognise']>[0]): string | null {
  const json = request.json;
  const type = stringAt(json, '/type');
  if (type === 'event_callback') return stringAt(json, '/event/type') ?? type;
  if (type !== null) return type;
  const command = request.formField('command');
  return command === undefined ? null : command;
}

export const slack: Provider = {
  id: 'slack',
  label: 'Slack',
  scheme: 'slack',
  secret: {
    kind: 'issued',
    noun: 'Signing Secret',
    where: "Basic Information → App Credentials → Signing Secret, in the app's settings",
    validate: (value) =>
      /^[0-9a-f]{32}$/.test(value.trim())
        ? undefined
        : 'A Slack Signing Secret is 32 hex digits (the verification token or a bot token is not it).',
  },
  detect: (request) =>
    request.header('x-slack-signature') !== undefined ||
    (stringAt(request.json, '/type') === 'url_verification' &&
      stringAt(request.json, '/challenge') !== null &&
      stringAt(request.json, '/token') !== null),
  recognise: (request) => ({
    event: slackEvent(request),
    sessionId:
      stringAt(request.json, '/event/channel') ??
      stringAt(request.json, '/channel/id') ??
      request.formField('channel_id') ??
      null,
    senderEventId:
      stringAt(request.json, '/event_id') ??
      stringAt(request.json, '/trigger_id') ??
      request.formField('trigger_id') ??
      null,
  }),
  answer(request, recognition) {
    const challenge = stringAt(request.json, '/challenge');
    if (recognition.event === 'url_verification' && challenge !== null) {
      return jsonAnswer({ challenge }, true);
    }
    return undefined;
  },
};
