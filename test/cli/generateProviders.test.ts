// Issue 13's CLI tier: for each provider, a store of deliveries signed by the provider's own
// JavaScript library (stripe, @octokit/webhooks-methods over @octokit/webhooks-examples,
// standardwebhooks, svix, twilio; Slack v0, Shopify, Meta, GitLab and Discord by their documented
// schemes), `hooklens generate` for TypeScript, Python and Go, and each generated server started
// for real: fresh library-signed deliveries get 2xx and reach their typed function, tampered,
// stale and wrongly signed ones 401, and the handshakes are answered. Languages run in parallel
// per provider; Go builds share one build cache.
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import webhookExamples from '@octokit/webhooks-examples';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import { buildEvent } from '../../src/core/simulate/templates';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { schemeById } from '../../src/core/verify/schemes/index';
import { signToken } from '../../src/core/verify/sign';
import { seededRandom } from '../unit/generateFixtures';
import { compileTypescript, goToolchain, pythonWithFastapi } from './generatedToolchains';
import {
  exec,
  freePort,
  startProcess,
  stop,
  waitForPort,
  type Language,
  type Running,
} from './generateServers';
import { cleanUp, root, runCli, tempDir } from './listenProcess';

const OUT_ROOT = join(root, 'test-artifacts', 'generated-providers');
const CAPTURE_HOST = '127.0.0.1:7878';
const GO_JWT_SOURCE = '/usr/share/gocode/src/github.com/golang-jwt/jwt';
const started = Date.now();

