// The capture pipeline with a real DeliveryStore in a temp folder: verify, flag, dedupe, persist,
// and answer only after the delivery is on disk (catalogue 7A, 7B, 7G).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DeliveryRecord } from '../../src/core/delivery';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor, type IngestOptions } from '../../src/core/receiver/ingest';
import { DeliveryStore, type StoreOptions } from '../../src/core/store/deliveryStore';
import { FaultInjectingFileSystem } from '../../src/core/store/faultInjection';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { signToken } from '../../src/core/verify/sign';

const SECRET = 'hooklens-ingest-test-secret-7f3a9c1e5b';
const verifier = analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]);
const NO_SECRETS = analyserWithSecrets([]);
const SESSION = 'b263cb6f-0d62-4b01-a28e-1743ff54d28d';

const tempDirs: string[] = [];
const openStores: DeliveryStore[] = [];

after(async () => {
  for (const store of openStores) await store.close();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function openStore(dir?: string, options?: StoreOptions) {
  const storeDir = dir ?? (await mkdtemp(join(tmpdir(), 'hooklens-ingest-')));
  if (dir === undefined) tempDirs.push(storeDir);
  const store = await DeliveryStore.open(storeDir, options);
  openStores.push(store);
  return { store, dir: storeDir };
}

async function setup(options: Partial<IngestOptions> = {}, storeOptions?: StoreOptions) {
  const { store, dir } = await openStore(undefined, storeOptions);
  const ingestor = new Ingestor(store, { policy: 'reject', analyser: () => verifier, ...options });
  const ingested: DeliveryRecord[] = [];
  ingestor.onDidIngest((record) => ingested.push(record));
  return { store, dir, ingestor, ingested };
}

function messageLogged(logId: string | null, text = 'What is my checking balance?'): string {
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: {
      ...(logId === null ? {} : { log_id: logId }),
      request: { input: { message_type: 'text', text } },
      response: { output: { generic: [{ response_type: 'text', text: 'Your balance is $1.' }] } },
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
      session_id: SESSION,
      request_timestamp: '2025-05-14T15:03:02.511Z',
    },
  });
}

let clock = Date.parse('2025-05-14T15:03:03.000Z');

function captured(
  body: string | Buffer,
  headers: ReadonlyArray<readonly [string, string]> = [],
): CapturedRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    receivedAtMs: (clock += 1),
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url: '/webhook',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(bytes.length)],
      ...headers,
    ],
    remoteAddress: '127.0.0.1',
    body: bytes,
  };
}

/** A token signed now-ish, like Watson's (HS256, iat, exp). */
function watsonToken(claims: Record<string, unknown> = {}): string {
  return signToken(SECRET, claims, { nowMs: Date.now() });
}

function parsedBody(answer: { body: string | Buffer }): Record<string, unknown> {
  return JSON.parse(answer.body.toString()) as Record<string, unknown>;
}

/** Every byte of every file under `dir`, for "the secret appears nowhere" checks. */
async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

function assertSecretAbsent(bytes: Buffer): void {
  for (const form of [
    SECRET,
    Buffer.from(SECRET).toString('base64'),
    Buffer.from(SECRET).toString('base64url'),
    Buffer.from(SECRET).toString('hex'),
  ]) {
    assert.equal(
      bytes.indexOf(form),
      -1,
      `found the secret (as ${form.slice(0, 8)}…) in the store`,
    );
  }
}

