// Meta (WhatsApp Cloud API): an incoming text message, `whatsapp_business_account` / `messages`.
// Meta writes non-ASCII text as `\uXXXX` escapes, and X-Hub-Signature-256 covers those bytes.
import { pick, randomHex, type RandomSource } from '../random';
import { asciiJson, unixSeconds, type SampleDefinition, type SampleRequest } from './sample';

// The WhatsApp Business Account and its phone number: the developer's setup.
const WABA_ID = '102290129340398';
const PHONE_NUMBER_ID = '106540352242922';
const DISPLAY_NUMBER = '15550783881';

const SENDERS: readonly [
  readonly [name: string, waId: string, text: string],
  ...Array<readonly [string, string, string]>,
] = [
  ['Sheena Nelson', '16505551234', 'Hi! Is my order #1042 on its way? 🚚'],
  ['Lucía Gómez', '573001234567', '¿Tienen envíos a Bogotá?'],
  ['Kenji Watanabe', '819012345678', '注文をキャンセルできますか？'],
];

/** A message id: `wamid.` and base64 of the sender's number and a random message key. */
function wamid(waId: string, random: RandomSource): string {
  const key = randomHex(random, 20).toUpperCase();
  const raw = Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length]),
    Buffer.from(waId),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(key),
    Buffer.from([0x00]),
  ]);
  return `wamid.${raw.toString('base64')}`;
}

const whatsappMessage = (nowMs: number, random: RandomSource): SampleRequest => {
  const [name, waId, text] = pick(random, SENDERS);
  const body = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: DISPLAY_NUMBER, phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: wamid(waId, random),
                  timestamp: String(unixSeconds(nowMs) - 1),
                  text: { body: text },
                  type: 'text',
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
  return {
    headers: [
      ['Content-Type', 'application/json'],
      ['Accept', '*/*'],
      ['User-Agent', 'facebookexternalua'],
    ],
    body: asciiJson(body),
  };
};

export const META_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'meta.whatsapp.messages',
    description: 'Meta WhatsApp Cloud API: an incoming text message (X-Hub-Signature-256)',
    sender: 'meta',
    event: 'whatsapp_business_account.messages',
    path: '/webhooks/meta',
    auth: 'signed',
    build: whatsappMessage,
  },
];