interface Req {
  readonly method?: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Check {
  readonly name: string;
  readonly request: Req;
  readonly status: number;
  /** For genuine deliveries: the event the server must log reaching its typed function. */
  readonly event?: string;
  /** A redelivery of a genuine delivery of this event: 200, and the event is handled once. */
  readonly redeliveryOf?: string;
  readonly answer?: (text: string) => void;
}

interface Case {
  readonly name: string;
  /** The provider id HookLens stores as `sender`. */
  readonly provider: string;
  readonly secret: string;
  /** The secret being rotated out, given as WEBHOOK_SECRET_PREVIOUS: still accepted. */
  readonly previousSecret?: string;
  readonly verifyToken?: string;
  /** Deliveries as captured on CAPTURE_HOST. */
  stored(nowMs: number): Req[];
  /** What to send the running server (base: http://127.0.0.1:PORT). */
  live(base: string, nowMs: number): Check[];
}

const json = (value: unknown): string => JSON.stringify(value);
const seconds = (ms: number): number => Math.floor(ms / 1000);

function template(name: string, nowMs: number, seed = name): { body: string; event: string } {
  const built = buildEvent(name, { nowMs, random: seededRandom(seed) });
  return { body: built.body.toString('utf8'), event: built.event ?? '' };
}

function githubExample(event: string, action: string | undefined, index: number): string {
  const entry = webhookExamples.find((candidate) => candidate.name === event);
  const examples = (entry?.examples ?? []).filter(
    (example) => action === undefined || (example as { action?: string }).action === action,
  );
  return JSON.stringify(examples[index % examples.length]);
}

const hmacHex = (secret: string, ...parts: string[]): string =>
  parts.reduce((mac, part) => mac.update(part), createHmac('sha256', secret)).digest('hex');

// ---------------------------------------------------------------------------------------------

const GITHUB_SECRET = 'github-generate-secret-3c1d';
const GITHUB_PREVIOUS = 'github-previous-secret-0a9b';
const github: Case = {
  name: 'github',
  provider: 'github',
  secret: GITHUB_SECRET,
  previousSecret: GITHUB_PREVIOUS,
  stored: () =>
    [
      ['push', undefined, 0],
      ['push', undefined, 1],
      ['issues', 'opened', 0],
      ['issues', 'opened', 1],
    ].map(([event, action, index]) => {
      const body = githubExample(event as string, action as string | undefined, index as number);
      return {
        path: '/github',
        headers: {
          'x-github-event': event as string,
          'x-github-delivery': `d-${event}-${index}`,
          'content-type': 'application/json',
          // What octokit's sign computes (the live deliveries below use octokit itself).
          'x-hub-signature-256': `sha256=${hmacHex(GITHUB_SECRET, body)}`,
        },
        body,
      };
    }),
  live: () => [],
};

async function githubLive(base: string): Promise<Check[]> {
  const { sign: octokitSign } = await import('@octokit/webhooks-methods');
  const body = githubExample('issues', 'opened', 2);
  const headers = {
    'x-github-event': 'issues',
    'x-github-delivery': 'live-1',
    'content-type': 'application/json',
    'x-hub-signature-256': await octokitSign(GITHUB_SECRET, body),
  };
  const push = githubExample('push', undefined, 2);
  return [
    {
      name: 'a fresh issues.opened signed by octokit',
      request: { path: '/github', headers, body },
      status: 200,
      event: 'issues.opened',
    },
    {
      name: 'a push signed by octokit',
      request: {
        path: '/github',
        headers: {
          ...headers,
          'x-github-event': 'push',
          'x-github-delivery': 'live-2',
          'x-hub-signature-256': await octokitSign(GITHUB_SECRET, push),
        },
        body: push,
      },
      status: 200,
      event: 'push',
    },
    {
      name: 'the same issues.opened again (X-GitHub-Delivery live-1): a redelivery',
      request: { path: '/github', headers, body },
      status: 200,
      redeliveryOf: 'issues.opened',
    },
    {
      name: 'a push signed by octokit with the previous secret (WEBHOOK_SECRET_PREVIOUS)',
      request: {
        path: '/github',
        headers: {
          ...headers,
          'x-github-event': 'push',
          'x-github-delivery': 'live-3',
          'x-hub-signature-256': await octokitSign(GITHUB_PREVIOUS, push),
        },
        body: push,
      },
      status: 200,
      event: 'push',
    },
    {
      name: 'a tampered body',
      request: { path: '/github', headers, body: body.replace('"opened"', '"closed"') },
      status: 401,
    },
    {
      name: 'another secret',
      request: {
        path: '/github',
        headers: { ...headers, 'x-hub-signature-256': await octokitSign('wrong', body) },
        body,
      },
      status: 401,
    },
  ];
  void base;
}

const STRIPE_SECRET = 'whsec_stripeGenerateSecret1234567890';
const stripeClient = new Stripe('sk_test_hooklens');
function stripeRequest(body: string, nowMs: number, secret = STRIPE_SECRET): Req {
  return {
    path: '/stripe',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': stripeClient.webhooks.generateTestHeaderString({
        payload: body,
        secret,
        timestamp: seconds(nowMs),
      }),
    },
    body,
  };
}
const STRIPE_PREVIOUS = 'whsec_stripePreviousSecret0987654321';
const stripe: Case = {
  name: 'stripe',
  provider: 'stripe',
  secret: STRIPE_SECRET,
  previousSecret: STRIPE_PREVIOUS,
  stored: (nowMs) =>
    [0, 1].map((index) =>
      stripeRequest(template('stripe.payment_intent.succeeded', nowMs, `s${index}`).body, nowMs),
    ),
  live: (_base, nowMs) => {
    const body = template('stripe.payment_intent.succeeded', nowMs, 'live').body;
    const fresh = stripeRequest(body, nowMs);
    return [
      {
        name: 'a fresh event signed by stripe',
        request: fresh,
        status: 200,
        event: 'payment_intent.succeeded',
      },
      {
        name: 'the same event again (same evt_ id, signed afresh): a redelivery',
        request: stripeRequest(body, nowMs + 1000),
        status: 200,
        redeliveryOf: 'payment_intent.succeeded',
      },
      {
        name: 'an event signed by stripe with the previous secret (WEBHOOK_SECRET_PREVIOUS)',
        request: stripeRequest(
          template('stripe.payment_intent.succeeded', nowMs, 'live-previous').body,
          nowMs,
          STRIPE_PREVIOUS,
        ),
        status: 200,
        event: 'payment_intent.succeeded',
      },
      { name: 'a tampered body', request: { ...fresh, body: `${body}\n` }, status: 401 },
      { name: 'a stale timestamp', request: stripeRequest(body, nowMs - 3600_000), status: 401 },
      {
        name: 'another secret',
        request: stripeRequest(body, nowMs, 'whsec_other'),
        status: 401,
      },
    ];
  },
};

