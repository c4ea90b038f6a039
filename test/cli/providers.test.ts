// Every provider over a real `hooklens listen` on a real socket. Deliveries are signed by the
// providers' own libraries (@octokit/webhooks-methods, stripe, standardwebhooks, svix, twilio) or,
// where a provider publishes no signing library, exactly as its documentation describes (Shopify,
// Slack, Meta, Discord with node:crypto). Each is judged by the HTTP status the sender gets and
// the delivery's `--json` line: verified, refused, expired, or unverified for want of a secret;
// and no configured secret may reach the store or an export.
import assert from 'node:assert/strict';
import {
  createHmac,
  generateKeyPairSync,
  randomUUID,
  sign as signWithKey,
  type KeyObject,
} from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import examples from '@octokit/webhooks-examples';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import type { ExportedDelivery } from '../../src/core/export/exportRecord';
import { signToken } from '../../src/core/verify/sign';
import {
  cleanUp,
  messageLogged,
  runCli,
  startListen,
  tempDir,
  type ListenProcess,
} from './listenProcess';

after(cleanUp);

// ---------------------------------------------------------------------------------------------
// Secrets, shaped like each provider's (the CLI warns about a value that does not look right).

const discordKeys = generateKeyPairSync('ed25519');
/** Discord shows the application's Ed25519 public key as 64 hex digits. */
const discordPublicKeyHex = Buffer.from(
  String(discordKeys.publicKey.export({ format: 'jwk' }).x),
  'base64url',
).toString('hex');

const SECRETS = {
  HL_SECRET: 'watson-jwt-secret-3f9c1e7a5b2d4068',
  GH_SECRET: 'github-webhook-secret-8e41c0d7a2f95b36',
  STRIPE_SECRET: 'whsec_7d1f0c4b9a2e6358c1d0b7e4f2a9c6d3',
  // Base64 with '+', '/' and '=' in it, so its URL-encoded form differs from the raw one.
  SW_SECRET: 'whsec_/xfmLPvTE6k2QbTEXrcfF252zK+e7oNJJQ==',
  SHOPIFY_SECRET: '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',
  SLACK_SECRET: 'a3c9e1f7b5d20846c1e9a7f3b5d2c084',
  TWILIO_TOKEN: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
  GITLAB_TOKEN: 'glwt-secret-token-6d2b9f41e8c3a075',
  META_SECRET: '4b7e2a9d1c6f3e8b0a5d7c2e9f1b4a6d',
  META_VERIFY: 'meta-verify-token-19c7e4b2a8d6f305',
  DISCORD_KEY: discordPublicKeyHex,
} as const;

/** Every provider's secret configured, plus the JWT secret without a provider. */
const ALL_SECRET_ARGS = [
  '--secret-env',
  'HL_SECRET',
  '--secret-env',
  'github:GH_SECRET',
  '--secret-env',
  'stripe:STRIPE_SECRET',
  '--secret-env',
  'standard-webhooks:SW_SECRET',
  '--secret-env',
  'shopify:SHOPIFY_SECRET',
  '--secret-env',
  'slack:SLACK_SECRET',
  '--secret-env',
  'twilio:TWILIO_TOKEN',
  '--secret-env',
  'gitlab:GITLAB_TOKEN',
  '--secret-env',
  'meta:META_SECRET',
  '--secret-env',
  'discord:DISCORD_KEY',
  '--verify-token-env',
  'meta:META_VERIFY',
];

/** The public URL Twilio is configured with (a tunnel's); Twilio signs it, not 127.0.0.1. */
const PUBLIC_URL = 'https://hooklens-test.ngrok.app';

const stripe = new Stripe('sk_test_hooklens_provider_tests');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
/** Ten minutes ago: past every provider's five-minute tolerance. */
const staleSeconds = (): number => nowSeconds() - 600;

// ---------------------------------------------------------------------------------------------
// Sending, and finding the delivery's --json line.

interface Outgoing {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface Delivered extends Answer {
  /** The delivery's `--json` line. */
  readonly record: ExportedDelivery;
}

function send(port: number, outgoing: Outgoing): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: outgoing.path,
        method: outgoing.method ?? 'POST',
        agent: false,
        headers: outgoing.headers ?? {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(outgoing.body ?? '');
  });
}

const TAG_HEADER = 'X-Test-Case';
let tagCounter = 0;

function parsedLines(listen: ListenProcess): ExportedDelivery[] {
  return listen.stdoutLines().map((line) => JSON.parse(line) as ExportedDelivery);
}

