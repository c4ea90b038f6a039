// Twilio Programmable Messaging: an incoming SMS, posted as a form with Twilio's parameters in
// Twilio's order. The signature is over the public URL plus the sorted parameters (HMAC-SHA1).
import { pick, randomDigits, randomHex, randomUuid, type RandomSource } from '../random';
import type { SampleDefinition, SampleRequest } from './sample';

// The account, its messaging service and number: the developer's setup.
const ACCOUNT_SID = 'AC6b1f3e8d2c4a5b7e9f0a1b2c3d4e5f60';
const MESSAGING_SERVICE_SID = 'MG2d9e7c3b1a0f4e6d8c5b3a1f9e7d5c3b';
const TO = '+14155550100';

const BODIES: readonly [string, ...string[]] = [
  'Is my order #1042 on its way?',
  'STOP',
  'Can I move my appointment to 3pm tomorrow?',
];

const incomingMessage = (_nowMs: number, random: RandomSource): SampleRequest => {
  const sid = `SM${randomHex(random, 32)}`;
  const form = new URLSearchParams([
    ['ToCountry', 'US'],
    ['ToState', 'CA'],
    ['SmsMessageSid', sid],
    ['NumMedia', '0'],
    ['ToCity', 'SAN FRANCISCO'],
    ['FromZip', '94105'],
    ['SmsSid', sid],
    ['FromState', 'CA'],
    ['SmsStatus', 'received'],
    ['FromCity', 'SAN FRANCISCO'],
    ['Body', pick(random, BODIES)],
    ['FromCountry', 'US'],
    ['To', TO],
    ['MessagingServiceSid', MESSAGING_SERVICE_SID],
    ['ToZip', '94107'],
    ['NumSegments', '1'],
    ['MessageSid', sid],
    ['AccountSid', ACCOUNT_SID],
    ['From', `+1415555${randomDigits(random, 4)}`],
    ['ApiVersion', '2010-04-01'],
  ]);
  return {
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', '*/*'],
      ['User-Agent', 'TwilioProxy/1.1'],
      ['I-Twilio-Idempotency-Token', randomUuid(random)],
      ['X-Home-Region', 'us1'],
    ],
    body: form.toString(),
  };
};

export const TWILIO_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'twilio.message.received',
    description: 'Twilio: an incoming SMS (form body, X-Twilio-Signature over URL and params)',
    sender: 'twilio',
    event: 'message.received',
    path: '/webhooks/twilio',
    auth: 'signed',
    build: incomingMessage,
  },
];