const SW_SECRET = `whsec_${Buffer.from('standard-webhooks-generate-key-01').toString('base64')}`;
function swRequest(
  body: string,
  nowMs: number,
  id: string,
  svix: boolean,
  secret = SW_SECRET,
): Req {
  const signer = svix ? new SvixWebhook(secret) : new StandardWebhook(secret);
  const signature = signer.sign(id, new Date(nowMs), body);
  const prefix = svix ? 'svix' : 'webhook';
  return {
    path: svix ? '/svix' : '/standard',
    headers: {
      'content-type': 'application/json',
      [`${prefix}-id`]: id,
      [`${prefix}-timestamp`]: String(seconds(nowMs)),
      [`${prefix}-signature`]: signature,
    },
    body,
  };
}
function swCase(svix: boolean): Case {
  const name = svix ? 'resend.email.delivered' : 'clerk.user.created';
  return {
    name: svix ? 'svix' : 'standard-webhooks',
    provider: 'standard-webhooks',
    secret: SW_SECRET,
    stored: (nowMs) =>
      [0, 1].map((index) =>
        swRequest(template(name, nowMs, `sw${index}`).body, nowMs, `msg_${index}`, svix),
      ),
    live: (_base, nowMs) => {
      const { body, event } = template(name, nowMs, 'live');
      const fresh = swRequest(body, nowMs, 'msg_live', svix);
      return [
        {
          name: `a fresh event signed by ${svix ? 'svix' : 'standardwebhooks'}`,
          request: fresh,
          status: 200,
          event,
        },
        { name: 'a tampered body', request: { ...fresh, body: `${body} ` }, status: 401 },
        {
          name: 'a stale timestamp',
          request: swRequest(body, nowMs - 3600_000, 'msg_old', svix),
          status: 401,
        },
      ];
    },
  };
}

const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
function slackRequest(body: string, nowMs: number, form = false, secret = SLACK_SECRET): Req {
  const ts = String(seconds(nowMs));
  return {
    path: '/slack',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${hmacHex(secret, `v0:${ts}:`, body)}`,
    },
    body,
  };
}
function slashCommand(text: string): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C2147483705',
    channel_name: 'test',
    user_id: 'U2147483697',
    user_name: 'Steve',
    command: '/weather',
    text,
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
  }).toString();
}
const slack: Case = {
  name: 'slack',
  provider: 'slack',
  secret: SLACK_SECRET,
  stored: (nowMs) => [
    slackRequest(template('slack.message', nowMs, 'a').body, nowMs),
    slackRequest(template('slack.message', nowMs, 'b').body, nowMs),
    slackRequest(slashCommand('94070'), nowMs, true),
    slackRequest(slashCommand('london'), nowMs, true),
  ],
  live: (_base, nowMs) => {
    const body = template('slack.message', nowMs, 'live').body;
    const command = slashCommand('paris');
    return [
      {
        name: 'a fresh message event (v0)',
        request: slackRequest(body, nowMs),
        status: 200,
        event: 'message',
      },
      {
        name: 'a fresh slash command (form, v0)',
        request: slackRequest(command, nowMs, true),
        status: 200,
        event: '/weather',
      },
      {
        name: 'a tampered command',
        request: { ...slackRequest(command, nowMs, true), body: command.replace('paris', 'rome') },
        status: 401,
      },
      { name: 'a stale timestamp', request: slackRequest(body, nowMs - 600_000), status: 401 },
      {
        name: 'the url_verification handshake',
        request: slackRequest(
          json({ token: 't', challenge: 'slack-challenge-1', type: 'url_verification' }),
          nowMs,
        ),
        status: 200,
        answer: (text) => assert.deepEqual(JSON.parse(text), { challenge: 'slack-challenge-1' }),
      },
    ];
  },
};

const SHOPIFY_SECRET = 'shpss_generate_secret_0123456789';
function shopifyRequest(body: string, secret = SHOPIFY_SECRET): Req {
  return {
    path: '/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'example.myshopify.com',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
    body,
  };
}
const shopify: Case = {
  name: 'shopify',
  provider: 'shopify',
  secret: SHOPIFY_SECRET,
  stored: (nowMs) =>
    [0, 1].map((index) =>
      shopifyRequest(template('shopify.orders.create', nowMs, `o${index}`).body),
    ),
  live: (_base, nowMs) => {
    const body = template('shopify.orders.create', nowMs, 'live').body;
    return [
      {
        name: 'a fresh orders/create',
        request: shopifyRequest(body),
        status: 200,
        event: 'orders/create',
      },
      {
        name: 'a tampered body',
        request: { ...shopifyRequest(body), body: `${body} ` },
        status: 401,
      },
      { name: 'another secret', request: shopifyRequest(body, 'other'), status: 401 },
    ];
  },
};

const TWILIO_TOKEN = '12345abcdef67890abcdef1234567890';
function twilioRequest(host: string, params: Record<string, string>, token = TWILIO_TOKEN): Req {
  const path = '/twilio/sms';
  return {
    path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(
        token,
        `http://${host}${path}`,
        params,
      ),
    },
    body: new URLSearchParams(params).toString(),
  };
}
function sms(text: string): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
    NumMedia: '0',
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
    SmsStatus: 'received',
    Body: text,
    To: '+15005550006',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+14155550100',
    ApiVersion: '2010-04-01',
  };
}
const twilioCase: Case = {
  name: 'twilio',
  provider: 'twilio',
  secret: TWILIO_TOKEN,
  stored: () => [twilioRequest(CAPTURE_HOST, sms('Hi')), twilioRequest(CAPTURE_HOST, sms('Yo'))],
  live: (base) => {
    const host = base.replace('http://', '');
    const fresh = twilioRequest(host, sms('Hello from twilio-node'));
    return [
      {
        name: 'a fresh SMS signed by twilio-node',
        request: fresh,
        status: 200,
        event: 'message.received',
        answer: (text) => assert.match(text, /<Response><\/Response>/),
      },
      {
        name: 'a tampered body',
        request: { ...fresh, body: fresh.body.replace('twilio-node', 'someone') },
        status: 401,
      },
      {
        name: 'another Auth Token',
        request: twilioRequest(host, sms('x'), 'other'),
        status: 401,
      },
    ];
  },
};

