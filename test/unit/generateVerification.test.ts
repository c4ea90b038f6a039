// Issue 13, verification and dispatch in the model: which deliveries become samples (failed
// verification left out, handshakes answered, one provider per handler), form bodies, the scheme
// family chosen from the samples, and provider event rules that name events exactly as the
// providers' recognise() did. Running the generated code is test/cli/generateProviders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NameRule, NameSource } from '../../src/core/generate/model';
import { GenerationError } from '../../src/core/generate/model';
import { buildHandlerModel, type GenerationRecord } from '../../src/core/generate/samples';
import {
  GENERATABLE_PROVIDERS,
  PROVIDER_EVENT_RULES,
} from '../../src/core/generate/verification/profile';
import { wireBody } from '../../src/core/generate/verification/shared';
import { providerById } from '../../src/core/providers/registry';
import { requestFacts } from '../../src/core/providers/requestFacts';
import { BUILT_IN_TEMPLATES, buildEvent } from '../../src/core/simulate/templates';
import { DEFAULT_GENERIC_POINTERS } from '../../src/core/senders/recognise';
import { resolvePointer } from '../../src/core/senders/jsonPointer';
import { recordFromBody, seededRandom, templateRecords } from './generateFixtures';

function withVerdict(record: GenerationRecord, verdict: string): GenerationRecord {
  return { ...record, verification: { verdict } };
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM: ReadonlyArray<readonly [string, string]> = [
  ['Content-Type', 'application/x-www-form-urlencoded'],
];

describe('samples for a verifying handler', () => {
  it('leaves out deliveries whose verification failed, unless asked, and counts them', () => {
    const records = [
      withVerdict(templateRecords('stripe.payment_intent.succeeded', 1, 'a')[0]!, 'verified'),
      withVerdict(
        templateRecords('stripe.payment_intent.succeeded', 1, 'b')[0]!,
        'invalid_signature',
      ),
      withVerdict(templateRecords('stripe.payment_intent.succeeded', 1, 'c')[0]!, 'expired'),
      withVerdict(templateRecords('stripe.payment_intent.succeeded', 1, 'd')[0]!, 'no_secret'),
    ];
    const model = buildHandlerModel(records);
    assert.equal(model.usedDeliveries, 2);
    assert.equal(model.unverified, 2);
    assert.match(
      model.skipped[0]!.reason,
      /verification failed \(invalid_signature\).*--include-unverified/,
    );
    const all = buildHandlerModel(records, { includeUnverified: true });
    assert.equal(all.usedDeliveries, 4);
    assert.equal(all.unverified, 0);
  });

  it('refuses several providers, naming them and --provider; the provider option picks one', () => {
    const records = [
      ...templateRecords('github.push', 2),
      ...templateRecords('stripe.payment_intent.succeeded', 1),
    ];
    assert.throws(
      () => buildHandlerModel(records),
      (error: unknown) =>
        error instanceof GenerationError &&
        /github ×2, stripe ×1/.test(error.message) &&
        /hooklens generate --provider github/.test(error.message),
    );
    const model = buildHandlerModel(records, { provider: 'stripe' });
    assert.equal(model.verification.provider, 'stripe');
    assert.deepEqual(model.verification.family, {
      kind: 'timestamped-header',
      header: 'Stripe-Signature',
      itemSeparator: ',',
      timestampKey: 't',
      signatureKey: 'v1',
      contentSeparator: '.',
      toleranceSeconds: 300,
    });
    assert.throws(() => buildHandlerModel(records, { provider: 'slack' }), /github ×2, stripe ×1/);
  });

  it('dispatches Shopify on its topic header, which used to be "cannot be dispatched"', () => {
    const model = buildHandlerModel(templateRecords('shopify.orders.create', 2));
    assert.equal(model.usedDeliveries, 2);
    assert.equal(model.eventKey.kind, 'provider');
    assert.deepEqual(model.events[0]!.samples[0]!.eventHeaders, [
      ['x-shopify-topic', 'orders/create'],
    ]);
  });

  it('reads Twilio and Slack-command forms into objects of strings', () => {
    const twilio = buildHandlerModel(templateRecords('twilio.message.received', 2));
    const sample = twilio.events[0]!.samples[0]!;
    assert.equal(sample.form, 'fields');
    assert.equal((sample.value as Record<string, string>)['SmsStatus'], 'received');
    assert.equal(twilio.verification.forms, true);
    const command = recordFromBody(
      form({ command: '/weather', text: 'paris', team_id: 'T1' }),
      '/weather',
      'slack',
      FORM,
    );
    const payload = recordFromBody(
      form({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' } }) }),
      'block_actions',
      'slack',
      FORM,
    );
    const slack = buildHandlerModel([command, payload]);
    assert.deepEqual(
      slack.events.map((event) => [event.name, event.samples[0]!.form]),
      [
        ['/weather', 'fields'],
        ['block_actions', 'payload'],
      ],
    );
  });

  it('answers handshakes itself instead of making them events', () => {
    const model = buildHandlerModel([
      ...templateRecords('slack.message', 1),
      ...templateRecords('slack.url_verification', 1),
    ]);
    assert.deepEqual(
      model.events.map((event) => event.name),
      ['message'],
    );
    assert.match(model.skipped[0]!.reason, /url_verification handshake/);
    assert.deepEqual(model.verification.handshakes, ['slack_url_verification']);
  });

  it('chooses the scheme family from the samples', () => {
    const intercom = recordFromBody(
      '{"type":"notification_event","topic":"user.created"}',
      'user.created',
      'intercom',
      [
        ['Content-Type', 'application/json'],
        ['X-Hub-Signature', 'sha1=00'],
      ],
    );
    const family = buildHandlerModel([intercom]).verification.family;
    assert.ok(family.kind === 'template' && family.algorithm === 'sha1');
    assert.deepEqual(family.kind === 'template' && family.headers, ['X-Hub-Signature']);
    const watson = templateRecords('watson.message_logged', 2);
    assert.deepEqual(buildHandlerModel(watson).verification.family, {
      kind: 'jwt',
      secretMatch: false,
    });
    assert.deepEqual(
      buildHandlerModel([withVerdict(watson[0]!, 'secret_match'), watson[1]!]).verification.family,
      { kind: 'jwt', secretMatch: true },
    );
    assert.throws(
      () => buildHandlerModel([recordFromBody('{"event":"delivered"}', 'delivered', 'sendgrid')]),
      /A SendGrid body is not a JSON array of events/,
    );
  });

  it('SendGrid: each event of a batch is a sample of its own event, verified with ECDSA P-256', () => {
    const headers: ReadonlyArray<readonly [string, string]> = [
      ['Content-Type', 'application/json'],
      ['X-Twilio-Email-Event-Webhook-Signature', 'MEUC'],
      ['X-Twilio-Email-Event-Webhook-Timestamp', '1600112502'],
    ];
    const model = buildHandlerModel([
      recordFromBody(
        '[{"event":"delivered","sg_event_id":"e1","email":"a@example.test"},{"event":"open","sg_event_id":"e2","useragent":"x"},{"no":"event"}]\r\n',
        'delivered+open',
        'sendgrid',
        headers,
      ),
      recordFromBody(
        '[{"event":"delivered","sg_event_id":"e3","response":"250"}]',
        'delivered',
        'sendgrid',
        headers,
      ),
    ]);
    assert.deepEqual(
      model.events.map((event) => [event.name, event.samples.length]),
      [
        ['delivered', 2],
        ['open', 1],
      ],
    );
    assert.ok(model.events.every((event) => event.samples.every((sample) => sample.batch)));
    assert.equal(
      wireBody(model.events[1]!.samples[0]!),
      '[{"event":"open","sg_event_id":"e2","useragent":"x"}]\r\n',
    );
    assert.deepEqual(model.verification.family, {
      kind: 'ecdsa',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
      timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp',
    });
    assert.equal(model.verification.batch, true);
    assert.deepEqual(model.verification.deliveryId, [{ from: 'body', tokens: ['sg_event_id'] }]);
    assert.ok(GENERATABLE_PROVIDERS.includes('sendgrid'));
  });

  it('Standard Webhooks signed only with v1a is verified with Ed25519 and a whpk_ key; v1 (or mixed) stays HMAC', () => {
    const signed = (signature: string): GenerationRecord =>
      recordFromBody('{"type":"user.created","data":{}}', 'user.created', 'standard-webhooks', [
        ['Content-Type', 'application/json'],
        ['webhook-id', 'msg_1'],
        ['webhook-timestamp', '1614265330'],
        ['webhook-signature', signature],
      ]);
    const asymmetric = buildHandlerModel([signed('v1a,AAAA'), signed('v1a,BBBB')]).verification;
    assert.deepEqual(asymmetric.family, {
      kind: 'standard-webhooks',
      toleranceSeconds: 300,
      asymmetric: true,
    });
    assert.match(asymmetric.secretNoun, /whpk_/);
    for (const header of ['v1,AAAA', 'v1,AAAA v1a,BBBB']) {
      const family = buildHandlerModel([signed(header)]).verification.family;
      assert.ok(family.kind === 'standard-webhooks' && !family.asymmetric, header);
    }
  });

  it("Square's legacy x-square-signature alone is HMAC-SHA1 over the URL and body", () => {
    const square = (header: string): GenerationRecord =>
      recordFromBody('{"type":"payment.created","event_id":"e1"}', 'payment.created', 'square', [
        ['Content-Type', 'application/json'],
        [header, 'AAAA'],
      ]);
    assert.deepEqual(buildHandlerModel([square('x-square-signature')]).verification.family, {
      kind: 'template',
      headers: ['x-square-signature'],
      prefix: '',
      algorithm: 'sha1',
      encoding: 'base64',
      parts: [{ kind: 'url' }, { kind: 'body' }],
    });
    const current = buildHandlerModel([square('x-square-hmacsha256-signature')]).verification
      .family;
    assert.ok(current.kind === 'template' && current.algorithm === 'sha256');
    assert.deepEqual(current.kind === 'template' && current.headers, [
      'x-square-hmacsha256-signature',
    ]);
  });
});

/** The rules as the generated code applies them, in JavaScript. */
function applyRules(
  rules: readonly NameRule[],
  json: unknown,
  header: (name: string) => string | undefined,
): string | undefined {
  const read = (source: NameSource): string | undefined => {
    if (source.from === 'header') return header(source.name) || undefined;
    const value = resolvePointer(json, `/${source.tokens.join('/')}`);
    if (typeof value === 'string') return value === '' ? undefined : value;
    return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
  };
  const first = (sources: readonly NameSource[]): string | undefined => {
    for (const source of sources) {
      const value = read(source);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  for (const rule of rules) {
    if (rule.guard && read(rule.guard.source) !== rule.guard.equals) continue;
    const main = rule.constant ?? first(rule.sources ?? []);
    if (main === undefined) continue;
    const suffix = rule.suffix ? first(rule.suffix.sources) : undefined;
    return `${rule.prefix ?? ''}${main}${suffix === undefined ? '' : `${rule.suffix!.separator}${suffix}`}`;
  }
  return undefined;
}

describe("provider event rules name events as the provider's recognise() does", () => {
  for (const template of BUILT_IN_TEMPLATES) {
    const rules = PROVIDER_EVENT_RULES[template.sender];
    if (rules === undefined) continue;
    it(template.name, () => {
      const built = buildEvent(template.name, {
        nowMs: Date.UTC(2026, 10, 23),
        random: seededRandom(template.name),
      });
      const facts = requestFacts({
        method: 'POST',
        url: built.path,
        headers: built.headers,
        body: built.body,
      });
      const recognised = providerById(template.sender)!.recognise(facts, {
        pointers: DEFAULT_GENERIC_POINTERS,
      }).event;
      const header = (name: string): string | undefined => facts.header(name);
      assert.equal(applyRules(rules, facts.json, header), recognised ?? undefined);
    });
  }
});
