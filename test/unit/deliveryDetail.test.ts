import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDeliveryDetail, displayedBody } from '../../src/core/detail/deliveryDetail';
import { DEFAULT_MAX_INLINE_BODY_BYTES } from '../../src/shared/detail';
import { anAttempt } from './builders';
import { aRecordWithBody, aSenderRecord, watsonMessageLogged } from './detailBuilders';
import {
  aProviderRecord,
  GITHUB_SECRET,
  githubPullRequest,
  githubPush,
  PROVIDER_NOW,
  SHOPIFY_SECRET,
  shopifyOrder,
  STRIPE_SECRET,
  stripePaymentIntent,
} from './providerRecords';

const options = { duplicateCount: 0, pinned: false };

describe('buildDeliveryDetail: overview', () => {
  it("has the seed columns: the sender's status and time, its retries apart from the replays", () => {
    const record = aRecordWithBody('{"a":1}', {
      response: { status: 502, headers: [], body: '', timeMs: 41 },
      attempts: [
        anAttempt(502, 40, { id: 'f1', kind: 'forward' }),
        anAttempt(201, 12, { id: 'r1', kind: 'replay' }),
      ],
    });
    const { overview } = buildDeliveryDetail(record, { duplicateCount: 2, pinned: true });
    assert.deepEqual(overview, {
      id: 'd_01',
      sessionId: 'session-1',
      event: 'message_logged',
      headline: null,
      endpoint: 'POST /webhook?x=1',
      // What the sender was answered: the replay's 201 never replaces it.
      httpStatus: 502,
      timeTakenMs: 41,
      // Two sender retries (duplicates); the replay is counted apart.
      retryCount: 2,
      replayCount: 1,
      outcome: {
        kind: 'recovered',
        failed: false,
        words: 'replayed 201',
        sentence: 'Your handler answered 502. A later replay reached it (201).',
      },
      createdAt: '2025-06-01T10:00:00.000Z',
      verdict: 'verified',
      verdictReason: 'Signature and time claims are valid.',
      sender: 'Watson Assistant (watson)',
    });
  });

  it("uses the response's status and time when there are no attempts", () => {
    const detail = buildDeliveryDetail(aRecordWithBody('{}'), options);
    assert.equal(detail.overview.httpStatus, 200);
    assert.equal(detail.overview.timeTakenMs, 3);
    assert.equal(detail.overview.retryCount, 0);
    assert.equal(detail.overview.outcome.kind, 'delivered');
  });

  it('a handler that is down: the sender got 502, and the outcome says so', () => {
    const record = aRecordWithBody('{}', {
      response: { status: 502, headers: [], body: '{"error":"…"}', timeMs: 9 },
      attempts: [anAttempt(null, null, { kind: 'forward' })],
    });
    const { overview } = buildDeliveryDetail(record, options);
    assert.equal(overview.httpStatus, 502);
    assert.deepEqual(overview.outcome, {
      kind: 'handler-down',
      failed: true,
      words: 'handler down',
      sentence: 'Your handler could not be reached; the sender was answered 502.',
    });
  });

  it('a failed replay of a delivery that was fine keeps its status and says the replay failed', () => {
    const record = aRecordWithBody('{}', { attempts: [anAttempt(null, null)] });
    const { overview } = buildDeliveryDetail(record, options);
    assert.equal(overview.httpStatus, 200);
    assert.equal(overview.outcome.kind, 'replay-failed');
    assert.equal(overview.outcome.failed, true);
  });

  it('has a headline from the stored record, else from the sender view', () => {
    const stored = aRecordWithBody('{}', { headline: 'stored line' });
    assert.equal(buildDeliveryDetail(stored, options).overview.headline, 'stored line');
    const old = aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged');
    assert.equal(
      buildDeliveryDetail(old, options).overview.headline,
      '“What is my checking balance?” → #check_balance',
    );
  });

  it('passes pinned, duplicateOf and the duplicate count through', () => {
    const record = aRecordWithBody('{}', { duplicateOf: 'd_00' });
    const detail = buildDeliveryDetail(record, { duplicateCount: 4, pinned: true });
    assert.equal(detail.pinned, true);
    assert.equal(detail.duplicateOf, 'd_00');
    assert.equal(detail.duplicateCount, 4);
  });
});

