// Sample events (`hooklens send`): every built-in template verifies with HookLens's own verifier,
// is recognised as its sender and event, has its sender's shape (webhook-senders.md) with fresh
// ids and times of now; broken tokens fail the way they should; user templates round-trip and
// refresh ids and times; hostile template files are refused with a clear reason.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/core/compare/canonicalJson';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { DeliveryRecord } from '../../src/core/delivery';
import { providerById } from '../../src/core/providers/registry';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { recognise } from '../../src/core/senders/recognise';
import { senderViewOf } from '../../src/core/senders/senderView';
import { freshIdLike, type RandomSource } from '../../src/core/simulate/random';
import { refreshRequest, refreshVolatileFields } from '../../src/core/simulate/refresh';
import {
  isExpectedStatus,
  sendEvents,
  signEvent,
  type SendMode,
  type SendResult,
} from '../../src/core/simulate/sendEvents';
import {
  BUILT_IN_TEMPLATES,
  buildEvent,
  findTemplate,
  SimulateError,
  type BuiltEvent,
} from '../../src/core/simulate/templates';
import {
  buildFromUserTemplate,
  parseUserTemplate,
  readSendFile,
  templateFromDelivery,
  USER_TEMPLATE_FORMAT,
  type UserTemplate,
} from '../../src/core/simulate/userTemplates';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';
import type { SenderView } from '../../src/shared/detail';
import { aDelivery } from './builders';

const SECRET = 'simulate-test-secret-3f9a1c7e5b2d8046';
const verifier = createVerifier([{ label: 'current', value: SECRET }]);
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Repeatable randomness: SHA-256 of seed and a counter. */
function seeded(seed: string): RandomSource {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      filled += block.copy(out, filled);
    }
    return out;
  };
}

type Json = Record<string, unknown>;

function bodyOf(event: BuiltEvent): Json {
  return JSON.parse(event.body.toString('utf8')) as Json;
}

/** Follows keys through parsed JSON (test data is trusted). */
function at(value: unknown, ...keys: Array<string | number>): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function headerOf(event: BuiltEvent, name: string): string | undefined {
  return event.headers.find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1];
}

/** Every string in the body that is an ISO date-time (with Z or an offset). */
function isoTimes(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && ISO.test(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value as unknown[]) isoTimes(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) isoTimes(item, found);
  }
  return found;
}

function expectKind<K extends SenderView['kind']>(
  view: SenderView | null,
  kind: K,
): Extract<SenderView, { kind: K }> {
  assert.equal(view?.kind, kind);
  return view as Extract<SenderView, { kind: K }>;
}

const EXPECTED_TEMPLATES = [
  'watson.message_logged',
  'watson.cdr_logged',
  'watson.message_received',
  'watson.message_processed',
  'rapida.conversation.begin',
  'rapida.conversation.completed',
  'rapida.conversation.failed',
  'github.push',
  'github.pull_request.opened',
  'stripe.payment_intent.succeeded',
  'clerk.user.created',
  'resend.email.delivered',
  'shopify.orders.create',
  'slack.message',
  'slack.url_verification',
  'twilio.message.received',
  'gitlab.push',
  'meta.whatsapp.messages',
  'discord.ping',
];

const SAMPLED_PROVIDERS = [
  'watson',
  'rapida',
  'github',
  'stripe',
  'standard-webhooks',
  'shopify',
  'slack',
  'twilio',
  'gitlab',
  'meta',
  'discord',
];