describe('Ingestor: verification and policy', () => {
  it('J-01: a valid Watson token → 200 {received, id}, stored as verified before the answer', async () => {
    const { store, ingestor, ingested } = await setup();
    const body = messageLogged('log-j01');
    const { answer, record } = await ingestor.ingest(
      captured(body, [['Authorization', watsonToken()]]),
    );
    assert.equal(answer.status, 200);
    assert.ok(record);
    assert.deepEqual(parsedBody(answer), { received: true, id: record.id });
    assert.equal(record.verification.verdict, 'verified');
    assert.equal(record.sender, 'watson');
    assert.equal(record.event, 'message_logged');
    assert.equal(record.sessionId, SESSION);
    assert.equal(record.senderEventId, 'log-j01');
    assert.equal(record.response?.status, 200);
    assert.equal(record.parseError, null);
    assert.equal(record.duplicateOf, null);
    assert.deepEqual(
      ingested.map((r) => r.id),
      [record.id],
    );
    const stored = await store.get(record.id);
    assert.equal(stored?.verification.verdict, 'verified');
    assert.equal(Buffer.from(stored?.bodyBase64 ?? '', 'base64').toString('utf8'), body);
    assert.equal(stored?.bodySha256, createHash('sha256').update(body).digest('hex'));
  });

  it('the body keeps its place in the line before the claims a sender chose, small or large', async () => {
    // Opening a store skips the first body key of each line: a claim named bodyBase64 must not
    // come first (it would be blanked, and the real body parsed in full on every open).
    for (const text of ['What is my balance?', 'x'.repeat(70_000)]) {
      const { dir, ingestor } = await setup();
      const { record } = await ingestor.ingest(
        captured(messageLogged(`log-order-${text.length}`, text), [
          ['Authorization', watsonToken({ bodyBase64: 'claimed-by-the-sender' })],
        ]),
      );
      assert.ok(record);
      const keys = Object.keys(record);
      assert.ok(keys.indexOf('bodyBase64') < keys.indexOf('verification'), keys.join(','));
      const bytes = (await allBytes(dir)).toString('latin1');
      const body = bytes.indexOf('"bodyBase64":"');
      const claim = bytes.indexOf('claimed-by-the-sender');
      assert.ok(body >= 0 && claim > body, `body key at ${body}, the claim at ${claim}`);
    }
  });

  it('J-02: "Bearer <jwt>" is verified too', async () => {
    const { ingestor } = await setup();
    const { answer, record } = await ingestor.ingest(
      captured(messageLogged('log-j02'), [['Authorization', `Bearer ${watsonToken()}`]]),
    );
    assert.equal(answer.status, 200);
    assert.equal(record?.verification.verdict, 'verified');
  });

  it('J-03: no Authorization → 401, and the delivery is STILL stored, flagged missing_token', async () => {
    const { store, ingestor, ingested } = await setup();
    const { answer, record } = await ingestor.ingest(captured(messageLogged('log-j03')));
    assert.equal(answer.status, 401);
    assert.deepEqual(parsedBody(answer), { error: 'unauthorized' });
    assert.ok(record);
    assert.equal(record.verification.verdict, 'missing_token');
    assert.equal(record.response?.status, 401);
    assert.equal(store.size, 1);
    assert.equal((await store.get(record.id))?.verification.verdict, 'missing_token');
    assert.equal(ingested.length, 1);
  });

  it('J-03: empty value, Basic, and the docs-sample header name "Authentication" → 401, stored flagged', async () => {
    const { store, ingestor } = await setup();
    const variants: Array<Array<[string, string]>> = [
      [['Authorization', '']],
      [['Authorization', 'Basic dXNlcjpwYXNz']],
      [['Authentication', watsonToken()]],
    ];
    for (const [index, headers] of variants.entries()) {
      const { answer, record } = await ingestor.ingest(
        captured(messageLogged(`log-j03-${index}`), headers),
      );
      assert.equal(answer.status, 401, JSON.stringify(headers[0]?.[0]));
      assert.equal(record?.verification.verdict, 'missing_token');
    }
    assert.equal(store.size, variants.length);
  });

  it('a token signed with another secret → 401 invalid_signature; the body is never echoed', async () => {
    const { ingestor } = await setup();
    const forged = signToken('some-other-secret-of-enough-length!!', {});
    const { answer, record } = await ingestor.ingest(
      captured(messageLogged('log-forged'), [['Authorization', forged]]),
    );
    assert.equal(answer.status, 401);
    assert.equal(record?.verification.verdict, 'invalid_signature');
    assert.doesNotMatch(answer.body.toString(), /balance/);
  });

  it('policy accept: a delivery that fails verification is kept, flagged and answered 200', async () => {
    const { ingestor } = await setup({ policy: 'accept' });
    const { answer, record } = await ingestor.ingest(captured(messageLogged('log-accept')));
    assert.equal(answer.status, 200);
    assert.equal(record?.verification.verdict, 'missing_token');
    assert.equal(record?.response?.status, 200);
  });

  it('no secret configured: no_secret, 200, and the token is still decoded for display', async () => {
    const { ingestor } = await setup({ analyser: () => NO_SECRETS });
    const token = watsonToken({ iss: 'watson-assistant', aud: 'hooklens' });
    const { answer, record } = await ingestor.ingest(
      captured(messageLogged('log-nosecret'), [['Authorization', token]]),
    );
    assert.equal(answer.status, 200);
    assert.equal(record?.verification.verdict, 'no_secret');
    assert.equal(record?.verification.claims?.iss, 'watson-assistant');
    assert.equal(record?.verification.claims?.aud, 'hooklens');
    assert.equal(typeof record?.verification.claims?.iat, 'number');
    assert.equal(record?.verification.header?.alg, 'HS256');
  });

  it('no secret and no token: no_secret, 200', async () => {
    const { ingestor } = await setup({ analyser: () => NO_SECRETS });
    const { answer, record } = await ingestor.ingest(captured(messageLogged('log-none')));
    assert.equal(answer.status, 200);
    assert.equal(record?.verification.verdict, 'no_secret');
  });

  it('the verifier is read per delivery: setting a secret later takes effect at once', async () => {
    let current: typeof verifier | undefined = undefined;
    const { ingestor } = await setup({ analyser: () => current ?? NO_SECRETS });
    assert.equal((await ingestor.ingest(captured(messageLogged('a')))).answer.status, 200);
    current = verifier;
    assert.equal((await ingestor.ingest(captured(messageLogged('b')))).answer.status, 401);
  });
});