describe('buildDeliveryDetail: request', () => {
  it('redacts Authorization, Proxy-Authorization and Cookie, and says a token was sent', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YXRzb24ifQ.c2lnbmF0dXJl';
    const record = aRecordWithBody('{}', {
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['authorization', `Bearer ${token}`],
        ['Proxy-Authorization', 'Basic dXNlcjpwYXNz'],
        ['Cookie', 'session=secret-cookie'],
        ['X-Custom', 'kept'],
      ],
    });
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(detail.request.headers, [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['authorization', 'Bearer [redacted]'],
      ['Proxy-Authorization', 'Basic [redacted]'],
      ['Cookie', '[redacted]'],
      ['X-Custom', 'kept'],
    ]);
    assert.equal(detail.request.contentType, 'application/json; charset=utf-8');
    assert.equal(detail.auth.tokenPresent, true);
    const posted = JSON.stringify(detail);
    for (const secret of [token, 'dXNlcjpwYXNz', 'secret-cookie']) {
      assert.ok(!posted.includes(secret), `${secret} must not reach the webview`);
    }
  });

  it('says when no token was sent', () => {
    const record = aRecordWithBody('{}', { headers: [['Content-Type', 'application/json']] });
    assert.equal(buildDeliveryDetail(record, options).auth.tokenPresent, false);
  });

  it('keeps big numbers exactly as received in the body text', () => {
    const body = '{"id":12345678901234567890123,"amount":0.10000000000000000555}';
    const detail = buildDeliveryDetail(aRecordWithBody(body), options);
    assert.equal(detail.request.bodyText, body);
    assert.equal(detail.request.bodyEncoding, 'utf8');
    assert.equal(detail.request.truncated, false);
  });

  it('truncates a 10 MB body to a bounded raw preview, with no sender view', () => {
    const filler = 'x'.repeat(10 * 1024 * 1024);
    const body = JSON.stringify({ ...watsonMessageLogged(), filler });
    const record = aRecordWithBody(body);
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.request.truncated, true);
    assert.equal(detail.request.bodySize, Buffer.byteLength(body));
    assert.ok(detail.request.bodyText.length <= DEFAULT_MAX_INLINE_BODY_BYTES);
    assert.ok(body.startsWith(detail.request.bodyText));
    assert.equal(detail.request.bodyEncoding, 'utf8');
    assert.equal(detail.senderView, null);
    // The whole message the host posts stays small.
    assert.ok(JSON.stringify(detail).length < DEFAULT_MAX_INLINE_BODY_BYTES + 16 * 1024);
  });

  it('honours a smaller inline limit and never splits a multi-byte character', () => {
    const detail = buildDeliveryDetail(aRecordWithBody('"ééé"'), {
      ...options,
      maxInlineBodyBytes: 4,
    });
    // '"' + 'é' is 3 bytes; the next 'é' would need bytes 4 and 5.
    assert.equal(detail.request.bodyText, '"é');
    assert.equal(detail.request.truncated, true);
    assert.equal(detail.request.bodySize, 8);
  });

  it('sends a non-UTF-8 body as base64', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x41]);
    const record = aRecordWithBody(bytes, { parseError: 'The body is not valid UTF-8 text.' });
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.request.bodyEncoding, 'base64');
    assert.equal(detail.request.bodyText, Buffer.from(bytes).toString('base64'));
    assert.equal(detail.request.bodySize, 4);
    assert.equal(detail.request.parseError, 'The body is not valid UTF-8 text.');
  });

  it('cuts a large non-UTF-8 body to a bounded base64 preview', () => {
    const bytes = Buffer.alloc(100_000, 0xff);
    const shown = displayedBody(bytes.toString('base64'), 1000);
    assert.equal(shown.bodyEncoding, 'base64');
    assert.equal(shown.truncated, true);
    assert.equal(shown.bodySize, 100_000);
    assert.equal(Buffer.from(shown.bodyText, 'base64').length, 1000);
  });

  it('keeps a byte-order mark visible instead of dropping it', () => {
    const shown = displayedBody(Buffer.from('\uFEFF{}').toString('base64'), 1000);
    assert.equal(shown.bodyText, '\uFEFF{}');
  });

  it('handles an empty body', () => {
    const detail = buildDeliveryDetail(aRecordWithBody(''), options);
    assert.equal(detail.request.bodyText, '');
    assert.equal(detail.request.bodySize, 0);
    assert.equal(detail.request.truncated, false);
  });
});

