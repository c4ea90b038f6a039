// Issue 13's last verification schemes, generated and run as real servers in TypeScript, Python
// and Go: Standard Webhooks v1a (Ed25519 under a whpk_ public key; the official vector and
// deliveries signed with its key), Square's legacy x-square-signature (HMAC-SHA1 of URL + body).
// Genuine deliveries reach their typed function with 200; forged, tampered and stale ones get
// 401; each generated test passes.
import assert from 'node:assert/strict';
import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { compileTypescript, goToolchain, pythonWithFastapi } from './generatedToolchains';
import {
  fillStore,
  freePort,
  GENERATED_ROOT,
  generateInto,
  runGeneratedTest,
  send,
  serveGenerated,
  stop,
  timesReached,
  type Language,
  type Req,
} from './generateServers';
import { cleanUp } from './listenProcess';

after(cleanUp);

const missingGo = goToolchain();
const python = pythonWithFastapi();
const LANGUAGES: readonly Language[] = [
  'typescript',
  ...(python ? (['python'] as const) : []),
  ...(missingGo ? [] : (['go'] as const)),
];

const seconds = (ms: number): number => Math.floor(ms / 1000);

interface Check {
  readonly name: string;
  readonly request: Req;
  readonly status: number;
}

interface SchemeCase {
  readonly name: string;
  readonly provider: string;
  readonly secret: string;
  readonly stored: readonly Req[];
  /** The event the first genuine live delivery reaches. */
  readonly event: string;
  live(base: string): Check[];
}

