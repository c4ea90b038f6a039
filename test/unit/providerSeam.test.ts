// The providers seam: records written by a newer HookLens survive; secrets never reach the store
// in any usual encoding; secrets are per provider (and per path); a provider without a secret is
// accepted and named; the verdict table covers everything this version writes.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { ConfiguredSecret } from '../../src/core/secrets/secretRing';
import { SecretRing } from '../../src/core/secrets/secretRing';
import { secretRedactor } from '../../src/core/secrets/redaction';
import { encodeLine } from '../../src/core/store/lineCodec';
import { isFailedVerdict, presentVerdict, VERDICTS } from '../../src/shared/verdicts';
import { aDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const { tempDir, open } = useStoreFixtures('hooklens-seam-');

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const STRIPE_SECRET = 'whsec_test_secret_for_hooklens';
const GITHUB_SECRET = "It's a Secret to Everybody";

function request(
  headers: Array<[string, string]>,
  body: string,
  url = '/webhook',
): { method: string; url: string; headers: Array<[string, string]>; body: Buffer } {
  return { method: 'POST', url, headers, body: Buffer.from(body) };
}

function githubDelivery(
  body = '{"zen":"Design for failure.","hook_id":1}',
  secret = GITHUB_SECRET,
) {
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return request(
    [
      ['Content-Type', 'application/json'],
      ['X-GitHub-Event', 'ping'],
      ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
      ['X-Hub-Signature-256', `sha256=${signature}`],
    ],
    body,
  );
}

function stripeDelivery(body: string, secret: string, timestamp = Math.floor(NOW / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return request(
    [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Stripe-Signature', `t=${timestamp},v1=${v1}`],
    ],
    body,
  );
}

const STRIPE_BODY = JSON.stringify(
  {
    id: 'evt_1',
    object: 'event',
    type: 'payment_intent.succeeded',
    data: { object: { id: 'pi_1' } },
  },
  null,
  2,
);

describe('store: provider, scheme and verdict are open strings', () => {
  it('a line from a "future" HookLens with an unknown provider, scheme and verdict is kept through reopen and compaction', async () => {
    const dir = await tempDir();
    const options = { segmentMaxBytes: 6_000 };
    const store = await open(dir, options);
    for (let i = 0; i < 5; i++) await store.put(aDelivery('known', { event: `early ${i}` }));
    await store.close();
    const future = aDelivery('future', {
      sender: 'acme-webhooks',
      event: 'widget.created',
      verification: {
        verdict: 'quantum_signature_ok',
        reason: 'Checked by a scheme this version does not have.',
        scheme: 'acme-pq-sig',
        details: [{ title: 'Signature', rows: [['X-Acme-Sig', 'pq1,abc']] }],
      },
    });
    const segments = (await readdir(join(dir, 'segments'))).filter((name) =>
      name.endsWith('.jsonl'),
    );
    const last = join(dir, 'segments', segments.sort().at(-1) ?? assert.fail('no segment'));
    await appendFile(last, encodeLine({ op: 'put', v: 1, record: { ...future, seq: 2 } }));

    const reopened = await open(dir, options);
    assert.equal(reopened.mode, 'owner');
    assert.equal(reopened.recoveryReport.clean, true, 'not quarantined as damaged');
    assert.equal(reopened.summary('future')?.verdict, 'quantum_signature_ok');
    assert.equal(reopened.summary('future')?.sender, 'acme-webhooks');
    // Churn until the segment holding it is compacted, then reopen again.
    const base = await reopened.get('known');
    assert.ok(base);
    const firstSegment = join(dir, 'segments', '00000001.jsonl');
    const before = (await readFile(firstSegment, 'utf8')).split('\n').length;
    for (let i = 0; i < 16; i++) await reopened.put({ ...base, event: `churn ${i}` });
    await reopened.whenIdle();
    await reopened.close();
    const after = (await readFile(firstSegment, 'utf8')).split('\n').length;
    assert.ok(after < before, `segment 1 was compacted (${before} → ${after} lines)`);
    assert.ok((await readFile(firstSegment, 'utf8')).includes('quantum_signature_ok'));
    const again = await open(dir, options);
    const kept = await again.get('future');
    assert.equal(kept?.verification.verdict, 'quantum_signature_ok');
    assert.equal(kept?.verification.scheme, 'acme-pq-sig');
    assert.deepEqual(kept?.verification.details, future.verification.details);
    assert.equal(again.recoveryReport.clean, true);
  });

  it('an unknown verdict is shown as it is and counts as failed', () => {
    const shown = presentVerdict('quantum_signature_ok');
    assert.equal(shown.label, 'quantum_signature_ok');
    assert.equal(shown.severity, 'error');
    assert.equal(isFailedVerdict('quantum_signature_ok'), true);
    for (const verdict of VERDICTS) {
      const known = presentVerdict(verdict);
      assert.ok(known.label.length > 0 && known.icon.length > 0, verdict);
    }
    assert.equal(isFailedVerdict('missing_signature'), true);
    assert.equal(isFailedVerdict('no_secret'), false);
  });
});

describe('analysis: per-provider secrets and the 401 policy', () => {
  it('a GitHub delivery with only a Stripe secret configured is no_secret (accepted), naming GitHub', () => {
    const analyser = analyserWithSecrets([
      { provider: 'stripe', label: 'current', value: STRIPE_SECRET },
    ]);
    const { provider, verification } = analyser.analyse(githubDelivery(), NOW, 'd1');
    assert.equal(provider.id, 'github');
    assert.equal(verification.verdict, 'no_secret');
    assert.match(
      verification.reason,
      /GitHub signature is present \(X-Hub-Signature-256\); set a GitHub secret/,
    );
    assert.equal(isFailedVerdict(verification.verdict), false);
  });

  it('the default JWT secret (HOOKLENS_SECRET) does not make a Stripe delivery fail', () => {
    const analyser = analyserWithSecrets([
      { provider: null, label: 'current', value: 'x'.repeat(40) },
    ]);
    const { provider, verification } = analyser.analyse(
      stripeDelivery(STRIPE_BODY, STRIPE_SECRET),
      NOW,
      'd1',
    );
    assert.equal(provider.id, 'stripe');
    assert.equal(verification.verdict, 'no_secret');
    assert.match(verification.reason, /Stripe/);
  });

  it('with the provider secret: verified, tampered → invalid_signature, stale → expired, each reason naming the header', () => {
    const analyser = analyserWithSecrets([
      { provider: 'stripe', label: 'current', value: STRIPE_SECRET },
    ]);
    const good = analyser.analyse(stripeDelivery(STRIPE_BODY, STRIPE_SECRET), NOW, 'a');
    assert.equal(good.verification.verdict, 'verified');
    assert.match(good.verification.reason, /Stripe-Signature matches the Stripe secret/);
    assert.equal(good.verification.scheme, 'stripe');
    assert.equal(good.recognition.event, 'payment_intent.succeeded');
    assert.equal(good.recognition.senderEventId, 'evt_1');

    const tampered = stripeDelivery(STRIPE_BODY, STRIPE_SECRET);
    tampered.body = Buffer.from(STRIPE_BODY.replace('pi_1', 'pi_2'));
    assert.equal(analyser.analyse(tampered, NOW, 'b').verification.verdict, 'invalid_signature');

    const stale = analyser.analyse(
      stripeDelivery(STRIPE_BODY, STRIPE_SECRET, Math.floor(NOW / 1000) - 612),
      NOW,
      'c',
    );
    assert.equal(stale.verification.verdict, 'expired');
    assert.match(stale.verification.reason, /612 s old, tolerance 300 s/);
  });

  it('secrets bound to a path prefix: /a verifies with A, /b refuses a delivery signed with A', () => {
    const secrets: ConfiguredSecret[] = [
      { provider: 'stripe', label: 'A', value: 'whsec_account_a_secret', pathPrefix: '/a' },
      { provider: 'stripe', label: 'B', value: 'whsec_account_b_secret', pathPrefix: '/b' },
    ];
    const analyser = analyserWithSecrets(secrets);
    const toA = stripeDelivery(STRIPE_BODY, 'whsec_account_a_secret');
    toA.url = '/a/webhook';
    const toB = stripeDelivery(STRIPE_BODY, 'whsec_account_a_secret');
    toB.url = '/b';
    const a = analyser.analyse(toA, NOW, 'a').verification;
    assert.equal(a.verdict, 'verified');
    assert.equal(a.matchedSecret, 'A');
    assert.equal(analyser.analyse(toB, NOW, 'b').verification.verdict, 'invalid_signature');
    const ring = new SecretRing(secrets);
    assert.deepEqual(
      ring.signingSecrets('stripe', '/ab', false).map((s) => s.label),
      [],
      '/ab is not under /a',
    );
  });

  it('Shopify orders/paid for the same order is its own delivery, not a retry of orders/create', () => {
    const analyser = analyserWithSecrets([]);
    const body = '{"id":820982911946154508,"name":"#9999"}';
    const headers = (topic: string, id: string): Array<[string, string]> => [
      ['Content-Type', 'application/json'],
      ['X-Shopify-Topic', topic],
      ['X-Shopify-Webhook-Id', id],
      ['X-Shopify-Hmac-Sha256', createHmac('sha256', 's').update(body).digest('base64')],
    ];
    const created = analyser.analyse(request(headers('orders/create', 'w-1'), body), NOW, 'a');
    const paid = analyser.analyse(request(headers('orders/paid', 'w-2'), body), NOW, 'b');
    assert.equal(created.recognition.event, 'orders/create');
    assert.equal(paid.recognition.event, 'orders/paid');
    assert.notEqual(created.dedupeKey, paid.dedupeKey);
    const retry = analyser.analyse(request(headers('orders/create', 'w-1'), body), NOW, 'c');
    assert.equal(retry.dedupeKey, created.dedupeKey);
  });

  it('a Slack url_verification is answered with its challenge; a Discord PING with {"type":1}', () => {
    const analyser = analyserWithSecrets([]);
    const slack = analyser.analyse(
      request(
        [['Content-Type', 'application/json']],
        '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}',
      ),
      NOW,
      'a',
    );
    assert.equal(slack.provider.id, 'slack');
    assert.deepEqual(JSON.parse(slack.answer?.body ?? ''), {
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
    const discord = analyser.analyse(
      request(
        [
          ['X-Signature-Ed25519', 'ab'.repeat(64)],
          ['X-Signature-Timestamp', '1700000000'],
        ],
        '{"type":1,"id":"1"}',
      ),
      NOW,
      'b',
    );
    assert.equal(discord.provider.id, 'discord');
    assert.equal(discord.answer?.body, '{"type":1}');
  });

  it('a Meta subscription GET is answered with the challenge only for the configured verify token', () => {
    const analyser = analyserWithSecrets([
      { provider: 'meta', label: 'verify', value: 'my-verify-token-123', role: 'verify-token' },
    ]);
    const get = (token: string) =>
      analyser.analyse(
        {
          method: 'GET',
          url: `/meta?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
          headers: [],
          body: Buffer.alloc(0),
        },
        NOW,
        'x',
      );
    const ok = get('my-verify-token-123');
    assert.equal(ok.provider.id, 'meta');
    assert.equal(ok.answer?.status, 200);
    assert.equal(ok.answer?.body, '1158201444');
    assert.ok(!ok.url.includes('my-verify-token-123'), 'the verify token is not stored in the URL');
    assert.equal(get('wrong').answer?.status, 403);
  });

  it('a GitLab token is compared and never stored, whether it matches or not', () => {
    const body = '{"object_kind":"push","project":{"path_with_namespace":"g/p"}}';
    const headers = (token: string): Array<[string, string]> => [
      ['X-Gitlab-Event', 'Push Hook'],
      ['X-Gitlab-Token', token],
    ];
    const configured = analyserWithSecrets([
      { provider: 'gitlab', label: 'current', value: 'gl-token-abc' },
    ]);
    const good = configured.analyse(request(headers('gl-token-abc'), body), NOW, 'a');
    assert.equal(good.verification.verdict, 'verified');
    assert.equal(good.recognition.event, 'push');
    const bad = configured.analyse(request(headers('some-other-token'), body), NOW, 'b');
    assert.equal(bad.verification.verdict, 'invalid_signature');
    const unconfigured = analyserWithSecrets([]).analyse(
      request(headers('any-token-xyz'), body),
      NOW,
      'c',
    );
    for (const analysis of [good, bad, unconfigured]) {
      const stored = JSON.stringify(analysis.headers);
      assert.ok(!/gl-token-abc|some-other-token|any-token-xyz/.test(stored), stored);
    }
  });
});

describe('no secret is ever stored (every form)', () => {
  const SECRET = 's3cr3t-Value-for-redaction-0123';
  const redactor = secretRedactor([SECRET]);
  const forms: Array<[string, string]> = [
    ['bare', SECRET],
    ['after a scheme word', `Bearer ${SECRET}`],
    ['token=secret', `token=${SECRET}`],
    ['inside Basic user:secret', `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`],
    ['Basic with only the secret', `Basic ${Buffer.from(SECRET).toString('base64')}`],
    ['URL-encoded', encodeURIComponent(`${SECRET}/+=`)],
    ['padded with whitespace', `  ${SECRET}\t`],
  ];
  for (const [form, value] of forms) {
    it(`a header carrying the secret ${form} is redacted`, () => {
      const [[, stored] = ['', '']] = redactor.headers([['X-Webhook-Secret', value]]);
      assert.ok(!stored.includes(SECRET), stored);
      assert.match(stored, /redacted by HookLens/);
    });
  }

  it('a query parameter carrying the secret is redacted, the rest of the URL kept', () => {
    const url = redactor.url(`/hook?a=1&api_key=${encodeURIComponent(SECRET)}&b=2`);
    assert.ok(!url.includes(SECRET) && !url.includes(encodeURIComponent(SECRET)), url);
    assert.match(url, /^\/hook\?a=1&api_key=.*redacted.*&b=2$/);
  });

  it('ordinary values and signatures are left alone; a short secret is matched whole only', () => {
    const short = secretRedactor(['abc']);
    assert.deepEqual(short.headers([['X-Note', 'abcdef']]), [['X-Note', 'abcdef']]);
    assert.match(short.headers([['X-Api-Key', 'abc']])[0]?.[1] ?? '', /redacted/);
    assert.deepEqual(redactor.headers([['X-Hub-Signature-256', 'sha256=00ff']]), [
      ['X-Hub-Signature-256', 'sha256=00ff'],
    ]);
  });

  it('through the analysis: a provider secret in the URL or any header never reaches the stored headers or URL', async () => {
    const analyser = analyserWithSecrets([
      { provider: 'stripe', label: 'current', value: STRIPE_SECRET },
      { provider: 'github', label: 'current', value: GITHUB_SECRET },
    ]);
    const delivery = githubDelivery();
    delivery.url = `/hook?api_key=${encodeURIComponent(STRIPE_SECRET)}`;
    delivery.headers.push(['X-API-Key', STRIPE_SECRET]);
    delivery.headers.push([
      'Authorization',
      `Basic ${Buffer.from(`u:${GITHUB_SECRET}`).toString('base64')}`,
    ]);
    const analysis = analyser.analyse(delivery, NOW, 'x');
    const stored = JSON.stringify([analysis.url, analysis.headers, analysis.verification]);
    for (const secret of [STRIPE_SECRET, GITHUB_SECRET, encodeURIComponent(STRIPE_SECRET)]) {
      assert.ok(!stored.includes(secret), `${secret} leaked: ${stored}`);
    }
    // And end to end through a store file.
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(
      aDelivery('x', {
        url: analysis.url,
        headers: analysis.headers,
        verification: analysis.verification,
      }),
    );
    await store.close();
    const segments = await readdir(join(dir, 'segments'));
    for (const name of segments) {
      const text = await readFile(join(dir, 'segments', name), 'utf8');
      assert.ok(!text.includes(STRIPE_SECRET) && !text.includes(GITHUB_SECRET));
    }
  });
});