const GITLAB_TOKEN = 'gitlab-generate-token-7d2e';
function gitlabRequest(body: string, token = GITLAB_TOKEN): Req {
  return {
    path: '/gitlab',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-token': token,
    },
    body,
  };
}
const gitlab: Case = {
  name: 'gitlab',
  provider: 'gitlab',
  secret: GITLAB_TOKEN,
  stored: (nowMs) =>
    [0, 1].map((index) => gitlabRequest(template('gitlab.push', nowMs, `g${index}`).body)),
  live: (_base, nowMs) => {
    const body = template('gitlab.push', nowMs, 'live').body;
    return [
      { name: 'a fresh push', request: gitlabRequest(body), status: 200, event: 'push' },
      { name: 'a wrong token', request: gitlabRequest(body, 'wrong'), status: 401 },
      {
        name: 'no token',
        request: { path: '/gitlab', headers: { 'content-type': 'application/json' }, body },
        status: 401,
      },
    ];
  },
};

const META_SECRET = '0123456789abcdef0123456789abcdef';
function metaRequest(body: string, secret = META_SECRET): Req {
  return {
    path: '/meta',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmacHex(secret, body)}`,
    },
    body,
  };
}
const meta: Case = {
  name: 'meta',
  provider: 'meta',
  secret: META_SECRET,
  verifyToken: 'meta-verify-token-42',
  stored: (nowMs) =>
    [0, 1].map((index) => metaRequest(template('meta.whatsapp.messages', nowMs, `m${index}`).body)),
  live: (_base, nowMs) => {
    const body = template('meta.whatsapp.messages', nowMs, 'live').body;
    return [
      {
        name: 'a fresh WhatsApp message',
        request: metaRequest(body),
        status: 200,
        event: 'whatsapp_business_account.messages',
      },
      { name: 'a tampered body', request: { ...metaRequest(body), body: `${body} ` }, status: 401 },
      {
        name: 'the subscription GET with the verify token',
        request: {
          method: 'GET',
          path: '/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token-42&hub.challenge=1158201444',
          headers: {},
          body: '',
        },
        status: 200,
        answer: (text) => assert.equal(text, '1158201444'),
      },
      {
        name: 'the subscription GET with another token',
        request: {
          method: 'GET',
          path: '/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
          headers: {},
          body: '',
        },
        status: 403,
      },
    ];
  },
};

const discordKeys = generateKeyPairSync('ed25519');
const otherDiscordKeys = generateKeyPairSync('ed25519');
const DISCORD_PUBLIC = Buffer.from(
  discordKeys.publicKey.export({ format: 'jwk' }).x ?? '',
  'base64url',
).toString('hex');
function discordRequest(body: string, nowMs: number, keys = discordKeys): Req {
  const timestamp = String(seconds(nowMs));
  return {
    path: '/discord',
    headers: {
      'content-type': 'application/json',
      'x-signature-timestamp': timestamp,
      'x-signature-ed25519': signBytes(
        null,
        Buffer.from(timestamp + body),
        keys.privateKey,
      ).toString('hex'),
    },
    body,
  };
}
function discordCommand(id: string, city: string): string {
  return json({
    id,
    application_id: '1196340560374894592',
    type: 2,
    data: {
      id: '1196340560374894593',
      name: 'weather',
      type: 1,
      options: [{ name: 'city', type: 3, value: city }],
    },
    guild_id: '1196340560374894594',
    channel_id: '1196340560374894595',
    member: { user: { id: '53908232506183680', username: 'mason' } },
    token: 'interaction-token',
    version: 1,
  });
}
const discord: Case = {
  name: 'discord',
  provider: 'discord',
  secret: DISCORD_PUBLIC,
  stored: (nowMs) => [
    discordRequest(discordCommand('1', 'Paris'), nowMs),
    discordRequest(discordCommand('2', 'Lima'), nowMs),
  ],
  live: (_base, nowMs) => {
    const body = discordCommand('3', 'Oslo');
    return [
      {
        name: 'a fresh /weather command',
        request: discordRequest(body, nowMs),
        status: 200,
        event: 'APPLICATION_COMMAND /weather',
      },
      {
        name: 'PING is answered PONG',
        request: discordRequest(json({ id: '9', application_id: '1', type: 1, version: 1 }), nowMs),
        status: 200,
        answer: (text) => assert.deepEqual(JSON.parse(text), { type: 1 }),
      },
      {
        name: "a signature from another key (Discord's own probe)",
        request: discordRequest(body, nowMs, otherDiscordKeys),
        status: 401,
      },
      {
        name: 'a tampered body',
        request: { ...discordRequest(body, nowMs), body: body.replace('Oslo', 'Rome') },
        status: 401,
      },
    ];
  },
};

const WATSON_SECRET = 'watson-generate-secret-8e4f';
function watsonRequest(body: string, nowMs: number, secret = WATSON_SECRET): Req {
  return {
    path: '/watson',
    headers: {
      'content-type': 'application/json',
      authorization: signToken(secret, {}, { nowMs }),
    },
    body,
  };
}
const watson: Case = {
  name: 'watson',
  provider: 'watson',
  secret: WATSON_SECRET,
  stored: (nowMs) => [
    watsonRequest(template('watson.message_logged', nowMs, 'w1').body, nowMs),
    watsonRequest(template('watson.message_logged', nowMs, 'w2').body, nowMs),
    watsonRequest(template('watson.message_received', nowMs, 'w3').body, nowMs),
  ],
  live: (_base, nowMs) => {
    const logged = template('watson.message_logged', nowMs, 'live').body;
    const received = template('watson.message_received', nowMs, 'live2').body;
    return [
      {
        name: 'a fresh message_logged (JWT)',
        request: watsonRequest(logged, nowMs),
        status: 200,
        event: 'message_logged',
      },
      {
        name: 'a pre-message webhook gets its { payload } back',
        request: watsonRequest(received, nowMs),
        status: 200,
        answer: (text) =>
          assert.deepEqual(JSON.parse(text), {
            payload: (JSON.parse(received) as { payload: unknown }).payload,
          }),
      },
      {
        name: 'an expired token',
        request: watsonRequest(logged, nowMs - 7200_000),
        status: 401,
      },
      { name: 'another secret', request: watsonRequest(logged, nowMs, 'other'), status: 401 },
    ];
  },
};

/**
 * Providers whose scheme family is one of the above (Paddle, Mux and Calendly like Stripe;
 * Typeform, Vercel and Linear a body HMAC; Zoom like Slack; Intercom like GitHub's SHA-1; Square
 * URL-bound like Twilio; Twitch): signed by HookLens's own scheme.sign, whose vectors are the
 * providers' published ones (test/unit/schemeVectors.test.ts).
 */
function schemeCase(
  provider: string,
  scheme: string,
  secret: string,
  event: string,
  body: (nowMs: number, index: number) => unknown,
  extraHeaders: Record<string, string> = {},
  handshake?: Check['answer'] & ((text: string) => void),
  handshakeBody?: (nowMs: number) => unknown,
): Case {
  const signWith = (host: string, text: string, nowMs: number, key = secret): Req => {
    const path = `/${provider}`;
    const headers: Array<readonly [string, string]> = [
      ['Host', host],
      ['content-type', 'application/json'],
      ...Object.entries(extraHeaders),
    ];
    const signed = schemeById(scheme)!.sign!(
      { method: 'POST', url: path, headers, body: Buffer.from(text) },
      { label: 'current', value: key },
      { nowMs, providerLabel: provider },
    );
    return {
      path,
      headers: Object.fromEntries(
        signed.headers.filter(([name]) => name.toLowerCase() !== 'host').map(([n, v]) => [n, v]),
      ),
      body: text,
    };
  };
  return {
    name: provider,
    provider,
    secret,
    stored: (nowMs) =>
      [0, 1].map((index) => signWith(CAPTURE_HOST, json(body(nowMs, index)), nowMs)),
    live: (base, nowMs) => {
      const host = base.replace('http://', '');
      const text = json(body(nowMs, 7));
      const fresh = signWith(host, text, nowMs);
      const checks: Check[] = [
        { name: `a fresh ${event}`, request: fresh, status: 200, event },
        { name: 'a tampered body', request: { ...fresh, body: `${text} ` }, status: 401 },
        {
          name: 'another secret',
          request: signWith(host, text, nowMs, 'not-the-secret-0'),
          status: 401,
        },
      ];
      if (
        provider !== 'square' &&
        provider !== 'typeform' &&
        provider !== 'vercel' &&
        provider !== 'intercom'
      ) {
        const staleMs = nowMs - 3600_000;
        checks.push({
          name: 'a stale timestamp',
          request: signWith(host, json(body(staleMs, 8)), staleMs),
          status: 401,
        });
      }
      if (handshake && handshakeBody) {
        checks.push({
          name: 'the handshake',
          request: signWith(host, json(handshakeBody(nowMs)), nowMs),
          status: 200,
          answer: handshake,
        });
      }
      return checks;
    },
  };
}

const ZOOM_SECRET = 'zoom-generate-secret-token';
const FURTHER: readonly Case[] = [
  schemeCase(
    'paddle',
    'paddle',
    'pdl_ntfset_generate_secret',
    'transaction.completed',
    (_now, i) => ({
      event_id: `evt_${i}`,
      event_type: 'transaction.completed',
      occurred_at: '2026-11-23T12:00:00.000Z',
      notification_id: `ntf_${i}`,
      data: { id: `txn_${i}`, status: 'completed', customer_id: 'ctm_1', currency_code: 'USD' },
    }),
  ),
  schemeCase('mux', 'mux', 'mux-generate-signing-secret', 'video.asset.ready', (_now, i) => ({
    type: 'video.asset.ready',
    id: `e-${i}`,
    object: { type: 'asset', id: `a-${i}` },
    environment: { name: 'Production', id: 'env1' },
    data: { status: 'ready', duration: 23.3, id: `a-${i}` },
  })),
  schemeCase(
    'calendly',
    'calendly',
    'calendly-generate-signing-key',
    'invitee.created',
    (_now, i) => ({
      event: 'invitee.created',
      created_at: '2026-11-23T12:00:00.000000Z',
      created_by: 'https://api.calendly.com/users/AAAA',
      payload: {
        email: `x${i}@example.com`,
        name: 'Jo',
        scheduled_event: { uri: `https://api.calendly.com/scheduled_events/${i}` },
      },
    }),
  ),
  schemeCase('typeform', 'typeform', 'typeform-generate-secret', 'form_response', (_now, i) => ({
    event_id: `01H${i}`,
    event_type: 'form_response',
    form_response: { form_id: 'lT4Z3j', token: `t${i}`, answers: [{ type: 'text', text: 'Hi' }] },
  })),
  schemeCase(
    'vercel',
    'vercel',
    'vercel-generate-secret',
    'deployment.created',
    (_now, i) => ({
      id: `evt_${i}`,
      type: 'deployment.created',
      createdAt: 1795435200000,
      payload: { deployment: { id: `dpl_${i}`, url: 'x.vercel.app' }, project: { id: 'prj_1' } },
    }),
    { 'x-vercel-signature': '0' },
  ),
  schemeCase(
    'linear',
    'linear',
    'lin_wh_generate_secret',
    'Issue.create',
    (nowMs, i) => ({
      action: 'create',
      type: 'Issue',
      createdAt: '2026-11-23T12:00:00.000Z',
      data: { id: `iss_${i}`, title: 'Bug', priority: 2 },
      url: 'https://linear.app/x/issue/X-1',
      webhookTimestamp: nowMs,
      webhookId: 'wh_1',
    }),
    { 'linear-signature': '0' },
  ),
  schemeCase(
    'zoom',
    'zoom',
    ZOOM_SECRET,
    'meeting.started',
    (nowMs, i) => ({
      event: 'meeting.started',
      event_ts: nowMs,
      payload: {
        account_id: 'acc',
        object: { id: `m${i}`, topic: 'Standup', start_time: '2026-11-23T12:00:00Z' },
      },
    }),
    {},
    (text) =>
      assert.deepEqual(JSON.parse(text), {
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: hmacHex(ZOOM_SECRET, 'qgg8vlvZRS6UYooatFL8Aw'),
      }),
    (nowMs) => ({
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      event_ts: nowMs,
      event: 'endpoint.url_validation',
    }),
  ),
  schemeCase(
    'intercom',
    'hub-signature',
    'intercom-generate-secret',
    'conversation.user.created',
    (_now, i) => ({
      type: 'notification_event',
      id: `notif_${i}`,
      topic: 'conversation.user.created',
      app_id: 'abc',
      data: { type: 'notification_event_data', item: { type: 'conversation', id: `c${i}` } },
    }),
    { 'x-hub-signature': 'sha1=0', 'user-agent': 'intercom-parrot-service-client/1.0' },
  ),
  schemeCase(
    'square',
    'square',
    'square-generate-signature-key',
    'payment.updated',
    (_now, i) => ({
      merchant_id: 'M1',
      type: 'payment.updated',
      event_id: `e-${i}`,
      created_at: '2026-11-23T12:00:00Z',
      data: {
        type: 'payment',
        id: `p${i}`,
        object: { payment: { id: `p${i}`, status: 'COMPLETED' } },
      },
    }),
    { 'x-square-hmacsha256-signature': '0' },
  ),
  schemeCase(
    'twitch',
    'twitch',
    'twitch-generate-secret',
    'channel.follow',
    (_now, i) => ({
      subscription: {
        id: 's1',
        type: 'channel.follow',
        version: '2',
        status: 'enabled',
        condition: { broadcaster_user_id: '1' },
      },
      event: {
        user_id: `${i}`,
        user_login: 'viewer',
        broadcaster_user_id: '1',
        followed_at: '2026-11-23T12:00:00Z',
      },
    }),
    {
      'twitch-eventsub-message-type': 'notification',
      'twitch-eventsub-subscription-type': 'channel.follow',
      'twitch-eventsub-message-id': 'msg-1',
    },
  ),
];