describe('buildDeliveryDetail: response, auth and attempts', () => {
  it('maps every attempt, and the latest forward is the handler response', () => {
    const response = {
      status: 200,
      headers: [['X-Handler', 'yes']] as const,
      body: 'ok',
      timeMs: 7,
    };
    const captured = aRecordWithBody('{}').bodySha256;
    const record = aRecordWithBody('{}', {
      attempts: [
        anAttempt(500, 30, { id: 'f1', kind: 'forward', sentBodySha256: 'other' }),
        anAttempt(200, 7, { id: 'f2', kind: 'forward', sentBodySha256: captured, response }),
        anAttempt(200, 9, { id: 'r1', kind: 'replay', tokenMode: 'fresh', bodyEdited: true }),
        anAttempt(null, null, { id: 'r2', kind: 'replay', tokenMode: 'none' }),
      ],
    });
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(
      detail.attempts.map((attempt) => [
        attempt.id,
        attempt.kind,
        attempt.status,
        attempt.tokenMode,
        attempt.bodyEdited,
        attempt.sentBodyIdentical,
        attempt.error,
      ]),
      [
        ['f1', 'forward', 500, 'original', false, false, null],
        ['f2', 'forward', 200, 'original', false, true, null],
        ['r1', 'replay', 200, 'fresh', true, null, null],
        ['r2', 'replay', null, 'none', false, null, 'connect ECONNREFUSED 127.0.0.1:3000'],
      ],
    );
    assert.equal(detail.forward?.id, 'f2');
    assert.deepEqual(detail.forward?.response, {
      status: 200,
      headers: [['X-Handler', 'yes']],
      body: 'ok',
      timeMs: 7,
    });
    assert.deepEqual(detail.response, { status: 200, headers: [], body: '', timeMs: 3 });
  });

  it('has no forward without forward attempts, and no response before one was sent', () => {
    const record = aRecordWithBody('{}', { response: null, attempts: [anAttempt(200, 1)] });
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.forward, null);
    assert.equal(detail.response, null);
  });

  it("passes the verification's decoded header and claims, and omits them when absent", () => {
    const verified = aRecordWithBody('{}', {
      verification: {
        verdict: 'expired',
        reason: 'The token expired 5 minutes ago.',
        header: { alg: 'HS256', typ: 'JWT' },
        claims: { sub: 'watson', exp: 1_700_000_000 },
      },
    });
    assert.deepEqual(buildDeliveryDetail(verified, options).auth, {
      verdict: 'expired',
      reason: 'The token expired 5 minutes ago.',
      tokenPresent: true,
      header: { alg: 'HS256', typ: 'JWT' },
      claims: { sub: 'watson', exp: 1_700_000_000 },
      // A record from before schemes were stored: checked as a JWT.
      scheme: null,
      isJwt: true,
      provider: 'watson',
      providerLabel: 'Watson Assistant',
      matchedSecret: null,
      sections: [],
      missingSecret: null,
      checkedAt: '2025-06-01T10:00:00.000Z',
    });
    const bare = buildDeliveryDetail(aRecordWithBody('{}'), options).auth;
    assert.ok(!('header' in bare) && !('claims' in bare));
  });
});

describe('buildDeliveryDetail: sender view', () => {
  it('is built for a recognised sender whose body parsed', () => {
    const detail = buildDeliveryDetail(
      aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged'),
      options,
    );
    assert.equal(detail.senderView?.kind, 'watson-message');
  });

  it('is null when the body did not parse at capture, or the sender has no view', () => {
    const broken = aRecordWithBody('{"event":{"name":"message_logged"},', {
      parseError: 'The body is not JSON',
    });
    assert.equal(buildDeliveryDetail(broken, options).senderView, null);
    const generic = aSenderRecord(watsonMessageLogged(), 'generic', 'message_logged');
    assert.equal(buildDeliveryDetail(generic, options).senderView, null);
  });
});

