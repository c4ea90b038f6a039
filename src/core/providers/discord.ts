// Discord interactions and webhook events: Ed25519 over timestamp + body with the app's public
// key. A PING (type 1) is answered `{"type":1}`; Discord also sends deliberately bad signatures
// when the endpoint is saved and expects 401, which the reject policy gives once a key is set.
import { stringAt } from '../senders/jsonPointer';
import { discordPublicKey } from '../verify/schemes/discord';
import { jsonAnswer, type Provider } from './provider';

const INTERACTION_TYPES: Record<string, string> = {
  '1': 'PING',
  '2': 'APPLICATION_COMMAND',
  '3': 'MESSAGE_COMPONENT',
  '4': 'APPLICATION_COMMAND_AUTOCOMPLETE',
  '5': 'MODAL_SUBMIT',
};

export const discord: Provider = {
  id: 'discord',
  label: 'Discord',
  scheme: 'discord',
  secret: {
    kind: 'public-key',
    noun: 'Public Key',
    where: "General Information → Public Key, in the application's Developer Portal page",
    validate(value) {
      const key = discordPublicKey(value);
      return typeof key === 'string' ? `This ${key}.` : undefined;
    },
  },
  detect: (request) => request.header('x-signature-ed25519') !== undefined,
  recognise(request) {
    const json = request.json;
    const type = stringAt(json, '/type');
    const eventType = stringAt(json, '/event/type');
    const command = stringAt(json, '/data/name');
    const base = eventType ?? (type === null ? null : (INTERACTION_TYPES[type] ?? `type ${type}`));
    return {
      event: base !== null && command !== null && type === '2' ? `${base} /${command}` : base,
      sessionId: stringAt(json, '/guild_id') ?? stringAt(json, '/channel_id'),
      senderEventId: stringAt(json, '/id'),
    };
  },
  answer(request) {
    return stringAt(request.json, '/type') === '1' ? jsonAnswer({ type: 1 }, true) : undefined;
  },
};