describe('Ingestor: the secret never reaches the store (J-22, D-15)', () => {
  it('secret_match: the Authorization value is redacted and the secret is in no store file', async () => {
    const { store, dir, ingestor } = await setup();
    const results = [];
    for (const [index, value] of [SECRET, `Bearer ${SECRET}`].entries()) {
      results.push(
        await ingestor.ingest(
          captured(messageLogged(`log-lit-${index}`), [['Authorization', value]]),
        ),
      );
    }
    for (const { answer, record } of results) {
      assert.equal(answer.status, 200);
      assert.equal(record?.verification.verdict, 'secret_match');
      const authorization = record?.headers.find(([name]) => name === 'Authorization')?.[1];
      assert.ok(authorization && !authorization.includes(SECRET), authorization);
      assert.match(authorization, /redacted/);
      assert.doesNotMatch(JSON.stringify(record), new RegExp(SECRET));
    }
    await store.whenIdle();
    assertSecretAbsent(await allBytes(dir));
  });

  it('J-22: the secret as one of two Authorization headers is not stored either', async () => {
    const { store, dir, ingestor } = await setup();
    const { answer, record } = await ingestor.ingest(
      captured(messageLogged('log-two-headers'), [
        ['Authorization', watsonToken()],
        ['Authorization', SECRET],
      ]),
    );
    assert.equal(answer.status, 401, 'two Authorization headers do not authenticate');
    assert.ok(record);
    await store.whenIdle();
    assertSecretAbsent(await allBytes(dir));
  });

  it('J-22: the secret behind another scheme (Basic, Token) is not stored', async () => {
    const { store, dir, ingestor } = await setup();
    for (const [index, scheme] of ['Basic', 'Token'].entries()) {
      const { answer } = await ingestor.ingest(
        captured(messageLogged(`log-scheme-${index}`), [['Authorization', `${scheme} ${SECRET}`]]),
      );
      assert.equal(answer.status, 401, `${scheme} <secret> is not a JWT and does not authenticate`);
    }
    await store.whenIdle();
    assertSecretAbsent(await allBytes(dir));
  });

  it('J-22: after verified, rejected and duplicate deliveries the store holds no secret bytes', async () => {
    const { store, dir, ingestor } = await setup();
    const token = watsonToken({ sub: 'x' });
    await ingestor.ingest(captured(messageLogged('d15'), [['Authorization', token]]));
    await ingestor.ingest(captured(messageLogged('d15'), [['Authorization', token]]));
    await ingestor.ingest(captured(messageLogged('d15-bad'), [['Authorization', 'garbage']]));
    await store.whenIdle();
    assert.equal(store.size, 3);
    assertSecretAbsent(await allBytes(dir));
  });
});

