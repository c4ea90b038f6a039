// Every official and derived test vector of Appendix A of docs/signature-schemes.md (plus the
// few more the same sources publish) for every provider HookLens supports, each run through the
// real path: the request as the provider sends it (headers, exact body bytes, URL) into
// analyserWithSecrets(...).analyse(...) at a clock matching the vector's timestamp. Each must be
// detected as its provider and verified; one flipped body byte and a wrong secret must give
// invalid_signature; a timestamped one an hour later must be expired. Then, for every scheme,
// malformed signature headers (empty, duplicated, 100 kB, wrong encoding, wrong prefix) give a
// malformed or missing verdict with a reason naming the header, and a seeded fuzz of random
// header values and bodies never throws and always gives a known verdict.
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { analyserWithSecrets, type Analysis } from '../../src/core/analysis/analyseRequest';
import type { RequestInput } from '../../src/core/providers/requestFacts';
import { requestFacts } from '../../src/core/providers/requestFacts';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { signToken } from '../../src/core/verify/sign';
import { allSchemes } from '../../src/core/verify/schemes';
import { isKnownVerdict } from '../../src/shared/verdicts';

const HOUR_MS = 3_600_000;
const PROBE_ID = 'vector-delivery';

type Headers = Array<[string, string]>;

function post(
  url: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body: string | Buffer,
): RequestInput {
  return {
    method: 'POST',
    url,
    headers,
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  };
}

function hmacHex(algorithm: string, key: string, ...parts: string[]): string {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

/** One body byte changed, keeping what detection reads: the case of the last ASCII letter. */
function flipOneByte(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  for (let index = copy.length - 1; index >= 0; index--) {
    const byte = copy[index] as number;
    if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) {
      copy[index] = byte ^ 0x20;
      return copy;
    }
  }
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
  return copy;
}

/**
 * One body byte changed in a parameter's value: the last digit. (Twilio signs the decoded form
 * parameters, so flipping the case of `%2B` to `%2b` changes no signed byte, rightly.)
 */
function flipLastDigit(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  for (let index = copy.length - 1; index >= 0; index--) {
    const byte = copy[index] as number;
    if (byte >= 0x30 && byte <= 0x39) {
      copy[index] = byte === 0x39 ? 0x30 : byte + 1;
      return copy;
    }
  }
  return flipOneByte(body);
}

interface Vector {
  readonly name: string;
  /** Where the vector comes from (Appendix A row, with its upstream source). */
  readonly source: string;
  readonly provider: string;
  /** The header the reasons must name. */
  readonly header: string;
  readonly secret: string;
  readonly wrongSecret: string;
  readonly request: RequestInput;
  readonly nowMs: number;
  /** The scheme checks a timestamp: an hour later is expired. */
  readonly timestamped: boolean;
  readonly publicBaseUrl?: string;
  /** A body change for the flipped-byte test, when the default would not change what is signed. */
  readonly flip?: (body: Buffer) => Buffer;
}

function analyse(
  vector: Vector,
  change: { secret?: string; body?: Buffer; nowMs?: number; secrets?: ConfiguredSecret[] } = {},
): Analysis {
  const secrets = change.secrets ?? [
    { provider: vector.provider, label: 'vector', value: change.secret ?? vector.secret },
  ];
  const settings =
    vector.publicBaseUrl === undefined ? {} : { publicBaseUrl: vector.publicBaseUrl };
  return analyserWithSecrets(secrets, settings).analyse(
    { ...vector.request, body: change.body ?? vector.request.body },
    change.nowMs ?? vector.nowMs,
    PROBE_ID,
  );
}

// --- Standard Webhooks (A1) -------------------------------------------------------------------

const SW_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SW_TS = '1614265330';
const SW_BODY = '{"test": 2432232314}';
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SW_SEED_AND_PUBLIC =
  '6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==';
/** The v1a public key: the last 32 bytes of the 64-byte seed‖public key, as whpk_ + base64. */
const SW_PUBLIC = `whpk_${Buffer.from(SW_SEED_AND_PUBLIC, 'base64').subarray(32).toString('base64')}`;
const RFC8032_TEST2_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';

function standardWebhooks(signature: string, prefix = 'webhook'): RequestInput {
  return post(
    '/hooks/standard',
    [
      ['Content-Type', 'application/json'],
      [`${prefix}-id`, SW_ID],
      [`${prefix}-timestamp`, SW_TS],
      [`${prefix}-signature`, signature],
    ],
    SW_BODY,
  );
}

// --- Twilio (A1, §2.7) -----------------------------------------------------------------------

function twilioForm(host: string, caller: string, signature: string): RequestInput {
  const params = new URLSearchParams([
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', caller],
    ['Digits', '1234'],
    ['From', caller],
    ['To', '+18005551212'],
  ]);
  return post(
    '/myapp.php?foo=1&bar=2',
    [
      ['Host', host],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['X-Twilio-Signature', signature],
    ],
    params.toString(),
  );
}

function twilioJson(url: string, body: string, signature: string): RequestInput {
  return post(
    url,
    [
      ['Host', 'mycompany.com'],
      ['Content-Type', 'application/json'],
      ['X-Twilio-Signature', signature],
    ],
    body,
  );
}

const TWILIO_BODY = '{"property": "value", "boolean": true}';
const TWILIO_BODY_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
const TWILIO_EMPTY_HASH = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

// --- Square (A1, §2.7) -----------------------------------------------------------------------

function square(path: string, body: string, signature: string): RequestInput {
  return post(
    path,
    [
      ['Host', 'webhook.site'],
      ['Content-Type', 'application/json'],
      ['square-environment', 'Sandbox'],
      ['x-square-hmacsha256-signature', signature],
    ],
    body,
  );
}

// --- SendGrid (A1, §2.9) ---------------------------------------------------------------------

const SENDGRID_SINGLE_BODY =
  '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]\r\n';
const SENDGRID_MULTIPLE_BODY =
  '[{"email":"invalid@gmail.com","event":"processed","send_at":0,"sg_event_id":"cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA","sg_message_id":"qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0","smtp-id":"<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>","timestamp":1619651146},\r\n' +
  '{"email":"invalid@gmail.com","event":"bounce","ip":"167.89.101.76","reason":"552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp","sg_event_id":"Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w","sg_message_id":"qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0","smtp-id":"<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>","status":"5.2.2","timestamp":1619651147,"tls":1,"type":"blocked"}]\r\n';
// The key sendgrid-nodejs's tests use for "should reject for invalid key".
const SENDGRID_OTHER_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==';

function sendgrid(timestamp: string, body: string, signature: string): RequestInput {
  return post(
    '/hooks/sendgrid',
    [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'SendGrid Event API'],
      ['X-Twilio-Email-Event-Webhook-Signature', signature],
      ['X-Twilio-Email-Event-Webhook-Timestamp', timestamp],
    ],
    body,
  );
}

const seconds = (unix: number): number => unix * 1000 + 1000;