const CASES: readonly Case[] = [
  github,
  stripe,
  swCase(false),
  swCase(true),
  slack,
  shopify,
  twilioCase,
  gitlab,
  meta,
  discord,
  watson,
  ...FURTHER,
];

// ---------------------------------------------------------------------------------------------

async function fillStore(testCase: Case, nowMs: number): Promise<string> {
  const dir = await tempDir(`hooklens-genprov-${testCase.name}-`);
  const store = await DeliveryStore.open(dir);
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () =>
      analyserWithSecrets([
        { provider: testCase.provider, label: 'current', value: testCase.secret },
      ]),
  });
  let at = nowMs;
  for (const request of testCase.stored(nowMs)) {
    const captured: CapturedRequest = {
      receivedAtMs: (at += 10),
      startedAt: process.hrtime.bigint(),
      method: request.method ?? 'POST',
      url: request.path,
      headers: [['Host', CAPTURE_HOST], ...Object.entries(request.headers)],
      remoteAddress: '127.0.0.1',
      body: Buffer.from(request.body),
    };
    await ingestor.ingest(captured);
  }
  await store.close();
  return dir;
}

/** Generates, builds and starts one language's server; returns it listening on `port`. */
async function serve(
  testCase: Case,
  store: string,
  language: Language,
  port: number,
): Promise<Running> {
  const out = join(OUT_ROOT, `${testCase.name}-${language}`);
  await rm(out, { recursive: true, force: true });
  const generated = await runCli(
    ['generate', '--store', store, '--lang', language, '--out', out],
    { HOOKLENS_SECRET: testCase.secret },
    60_000,
  );
  assert.equal(generated.status, 0, generated.stderr);
  const env = {
    WEBHOOK_SECRET: testCase.secret,
    PORT: String(port),
    PYTHONUNBUFFERED: '1',
    ...(testCase.verifyToken ? { VERIFY_TOKEN: testCase.verifyToken } : {}),
    ...(testCase.previousSecret ? { WEBHOOK_SECRET_PREVIOUS: testCase.previousSecret } : {}),
  };
  let running: Running;
  if (language === 'typescript') {
    const compiled = await compileTypescript(out);
    assert.equal(compiled.status, 0, compiled.output);
    running = startProcess(process.execPath, [join(out, 'out', 'server.js')], out, env);
  } else if (language === 'python') {
    running = startProcess(
      pythonWithFastapi()!,
      ['-m', 'uvicorn', 'webhook_handler:app', '--host', '127.0.0.1', '--port', String(port)],
      out,
      env,
    );
  } else {
    await appendFile(
      join(out, 'go.mod'),
      `\nreplace github.com/golang-jwt/jwt/v4 => ${GO_JWT_SOURCE}\n`,
    );
    const built = await exec('go', ['build', '-o', 'webhook-server', '.'], out, {
      GOFLAGS: '-mod=mod',
      GOPROXY: 'off',
      GO111MODULE: 'on',
    });
    assert.equal(built.status, 0, built.output);
    running = startProcess(join(out, 'webhook-server'), [], out, env);
  }
  await waitForPort(port, running, `${testCase.name} ${language} server`);
  return running;
}