function headerValue(record: ExportedDelivery, name: string): string | undefined {
  return record.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/**
 * Sends one request tagged with a unique X-Test-Case header (no provider signs it) and resolves
 * with the answer and the `--json` line carrying that tag.
 */
async function deliver(listen: ListenProcess, outgoing: Outgoing): Promise<Delivered> {
  const tag = `case-${++tagCounter}`;
  const answer = await send(listen.port, {
    ...outgoing,
    headers: { ...outgoing.headers, [TAG_HEADER]: tag },
  });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const record = parsedLines(listen).find((line) => headerValue(line, TAG_HEADER) === tag);
    if (record) return { ...answer, record };
    if (Date.now() > deadline) {
      throw new Error(
        `No --json line for ${outgoing.method ?? 'POST'} ${outgoing.path} (answered ${answer.status} ${answer.body}); stdout:\n${listen.stdout()}\nstderr:\n${listen.stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function assertVerified(delivered: Delivered, sender: string, event: string): void {
  const { record } = delivered;
  const context = `${sender} ${event}: ${delivered.status} ${JSON.stringify(record.verification)}`;
  assert.ok(delivered.status >= 200 && delivered.status < 300, context);
  assert.equal(record.verification.verdict, 'verified', context);
  assert.equal(record.sender, sender, context);
  assert.equal(record.event, event, context);
  assert.equal(record.status, delivered.status, context);
}

function assertRefused(delivered: Delivered, sender: string, verdict: string): void {
  const { record } = delivered;
  const context = `${sender}: ${delivered.status} ${JSON.stringify(record.verification)}`;
  assert.equal(delivered.status, 401, context);
  assert.equal(delivered.body, '{"error":"unauthorized"}', context);
  assert.equal(record.verification.verdict, verdict, context);
  assert.equal(record.sender, sender, context);
  assert.equal(record.status, 401, context);
}

function assertUnverified(delivered: Delivered, sender: string, label: string): void {
  const { record } = delivered;
  const context = `${sender}: ${delivered.status} ${JSON.stringify(record.verification)}`;
  assert.ok(delivered.status >= 200 && delivered.status < 300, context);
  assert.equal(record.verification.verdict, 'no_secret', context);
  assert.equal(record.sender, sender, context);
  assert.ok(record.verification.reason.includes(label), `the reason names ${label}: ${context}`);
}

/** The same body with one more character in a string value: what a tampering proxy does. */
function tamper(body: string, from: string, to: string): string {
  assert.ok(body.includes(from), `the body contains ${from}`);
  return body.replace(from, to);
}

// ---------------------------------------------------------------------------------------------
// Deliveries, each the way its provider sends it.

type GithubExample = Record<string, unknown> & { action?: string };

/** An example payload from @octokit/webhooks-examples (GitHub's own, from its docs). */
function githubExample(name: string, action?: string): GithubExample {
  const definition = examples.find((candidate) => candidate.name === name);
  const example = (definition?.examples as GithubExample[] | undefined)?.find(
    (candidate) => action === undefined || candidate.action === action,
  );
  assert.ok(example, `an example of ${name}${action ? `.${action}` : ''}`);
  return example;
}

let octokitSign: ((secret: string, payload: string) => Promise<string>) | undefined;
let octokitVerify:
  ((secret: string, payload: string, signature: string) => Promise<boolean>) | undefined;

before(async () => {
  // ESM-only package: loaded once, dynamically, from this CommonJS test.
  const methods = await import('@octokit/webhooks-methods');
  octokitSign = methods.sign;
  octokitVerify = methods.verify;
});

/** Headers as GitHub sends them, signed by @octokit/webhooks-methods. */
async function githubDelivery(
  event: string,
  body: string,
  options: { secret?: string; deliveryId?: string; contentType?: string; signedBody?: string } = {},
): Promise<Record<string, string>> {
  assert.ok(octokitSign && octokitVerify);
  const secret = options.secret ?? SECRETS.GH_SECRET;
  const signed = options.signedBody ?? body;
  const signature = await octokitSign(secret, signed);
  assert.equal(await octokitVerify(secret, signed, signature), true, "octokit's own check");
  return {
    'Content-Type': options.contentType ?? 'application/json',
    'User-Agent': 'GitHub-Hookshot/5a1c3d2',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': options.deliveryId ?? randomUUID(),
    'X-GitHub-Hook-ID': '292430182',
    'X-GitHub-Hook-Installation-Target-Type': 'repository',
    'X-GitHub-Hook-Installation-Target-ID': '79929171',
    'X-Hub-Signature-256': signature,
  };
}

/** A Stripe event as Stripe posts it: pretty-printed with two spaces. */
function stripeEvent(type: string, id = `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`) {
  return JSON.stringify(
    {
      id,
      object: 'event',
      api_version: '2024-06-20',
      created: nowSeconds(),
      data: {
        object: {
          id: 'pi_3PqT9aLkdIwHu7ix0o1b2c3d',
          object: 'payment_intent',
          amount: 2000,
          currency: 'usd',
          status: 'succeeded',
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_8Hn3kx9sZq1Abc', idempotency_key: randomUUID() },
      type,
    },
    null,
    2,
  );
}

function stripeHeaders(body: string, secret: string, timestamp?: number): Record<string, string> {
  const header = stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'Stripe-Signature': header,
  };
}

/** Headers signed by the standardwebhooks library (`webhook-*`) or by svix (`svix-*`). */
function standardWebhookHeaders(
  library: 'standardwebhooks' | 'svix',
  body: string,
  secret: string,
  timestampSeconds = nowSeconds(),
): Record<string, string> {
  const id = `msg_${randomUUID().replace(/-/g, '')}`;
  const when = new Date(timestampSeconds * 1000);
  const prefix = library === 'svix' ? 'svix' : 'webhook';
  const signature =
    library === 'svix'
      ? new SvixWebhook(secret).sign(id, when, body)
      : new StandardWebhook(secret).sign(id, when, body);
  return {
    'Content-Type': 'application/json',
    [`${prefix}-id`]: id,
    [`${prefix}-timestamp`]: String(timestampSeconds),
    [`${prefix}-signature`]: signature,
  };
}

function shopifyOrder(orderId: number): string {
  return JSON.stringify({
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email: 'jon@example.com',
    created_at: '2024-07-01T12:00:00-04:00',
    currency: 'USD',
    financial_status: 'paid',
    name: '#9999',
    total_price: '398.00',
    line_items: [{ id: 14862637629587, title: 'IPod Nano - 8GB', quantity: 1, price: '199.00' }],
  });
}

/** As Shopify's docs say: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body. */
function shopifyHeaders(
  topic: string,
  body: string,
  secret: string,
  webhookId: string = randomUUID(),
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': topic,
    'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
    'X-Shopify-Shop-Domain': 'hooklens-test.myshopify.com',
    'X-Shopify-API-Version': '2024-07',
    'X-Shopify-Webhook-Id': webhookId,
    'X-Shopify-Event-Id': randomUUID(),
    'X-Shopify-Triggered-At': new Date().toISOString(),
  };
}

/** Slack's documented v0 scheme: v0=hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
function slackHeaders(
  body: string,
  secret: string,
  contentType: string,
  timestamp = nowSeconds(),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': `v0=${signature}`,
  };
}

const slackAppMention = JSON.stringify({
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: {
    type: 'app_mention',
    user: 'U123ABC456',
    text: '<@U0LAN0Z89> is it everything a river should be?',
    ts: '1515449522.000016',
    channel: 'C123ABC456',
    event_ts: '1515449522000016',
  },
  type: 'event_callback',
  event_id: 'Ev123ABC456',
  event_time: 1515449522000016,
});

/** A slash command, form-encoded as Slack posts it. */
const slackSlashCommand = new URLSearchParams({
  token: 'gIkuvaNzQIHg97ATvDxqgjtO',
  team_id: 'T0001',
  team_domain: 'example',
  channel_id: 'C2147483705',
  channel_name: 'test',
  user_id: 'U2147483697',
  user_name: 'Steve',
  command: '/weather',
  text: '94070',
  api_app_id: 'A123456',
  response_url: 'https://hooks.slack.com/commands/1234/5678',
  trigger_id: '13345224609.738474920.8088930838d88f5e4b6d9c6a8d6f0a1b',
}).toString();

const FORM = 'application/x-www-form-urlencoded';

/** An incoming SMS, the fields Twilio posts. */
function twilioSms(body: string, status = 'received'): Record<string, string> {
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
    FromState: 'CA',
    SmsStatus: status,
    FromCity: 'SAN FRANCISCO',
    Body: body,
    FromCountry: 'US',
    To: '+15005550006',
    ToZip: '94105',
    NumSegments: '1',
    MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
    AccountSid: 'ACae0e1d2c3b4a5968778695a4b3c2d1e0',
    From: '+14155551234',
    ApiVersion: '2010-04-01',
  };
}

/** Signed by twilio-node over the public URL, and checked with its own validateRequest. */
function twilioHeaders(url: string, params: Record<string, string>): Record<string, string> {
  const signature = twilio.getExpectedTwilioSignature(SECRETS.TWILIO_TOKEN, url, params);
  assert.equal(
    twilio.validateRequest(SECRETS.TWILIO_TOKEN, signature, url, params),
    true,
    "twilio-node's own check",
  );
  return {
    'Content-Type': FORM,
    'User-Agent': 'TwilioProxy/1.1',
    'X-Twilio-Signature': signature,
    'I-Twilio-Idempotency-Token': randomUUID(),
  };
}

function gitlabPush(): string {
  return JSON.stringify({
    object_kind: 'push',
    event_name: 'push',
    before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
    after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
    ref: 'refs/heads/master',
    user_name: 'John Smith',
    user_username: 'jsmith',
    project_id: 15,
    project: {
      id: 15,
      name: 'Diaspora',
      web_url: 'http://example.com/mike/diaspora',
      path_with_namespace: 'mike/diaspora',
      default_branch: 'master',
    },
    commits: [
      {
        id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
        message:
          'Update Catalan translation to e38cb41.\n\nSee https://gitlab.com/gitlab-org/gitlab for more information',
        timestamp: '2011-12-12T14:27:31+02:00',
        author: { name: 'Jordi Mallach', email: 'jordi@softcatala.org' },
      },
    ],
    total_commits_count: 1,
  });
}

function gitlabHeaders(token: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'GitLab/17.2.0',
    'X-Gitlab-Event': 'Push Hook',
    'X-Gitlab-Token': token,
    'X-Gitlab-Instance': 'https://gitlab.example.com',
    'X-Gitlab-Webhook-UUID': randomUUID(),
    'X-Gitlab-Event-UUID': randomUUID(),
  };
}

/** A WhatsApp Cloud API text message notification, as in Meta's docs. */
const whatsappMessage = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
            messages: [
              {
                from: '16505551234',
                id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
                timestamp: '1749416383',
                text: { body: 'Does it come in another color?' },
                type: 'text',
              },
            ],
          },
          field: 'messages',
        },
      ],
    },
  ],
});

/** Meta signs the raw body with the App Secret: X-Hub-Signature-256: sha256=<hex>. */
function metaHeaders(body: string, secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'facebookexternalua',
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

function discordInteraction(type: number): string {
  const base = {
    type,
    id: '786008729715212338',
    application_id: '775799577604522054',
    token: 'A_UNIQUE_TOKEN',
    version: 1,
  };
  if (type === 1) return JSON.stringify(base);
  return JSON.stringify({
    ...base,
    guild_id: '290926798626357999',
    channel_id: '645027906669510667',
    member: { user: { id: '53908232506183680', username: 'Mason', discriminator: '1337' } },
    data: {
      id: '771825006014889984',
      name: 'cardsearch',
      type: 1,
      options: [{ type: 3, name: 'cardname', value: 'The Gitrog Monster' }],
    },
  });
}

/** Ed25519 over timestamp + body with the application's private key, hex, as Discord signs. */
function discordHeaders(body: string, privateKey: KeyObject = discordKeys.privateKey) {
  const timestamp = String(nowSeconds());
  const signature = signWithKey(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'Discord-Interactions/1.0 (+https://discord.com)',
    'X-Signature-Ed25519': signature,
    'X-Signature-Timestamp': timestamp,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the store and exports for secrets.

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Each configured secret in every form a request could have carried it in. */
function secretForms(secrets: Record<string, string>): Array<{ name: string; form: string }> {
  const forms: Array<{ name: string; form: string }> = [];
  for (const [name, value] of Object.entries(secrets)) {
    const add = (form: string): void => {
      if (!forms.some((known) => known.form === form)) forms.push({ name, form });
    };
    add(value);
    add(encodeURIComponent(value));
    add(Buffer.from(value).toString('base64'));
    add(Buffer.from(`hooklens:${value}`).toString('base64'));
  }
  return forms;
}

function leaks(text: string, secrets: Record<string, string>): string[] {
  return secretForms(secrets)
    .filter(({ form }) => text.includes(form))
    .map(({ name, form }) => `${name} as ${JSON.stringify(form)}`);
}

async function storeLeaks(
  store: string,
  secrets: Record<string, string>,
): Promise<{ files: number; text: string; found: string[] }> {
  const files = await filesUnder(store);
  let text = '';
  const found: string[] = [];
  for (const file of files) {
    const content = (await readFile(file)).toString('latin1');
    text += content;
    for (const leak of leaks(content, secrets)) found.push(`${file}: ${leak}`);
  }
  return { files: files.length, text, found };
}

/** Meta's subscription check: GET with hub.mode, hub.challenge and hub.verify_token. */
async function assertMetaHandshake(listen: ListenProcess): Promise<void> {
  const challenge = '1158201444';
  const query = (token: string): string =>
    `/meta?hub.mode=subscribe&hub.challenge=${challenge}&hub.verify_token=${encodeURIComponent(token)}`;
  const right = await deliver(listen, { method: 'GET', path: query(SECRETS.META_VERIFY) });
  const context = (delivered: Delivered): string =>
    `${delivered.status} ${delivered.body} ${JSON.stringify(delivered.record.verification)}`;
  assert.equal(right.status, 200, context(right));
  assert.equal(right.body, challenge);
  assert.match(right.contentType, /^text\/plain/);
  assert.equal(right.record.sender, 'meta');
  assert.equal(right.record.event, 'subscribe');
  assert.ok(!right.record.path.includes(SECRETS.META_VERIFY), 'the verify token is not kept');

  const wrong = await deliver(listen, { method: 'GET', path: query('not-the-verify-token') });
  assert.equal(wrong.status, 403, context(wrong));
  assert.notEqual(wrong.body, challenge);
}

// =============================================================================================

describe('providers over a real listen, every secret configured', () => {
  let store = '';
  let listen: ListenProcess;

  before(async () => {
    store = await tempDir('hooklens-providers-');
    listen = await startListen(
      ['--store', store, '--json', '--public-url', PUBLIC_URL, ...ALL_SECRET_ARGS],
      { ...SECRETS },
    );
  });

  it('starts quietly: no warning about any secret, none of them printed', () => {
    assert.doesNotMatch(listen.stderr(), /warning/i, listen.stderr());
    for (const name of Object.keys(SECRETS)) {
      assert.match(listen.stderr(), new RegExp(`from \\$${name}\\b`), `${name} is named`);
    }
    assert.deepEqual(leaks(listen.stderr(), SECRETS), []);
  });

  it('GitHub: real example payloads signed by @octokit/webhooks-methods are verified, each event with its action', async () => {
    const cases: Array<[string, string | undefined, string]> = [
      ['push', undefined, 'push'],
      ['pull_request', 'opened', 'pull_request.opened'],
      ['issues', 'opened', 'issues.opened'],
      ['pull_request', 'closed', 'pull_request.closed'],
    ];
    for (const [name, action, event] of cases) {
      const body = JSON.stringify(githubExample(name, action));
      const delivered = await deliver(listen, {
        path: '/github',
        headers: await githubDelivery(name, body),
        body,
      });
      assertVerified(delivered, 'github', event);
      assert.equal(delivered.record.sessionId, 'Codertocat/Hello-World');
      assert.equal(delivered.record.body, body);
    }
  });

  it('GitHub: the form content type (payload=…) is verified over the raw form body', async () => {
    const json = JSON.stringify(githubExample('push'));
    const body = new URLSearchParams({ payload: json }).toString();
    const delivered = await deliver(listen, {
      path: '/github',
      headers: await githubDelivery('push', body, { contentType: FORM }),
      body,
    });
    assertVerified(delivered, 'github', 'push');
  });

  it('GitHub: a tampered body is refused 401 invalid_signature', async () => {
    const signed = JSON.stringify(githubExample('push'));
    const body = tamper(signed, '"ref":"refs/tags/simple-tag"', '"ref":"refs/heads/main"');
    const delivered = await deliver(listen, {
      path: '/github',
      headers: await githubDelivery('push', body, { signedBody: signed }),
      body,
    });
    assertRefused(delivered, 'github', 'invalid_signature');
    assert.equal(delivered.record.event, 'push');
  });

  it('GitHub: a redelivery (same X-GitHub-Delivery) is marked a duplicate of the first; a new delivery of the same body is not', async () => {
    const body = JSON.stringify(githubExample('issues', 'opened'));
    const deliveryId = randomUUID();
    const first = await deliver(listen, {
      path: '/github',
      headers: await githubDelivery('issues', body, { deliveryId }),
      body,
    });
    const redelivery = await deliver(listen, {
      path: '/github',
      headers: await githubDelivery('issues', body, { deliveryId }),
      body,
    });
    const fresh = await deliver(listen, {
      path: '/github',
      headers: await githubDelivery('issues', body),
      body,
    });
    for (const delivered of [first, redelivery, fresh]) {
      assertVerified(delivered, 'github', 'issues.opened');
    }
    assert.equal(first.record.duplicateOf, null);
    assert.equal(redelivery.record.duplicateOf, first.record.id);
    assert.equal(fresh.record.duplicateOf, null);
  });

  it('Stripe: a pretty-printed event signed by stripe-node is verified; tampered → 401 invalid_signature; ten minutes old → 401 expired', async () => {
    const body = stripeEvent('payment_intent.succeeded');
    const headers = stripeHeaders(body, SECRETS.STRIPE_SECRET);
    // stripe-node's own check agrees before HookLens is asked.
    assert.equal(
      stripe.webhooks.constructEvent(body, headers['Stripe-Signature'] ?? '', SECRETS.STRIPE_SECRET)
        .type,
      'payment_intent.succeeded',
    );
    const ok = await deliver(listen, { path: '/stripe', headers, body });
    assertVerified(ok, 'stripe', 'payment_intent.succeeded');
    assert.equal(ok.record.sessionId, 'pi_3PqT9aLkdIwHu7ix0o1b2c3d');
    assert.ok(
      ok.record.body.includes('\n  "id": "evt_'),
      'the pretty-printed body is kept as sent',
    );

    const tampered = await deliver(listen, {
      path: '/stripe',
      headers: stripeHeaders(body, SECRETS.STRIPE_SECRET),
      body: tamper(body, '"amount": 2000', '"amount": 20000'),
    });
    assertRefused(tampered, 'stripe', 'invalid_signature');

    const staleBody = stripeEvent('invoice.paid');
    const staleHeaders = stripeHeaders(staleBody, SECRETS.STRIPE_SECRET, staleSeconds());
    assert.throws(
      () =>
        stripe.webhooks.constructEvent(
          staleBody,
          staleHeaders['Stripe-Signature'] ?? '',
          SECRETS.STRIPE_SECRET,
        ),
      /tolerance/i,
      'stripe-node refuses it too',
    );
    const stale = await deliver(listen, {
      path: '/stripe',
      headers: staleHeaders,
      body: staleBody,
    });
    assertRefused(stale, 'stripe', 'expired');
    assert.equal(stale.record.event, 'invoice.paid');
  });

  it('Standard Webhooks and Svix: signed by their libraries → verified; tampered → 401 invalid_signature; ten minutes old → 401 expired, ten minutes ahead → 401 not_yet_valid', async () => {
    const body = JSON.stringify({
      type: 'invoice.paid',
      timestamp: new Date().toISOString(),
      data: { id: 'inv_2Nf8WzQm', amount: 1999, customer: 'cus_19c4' },
    });
    const clerk = JSON.stringify({
      data: { id: 'user_29w83sxmDNGwOuEthce5gg56FcC', object: 'user', first_name: 'Example' },
      object: 'event',
      type: 'user.created',
      timestamp: 1654012591835,
      instance_id: 'ins_123',
    });
    for (const [library, payload, event] of [
      ['standardwebhooks', body, 'invoice.paid'],
      ['svix', clerk, 'user.created'],
    ] as const) {
      const headers = standardWebhookHeaders(library, payload, SECRETS.SW_SECRET);
      // The library's own verify agrees.
      const verifier =
        library === 'svix'
          ? new SvixWebhook(SECRETS.SW_SECRET)
          : new StandardWebhook(SECRETS.SW_SECRET);
      verifier.verify(payload, headers);
      const ok = await deliver(listen, { path: '/events', headers, body: payload });
      assertVerified(ok, 'standard-webhooks', event);

      const tampered = await deliver(listen, {
        path: '/events',
        headers: standardWebhookHeaders(library, payload, SECRETS.SW_SECRET),
        body: tamper(payload, '"data":{"id":"', '"data":{"id":"x'),
      });
      assertRefused(tampered, 'standard-webhooks', 'invalid_signature');

      const stale = await deliver(listen, {
        path: '/events',
        headers: standardWebhookHeaders(library, payload, SECRETS.SW_SECRET, staleSeconds()),
        body: payload,
      });
      assertRefused(stale, 'standard-webhooks', 'expired');

      // Standard Webhooks also refuses a timestamp from the future.
      const early = await deliver(listen, {
        path: '/events',
        headers: standardWebhookHeaders(library, payload, SECRETS.SW_SECRET, nowSeconds() + 600),
        body: payload,
      });
      assertRefused(early, 'standard-webhooks', 'not_yet_valid');
    }
  });

  it('Shopify: orders/create then orders/paid for the same order are both verified and not retries of each other; tampered → 401', async () => {
    const body = shopifyOrder(5872438886534);
    const created = await deliver(listen, {
      path: '/shopify',
      headers: shopifyHeaders('orders/create', body, SECRETS.SHOPIFY_SECRET),
      body,
    });
    const paid = await deliver(listen, {
      path: '/shopify',
      headers: shopifyHeaders('orders/paid', body, SECRETS.SHOPIFY_SECRET),
      body,
    });
    assertVerified(created, 'shopify', 'orders/create');
    assertVerified(paid, 'shopify', 'orders/paid');
    assert.equal(created.record.sessionId, 'hooklens-test.myshopify.com');
    assert.equal(created.record.duplicateOf, null);
    assert.equal(paid.record.duplicateOf, null, 'orders/paid is its own event, not a retry');

    // Shopify's own retry keeps X-Shopify-Webhook-Id: that one is a duplicate.
    const webhookId = headerValue(paid.record, 'X-Shopify-Webhook-Id');
    assert.ok(webhookId);
    const retry = await deliver(listen, {
      path: '/shopify',
      headers: shopifyHeaders('orders/paid', body, SECRETS.SHOPIFY_SECRET, webhookId),
      body,
    });
    assertVerified(retry, 'shopify', 'orders/paid');
    assert.equal(retry.record.duplicateOf, paid.record.id);

    const tampered = await deliver(listen, {
      path: '/shopify',
      headers: shopifyHeaders('orders/create', body, SECRETS.SHOPIFY_SECRET),
      body: tamper(body, '"total_price":"398.00"', '"total_price":"0.00"'),
    });
    assertRefused(tampered, 'shopify', 'invalid_signature');
  });

  it('Slack: an event_callback (JSON) and a slash command (form) are verified with their inner event; tampered → 401; ten minutes old → 401 expired', async () => {
    const event = await deliver(listen, {
      path: '/slack/events',
      headers: slackHeaders(slackAppMention, SECRETS.SLACK_SECRET, 'application/json'),
      body: slackAppMention,
    });
    assertVerified(event, 'slack', 'app_mention');
    assert.equal(event.record.sessionId, 'C123ABC456');

    const command = await deliver(listen, {
      path: '/slack/commands',
      headers: slackHeaders(slackSlashCommand, SECRETS.SLACK_SECRET, FORM),
      body: slackSlashCommand,
    });
    assertVerified(command, 'slack', '/weather');
    assert.equal(command.record.sessionId, 'C2147483705');

    const tampered = await deliver(listen, {
      path: '/slack/commands',
      headers: slackHeaders(slackSlashCommand, SECRETS.SLACK_SECRET, FORM),
      body: tamper(slackSlashCommand, 'text=94070', 'text=10001'),
    });
    assertRefused(tampered, 'slack', 'invalid_signature');

    const stale = await deliver(listen, {
      path: '/slack/events',
      headers: slackHeaders(
        slackAppMention,
        SECRETS.SLACK_SECRET,
        'application/json',
        staleSeconds(),
      ),
      body: slackAppMention,
    });
    assertRefused(stale, 'slack', 'expired');
  });

  it('Slack: url_verification is answered with its challenge', async () => {
    const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge,
      type: 'url_verification',
    });
    const delivered = await deliver(listen, {
      path: '/slack/events',
      headers: slackHeaders(body, SECRETS.SLACK_SECRET, 'application/json'),
      body,
    });
    assert.equal(delivered.status, 200);
    assert.match(delivered.contentType, /^application\/json/);
    assert.deepEqual(JSON.parse(delivered.body), { challenge });
    assert.equal(delivered.record.sender, 'slack');
    assert.equal(delivered.record.event, 'url_verification');
    assert.equal(delivered.record.verification.verdict, 'verified');
  });

  it('Twilio: an SMS and a status callback signed by twilio-node for the public URL are verified; a changed parameter → 401', async () => {
    const url = `${PUBLIC_URL}/twilio/sms`;
    const params = twilioSms('Hello from HookLens');
    const body = new URLSearchParams(params).toString();
    const sms = await deliver(listen, {
      path: '/twilio/sms',
      headers: twilioHeaders(url, params),
      body,
    });
    assertVerified(sms, 'twilio', 'message.received');
    assert.equal(sms.status, 200);
    assert.match(sms.contentType, /^text\/xml/);
    assert.match(sms.body, /<Response><\/Response>/);

    const statusParams = {
      MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      MessageStatus: 'delivered',
      AccountSid: 'ACae0e1d2c3b4a5968778695a4b3c2d1e0',
      From: '+15005550006',
      To: '+14155551234',
      ApiVersion: '2010-04-01',
    };
    const statusUrl = `${PUBLIC_URL}/twilio/status?source=hooklens`;
    const status = await deliver(listen, {
      path: '/twilio/status?source=hooklens',
      headers: twilioHeaders(statusUrl, statusParams),
      body: new URLSearchParams(statusParams).toString(),
    });
    assertVerified(status, 'twilio', 'message.delivered');

    const tampered = await deliver(listen, {
      path: '/twilio/sms',
      headers: twilioHeaders(url, params),
      body: new URLSearchParams({ ...params, Body: 'Hello from someone else' }).toString(),
    });
    assertRefused(tampered, 'twilio', 'invalid_signature');
  });

  it('GitLab: the right X-Gitlab-Token is verified (push), a wrong one → 401; the token is never shown', async () => {
    const body = gitlabPush();
    const ok = await deliver(listen, {
      path: '/gitlab',
      headers: gitlabHeaders(SECRETS.GITLAB_TOKEN),
      body,
    });
    assertVerified(ok, 'gitlab', 'push');
    assert.equal(ok.record.sessionId, 'mike/diaspora');
    assert.notEqual(headerValue(ok.record, 'X-Gitlab-Token'), SECRETS.GITLAB_TOKEN);

    const wrongToken = 'glwt-not-the-configured-token-0000';
    const wrong = await deliver(listen, {
      path: '/gitlab',
      headers: gitlabHeaders(wrongToken),
      body,
    });
    assertRefused(wrong, 'gitlab', 'invalid_signature');
    // X-Gitlab-Token is redacted whatever its value.
    assert.ok(!listen.stdout().includes(wrongToken), 'a wrong GitLab token is not printed');
  });

  it('Meta: a WhatsApp notification signed with the App Secret is verified; tampered → 401', async () => {
    const ok = await deliver(listen, {
      path: '/meta',
      headers: metaHeaders(whatsappMessage, SECRETS.META_SECRET),
      body: whatsappMessage,
    });
    assertVerified(ok, 'meta', 'whatsapp_business_account.messages');
    assert.equal(ok.record.sessionId, '102290129340398');

    const tampered = await deliver(listen, {
      path: '/meta',
      headers: metaHeaders(whatsappMessage, SECRETS.META_SECRET),
      body: tamper(whatsappMessage, 'another color?', 'another colour?'),
    });
    assertRefused(tampered, 'meta', 'invalid_signature');
  });

  it('Meta: with the App Secret also set, the subscription GET is answered with the challenge for the right verify token, 403 for a wrong one', async () => {
    await assertMetaHandshake(listen);
  });

  it('Discord: an application command signed with Ed25519 is verified; PING is answered {"type":1}; tampered or signed by another key → 401', async () => {
    const command = discordInteraction(2);
    const ok = await deliver(listen, {
      path: '/discord',
      headers: discordHeaders(command),
      body: command,
    });
    assertVerified(ok, 'discord', 'APPLICATION_COMMAND /cardsearch');

    const ping = discordInteraction(1);
    const pong = await deliver(listen, {
      path: '/discord',
      headers: discordHeaders(ping),
      body: ping,
    });
    assert.equal(pong.status, 200);
    assert.deepEqual(JSON.parse(pong.body), { type: 1 });
    assert.equal(pong.record.verification.verdict, 'verified');
    assert.equal(pong.record.event, 'PING');

    const tampered = await deliver(listen, {
      path: '/discord',
      headers: discordHeaders(command),
      body: tamper(command, 'The Gitrog Monster', 'The Gitrog Monster!'),
    });
    assertRefused(tampered, 'discord', 'invalid_signature');

    // Discord checks an endpoint by sending a PING it signed badly, and expects 401.
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const badPing = await deliver(listen, {
      path: '/discord',
      headers: discordHeaders(ping, stranger),
      body: ping,
    });
    assertRefused(badPing, 'discord', 'invalid_signature');
  });

  it('--secret-env HL_SECRET (no provider) still verifies a Watson JWT delivery; an unsigned one → 401', async () => {
    const body = messageLogged('log-providers-watson');
    const signed = await deliver(listen, {
      path: '/watson',
      headers: {
        'Content-Type': 'application/json',
        Authorization: signToken(SECRETS.HL_SECRET, {}),
      },
      body,
    });
    assertVerified(signed, 'watson', 'message_logged');
    const unsigned = await deliver(listen, {
      path: '/watson',
      headers: { 'Content-Type': 'application/json' },
      body: messageLogged('log-providers-watson-unsigned'),
    });
    assertRefused(unsigned, 'watson', 'missing_token');
  });

  it('no configured secret reaches the store, the --json lines or an export: GitLab token, ?api_key=, Basic credentials, X-Webhook-Secret', async () => {
    // A Stripe delivery whose URL carries a secret (raw, and URL-encoded).
    const stripeBody = stripeEvent('charge.succeeded');
    const inUrl = await deliver(listen, {
      path: `/stripe?api_key=${SECRETS.STRIPE_SECRET}&key=${encodeURIComponent(SECRETS.SW_SECRET)}&page=2`,
      headers: stripeHeaders(stripeBody, SECRETS.STRIPE_SECRET),
      body: stripeBody,
    });
    assertVerified(inUrl, 'stripe', 'charge.succeeded');
    assert.match(
      inUrl.record.path,
      /^\/stripe\?api_key=[^&]*redacted[^&]*&key=[^&]*redacted[^&]*&page=2$/,
    );

    // Shopify with Basic credentials (user:secret) in front of it.
    const shopifyBody = shopifyOrder(450789469);
    const basic = await deliver(listen, {
      path: '/shopify',
      headers: {
        ...shopifyHeaders('orders/create', shopifyBody, SECRETS.SHOPIFY_SECRET),
        Authorization: `Basic ${Buffer.from(`hooklens:${SECRETS.SHOPIFY_SECRET}`).toString('base64')}`,
      },
      body: shopifyBody,
    });
    assertVerified(basic, 'shopify', 'orders/create');

    // GitHub with a header carrying another secret inside `token=…`.
    const githubBody = JSON.stringify(githubExample('push'));
    const webhookSecret = await deliver(listen, {
      path: '/github',
      headers: {
        ...(await githubDelivery('push', githubBody)),
        'X-Webhook-Secret': `token=${SECRETS.GH_SECRET}`,
        'X-Forwarded-Authorization': `Bearer ${SECRETS.HL_SECRET}`,
      },
      body: githubBody,
    });
    assertVerified(webhookSecret, 'github', 'push');
    assert.ok(headerValue(webhookSecret.record, 'X-Webhook-Secret') !== undefined);

    // A generic webhook whose Authorization is Basic with the JWT secret as password.
    const generic = await deliver(listen, {
      path: '/generic',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`hooklens:${SECRETS.HL_SECRET}`).toString('base64')}`,
      },
      body: JSON.stringify({ type: 'thing.happened', id: 'evt_generic_1' }),
    });
    assert.equal(generic.record.sender, 'generic');

    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
    assert.deepEqual(leaks(listen.stdout(), SECRETS), [], 'the --json lines');
    assert.deepEqual(leaks(listen.stderr(), SECRETS), [], 'stderr');

    const { files, text, found } = await storeLeaks(store, SECRETS);
    assert.ok(files > 0, 'the store has files');
    // The grep can see what was stored: every tagged request's header is there in plain text.
    assert.ok(text.includes(`"${TAG_HEADER}"`), 'headers are stored as plain text');
    assert.ok(text.includes('X-Webhook-Secret'), 'the X-Webhook-Secret header is kept, redacted');
    assert.deepEqual(found, [], 'no secret in the store');

    for (const args of [
      ['--format', 'ndjson', '--keep-authorization'],
      ['--format', 'json'],
      ['--format', 'har'],
    ]) {
      const exported = await runCli(['export', '--store', store, ...args]);
      assert.equal(exported.status, 0, exported.stderr);
      assert.ok(exported.stdout.includes('X-Webhook-Secret'), `export ${args.join(' ')}`);
      assert.deepEqual(leaks(exported.stdout, SECRETS), [], `export ${args.join(' ')}`);
    }
  });
});

