// Replay with a fresh signature (issue 12): a delivery captured days ago, signed by the provider's
// own SDK, is re-signed with its provider's scheme, the secret that matched at capture and a
// current timestamp; the provider's own library (stripe's constructEvent, octokit's verify,
// standardwebhooks' and svix's verify, twilio's validateRequest, jsonwebtoken for Watson, Slack's
// documented v0 check) then accepts what would be sent. A delivery that failed verification is
// not re-signed without confirmation; a header that carried the secret is sent with the secret,
// never with the redaction text.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { DeliveryRecord } from '../../src/core/delivery';
import {
  needsResignConfirmation,
  REPLAY_MARKER_HEADER,
  ReplayError,
  replayRequest,
  signingIdentity,
  type ReplayRequestOptions,
} from '../../src/core/forward/replay';
import type { HeaderPairs } from '../../src/core/providers/requestFacts';
import { SECRET_REDACTION } from '../../src/core/secrets/secretPolicy';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { signToken } from '../../src/core/verify/sign';
import { aRecordWithBody } from './detailBuilders';

const stripe = new Stripe('sk_test_hooklens');
const DAY_MS = 86_400_000;
/** Captured two days ago: every timestamped signature is long stale now. */
const CAPTURED_MS = Date.now() - 2 * DAY_MS;

interface Capture {
  readonly url?: string;
  readonly headers: HeaderPairs;
  readonly body: string;
  /** The secrets configured when it was captured (what verified it then). */
  readonly secrets: readonly ConfiguredSecret[];
  readonly publicBaseUrl?: string;
}

/** The record the receiver stored for this request when it arrived, at CAPTURED_MS. */
function captured(request: Capture): DeliveryRecord {
  const url = request.url ?? '/webhooks/test';
  const body = Buffer.from(request.body, 'utf8');
  const analysis = analyserWithSecrets(
    request.secrets,
    request.publicBaseUrl === undefined ? {} : { publicBaseUrl: request.publicBaseUrl },
  ).analyse({ method: 'POST', url, headers: request.headers, body }, CAPTURED_MS, 'd_01');
  return aRecordWithBody(body, {
    url: analysis.url,
    headers: analysis.headers,
    parseError: analysis.parseError,
    sender: analysis.recognition.sender,
    event: analysis.recognition.event,
    sessionId: analysis.recognition.sessionId,
    senderEventId: analysis.recognition.senderEventId,
    verification: analysis.verification,
    dedupeKey: analysis.dedupeKey,
    receivedAt: new Date(CAPTURED_MS).toISOString(),
  });
}

function fresh(record: DeliveryRecord, options: Partial<ReplayRequestOptions> = {}) {
  return replayRequest(record, { tokenMode: 'fresh', ...options });
}

function header(headers: HeaderPairs, name: string): string {
  const values = headers.filter(([key]) => key.toLowerCase() === name.toLowerCase());
  assert.equal(values.length, 1, `exactly one ${name}`);
  return values[0]?.[1] ?? '';
}

function names(headers: HeaderPairs): string[] {
  return headers.map(([name]) => name.toLowerCase());
}

const STRIPE_BODY = `${JSON.stringify(
  {
    id: 'evt_3PqXbZ2eZvKYlo2C1Jd0a9fW',
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(CAPTURED_MS / 1000),
    data: { object: { id: 'pi_3PqXbZ2eZvKYlo2C1abcdEFG', object: 'payment_intent', amount: 2000 } },
    type: 'payment_intent.succeeded',
  },
  null,
  2,
)}`;

function stripeDelivery(signWith: string, secrets: readonly ConfiguredSecret[]): DeliveryRecord {
  const signature = stripe.webhooks.generateTestHeaderString({
    payload: STRIPE_BODY,
    secret: signWith,
    timestamp: Math.floor(CAPTURED_MS / 1000),
  });
  return captured({
    headers: [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'],
      ['Stripe-Signature', signature],
    ],
    body: STRIPE_BODY,
    secrets,
  });
}