describe('Ingestor: duplicates (J-20)', () => {
  it('the same log_id twice: the second is duplicateOf the first, even with a fresh token', async () => {
    const { ingestor } = await setup();
    const first = await ingestor.ingest(
      captured(messageLogged('log-dup'), [['Authorization', watsonToken()]]),
    );
    const second = await ingestor.ingest(
      captured(messageLogged('log-dup'), [['Authorization', watsonToken({ jti: 'fresh' })]]),
    );
    assert.equal(first.record?.duplicateOf, null);
    assert.equal(second.record?.duplicateOf, first.record?.id);
    assert.equal(second.answer.status, 200, 'a sender retry is still acknowledged');
    assert.equal(first.record?.dedupeKey, second.record?.dedupeKey);
  });

  it('J-20: dedupe survives closing the store and a new Ingestor on the reopened store', async () => {
    const { store, dir, ingestor } = await setup();
    const first = await ingestor.ingest(
      captured(messageLogged('log-restart'), [['Authorization', watsonToken()]]),
    );
    await ingestor.ingest(captured(messageLogged('other'), [['Authorization', watsonToken()]]));
    await store.close();

    const reopened = (await openStore(dir)).store;
    assert.equal(reopened.mode, 'owner');
    const again = new Ingestor(reopened, { policy: 'reject', analyser: () => verifier });
    const retry = await again.ingest(
      captured(messageLogged('log-restart'), [['Authorization', watsonToken()]]),
    );
    assert.equal(retry.record?.duplicateOf, first.record?.id);
    const fresh = await again.ingest(
      captured(messageLogged('log-new'), [['Authorization', watsonToken()]]),
    );
    assert.equal(fresh.record?.duplicateOf, null);
    assert.equal(reopened.summary(first.record?.id ?? '')?.duplicateCount, 1);
  });

  it('the same body and the same token without any id → duplicate; a fresh token → a new delivery', async () => {
    const { ingestor } = await setup();
    const body = messageLogged(null);
    const token = watsonToken();
    const first = await ingestor.ingest(captured(body, [['Authorization', token]]));
    const second = await ingestor.ingest(captured(body, [['Authorization', token]]));
    assert.equal(first.record?.senderEventId, null);
    assert.equal(second.record?.duplicateOf, first.record?.id);
    // Without a sender id the key is body + signature; a re-signed token is a new key.
    const resigned = await ingestor.ingest(
      captured(body, [['Authorization', watsonToken({ jti: 'other' })]]),
    );
    assert.equal(resigned.record?.duplicateOf, null);
  });

  it('the same unsigned body twice (no ids, no token) → duplicate', async () => {
    const { ingestor } = await setup({ analyser: () => NO_SECRETS });
    const body = '{"hello":"world"}';
    const first = await ingestor.ingest(captured(body));
    const second = await ingestor.ingest(captured(body));
    assert.equal(second.record?.duplicateOf, first.record?.id);
  });

  it('Standard Webhooks webhook-id header dedupes generic deliveries', async () => {
    const { ingestor } = await setup({ analyser: () => NO_SECRETS });
    const headers: Array<[string, string]> = [['webhook-id', 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W']];
    const first = await ingestor.ingest(captured('{"type":"invoice.paid","n":1}', headers));
    const second = await ingestor.ingest(captured('{"type":"invoice.paid","n":2}', headers));
    assert.equal(second.record?.duplicateOf, first.record?.id);
  });

  it('H-14: different ids past 2^53 are not taken for the same event', async () => {
    const { ingestor } = await setup({ analyser: () => NO_SECRETS });
    const first = await ingestor.ingest(
      captured('{"type":"orders/create","id":820982911946154508}'),
    );
    const second = await ingestor.ingest(
      captured('{"type":"orders/create","id":820982911946154509}'),
    );
    assert.equal(second.record?.duplicateOf, null);
    assert.notEqual(first.record?.dedupeKey, second.record?.dedupeKey);
  });

  it('concurrent identical deliveries: exactly one original', async () => {
    const { ingestor } = await setup();
    const token = watsonToken();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        ingestor.ingest(captured(messageLogged('log-race'), [['Authorization', token]])),
      ),
    );
    const originals = results.filter((result) => result.record?.duplicateOf === null);
    assert.equal(originals.length, 1);
    for (const result of results) {
      assert.equal(
        result.record?.duplicateOf ?? originals[0]?.record?.id,
        originals[0]?.record?.id,
      );
    }
  });
});