describe('buildDeliveryDetail: the Auth tab for every scheme', () => {
  const githubHeaders = [
    ['Content-Type', 'application/json'],
    ['X-GitHub-Event', 'push'],
    ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
  ] as const;

  it('an HMAC scheme: scheme id, provider label, its sections and the matched secret', () => {
    const record = aProviderRecord({
      provider: 'github',
      headers: githubHeaders,
      body: JSON.stringify(githubPush()),
      signWith: GITHUB_SECRET,
      secrets: [{ provider: 'github', label: 'current', value: GITHUB_SECRET }],
    });
    const auth = buildDeliveryDetail(record, options).auth;
    assert.equal(auth.verdict, 'verified');
    assert.equal(auth.scheme, 'hub-signature');
    assert.equal(auth.isJwt, false);
    assert.equal(auth.provider, 'github');
    assert.equal(auth.providerLabel, 'GitHub');
    assert.equal(auth.matchedSecret, 'current');
    assert.equal(auth.missingSecret, null);
    assert.deepEqual(
      auth.sections.map((section) => [section.title, section.rows.map(([label]) => label)]),
      [['Signature', ['X-Hub-Signature-256', 'Signed content', 'Matched secret']]],
    );
    assert.match(auth.sections[0]?.rows[0]?.[1] ?? '', /^sha256=[0-9a-f]{64}$/);
  });

  it('a timestamped scheme records the timestamp, its age at receipt and the tolerance', () => {
    const record = aProviderRecord({
      provider: 'stripe',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify(stripePaymentIntent()),
      signWith: STRIPE_SECRET,
      signedAtMs: PROVIDER_NOW - 30_000,
      secrets: [{ provider: 'stripe', label: 'account A', value: STRIPE_SECRET }],
    });
    const auth = buildDeliveryDetail(record, options).auth;
    assert.equal(auth.verdict, 'verified');
    assert.equal(auth.scheme, 'stripe');
    const rows = new Map(auth.sections[0]?.rows);
    assert.match(rows.get('Stripe-Signature') ?? '', /^t=\d+,v1=/);
    assert.equal(rows.get('Timestamp age'), '2025-06-01T11:59:30.000Z (30 s ago)');
    assert.equal(rows.get('Tolerance'), '300 s');
    assert.equal(rows.get('Matched secret'), 'account A');
    assert.equal(auth.checkedAt, '2025-06-01T12:00:00.000Z');
  });

  it('no secret set: says which secret to set and where the provider keeps it', () => {
    const record = aProviderRecord({
      provider: 'github',
      headers: githubHeaders,
      body: JSON.stringify(githubPush()),
      signWith: GITHUB_SECRET,
    });
    const auth = buildDeliveryDetail(record, options).auth;
    assert.equal(auth.verdict, 'no_secret');
    assert.deepEqual(auth.missingSecret, {
      message: 'Set a GitHub webhook secret to check it.',
      where: "The Secret field of the repository's, organization's or app's webhook settings.",
    });
    // What the scheme saw is still shown.
    assert.equal(auth.sections[0]?.rows[0]?.[0], 'X-Hub-Signature-256');
    const watson = buildDeliveryDetail(
      aRecordWithBody('{}', { verification: { verdict: 'no_secret', reason: 'No secret.' } }),
      options,
    ).auth;
    assert.equal(
      watson.missingSecret?.message,
      'Set a Watson Assistant webhook secret to check it.',
    );
    const unknown = buildDeliveryDetail(
      aRecordWithBody('x', {
        sender: 'unknown',
        verification: { verdict: 'no_secret', reason: 'No secret.' },
      }),
      options,
    ).auth;
    assert.equal(unknown.missingSecret?.message, 'Set a Generic webhook JWT secret to check it.');
  });

  it('a record from a newer HookLens: unknown verdict, provider, scheme and odd details', () => {
    const record = aRecordWithBody('{}', {
      sender: 'acme-cloud',
      verification: {
        verdict: 'quantum_signature',
        reason: 'Checked with a scheme this version does not know.',
        scheme: 'acme-v9',
        details: [
          { title: 'Signature', rows: [['X-Acme', 'v9=abc'], ['Age', 12], ['Bad'], 'row'] },
          { title: 7, rows: 'none' },
          'not a section',
          { rows: [[{ nested: true }, null]] },
        ] as never,
      },
    });
    const auth = buildDeliveryDetail(record, options).auth;
    assert.equal(auth.verdict, 'quantum_signature');
    assert.equal(auth.scheme, 'acme-v9');
    assert.equal(auth.isJwt, false);
    assert.equal(auth.providerLabel, 'acme-cloud');
    assert.equal(auth.missingSecret, null);
    assert.deepEqual(auth.sections, [
      {
        title: 'Signature',
        rows: [
          ['X-Acme', 'v9=abc'],
          ['Age', '12'],
        ],
      },
      { title: '7', rows: [] },
      { title: 'Details', rows: [['{"nested":true}', '']] },
    ]);
    const noSecret = buildDeliveryDetail(
      aRecordWithBody('{}', {
        sender: 'acme-cloud',
        verification: { verdict: 'no_secret', reason: 'x', scheme: 'acme-v9' },
      }),
      options,
    ).auth;
    assert.deepEqual(noSecret.missingSecret, {
      message: 'Set a secret for acme-cloud to check it.',
      where: null,
    });
  });
});

