// Agreement with the providers' own libraries (dev dependencies): what their SDK signs, HookLens
// verifies through the real path (analyse); what HookLens's scheme.sign produces, their SDK
// accepts. standardwebhooks and svix (Standard Webhooks), @octokit/webhooks-methods (GitHub),
// stripe (generateTestHeaderString / constructEvent) and twilio (getExpectedTwilioSignature /
// validateRequest, including SharedKey HMAC_SHA256 and URLs Twilio signs as received).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { analyserWithSecrets, type Analysis } from '../../src/core/analysis/analyseRequest';
import type { RequestInput } from '../../src/core/providers/requestFacts';
import { schemeById } from '../../src/core/verify/schemes';
import type { SchemeContext, SchemeSecret, SignInput } from '../../src/core/verify/scheme';

type Headers = ReadonlyArray<readonly [string, string]>;

function post(url: string, headers: Headers, body: string): RequestInput {
  return { method: 'POST', url, headers, body: Buffer.from(body, 'utf8') };
}

function analyse(
  provider: string,
  value: string,
  request: RequestInput,
  nowMs: number,
  publicBaseUrl?: string,
): Analysis {
  return analyserWithSecrets(
    [{ provider, label: 'sdk', value }],
    publicBaseUrl === undefined ? {} : { publicBaseUrl },
  ).analyse(request, nowMs, 'sdk-delivery');
}

/** HookLens's re-signing of a request, as replay would do it. */
function hooklensSign(
  schemeId: string,
  input: SignInput,
  secret: string,
  context: Partial<SchemeContext> = {},
): Headers {
  const scheme = schemeById(schemeId);
  assert.ok(scheme?.sign, `${schemeId} can sign`);
  const key: SchemeSecret = { label: 'sdk', value: secret };
  return scheme.sign(input, key, { nowMs: Date.now(), providerLabel: schemeId, ...context })
    .headers;
}

function headerMap(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
}

const JSON_BODY =
  '{"type":"user.created","data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","emoji":"✓"}}';