/** The generated test, run the way its file header says. */
function generatedTest(
  dir: string,
  language: Language,
): Promise<{ status: number | null; output: string }> {
  if (language === 'typescript') {
    return exec(
      process.execPath,
      ['--test', '--test-reporter=tap', join('out', 'webhookHandler.test.js')],
      dir,
    );
  }
  if (language === 'python') return exec(python!, ['-m', 'unittest', 'test_webhook_handler'], dir);
  return exec('go', ['test', './...'], dir, {
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GO111MODULE: 'on',
  });
}

async function send(base: string, request: Req): Promise<{ status: number; text: string }> {
  const response = await fetch(base + request.path, {
    method: request.method ?? 'POST',
    headers: request.headers,
    ...(request.method === 'GET' ? {} : { body: request.body }),
  });
  return { status: response.status, text: await response.text() };
}

const missingGo = goToolchain();
const python = pythonWithFastapi();
const LANGUAGES: readonly Language[] = [
  'typescript',
  ...(python ? (['python'] as const) : []),
  ...(missingGo ? [] : (['go'] as const)),
];

after(async () => {
  await cleanUp();
  console.log(
    `generateProviders: ${CASES.length} providers × ${LANGUAGES.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

describe('generated handlers accept their provider’s real deliveries and refuse forged ones', () => {
  before(() => {
    if (!python) console.log('generateProviders: Python with FastAPI missing; Python skipped');
    if (missingGo) console.log(`generateProviders: ${missingGo}; Go skipped`);
  });

  for (const testCase of CASES) {
    it(`${testCase.name}: TypeScript, Python and Go servers`, async () => {
      const nowMs = Date.now();
      const store = await fillStore(testCase, nowMs);
      const ports = await Promise.all(LANGUAGES.map(() => freePort()));
      // Languages in parallel: tsc and go build overlap, Python starts at once.
      const settled = await Promise.allSettled(
        LANGUAGES.map((language, index) => serve(testCase, store, language, ports[index]!)),
      );
      const servers = settled.flatMap((result) =>
        result.status === 'fulfilled' ? [result.value] : [],
      );
      const failed = settled.find(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      if (failed !== undefined) {
        await Promise.all(servers.map(stop));
        throw failed.reason;
      }
      try {
        for (const [index, language] of LANGUAGES.entries()) {
          const base = `http://127.0.0.1:${ports[index]}`;
          const checks =
            testCase === github ? await githubLive(base) : testCase.live(base, Date.now());
          for (const check of checks) {
            const { status, text } = await send(base, check.request);
            assert.equal(
              status,
              check.status,
              `${testCase.name} ${language}: ${check.name}: ${status} ${text}\n${servers[index]!.output}`,
            );
            check.answer?.(text);
          }
          // Every genuine delivery reached its typed function, which logs its event name.
          await new Promise((resolve) => setTimeout(resolve, 150));
          for (const check of checks) {
            if (check.redeliveryOf === undefined) continue;
            const genuine = checks.filter(
              (each) =>
                each.event === check.redeliveryOf &&
                each.request.body === check.request.body &&
                each.redeliveryOf === undefined,
            ).length;
            const reached = servers[index]!.output.split('\n').filter((line) =>
              line.endsWith(`webhook: ${check.redeliveryOf}`),
            ).length;
            const others = checks.filter(
              (each) =>
                each.event === check.redeliveryOf && each.request.body !== check.request.body,
            ).length;
            assert.equal(
              reached,
              genuine + others,
              `${testCase.name} ${language}: ${check.name} reached its function again:\n${servers[index]!.output}`,
            );
          }
          for (const check of checks) {
            if (check.event === undefined) continue;
            assert.ok(
              servers[index]!.output.includes(`webhook: ${check.event}`),
              `${testCase.name} ${language}: ${check.event} did not reach its function:\n${servers[index]!.output}`,
            );
          }
        }
      } finally {
        await Promise.all(servers.map(stop));
      }
      // And each generated test passes: samples signed the provider's way reach their functions,
      // tampered, stale and wrongly signed ones get 401, handshakes are answered.
      const tested = await Promise.all(
        LANGUAGES.map((language) =>
          generatedTest(join(OUT_ROOT, `${testCase.name}-${language}`), language),
        ),
      );
      for (const [index, result] of tested.entries()) {
        assert.equal(
          result.status,
          0,
          `${testCase.name} ${LANGUAGES[index]} generated test:\n${result.output}`,
        );
      }
    });
  }
});