describe('buildDeliveryDetail: form bodies and provider summaries', () => {
  const twilioBody =
    'From=%2B15551234567&To=%2B15557654321&Body=Hi&Body=again&MessageSid=SM1&SmsStatus=received&AccountSid=AC0123456789abcdef0123456789abcdef&empty=';

  it('parses a form into fields, in order with duplicates, and summarises it', () => {
    const record = aProviderRecord({
      provider: 'twilio',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Host', 'hooks.example.test'],
      ],
      body: twilioBody,
      url: '/sms',
    });
    assert.equal(record.sender, 'twilio');
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(detail.request.form, [
      ['From', '+15551234567'],
      ['To', '+15557654321'],
      ['Body', 'Hi'],
      ['Body', 'again'],
      ['MessageSid', 'SM1'],
      ['SmsStatus', 'received'],
      ['AccountSid', 'AC0123456789abcdef0123456789abcdef'],
      ['empty', ''],
    ]);
    assert.equal(detail.senderView?.kind, 'summary');
    assert.equal(
      detail.senderView?.kind === 'summary' ? detail.senderView.headline : null,
      'Message +15551234567 → +15557654321: received',
    );
  });

  it('reads a declared charset, and a JSON payload field for the summary', () => {
    const latin1 = Buffer.from('text=caf\xe9&command=%2Fmenu', 'latin1');
    const record = aRecordWithBody(latin1, {
      sender: 'slack',
      event: '/menu',
      headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1']],
    });
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(detail.request.form, [
      ['text', 'café'],
      ['command', '/menu'],
    ]);
    assert.equal(detail.senderView?.kind, 'summary');
    const payload = encodeURIComponent(JSON.stringify(githubPullRequest()));
    const github = buildDeliveryDetail(
      aRecordWithBody(`payload=${payload}`, {
        sender: 'github',
        event: 'pull_request.opened',
        headers: [
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['X-GitHub-Event', 'pull_request'],
        ],
      }),
      options,
    );
    assert.equal(github.request.form?.[0]?.[0], 'payload');
    assert.equal(
      github.senderView?.kind === 'summary' ? github.senderView.headline : null,
      'PR #42 opened: Parse forms',
    );
  });

  it('has no form for other content types or a truncated body', () => {
    assert.equal(buildDeliveryDetail(aRecordWithBody('{"a":1}'), options).request.form, null);
    const big = aRecordWithBody(`a=${'x'.repeat(300_000)}`, {
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    });
    const detail = buildDeliveryDetail(big, options);
    assert.equal(detail.request.truncated, true);
    assert.equal(detail.request.form, null);
    assert.equal(detail.senderView, null);
  });

  it('summarises a signed JSON delivery from the providers that have a summary', () => {
    const record = aProviderRecord({
      provider: 'shopify',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Shopify-Topic', 'orders/create'],
        ['X-Shopify-Shop-Domain', 'example.myshopify.com'],
      ],
      body: JSON.stringify(shopifyOrder()),
      signWith: SHOPIFY_SECRET,
    });
    const view = buildDeliveryDetail(record, options).senderView;
    assert.equal(
      view?.kind === 'summary' ? view.headline : null,
      'Order #9999 · 403.00 USD · voided',
    );
  });
});
