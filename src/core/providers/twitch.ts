// Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature` over message id,
// timestamp and raw body with the subscription's secret. The event is the subscription type
// (`channel.follow`) for notifications, else the message type (`webhook_callback_verification`,
// `revocation`); the id is the message id, kept on resends. A callback verification is answered
// with its challenge as plain text.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

const MESSAGE_TYPE = 'twitch-eventsub-message-type';
const VERIFICATION = 'webhook_callback_verification';

export const twitch: Provider = {
  id: 'twitch',
  label: 'Twitch',
  scheme: 'twitch',
  secret: {
    kind: 'chosen',
    noun: 'subscription secret',
    where:
      'the transport secret you sent when creating the EventSub subscription (10 to 100 characters)',
    validate(value) {
      const text = value.trim();
      if (text.length < 10 || text.length > 100) {
        return 'A Twitch EventSub secret is 10 to 100 characters long.';
      }
      return /^[\x21-\x7e]+$/.test(text)
        ? undefined
        : 'A Twitch EventSub secret is printable ASCII without spaces.';
    },
  },
  detect: (request) =>
    request.header('twitch-eventsub-message-signature') !== undefined ||
    request.header(MESSAGE_TYPE) !== undefined,
  recognise(request) {
    const json = request.json;
    const messageType = request.header(MESSAGE_TYPE)?.trim() || null;
    const subscription =
      request.header('twitch-eventsub-subscription-type')?.trim() ||
      stringAt(json, '/subscription/type');
    return {
      event: messageType === null || messageType === 'notification' ? subscription : messageType,
      sessionId:
        stringAt(json, '/event/broadcaster_user_id') ??
        stringAt(json, '/subscription/condition/broadcaster_user_id') ??
        stringAt(json, '/subscription/id'),
      senderEventId: request.header('twitch-eventsub-message-id')?.trim() || null,
    };
  },
  answer(request) {
    if (request.header(MESSAGE_TYPE)?.trim() !== VERIFICATION) return undefined;
    const challenge = stringAt(request.json, '/challenge');
    if (challenge === null) return undefined;
    return {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: challenge,
      handshake: true,
    };
  },
};
