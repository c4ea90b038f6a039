// Send Test Event for every provider (issue 12): each built-in template, signed through its
// provider's scheme, is accepted by the provider's own library (stripe's constructEvent,
// octokit's verify, svix's verify, twilio's validateRequest; Slack's documented v0 check), and
// the broken modes are refused by it for the right reason. GitHub samples have the shapes of
// @octokit/webhooks-examples. A bare JSON file is signed as the provider it shows, or not guessed.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import webhookExamples from '@octokit/webhooks-examples';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { HeaderPairs } from '../../src/core/providers/requestFacts';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import {
  sendModeProblem,
  signEvent,
  type SendMode,
  type SignedEvent,
} from '../../src/core/simulate/sendEvents';
import { buildEvent, type BuiltEvent } from '../../src/core/simulate/templates';
import {
  buildFromUserTemplate,
  readSendFile,
  templateFromDelivery,
} from '../../src/core/simulate/userTemplates';
import { aRecordWithBody } from './detailBuilders';

const stripe = new Stripe('sk_test_hooklens');
const NOW = Date.now();
const PUBLIC = 'https://hooks.example.test';
const SECRETS: readonly ConfiguredSecret[] = [
  { provider: 'github', label: 'GITHUB', value: "It's a Secret to Everybody" },
  { provider: 'stripe', label: 'STRIPE', value: 'whsec_test_secret' },
  {
    provider: 'standard-webhooks',
    label: 'SVIX',
    value: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
  { provider: 'slack', label: 'SLACK', value: '8f742231b10e8888abcd99aaabbb85a5' },
  { provider: 'twilio', label: 'TWILIO', value: '12345678901234567890123456789012' },
  { provider: 'shopify', label: 'SHOPIFY', value: 'test_secret_key' },
  { provider: 'meta', label: 'META', value: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
];
const secretOf = (provider: string): string =>
  SECRETS.find((secret) => secret.provider === provider)?.value ?? '';

function signed(name: string, mode: SendMode = 'valid'): SignedEvent {
  return signEvent(buildEvent(name, { nowMs: NOW }), {
    signing: { secrets: SECRETS, publicBaseUrl: PUBLIC },
    mode,
    nowMs: NOW,
  });
}

function header(headers: HeaderPairs, name: string): string {
  return headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? '';
}

function headerMap(headers: HeaderPairs): Record<string, string> {
  return Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
}

describe('built-in templates, checked by the providers’ own libraries', () => {
  it('stripe.payment_intent.succeeded: constructEvent accepts it; pretty-printed as Stripe sends', () => {
    const event = signed('stripe.payment_intent.succeeded');
    const verified = stripe.webhooks.constructEvent(
      event.body,
      header(event.headers, 'Stripe-Signature'),
      secretOf('stripe'),
    );
    assert.equal(verified.type, 'payment_intent.succeeded');
    assert.match(event.body.toString(), /^\{\n {2}"id": "evt_/);
    assert.equal(event.id, verified.id);
    const bad = signed('stripe.payment_intent.succeeded', 'bad-signature');
    assert.throws(
      () =>
        stripe.webhooks.constructEvent(
          bad.body,
          header(bad.headers, 'Stripe-Signature'),
          secretOf('stripe'),
        ),
      /No signatures found matching the expected signature/,
    );
    const expired = signed('stripe.payment_intent.succeeded', 'expired');
    assert.throws(
      () =>
        stripe.webhooks.constructEvent(
          expired.body,
          header(expired.headers, 'Stripe-Signature'),
          secretOf('stripe'),
        ),
      /Timestamp outside the tolerance zone/,
    );
    const unsigned = signed('stripe.payment_intent.succeeded', 'unsigned');
    assert.equal(header(unsigned.headers, 'Stripe-Signature'), '');
  });

  for (const name of ['github.push', 'github.pull_request.opened']) {
    it(`${name}: octokit’s verify accepts it; a wrong secret is refused`, async () => {
      const { verify } = await import('@octokit/webhooks-methods');
      const event = signed(name);
      const body = event.body.toString('utf8');
      assert.equal(
        await verify(secretOf('github'), body, header(event.headers, 'X-Hub-Signature-256')),
        true,
      );
      const bad = signed(name, 'bad-signature');
      assert.equal(
        await verify(secretOf('github'), body, header(bad.headers, 'X-Hub-Signature-256')),
        false,
      );
      assert.match(header(event.headers, 'User-Agent'), /^GitHub-Hookshot\//);
      assert.match(header(event.headers, 'X-GitHub-Delivery'), /^[0-9a-f-]{36}$/);
      assert.equal(event.id, header(event.headers, 'X-GitHub-Delivery'));
      assert.match(
        sendModeProblem(event, 'expired') ?? '',
        /GitHub deliveries are signed without a timestamp/,
      );
    });
  }

  for (const name of ['clerk.user.created', 'resend.email.delivered']) {
    it(`${name}: svix’s verify accepts the svix-* headers Svix senders use`, () => {
      const event = signed(name);
      const map = headerMap(event.headers);
      assert.ok(map['svix-id']?.startsWith('msg_'));
      assert.equal(map['webhook-signature'], undefined);
      const payload = new SvixWebhook(secretOf('standard-webhooks')).verify(
        event.body.toString(),
        map,
      ) as { type: string };
      assert.equal(payload.type, event.event);
      assert.equal(event.id, map['svix-id']);
      const expired = headerMap(signed(name, 'expired').headers);
      assert.throws(
        () => new SvixWebhook(secretOf('standard-webhooks')).verify(event.body.toString(), expired),
        /too old/,
      );
    });
  }

  it('slack.message and slack.url_verification: the documented v0 signature, fresh timestamp', () => {
    for (const name of ['slack.message', 'slack.url_verification']) {
      const event = signed(name);
      const ts = header(event.headers, 'X-Slack-Request-Timestamp');
      assert.ok(Math.abs(Number(ts) - NOW / 1000) < 2);
      const expected = `v0=${createHmac('sha256', secretOf('slack')).update(`v0:${ts}:${event.body.toString()}`).digest('hex')}`;
      assert.equal(header(event.headers, 'X-Slack-Signature'), expected, name);
    }
    const expired = signed('slack.message', 'expired');
    assert.ok(Number(header(expired.headers, 'X-Slack-Request-Timestamp')) < NOW / 1000 - 300);
  });

  it('twilio.message.received: validateRequest accepts it at the URL it was sent to', () => {
    const event = buildEvent('twilio.message.received', { nowMs: NOW });
    const url = `${PUBLIC}/webhooks/twilio`;
    const sent = signEvent(event, {
      signing: { secrets: SECRETS, publicBaseUrl: PUBLIC },
      url: '/webhooks/twilio',
      mode: 'valid',
      nowMs: NOW,
    });
    const params = Object.fromEntries(new URLSearchParams(sent.body.toString()));
    assert.equal(params.SmsStatus, 'received');
    assert.equal(
      twilio.validateRequest(
        secretOf('twilio'),
        header(sent.headers, 'X-Twilio-Signature'),
        url,
        params,
      ),
      true,
    );
    assert.equal(header(sent.headers, 'Content-Type'), 'application/x-www-form-urlencoded');
  });

  it('shopify.orders.create and meta.whatsapp.messages: the documented HMACs over the raw body', () => {
    const shop = signed('shopify.orders.create');
    assert.equal(
      header(shop.headers, 'X-Shopify-Hmac-Sha256'),
      createHmac('sha256', secretOf('shopify')).update(shop.body).digest('base64'),
    );
    assert.equal(header(shop.headers, 'X-Shopify-Topic'), 'orders/create');
    const meta = signed('meta.whatsapp.messages');
    assert.equal(
      header(meta.headers, 'X-Hub-Signature-256'),
      `sha256=${createHmac('sha256', secretOf('meta')).update(meta.body).digest('hex')}`,
    );
    // Meta writes non-ASCII as \uXXXX escapes: the body is pure ASCII.
    assert.ok([...meta.body].every((byte) => byte < 0x80));
  });

  it('discord.ping: valid goes unsigned; bad-signature is an Ed25519 signature by another key', () => {
    const valid = signed('discord.ping');
    assert.equal(valid.token, 'none');
    assert.equal(header(valid.headers, 'X-Signature-Ed25519'), '');
    const bad = signed('discord.ping', 'bad-signature');
    assert.match(header(bad.headers, 'X-Signature-Ed25519'), /^[0-9a-f]{128}$/);
    assert.match(header(bad.headers, 'X-Signature-Timestamp'), /^\d+$/);
    assert.match(sendModeProblem(valid, 'expired') ?? '', /private key that only Discord holds/);
  });
});

describe('realistic shapes', () => {
  /** Every key path in a JSON value, array indexes folded to `[]`. */
  function paths(value: unknown, prefix = '', found = new Set<string>()): Set<string> {
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) paths(item, `${prefix}[]`, found);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        found.add(`${prefix}.${key}`);
        paths(child, `${prefix}.${key}`, found);
      }
    }
    return found;
  }

  const examples = webhookExamples as unknown as ReadonlyArray<{
    name: string;
    examples: ReadonlyArray<Record<string, unknown>>;
  }>;

  for (const [name, event, action] of [
    ['github.push', 'push', undefined],
    ['github.pull_request.opened', 'pull_request', 'opened'],
  ] as const) {
    it(`${name} uses only fields of GitHub’s own ${event} payloads (@octokit/webhooks-examples)`, () => {
      const known = new Set<string>();
      for (const example of examples.find((entry) => entry.name === event)?.examples ?? []) {
        if (action === undefined || example.action === action) paths(example, '', known);
      }
      assert.ok(known.size > 100);
      const ours = paths(JSON.parse(buildEvent(name, { nowMs: NOW }).body.toString()));
      const unknown = [...ours].filter((path) => !known.has(path));
      assert.deepEqual(unknown, [], `fields GitHub does not send in ${event}`);
      // And the ones handlers read are there.
      for (const path of event === 'push'
        ? ['.ref', '.after', '.commits[].id', '.head_commit.message', '.repository.full_name']
        : ['.action', '.number', '.pull_request.head.sha', '.pull_request.base.ref']) {
        assert.ok(ours.has(path), path);
      }
    });
  }
});

describe('hooklens send FILE: signed as the provider the file shows', () => {
  const analyser = analyserWithSecrets([]);

  it('a body that shows its provider is signed as that provider', () => {
    const slack = readSendFile(
      buildEvent('slack.url_verification', { nowMs: NOW }).body.toString(),
      'handshake.json',
      { analyser },
    );
    assert.ok(slack.ok);
    assert.equal(slack.template.sender, 'slack');
    assert.equal(slack.template.event, 'url_verification');
    assert.equal(slack.template.auth, 'signed');
    assert.equal(slack.guessed, false);
  });

  it('a Stripe body alone cannot be told: guessed, so the CLI asks for --provider', () => {
    const body = buildEvent('stripe.payment_intent.succeeded', { nowMs: NOW }).body.toString();
    const guessed = readSendFile(body, 'event.json', { analyser });
    assert.ok(guessed.ok);
    assert.equal(guessed.guessed, true);
    const named = readSendFile(body, 'event.json', { analyser, provider: 'stripe' });
    assert.ok(named.ok);
    assert.equal(named.guessed, false);
    assert.equal(named.template.sender, 'stripe');
    assert.equal(named.template.path, '/webhooks/stripe');
    // Sent: signed the Stripe way, not with a Watson JWT.
    const event = signEvent(buildFromUserTemplate(named.template, NOW), {
      signing: { secrets: SECRETS },
      mode: 'valid',
      nowMs: NOW,
    });
    assert.equal(header(event.headers, 'Authorization'), '');
    assert.ok(
      stripe.webhooks.constructEvent(
        event.body,
        header(event.headers, 'Stripe-Signature'),
        secretOf('stripe'),
      ),
    );
    const unknown = readSendFile(body, 'event.json', { provider: 'nope' });
    assert.equal(unknown.ok, false);
  });

  it('a GitHub body gets the X-GitHub-Event its keys show, or a clear refusal', () => {
    const push = readSendFile(
      buildEvent('github.push', { nowMs: NOW }).body.toString(),
      'push.json',
      { analyser, provider: 'github' },
    );
    assert.ok(push.ok);
    assert.equal(header(push.template.headers, 'X-GitHub-Event'), 'push');
    assert.equal(push.template.event, 'push');
    const mystery = readSendFile('{"thing":1}', 'x.json', { provider: 'github' });
    assert.equal(mystery.ok, false);
    assert.match(mystery.ok ? '' : mystery.error, /X-GitHub-Event/);
  });

  it('a captured GitHub delivery becomes a template without its stale signature, signed anew', async () => {
    const { verify } = await import('@octokit/webhooks-methods');
    const sent = signed('github.push');
    const analysis = analyserWithSecrets(SECRETS).analyse(
      { method: 'POST', url: '/hooks/gh', headers: sent.headers, body: sent.body },
      NOW,
      'd_01',
    );
    const record = aRecordWithBody(sent.body, {
      url: '/hooks/gh',
      headers: analysis.headers,
      sender: analysis.recognition.sender,
      event: analysis.recognition.event,
      verification: analysis.verification,
    });
    const template = templateFromDelivery(record, 'push to main');
    assert.equal(template.sender, 'github');
    assert.equal(template.auth, 'signed');
    assert.equal(header(template.headers, 'X-Hub-Signature-256'), '');
    assert.equal(header(template.headers, 'X-GitHub-Event'), 'push');
    const again: BuiltEvent = buildFromUserTemplate(template, NOW + 1000);
    const resigned = signEvent(again, {
      signing: { secrets: SECRETS },
      mode: 'valid',
      nowMs: NOW,
    });
    assert.notEqual(
      header(resigned.headers, 'X-GitHub-Delivery'),
      header(sent.headers, 'X-GitHub-Delivery'),
      'a fresh delivery GUID',
    );
    assert.equal(
      await verify(
        secretOf('github'),
        resigned.body.toString(),
        header(resigned.headers, 'X-Hub-Signature-256'),
      ),
      true,
    );
  });
});