/** One secret per provider, in the form each provider issues. */
const PROVIDER_SECRETS: readonly ConfiguredSecret[] = [
  { provider: null, label: 'current', value: SECRET },
  { provider: 'github', label: 'GITHUB', value: "It's a Secret to Everybody" },
  { provider: 'stripe', label: 'STRIPE', value: 'whsec_test_secret' },
  {
    provider: 'standard-webhooks',
    label: 'SVIX',
    value: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
  { provider: 'shopify', label: 'SHOPIFY', value: 'test_secret_key' },
  { provider: 'slack', label: 'SLACK', value: '8f742231b10e8888abcd99aaabbb85a5' },
  { provider: 'twilio', label: 'TWILIO', value: '12345678901234567890123456789012' },
  { provider: 'gitlab', label: 'GITLAB', value: 'gitlab-secret-token' },
  { provider: 'meta', label: 'META', value: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
  {
    provider: 'discord',
    label: 'DISCORD',
    // RFC 8032 test 1's public key: no one signing for HookLens holds its private key.
    value: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  },
];
const providerAnalyser = analyserWithSecrets(PROVIDER_SECRETS);
const PUBLIC = 'https://hooks.example.test';

/** What the receiver makes of a signed event, as it arrived at PUBLIC + its path. */
function received(event: BuiltEvent, nowMs = NOW) {
  return providerAnalyser.analyse(
    {
      method: event.method,
      url: event.path,
      headers: [...event.headers, ['Host', new URL(PUBLIC).host]],
      body: event.body,
    },
    nowMs,
    'test',
  );
}

function signedWith(event: BuiltEvent, mode: SendMode, nowMs = NOW) {
  return signEvent(event, {
    signing: { secrets: PROVIDER_SECRETS, publicBaseUrl: PUBLIC },
    mode,
    nowMs,
  });
}

describe('built-in templates', () => {
  it('lists a template for every provider, each with its sender, event and a description', () => {
    assert.deepEqual(
      BUILT_IN_TEMPLATES.map((template) => template.name),
      EXPECTED_TEMPLATES,
    );
    const providers = new Set(BUILT_IN_TEMPLATES.map((template) => template.sender));
    for (const provider of SAMPLED_PROVIDERS) {
      assert.ok(providers.has(provider), `a template for ${provider}`);
    }
    for (const template of BUILT_IN_TEMPLATES) {
      assert.ok(providerById(template.sender), template.sender);
      assert.ok(template.description.length > 10);
      assert.equal(template.path.startsWith('/webhooks/'), true);
      assert.equal(findTemplate(template.name), template);
    }
    assert.equal(findTemplate('watson.nope'), undefined);
  });

  it('refuses an unknown name, listing the real ones', () => {
    assert.throws(
      () => buildEvent('watson.message_loged', { nowMs: NOW }),
      (error: unknown) =>
        error instanceof SimulateError &&
        error.message.includes('watson.message_loged') &&
        error.message.includes('watson.message_logged'),
    );
  });

  for (const template of BUILT_IN_TEMPLATES) {
    describe(template.name, () => {
      const event = buildEvent(template.name, { nowMs: NOW });

      it('is a POST to /webhooks/<provider> with the sender’s headers and no signature yet', () => {
        assert.equal(event.method, 'POST');
        assert.equal(event.path, template.path);
        assert.ok(headerOf(event, 'content-type'));
        assert.equal(event.template, template.name);
        assert.equal(event.sender, template.sender);
        assert.equal(event.event, template.event);
        const names = event.headers.map(([name]) => name.toLowerCase());
        for (const signature of [
          'authorization',
          'stripe-signature',
          'x-hub-signature-256',
          'webhook-signature',
          'svix-signature',
          'x-shopify-hmac-sha256',
          'x-slack-signature',
          'x-twilio-signature',
          'x-gitlab-token',
          'x-signature-ed25519',
        ]) {
          assert.ok(!names.includes(signature), `${signature} is added by signing`);
        }
        if (template.sender === 'rapida') {
          assert.equal(headerOf(event, 'user-agent'), 'Go-http-client/1.1');
        } else if (template.sender === 'watson') {
          // Watson documents no User-Agent; none is made up.
          assert.equal(headerOf(event, 'user-agent'), undefined);
        } else {
          assert.ok(headerOf(event, 'user-agent'), 'the sender’s own client');
        }
      });

      it('is signed as its provider signs, and the receiver recognises and verifies it', () => {
        const signed = signedWith(event, 'valid');
        if (template.sender === 'discord') {
          // Only Discord has its private key: sent unsigned, and refused once signed by anyone else.
          assert.equal(signed.token, 'none');
          const forged = received(signedWith(event, 'bad-signature'));
          assert.equal(forged.recognition.sender, 'discord');
          assert.equal(forged.recognition.event, 'PING');
          assert.equal(forged.verification.verdict, 'invalid_signature');
          return;
        }
        const analysis = received(signed);
        assert.equal(analysis.recognition.sender, template.sender);
        assert.equal(analysis.recognition.event, template.event);
        assert.equal(
          event.id,
          analysis.recognition.senderEventId ?? analysis.recognition.sessionId,
        );
        if (template.sender === 'rapida') {
          // Rapida sets no signature header (webhook-senders §5.2).
          assert.equal(signed.token, 'none');
          assert.equal(analysis.verification.verdict, 'missing_token');
        } else {
          assert.equal(signed.token, 'valid');
          assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
        }
      });

      it('gets fresh ids on every build', () => {
        const again = buildEvent(template.name, { nowMs: NOW });
        // A url_verification handshake has no id, only a fresh challenge.
        if (event.id !== null) assert.notEqual(again.id, event.id);
        assert.notEqual(again.body.toString(), event.body.toString());
      });

      it('has times of now: none in the future, the latest within an hour', () => {
        const text = event.body.toString('utf8');
        // Twilio posts a form: its parameters carry no times.
        const times = text.startsWith('{') ? isoTimes(JSON.parse(text) as unknown) : [];
        for (const time of times)
          assert.ok(Date.parse(time) <= NOW, `${time} is not in the future`);
        if (times.length > 0) {
          const latest = Math.max(...times.map((time) => Date.parse(time)));
          assert.ok(
            latest >= NOW - 3_600_000,
            `the latest time ${new Date(latest).toISOString()} is recent`,
          );
        }
      });

      it('is repeatable with the same randomness', () => {
        const a = buildEvent(template.name, { nowMs: NOW, random: seeded('x') });
        const b = buildEvent(template.name, { nowMs: NOW, random: seeded('x') });
        assert.equal(a.body.toString(), b.body.toString());
        assert.deepEqual(a.headers, b.headers);
      });
    });
  }

  for (const template of BUILT_IN_TEMPLATES.filter(({ sender }) => sender === 'watson')) {
    it(`${template.name} carries Watson’s bare HS256 JWT with iat and exp only`, () => {
      const signed = signEvent(buildEvent(template.name, { nowMs: NOW }), {
        secret: SECRET,
        mode: 'valid',
        nowMs: NOW,
      });
      const authorization = headerOf(signed, 'authorization');
      assert.ok(authorization);
      assert.doesNotMatch(authorization, /^Bearer /, 'Watson sends the bare token (§1.4)');
      const verdict = verifier.verify(authorization, NOW);
      assert.equal(verdict.verdict, 'verified', verdict.reason);
      assert.deepEqual(verdict.header, { alg: 'HS256', typ: 'JWT' });
      const iat = Math.floor(NOW / 1000);
      assert.deepEqual(verdict.claims, { iat, exp: iat + 300 });
    });
  }
});

describe('template shapes (webhook-senders.md)', () => {
  it('watson.message_logged: a v2 Log object (§2.2), read by the sender view as a turn', () => {
    const event = buildEvent('watson.message_logged', { nowMs: NOW });
    const body = bodyOf(event);
    const payload = at(body, 'payload') as Json;
    assert.deepEqual(at(body, 'event'), { name: 'message_logged' });
    assert.match(String(payload.log_id), UUID);
    assert.equal(event.id, payload.log_id);
    assert.match(String(payload.session_id), UUID);
    assert.equal(at(payload, 'request', 'context', 'global', 'session_id'), payload.session_id);
    assert.equal(at(payload, 'response', 'context', 'global', 'session_id'), payload.session_id);
    assert.equal(at(payload, 'request', 'user_id'), at(payload, 'response', 'user_id'));
    assert.equal(payload.response_timestamp, new Date(NOW).toISOString());
    assert.ok(String(payload.request_timestamp) < String(payload.response_timestamp));
    for (const key of ['assistant_id', 'skill_id', 'snapshot', 'language']) {
      assert.equal(typeof payload[key], 'string', key);
    }
    const view = expectKind(senderViewOf(body, 'watson', 'message_logged'), 'watson-message');
    assert.equal(view.logId, payload.log_id);
    assert.equal(view.sessionId, payload.session_id);
    assert.ok(view.turn.userText);
    assert.equal(view.turn.messageType, 'text');
    assert.equal(view.turn.intents.length, 1);
    assert.ok(view.turn.replies.length >= 1);
    for (const entity of view.turn.entities) {
      const [from, to] = (entity.location ?? '').split('–').map(Number);
      assert.equal(view.turn.userText?.slice(from, to), entity.value, 'entity location is exact');
    }
  });

  it('watson.cdr_logged: the reference’s fields and spellings (§3.1–§3.3), durations consistent', () => {
    let withWarning: Json | undefined;
    for (let seed = 0; seed < 60 && withWarning === undefined; seed++) {
      const body = bodyOf(
        buildEvent('watson.cdr_logged', { nowMs: NOW, random: seeded(`cdr${seed}`) }),
      );
      if ((at(body, 'payload', 'warnings_and_errors') as unknown[]).length > 0) withWarning = body;
    }
    assert.ok(withWarning, 'some builds report jitter over the threshold');
    const payload = at(withWarning, 'payload') as Json;
    for (const key of [
      'primary_phone_number',
      'global_session_id',
      'failure_occurred',
      'transfer_occurred',
      'active_calls',
      'x-global-sip-trunk-call-id',
      'call',
      'session_initiation_protocol',
      'max_response_milliseconds',
      'assistant_interaction_summaries',
      'injected_custom_data',
      'warnings_and_errors',
      'realtime_transport_network_summary',
    ]) {
      assert.ok(Object.hasOwn(payload, key), key);
    }
    // Reference spellings, not the example's.
    const sip = at(payload, 'session_initiation_protocol') as Json;
    assert.ok('invite_arrival_timestamp' in sip);
    assert.ok(!('invite_arrival_time' in sip));
    const warning = at(payload, 'warnings_and_errors', 0) as Json;
    assert.match(String(warning.id), /^CWSMR\d{4}W$/);
    assert.ok(!('code' in warning));
    assert.ok(
      !('outbound' in (at(payload, 'call') as Json)),
      'call.outbound is not in the reference',
    );

    const call = at(payload, 'call') as Json;
    assert.equal(
      Date.parse(String(call.stop_timestamp)) - Date.parse(String(call.start_timestamp)),
      call.milliseconds_elapsed,
    );
    assert.equal(call.stop_timestamp, new Date(NOW).toISOString());
    assert.ok(
      Date.parse(String(sip.invite_arrival_timestamp)) + Number(sip.setup_milliseconds) ===
        Date.parse(String(call.start_timestamp)),
    );
    const turns = at(payload, 'assistant_interaction_summaries', 0, 'turns') as Json[];
    assert.equal(turns.length, 3);
    for (const turn of turns) assert.match(String(at(turn, 'assistant', 'log_id')), UUID);
    const requestTypes = turns.map((turn) => at(turn, 'request', 'type'));
    assert.deepEqual(requestTypes, ['start', 'speech_to_text', 'speech_to_text']);

    const view = expectKind(senderViewOf(withWarning, 'watson', 'cdr_logged'), 'watson-cdr');
    assert.equal(view.globalSessionId, payload.global_session_id);
    assert.equal(view.inviteArrivalTimestamp, sip.invite_arrival_timestamp);
    assert.equal(view.warnings[0]?.code, warning.id);
    assert.equal(view.toNumber, '+18005550123');
    assert.match(view.fromNumber ?? '', /^\+1888555\d{4}$/);
    assert.equal(view.turns.length, 3);
    assert.equal(view.turns.at(-1)?.responses.at(-1)?.type, 'hangup');
    assert.ok(view.inboundStream && view.outboundStream);
  });

  it('the recogniser and sender view also accept the example’s spellings (§3.3)', () => {
    const text = buildEvent('watson.cdr_logged', { nowMs: NOW, random: seeded('cdr3') })
      .body.toString()
      .replace('"invite_arrival_timestamp"', '"invite_arrival_time"');
    const body = JSON.parse(text) as Json;
    const warnings = at(body, 'payload', 'warnings_and_errors') as Json[];
    warnings.splice(0, warnings.length, { code: 'CWSMR0032W', message: 'filtered' });
    (at(body, 'payload', 'call') as Json).outbound = false;
    assert.equal(recognise(body, () => undefined).event, 'cdr_logged');
    const view = expectKind(senderViewOf(body, 'watson', 'cdr_logged'), 'watson-cdr');
    assert.ok(view.inviteArrivalTimestamp);
    assert.deepEqual(view.warnings, [{ code: 'CWSMR0032W', message: 'filtered' }]);
    assert.equal(view.outbound, false);
  });

  it('watson.message_received: the v2 /message request (§4.1)', () => {
    const body = bodyOf(buildEvent('watson.message_received', { nowMs: NOW }));
    assert.deepEqual(at(body, 'event'), { name: 'message_received' });
    const payload = at(body, 'payload') as Json;
    assert.equal(at(payload, 'input', 'message_type'), 'text');
    assert.equal(at(payload, 'input', 'source', 'type'), 'user');
    assert.match(String(at(payload, 'input', 'source', 'id')), /^[0-9a-f]{32}$/);
    assert.equal(
      at(payload, 'context', 'global', 'system', 'user_id'),
      at(payload, 'input', 'source', 'id'),
    );
    assert.match(String(at(payload, 'context', 'global', 'session_id')), UUID);
    assert.ok(at(payload, 'context', 'skills', 'actions skill'));
    const view = expectKind(
      senderViewOf(body, 'watson', 'message_received'),
      'watson-message-received',
    );
    assert.ok(view.userText);
    assert.equal(view.sourceType, 'user');
    assert.ok(view.sessionId);
    assert.ok(Number(view.turnCount) >= 1);
  });

  it('watson.message_processed: options and the v2 /message response (§4.2)', () => {
    const body = bodyOf(buildEvent('watson.message_processed', { nowMs: NOW }));
    assert.deepEqual(at(body, 'event'), { name: 'message_processed' });
    assert.deepEqual(at(body, 'options'), {});
    const payload = at(body, 'payload') as Json;
    assert.ok(Array.isArray(at(payload, 'output', 'generic')));
    assert.equal(typeof payload.user_id, 'string');
    assert.equal(at(payload, 'context', 'global', 'system', 'user_id'), payload.user_id);
    const view = expectKind(
      senderViewOf(body, 'watson', 'message_processed'),
      'watson-message-processed',
    );
    assert.ok(view.replies.length >= 1);
    assert.equal(view.intents.length, 1);
    assert.ok(view.sessionId);
  });

  it('rapida.*: {event, data: {assistant, conversation, analysis?}} (§5.2)', () => {
    const begin = bodyOf(buildEvent('rapida.conversation.begin', { nowMs: NOW }));
    const completed = bodyOf(buildEvent('rapida.conversation.completed', { nowMs: NOW }));
    const failed = bodyOf(buildEvent('rapida.conversation.failed', { nowMs: NOW }));
    for (const [body, event] of [
      [begin, 'conversation.begin'],
      [completed, 'conversation.completed'],
      [failed, 'conversation.failed'],
    ] as const) {
      assert.equal(body.event, event);
      assert.match(String(at(body, 'data', 'assistant', 'id')), /^\d{19}$/);
      assert.match(String(at(body, 'data', 'assistant', 'version')), /^vrsn_\d+$/);
      assert.match(String(at(body, 'data', 'conversation', 'id')), /^[1-9]\d{18}$/);
      const view = expectKind(senderViewOf(body, 'rapida', event), 'rapida');
      assert.equal(view.event, event);
      assert.equal(view.conversationId, at(body, 'data', 'conversation', 'id'));
    }
    assert.deepEqual(at(begin, 'data', 'conversation', 'messages'), []);
    assert.equal(at(begin, 'data', 'analysis'), undefined);
    assert.equal(at(failed, 'data', 'analysis'), undefined);
    assert.ok(at(completed, 'data', 'analysis', 'summary', 'result'));

    const messages = at(completed, 'data', 'conversation', 'messages') as Json[];
    assert.ok(messages.length >= 4);
    for (const message of messages) {
      assert.ok(message.role === 'user' || message.role === 'assistant');
      assert.equal(typeof message.message, 'string');
      assert.match(String(message.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    // The last line was said now; earlier ones before it.
    assert.equal(messages.at(-1)?.time, new Date(NOW).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const view = expectKind(senderViewOf(completed, 'rapida', null), 'rapida');
    assert.equal(view.messages.length, messages.length);
    assert.ok(view.analysis?.includes('booked'));
  });
});

describe('signEvent modes', () => {
  const watson = buildEvent('watson.message_logged', { nowMs: NOW });
  const rapida = buildEvent('rapida.conversation.completed', { nowMs: NOW });

  it('bad-signature: a well-formed token the verifier calls invalid_signature', () => {
    const signed = signEvent(watson, { secret: SECRET, mode: 'bad-signature', nowMs: NOW });
    assert.equal(signed.token, 'bad-signature');
    assert.equal(
      verifier.verify(headerOf(signed, 'authorization'), NOW).verdict,
      'invalid_signature',
    );
    // Even without a secret, and for a sender that signs nothing: the point is a rejected token.
    const unsignedSender = signEvent(rapida, { mode: 'bad-signature', nowMs: NOW });
    assert.equal(
      verifier.verify(headerOf(unsignedSender, 'authorization'), NOW).verdict,
      'invalid_signature',
    );
  });

  it('expired: signed with the secret, expired beyond any clock tolerance', () => {
    const signed = signEvent(watson, { secret: SECRET, mode: 'expired', nowMs: NOW });
    const verdict = verifier.verify(headerOf(signed, 'authorization'), NOW);
    assert.equal(verdict.verdict, 'expired', verdict.reason);
    assert.ok(Number(verdict.claims?.exp) < NOW / 1000 - 600);
    const lenient = createVerifier([{ label: 'current', value: SECRET }], {
      algorithms: ['HS256'],
      clockToleranceSeconds: 600,
    });
    assert.equal(lenient.verify(headerOf(signed, 'authorization'), NOW).verdict, 'expired');
    assert.throws(
      () => signEvent(watson, { mode: 'expired', nowMs: NOW }),
      (error: unknown) => error instanceof SimulateError && /secret/.test(error.message),
    );
  });

  it('unsigned: no Authorization, even one a template carried', () => {
    const withHeader: BuiltEvent = {
      ...rapida,
      headers: [...rapida.headers, ['Authorization', 'Basic dXNlcjpwYXNz']],
    };
    const signed = signEvent(withHeader, { secret: SECRET, mode: 'unsigned', nowMs: NOW });
    assert.equal(headerOf(signed, 'authorization'), undefined);
    assert.equal(verifier.verify(headerOf(signed, 'authorization'), NOW).verdict, 'missing_token');
  });

  it('valid: a jwt event without a secret goes unsigned; a template’s own header is kept', () => {
    const unsigned = signEvent(watson, { mode: 'valid', nowMs: NOW });
    assert.equal(unsigned.token, 'none');
    assert.equal(headerOf(unsigned, 'authorization'), undefined);
    const own = signEvent(
      { ...rapida, headers: [...rapida.headers, ['Authorization', 'Basic dXNlcjpwYXNz']] },
      { secret: SECRET, mode: 'valid', nowMs: NOW },
    );
    assert.equal(own.token, 'template');
    assert.equal(headerOf(own, 'authorization'), 'Basic dXNlcjpwYXNz');
    // A stale token in a jwt event is replaced, never sent twice.
    const stale = signEvent(
      { ...watson, headers: [...watson.headers, ['authorization', 'old']] },
      { secret: SECRET, mode: 'valid', nowMs: NOW },
    );
    assert.equal(stale.headers.filter(([name]) => /^authorization$/i.test(name)).length, 1);
    assert.equal(verifier.verify(headerOf(stale, 'authorization'), NOW).verdict, 'verified');
  });

  it('isExpectedStatus: 2xx for valid events, 401/403 for the rejection modes', () => {
    assert.ok(isExpectedStatus(204, 'valid'));
    assert.ok(!isExpectedStatus(401, 'valid'));
    assert.ok(isExpectedStatus(401, 'expired'));
    assert.ok(isExpectedStatus(403, 'unsigned'));
    assert.ok(!isExpectedStatus(200, 'bad-signature'));
    assert.ok(!isExpectedStatus(null, 'valid'));
  });
});

describe('freshIdLike', () => {
  const random = seeded('ids');
  it('keeps the shape of common ids', () => {
    assert.match(freshIdLike('5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11', random), UUID);
    assert.match(freshIdLike('5D3E2B9A-7C41-4F0E-9A77-0B6F3C2E8D11', random), /^[0-9A-F-]{36}$/);
    assert.match(freshIdLike('vrsn_2157896541236548001', random), /^vrsn_[1-9]\d{18}$/);
    assert.match(freshIdLike('anon-8d2f4c', random), /^anon-[0-9a-f]{6}$/);
    assert.match(freshIdLike('CA5f0e8b2c1d4a3b2c1d0e9f8a7b6c5d4e', random), /^CA[0-9a-f]{32}$/);
    assert.match(
      freshIdLike('17465345_115257202@10.90.150.99', random),
      /^[1-9]\d{7}_[1-9]\d{8}@10\.90\.150\.99$/,
    );
    assert.match(freshIdLike('evt_1NqX2aB', random), /^evt_\d[A-Z][a-z][A-Z]\d[a-z][A-Z]$/);
    assert.equal(freshIdLike('---', random), '---');
    const id = 'abc';
    assert.notEqual(freshIdLike(id, random), id);
  });
});

describe('refreshing a body (user templates)', () => {
  const now = Date.UTC(2025, 6, 1, 9, 30, 0, 0);

  it('moves every kind of time by the same amount, in its own format and unit', () => {
    const body =
      '{"created": 1700000000, "updated": 1700000000500, "timestamp": 1700000000000250,' +
      ' "sent_at": "2023-11-14T22:13:20.500+02:00", "date": "2023-11-14", "when": "2023-11-14 22:13:20",' +
      ' "frac": "2023-11-14T22:13:20.000123Z", "Date": "Tue, 14 Nov 2023 22:13:20 GMT",' +
      ' "expires_at": "2023-11-24T22:13:20Z", "sent_ts": "1700000000.25"}';
    const anchor = 1_700_000_000_000; // 2023-11-14T22:13:20Z
    const result = refreshVolatileFields(body, {
      nowMs: now,
      anchorMs: anchor,
      random: seeded('t'),
    });
    const delta = now - anchor;
    const out = JSON.parse(result.text) as Json;
    assert.equal(out.created, Math.floor((anchor + delta) / 1000));
    assert.equal(out.updated, 1_700_000_000_500 + delta);
    // Microseconds past 2^53 stay exact in the text.
    assert.match(
      result.text,
      new RegExp(`"timestamp": ${BigInt(1_700_000_000_000_250) + BigInt(delta) * 1000n}`),
    );
    // 20:13:20.5Z, two hours before the anchor, stays two hours before now, in its own offset.
    assert.equal(out.sent_at, '2025-07-01T09:30:00.500+02:00');
    assert.equal(out.date, '2025-07-01');
    assert.equal(out.when, '2025-07-01 09:30:00');
    assert.equal(out.frac, '2025-07-01T09:30:00.000123Z');
    assert.equal(out.Date, 'Tue, 01 Jul 2025 09:30:00 GMT');
    assert.equal(out.expires_at, '2025-07-11T09:30:00Z', 'an expiry stays ten days ahead');
    assert.equal(out.sent_ts, `${Math.floor(now / 1000)}.25`);
    assert.equal(result.timestampsRefreshed, 10);
  });

  it('without an anchor, the latest time that is not an expiry becomes now', () => {
    const body =
      '{"start_timestamp":"2021-10-12T20:54:02.591Z","stop_timestamp":"2021-10-12T20:54:20.375Z","exp":1893456000}';
    const out = JSON.parse(refreshVolatileFields(body, { nowMs: now }).text) as Json;
    assert.equal(out.stop_timestamp, new Date(now).toISOString());
    assert.equal(
      Date.parse(String(out.stop_timestamp)) - Date.parse(String(out.start_timestamp)),
      17_784,
    );
  });

  it('gives each id one new value everywhere, keeps configuration ids, and leaves the rest byte for byte', () => {
    const body = [
      '{ "log_id": "L-1", "session_id": "b263cb6f-0d62-4b01-a28e-1743ff54d28d",',
      '  "context": {"global": {"session_id": "b263cb6f-0d62-4b01-a28e-1743ff54d28d"}},',
      '  "assistant_id": "97f16ba4-ad94-41af-aa6c-33cd56ad5e7e",',
      '  "assistant": {"id": "2157896541236547896"}, "conversation": {"id": "2157896541299991234"},',
      '  "id": 12345, "amount": 12345678901234567890123, "10": "ten", "9": "nine",',
      '  "canonical_name": "0f8fad5b-d9cb-469f-a165-70867728950e", "text": "unchanged" }',
    ].join('\n');
    const result = refreshVolatileFields(body, { nowMs: now, random: seeded('ids') });
    const out = JSON.parse(result.text) as Json;
    assert.notEqual(out.log_id, 'L-1');
    assert.match(String(out.log_id), /^L-\d$/);
    assert.match(String(out.session_id), UUID);
    assert.notEqual(out.session_id, 'b263cb6f-0d62-4b01-a28e-1743ff54d28d');
    assert.equal(at(out, 'context', 'global', 'session_id'), out.session_id);
    assert.equal(out.assistant_id, '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e');
    assert.equal(at(out, 'assistant', 'id'), '2157896541236547896');
    assert.notEqual(at(out, 'conversation', 'id'), '2157896541299991234');
    assert.equal(typeof out.id, 'number');
    assert.match(result.text, /"id": [1-9]\d{4},/);
    assert.match(result.text, /"amount": 12345678901234567890123,/);
    assert.notEqual(out.canonical_name, '0f8fad5b-d9cb-469f-a165-70867728950e');
    // Key order, spacing and everything not volatile are as they were.
    const masked = { maskVolatile: true } as const;
    assert.equal(canonicalJson(result.text, masked), canonicalJson(body, masked));
    assert.equal(result.text.split('\n').length, 6);
    assert.ok(result.text.indexOf('"10"') < result.text.indexOf('"9"'));
  });

  it('leaves a body that is not JSON alone, copes with duplicate keys and extreme depth', () => {
    assert.deepEqual(refreshVolatileFields('not json {', { nowMs: now }), {
      text: 'not json {',
      json: false,
      idsRefreshed: 0,
      timestampsRefreshed: 0,
    });
    const odd = '{"a":{"id":1.5e3},"b":{"id":-7},"c":{"id":0}}';
    assert.equal(refreshVolatileFields(odd, { nowMs: now }).text, odd);
    const duplicate = refreshVolatileFields('{"id":"a1","id":"a1"}', { nowMs: now });
    assert.match(duplicate.text, /^\{"id":"([0-9a-f]{2})","id":"\1"\}$/);
    const deep = `${'['.repeat(100_000)}"2020-01-01T00:00:00Z"${']'.repeat(100_000)}`;
    const refreshed = refreshVolatileFields(deep, { nowMs: now });
    assert.ok(refreshed.text.includes(new Date(now).toISOString().replace('.000', '')));
  });

  it('refreshes volatile headers with the same memory as the body', () => {
    const result = refreshRequest(
      [
        ['X-Request-Id', 'req_123abc'],
        ['Content-Type', 'application/json'],
        ['webhook-id', 'msg_p5jXN8AQM9LWM0D4loKWxJek'],
      ],
      '{"request_id":"req_123abc"}',
      { nowMs: now, random: seeded('h') },
    );
    const requestId = result.headers[0]?.[1];
    assert.notEqual(requestId, 'req_123abc');
    assert.match(requestId ?? '', /^req_[0-9a-f]{6}$/);
    assert.equal((JSON.parse(result.body.text) as Json).request_id, requestId);
    assert.deepEqual(result.headers[1], ['Content-Type', 'application/json']);
    assert.match(result.headers[2]?.[1] ?? '', /^msg_[A-Za-z0-9]{24}$/);
  });
});

/** A stored delivery of a message_logged captured a day before NOW. */
function capturedDelivery(): DeliveryRecord {
  const capturedMs = NOW - 86_400_000;
  const built = buildEvent('watson.message_logged', { nowMs: capturedMs });
  const token = signToken(SECRET, {}, { nowMs: capturedMs });
  const input = aDelivery('d1', {
    receivedAt: new Date(capturedMs).toISOString(),
    url: '/hooks/watson?env=dev',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Content-Type', 'application/json'],
      ['Authorization', token],
      ['Content-Length', String(built.body.length)],
      ['Connection', 'keep-alive, X-Hop'],
      ['X-Hop', 'gone'],
      ['Cookie', 'session=secret'],
      ['X-Replay', 'true'],
      ['X-Custom', 'kept'],
    ],
    bodyBase64: built.body.toString('base64'),
    bodySize: built.body.length,
    sender: 'watson',
    event: 'message_logged',
  });
  return { ...input, seq: 1 };
}

describe('user templates', () => {
  it('round-trips a captured delivery and refreshes its ids and times on every build', () => {
    const record = capturedDelivery();
    const template = templateFromDelivery(record, '  my balance turn ');
    assert.equal(template.format, USER_TEMPLATE_FORMAT);
    assert.equal(template.name, 'my balance turn');
    assert.equal(template.sender, 'watson');
    assert.equal(template.event, 'message_logged');
    assert.equal(template.method, 'POST');
    assert.equal(template.path, '/hooks/watson?env=dev');
    assert.equal(template.auth, 'jwt');
    assert.equal(template.capturedAt, record.receivedAt);
    assert.deepEqual(template.headers, [
      ['Content-Type', 'application/json'],
      ['X-Custom', 'kept'],
    ]);
    const original = Buffer.from(record.bodyBase64, 'base64').toString();
    assert.equal(template.body, original);

    const fromDisk = parseUserTemplate(JSON.stringify(template));
    assert.ok(fromDisk.ok, fromDisk.ok ? '' : fromDisk.error);
    assert.deepEqual(fromDisk.template, template);

    const first = buildFromUserTemplate(fromDisk.template, NOW);
    const second = buildFromUserTemplate(fromDisk.template, NOW);
    const was = (JSON.parse(original) as Json).payload as Json;
    const now1 = bodyOf(first).payload as Json;
    const now2 = bodyOf(second).payload as Json;
    assert.notEqual(now1.log_id, was.log_id);
    assert.notEqual(now2.log_id, now1.log_id);
    assert.match(String(now1.log_id), UUID);
    assert.equal(first.id, now1.log_id);
    assert.notEqual(now1.session_id, was.session_id);
    assert.equal(at(now1, 'request', 'context', 'global', 'session_id'), now1.session_id);
    assert.equal(now1.assistant_id, was.assistant_id);
    assert.equal(now1.skill_id, was.skill_id);
    // Captured a day ago at the moment of its response: now it is now.
    assert.equal(now1.response_timestamp, new Date(NOW).toISOString());
    assert.equal(
      Date.parse(String(now1.response_timestamp)) - Date.parse(String(now1.request_timestamp)),
      Date.parse(String(was.response_timestamp)) - Date.parse(String(was.request_timestamp)),
    );
    assert.deepEqual(at(now1, 'response', 'output'), at(was, 'response', 'output'));

    assert.equal(first.path, '/hooks/watson?env=dev');
    assert.equal(first.auth, 'jwt');
    const signed = signEvent(first, { secret: SECRET, mode: 'valid', nowMs: NOW });
    assert.equal(verifier.verify(headerOf(signed, 'authorization'), NOW).verdict, 'verified');
    const recognition = recognise(bodyOf(first), () => undefined);
    assert.equal(recognition.sender, 'watson');
    assert.equal(recognition.senderEventId, now1.log_id);
  });

  it('a delivery without a JWT makes an unsigned template; a binary body cannot be one', () => {
    const record = capturedDelivery();
    const noToken = templateFromDelivery(
      { ...record, headers: record.headers.filter(([name]) => name !== 'Authorization') },
      'x',
    );
    assert.equal(noToken.auth, 'none');
    assert.throws(
      () =>
        templateFromDelivery(
          { ...record, bodyBase64: Buffer.from([0xff, 0xfe]).toString('base64') },
          'x',
        ),
      (error: unknown) => error instanceof SimulateError && /not UTF-8/.test(error.message),
    );
    assert.throws(() => templateFromDelivery(record, ' \n '), SimulateError);
  });

  it('reads a raw JSON body file as its sender would send it', () => {
    const watson = readSendFile(
      `\uFEFF${buildEvent('watson.cdr_logged', { nowMs: NOW }).body.toString()}`,
      'call.json',
    );
    assert.ok(watson.ok);
    assert.equal(watson.template.sender, 'watson');
    assert.equal(watson.template.event, 'cdr_logged');
    assert.equal(watson.template.path, '/webhooks/watson');
    assert.equal(watson.template.auth, 'jwt');
    assert.equal(watson.template.name, 'call.json');
    assert.ok(!watson.template.body.startsWith('\uFEFF'));

    const rapida = readSendFile(
      buildEvent('rapida.conversation.failed', { nowMs: NOW }).body.toString(),
      'r.json',
    );
    assert.ok(rapida.ok);
    assert.equal(rapida.template.auth, 'none');
    assert.equal(rapida.template.path, '/webhooks/rapida');

    const generic = readSendFile('{"type":"invoice.paid","id":"evt_1","created":1700000000}', 'g');
    assert.ok(generic.ok);
    assert.equal(generic.template.sender, 'generic');
    assert.equal(generic.template.event, 'invoice.paid');
    const built = buildFromUserTemplate(generic.template, NOW);
    const body = bodyOf(built);
    assert.notEqual(body.id, 'evt_1');
    assert.equal(body.created, Math.floor(NOW / 1000));
    assert.equal(built.id, body.id);

    const template = readSendFile(
      JSON.stringify(templateFromDelivery(capturedDelivery(), 't')),
      'f',
    );
    assert.ok(template.ok);
    assert.equal(template.template.path, '/hooks/watson?env=dev');

    const notJson = readSendFile('{"oops":', 'bad.json');
    assert.equal(notJson.ok, false);
    assert.match(notJson.ok ? '' : notJson.error, /not JSON/);
  });

  describe('hostile template files are refused with a reason', () => {
    const good = (): Record<string, unknown> =>
      JSON.parse(JSON.stringify(templateFromDelivery(capturedDelivery(), 'good'))) as Record<
        string,
        unknown
      >;
    const refused = (value: unknown, pattern: RegExp): void => {
      const result = parseUserTemplate(typeof value === 'string' ? value : JSON.stringify(value));
      assert.equal(result.ok, false, `refused: ${JSON.stringify(value).slice(0, 200)}`);
      assert.match(result.ok ? '' : result.error, pattern);
    };

    it('refuses what is not a template object', () => {
      refused('{"format": ', /not JSON/);
      refused([1, 2], /JSON object/);
      refused(null, /JSON object/);
      refused({ ...good(), format: undefined }, /"format": "hooklens-template\/1"/);
      refused({ ...good(), format: 'hooklens-template/9' }, /newer version/);
    });

    it('refuses bad fields, naming the field', () => {
      refused({ ...good(), name: '' }, /name is empty/);
      refused({ ...good(), name: 'a\nb' }, /one line/);
      refused({ ...good(), name: 'x'.repeat(101) }, /at most 100/);
      refused({ ...good(), name: 7 }, /"name"/);
      refused({ ...good(), sender: 'nope' }, /"sender" must be one of/);
      refused({ ...good(), event: { a: 1 } }, /"event"/);
      refused({ ...good(), event: 'a\u0000b' }, /"event"/);
      refused({ ...good(), method: 'CONNECT' }, /"method" must be one of/);
      refused({ ...good(), method: 5 }, /"method"/);
      refused({ ...good(), body: { a: 1 } }, /"body"/);
      refused({ ...good(), auth: 'basic' }, /"auth"/);
      refused({ ...good(), capturedAt: 'yesterday' }, /"capturedAt"/);
    });

    it('refuses paths that could name another host or break the request line', () => {
      for (const path of [
        '//evil.example/x',
        'http://evil.example/',
        'webhooks',
        '/a b',
        '/a\r\nX: y',
        '/\\evil',
        `/${'a'.repeat(3000)}`,
      ]) {
        refused({ ...good(), path }, /"path" must start with a single "\/"/);
      }
    });

    it('refuses headers that could split the request, and drops ones that are recomputed', () => {
      refused({ ...good(), headers: {} }, /list of \["Name", "value"\] pairs/);
      refused({ ...good(), headers: [['X-A']] }, /header 1 is not one/);
      refused({ ...good(), headers: [['X-A', 1]] }, /something other than text/);
      refused({ ...good(), headers: [['Bad Name', 'v']] }, /not a valid header name/);
      refused({ ...good(), headers: [['X-A', 'v\r\nX-Injected: 1']] }, /line break or NUL/);
      refused({ ...good(), headers: [['X-A', 'v\u0000']] }, /line break or NUL/);
      refused(
        { ...good(), headers: Array.from({ length: 101 }, (_, index) => [`X-${index}`, 'v']) },
        /at most 100/,
      );
      const result = parseUserTemplate(
        JSON.stringify({
          ...good(),
          headers: [
            ['Host', 'evil.example'],
            ['Content-Length', '999'],
            ['Transfer-Encoding', 'chunked'],
            ['Authorization', 'Basic dXNlcjpwYXNz'],
            ['X-Ok', 'yes'],
          ],
        }),
      );
      assert.ok(result.ok);
      assert.deepEqual(result.template.headers, [
        ['Authorization', 'Basic dXNlcjpwYXNz'],
        ['X-Ok', 'yes'],
      ]);
    });

    it('refuses an oversized body, ignores unknown keys and never touches prototypes', () => {
      refused({ ...good(), body: 'x'.repeat(25 * 1024 * 1024 + 1) }, /larger than/);
      const text = JSON.stringify(good()).replace(
        /^\{/,
        '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "extra": 1,',
      );
      const result = parseUserTemplate(text);
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(Object.keys(result.template).sort(), [
        'auth',
        'body',
        'capturedAt',
        'event',
        'format',
        'headers',
        'method',
        'name',
        'path',
        'sender',
      ]);
    });

    it('fills in sensible defaults for a hand-written template', () => {
      const result = parseUserTemplate(
        JSON.stringify({
          format: USER_TEMPLATE_FORMAT,
          name: 'hand',
          sender: 'rapida',
          body: '{}',
        }),
      );
      assert.ok(result.ok);
      const expected: UserTemplate = {
        format: USER_TEMPLATE_FORMAT,
        name: 'hand',
        sender: 'rapida',
        event: null,
        method: 'POST',
        path: '/webhooks/rapida',
        headers: [],
        body: '{}',
        auth: 'none',
        capturedAt: null,
      };
      assert.deepEqual(result.template, expected);
    });
  });
});

describe('sendEvents', () => {
  let server: Server;
  let url: URL;
  let answerStatus = 200;
  let delayMs = 0;
  const received: Array<{ headers: IncomingHttpHeaders; body: string; at: number }> = [];

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          at: Date.now(),
        });
        setTimeout(() => {
          response.writeHead(answerStatus, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ status: answerStatus }));
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/watson`);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const reset = (status = 200, delay = 0): void => {
    received.length = 0;
    answerStatus = status;
    delayMs = delay;
  };
  const build = (_index: number, nowMs: number): BuiltEvent =>
    buildEvent('watson.message_logged', { nowMs });

  it('sends signed events one after another and summarises the answers', async () => {
    reset();
    const results: SendResult[] = [];
    const summary = await sendEvents(url, build, {
      count: 5,
      secret: SECRET,
      mode: 'valid',
      timeoutMs: 5_000,
      onResult: (result) => results.push(result),
    });
    assert.equal(received.length, 5);
    for (const request of received) {
      assert.equal(verifier.verify(request.headers.authorization, Date.now()).verdict, 'verified');
      assert.equal(request.headers['content-type'], 'application/json');
    }
    const logIds = new Set(received.map((request) => (JSON.parse(request.body) as Json).payload));
    assert.equal(new Set([...logIds].map((payload) => (payload as Json).log_id)).size, 5);
    assert.deepEqual(
      results.map((result) => result.index),
      [0, 1, 2, 3, 4],
    );
    assert.equal(results[0]?.status, 200);
    assert.equal(results[0]?.event, 'message_logged');
    assert.equal(results[0]?.answer, '{"status":200}');
    assert.deepEqual(summary.statuses, { '200': 5 });
    assert.equal(summary.sent, 5);
    assert.equal(summary.answered, 5);
    assert.equal(summary.expected, 5);
    assert.equal(summary.failures, 0);
    assert.equal(summary.cancelled, false);
    assert.ok(summary.p50Ms !== null && summary.p95Ms !== null && summary.p50Ms <= summary.p95Ms);
  });

  it('paces a load at the rate asked for', async () => {
    reset();
    const calledAt = Date.now();
    const summary = await sendEvents(url, build, {
      count: 10,
      ratePerSecond: 50,
      secret: SECRET,
      mode: 'valid',
      timeoutMs: 5_000,
    });
    assert.equal(summary.expected, 10);
    assert.equal(summary.answered, 10);
    // The tenth event is not sent before 9 intervals of 20 ms have passed, however fast or
    // slow the machine (arrival times alone shrink the span when the first one is slow); the
    // margin is a timer's allowed earliness and the two clocks' rounding.
    const lastArrival = received.at(-1)?.at ?? 0;
    assert.ok(
      lastArrival - calledAt >= 175,
      `the tenth event came ${lastArrival - calledAt} ms in`,
    );
  });

  it('counts 401s as expected when the point is rejection', async () => {
    reset(401);
    const summary = await sendEvents(url, build, {
      count: 3,
      mode: 'bad-signature',
      timeoutMs: 5_000,
    });
    assert.deepEqual(summary.statuses, { '401': 3 });
    assert.equal(summary.expected, 3);
    for (const request of received) {
      assert.equal(
        verifier.verify(request.headers.authorization, Date.now()).verdict,
        'invalid_signature',
      );
    }
  });

  it('never throws: refused connections, timeouts, events that cannot be built', async () => {
    reset(200, 300);
    const timedOut = await sendEvents(url, build, {
      count: 1,
      secret: SECRET,
      mode: 'valid',
      timeoutMs: 50,
    });
    assert.equal(timedOut.failures, 1);
    assert.equal(timedOut.expected, 0);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const results: SendResult[] = [];
    const refused = await sendEvents(new URL(`http://127.0.0.1:${port}/`), build, {
      count: 2,
      mode: 'valid',
      timeoutMs: 1_000,
      onResult: (result) => {
        results.push(result);
        throw new Error('a listener that fails does not stop the run');
      },
    });
    assert.equal(refused.failures, 2);
    assert.equal(refused.answered, 0);
    assert.equal(refused.p50Ms, null);
    assert.equal(results[0]?.failureKind, 'refused');
    assert.match(results[0]?.error ?? '', /connection refused/);

    const broken = await sendEvents(
      url,
      () => {
        throw new Error('boom');
      },
      { count: 2, mode: 'valid', timeoutMs: 1_000 },
    );
    assert.equal(broken.failures, 2);
    const expiredWithoutSecret: SendResult[] = [];
    await sendEvents(url, build, {
      count: 1,
      mode: 'expired',
      timeoutMs: 1_000,
      onResult: (result) => expiredWithoutSecret.push(result),
    });
    assert.equal(expiredWithoutSecret[0]?.failureKind, 'build');
    assert.match(expiredWithoutSecret[0]?.error ?? '', /secret/);
  });

  it('stops when cancelled and says so; clamps nonsense counts', async () => {
    reset(200, 20);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const summary = await sendEvents(url, build, {
      count: 1_000,
      ratePerSecond: 20,
      secret: SECRET,
      mode: 'valid',
      timeoutMs: 1_000,
      signal: controller.signal,
    });
    assert.equal(summary.cancelled, true);
    assert.ok(summary.sent < 10, `sent ${summary.sent}`);

    reset();
    const one = await sendEvents(url, build, {
      count: Number.NaN,
      mode: 'valid',
      timeoutMs: 1_000,
    });
    assert.equal(one.requested, 1);
    assert.equal(one.sent, 1);
  });
});