describe('a provider with no secret of its own: accepted, unverified, and told why', () => {
  it('with only a Shopify secret set, every other provider’s signed delivery is 2xx no_secret naming the provider', async () => {
    const store = await tempDir('hooklens-providers-');
    const listen = await startListen(
      [
        '--store',
        store,
        '--json',
        '--public-url',
        PUBLIC_URL,
        '--secret-env',
        'shopify:SHOPIFY_SECRET',
      ],
      { ...SECRETS },
    );

    const githubBody = JSON.stringify(githubExample('pull_request', 'opened'));
    assertUnverified(
      await deliver(listen, {
        path: '/github',
        headers: await githubDelivery('pull_request', githubBody),
        body: githubBody,
      }),
      'github',
      'GitHub',
    );
    const stripeBody = stripeEvent('payment_intent.succeeded');
    assertUnverified(
      await deliver(listen, {
        path: '/stripe',
        headers: stripeHeaders(stripeBody, SECRETS.STRIPE_SECRET),
        body: stripeBody,
      }),
      'stripe',
      'Stripe',
    );
    const swBody = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1' } });
    assertUnverified(
      await deliver(listen, {
        path: '/events',
        headers: standardWebhookHeaders('standardwebhooks', swBody, SECRETS.SW_SECRET),
        body: swBody,
      }),
      'standard-webhooks',
      'Standard Webhooks',
    );
    assertUnverified(
      await deliver(listen, {
        path: '/slack/events',
        headers: slackHeaders(slackAppMention, SECRETS.SLACK_SECRET, 'application/json'),
        body: slackAppMention,
      }),
      'slack',
      'Slack',
    );
    const twilioParams = twilioSms('No token configured');
    assertUnverified(
      await deliver(listen, {
        path: '/twilio/sms',
        headers: twilioHeaders(`${PUBLIC_URL}/twilio/sms`, twilioParams),
        body: new URLSearchParams(twilioParams).toString(),
      }),
      'twilio',
      'Twilio',
    );
    const gitlab = await deliver(listen, {
      path: '/gitlab',
      headers: gitlabHeaders(SECRETS.GITLAB_TOKEN),
      body: gitlabPush(),
    });
    assertUnverified(gitlab, 'gitlab', 'GitLab');
    assert.equal(gitlab.record.event, 'push');
    assertUnverified(
      await deliver(listen, {
        path: '/meta',
        headers: metaHeaders(whatsappMessage, SECRETS.META_SECRET),
        body: whatsappMessage,
      }),
      'meta',
      'Meta',
    );
    const command = discordInteraction(2);
    assertUnverified(
      await deliver(listen, { path: '/discord', headers: discordHeaders(command), body: command }),
      'discord',
      'Discord',
    );

    // Shopify has its secret here, so its deliveries are still checked.
    const order = shopifyOrder(1001);
    assertVerified(
      await deliver(listen, {
        path: '/shopify',
        headers: shopifyHeaders('orders/create', order, SECRETS.SHOPIFY_SECRET),
        body: order,
      }),
      'shopify',
      'orders/create',
    );

    await listen.stop();
    // X-Gitlab-Token is the secret itself: never stored, even with no GitLab secret configured.
    const { found } = await storeLeaks(store, {
      GITLAB_TOKEN: SECRETS.GITLAB_TOKEN,
      SHOPIFY_SECRET: SECRETS.SHOPIFY_SECRET,
    });
    assert.deepEqual(found, []);
    assert.deepEqual(leaks(listen.stdout(), { GITLAB_TOKEN: SECRETS.GITLAB_TOKEN }), []);
  });

  it('with only a GitHub secret set, a signed Shopify delivery is 2xx no_secret naming Shopify', async () => {
    const listen = await startListen(
      [
        '--store',
        await tempDir('hooklens-providers-'),
        '--json',
        '--secret-env',
        'github:GH_SECRET',
      ],
      { ...SECRETS },
    );
    const order = shopifyOrder(1002);
    assertUnverified(
      await deliver(listen, {
        path: '/shopify',
        headers: shopifyHeaders('orders/create', order, SECRETS.SHOPIFY_SECRET),
        body: order,
      }),
      'shopify',
      'Shopify',
    );
    await listen.stop();
  });
});