const VECTORS: readonly Vector[] = [
  {
    name: 'Standard Webhooks v1 (HMAC)',
    source: 'A1: standard-webhooks libraries/javascript/src/webhook.test.ts; svix worker.rs',
    provider: 'standard-webhooks',
    header: 'webhook-signature',
    secret: SW_SECRET,
    wrongSecret: 'whsec_' + Buffer.from('another key of twenty-four').toString('base64'),
    request: standardWebhooks('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='),
    nowMs: seconds(Number(SW_TS)),
    timestamped: true,
  },
  {
    name: 'Standard Webhooks v1 (HMAC), secret without the whsec_ prefix',
    source: 'A1: "whsec_ prefix optional"',
    provider: 'standard-webhooks',
    header: 'webhook-signature',
    secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    wrongSecret: Buffer.from('another key of twenty-four').toString('base64'),
    request: standardWebhooks('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='),
    nowMs: seconds(Number(SW_TS)),
    timestamped: true,
  },
  {
    name: 'Standard Webhooks v1 among the multi-signature negatives (v1 wrong, v2 skipped)',
    source: 'A1/§2.1: webhook.test.ts "multi sig payload is valid"',
    provider: 'standard-webhooks',
    header: 'webhook-signature',
    secret: SW_SECRET,
    wrongSecret: 'whsec_' + Buffer.from('another key of twenty-four').toString('base64'),
    request: standardWebhooks(
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
    ),
    nowMs: seconds(Number(SW_TS)),
    timestamped: true,
  },
  {
    name: 'Svix-branded headers, same v1 vector',
    source: 'A1 + §2.1 (svix-id/-timestamp/-signature)',
    provider: 'standard-webhooks',
    header: 'svix-signature',
    secret: SW_SECRET,
    wrongSecret: 'whsec_' + Buffer.from('another key of twenty-four').toString('base64'),
    request: standardWebhooks('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 'svix'),
    nowMs: seconds(Number(SW_TS)),
    timestamped: true,
  },
  {
    name: 'Standard Webhooks v1a (Ed25519), public key derived from the seed‖pk',
    source: 'A1: svix worker.rs test_asymmetric_key_signing',
    provider: 'standard-webhooks',
    header: 'webhook-signature',
    secret: SW_PUBLIC,
    wrongSecret: `whpk_${Buffer.from(RFC8032_TEST2_PUBLIC, 'hex').toString('base64')}`,
    request: standardWebhooks(
      'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
    ),
    nowMs: seconds(Number(SW_TS)),
    timestamped: true,
  },
  {
    name: 'GitHub docs',
    source: 'A1: docs.github.com "Validating webhook deliveries"',
    provider: 'github',
    header: 'X-Hub-Signature-256',
    secret: "It's a Secret to Everybody",
    wrongSecret: "It's a secret to everybody",
    request: post(
      '/hooks/github',
      [
        ['X-GitHub-Event', 'ping'],
        ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
        [
          'X-Hub-Signature-256',
          'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        ],
      ],
      'Hello, World!',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'GitHub (octokit sign.test.ts)',
    source: 'A1: octokit/webhooks-methods test/sign.test.ts',
    provider: 'github',
    header: 'X-Hub-Signature-256',
    secret: 'mysecret',
    wrongSecret: 'mysecret2',
    request: post(
      '/hooks/github',
      [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push'],
        [
          'X-Hub-Signature-256',
          'sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3',
        ],
      ],
      '{"foo":"bar"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'GitHub (octokit, upper-case \\u001B escapes and UTF-8)',
    source: 'A1: octokit/webhooks-methods test/verify.test.ts',
    provider: 'github',
    header: 'X-Hub-Signature-256',
    secret: 'development',
    wrongSecret: 'Development',
    request: post(
      '/hooks/github',
      [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'issues'],
        [
          'X-Hub-Signature-256',
          'sha256=afecc3caa27548bb90d51a50384cb2868b9a3327b4ad6a01c9bd4ed0f8b0b12c',
        ],
      ],
      '{"foo":"Foo\\n\\u001B[34mbar: ♥♥♥♥♥♥♥♥\\nthis-is-lost\\u001B[0m\\u001B[2K"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'GitHub legacy X-Hub-Signature sha1 (octokit body)',
    source: '§2.4: SHA-1 of the octokit vector (derived)',
    provider: 'github',
    header: 'X-Hub-Signature',
    secret: 'mysecret',
    wrongSecret: 'mysecret2',
    request: post(
      '/hooks/github',
      [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push'],
        ['X-Hub-Signature', 'sha1=d03207e4b030cf234e3447bac4d93add4c6643d8'],
      ],
      '{"foo":"bar"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Slack (slash command form body)',
    source: 'A1: Slack docs "Verifying requests from Slack"',
    provider: 'slack',
    header: 'X-Slack-Signature',
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    wrongSecret: '8f742231b10e8888abcd99yyyzzz85a6',
    request: post(
      '/slack/commands',
      [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Slack-Request-Timestamp', '1531420618'],
        [
          'X-Slack-Signature',
          'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        ],
      ],
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    ),
    nowMs: seconds(1531420618),
    timestamped: true,
  },
  {
    name: 'Shopify',
    source: 'A1: Shopify/shopify-app-js webhooks/__tests__/validate.test.ts',
    provider: 'shopify',
    header: 'X-Shopify-Hmac-Sha256',
    secret: 'test_secret_key',
    wrongSecret: 'test_secret_key2',
    request: post(
      '/hooks/shopify',
      [
        ['Content-Type', 'application/json'],
        ['X-Shopify-Topic', 'orders/create'],
        ['X-Shopify-Shop-Domain', 'shop1.myshopify.io'],
        ['X-Shopify-Webhook-Id', 'b1234-eefgh'],
        ['X-Shopify-Hmac-Sha256', 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g='],
      ],
      '{"foo": "bar"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Twilio (form, twilio-node spec)',
    source: 'A1: twilio-node spec/validation.spec.js',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioForm('mycompany.com', '+14158675309', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
    flip: flipLastDigit,
  },
  {
    name: 'Twilio (form, security docs)',
    source: 'A1: Twilio security docs',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioForm('example.com', '+14158675310', 'L/OH5YylLD5NRKLltdqwSvS0BnU='),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
    flip: flipLastDigit,
  },
  {
    name: 'Twilio (JSON, bodySHA256)',
    source: 'A1: twilio-node spec/validation.spec.js',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioJson(
      `/myapp.php?foo=1&bar=2&bodySHA256=${TWILIO_BODY_HASH}`,
      TWILIO_BODY,
      'a9nBmqA0ju/hNViExpshrM61xv4=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Twilio (JSON, short URL)',
    source: '§2.7: twilio-node spec/validation.spec.js',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioJson(
      `/myapp.php?bodySHA256=${TWILIO_BODY_HASH}`,
      TWILIO_BODY,
      'y77kIzt2vzLz71DgmJGsen2scGs=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Twilio (JSON {}, signed with :443 in the URL)',
    source: 'A1: twilio-node spec/validation.spec.js',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioJson(
      `/myapp.php?foo=1&bar=2&bodySHA256=${TWILIO_EMPTY_HASH}`,
      '{}',
      'Ldidvp12m26NI7eqEvxnEpkd9Hc=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Twilio (JSON {}, signed without the port)',
    source: '§2.7 (derived counterpart of the :443 vector)',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    wrongSecret: '54321',
    request: twilioJson(
      `/myapp.php?foo=1&bar=2&bodySHA256=${TWILIO_EMPTY_HASH}`,
      '{}',
      'rw/jVviOgicj2+kHZULvebnA4ag=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Stripe (derived, pretty-printed body)',
    source: 'A2',
    provider: 'stripe',
    header: 'Stripe-Signature',
    secret: 'whsec_test_secret',
    wrongSecret: 'whsec_test_secreT',
    request: post(
      '/hooks/stripe',
      [
        ['Content-Type', 'application/json; charset=utf-8'],
        [
          'Stripe-Signature',
          't=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150',
        ],
      ],
      '{\n  "id": "evt_test_webhook",\n  "object": "event"\n}',
    ),
    nowMs: seconds(1700000000),
    timestamped: true,
  },
  {
    name: 'Discord (derived, RFC 8032 test 1 key)',
    source: 'A2',
    provider: 'discord',
    header: 'X-Signature-Ed25519',
    secret: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    wrongSecret: RFC8032_TEST2_PUBLIC,
    request: post(
      '/interactions',
      [
        ['Content-Type', 'application/json'],
        [
          'X-Signature-Ed25519',
          '1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f',
        ],
        ['X-Signature-Timestamp', '1700000000'],
      ],
      '{"type":1}',
    ),
    nowMs: seconds(1700000000),
    // Discord signs a timestamp but mandates no window, so none is applied.
    timestamped: false,
  },
  {
    name: 'Meta (derived)',
    source: 'A2',
    provider: 'meta',
    header: 'X-Hub-Signature-256',
    secret: 'app_secret',
    wrongSecret: 'app_secreT',
    request: post(
      '/hooks/meta',
      [
        ['Content-Type', 'application/json'],
        [
          'X-Hub-Signature-256',
          'sha256=22d3988d1017c437ea81a89d41e2d3266c00a508cffdb23f8ad8746d232d77e9',
        ],
      ],
      '{"object":"page","entry":[]}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Square (webhooks.test_notification)',
    source: 'A1: square-nodejs-sdk tests/integration/webhooks.test.ts',
    provider: 'square',
    header: 'x-square-hmacsha256-signature',
    secret: 'Ibxx_5AKakO-3qeNVR61Dw',
    wrongSecret: 'Ibxx_5AKakO-3qeNVR61Dx',
    request: square(
      '/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
      '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
      'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Square (signature-key, fake_id)',
    source: '§2.7: square-nodejs-sdk tests/integration/webhooks.test.ts',
    provider: 'square',
    header: 'x-square-hmacsha256-signature',
    secret: 'signature-key',
    wrongSecret: 'signature-key2',
    request: square(
      '/webhooks',
      '{"data":{"type":"webhooks","id":"fake_id"}}',
      'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Square (signature-key, >id< with characters to escape)',
    source: '§2.7: square-nodejs-sdk tests/integration/webhooks.test.ts',
    provider: 'square',
    header: 'x-square-hmacsha256-signature',
    secret: 'signature-key',
    wrongSecret: 'signature-key2',
    request: square(
      '/webhooks',
      '{"data":{"type":"webhooks","id":">id<"}}',
      'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Paddle (SDK test, array body)',
    source: 'A1: paddle-node-sdk webhooks-validator.node.test.ts',
    provider: 'paddle',
    header: 'Paddle-Signature',
    secret: 'VALID_SECRET',
    wrongSecret: 'INVALID_SECRET',
    request: post(
      '/hooks/paddle',
      [
        ['Content-Type', 'application/json'],
        [
          'Paddle-Signature',
          'ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9',
        ],
      ],
      '{"data": ["1", "2"]}',
    ),
    nowMs: seconds(1698796800),
    timestamped: true,
  },
  {
    name: 'Paddle (SDK test, two equal h1 and an h2 to ignore)',
    source: '§2.2: paddle-node-sdk "Valid signature with multiple hashes"',
    provider: 'paddle',
    header: 'Paddle-Signature',
    secret: 'VALID_SECRET',
    wrongSecret: 'INVALID_SECRET',
    request: post(
      '/hooks/paddle',
      [
        ['Content-Type', 'application/json'],
        [
          'Paddle-Signature',
          'ts=1698796800;h1=28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261;h1=28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261;h2=RANDOM_HASH',
        ],
      ],
      '{"data": "value"}',
    ),
    nowMs: seconds(1698796800),
    timestamped: true,
  },
  {
    name: 'Mux (Elixir SDK docs)',
    source: 'A1: hexdocs.pm/mux Mux.Webhooks.TestUtils',
    provider: 'mux',
    header: 'Mux-Signature',
    secret: 'SuperSecret123',
    wrongSecret: 'SuperSecret124',
    request: post(
      '/hooks/mux',
      [
        [
          'Mux-Signature',
          't=1591664030,v1=e43496b6aae982c4c2fd6f8e92935f1d90216f1f64d56024e72390acfb988272',
        ],
      ],
      'payload',
    ),
    nowMs: seconds(1591664030),
    timestamped: true,
  },
  {
    name: 'Zoom event (derived)',
    source: 'A2',
    provider: 'zoom',
    header: 'x-zm-signature',
    secret: 'zoom_secret',
    wrongSecret: 'zoom_secreT',
    request: post(
      '/hooks/zoom',
      [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['x-zm-request-timestamp', '1700000000'],
        ['x-zm-signature', 'v0=d13886e7d0cf71d67e3fba53de02a14ec5777de6fb3b269e1b14b431436b1eac'],
      ],
      '{"event":"meeting.started","payload":{}}',
    ),
    nowMs: seconds(1700000000),
    timestamped: true,
  },
  {
    name: 'Twitch EventSub (derived)',
    source: 'A2',
    provider: 'twitch',
    header: 'Twitch-Eventsub-Message-Signature',
    secret: 's3cRe7-twitch',
    wrongSecret: 's3cRe7-twitcH',
    request: post(
      '/hooks/twitch',
      [
        ['Content-Type', 'application/json'],
        ['Twitch-Eventsub-Message-Id', 'e76c6bd4-55c9-4987-8304-da1588d8988b'],
        ['Twitch-Eventsub-Message-Timestamp', '2019-11-16T10:11:12.634234626Z'],
        ['Twitch-Eventsub-Message-Type', 'notification'],
        ['Twitch-Eventsub-Subscription-Type', 'channel.follow'],
        ['Twitch-Eventsub-Subscription-Version', '1'],
        [
          'Twitch-Eventsub-Message-Signature',
          'sha256=a72242ef4a4ae32fabacd81a6da8474ba56e7640bbf2cd9cd8276c86c62953de',
        ],
      ],
      '{"subscription":{"type":"channel.follow"}}',
    ),
    nowMs: Date.parse('2019-11-16T10:11:12.634Z') + 1000,
    timestamped: true,
  },
  {
    name: 'Typeform (derived)',
    source: 'A2',
    provider: 'typeform',
    header: 'Typeform-Signature',
    secret: 'tf_secret',
    wrongSecret: 'tf_secreT',
    request: post(
      '/hooks/typeform',
      [
        ['Content-Type', 'application/json'],
        ['Typeform-Signature', 'sha256=MI6KCdkN38c2zoIHgwUoDogLCTHgQWbcM48q+U7Y7q8='],
      ],
      '{"event_id":"01","event_type":"form_response"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Intercom (derived)',
    source: 'A2',
    provider: 'intercom',
    header: 'X-Hub-Signature',
    secret: 'client_secret',
    wrongSecret: 'client_secreT',
    request: post(
      '/hooks/intercom',
      [
        ['Content-Type', 'application/json'],
        ['User-Agent', 'intercom-parrot-service-client/1.0'],
        ['X-Hub-Signature', 'sha1=4daa94eb99e53512e02105d2e6e3babbd806f19b'],
      ],
      '{"type":"notification_event"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Vercel (derived)',
    source: 'A2',
    provider: 'vercel',
    header: 'x-vercel-signature',
    secret: 'vercel_secret',
    wrongSecret: 'vercel_secreT',
    request: post(
      '/hooks/vercel',
      [
        ['Content-Type', 'application/json'],
        ['x-vercel-signature', '3e78534df5f1db61d5260d2ac44f8b60b7bb06ae'],
      ],
      '{"type":"deployment.created"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'Calendly (derived)',
    source: 'A2',
    provider: 'calendly',
    header: 'Calendly-Webhook-Signature',
    secret: 'calendly_key',
    wrongSecret: 'calendly_keY',
    request: post(
      '/hooks/calendly',
      [
        ['Content-Type', 'application/json'],
        [
          'Calendly-Webhook-Signature',
          't=1700000000,v1=3cb32bf5abcdbad9b8dbd2035eeaaa76b9db4c6d4f8623643808d584270e7256',
        ],
      ],
      '{"event":"invitee.created"}',
    ),
    nowMs: seconds(1700000000),
    timestamped: true,
  },
  {
    name: 'Linear (derived, no webhookTimestamp in the body)',
    source: 'A2',
    provider: 'linear',
    header: 'Linear-Signature',
    secret: 'lin_wh_secret',
    wrongSecret: 'lin_wh_secreT',
    request: post(
      '/hooks/linear',
      [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['Linear-Delivery', '234d1a4e-b617-4388-90fe-adc3633d6b72'],
        ['Linear-Event', 'Issue'],
        ['Linear-Signature', 'a7bba58b65016c49731160ce8b989d0ca1f59132af4325a869c25a5740179f91'],
      ],
      '{"action":"create","type":"Issue"}',
    ),
    nowMs: Date.UTC(2026, 0, 1),
    timestamped: false,
  },
  {
    name: 'SendGrid (single event, trailing CR LF)',
    source: 'A1: sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js',
    provider: 'sendgrid',
    header: 'X-Twilio-Email-Event-Webhook-Signature',
    secret:
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
    wrongSecret: SENDGRID_OTHER_KEY,
    request: sendgrid(
      '1600112502',
      SENDGRID_SINGLE_BODY,
      'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
    ),
    nowMs: seconds(1600112502),
    // SendGrid's library sets no tolerance, so none is applied.
    timestamped: false,
  },
  {
    name: 'SendGrid (two events, CR LF after each)',
    source: '§2.9: eventwebhook.spec.js PUBLIC_KEY_MULTIPLE / SIGNATURE_MULTIPLE',
    provider: 'sendgrid',
    header: 'X-Twilio-Email-Event-Webhook-Signature',
    secret:
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==',
    wrongSecret: SENDGRID_OTHER_KEY,
    request: sendgrid(
      '1619651159',
      SENDGRID_MULTIPLE_BODY,
      'MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5',
    ),
    nowMs: seconds(1619651159),
    timestamped: false,
  },
  {
    name: 'SendGrid (earlier spec: one object, no CR LF)',
    source: 'sendgrid-nodejs eventwebhook.spec.js before the multi-event change',
    provider: 'sendgrid',
    header: 'X-Twilio-Email-Event-Webhook-Signature',
    secret:
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
    wrongSecret: SENDGRID_OTHER_KEY,
    request: sendgrid(
      '1588788367',
      '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
      'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
    ),
    nowMs: seconds(1588788367),
    timestamped: false,
  },
];

function assertNamesHeader(reason: string, header: string): void {
  assert.ok(
    reason.toLowerCase().includes(header.toLowerCase()),
    `the reason names ${header}: ${reason}`,
  );
}

describe('Appendix A vectors through analyse()', () => {
  for (const vector of VECTORS) {
    describe(vector.name, () => {
      it(`is detected as ${vector.provider} and verified (${vector.source})`, () => {
        const analysis = analyse(vector);
        assert.equal(analysis.provider.id, vector.provider);
        assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
        assertNamesHeader(analysis.verification.reason, vector.header);
        assert.equal(analysis.verification.matchedSecret, 'vector');
      });

      it('one flipped body byte: invalid_signature', () => {
        const body = (vector.flip ?? flipOneByte)(vector.request.body);
        assert.notDeepEqual(body, vector.request.body);
        const analysis = analyse(vector, { body });
        assert.equal(analysis.provider.id, vector.provider);
        assert.equal(analysis.verification.verdict, 'invalid_signature');
        assertNamesHeader(analysis.verification.reason, vector.header);
      });

      it('a wrong secret: invalid_signature', () => {
        const analysis = analyse(vector, { secret: vector.wrongSecret });
        assert.equal(analysis.verification.verdict, 'invalid_signature');
        assertNamesHeader(analysis.verification.reason, vector.header);
      });

      it('the right secret among others (rotation) still verifies and names it', () => {
        const analysis = analyse(vector, {
          secrets: [
            { provider: vector.provider, label: 'old', value: vector.wrongSecret },
            { provider: vector.provider, label: 'new', value: vector.secret },
          ],
        });
        assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
        assert.equal(analysis.verification.matchedSecret, 'new');
      });

      if (vector.timestamped) {
        it('an hour later: expired', () => {
          const analysis = analyse(vector, { nowMs: vector.nowMs + HOUR_MS });
          assert.equal(analysis.verification.verdict, 'expired', analysis.verification.reason);
          assertNamesHeader(analysis.verification.reason, vector.header);
          assert.match(analysis.verification.reason, /\d+ s old, tolerance \d+ s/);
        });
      } else {
        it('no timestamp window: an hour later is still verified', () => {
          const analysis = analyse(vector, { nowMs: vector.nowMs + HOUR_MS });
          assert.equal(analysis.verification.verdict, 'verified');
        });
      }
    });
  }

  it('the v1a public key derived from the seed‖pk is the one the doc gives', () => {
    assert.equal(SW_PUBLIC, 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=');
  });

  it('GitHub: the same body with lower-case \\u001b (JSON.stringify) does not verify', () => {
    const [escapes] = VECTORS.filter((vector) => vector.name.includes('escapes'));
    assert.ok(escapes);
    const lower = Buffer.from(escapes.request.body.toString('utf8').replace(/u001B/g, 'u001b'));
    assert.equal(analyse(escapes, { body: lower }).verification.verdict, 'invalid_signature');
  });

  it('Paddle: the SDK negative "has more space" body fails with the first header', () => {
    const [paddle] = VECTORS.filter((vector) => vector.provider === 'paddle');
    assert.ok(paddle);
    const spaced = Buffer.from('{ "data": [ "1", "2" ]}');
    assert.equal(analyse(paddle, { body: spaced }).verification.verdict, 'invalid_signature');
  });

  it('Paddle: 5 s tolerance, as the SDK (6 s old is expired)', () => {
    const [paddle] = VECTORS.filter((vector) => vector.provider === 'paddle');
    assert.ok(paddle);
    assert.equal(analyse(paddle, { nowMs: 1698796805_000 }).verification.verdict, 'verified');
    assert.equal(analyse(paddle, { nowMs: 1698796806_000 }).verification.verdict, 'expired');
  });

  it('Twilio: the JSON bodySHA256 is the SHA-256 of the body (the URL carries the body)', () => {
    assert.equal(createHash('sha256').update(TWILIO_BODY).digest('hex'), TWILIO_BODY_HASH);
    assert.equal(createHash('sha256').update('{}').digest('hex'), TWILIO_EMPTY_HASH);
  });

  it('Linear: with webhookTimestamp (ms) in the body, 60 s both ways', () => {
    const timestampMs = 1700000000123;
    const body = `{"action":"create","type":"Issue","webhookTimestamp":${timestampMs}}`;
    const vector: Vector = {
      ...(VECTORS.find((candidate) => candidate.provider === 'linear') as Vector),
      request: post(
        '/hooks/linear',
        [
          ['Content-Type', 'application/json; charset=utf-8'],
          ['Linear-Signature', hmacHex('sha256', 'lin_wh_secret', body)],
        ],
        body,
      ),
      nowMs: timestampMs + 1000,
    };
    assert.equal(analyse(vector).verification.verdict, 'verified');
    assert.equal(analyse(vector, { nowMs: timestampMs + 59_000 }).verification.verdict, 'verified');
    assert.equal(analyse(vector, { nowMs: timestampMs + HOUR_MS }).verification.verdict, 'expired');
    assert.equal(
      analyse(vector, { nowMs: timestampMs - HOUR_MS }).verification.verdict,
      'not_yet_valid',
    );
    assert.equal(
      analyse(vector, { body: flipOneByte(vector.request.body) }).verification.verdict,
      'invalid_signature',
    );
  });

  it('Zoom url_validation: the handshake answer carries the A2 encryptedToken', () => {
    const body =
      '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1700000000000,"event":"endpoint.url_validation"}';
    const vector: Vector = {
      ...(VECTORS.find((candidate) => candidate.provider === 'zoom') as Vector),
      request: post(
        '/hooks/zoom',
        [
          ['Content-Type', 'application/json; charset=utf-8'],
          ['x-zm-request-timestamp', '1700000000'],
          ['x-zm-signature', `v0=${hmacHex('sha256', 'zoom_secret', 'v0:1700000000:', body)}`],
        ],
        body,
      ),
    };
    const analysis = analyse(vector);
    assert.equal(analysis.verification.verdict, 'verified');
    assert.equal(analysis.recognition.event, 'endpoint.url_validation');
    assert.ok(analysis.answer);
    assert.equal(analysis.answer.status, 200);
    assert.equal(analysis.answer.handshake, true);
    assert.match(analysis.answer.contentType, /^application\/json/);
    assert.deepEqual(JSON.parse(analysis.answer.body), {
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: '46a324cfb7c2ec760e4cd561586a53aadb6fc7561eb8d626d6ee1b71d808b3c0',
    });
  });

  it('every vector provider is one HookLens lists, and every signing provider has a vector', () => {
    const covered = new Set(VECTORS.map((vector) => vector.provider));
    for (const id of [
      'standard-webhooks',
      'github',
      'slack',
      'shopify',
      'twilio',
      'stripe',
      'discord',
      'meta',
      'square',
      'paddle',
      'mux',
      'zoom',
      'twitch',
      'typeform',
      'intercom',
      'vercel',
      'calendly',
      'linear',
      'sendgrid',
    ]) {
      assert.ok(covered.has(id), `a vector for ${id}`);
    }
  });
});

// --- Malformed signature headers, for every scheme ---------------------------------------------

interface MalformedCase {
  readonly scheme: string;
  readonly provider: string;
  /** The header the malformed values go in. */
  readonly header: string;
  readonly secret: string;
  /** Headers that make the request otherwise well formed (companions, detection). */
  readonly companions: Headers;
  /** A value well formed for the scheme (used twice for the "duplicated" case). */
  readonly plausible: string;
  /** The right digest in the wrong encoding; undefined where any text is a valid value. */
  readonly wrongEncoding?: string;
  readonly wrongPrefix?: string;
  readonly verdicts: readonly string[];
  readonly body?: string;
  readonly config?: Record<string, unknown>;
}

const HEX64 = 'ab'.repeat(32);
const HEX40 = 'ab'.repeat(20);
const B64_32 = Buffer.alloc(32, 7).toString('base64');
const B64_20 = Buffer.alloc(20, 7).toString('base64');
const SIGNATURE_VERDICTS = ['malformed_signature', 'missing_signature'];
const NOW_S = 1700000000;

const MALFORMED: readonly MalformedCase[] = [
  {
    scheme: 'stripe',
    provider: 'stripe',
    header: 'Stripe-Signature',
    secret: 'whsec_x',
    companions: [],
    plausible: `t=${NOW_S},v1=${HEX64}`,
    wrongEncoding: `t=${NOW_S},v1=${B64_32}`,
    wrongPrefix: `t=${NOW_S},v2=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'standard-webhooks',
    provider: 'standard-webhooks',
    header: 'webhook-signature',
    secret: SW_SECRET,
    companions: [
      ['webhook-id', 'msg_1'],
      ['webhook-timestamp', String(NOW_S)],
    ],
    plausible: `v1,${B64_32}`,
    wrongEncoding: `v1,${HEX64}!`,
    wrongPrefix: `v2,${B64_32}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'hub-signature',
    provider: 'github',
    header: 'X-Hub-Signature-256',
    secret: 'gh',
    companions: [['X-GitHub-Event', 'push']],
    plausible: `sha256=${HEX64}`,
    wrongEncoding: `sha256=${B64_32}`,
    wrongPrefix: `sha1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'shopify',
    provider: 'shopify',
    header: 'X-Shopify-Hmac-Sha256',
    secret: 'shpss',
    companions: [['X-Shopify-Topic', 'orders/create']],
    plausible: B64_32,
    wrongEncoding: HEX64,
    wrongPrefix: `sha256=${B64_32}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'slack',
    provider: 'slack',
    header: 'X-Slack-Signature',
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    companions: [['X-Slack-Request-Timestamp', String(NOW_S)]],
    plausible: `v0=${HEX64}`,
    wrongEncoding: `v0=${B64_32}`,
    wrongPrefix: `v1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'twilio',
    provider: 'twilio',
    header: 'X-Twilio-Signature',
    secret: '12345',
    companions: [['Host', 'example.com']],
    plausible: B64_20,
    wrongEncoding: HEX40,
    wrongPrefix: `sha1=${B64_20}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'gitlab-token',
    provider: 'gitlab',
    header: 'X-Gitlab-Token',
    secret: 'token',
    companions: [['X-Gitlab-Event', 'Push Hook']],
    plausible: 'a-token',
    // A shared token is any text: there is no encoding or prefix to get wrong.
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'discord',
    provider: 'discord',
    header: 'X-Signature-Ed25519',
    secret: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    companions: [['X-Signature-Timestamp', String(NOW_S)]],
    plausible: 'ab'.repeat(64),
    wrongEncoding: Buffer.alloc(64, 1).toString('base64'),
    wrongPrefix: `ed25519=${'ab'.repeat(64)}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'paddle',
    provider: 'paddle',
    header: 'Paddle-Signature',
    secret: 'pdl_ntfset_x',
    companions: [],
    plausible: `ts=${NOW_S};h1=${HEX64}`,
    wrongEncoding: `ts=${NOW_S};h1=${B64_32}`,
    wrongPrefix: `ts=${NOW_S};v1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'square',
    provider: 'square',
    header: 'x-square-hmacsha256-signature',
    secret: 'key',
    companions: [['Host', 'example.com']],
    plausible: B64_32,
    wrongEncoding: HEX64,
    wrongPrefix: `sha256=${B64_32}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'linear',
    provider: 'linear',
    header: 'Linear-Signature',
    secret: 'lin_wh_x',
    companions: [],
    plausible: HEX64,
    wrongEncoding: B64_32,
    wrongPrefix: `sha256=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'zoom',
    provider: 'zoom',
    header: 'x-zm-signature',
    secret: 'zoom',
    companions: [['x-zm-request-timestamp', String(NOW_S)]],
    plausible: `v0=${HEX64}`,
    wrongEncoding: `v0=${B64_32}`,
    wrongPrefix: `v1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'twitch',
    provider: 'twitch',
    header: 'Twitch-Eventsub-Message-Signature',
    secret: 'twitch-secret',
    companions: [
      ['Twitch-Eventsub-Message-Id', 'id-1'],
      ['Twitch-Eventsub-Message-Timestamp', '2023-11-14T22:13:20.123456789Z'],
    ],
    plausible: `sha256=${HEX64}`,
    wrongEncoding: `sha256=${B64_32}`,
    wrongPrefix: `sha1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'typeform',
    provider: 'typeform',
    header: 'Typeform-Signature',
    secret: 'tf',
    companions: [],
    plausible: `sha256=${B64_32}`,
    wrongEncoding: `sha256=${HEX64}`,
    wrongPrefix: `sha1=${B64_32}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'vercel',
    provider: 'vercel',
    header: 'x-vercel-signature',
    secret: 'vercel',
    companions: [],
    plausible: HEX40,
    wrongEncoding: B64_20,
    wrongPrefix: `sha1=${HEX40}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'sendgrid',
    provider: 'sendgrid',
    header: 'X-Twilio-Email-Event-Webhook-Signature',
    secret: SENDGRID_OTHER_KEY,
    companions: [['X-Twilio-Email-Event-Webhook-Timestamp', String(NOW_S)]],
    plausible:
      'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
    wrongEncoding: Buffer.from(
      'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
      'base64',
    ).toString('hex'),
    wrongPrefix:
      'ecdsa=MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'mux',
    provider: 'mux',
    header: 'Mux-Signature',
    secret: 'mux',
    companions: [],
    plausible: `t=${NOW_S},v1=${HEX64}`,
    wrongEncoding: `t=${NOW_S},v1=${B64_32}`,
    wrongPrefix: `t=${NOW_S},v0=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'calendly',
    provider: 'calendly',
    header: 'Calendly-Webhook-Signature',
    secret: 'calendly',
    companions: [],
    plausible: `t=${NOW_S},v1=${HEX64}`,
    wrongEncoding: `t=${NOW_S},v1=${B64_32}`,
    wrongPrefix: `ts=${NOW_S};h1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
  },
  {
    scheme: 'generic-hmac',
    provider: 'generic-hmac',
    header: 'X-Signature',
    secret: 'generic',
    companions: [],
    plausible: `sha256=${HEX64}`,
    wrongEncoding: `sha256=${B64_32}`,
    wrongPrefix: `sha1=${HEX64}`,
    verdicts: SIGNATURE_VERDICTS,
    config: { header: 'X-Signature', prefix: 'sha256=', algorithm: 'sha256', encoding: 'hex' },
  },
  {
    scheme: 'jwt',
    provider: 'watson',
    header: 'Authorization',
    secret: 'watson secret',
    companions: [],
    plausible: `Bearer ${signToken('watson secret', { sub: 'x' }, { nowMs: NOW_S * 1000 })}`,
    wrongEncoding: 'Bearer !!!.@@@.###',
    wrongPrefix: `Token ${signToken('watson secret', { sub: 'x' }, { nowMs: NOW_S * 1000 })}`,
    // The JWT scheme's own words for the same thing.
    verdicts: ['malformed_token', 'missing_token'],
    body: '{"event":{"name":"message_logged"},"payload":{"log_id":"x"}}',
  },
];

function malformedRequest(testCase: MalformedCase, values: readonly string[]): RequestInput {
  return post(
    '/hooks/malformed',
    [
      ['Content-Type', 'application/json'],
      ...testCase.companions,
      ...values.map((value): [string, string] => [testCase.header, value]),
    ],
    testCase.body ?? '{"type":"x","id":"1"}',
  );
}

function analyseMalformed(testCase: MalformedCase, values: readonly string[]): Analysis {
  const settings =
    testCase.config === undefined
      ? {}
      : {
          genericHmac: {
            header: 'X-Signature',
            prefix: 'sha256=',
            algorithm: 'sha256' as const,
            encoding: 'hex' as const,
            template: '{body}',
          },
        };
  const secrets: ConfiguredSecret[] = [
    {
      provider: testCase.scheme === 'jwt' ? null : testCase.provider,
      label: 'current',
      value: testCase.secret,
    },
  ];
  return analyserWithSecrets(secrets, settings).analyse(
    malformedRequest(testCase, values),
    NOW_S * 1000,
    PROBE_ID,
  );
}

describe('malformed signature headers, every scheme', () => {
  it('the table covers every registered scheme', () => {
    const listed = new Set(MALFORMED.map((testCase) => testCase.scheme));
    for (const scheme of allSchemes()) assert.ok(listed.has(scheme.id), `a case for ${scheme.id}`);
  });

  for (const testCase of MALFORMED) {
    const variants: Array<[string, readonly string[]]> = [
      ['empty', ['']],
      ['blank', ['   ']],
      ['duplicated', [testCase.plausible, testCase.plausible]],
      ['100 kB long', ['a'.repeat(100_000)]],
    ];
    if (testCase.wrongEncoding !== undefined) {
      variants.push(['wrong encoding', [testCase.wrongEncoding]]);
    }
    if (testCase.wrongPrefix !== undefined) variants.push(['wrong prefix', [testCase.wrongPrefix]]);
    for (const [label, values] of variants) {
      it(`${testCase.scheme}: ${label} → ${testCase.verdicts.join(' or ')}, with a reason`, () => {
        const analysis = analyseMalformed(testCase, values);
        assert.equal(analysis.provider.id, testCase.provider);
        assert.equal(analysis.provider.scheme, testCase.scheme);
        const { verdict, reason } = analysis.verification;
        assert.ok(testCase.verdicts.includes(verdict), `${verdict}: ${reason}`);
        assert.ok(reason.length > 0);
        assert.doesNotMatch(reason, /could not be checked\.$/, 'the catch-all was reached');
        if (testCase.scheme !== 'jwt') assertNamesHeader(reason, testCase.header);
      });
    }
  }
});

// --- Seeded fuzz, every scheme ------------------------------------------------------------------

/** mulberry32, as in verifyFuzz.test.ts: a failure reproduces exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUZZ_CASES_PER_SCHEME = 500;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_';
const HOSTILE = [',', ';', '=', ' ', '\t', '.', ':', 'é', '\u202e', '\ud800', '"', '\0', '\n'];
const PREFIXES = ['', 't=', 'v1=', 'v0=', 'ts=', 'h1=', 'sha256=', 'sha1=', 'v1,', 'v1a,'];
const { privateKey: FUZZ_SIGNER, publicKey: FUZZ_P256 } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
});
const FUZZ_P256_B64 = FUZZ_P256.export({ format: 'der', type: 'spki' }).toString('base64');

type Fuzz = ReturnType<typeof fuzzer>;

function fuzzer(random: () => number) {
  const int = (below: number): number => Math.floor(random() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const char = (): string => (random() < 0.85 ? pick([...ALPHABET]) : pick(HOSTILE));
  const text = (length: number): string => Array.from({ length }, char).join('');
  const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256)));
  const hex = (length: number): string => bytes(length).toString('hex');
  const b64 = (length: number): string => bytes(length).toString('base64');
  /** Unix seconds near the fuzz clock (mostly), or anywhere. */
  const seconds = (): number => (random() < 0.8 ? NOW_S + int(2000) - 1000 : int(4_000_000_000));
  /** A random header value with no particular shape. */
  const junk = (): string => {
    switch (int(6)) {
      case 0:
        return '';
      case 1:
        return String(int(2e10));
      case 2:
        return 'x'.repeat(int(3) === 0 ? 10_000 : 200);
      default:
        return pick(PREFIXES) + text(int(120));
    }
  };
  const body = (): Buffer => {
    switch (int(5)) {
      case 0:
        return Buffer.alloc(0);
      case 1:
        return bytes(int(300));
      case 2:
        return Buffer.from(
          JSON.stringify({
            type: text(8),
            id: text(6),
            webhookTimestamp: pick<unknown>([NOW_S * 1000 + int(200_000) - 100_000, text(5), null]),
          }),
        );
      case 3:
        return Buffer.from(`[${'['.repeat(int(200))}${']'.repeat(int(200))}]`);
      default:
        return Buffer.from(text(int(400)));
    }
  };
  /** One to three edits: a changed, dropped or added character, a dropped or doubled header. */
  const mutate = (headers: Headers): Headers => {
    let out = headers.map(([name, value]): [string, string] => [name, value]);
    for (let edits = 1 + int(3); edits > 0 && out.length > 0; edits--) {
      const at = int(out.length);
      const [name, value] = out[at] as [string, string];
      const position = int(value.length + 1);
      switch (int(7)) {
        case 0:
          out[at] = [name, value.slice(0, position) + char() + value.slice(position + 1)];
          break;
        case 1:
          out[at] = [name, value.slice(0, position) + value.slice(position + 1)];
          break;
        case 2:
          out[at] = [name, value.slice(0, position) + char() + value.slice(position)];
          break;
        case 3:
          out[at] = [name, value.slice(0, position)];
          break;
        case 4:
          out = out.filter((_, index) => index !== at);
          break;
        case 5:
          out.push([name, junk()]);
          break;
        default:
          out[at] = [name, junk()];
      }
    }
    return out;
  };
  return { int, pick, text, hex, b64, seconds, junk, body, mutate };
}

interface FuzzShape {
  /** Secrets of the right kind and of the wrong kind. */
  readonly secrets: readonly string[];
  /** Well-formed headers with random signatures (so the digest check itself is reached). */
  readonly shape: (fuzz: Fuzz, body: Buffer) => Headers;
}

const tAndV1 = (header: string): FuzzShape['shape'] => {
  return (fuzz) => [[header, `t=${fuzz.seconds()},v1=${fuzz.hex(32)}`]];
};

const FUZZ_SHAPES: Record<string, FuzzShape> = {
  jwt: {
    secrets: ['watson secret-fuzz-7Q9'],
    shape: (fuzz) => [
      [
        'Authorization',
        `${fuzz.pick(['Bearer ', ''])}${signToken('another secret', { sub: fuzz.text(5) }, { nowMs: fuzz.seconds() * 1000 })}`,
      ],
    ],
  },
  stripe: {
    secrets: ['whsec_x-fuzz-7Q9', ''],
    shape: (fuzz) => [
      ['Stripe-Signature', `t=${fuzz.seconds()},v1=${fuzz.hex(32)},v0=${fuzz.hex(32)}`],
    ],
  },
  'standard-webhooks': {
    secrets: [SW_SECRET, SW_PUBLIC, 'whpk_!!', 'not base64 at all'],
    shape: (fuzz) => {
      const prefix = fuzz.pick(['webhook', 'svix']);
      return [
        [`${prefix}-id`, `msg_${fuzz.text(10)}`],
        [`${prefix}-timestamp`, String(fuzz.seconds())],
        [`${prefix}-signature`, `v1,${fuzz.b64(32)} v1a,${fuzz.b64(64)} v2,${fuzz.b64(32)}`],
      ];
    },
  },
  'hub-signature': {
    secrets: ['gh-fuzz-7Q9'],
    shape: (fuzz) =>
      fuzz.int(2) === 0
        ? [['X-Hub-Signature-256', `sha256=${fuzz.hex(32)}`]]
        : [['X-Hub-Signature', `sha1=${fuzz.hex(20)}`]],
  },
  shopify: {
    secrets: ['shpss-fuzz-7Q9'],
    shape: (fuzz) => [['X-Shopify-Hmac-Sha256', fuzz.b64(32)]],
  },
  slack: {
    secrets: ['slack-fuzz-7Q9'],
    shape: (fuzz) => [
      ['X-Slack-Request-Timestamp', String(fuzz.seconds())],
      ['X-Slack-Signature', `v0=${fuzz.hex(32)}`],
    ],
  },
  twilio: {
    secrets: ['12345-fuzz-7Q9'],
    shape: (fuzz) => [
      ['Host', fuzz.pick(['example.com', 'example.com:8443', '[::1]:7878', 'bad host'])],
      ['X-Forwarded-Proto', fuzz.pick(['https', 'http', 'gopher'])],
      ['X-Twilio-Signature', fuzz.b64(20)],
    ],
  },
  'gitlab-token': {
    secrets: ['token-fuzz-7Q9'],
    shape: (fuzz) => [['X-Gitlab-Token', fuzz.text(20)]],
  },
  discord: {
    secrets: ['d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'zz'],
    shape: (fuzz) => [
      ['X-Signature-Ed25519', fuzz.hex(64)],
      ['X-Signature-Timestamp', String(fuzz.seconds())],
    ],
  },
  paddle: {
    secrets: ['pdl_ntfset_x-fuzz-7Q9'],
    shape: (fuzz) => [
      ['Paddle-Signature', `ts=${fuzz.seconds()};h1=${fuzz.hex(32)};h1=${fuzz.hex(32)}`],
    ],
  },
  square: {
    secrets: ['key-fuzz-7Q9'],
    shape: (fuzz) => [
      ['Host', fuzz.pick(['example.com', 'webhook.site', '::::'])],
      fuzz.int(3) === 0
        ? ['x-square-signature', fuzz.b64(20)]
        : ['x-square-hmacsha256-signature', fuzz.b64(32)],
    ],
  },
  linear: {
    secrets: ['lin_wh_x-fuzz-7Q9'],
    shape: (fuzz) => [
      ['Linear-Signature', fuzz.hex(32)],
      ['Linear-Timestamp', String(fuzz.seconds() * 1000)],
    ],
  },
  zoom: {
    secrets: ['zoom-fuzz-7Q9'],
    shape: (fuzz) => [
      ['x-zm-request-timestamp', String(fuzz.seconds())],
      ['x-zm-signature', `v0=${fuzz.hex(32)}`],
    ],
  },
  twitch: {
    secrets: ['twitch-secret-fuzz-7Q9'],
    shape: (fuzz) => [
      ['Twitch-Eventsub-Message-Id', fuzz.text(36)],
      [
        'Twitch-Eventsub-Message-Timestamp',
        new Date(fuzz.seconds() * 1000).toISOString().replace('Z', `${fuzz.int(999999)}Z`),
      ],
      ['Twitch-Eventsub-Message-Signature', `sha256=${fuzz.hex(32)}`],
    ],
  },
  typeform: {
    secrets: ['tf-fuzz-7Q9'],
    shape: (fuzz) => [['Typeform-Signature', `sha256=${fuzz.b64(32)}`]],
  },
  vercel: {
    secrets: ['vercel-fuzz-7Q9'],
    shape: (fuzz) => [['x-vercel-signature', fuzz.hex(20)]],
  },
  sendgrid: {
    secrets: [FUZZ_P256_B64, SENDGRID_OTHER_KEY, 'MFkw-not-a-key'],
    // Real DER signatures by the fuzz key over other bytes: well formed, never matching.
    shape: (fuzz) => [
      [
        'X-Twilio-Email-Event-Webhook-Signature',
        sign('sha256', Buffer.from(fuzz.text(20)), FUZZ_SIGNER).toString('base64'),
      ],
      ['X-Twilio-Email-Event-Webhook-Timestamp', String(fuzz.seconds())],
    ],
  },
  mux: { secrets: ['mux-fuzz-7Q9'], shape: tAndV1('Mux-Signature') },
  calendly: { secrets: ['calendly-fuzz-7Q9'], shape: tAndV1('Calendly-Webhook-Signature') },
  'generic-hmac': {
    secrets: ['generic-fuzz-7Q9'],
    shape: (fuzz) => [['X-Signature', `${fuzz.pick(['', 'sha256='])}${fuzz.hex(32)}`]],
  },
};

function fuzzContext(fuzz: Fuzz, schemeId: string, nowMs: number) {
  return {
    nowMs,
    providerLabel: 'Fuzz',
    ...(fuzz.int(2) === 0 ? { publicBaseUrl: 'https://tunnel.example' } : {}),
    ...(schemeId === 'generic-hmac'
      ? {
          config: {
            genericHmac: {
              header: 'X-Signature',
              prefix: fuzz.pick(['', 'sha256=']),
              algorithm: 'sha256',
              encoding: fuzz.pick(['hex', 'base64']),
              template: '{body}',
            },
          },
        }
      : {}),
  };
}

describe('seeded fuzz: random headers and bodies, every scheme', () => {
  it('lists every registered scheme', () => {
    for (const scheme of allSchemes())
      assert.ok(FUZZ_SHAPES[scheme.id], `a shape for ${scheme.id}`);
  });

  for (const scheme of allSchemes()) {
    it(`${scheme.id}: ${FUZZ_CASES_PER_SCHEME} cases never throw, never verify, always a known verdict`, () => {
      const shape = FUZZ_SHAPES[scheme.id];
      assert.ok(shape);
      let seed = 0x5eed;
      for (const char of scheme.id) seed = Math.imul(seed ^ char.charCodeAt(0), 0x01000193);
      const fuzz = fuzzer(seededRandom(seed));
      const seen = new Set<string>();
      for (let index = 0; index < FUZZ_CASES_PER_SCHEME; index++) {
        const body = fuzz.body();
        // A third well formed (random digests), a third mutated, a third pure junk.
        const kind = index % 3;
        let headers: Headers =
          kind === 2
            ? shape.shape(fuzz, body).map(([name]): [string, string] => [name, fuzz.junk()])
            : shape.shape(fuzz, body);
        if (kind === 1) headers = fuzz.mutate(headers);
        if (fuzz.int(2) === 0) {
          headers.push([
            'Content-Type',
            fuzz.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain']),
          ]);
        }
        const input = post(fuzz.pick(['/', '/a?b=1', '/x?bodySHA256=00']), headers, body);
        const secrets =
          fuzz.int(6) === 0 ? [] : [{ label: 'fuzz', value: fuzz.pick(shape.secrets) }];
        const context = fuzzContext(fuzz, scheme.id, NOW_S * 1000);
        let result;
        try {
          result = scheme.verify(requestFacts(input), secrets, context);
        } catch (error) {
          assert.fail(
            `${scheme.id} threw on ${JSON.stringify(headers).slice(0, 300)}: ${String(error)}`,
          );
        }
        const detail = `${result.verdict}: ${result.reason} ← ${JSON.stringify(headers).slice(0, 300)}`;
        seen.add(result.verdict);
        assert.ok(isKnownVerdict(result.verdict), detail);
        assert.notEqual(result.verdict, 'verified', detail);
        assert.ok(result.reason.length > 0, detail);
        assert.doesNotMatch(result.reason, /could not be checked\.$/, detail);
        for (const secret of secrets) {
          if (secret.value.includes('-fuzz-'))
            assert.ok(!result.reason.includes(secret.value), detail);
        }
      }
      // The fuzz reached the digest comparison, not only the header parser.
      assert.ok(seen.has('invalid_signature'), `${scheme.id} saw ${[...seen].join(', ')}`);
      assert.ok(seen.size >= 3, `${scheme.id} saw ${[...seen].join(', ')}`);
    });

    if (scheme.sign !== undefined) {
      it(`${scheme.id}: sign then verify at a random later time is verified, expired or not yet valid`, () => {
        const shape = FUZZ_SHAPES[scheme.id];
        assert.ok(shape);
        const sign = scheme.sign;
        assert.ok(sign);
        const fuzz = fuzzer(seededRandom(0xc0ffee ^ scheme.id.length));
        const secret = { label: 'fuzz', value: shape.secrets[0] ?? 'x' };
        for (let index = 0; index < 100; index++) {
          // Linear's timestamp is inside the body, which signing leaves alone: keep it out.
          const body = scheme.id === 'linear' ? Buffer.from(fuzz.text(60)) : fuzz.body();
          const signedAt = NOW_S * 1000 + fuzz.int(10_000_000) - 5_000_000;
          const headers: Headers = [
            ['Host', 'example.com'],
            ['Content-Type', 'application/json'],
            ...shape.shape(fuzz, body),
          ];
          const context = {
            ...fuzzContext(fuzz, scheme.id, signedAt),
            publicBaseUrl: 'https://example.com',
          };
          const signed = sign(
            { method: 'POST', url: '/signed?x=1', headers, body },
            secret,
            context,
          );
          const checkedAt =
            signedAt + (fuzz.int(2) === 0 ? fuzz.int(3000) : fuzz.int(2 * HOUR_MS) - HOUR_MS);
          const result = scheme.verify(
            requestFacts(post('/signed?x=1', [...signed.headers], body)),
            [secret],
            { ...context, nowMs: checkedAt },
          );
          assert.ok(
            ['verified', 'expired', 'not_yet_valid'].includes(result.verdict),
            `${result.verdict}: ${result.reason}`,
          );
          if (checkedAt - signedAt >= 0 && checkedAt - signedAt < 5000) {
            assert.equal(result.verdict, 'verified', result.reason);
          }
        }
      });
    }
  }
});