describe('replay with a fresh signature: each scheme, checked by the provider’s own library', () => {
  it('Stripe: constructEvent refuses the stored signature and accepts the fresh one', () => {
    const secret = 'whsec_hooklens_current_5a7d';
    const record = stripeDelivery(secret, [
      { provider: 'stripe', label: 'CURRENT', value: secret },
    ]);
    assert.equal(record.sender, 'stripe');
    assert.equal(record.verification.verdict, 'verified');
    const signing = { secrets: [{ provider: 'stripe', label: 'CURRENT', value: secret }] };

    const original = replayRequest(record, { tokenMode: 'original', signing });
    assert.equal(original.tokenMode, 'original');
    assert.throws(
      () =>
        stripe.webhooks.constructEvent(
          original.body,
          header(original.headers, 'Stripe-Signature'),
          secret,
        ),
      /Timestamp outside the tolerance zone/,
    );

    const request = fresh(record, { signing });
    assert.equal(request.tokenMode, 'fresh');
    assert.equal(request.body.toString('utf8'), STRIPE_BODY, 'the exact bytes, pretty-printed');
    const event = stripe.webhooks.constructEvent(
      request.body,
      header(request.headers, 'Stripe-Signature'),
      secret,
    );
    assert.equal(event.id, 'evt_3PqXbZ2eZvKYlo2C1Jd0a9fW');
    const t = Number(/t=(\d+)/.exec(header(request.headers, 'Stripe-Signature'))?.[1]);
    assert.ok(Math.abs(t - Date.now() / 1000) < 5, 'a current timestamp');
    // The sender's headers keep their order and case; X-Replay marks the replay.
    assert.deepEqual(names(request.headers), [
      'content-type',
      'user-agent',
      'stripe-signature',
      REPLAY_MARKER_HEADER[0].toLowerCase(),
    ]);
    assert.equal(header(request.headers, 'X-Replay'), 'true');
  });

  it('picks the secret that matched at capture, not just the first one for the provider', () => {
    const current = 'whsec_hooklens_current_5a7d';
    const previous = 'whsec_hooklens_previous_91c2';
    const secrets: ConfiguredSecret[] = [
      { provider: 'stripe', label: 'CURRENT', value: current },
      { provider: 'stripe', label: 'PREVIOUS', value: previous },
    ];
    const record = stripeDelivery(previous, secrets);
    assert.equal(record.verification.matchedSecret, 'PREVIOUS');
    const request = fresh(record, { signing: { secrets } });
    const signature = header(request.headers, 'Stripe-Signature');
    assert.ok(stripe.webhooks.constructEvent(request.body, signature, previous));
    assert.throws(() => stripe.webhooks.constructEvent(request.body, signature, current));

    // A label that is no longer configured: the first secret for the provider signs.
    const renamed = fresh(record, {
      signing: { secrets: [{ provider: 'stripe', label: 'ROTATED', value: current }] },
    });
    assert.ok(
      stripe.webhooks.constructEvent(
        renamed.body,
        header(renamed.headers, 'Stripe-Signature'),
        current,
      ),
    );
  });

  it('a secret bound to another path is not used; the path’s own one is', () => {
    const a = 'whsec_account_a_0001';
    const b = 'whsec_account_b_0002';
    const secrets: ConfiguredSecret[] = [
      { provider: 'stripe', label: 'A', value: a, pathPrefix: '/a' },
      { provider: 'stripe', label: 'B', value: b, pathPrefix: '/b' },
    ];
    const record = { ...stripeDelivery(b, []), url: '/b/stripe' };
    const request = fresh(record, { signing: { secrets } });
    assert.ok(
      stripe.webhooks.constructEvent(request.body, header(request.headers, 'Stripe-Signature'), b),
    );
  });

  it('GitHub: octokit’s verify accepts the re-signed body; the delivery GUID is kept', async () => {
    const { sign, verify } = await import('@octokit/webhooks-methods');
    const secret = "It's a Secret to Everybody";
    const body =
      '{"zen":"Keep it logically awesome.","hook_id":512384769,"hook":{"type":"Repository"}}';
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'ping'],
        ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
        ['X-Hub-Signature-256', await sign('a different secret', body)],
      ],
      body,
      secrets: [{ provider: 'github', label: 'GITHUB', value: 'a different secret' }],
    });
    assert.equal(record.sender, 'github');
    const request = fresh(record, {
      signing: { secrets: [{ provider: 'github', label: 'GITHUB', value: secret }] },
    });
    assert.equal(
      await verify(
        secret,
        request.body.toString('utf8'),
        header(request.headers, 'X-Hub-Signature-256'),
      ),
      true,
    );
    assert.equal(
      header(request.headers, 'X-GitHub-Delivery'),
      '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    );
  });

  it('Standard Webhooks: the standardwebhooks library verifies; webhook-id is kept', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"type":"user.created","data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC"}}';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const timestamp = new Date(CAPTURED_MS);
    const signature = new StandardWebhook(secret).sign(id, timestamp, body);
    const secrets = [{ provider: 'standard-webhooks', label: 'SW', value: secret }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['webhook-id', id],
        ['webhook-timestamp', String(Math.floor(CAPTURED_MS / 1000))],
        ['webhook-signature', signature],
      ],
      body,
      secrets,
    });
    assert.equal(record.verification.verdict, 'verified');
    const original = replayRequest(record, { tokenMode: 'original', signing: { secrets } });
    const originalHeaders = Object.fromEntries(
      original.headers.map(([k, v]) => [k.toLowerCase(), v]),
    );
    assert.throws(() => new StandardWebhook(secret).verify(body, originalHeaders), /too old/);
    const request = fresh(record, { signing: { secrets } });
    const map = Object.fromEntries(request.headers.map(([k, v]) => [k.toLowerCase(), v]));
    assert.deepEqual(
      new StandardWebhook(secret).verify(request.body.toString(), map),
      JSON.parse(body),
    );
    assert.equal(map['webhook-id'], id, 'the id stays, so idempotency can be tested');
  });

  it('Svix (Clerk, Resend): svix’s verify accepts the svix-* headers', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"type":"email.delivered","created_at":"2025-06-01T12:00:00.000Z","data":{}}';
    const id = 'msg_2ydQ0mKJgpZ1y0Uq3J5vDq7kTtR';
    const signature = new SvixWebhook(secret).sign(id, new Date(CAPTURED_MS), body);
    const secrets = [{ provider: 'standard-webhooks', label: 'SVIX', value: secret }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['svix-id', id],
        ['svix-timestamp', String(Math.floor(CAPTURED_MS / 1000))],
        ['svix-signature', signature],
      ],
      body,
      secrets,
    });
    const request = fresh(record, { signing: { secrets } });
    const map = Object.fromEntries(request.headers.map(([k, v]) => [k.toLowerCase(), v]));
    assert.ok(!('webhook-signature' in map), 'svix headers stay svix headers');
    assert.deepEqual(
      new SvixWebhook(secret).verify(request.body.toString(), map),
      JSON.parse(body),
    );
  });

  it('Slack: the documented v0 check (HMAC of v0:ts:body, at most 5 minutes old) passes', () => {
    const secret = '8f742231b10e8888abcd99aaabbb85a5';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&user_id=U2CERLKJA&command=%2Fwebhook-collect&text=&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const ts = String(Math.floor(CAPTURED_MS / 1000));
    const v0 = (key: string, stamp: string, text: string): string =>
      `v0=${createHmac('sha256', key).update(`v0:${stamp}:${text}`).digest('hex')}`;
    const secrets = [{ provider: 'slack', label: 'SLACK', value: secret }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Slack-Request-Timestamp', ts],
        ['X-Slack-Signature', v0(secret, ts, body)],
      ],
      body,
      secrets,
    });
    assert.equal(record.sender, 'slack');
    const request = fresh(record, { signing: { secrets } });
    const stamp = header(request.headers, 'X-Slack-Request-Timestamp');
    assert.ok(Math.abs(Number(stamp) - Date.now() / 1000) < 300, 'within Bolt’s 5 minutes');
    assert.equal(
      header(request.headers, 'X-Slack-Signature'),
      v0(secret, stamp, request.body.toString()),
    );
  });

  it('Twilio: validateRequest accepts the signature over the public URL and the form', () => {
    const token = '12345678901234567890123456789012';
    const path = '/sms?tenant=acme';
    const params = {
      AccountSid: 'AC6b1f3e8d2c4a5b7e9f0a1b2c3d4e5f60',
      Body: 'Is my order on its way?',
      From: '+14155550123',
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      SmsStatus: 'received',
      To: '+14155550100',
    };
    const body = new URLSearchParams(params).toString();
    const publicUrl = `https://abc123.ngrok.app${path}`;
    const secrets = [{ provider: 'twilio', label: 'TWILIO', value: token }];
    const record = captured({
      url: path,
      headers: [
        ['Host', 'abc123.ngrok.app'],
        ['X-Forwarded-Proto', 'https'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Twilio-Signature', twilio.getExpectedTwilioSignature(token, publicUrl, params)],
      ],
      body,
      secrets,
    });
    assert.equal(record.verification.verdict, 'verified', record.verification.reason);
    // A new Auth Token: the stored signature no longer verifies, the fresh one does.
    const rotated = 'abcdefabcdefabcdefabcdefabcdef12';
    const request = fresh(record, {
      signing: { secrets: [{ provider: 'twilio', label: 'TWILIO', value: rotated }] },
    });
    const signature = header(request.headers, 'X-Twilio-Signature');
    assert.equal(twilio.validateRequest(rotated, signature, publicUrl, params), true);
    assert.equal(twilio.validateRequest(token, signature, publicUrl, params), false);
  });

  it('Shopify and Meta: the documented HMACs (base64 and sha256= hex) over the raw body', () => {
    const shopifySecret = 'test_secret_key';
    const body = '{"id":820982911946154508,"email":"jon@example.com"}';
    const shopify = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Shopify-Topic', 'orders/create'],
        ['X-Shopify-Hmac-Sha256', 'AAAA'],
      ],
      body,
      secrets: [],
    });
    const request = fresh(shopify, {
      signing: { secrets: [{ provider: 'shopify', label: 'SHOPIFY', value: shopifySecret }] },
    });
    assert.equal(
      header(request.headers, 'X-Shopify-Hmac-Sha256'),
      createHmac('sha256', shopifySecret).update(body).digest('base64'),
    );

    const appSecret = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    const metaBody =
      '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[]}]}';
    const meta = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Hub-Signature-256', `sha256=${'0'.repeat(64)}`],
      ],
      body: metaBody,
      secrets: [],
    });
    assert.equal(meta.sender, 'meta');
    const metaRequest = fresh(meta, {
      signing: { secrets: [{ provider: 'meta', label: 'META', value: appSecret }] },
    });
    assert.equal(
      header(metaRequest.headers, 'X-Hub-Signature-256'),
      `sha256=${createHmac('sha256', appSecret).update(metaBody).digest('hex')}`,
    );
  });

  it('Watson: a fresh JWT that jsonwebtoken verifies, with the original claims and form', () => {
    const secret = 'watson-replay-secret-0f3b9e2d7c41a856';
    const token = signToken(
      secret,
      { iss: 'watson', scope: { skill: 'actions' } },
      { nowMs: CAPTURED_MS },
    );
    const body =
      '{"event":{"name":"message_logged"},"payload":{"log_id":"5d3e2b9a-0c1f-4e8a-9b7d-6a5c4e3f2b1a"}}';
    const secrets = [{ provider: null, label: 'current', value: secret }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', token],
      ],
      body,
      secrets,
    });
    assert.equal(record.sender, 'watson');
    const request = fresh(record, { signing: { secrets } });
    const authorization = header(request.headers, 'Authorization');
    assert.doesNotMatch(authorization, /^Bearer /, 'bare, as Watson sends it');
    const claims = jwt.verify(authorization, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    assert.equal(claims.iss, 'watson');
    assert.deepEqual(claims.scope, { skill: 'actions' });
    assert.ok(Math.abs((claims.iat ?? 0) - Date.now() / 1000) < 5);
    // The single-secret shorthand signs the same way.
    const shorthand = fresh(record, { secret });
    assert.ok(jwt.verify(header(shorthand.headers, 'Authorization'), secret));
  });
});