async function runCase(scheme: SchemeCase): Promise<void> {
  const store = await fillStore(scheme.stored, [
    { provider: scheme.provider, label: 'current', value: scheme.secret },
  ]);
  for (const language of LANGUAGES) {
    const out = join(GENERATED_ROOT, `${scheme.name}-${language}`);
    const generated = await generateInto(store, out, language);
    assert.match(generated.stderr, new RegExp(`from ${scheme.stored.length} deliveries`));
    const port = await freePort();
    const server = await serveGenerated(out, language, port, { WEBHOOK_SECRET: scheme.secret });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (const check of scheme.live(base)) {
        const answer = await send(base, check.request);
        assert.equal(answer.status, check.status, `${language}: ${check.name}: ${answer.text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(timesReached(server.output, scheme.event), 1, `${language}: ${server.output}`);
    } finally {
      await stop(server);
    }
    const tested = await runGeneratedTest(out, language);
    assert.equal(tested.status, 0, `${language} generated test:\n${tested.output}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Standard Webhooks v1a: the official Ed25519 key (seed ‖ public key), signature-schemes.md §2.1.

const VECTOR_KEY = Buffer.from(
  '6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==',
  'base64',
);
const VECTOR_PUBLIC = `whpk_${VECTOR_KEY.subarray(32).toString('base64')}`;
const VECTOR_PRIVATE = createPrivateKey({
  key: {
    kty: 'OKP',
    crv: 'Ed25519',
    d: VECTOR_KEY.subarray(0, 32).toString('base64url'),
    x: VECTOR_KEY.subarray(32).toString('base64url'),
  },
  format: 'jwk',
});

function v1aRequest(
  type: string,
  n: number,
  nowMs: number,
  key: KeyObject = VECTOR_PRIVATE,
  prefix = 'webhook',
): Req {
  const body = JSON.stringify({ type, data: { id: `user_${n}`, email: `u${n}@example.test` } });
  const id = `msg_v1a_${n}`;
  const stamp = String(seconds(nowMs));
  const signature = sign(null, Buffer.from(`${id}.${stamp}.${body}`), key).toString('base64');
  return {
    path: '/standard',
    headers: {
      'content-type': 'application/json',
      [`${prefix}-id`]: id,
      [`${prefix}-timestamp`]: stamp,
      [`${prefix}-signature`]: `v1a,${signature}`,
    },
    body,
  };
}

const v1a: SchemeCase = {
  name: 'standard-webhooks-v1a',
  provider: 'standard-webhooks',
  secret: VECTOR_PUBLIC,
  stored: [
    v1aRequest('user.created', 1, Date.now()),
    v1aRequest('user.created', 2, Date.now()),
    v1aRequest('user.deleted', 3, Date.now()),
  ],
  event: 'user.created',
  live: () => {
    const fresh = v1aRequest('user.created', 9, Date.now());
    const other = generateKeyPairSync('ed25519').privateKey;
    return [
      { name: 'a fresh v1a delivery', request: fresh, status: 200 },
      {
        name: 'a fresh svix-* v1a delivery',
        request: v1aRequest('user.deleted', 10, Date.now(), VECTOR_PRIVATE, 'svix'),
        status: 200,
      },
      { name: 'a tampered body', request: { ...fresh, body: `${fresh.body} ` }, status: 401 },
      {
        name: 'signed with another key',
        request: v1aRequest('user.created', 11, Date.now(), other),
        status: 401,
      },
      {
        name: 'a stale timestamp',
        request: v1aRequest('user.created', 12, Date.now() - 3600_000),
        status: 401,
      },
      {
        name: 'an HMAC v1 entry only',
        request: {
          ...fresh,
          headers: {
            ...fresh.headers,
            'webhook-signature': `v1,${createHmac('sha256', 'x').update(fresh.body).digest('base64')}`,
          },
        },
        status: 401,
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// Square's legacy header: x-square-signature = base64(HMAC-SHA1(signature key, URL + body)).

const SQUARE_KEY = 'Ibxx_5AKakO-3qeNVR61Dw';

function squareLegacy(origin: string, type: string, n: number, key = SQUARE_KEY): Req {
  const body = JSON.stringify({
    merchant_id: 'MLEFBHHSJGVHD',
    type,
    event_id: `ev_${n}`,
    created_at: '2026-11-24T09:00:00Z',
    data: { type: 'payment', id: `pay_${n}`, object: { payment: { id: `pay_${n}` } } },
  });
  const path = '/square';
  return {
    path,
    headers: {
      'content-type': 'application/json',
      'x-square-signature': createHmac('sha1', key)
        .update(origin + path)
        .update(body)
        .digest('base64'),
    },
    body,
  };
}

const squareCase: SchemeCase = {
  name: 'square-legacy',
  provider: 'square',
  secret: SQUARE_KEY,
  stored: [
    squareLegacy('http://127.0.0.1:7878', 'payment.created', 1),
    squareLegacy('http://127.0.0.1:7878', 'payment.updated', 2),
  ],
  event: 'payment.updated',
  live: (base) => {
    const fresh = squareLegacy(base, 'payment.updated', 9);
    return [
      { name: 'a fresh legacy-signed delivery', request: fresh, status: 200 },
      { name: 'a tampered body', request: { ...fresh, body: `${fresh.body} ` }, status: 401 },
      {
        name: 'another signature key',
        request: squareLegacy(base, 'payment.updated', 10, 'another-key'),
        status: 401,
      },
      {
        name: 'signed for another URL',
        request: squareLegacy('https://elsewhere.example', 'payment.updated', 11),
        status: 401,
      },
      {
        name: 'an HMAC-SHA256 over the same bytes in the legacy header',
        request: {
          ...fresh,
          headers: {
            ...fresh.headers,
            'x-square-signature': createHmac('sha256', SQUARE_KEY)
              .update(`${base}/square${fresh.body}`)
              .digest('base64'),
          },
        },
        status: 401,
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// SendGrid: ECDSA P-256 over timestamp + body. The official vector (sendgrid-nodejs
// eventwebhook.spec.js, signature-schemes.md §2.9) is a real SendGrid-signed delivery, and
// SendGrid's library sets no timestamp tolerance, so it is sent to the live servers as is.

const SENDGRID_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
const SENDGRID_VECTOR: Req = {
  path: '/sendgrid',
  headers: {
    'content-type': 'application/json',
    'x-twilio-email-event-webhook-timestamp': '1600112502',
    'x-twilio-email-event-webhook-signature':
      'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
  },
  body: '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]\r\n',
};

function sendgridSigned(body: string, key: KeyObject): Req {
  const stamp = String(seconds(Date.now()));
  return {
    path: '/sendgrid',
    headers: {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-timestamp': stamp,
      'x-twilio-email-event-webhook-signature': sign(
        'sha256',
        Buffer.from(stamp + body),
        key,
      ).toString('base64'),
    },
    body,
  };
}

const sendgridCase: SchemeCase = {
  name: 'sendgrid',
  provider: 'sendgrid',
  secret: SENDGRID_KEY,
  stored: [SENDGRID_VECTOR],
  event: 'dropped',
  live: () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    return [
      { name: 'the official SendGrid-signed delivery', request: SENDGRID_VECTOR, status: 200 },
      { name: 'the same batch again (handled once)', request: SENDGRID_VECTOR, status: 200 },
      {
        name: 'a tampered body',
        request: { ...SENDGRID_VECTOR, body: SENDGRID_VECTOR.body.replace('dropped', 'bounce') },
        status: 401,
      },
      {
        name: 'another timestamp',
        request: {
          ...SENDGRID_VECTOR,
          headers: {
            ...SENDGRID_VECTOR.headers,
            'x-twilio-email-event-webhook-timestamp': '1600112503',
          },
        },
        status: 401,
      },
      {
        name: 'signed with another P-256 key',
        request: sendgridSigned(SENDGRID_VECTOR.body, other),
        status: 401,
      },
      {
        name: 'no signature',
        request: {
          ...SENDGRID_VECTOR,
          headers: {
            'content-type': 'application/json',
            'x-twilio-email-event-webhook-timestamp': '1600112502',
          },
        },
        status: 401,
      },
    ];
  },
};

describe('verification schemes generated in every language', () => {
  it('SendGrid: ECDSA P-256 with the verification key; the official delivery is accepted once, forged ones refused', async () => {
    await runCase(sendgridCase);
  });

  it('Standard Webhooks v1a: Ed25519 under the whpk_ key, the official vector, fresh, forged and stale deliveries', async () => {
    await runCase(v1a);
    // The official vector itself (timestamp 1614265330), through the generated TypeScript with
    // its clock set to the vector's time.
    const out = join(GENERATED_ROOT, `${v1a.name}-typescript`);
    const compiled = await compileTypescript(out);
    assert.equal(compiled.status, 0, compiled.output);
    const handler = (await import(pathToFileURL(join(out, 'out', 'webhookHandler.js')).href)) as {
      verifyWebhook(
        request: { url: string; headers: Record<string, string>; body: Buffer },
        secret: string,
        now: number,
      ): { ok: boolean; reason?: string };
    };
    const vector = {
      url: '/',
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature':
          'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
      },
      body: Buffer.from('{"test": 2432232314}'),
    };
    assert.deepEqual(handler.verifyWebhook(vector, VECTOR_PUBLIC, 1614265330), { ok: true });
    assert.equal(
      handler.verifyWebhook(
        { ...vector, body: Buffer.from('{"test": 2432232315}') },
        VECTOR_PUBLIC,
        1614265330,
      ).ok,
      false,
    );
    assert.equal(handler.verifyWebhook(vector, VECTOR_PUBLIC, 1614265330 + 301).ok, false);
  });

  it("Square's legacy x-square-signature (HMAC-SHA1 of the notification URL + body)", async () => {
    await runCase(squareCase);
  });
});