describe('Standard Webhooks: the standardwebhooks library', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('what the library signs, HookLens verifies', () => {
    const now = new Date();
    const signature = new StandardWebhook(secret).sign('msg_sdk_1', now, JSON_BODY);
    const request = post(
      '/sw',
      [
        ['webhook-id', 'msg_sdk_1'],
        ['webhook-timestamp', String(Math.floor(now.getTime() / 1000))],
        ['webhook-signature', signature],
      ],
      JSON_BODY,
    );
    const analysis = analyse('standard-webhooks', secret, request, now.getTime());
    assert.equal(analysis.provider.id, 'standard-webhooks');
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
  });

  it('the library reproduces the Appendix A v1 vector (so the test above is meaningful)', () => {
    assert.equal(
      new StandardWebhook(secret).sign(
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        new Date(1614265330 * 1000),
        '{"test": 2432232314}',
      ),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('what HookLens signs, the library verifies', () => {
    const body = Buffer.from(JSON_BODY);
    const headers = hooklensSign(
      'standard-webhooks',
      { method: 'POST', url: '/sw', headers: [['webhook-id', 'msg_keep_me']], body },
      secret,
    );
    const map = headerMap(headers);
    assert.equal(map['webhook-id'], 'msg_keep_me');
    assert.deepEqual(new StandardWebhook(secret).verify(JSON_BODY, map), JSON.parse(JSON_BODY));
  });
});

describe('Svix: the svix library (svix-* headers)', () => {
  const secret = 'whsec_' + Buffer.from('svix test key of 24 byte').toString('base64');

  it('what svix signs, HookLens verifies', () => {
    const now = new Date();
    const signature = new SvixWebhook(secret).sign('msg_svix_1', now, JSON_BODY);
    const request = post(
      '/svix',
      [
        ['svix-id', 'msg_svix_1'],
        ['svix-timestamp', String(Math.floor(now.getTime() / 1000))],
        ['svix-signature', signature],
      ],
      JSON_BODY,
    );
    const analysis = analyse('standard-webhooks', secret, request, now.getTime());
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
    assert.match(analysis.verification.reason, /svix-signature/);
  });

  it('what HookLens signs (keeping the svix- names), svix verifies', () => {
    const headers = hooklensSign(
      'standard-webhooks',
      {
        method: 'POST',
        url: '/svix',
        headers: [
          ['svix-id', 'msg_svix_2'],
          ['svix-timestamp', '1'],
          ['svix-signature', 'v1,AAAA'],
        ],
        body: Buffer.from(JSON_BODY),
      },
      secret,
    );
    const map = headerMap(headers);
    assert.equal(map['webhook-signature'], undefined, 'no webhook-* headers added');
    assert.deepEqual(new SvixWebhook(secret).verify(JSON_BODY, map), JSON.parse(JSON_BODY));
  });
});

describe('GitHub: @octokit/webhooks-methods', () => {
  const secret = 'octokit-sdk-secret';

  it('what octokit signs, HookLens verifies; what HookLens signs, octokit verifies', async () => {
    const { sign, verify } = await import('@octokit/webhooks-methods');
    const body = '{"action":"opened","issue":{"title":"Foo\\n\\u001B[34mbar ♥"}}';
    const signature = await sign(secret, body);
    const request = post(
      '/gh',
      [
        ['X-GitHub-Event', 'issues'],
        ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
        ['X-Hub-Signature-256', signature],
      ],
      body,
    );
    const analysis = analyse('github', secret, request, Date.now());
    assert.equal(analysis.provider.id, 'github');
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);

    const headers = hooklensSign(
      'hub-signature',
      {
        method: 'POST',
        url: '/gh',
        headers: [['X-GitHub-Event', 'issues']],
        body: Buffer.from(body),
      },
      secret,
    );
    const ours = headerMap(headers)['x-hub-signature-256'];
    assert.ok(ours);
    assert.equal(await verify(secret, body, ours), true);
    assert.equal(await verify('another secret', body, ours), false);
  });
});

describe('Stripe: stripe-node webhooks', () => {
  const stripe = new Stripe('sk_test_hooklens_not_a_real_key');
  const secret = 'whsec_hooklens_sdk_test_secret';
  const body = JSON.stringify(
    { id: 'evt_sdk', object: 'event', type: 'payment_intent.succeeded' },
    null,
    2,
  );

  it('generateTestHeaderString → HookLens verified at that time, expired 10 minutes later', () => {
    const timestamp = 1_764_849_600;
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
    const request = post('/stripe', [['Stripe-Signature', header]], body);
    const analysis = analyse('stripe', secret, request, timestamp * 1000 + 2000);
    assert.equal(analysis.provider.id, 'stripe');
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
    assert.equal(
      analyse('stripe', secret, request, (timestamp + 600) * 1000).verification.verdict,
      'expired',
    );
  });

  it('what HookLens signs, constructEvent accepts', () => {
    const headers = hooklensSign(
      'stripe',
      { method: 'POST', url: '/stripe', headers: [], body: Buffer.from(body) },
      secret,
    );
    const header = headerMap(headers)['stripe-signature'];
    assert.ok(header);
    const event = stripe.webhooks.constructEvent(body, header, secret);
    assert.equal(event.id, 'evt_sdk');
    assert.throws(() => stripe.webhooks.constructEvent(body, header, `${secret}x`));
  });
});

describe('Twilio: twilio-node webhooks', () => {
  const token = '0123456789abcdef0123456789abcdef';
  const params = {
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    MessageStatus: 'delivered',
    Body: "It's 5 o'clock & ✓",
  };
  const form = new URLSearchParams(params).toString();

  function formRequest(path: string, host: string, signature: string, extra: Headers = []) {
    return post(
      path,
      [
        ['Host', host],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Twilio-Signature', signature],
        ...extra,
      ],
      form,
    );
  }

  it('getExpectedTwilioSignature (form) → HookLens verified', () => {
    const url = 'https://sms.example.com/hooks/twilio?tenant=7';
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const analysis = analyse(
      'twilio',
      token,
      formRequest('/hooks/twilio?tenant=7', 'sms.example.com', signature),
      Date.now(),
    );
    assert.equal(analysis.provider.id, 'twilio');
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
  });

  it("a URL Twilio signs as received (a ' that new URL() would turn into %27) still verifies", () => {
    const path = "/hooks/twilio?name=O'Brien";
    const signature = twilio.getExpectedTwilioSignature(
      token,
      `https://sms.example.com${path}`,
      params,
    );
    const analysis = analyse(
      'twilio',
      token,
      formRequest(path, 'sms.example.com', signature),
      Date.now(),
    );
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
    assert.equal(
      twilio.validateRequest(token, signature, `https://sms.example.com${path}`, params),
      true,
    );
  });

  it('behind a tunnel: signed for the public URL, verified with the public base URL', () => {
    const signature = twilio.getExpectedTwilioSignature(
      token,
      'https://abc123.ngrok.app/hooks/twilio',
      params,
    );
    const request = formRequest('/hooks/twilio', '127.0.0.1:7878', signature);
    assert.equal(
      analyse('twilio', token, request, Date.now()).verification.verdict,
      'invalid_signature',
    );
    assert.equal(
      analyse('twilio', token, request, Date.now(), 'https://abc123.ngrok.app').verification
        .verdict,
      'verified',
    );
  });

  it('a repeated parameter: de-duplicated and sorted, as twilio-node signs it', () => {
    const url = 'https://sms.example.com/hooks/twilio';
    const repeated = { MessageSid: 'SM1', MediaUrl: ['b', 'a', 'b'] };
    const signature = twilio.getExpectedTwilioSignature(token, url, repeated);
    const request = post(
      '/hooks/twilio',
      [
        ['Host', 'sms.example.com'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Twilio-Signature', signature],
      ],
      'MessageSid=SM1&MediaUrl=b&MediaUrl=a&MediaUrl=b',
    );
    assert.equal(analyse('twilio', token, request, Date.now()).verification.verdict, 'verified');
  });

  it('JSON body: bodySHA256 in the URL; both directions with validateRequestWithBody', () => {
    const body = '{"eventType":"com.twilio.messaging.message.delivered","ok":true}';
    const hash = twilio.getExpectedBodyHash(body);
    const path = `/hooks/events?bodySHA256=${hash}`;
    const url = `https://events.example.com${path}`;
    const signature = twilio.getExpectedTwilioSignature(token, url, {});
    const request = post(
      path,
      [
        ['Host', 'events.example.com'],
        ['Content-Type', 'application/json'],
        ['X-Twilio-Signature', signature],
      ],
      body,
    );
    assert.equal(analyse('twilio', token, request, Date.now()).verification.verdict, 'verified');

    const headers = hooklensSign(
      'twilio',
      { method: 'POST', url: path, headers: request.headers, body: Buffer.from(body) },
      token,
      { publicBaseUrl: 'https://events.example.com' },
    );
    const ours = headerMap(headers)['x-twilio-signature'];
    assert.ok(ours);
    assert.equal(twilio.validateRequestWithBody(token, ours, url, body), true);
  });

  it('what HookLens signs (form), validateRequest accepts', () => {
    const path = '/hooks/twilio?tenant=7';
    const headers = hooklensSign(
      'twilio',
      {
        method: 'POST',
        url: path,
        headers: [
          ['Host', 'sms.example.com'],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body: Buffer.from(form),
      },
      token,
      { publicBaseUrl: 'https://sms.example.com' },
    );
    const ours = headerMap(headers)['x-twilio-signature'];
    assert.ok(ours);
    assert.equal(
      twilio.validateRequest(token, ours, `https://sms.example.com${path}`, params),
      true,
    );
  });

  it('SharedKey webhooks (X-Twilio-Webhooks-Signature-Settings: algorithm=HMAC_SHA256), both ways', () => {
    const sharedKey = 'shared-key-secret-value';
    const settings = 'key=webhooks_sharedkey_0123,algorithm=HMAC_SHA256';
    const url = 'https://sms.example.com/hooks/twilio';
    const signature = twilio.getExpectedTwilioSignature(sharedKey, url, params, 'HMAC_SHA256');
    const request = formRequest('/hooks/twilio', 'sms.example.com', signature, [
      ['X-Twilio-Webhooks-Signature-Settings', settings],
    ]);
    const analysis = analyse('twilio', sharedKey, request, Date.now());
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
    // Without the settings header the same signature is not a SHA-1 digest at all.
    const withoutSettings = formRequest('/hooks/twilio', 'sms.example.com', signature);
    assert.equal(
      analyse('twilio', sharedKey, withoutSettings, Date.now()).verification.verdict,
      'malformed_signature',
    );

    const headers = hooklensSign(
      'twilio',
      {
        method: 'POST',
        url: '/hooks/twilio',
        headers: request.headers,
        body: Buffer.from(form),
      },
      sharedKey,
      { publicBaseUrl: 'https://sms.example.com' },
    );
    const ours = headerMap(headers)['x-twilio-signature'];
    assert.ok(ours);
    assert.equal(twilio.getSignatureAlgorithm(settings), 'HMAC_SHA256');
    assert.equal(twilio.validateRequest(sharedKey, ours, url, params, 'HMAC_SHA256'), true);
  });

  it('an algorithm Twilio may add later is malformed, named, not a wrong secret', () => {
    const request = formRequest('/hooks/twilio', 'sms.example.com', 'AAAA', [
      ['X-Twilio-Webhooks-Signature-Settings', 'key=k,algorithm=HMAC_SHA3_512'],
    ]);
    const result = analyse('twilio', token, request, Date.now()).verification;
    assert.equal(result.verdict, 'malformed_signature');
    assert.match(result.reason, /names the algorithm "HMAC_SHA3_512"/);
  });
});