describe('Ingestor: hostile and odd bodies (7B)', () => {
  it('H-10: non-JSON, invalid UTF-8 and empty bodies are stored raw with a parse error', async () => {
    const { store, ingestor } = await setup({ analyser: () => NO_SECRETS });
    const bodies = [
      Buffer.from('plain text'),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.alloc(0),
      Buffer.from('{"a":"\u0000"}'),
    ];
    for (const body of bodies) {
      const { answer, record } = await ingestor.ingest(captured(body));
      assert.equal(answer.status, 200);
      assert.ok(record?.parseError, 'has a parse error');
      assert.equal(record.sender, 'unknown');
      const stored = await store.get(record.id);
      assert.deepEqual(Buffer.from(stored?.bodyBase64 ?? '', 'base64'), body);
      assert.equal(stored?.bodySize, body.length);
    }
  });

  it('H-11: JSON nested 10,000 and 500,000 levels (under 1 MiB) is stored without a crash', async () => {
    const { store, ingestor } = await setup({ analyser: () => NO_SECRETS });
    for (const depth of [10_000, 500_000]) {
      const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      assert.ok(body.length < 1024 * 1024);
      const { answer, record } = await ingestor.ingest(captured(body));
      assert.equal(answer.status, 200, `depth ${depth}`);
      assert.ok(record);
      const stored = await store.get(record.id);
      assert.equal(Buffer.from(stored?.bodyBase64 ?? '', 'base64').toString('utf8'), body);
    }
    const objects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const { answer } = await ingestor.ingest(captured(objects));
    assert.equal(answer.status, 200);
  });

  it('H-13: "__proto__" / "constructor" keys are stored as data and pollute nothing', async () => {
    const { store, ingestor } = await setup({ analyser: () => NO_SECRETS });
    const body =
      '{"__proto__":{"polluted":"yes","type":"evil"},"constructor":{"prototype":{"polluted":"yes"}},"type":"t.created","id":"evt_proto"}';
    const { answer, record } = await ingestor.ingest(captured(body));
    assert.equal(answer.status, 200);
    assert.equal(record?.event, 't.created');
    assert.equal(record?.senderEventId, 'evt_proto');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Reflect.get(Object.prototype, 'polluted'), undefined);
    const stored = await store.get(record?.id ?? '');
    assert.equal(Buffer.from(stored?.bodyBase64 ?? '', 'base64').toString('utf8'), body);

    const watson =
      '{"event":{"name":"message_received"},"payload":{"__proto__":{"x":1},"input":{"text":"hi"}}}';
    const echoed = await ingestor.ingest(captured(watson));
    assert.equal(echoed.answer.body, '{"payload":{"__proto__":{"x":1},"input":{"text":"hi"}}}');
  });

  it('H-14: big integers, -0 and 1e400 are kept byte for byte', async () => {
    const { store, ingestor } = await setup({ analyser: () => NO_SECRETS });
    const body =
      '{"type":"x","amount":12345678901234567891,"zero":-0,"huge":1e400,"f":0.1000000000000000055511151231257827}';
    const { record } = await ingestor.ingest(captured(body));
    const stored = await store.get(record?.id ?? '');
    assert.equal(Buffer.from(stored?.bodyBase64 ?? '', 'base64').toString('utf8'), body);
    assert.equal(stored?.bodySha256, createHash('sha256').update(body).digest('hex'));
  });
});