describe('handshakes', () => {
  it('Meta: with only the verify token set, the subscription GET is answered with the challenge (right token) or 403 (wrong)', async () => {
    const listen = await startListen(
      [
        '--store',
        await tempDir('hooklens-providers-'),
        '--json',
        '--verify-token-env',
        'meta:META_VERIFY',
      ],
      { ...SECRETS },
    );
    await assertMetaHandshake(listen);
    await listen.stop();
  });
});

describe('secrets bound to paths', () => {
  it('two Stripe accounts on /a and /b: /a signed with A is verified, /b signed with A is refused', async () => {
    const A = 'whsec_accountA0c4b9a2e6358c1d0b7e4f2a9';
    const B = 'whsec_accountB9f1b4a6d4b7e2a9d1c6f3e8';
    const listen = await startListen(
      [
        '--store',
        await tempDir('hooklens-providers-'),
        '--json',
        '--secret-env',
        'stripe:STRIPE_A@/a',
        '--secret-env',
        'stripe:STRIPE_B@/b',
      ],
      { STRIPE_A: A, STRIPE_B: B },
    );
    assert.match(listen.stderr(), /\$STRIPE_A on \/a\b/);
    assert.match(listen.stderr(), /\$STRIPE_B on \/b\b/);

    const body = stripeEvent('customer.created');
    assertVerified(
      await deliver(listen, { path: '/a', headers: stripeHeaders(body, A), body }),
      'stripe',
      'customer.created',
    );
    assertVerified(
      await deliver(listen, { path: '/a/webhooks?x=1', headers: stripeHeaders(body, A), body }),
      'stripe',
      'customer.created',
    );
    assertRefused(
      await deliver(listen, { path: '/b', headers: stripeHeaders(body, A), body }),
      'stripe',
      'invalid_signature',
    );
    assertVerified(
      await deliver(listen, { path: '/b', headers: stripeHeaders(body, B), body }),
      'stripe',
      'customer.created',
    );
    assertRefused(
      await deliver(listen, { path: '/a', headers: stripeHeaders(body, B), body }),
      'stripe',
      'invalid_signature',
    );
    await listen.stop();
  });
});
