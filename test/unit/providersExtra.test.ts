// The providers added for issue 12 (Paddle, Square, Linear, Zoom, Twitch, Intercom, Typeform,
// Vercel, SendGrid, Mux, Calendly): detection and its order against the providers sharing a
// header, what each recognises (event, delivery id, session), the handshakes, re-signing, the
// reasons, and the secret hints. Signatures here are computed with node:crypto directly, never
// with the scheme under test.
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as ecdsaSign } from 'node:crypto';
import { describe, it } from 'node:test';
import { analyserWithSecrets, type Analysis } from '../../src/core/analysis/analyseRequest';
import { providerById } from '../../src/core/providers/registry';
import { requestFacts, type RequestInput } from '../../src/core/providers/requestFacts';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { schemeById } from '../../src/core/verify/schemes';

const NOW_MS = Date.UTC(2026, 11, 4, 12, 0, 0);
const NOW_S = NOW_MS / 1000;

type Headers = ReadonlyArray<readonly [string, string]>;

function post(url: string, headers: Headers, body: string): RequestInput {
  return { method: 'POST', url, headers, body: Buffer.from(body, 'utf8') };
}

function hex(algorithm: 'sha1' | 'sha256', key: string, ...parts: string[]): string {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

function base64(algorithm: 'sha1' | 'sha256', key: string, ...parts: string[]): string {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest('base64');
}

function analyse(
  request: RequestInput,
  secrets: ConfiguredSecret[] = [],
  options: { nowMs?: number; publicBaseUrl?: string } = {},
): Analysis {
  return analyserWithSecrets(
    secrets,
    options.publicBaseUrl === undefined ? {} : { publicBaseUrl: options.publicBaseUrl },
  ).analyse(request, options.nowMs ?? NOW_MS, 'delivery-1');
}

function secret(provider: string, value: string, label = 'current'): ConfiguredSecret {
  return { provider, label, value };
}

// --- Realistic deliveries, each signed the way its provider documents ------------------------

const PADDLE_SECRET = 'pdl_ntfset_01gkpjp8bkh3k3b2f3zgkc9d9f_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
const PADDLE_BODY =
  '{"event_id":"evt_01h8441jx8x6xmgmw9ts6dwq3h","event_type":"transaction.completed","occurred_at":"2026-12-04T12:00:00.000000Z","notification_id":"ntf_01h8441k0hd8evm9bg0v7g8ee6","data":{"id":"txn_01h8441h8xqw4mm4ekrf9bnc3t","customer_id":"ctm_01h8441h8vvdtjt5jmd3w2gskx","status":"completed"}}';

function paddleDelivery(
  body = PADDLE_BODY,
  ts = NOW_S,
  h1s = [hex('sha256', PADDLE_SECRET, `${ts}:`, body)],
) {
  return post(
    '/hooks/paddle',
    [
      ['Content-Type', 'application/json'],
      ['Paddle-Signature', [`ts=${ts}`, ...h1s.map((h) => `h1=${h}`)].join(';')],
    ],
    body,
  );
}

const SQUARE_KEY = 'Ibxx_5AKakO-3qeNVR61Dw';
const SQUARE_BODY =
  '{"merchant_id":"6SSW7HV8K2ST5","type":"payment.updated","event_id":"13b867cf-db3d-4b1c-90b6-2f32a9d78124","created_at":"2026-12-04T12:00:00.000Z","data":{"type":"payment","id":"KkAkhdMsgzn59SM8A89WgKwekxLZY","object":{"payment":{"status":"COMPLETED"}}}}';

function squareDelivery(signedUrl: string, host: string, path = '/hooks/square') {
  return post(
    path,
    [
      ['Host', host],
      ['Content-Type', 'application/json'],
      ['x-square-hmacsha256-signature', base64('sha256', SQUARE_KEY, signedUrl, SQUARE_BODY)],
    ],
    SQUARE_BODY,
  );
}

const LINEAR_SECRET = 'lin_wh_k3l4j5h6g7f8d9s0a1';
function linearBody(timestampMs = NOW_MS): string {
  return `{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","title":"Bug"},"organizationId":"org-1","webhookTimestamp":${timestampMs},"webhookId":"wh-1"}`;
}
function linearDelivery(body = linearBody(), extra: Headers = []) {
  return post(
    '/hooks/linear',
    [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Linear-Delivery', '234d1a4e-b617-4388-90fe-adc3633d6b72'],
      ['Linear-Event', 'Issue'],
      ['Linear-Signature', hex('sha256', LINEAR_SECRET, body)],
      ...extra,
    ],
    body,
  );
}

const ZOOM_SECRET = 'zoomSecretToken123';
function zoomDelivery(body: string, ts = NOW_S, key = ZOOM_SECRET) {
  return post(
    '/hooks/zoom',
    [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['x-zm-request-timestamp', String(ts)],
      ['x-zm-signature', `v0=${hex('sha256', key, `v0:${ts}:`, body)}`],
    ],
    body,
  );
}
const ZOOM_MEETING =
  '{"event":"meeting.started","event_ts":1764849600000,"payload":{"account_id":"acc","object":{"uuid":"4444AAAiAAAAAiAiAiiAii==","id":"1234567890","topic":"Standup"}}}';
const ZOOM_VALIDATION =
  '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1764849600000,"event":"endpoint.url_validation"}';

const TWITCH_SECRET = 's3cRe7-twitch-secret';
function twitchDelivery(
  type: 'notification' | 'webhook_callback_verification' | 'revocation',
  body: string,
  timestamp = new Date(NOW_MS).toISOString().replace('Z', '123456Z'),
  id = 'e76c6bd4-55c9-4987-8304-da1588d8988b',
) {
  return post(
    '/hooks/twitch',
    [
      ['Content-Type', 'application/json'],
      ['Twitch-Eventsub-Message-Id', id],
      ['Twitch-Eventsub-Message-Retry', '0'],
      ['Twitch-Eventsub-Message-Type', type],
      ['Twitch-Eventsub-Message-Timestamp', timestamp],
      ['Twitch-Eventsub-Subscription-Type', 'channel.follow'],
      ['Twitch-Eventsub-Subscription-Version', '2'],
      [
        'Twitch-Eventsub-Message-Signature',
        `sha256=${hex('sha256', TWITCH_SECRET, id, timestamp, body)}`,
      ],
    ],
    body,
  );
}
const TWITCH_FOLLOW =
  '{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2","condition":{"broadcaster_user_id":"1337","moderator_user_id":"1337"}},"event":{"user_id":"1234","user_login":"cool_user","broadcaster_user_id":"1337","followed_at":"2026-12-04T12:00:00Z"}}';
const TWITCH_CHALLENGE =
  '{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"2","condition":{"broadcaster_user_id":"12826"}}}';

const INTERCOM_SECRET = 'intercom-client-secret-0123';
const INTERCOM_BODY =
  '{"type":"notification_event","app_id":"abc123","data":{"type":"notification_event_data","item":{"type":"conversation","id":"147"}},"links":{},"id":"notif_ccd8a4d2-3bb1-4eb5-a2cc-fa9c1b2d6a1b","topic":"conversation.user.created","delivery_status":"pending","delivery_attempts":1,"created_at":1764849600}';
function intercomDelivery(extra: Headers = [], body = INTERCOM_BODY) {
  return post(
    '/hooks/intercom',
    [
      ['Content-Type', 'application/json'],
      ['X-Hub-Signature', `sha1=${hex('sha1', INTERCOM_SECRET, body)}`],
      ...extra,
    ],
    body,
  );
}

const TYPEFORM_SECRET = 'typeform-webhook-secret';
const TYPEFORM_BODY =
  '{"event_id":"01HZ8Q8Z5V","event_type":"form_response","form_response":{"form_id":"lT4Z3j","token":"a3a12ec67a1365927098a606107fac15","answers":[]}}';

const VERCEL_SECRET = 'vercel-webhook-secret';
const VERCEL_BODY =
  '{"id":"uev_1a2b3c","type":"deployment.succeeded","createdAt":1764849600000,"payload":{"deployment":{"id":"dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ","url":"x.vercel.app"},"project":{"id":"prj_1"}}}';

const MUX_SECRET = 'mux-signing-secret';
const MUX_BODY =
  '{"type":"video.asset.ready","object":{"type":"asset","id":"0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002"},"id":"3a56ac3d-33da-4366-855b-f592d898409d","environment":{"name":"Production","id":"j0863n"},"data":{"status":"ready"}}';

const CALENDLY_KEY = 'calendly-signing-key';
const CALENDLY_BODY =
  '{"created_at":"2026-12-04T12:00:00.000000Z","created_by":"https://api.calendly.com/users/AAA","event":"invitee.created","payload":{"uri":"https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA","scheduled_event":{"uri":"https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2"}}}';

function tAndV1(header: string, key: string, body: string, t = NOW_S) {
  return post(
    '/hooks/x',
    [
      ['Content-Type', 'application/json'],
      [header, `t=${t},v1=${hex('sha256', key, `${t}.`, body)}`],
    ],
    body,
  );
}

const SENDGRID = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SENDGRID_KEY = SENDGRID.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const SENDGRID_BODY =
  '[{"email":"a@example.com","event":"processed","sg_event_id":"cHJvY2Vzc2Vk","sg_message_id":"msg-1.filter","timestamp":1764849600},\r\n{"email":"a@example.com","event":"delivered","sg_event_id":"ZGVsaXZlcmVk","sg_message_id":"msg-1.filter","timestamp":1764849601}]\r\n';
function sendgridDelivery(body = SENDGRID_BODY, ts = NOW_S) {
  const signature = ecdsaSign(
    'sha256',
    Buffer.concat([Buffer.from(String(ts)), Buffer.from(body)]),
    SENDGRID.privateKey,
  );
  return post(
    '/hooks/sendgrid',
    [
      ['Content-Type', 'application/json'],
      ['X-Twilio-Email-Event-Webhook-Signature', signature.toString('base64')],
      ['X-Twilio-Email-Event-Webhook-Timestamp', String(ts)],
    ],
    body,
  );
}

// --- Tests ------------------------------------------------------------------------------------

describe('issue 12 providers: detection, recognition, verification', () => {
  const cases: Array<{
    name: string;
    provider: string;
    request: RequestInput;
    secret: string;
    event: string;
    senderEventId: string | null;
    sessionId: string | null;
    header: string;
  }> = [
    {
      name: 'Paddle transaction.completed',
      provider: 'paddle',
      request: paddleDelivery(),
      secret: PADDLE_SECRET,
      event: 'transaction.completed',
      senderEventId: 'evt_01h8441jx8x6xmgmw9ts6dwq3h',
      sessionId: 'ctm_01h8441h8vvdtjt5jmd3w2gskx',
      header: 'Paddle-Signature',
    },
    {
      name: 'Square payment.updated',
      provider: 'square',
      request: squareDelivery('https://shop.example.com/hooks/square', 'shop.example.com'),
      secret: SQUARE_KEY,
      event: 'payment.updated',
      senderEventId: '13b867cf-db3d-4b1c-90b6-2f32a9d78124',
      sessionId: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
      header: 'x-square-hmacsha256-signature',
    },
    {
      name: 'Linear Issue create',
      provider: 'linear',
      request: linearDelivery(),
      secret: LINEAR_SECRET,
      event: 'Issue.create',
      senderEventId: '234d1a4e-b617-4388-90fe-adc3633d6b72',
      sessionId: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9',
      header: 'Linear-Signature',
    },
    {
      name: 'Zoom meeting.started',
      provider: 'zoom',
      request: zoomDelivery(ZOOM_MEETING),
      secret: ZOOM_SECRET,
      event: 'meeting.started',
      senderEventId: 'meeting.started@1764849600000:4444AAAiAAAAAiAiAiiAii==',
      sessionId: '4444AAAiAAAAAiAiAiiAii==',
      header: 'x-zm-signature',
    },
    {
      name: 'Twitch channel.follow notification',
      provider: 'twitch',
      request: twitchDelivery('notification', TWITCH_FOLLOW),
      secret: TWITCH_SECRET,
      event: 'channel.follow',
      senderEventId: 'e76c6bd4-55c9-4987-8304-da1588d8988b',
      sessionId: '1337',
      header: 'Twitch-Eventsub-Message-Signature',
    },
    {
      name: 'Intercom conversation.user.created',
      provider: 'intercom',
      request: intercomDelivery([['User-Agent', 'intercom-parrot-service-client/1.0']]),
      secret: INTERCOM_SECRET,
      event: 'conversation.user.created',
      senderEventId: 'notif_ccd8a4d2-3bb1-4eb5-a2cc-fa9c1b2d6a1b',
      sessionId: '147',
      header: 'X-Hub-Signature',
    },
    {
      name: 'Typeform form_response',
      provider: 'typeform',
      request: post(
        '/hooks/typeform',
        [
          ['Content-Type', 'application/json'],
          ['Typeform-Signature', `sha256=${base64('sha256', TYPEFORM_SECRET, TYPEFORM_BODY)}`],
        ],
        TYPEFORM_BODY,
      ),
      secret: TYPEFORM_SECRET,
      event: 'form_response',
      senderEventId: '01HZ8Q8Z5V',
      sessionId: 'lT4Z3j',
      header: 'Typeform-Signature',
    },
    {
      name: 'Vercel deployment.succeeded',
      provider: 'vercel',
      request: post(
        '/hooks/vercel',
        [
          ['Content-Type', 'application/json'],
          ['x-vercel-signature', hex('sha1', VERCEL_SECRET, VERCEL_BODY)],
        ],
        VERCEL_BODY,
      ),
      secret: VERCEL_SECRET,
      event: 'deployment.succeeded',
      senderEventId: 'uev_1a2b3c',
      sessionId: 'dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ',
      header: 'x-vercel-signature',
    },
    {
      name: 'Mux video.asset.ready',
      provider: 'mux',
      request: tAndV1('Mux-Signature', MUX_SECRET, MUX_BODY),
      secret: MUX_SECRET,
      event: 'video.asset.ready',
      senderEventId: '3a56ac3d-33da-4366-855b-f592d898409d',
      sessionId: '0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002',
      header: 'Mux-Signature',
    },
    {
      name: 'Calendly invitee.created',
      provider: 'calendly',
      request: tAndV1('Calendly-Webhook-Signature', CALENDLY_KEY, CALENDLY_BODY),
      secret: CALENDLY_KEY,
      event: 'invitee.created',
      senderEventId:
        'invitee.created https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      sessionId: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2',
      header: 'Calendly-Webhook-Signature',
    },
    {
      name: 'SendGrid batch of two events',
      provider: 'sendgrid',
      request: sendgridDelivery(),
      secret: SENDGRID_KEY,
      event: 'delivered+processed',
      senderEventId: 'cHJvY2Vzc2Vk',
      sessionId: 'msg-1.filter',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: detected, recognised, verified with a reason naming the header`, () => {
      const analysis = analyse(testCase.request, [secret(testCase.provider, testCase.secret)]);
      assert.equal(analysis.provider.id, testCase.provider);
      assert.equal(analysis.recognition.sender, testCase.provider);
      assert.equal(analysis.recognition.event, testCase.event);
      assert.equal(analysis.recognition.senderEventId, testCase.senderEventId);
      assert.equal(analysis.recognition.sessionId, testCase.sessionId);
      assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
      assert.ok(
        analysis.verification.reason.toLowerCase().includes(testCase.header.toLowerCase()),
        analysis.verification.reason,
      );
      const rows = analysis.verification.details?.flatMap((section) => section.rows) ?? [];
      assert.ok(
        rows.some(([label]) => label === 'Signed content'),
        'the Auth tab says what was signed',
      );
    });

    it(`${testCase.name}: without a secret, no_secret naming ${testCase.provider} and the header`, () => {
      const analysis = analyse(testCase.request);
      const label = providerById(testCase.provider)?.label ?? '';
      assert.equal(analysis.verification.verdict, 'no_secret');
      assert.ok(analysis.verification.reason.includes(label), analysis.verification.reason);
      assert.ok(
        analysis.verification.reason.toLowerCase().includes(testCase.header.toLowerCase()),
        analysis.verification.reason,
      );
    });

    it(`${testCase.name}: a secret for another provider is not used`, () => {
      const analysis = analyse(testCase.request, [secret('stripe', testCase.secret)]);
      assert.equal(analysis.verification.verdict, 'no_secret');
    });
  }
});

describe('detection order among providers sharing a header', () => {
  const githubSha1 = (body: string) =>
    post(
      '/hooks/x',
      [
        ['X-GitHub-Event', 'push'],
        ['X-Hub-Signature', `sha1=${hex('sha1', 'gh', body)}`],
      ],
      body,
    );

  it('X-Hub-Signature with X-GitHub-Event is GitHub, even with an Intercom-like body', () => {
    assert.equal(analyse(githubSha1(INTERCOM_BODY)).provider.id, 'github');
  });

  it('X-Hub-Signature with a Meta body (object, entry) is Meta, not Intercom', () => {
    const body = '{"object":"page","entry":[{"id":"1","changes":[{"field":"feed"}]}]}';
    const request = post(
      '/hooks/x',
      [['X-Hub-Signature', `sha1=${hex('sha1', 'meta', body)}`]],
      body,
    );
    assert.equal(analyse(request).provider.id, 'meta');
  });

  it('Intercom is recognised by its body alone, and by its User-Agent alone', () => {
    assert.equal(analyse(intercomDelivery()).provider.id, 'intercom');
    const otherBody = '{"type":"ping","id":"x"}';
    const byAgent = intercomDelivery(
      [['User-Agent', 'intercom-parrot-service-client/1.0']],
      otherBody,
    );
    assert.equal(analyse(byAgent).provider.id, 'intercom');
  });

  it('Intercom verifies the legacy sha1 header with its client secret', () => {
    const analysis = analyse(intercomDelivery(), [secret('intercom', INTERCOM_SECRET)]);
    assert.equal(analysis.verification.verdict, 'verified');
    assert.equal(analysis.verification.scheme, 'hub-signature');
  });

  it('SendGrid (x-twilio-email-event-webhook-*) is not taken for Twilio, nor Twilio for SendGrid', () => {
    assert.equal(analyse(sendgridDelivery()).provider.id, 'sendgrid');
    const twilioRequest = post(
      '/sms',
      [
        ['Host', 'example.com'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Twilio-Signature', 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
      ],
      'MessageStatus=delivered',
    );
    assert.equal(analyse(twilioRequest).provider.id, 'twilio');
  });

  it('Stripe, Mux and Calendly share the t=,v1= format: the header name decides', () => {
    const body = '{"type":"x"}';
    assert.equal(analyse(tAndV1('Stripe-Signature', 'k', body)).provider.id, 'stripe');
    assert.equal(analyse(tAndV1('Mux-Signature', 'k', body)).provider.id, 'mux');
    assert.equal(analyse(tAndV1('Calendly-Webhook-Signature', 'k', body)).provider.id, 'calendly');
  });

  it('Slack and Zoom share v0=: the header name decides', () => {
    assert.equal(analyse(zoomDelivery(ZOOM_MEETING)).provider.id, 'zoom');
  });

  it('a Zoom, Twitch or Linear request without its signature is still detected (and missing)', () => {
    const zoomUnsigned = post('/z', [['x-zm-request-timestamp', String(NOW_S)]], ZOOM_MEETING);
    const analysis = analyse(zoomUnsigned, [secret('zoom', ZOOM_SECRET)]);
    assert.equal(analysis.provider.id, 'zoom');
    assert.equal(analysis.verification.verdict, 'missing_signature');
    assert.match(analysis.verification.reason, /x-zm-signature/);
    const twitchUnsigned = post(
      '/t',
      [['Twitch-Eventsub-Message-Type', 'notification']],
      TWITCH_FOLLOW,
    );
    assert.equal(analyse(twitchUnsigned).provider.id, 'twitch');
    const linearUnsigned = post('/l', [['Linear-Delivery', 'd-1']], linearBody());
    assert.equal(analyse(linearUnsigned).provider.id, 'linear');
  });
});

describe('handshakes', () => {
  it('Zoom endpoint.url_validation: {plainToken, encryptedToken} with the matching secret', () => {
    const analysis = analyse(zoomDelivery(ZOOM_VALIDATION), [
      secret('zoom', 'an-old-secret-token', 'old'),
      secret('zoom', ZOOM_SECRET, 'new'),
    ]);
    assert.equal(analysis.verification.verdict, 'verified');
    assert.equal(analysis.verification.matchedSecret, 'new');
    assert.equal(analysis.recognition.event, 'endpoint.url_validation');
    assert.ok(analysis.answer);
    assert.equal(analysis.answer.handshake, true);
    assert.equal(analysis.answer.status, 200);
    assert.deepEqual(JSON.parse(analysis.answer.body), {
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: hex('sha256', ZOOM_SECRET, 'qgg8vlvZRS6UYooatFL8Aw'),
    });
  });

  it('Zoom endpoint.url_validation without a secret: an error answer saying why', () => {
    const analysis = analyse(zoomDelivery(ZOOM_VALIDATION));
    assert.equal(analysis.verification.verdict, 'no_secret');
    assert.ok(analysis.answer);
    assert.equal(analysis.answer.status, 500);
    assert.match(analysis.answer.body, /no Zoom Secret Token/);
  });

  it('Zoom: an ordinary event gets no special answer', () => {
    assert.equal(
      analyse(zoomDelivery(ZOOM_MEETING), [secret('zoom', ZOOM_SECRET)]).answer,
      undefined,
    );
  });

  it('Twitch webhook_callback_verification: the raw challenge as text/plain', () => {
    const analysis = analyse(twitchDelivery('webhook_callback_verification', TWITCH_CHALLENGE), [
      secret('twitch', TWITCH_SECRET),
    ]);
    assert.equal(analysis.verification.verdict, 'verified');
    assert.equal(analysis.recognition.event, 'webhook_callback_verification');
    assert.deepEqual(analysis.answer, {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'pogchamp-kappa-360noscope-vohiyo',
      handshake: true,
    });
  });

  it('Twitch revocation and notification: no special answer; revocation named', () => {
    const revocation = analyse(
      twitchDelivery(
        'revocation',
        '{"subscription":{"id":"f1c2","status":"authorization_revoked","type":"channel.follow"}}',
      ),
      [secret('twitch', TWITCH_SECRET)],
    );
    assert.equal(revocation.recognition.event, 'revocation');
    assert.equal(revocation.answer, undefined);
    assert.equal(
      analyse(twitchDelivery('notification', TWITCH_FOLLOW), [secret('twitch', TWITCH_SECRET)])
        .answer,
      undefined,
    );
  });
});

describe('timestamps and tolerances', () => {
  it('Twitch: RFC 3339 with nanoseconds, 10 minutes; a bad timestamp is malformed and says so', () => {
    const request = twitchDelivery('notification', TWITCH_FOLLOW);
    const secrets = [secret('twitch', TWITCH_SECRET)];
    assert.equal(
      analyse(request, secrets, { nowMs: NOW_MS + 590_000 }).verification.verdict,
      'verified',
    );
    assert.equal(
      analyse(request, secrets, { nowMs: NOW_MS + 610_000 }).verification.verdict,
      'expired',
    );
    const bad = analyse(
      twitchDelivery('notification', TWITCH_FOLLOW, '1764849600'),
      secrets,
    ).verification;
    assert.equal(bad.verdict, 'malformed_signature');
    assert.match(bad.reason, /Twitch-Eventsub-Message-Timestamp .* is not an RFC 3339 time/);
  });

  it('Linear: webhookTimestamp in ms, ±60 s; the Linear-Timestamp header when the body has none', () => {
    const secrets = [secret('linear', LINEAR_SECRET)];
    assert.equal(
      analyse(linearDelivery(), secrets, { nowMs: NOW_MS + 61_000 }).verification.verdict,
      'expired',
    );
    assert.equal(
      analyse(linearDelivery(), secrets, { nowMs: NOW_MS - 61_000 }).verification.verdict,
      'not_yet_valid',
    );
    const noBodyStamp = '{"action":"remove","type":"Comment","data":{"id":"c-1"}}';
    const withHeader = linearDelivery(noBodyStamp, [['Linear-Timestamp', String(NOW_MS)]]);
    const fresh = analyse(withHeader, secrets).verification;
    assert.equal(fresh.verdict, 'verified');
    assert.equal(
      analyse(withHeader, secrets, { nowMs: NOW_MS + 120_000 }).verification.verdict,
      'expired',
    );
    const malformed = analyse(
      linearDelivery(linearBody().replace(/"webhookTimestamp":\d+/, '"webhookTimestamp":"soon"')),
      secrets,
    ).verification;
    assert.equal(malformed.verdict, 'malformed_signature');
    assert.match(malformed.reason, /webhookTimestamp .* is not a Unix time in milliseconds/);
  });

  it('Zoom 300 s, Mux 300 s, Calendly 180 s: old signatures expire, with the age in the reason', () => {
    const zoomSecrets = [secret('zoom', ZOOM_SECRET)];
    assert.equal(
      analyse(zoomDelivery(ZOOM_MEETING), zoomSecrets, { nowMs: NOW_MS + 299_000 }).verification
        .verdict,
      'verified',
    );
    const zoomOld = analyse(zoomDelivery(ZOOM_MEETING), zoomSecrets, {
      nowMs: NOW_MS + 301_000,
    }).verification;
    assert.equal(zoomOld.verdict, 'expired');
    assert.match(
      zoomOld.reason,
      /x-zm-signature matches the Zoom secret, but its timestamp is 301 s old, tolerance 300 s/,
    );
    const calendly = tAndV1('Calendly-Webhook-Signature', CALENDLY_KEY, CALENDLY_BODY);
    const calendlySecrets = [secret('calendly', CALENDLY_KEY)];
    assert.equal(
      analyse(calendly, calendlySecrets, { nowMs: NOW_MS + 179_000 }).verification.verdict,
      'verified',
    );
    assert.equal(
      analyse(calendly, calendlySecrets, { nowMs: NOW_MS + 181_000 }).verification.verdict,
      'expired',
    );
    const mux = tAndV1('Mux-Signature', MUX_SECRET, MUX_BODY);
    assert.equal(
      analyse(mux, [secret('mux', MUX_SECRET)], { nowMs: NOW_MS + 301_000 }).verification.verdict,
      'expired',
    );
  });

  it('SendGrid: no tolerance (its library sets none); the age is shown', () => {
    const analysis = analyse(sendgridDelivery(), [secret('sendgrid', SENDGRID_KEY)], {
      nowMs: NOW_MS + 86_400_000,
    });
    assert.equal(analysis.verification.verdict, 'verified');
    const rows = analysis.verification.details?.flatMap((section) => section.rows) ?? [];
    assert.ok(
      rows.some(([label, value]) => label === 'Timestamp age' && value.includes('86400 s ago')),
    );
  });
});

describe('key rotation and URLs', () => {
  it('Paddle: every h1 is tried (the SDK keeps only the last)', () => {
    const body = PADDLE_BODY;
    const newer = hex('sha256', PADDLE_SECRET, `${NOW_S}:`, body);
    const older = hex('sha256', 'pdl_ntfset_old', `${NOW_S}:`, body);
    const secrets = [secret('paddle', PADDLE_SECRET)];
    assert.equal(
      analyse(paddleDelivery(body, NOW_S, [newer, older]), secrets).verification.verdict,
      'verified',
    );
    assert.equal(
      analyse(paddleDelivery(body, NOW_S, [older, newer]), secrets).verification.verdict,
      'verified',
    );
  });

  it('Square behind a tunnel: the public base URL is what Square signed', () => {
    const publicUrl = 'https://abc123.ngrok.app/hooks/square';
    const request = squareDelivery(publicUrl, '127.0.0.1:7878');
    const secrets = [secret('square', SQUARE_KEY)];
    const local = analyse(request, secrets).verification;
    assert.equal(local.verdict, 'invalid_signature');
    assert.match(local.reason, /for any URL tried \(.*https:\/\/127\.0\.0\.1:7878\/hooks\/square/);
    assert.match(local.reason, /set the public base URL/);
    const tunnelled = analyse(request, secrets, { publicBaseUrl: 'https://abc123.ngrok.app' });
    assert.equal(tunnelled.verification.verdict, 'verified');
    const rows = tunnelled.verification.details?.flatMap((section) => section.rows) ?? [];
    assert.ok(
      rows.some(([label, value]) => label === 'URLs tried' && value.includes('abc123.ngrok.app')),
    );
  });

  it('Square: the forwarded host (X-Forwarded-Host/-Proto) is tried too', () => {
    const request = post(
      '/hooks/square',
      [
        ['Host', '127.0.0.1:7878'],
        ['X-Forwarded-Host', 'hooks.example.org'],
        ['X-Forwarded-Proto', 'https'],
        [
          'x-square-hmacsha256-signature',
          base64('sha256', SQUARE_KEY, 'https://hooks.example.org/hooks/square', SQUARE_BODY),
        ],
      ],
      SQUARE_BODY,
    );
    assert.equal(analyse(request, [secret('square', SQUARE_KEY)]).verification.verdict, 'verified');
  });

  it('Square legacy x-square-signature (HMAC-SHA1) alone is checked as SHA-1', () => {
    const url = 'https://shop.example.com/hooks/square';
    const request = post(
      '/hooks/square',
      [
        ['Host', 'shop.example.com'],
        ['x-square-signature', base64('sha1', SQUARE_KEY, url, SQUARE_BODY)],
      ],
      SQUARE_BODY,
    );
    const analysis = analyse(request, [secret('square', SQUARE_KEY)]);
    assert.equal(analysis.provider.id, 'square');
    assert.equal(analysis.verification.verdict, 'verified');
    assert.match(analysis.verification.reason, /x-square-signature/);
  });
});

describe('reasons for wrong encodings and prefixes', () => {
  it('Typeform with a hex digest (GitHub style) is malformed: "It is hex; Typeform sends base64"', () => {
    const request = post(
      '/t',
      [['Typeform-Signature', `sha256=${hex('sha256', TYPEFORM_SECRET, TYPEFORM_BODY)}`]],
      TYPEFORM_BODY,
    );
    const result = analyse(request, [secret('typeform', TYPEFORM_SECRET)]).verification;
    assert.equal(result.verdict, 'malformed_signature');
    assert.match(
      result.reason,
      /Typeform-Signature is not sha256= followed by the base64 of a 32-byte HMAC-SHA256\. It is hex; Typeform sends base64\./,
    );
  });

  it('Vercel with a base64 digest is malformed and says Vercel sends hex', () => {
    const request = post(
      '/v',
      [
        [
          'x-vercel-signature',
          createHmac('sha1', VERCEL_SECRET).update(VERCEL_BODY).digest('base64'),
        ],
      ],
      VERCEL_BODY,
    );
    const result = analyse(request, [secret('vercel', VERCEL_SECRET)]).verification;
    assert.equal(result.verdict, 'malformed_signature');
    assert.match(
      result.reason,
      /x-vercel-signature is not 40 hex digits \(an HMAC-SHA1\)\. It is base64; Vercel sends hex\./,
    );
  });

  it('Paddle with Stripe-style t=,v1= is malformed and shows the expected form', () => {
    const request = post(
      '/p',
      [['Paddle-Signature', `t=${NOW_S},v1=${'ab'.repeat(32)}`]],
      PADDLE_BODY,
    );
    const result = analyse(request, [secret('paddle', PADDLE_SECRET)]).verification;
    assert.equal(result.verdict, 'malformed_signature');
    assert.equal(
      result.reason,
      'Paddle-Signature has no ts= timestamp (Paddle sends ts=<unix seconds>;h1=<hex>).',
    );
  });

  it('a SendGrid key that is not P-256 SPKI makes the check impossible, and says why', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const ed = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const result = analyse(sendgridDelivery(), [secret('sendgrid', ed)]).verification;
    assert.equal(result.verdict, 'invalid_signature');
    assert.match(
      result.reason,
      /could not be checked: the secret labelled "current" is not a P-256 verification key/,
    );
  });
});

describe('re-signing', () => {
  const resignable: Array<{
    provider: string;
    request: RequestInput;
    secret: string;
    timestamped: boolean;
  }> = [
    { provider: 'paddle', request: paddleDelivery(), secret: PADDLE_SECRET, timestamped: true },
    {
      provider: 'square',
      request: squareDelivery('https://shop.example.com/hooks/square', 'shop.example.com'),
      secret: SQUARE_KEY,
      timestamped: false,
    },
    {
      provider: 'zoom',
      request: zoomDelivery(ZOOM_MEETING),
      secret: ZOOM_SECRET,
      timestamped: true,
    },
    {
      provider: 'twitch',
      request: twitchDelivery('notification', TWITCH_FOLLOW),
      secret: TWITCH_SECRET,
      timestamped: true,
    },
    {
      provider: 'intercom',
      request: intercomDelivery(),
      secret: INTERCOM_SECRET,
      timestamped: false,
    },
    {
      provider: 'typeform',
      request: post('/t', [['Typeform-Signature', 'sha256=AAAA']], TYPEFORM_BODY),
      secret: TYPEFORM_SECRET,
      timestamped: false,
    },
    {
      provider: 'vercel',
      request: post('/v', [['x-vercel-signature', '00']], VERCEL_BODY),
      secret: VERCEL_SECRET,
      timestamped: false,
    },
    {
      provider: 'mux',
      request: tAndV1('Mux-Signature', MUX_SECRET, MUX_BODY),
      secret: MUX_SECRET,
      timestamped: true,
    },
    {
      provider: 'calendly',
      request: tAndV1('Calendly-Webhook-Signature', CALENDLY_KEY, CALENDLY_BODY),
      secret: CALENDLY_KEY,
      timestamped: true,
    },
    {
      provider: 'linear',
      request: linearDelivery('{"action":"update","type":"Issue","data":{"id":"i-1"}}', [
        ['Linear-Timestamp', String(NOW_MS)],
      ]),
      secret: LINEAR_SECRET,
      timestamped: true,
    },
  ];

  for (const testCase of resignable) {
    it(`${testCase.provider}: an edited body re-signed an hour later verifies then`, () => {
      const provider = providerById(testCase.provider);
      assert.ok(provider);
      const scheme = schemeById(provider.scheme);
      assert.ok(scheme?.sign);
      const later = NOW_MS + 3_600_000;
      const body = Buffer.from(
        testCase.request.body.toString('utf8').replace('}', ',"edited":true}'),
      );
      const context = { nowMs: later, providerLabel: provider.label };
      const { headers } = scheme.sign(
        { method: 'POST', url: testCase.request.url, headers: testCase.request.headers, body },
        { label: 'current', value: testCase.secret },
        context,
      );
      const resigned = { ...testCase.request, headers, body };
      const secrets = [secret(testCase.provider, testCase.secret)];
      const atThatTime = analyse(resigned, secrets, { nowMs: later });
      assert.equal(atThatTime.provider.id, testCase.provider);
      assert.equal(atThatTime.verification.verdict, 'verified', atThatTime.verification.reason);
      // The original request's signature headers were replaced, not duplicated.
      const names = headers.map(([name]) => name.toLowerCase());
      assert.equal(names.length, new Set(names).size, names.join(', '));
      if (testCase.timestamped) {
        assert.equal(
          analyse(resigned, secrets, { nowMs: later + 3_600_000 }).verification.verdict,
          'expired',
        );
      }
    });
  }

  it('Twitch re-signing keeps the message id (so the handler sees the same event)', () => {
    const scheme = schemeById('twitch');
    assert.ok(scheme?.sign);
    const request = twitchDelivery('notification', TWITCH_FOLLOW);
    const { headers } = scheme.sign(
      { method: 'POST', url: request.url, headers: request.headers, body: request.body },
      { label: 'current', value: TWITCH_SECRET },
      { nowMs: NOW_MS + 1000, providerLabel: 'Twitch' },
    );
    const id = headers.find(([name]) => name === 'Twitch-Eventsub-Message-Id')?.[1];
    assert.equal(id, 'e76c6bd4-55c9-4987-8304-da1588d8988b');
  });

  it('Intercom re-signing keeps to X-Hub-Signature (no X-Hub-Signature-256 it never sends)', () => {
    const scheme = schemeById('hub-signature');
    assert.ok(scheme?.sign);
    const request = intercomDelivery();
    const { headers } = scheme.sign(
      { method: 'POST', url: request.url, headers: request.headers, body: request.body },
      { label: 'current', value: INTERCOM_SECRET },
      { nowMs: NOW_MS, providerLabel: 'Intercom' },
    );
    assert.deepEqual(
      headers.map(([name]) => name),
      ['Content-Type', 'X-Hub-Signature'],
    );
  });

  it('SendGrid cannot be re-signed, and says why', () => {
    const scheme = schemeById('sendgrid');
    assert.ok(scheme);
    assert.equal(scheme.sign, undefined);
    assert.match(scheme.cannotSign ?? '', /SendGrid signs with its private key/);
  });

  it('Square re-signing needs a URL: a clear error without Host or public base URL', () => {
    const scheme = schemeById('square');
    assert.ok(scheme?.sign);
    assert.throws(
      () =>
        scheme.sign?.(
          { method: 'POST', url: '/hooks/square', headers: [], body: Buffer.from('{}') },
          { label: 'current', value: SQUARE_KEY },
          { nowMs: NOW_MS, providerLabel: 'Square' },
        ),
      /set the public base URL/,
    );
  });
});

describe('dedupe: a provider retry is the same delivery', () => {
  it('Twitch resend (same message id, new timestamp and signature) has the same dedupe key', () => {
    const first = analyse(twitchDelivery('notification', TWITCH_FOLLOW));
    const resend = analyse(
      twitchDelivery('notification', TWITCH_FOLLOW, new Date(NOW_MS + 60_000).toISOString()),
    );
    assert.equal(first.dedupeKey, resend.dedupeKey);
    assert.notEqual(
      first.dedupeKey,
      analyse(twitchDelivery('notification', TWITCH_FOLLOW, undefined, 'another-message-id'))
        .dedupeKey,
    );
  });

  it('Zoom retry (same body, new timestamp) has the same dedupe key', () => {
    assert.equal(
      analyse(zoomDelivery(ZOOM_MEETING)).dedupeKey,
      analyse(zoomDelivery(ZOOM_MEETING, NOW_S + 300)).dedupeKey,
    );
  });
});

describe('secret hints', () => {
  const validate = (provider: string, value: string): string | undefined =>
    providerById(provider)?.secret.validate?.(value);

  it('every new provider says where its secret is, and of what kind', () => {
    for (const id of [
      'paddle',
      'square',
      'linear',
      'zoom',
      'twitch',
      'intercom',
      'typeform',
      'vercel',
      'sendgrid',
      'mux',
      'calendly',
    ]) {
      const provider = providerById(id);
      assert.ok(provider, id);
      assert.ok(provider.secret.where.length > 20, id);
      assert.ok(provider.secret.noun.length > 0, id);
    }
    assert.equal(providerById('sendgrid')?.secret.kind, 'public-key');
    assert.equal(providerById('twitch')?.secret.kind, 'chosen');
  });

  it('API keys pasted by mistake are named as such', () => {
    assert.match(validate('paddle', 'pdl_live_apikey_01gtgztp8f_xyz') ?? '', /Paddle API key/);
    assert.equal(validate('paddle', PADDLE_SECRET), undefined);
    assert.match(validate('linear', 'lin_api_abc') ?? '', /Linear API key/);
    assert.equal(validate('linear', LINEAR_SECRET), undefined);
    assert.match(validate('square', 'EAAAEOuLQObrVwJvCvoio') ?? '', /access token/);
    assert.equal(validate('square', SQUARE_KEY), undefined);
  });

  it('Twitch: 10 to 100 printable characters', () => {
    assert.match(validate('twitch', 'short') ?? '', /10 to 100/);
    assert.match(validate('twitch', 'x'.repeat(101)) ?? '', /10 to 100/);
    assert.equal(validate('twitch', TWITCH_SECRET), undefined);
  });

  it('SendGrid: a P-256 SPKI key in base64, nothing else', () => {
    assert.equal(validate('sendgrid', SENDGRID_KEY), undefined);
    assert.match(validate('sendgrid', 'SG.apikey.value') ?? '', /not a P-256 verification key/);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    assert.match(
      validate('sendgrid', publicKey.export({ format: 'der', type: 'spki' }).toString('base64')) ??
        '',
      /not a P-256 verification key/,
    );
  });
});

describe('fixes in existing schemes', () => {
  it('Standard Webhooks: a v2 entry that is not base64 is skipped, not a malformed header', () => {
    const key = Buffer.from('a 24-byte key for tests!').toString('base64');
    const body = '{"type":"user.created"}';
    const content = `msg_1.${NOW_S}.${body}`;
    const v1 = createHmac('sha256', Buffer.from(key, 'base64')).update(content).digest('base64');
    const request = post(
      '/sw',
      [
        ['webhook-id', 'msg_1'],
        ['webhook-timestamp', String(NOW_S)],
        ['webhook-signature', `v2,not*base64 v1,${v1}`],
      ],
      body,
    );
    assert.equal(
      analyse(request, [secret('standard-webhooks', `whsec_${key}`)]).verification.verdict,
      'verified',
    );
  });

  it('Standard Webhooks: re-signing a webhook-id with edge whitespace still verifies', () => {
    const scheme = schemeById('standard-webhooks');
    assert.ok(scheme?.sign);
    const key = `whsec_${Buffer.from('a 24-byte key for tests!').toString('base64')}`;
    const body = Buffer.from('{"type":"user.created"}');
    const { headers } = scheme.sign(
      {
        method: 'POST',
        url: '/sw',
        headers: [
          ['webhook-id', ' msg_1 '],
          ['webhook-signature', 'v1,x'],
        ],
        body,
      },
      { label: 'current', value: key },
      { nowMs: NOW_MS, providerLabel: 'Standard Webhooks' },
    );
    const analysis = analyse({ method: 'POST', url: '/sw', headers, body }, [
      secret('standard-webhooks', key),
    ]);
    assert.equal(analysis.verification.verdict, 'verified', analysis.verification.reason);
  });

  it('Shopify: the events-style un-prefixed shopify-hmac-sha256 header is checked (and re-signed)', () => {
    const scheme = schemeById('shopify');
    assert.ok(scheme?.sign);
    const body = '{"id":1,"topic":"orders/create"}';
    const request = requestFacts(
      post(
        '/shopify',
        [
          ['shopify-topic', 'orders/create'],
          ['shopify-hmac-sha256', base64('sha256', 'shpss_events', body)],
        ],
        body,
      ),
    );
    const context = { nowMs: NOW_MS, providerLabel: 'Shopify' };
    const result = scheme.verify(request, [{ label: 'current', value: 'shpss_events' }], context);
    assert.equal(result.verdict, 'verified', result.reason);
    assert.match(result.reason, /^shopify-hmac-sha256 matches/);
    const { headers } = scheme.sign(
      { method: 'POST', url: '/shopify', headers: request.headers, body: request.body },
      { label: 'current', value: 'shpss_events' },
      context,
    );
    assert.deepEqual(
      headers.map(([name]) => name),
      ['shopify-topic', 'shopify-hmac-sha256'],
    );
  });
});