describe('Ingestor: Watson pre/post-message answers', () => {
  const preMessage = {
    event: { name: 'message_received' },
    payload: {
      input: { message_type: 'text', text: 'support', options: { return_context: true } },
      context: { global: { system: { turn_count: 4 }, session_id: SESSION } },
    },
  };

  it('message_received gets {payload} echoed back (and so does message_processed)', async () => {
    const { ingestor } = await setup();
    const { answer, record } = await ingestor.ingest(
      captured(JSON.stringify(preMessage), [['Authorization', watsonToken()]]),
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(parsedBody(answer), { payload: preMessage.payload });
    assert.equal(record?.response?.body, answer.body);

    const postMessage = {
      event: { name: 'message_processed' },
      options: {},
      payload: { output: { generic: [{ response_type: 'text', text: 'Hello' }] } },
    };
    const post = await ingestor.ingest(
      captured(JSON.stringify(postMessage), [['Authorization', watsonToken()]]),
    );
    assert.deepEqual(parsedBody(post.answer), { payload: postMessage.payload });
  });

  it('an unsigned message_received under policy reject gets 401, not the echo', async () => {
    const { ingestor } = await setup();
    const { answer } = await ingestor.ingest(captured(JSON.stringify(preMessage)));
    assert.equal(answer.status, 401);
    assert.doesNotMatch(answer.body.toString(), /support/);
  });
});

describe('Ingestor: store failures (D-05, D-07)', () => {
  it('D-05: ENOSPC on write → 503 + Retry-After, nothing acknowledged, nothing announced', async () => {
    const fileSystem = new FaultInjectingFileSystem();
    const { store, ingestor, ingested } = await setup({}, { fileSystem });
    await ingestor.ingest(captured(messageLogged('before'), [['Authorization', watsonToken()]]));
    assert.equal(store.size, 1);

    fileSystem.failNext('write', 'ENOSPC');
    const failed = await ingestor.ingest(
      captured(messageLogged('log-enospc'), [['Authorization', watsonToken()]]),
    );
    assert.equal(failed.answer.status, 503);
    assert.equal(failed.record, undefined);
    assert.ok(
      failed.answer.headers.some(([name, value]) => name === 'Retry-After' && Number(value) > 0),
    );
    assert.doesNotMatch(failed.answer.body.toString(), /received|ENOSPC|disk|\//);
    assert.equal(store.size, 1);
    assert.equal(ingested.length, 1, 'listeners hear only about stored deliveries');

    // The sender retries once the disk has room: stored, and not a "duplicate" of the lost one.
    const retried = await ingestor.ingest(
      captured(messageLogged('log-enospc'), [['Authorization', watsonToken()]]),
    );
    assert.equal(retried.answer.status, 200);
    assert.equal(retried.record?.duplicateOf, null);
    assert.equal(store.size, 2);
  });

  it('D-07: fdatasync EIO → 503 for the waiting delivery, and the next one is stored', async () => {
    const fileSystem = new FaultInjectingFileSystem();
    const { store, ingestor } = await setup({}, { fileSystem });
    fileSystem.failNext('datasync', 'EIO');
    const failed = await ingestor.ingest(
      captured(messageLogged('log-eio'), [['Authorization', watsonToken()]]),
    );
    assert.equal(failed.answer.status, 503);
    assert.equal(store.size, 0);
    const next = await ingestor.ingest(
      captured(messageLogged('log-eio'), [['Authorization', watsonToken()]]),
    );
    assert.equal(next.answer.status, 200);
    assert.equal(store.size, 1);
  });

  it('a store that is not the owner answers 503, never 2xx', async () => {
    const { store, dir } = await setup();
    const viewer = (await openStore(dir)).store;
    assert.equal(viewer.mode, 'viewer');
    const ingestor = new Ingestor(viewer, { policy: 'accept', analyser: () => NO_SECRETS });
    const { answer, record } = await ingestor.ingest(captured('{"a":1}'));
    assert.equal(answer.status, 503);
    assert.equal(record, undefined);
    assert.equal(store.size, 0);
  });
});