describe('replay: what is refused, and what is never sent', () => {
  const secret = 'whsec_hooklens_current_5a7d';
  const secrets: ConfiguredSecret[] = [{ provider: 'stripe', label: 'CURRENT', value: secret }];

  it('a delivery whose signature failed is re-signed only when allowResignFailed says so', () => {
    const forged = stripeDelivery('whsec_not_the_senders', secrets);
    assert.equal(forged.verification.verdict, 'invalid_signature');
    assert.equal(needsResignConfirmation(forged.verification.verdict), true);
    assert.throws(
      () => fresh(forged, { signing: { secrets } }),
      (error: unknown) =>
        error instanceof ReplayError &&
        error.kind === 'failed-verification' &&
        /failed verification when it was captured \(Invalid signature/.test(error.message) &&
        /confirm/.test(error.message),
    );
    // As captured it may go: the handler judges the original signature itself.
    assert.equal(
      replayRequest(forged, { tokenMode: 'original', signing: { secrets } }).tokenMode,
      'original',
    );
    const confirmed = fresh(forged, { signing: { secrets }, allowResignFailed: true });
    assert.ok(
      stripe.webhooks.constructEvent(
        confirmed.body,
        header(confirmed.headers, 'Stripe-Signature'),
        secret,
      ),
    );
  });

  it('missing and malformed signatures need confirmation too; an expired one does not', () => {
    for (const verdict of [
      'invalid_signature',
      'missing_signature',
      'malformed_signature',
      'missing_token',
      'malformed_token',
      'wrong_algorithm',
      'from_the_future_version',
    ]) {
      assert.equal(needsResignConfirmation(verdict), true, verdict);
    }
    for (const verdict of ['verified', 'no_secret', 'secret_match', 'expired', 'not_yet_valid']) {
      assert.equal(needsResignConfirmation(verdict), false, verdict);
    }
    // Expired means the signature matched the secret and only its time was off.
    const late = captured({
      headers: [
        ['Content-Type', 'application/json'],
        [
          'Stripe-Signature',
          stripe.webhooks.generateTestHeaderString({
            payload: STRIPE_BODY,
            secret,
            timestamp: Math.floor(CAPTURED_MS / 1000) - 3600,
          }),
        ],
      ],
      body: STRIPE_BODY,
      secrets,
    });
    assert.equal(late.verification.verdict, 'expired');
    const request = fresh(late, { signing: { secrets } });
    assert.ok(
      stripe.webhooks.constructEvent(
        request.body,
        header(request.headers, 'Stripe-Signature'),
        secret,
      ),
    );
  });

  it('Discord cannot be re-signed: the scheme’s own reason, as a ReplayError', () => {
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Signature-Ed25519', 'ab'.repeat(64)],
        ['X-Signature-Timestamp', String(Math.floor(CAPTURED_MS / 1000))],
      ],
      body: '{"type":1,"id":"1287654321098765432"}',
      secrets: [],
    });
    assert.equal(record.sender, 'discord');
    const cannotSign = signingIdentity('discord')?.scheme.cannotSign ?? '';
    assert.ok(cannotSign.length > 0);
    assert.throws(
      () => fresh(record, { signing: { secrets: [] } }),
      (error: unknown) =>
        error instanceof ReplayError &&
        error.kind === 'cannot-sign' &&
        error.message.includes(cannotSign),
    );
    assert.equal(replayRequest(record, { tokenMode: 'original' }).tokenMode, 'original');
  });

  it('no secret for the provider: a clear error naming it', () => {
    const record = stripeDelivery(secret, secrets);
    assert.throws(
      () =>
        fresh(record, { signing: { secrets: [{ provider: 'github', label: 'GH', value: 'x' }] } }),
      (error: unknown) =>
        error instanceof ReplayError &&
        error.kind === 'needs-secret' &&
        /Stripe signing secret/.test(error.message) &&
        /Set the secret first/.test(error.message),
    );
  });

  it('secret_match: the Authorization that was the secret is sent as the secret, in both modes', () => {
    const headerSecret = 'rapida-header-secret-7c1e9a3b5d2f4068';
    const body =
      '{"event":"conversation.completed","data":{"conversation":{"id":"2157896541236547001"}}}';
    const configured = [{ provider: null, label: 'current', value: headerSecret }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['Authorization', headerSecret],
      ],
      body,
      secrets: configured,
    });
    assert.equal(record.verification.verdict, 'secret_match');
    assert.equal(header(record.headers, 'Authorization'), SECRET_REDACTION, 'never stored');
    for (const tokenMode of ['original', 'fresh'] as const) {
      const request = replayRequest(record, { tokenMode, signing: { secrets: configured } });
      assert.equal(header(request.headers, 'Authorization'), headerSecret, tokenMode);
      assert.ok(!request.headers.some(([, value]) => value.includes('redacted by HookLens')));
    }
    assert.throws(
      () => replayRequest(record, { tokenMode: 'original' }),
      (error: unknown) => error instanceof ReplayError && error.kind === 'needs-secret',
    );
  });

  it('GitLab: X-Gitlab-Token, always stored redacted, goes out as the configured token', () => {
    const token = 'gitlab-secret-token-3e8a';
    const configured = [{ provider: 'gitlab', label: 'GITLAB', value: token }];
    const record = captured({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Gitlab-Event', 'Push Hook'],
        ['X-Gitlab-Token', token],
      ],
      body: '{"object_kind":"push","ref":"refs/heads/main"}',
      secrets: configured,
    });
    assert.equal(record.sender, 'gitlab');
    assert.equal(header(record.headers, 'X-Gitlab-Token'), SECRET_REDACTION);
    for (const tokenMode of ['original', 'fresh'] as const) {
      const request = replayRequest(record, { tokenMode, signing: { secrets: configured } });
      assert.equal(header(request.headers, 'X-Gitlab-Token'), token, tokenMode);
    }
  });

  it('a redacted header HookLens cannot rebuild is left out, never sent as the redaction text', () => {
    const record = {
      ...stripeDelivery(secret, secrets),
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Custom-Auth', SECRET_REDACTION],
      ] as const,
    };
    const request = replayRequest(record, { tokenMode: 'original', signing: { secrets } });
    assert.deepEqual(names(request.headers), ['content-type']);
  });

  it('a provider a newer HookLens wrote is re-signed with the scheme it recorded', () => {
    const record = { ...stripeDelivery(secret, secrets), sender: 'acme-payments' };
    const request = fresh(record, {
      signing: { secrets: [{ provider: 'acme-payments', label: 'ACME', value: secret }] },
    });
    assert.ok(
      stripe.webhooks.constructEvent(
        request.body,
        header(request.headers, 'Stripe-Signature'),
        secret,
      ),
    );
    const unknown = {
      ...record,
      verification: { verdict: 'verified', reason: 'x', scheme: 'acme-v9' },
    };
    assert.throws(
      () => fresh(unknown, { signing: { secrets } }),
      (error: unknown) => error instanceof ReplayError && error.kind === 'unknown-scheme',
    );
  });
});
