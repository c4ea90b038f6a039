// Forwarding and replay against real local handlers on loopback (catalogue 7E, F-01 to F-07).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { DeliveryRecord } from '../../src/core/delivery';
import { parseRetryAfter, retryDelayMs } from '../../src/core/forward/attempt';
import { Forwarder } from '../../src/core/forward/forwarder';
import {
  forwardedHeaders,
  parseTargetUrl,
  sendOutbound,
  type OutboundResult,
} from '../../src/core/forward/outbound';
import {
  freshAuthorization,
  replayDelivery,
  replayMany,
  replayRequest,
  ReplayError,
} from '../../src/core/forward/replay';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import {
  deliveryOutcome,
  outcomeFactsOfRecord,
  outcomeFactsOfSummary,
} from '../../src/core/detail/outcome';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { FaultInjectingFileSystem } from '../../src/core/store/faultInjection';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';
import { useStoreFixtures } from './storeFixtures';

const SECRET = 'hooklens-forward-test-secret-4b8e2d71c9';
const verifier = createVerifier([{ label: 'current', value: SECRET }]);
const analyser = analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]);
const fixtures = useStoreFixtures('hooklens-forward-');

interface Received {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

type Respond = (received: Received, response: ServerResponse, index: number) => void;

const servers: Array<{ close(): void }> = [];
after(() => {
  for (const server of servers) server.close();
});

/** A developer's handler on loopback that records what it receives. */
async function startHandler(respond: Respond = (_, response) => response.end('ok')) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        rawHeaders: request.rawHeaders,
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      respond(entry, response, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port}/webhooks?x=1`),
    received,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening: bind, note the port, close. */
async function deadUrl(): Promise<URL> {
  const handler = await startHandler();
  await handler.close();
  return handler.url;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function watsonBody(logId: string): Buffer {
  // Big numbers and odd spacing: the bytes must arrive exactly as sent, never re-serialised.
  return Buffer.from(
    `{"event":{"name":"message_logged"},  "payload":{"log_id":"${logId}","n":12345678901234567890123,` +
      `"text":"caf\u00e9 \ud83d\ude00"}}`,
    'utf8',
  );
}

function captured(
  body: Buffer,
  headers: ReadonlyArray<readonly [string, string]> = [],
): CapturedRequest {
  return {
    receivedAtMs: Date.now(),
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url: '/hooks/watson',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.length)],
      // Signed unless the test brings its own Authorization: only accepted deliveries are forwarded.
      ...(headers.some(([name]) => name === 'Authorization')
        ? []
        : [['Authorization', signToken(SECRET, {})] as const]),
      ...headers,
    ],
    remoteAddress: '127.0.0.1',
    body,
  };
}

async function setup(
  target: URL,
  options: { retries?: number; timeoutMs?: number; fileSystem?: FaultInjectingFileSystem } = {},
) {
  const dir = await fixtures.tempDir();
  const store = await fixtures.open(
    dir,
    options.fileSystem ? { fileSystem: options.fileSystem } : {},
  );
  const retried: string[] = [];
  const forwarder = new Forwarder(
    { target, timeoutMs: options.timeoutMs ?? 5_000, retries: options.retries ?? 0 },
    store,
    { random: () => 0, onRetry: (id) => retried.push(id) },
  );
  after(() => forwarder.dispose());
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () => analyser,
    forwarder: () => forwarder,
  });
  return { store, forwarder, ingestor, retried, dir };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('issue 15: forwarding without a disk wait', () => {
  it("the sender gets the handler's answer before the attempt record is durable; the attempt lands in the next group commit", async () => {
    const fileSystem = new FaultInjectingFileSystem();
    let gate: ReturnType<FaultInjectingFileSystem['pauseNext']> | undefined;
    const handler = await startHandler((_, response) => {
      // The delivery was stored before the forward started: hold the next fdatasync, the one
      // that makes the attempt record durable.
      gate = fileSystem.pauseNext('datasync', { pathIncludes: 'segments' });
      response.statusCode = 202;
      response.end('{"handled":true}');
    });
    const { ingestor, store } = await setup(handler.url, { fileSystem });
    const seen: DeliveryRecord[] = [];
    ingestor.onDidIngest((record) => seen.push(record));
    const syncsBefore = fileSystem.calls.datasync;

    const { answer, record, recorded } = await ingestor.ingest(captured(watsonBody('log-no-wait')));
    assert.equal(answer.status, 202, "answered with the handler's answer");
    assert.equal(fileSystem.calls.datasync, syncsBefore + 1, 'one fdatasync before the answer');
    assert.ok(gate && record);
    await gate.reached; // The attempt's batch is syncing, held.
    let settled = false;
    void recorded.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the attempt is not durable yet');
    assert.equal(seen.length, 0, 'listeners hear of the delivery once its attempt is recorded');
    // What is durable meanwhile: the delivery, with no answer on record.
    const before = await store.get(record.id);
    assert.equal(before?.response, null);
    assert.equal(before?.attempts.length, 0);
    // The result already says what will be stored.
    assert.equal(record.response?.status, 202);
    assert.equal(record.attempts[0]?.status, 202);

    gate.release();
    const stored = await recorded;
    assert.equal(stored?.attempts.length, 1);
    assert.equal(stored?.attempts[0]?.kind, 'forward');
    assert.equal(stored?.response?.status, 202);
    assert.equal((await store.get(record.id))?.attempts[0]?.status, 202);
    assert.deepEqual(
      seen.map((delivery) => delivery.attempts.length),
      [1],
    );
  });

  it('if HookLens stops before the attempt is recorded, the delivery shows "forward outcome not recorded"', async () => {
    const fileSystem = new FaultInjectingFileSystem();
    const handler = await startHandler((_, response) => {
      // The attempt's write never becomes durable, as if HookLens stopped in between.
      fileSystem.failNext('datasync', 'EIO', { pathIncludes: 'segments' });
      response.end('ok');
    });
    const { ingestor, store, dir } = await setup(handler.url, { fileSystem });
    const { answer, record, recorded } = await ingestor.ingest(
      captured(watsonBody('log-not-recorded')),
    );
    assert.equal(answer.status, 200, "the sender still gets the handler's answer");
    assert.ok(record);
    assert.equal(await recorded, undefined, 'the attempt could not be recorded');
    await store.close();

    // Opened again (a restart): the delivery is there, its forward outcome is not.
    const reopened = await DeliveryStore.open(dir, { access: 'read' });
    after(() => reopened.close());
    const stored = await reopened.get(record.id);
    assert.ok(stored, 'the delivery itself was durable before the forward');
    assert.equal(stored.response, null);
    assert.equal(stored.attempts.length, 0);
    const fromRecord = deliveryOutcome(outcomeFactsOfRecord(stored));
    assert.equal(fromRecord.words, 'forward outcome not recorded');
    assert.equal(fromRecord.failed, false);
    const summary = reopened.summary(record.id);
    assert.ok(summary);
    assert.equal(
      deliveryOutcome(outcomeFactsOfSummary(summary)).words,
      'forward outcome not recorded',
    );
  });

  it('stopping (ingestor, then store) waits for attempt records not yet durable', async () => {
    const handler = await startHandler((_, response) => response.end('ok'));
    const { ingestor, store, dir } = await setup(handler.url);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((n) => ingestor.ingest(captured(watsonBody(`log-close-${n}`)))),
    );
    // Right after the answers, before awaiting `recorded`: stopped as a capture session stops
    // (the ingestor first, then the store).
    ingestor.dispose();
    await store.close();
    const reopened = await DeliveryStore.open(dir, { access: 'read' });
    after(() => reopened.close());
    for (const { record } of results) {
      assert.ok(record);
      assert.equal((await reopened.get(record.id))?.attempts.length, 1);
    }
  });
});

describe('forwarding a live delivery', () => {
  it('F-01: the handler gets the exact body bytes and the original Authorization and Content-Type', async () => {
    const handler = await startHandler((_, response) => {
      response.setHeader('X-Handler', 'yes');
      response.statusCode = 202;
      response.end('{"handled":true}');
    });
    const { ingestor } = await setup(handler.url);
    const body = watsonBody('log-f01');
    const token = signToken(SECRET, { iss: 'watson' });
    const { answer, record } = await ingestor.ingest(captured(body, [['Authorization', token]]));

    assert.equal(handler.received.length, 1);
    const got = handler.received[0] as Received;
    assert.equal(sha256(got.body), sha256(body));
    assert.equal(got.headers.authorization, token);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.url, '/webhooks?x=1', 'sent to the target URL, not the original path');
    // The sender gets the handler's answer.
    assert.equal(answer.status, 202);
    assert.equal(answer.body.toString(), '{"handled":true}');
    assert.ok(answer.headers.some(([name, value]) => name === 'X-Handler' && value === 'yes'));
    // The record has the forward attempt and the answer the sender got.
    assert.equal(record?.attempts.length, 1);
    const attempt = record?.attempts[0];
    assert.equal(attempt?.kind, 'forward');
    assert.equal(attempt?.status, 202);
    assert.equal(attempt?.sentBodySha256, sha256(body));
    assert.equal(attempt?.response?.body, '{"handled":true}');
    assert.equal(record?.response?.status, 202);
  });

  it('F-02: hop-by-hop headers are dropped, Host is the target, and Connection-named headers go too', async () => {
    const handler = await startHandler();
    const { ingestor } = await setup(handler.url);
    await ingestor.ingest(
      captured(watsonBody('log-f02'), [
        ['Connection', 'keep-alive, X-Secret-Hop'],
        ['Keep-Alive', 'timeout=5'],
        ['TE', 'trailers'],
        ['Upgrade', 'websocket'],
        ['Trailer', 'X-Sum'],
        ['X-Secret-Hop', 'drop me'],
        ['X-Custom', 'kept'],
      ]),
    );
    const got = handler.received[0] as Received;
    const names = got.rawHeaders.filter((_, index) => index % 2 === 0).map((n) => n.toLowerCase());
    for (const dropped of ['keep-alive', 'te', 'upgrade', 'trailer', 'x-secret-hop']) {
      assert.ok(!names.includes(dropped), `${dropped} must not be forwarded`);
    }
    assert.equal(got.headers.host, handler.url.host);
    assert.equal(got.headers['x-custom'], 'kept');
    assert.equal(got.headers['content-length'], String(watsonBody('log-f02').length));
  });

  it('F-02: header values with CR or LF (from an imported record) never reach the wire', () => {
    const headers = forwardedHeaders(
      [
        ['X-Injected', 'a\r\nX-Evil: 1'],
        ['X-Bad Name', 'v'],
        ['X-Nul', 'a\0b'],
        ['X-Fine', 'ok'],
      ],
      new URL('http://localhost:3000/hook'),
      4,
    );
    assert.deepEqual(headers, [
      ['Host', 'localhost:3000'],
      ['X-Fine', 'ok'],
      ['Content-Length', '4'],
    ]);
  });

  it('F-06: headers in the request cannot choose the target', async () => {
    const handler = await startHandler();
    const { ingestor } = await setup(handler.url);
    await ingestor.ingest(
      captured(watsonBody('log-f06'), [
        ['X-Forward-To', 'http://169.254.169.254/latest/meta-data'],
        ['X-Forwarded-Host', 'evil.example'],
      ]),
    );
    assert.equal(handler.received.length, 1);
    assert.equal(handler.received[0]?.headers.host, handler.url.host);
  });

  it('F-03: a handler that is down costs the sender a generic 502; the delivery and the failure are kept', async () => {
    const { ingestor, store } = await setup(await deadUrl());
    const { answer, record, recorded } = await ingestor.ingest(captured(watsonBody('log-down')));
    assert.equal(answer.status, 502);
    assert.doesNotMatch(answer.body.toString(), /127\.0\.0\.1|ECONN/, 'no detail for the sender');
    assert.ok(record);
    await recorded; // The attempt joins the next group commit (issue 15).
    const stored = await store.get(record.id);
    assert.equal(stored?.attempts[0]?.status, null);
    assert.match(stored?.attempts[0]?.error ?? '', /connection refused.*handler running/i);
    assert.equal(stored?.response?.status, 502);
  });

  it('F-03: a handler that hangs gets a 504 after the timeout, and capture carries on', async () => {
    const handler = await startHandler(() => undefined); // never answers
    const { ingestor, store } = await setup(handler.url, { timeoutMs: 200 });
    const { answer, record } = await ingestor.ingest(captured(watsonBody('log-hang')));
    assert.equal(answer.status, 504);
    assert.match(record?.attempts[0]?.error ?? '', /did not answer within 0.2 s/);
    assert.equal(store.size, 1);
  });

  it('F-04: a redirect is not followed and counts as a failure', async () => {
    const elsewhere = await startHandler();
    const handler = await startHandler((_, response) => {
      response.writeHead(307, { Location: elsewhere.url.href });
      response.end();
    });
    const { ingestor } = await setup(handler.url);
    const { answer, record } = await ingestor.ingest(captured(watsonBody('log-redirect')));
    assert.equal(elsewhere.received.length, 0);
    assert.equal(answer.status, 502);
    assert.equal(record?.attempts[0]?.status, 307);
    assert.match(record?.attempts[0]?.error ?? '', /307 to .*redirects are not followed/);
  });

  it('issue 14.8: a handler answer over 10 MiB is not passed on cut off: the sender gets 502, the attempt says why', async () => {
    const handler = await startHandler((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(Buffer.alloc(11 * 1024 * 1024, 0x61));
    });
    const { ingestor } = await setup(handler.url);
    const { answer, record } = await ingestor.ingest(captured(watsonBody('log-huge-answer')));
    assert.equal(answer.status, 502);
    assert.ok(answer.body.length < 200, 'a short generic answer, not a cut-off body');
    assert.equal(record?.attempts[0]?.status, 200);
    assert.match(record?.attempts[0]?.error ?? '', /over 10 MiB.*answered the sender 502/);
  });

  it("issue 14.8: a forward carries this receiver's loop marker", async () => {
    const handler = await startHandler();
    const store = await fixtures.open(await fixtures.tempDir());
    const forwarder = new Forwarder(
      { target: handler.url, timeoutMs: 5_000, retries: 0, loopMarker: 'run-123' },
      store,
    );
    after(() => forwarder.dispose());
    const ingestor = new Ingestor(store, {
      policy: 'reject',
      analyser: () => analyser,
      forwarder: () => forwarder,
    });
    await ingestor.ingest(captured(watsonBody('log-marker')));
    assert.equal(handler.received[0]?.headers['x-hooklens-loop'], 'run-123');
  });

  it('rejected deliveries (failed verification) are not forwarded', async () => {
    const handler = await startHandler();
    const { ingestor } = await setup(handler.url);
    const { answer } = await ingestor.ingest(
      captured(watsonBody('log-forged'), [['Authorization', signToken('another-secret-xyz', {})]]),
    );
    assert.equal(answer.status, 401);
    assert.equal(handler.received.length, 0);
  });

  it('F-03: retries honour Retry-After and back off; each try is an attempt, and retries stop on success', async () => {
    const handler = await startHandler((_, response, index) => {
      if (index < 2) {
        response.writeHead(index === 0 ? 503 : 429, { 'Retry-After': '0' });
        response.end('busy');
      } else response.end('done');
    });
    const { ingestor, store, retried } = await setup(handler.url, { retries: 5 });
    const { answer, record } = await ingestor.ingest(captured(watsonBody('log-retry')));
    assert.equal(answer.status, 503, 'the sender gets the first answer; retries run afterwards');
    await waitFor(() => retried.length === 2, 'two retries');
    const stored = await store.get(record?.id ?? '');
    assert.deepEqual(
      stored?.attempts.map((attempt) => [attempt.kind, attempt.status]),
      [
        ['forward', 503],
        ['forward', 429],
        ['forward', 200],
      ],
    );
    assert.equal(handler.received.length, 3);
    const hashes = new Set(handler.received.map((got) => sha256(got.body)));
    assert.equal(hashes.size, 1, 'every retry sends the same bytes');
  });

  it('F-03: retries are bounded by the setting', async () => {
    const handler = await startHandler((_, response) => {
      response.writeHead(500, { 'Retry-After': '0' });
      response.end();
    });
    const { ingestor, retried, forwarder } = await setup(handler.url, { retries: 2 });
    const { record } = await ingestor.ingest(captured(watsonBody('log-bounded')));
    const id = record?.id ?? '';
    // Replay Failed Deliveries leaves a delivery alone while its retries run.
    assert.equal(forwarder.isRetrying(id), true, 'a retry is scheduled');
    await waitFor(() => retried.length === 2, 'two retries');
    await waitFor(() => !forwarder.isRetrying(id), 'the last retry has finished');
    // The forwarder decides on the next retry as it reports one: after the second report nothing
    // is scheduled, so no further try can come (no need to wait and see).
    assert.equal(forwarder.pendingRetries, 0, 'no third retry is scheduled');
    assert.equal(handler.received.length, 3);
  });
});

describe('retry timing', () => {
  const failed = (headers: Array<[string, string]> = []): OutboundResult => ({
    ok: true,
    response: { status: 503, headers, body: Buffer.alloc(0), bodyTruncated: false },
    timeMs: 1,
  });
  it('doubles with each retry, with jitter between half and the whole, and is capped', () => {
    assert.equal(
      retryDelayMs(1, failed(), () => 0),
      500,
    );
    assert.equal(
      retryDelayMs(1, failed(), () => 1),
      1000,
    );
    assert.equal(
      retryDelayMs(3, failed(), () => 1),
      4000,
    );
    assert.equal(
      retryDelayMs(30, failed(), () => 1),
      60_000,
    );
  });
  it('follows Retry-After in seconds or as an HTTP date', () => {
    assert.equal(retryDelayMs(1, failed([['Retry-After', '7']])), 7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(retryDelayMs(1, failed([['retry-after', '999999']])), 5 * 60_000);
  });
});

describe('target URLs', () => {
  it('accepts http and https only, with a clear message otherwise', () => {
    assert.equal(parseTargetUrl(' http://localhost:3000/hook ').ok, true);
    const bad = parseTargetUrl('file:///etc/passwd');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /http:\/\/ or https:\/\//);
    assert.match(
      (parseTargetUrl('localhost:3000') as { error?: string }).error ?? '',
      /http:\/\/ or https/,
    );
    assert.match((parseTargetUrl('not a url') as { error: string }).error, /not a URL/);
  });
  it('cancellation ends a request in flight', async () => {
    const handler = await startHandler(() => undefined);
    const controller = new AbortController();
    const pending = sendOutbound(
      handler.url,
      { method: 'POST', headers: [], body: Buffer.from('x') },
      { timeoutMs: 10_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.kind, 'cancelled');
  });
});

describe('replay', () => {
  async function storeWith(records: Array<Partial<DeliveryRecord> & { logId: string }>) {
    const store = await fixtures.open(await fixtures.tempDir());
    const ingestor = new Ingestor(store, { policy: 'accept', analyser: () => analyser });
    const ids: string[] = [];
    for (const { logId, headers } of records) {
      const { record } = await ingestor.ingest(captured(watsonBody(logId), headers ?? []));
      ids.push(record?.id ?? '');
    }
    return { store, ids };
  }

  it('F-05: the original token is sent as-is, even when it has expired; the handler decides', async () => {
    const expired = signToken(SECRET, { sub: 'x' }, { nowMs: Date.now() - 2 * 86_400_000 });
    const { store, ids } = await storeWith([
      { logId: 'old', headers: [['Authorization', expired]] },
    ]);
    const handler = await startHandler((_, response) => {
      response.statusCode = 401;
      response.end('expired');
    });
    const outcome = await replayDelivery(store, ids[0] ?? '', {
      target: handler.url,
      tokenMode: 'original',
      timeoutMs: 5_000,
    });
    assert.equal(handler.received[0]?.headers.authorization, expired);
    assert.equal(handler.received[0]?.headers['x-replay'], undefined);
    assert.equal(outcome.attempt.tokenMode, 'original');
    assert.equal(outcome.attempt.status, 401);
    assert.equal(outcome.recorded, true);
    const stored = await store.get(ids[0] ?? '');
    assert.equal(stored?.attempts.length, 1);
    assert.equal(stored?.attempts[0]?.kind, 'replay');
  });

  it('F-05: a fresh token keeps the original claims with new iat/exp, verifies, and is marked X-Replay', async () => {
    const nowMs = Date.now();
    const old = signToken(
      SECRET,
      { iss: 'watson', custom: { deep: [1, 2] }, nbf: Math.floor(nowMs / 1000) - 172_800 },
      { nowMs: nowMs - 172_800_000, expiresInSeconds: 600 },
    );
    const { store, ids } = await storeWith([
      { logId: 'fresh', headers: [['Authorization', `Bearer ${old}`]] },
    ]);
    const handler = await startHandler();
    const outcome = await replayDelivery(store, ids[0] ?? '', {
      target: handler.url,
      tokenMode: 'fresh',
      secret: SECRET,
      timeoutMs: 5_000,
    });
    const sent = handler.received[0]?.headers.authorization ?? '';
    assert.match(sent, /^Bearer /, 'the original Bearer form is kept');
    const verdict = verifier.verify(sent, Date.now());
    assert.equal(verdict.verdict, 'verified');
    assert.equal(verdict.claims?.iss, 'watson');
    assert.deepEqual(verdict.claims?.custom, { deep: [1, 2] });
    assert.equal(verdict.claims?.exp, (verdict.claims?.iat as number) + 600, 'lifetime kept');
    assert.equal(verdict.header?.alg, 'HS256');
    assert.equal(handler.received[0]?.headers['x-replay'], 'true');
    assert.equal(outcome.attempt.tokenMode, 'fresh');
    // The stored delivery still has its original token.
    const stored = await store.get(ids[0] ?? '');
    assert.ok(
      stored?.headers.some(([name, value]) => name === 'Authorization' && value.includes(old)),
    );
  });

  it('a fresh token without a secret is a clear error', async () => {
    const { store } = await storeWith([{ logId: 'nosecret' }]);
    const record = (await store.get(store.summaries()[0]?.id ?? '')) as DeliveryRecord;
    assert.throws(() => replayRequest(record, { tokenMode: 'fresh' }), ReplayError);
    assert.throws(() => replayRequest(record, { tokenMode: 'fresh' }), /Set the secret first/);
  });

  it('a fresh token for a delivery that had none is added bare, as Watson sends it', async () => {
    const { store, ids } = await storeWith([{ logId: 'unsigned' }]);
    const stored = (await store.get(ids[0] ?? '')) as DeliveryRecord;
    const record = {
      ...stored,
      headers: stored.headers.filter(([name]) => name !== 'Authorization'),
      verification: { verdict: 'missing_token' as const, reason: 'no token' },
    };
    assert.equal(replayRequest(record, { tokenMode: 'original' }).tokenMode, 'none');
    // It failed verification (no token), so re-signing it takes an explicit confirmation.
    assert.throws(() => replayRequest(record, { tokenMode: 'fresh', secret: SECRET }), /confirm/);
    const request = replayRequest(record, {
      tokenMode: 'fresh',
      secret: SECRET,
      allowResignFailed: true,
    });
    const authorization = request.headers.find(([name]) => name === 'Authorization')?.[1] ?? '';
    assert.equal(verifier.verify(authorization, Date.now()).verdict, 'verified');
    assert.doesNotMatch(authorization, /^Bearer/);
    assert.equal(freshAuthorization(record, SECRET).split('.').length, 3);
  });

  it('edit and replay: the edited body is sent with a fresh token; the stored delivery is unchanged', async () => {
    const { store, ids } = await storeWith([{ logId: 'edit' }]);
    const handler = await startHandler();
    const edited = Buffer.from('{"event":{"name":"message_logged"},"payload":{"edited":true}}');
    const outcome = await replayDelivery(store, ids[0] ?? '', {
      target: handler.url,
      tokenMode: 'fresh',
      secret: SECRET,
      body: edited,
      timeoutMs: 5_000,
    });
    assert.equal(sha256(handler.received[0]?.body ?? Buffer.alloc(0)), sha256(edited));
    assert.equal(handler.received[0]?.headers['content-length'], String(edited.length));
    assert.equal(outcome.attempt.bodyEdited, true);
    assert.equal(outcome.attempt.sentBodySha256, sha256(edited));
    const stored = await store.get(ids[0] ?? '');
    assert.equal(stored?.bodySha256, sha256(watsonBody('edit')));
    assert.equal(stored?.attempts[0]?.bodyEdited, true);
  });

  it('F-07: replaying many keeps at most N in flight, records every attempt, and live capture is unaffected', async () => {
    const records = Array.from({ length: 12 }, (_, index) => ({ logId: `many-${index}` }));
    const { store, ids } = await storeWith(records);
    const handler = await startHandler((_, response) => {
      setTimeout(() => response.end('ok'), 20);
    });
    const progress: number[] = [];
    const ingestor = new Ingestor(store, { policy: 'accept', analyser: () => analyser });
    const [result, live] = await Promise.all([
      replayMany(store, ids, {
        target: handler.url,
        tokenMode: 'original',
        timeoutMs: 5_000,
        concurrency: 3,
        onProgress: ({ done }) => progress.push(done),
      }),
      ingestor.ingest(captured(watsonBody('live-during-replay'))),
    ]);
    assert.equal(live.answer.status, 200);
    assert.equal(result.outcomes.length, 12);
    assert.equal(result.failures.length, 0);
    assert.ok(handler.maxInFlight() <= 3, `at most 3 in flight, saw ${handler.maxInFlight()}`);
    assert.deepEqual(
      progress,
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
    for (const id of ids) assert.equal((await store.get(id))?.attempts.length, 1);
  });

  it('replaying the same delivery concurrently records both attempts (serialised updates)', async () => {
    const { store, ids } = await storeWith([{ logId: 'twice' }]);
    const handler = await startHandler();
    const id = ids[0] ?? '';
    const options = { target: handler.url, tokenMode: 'original' as const, timeoutMs: 5_000 };
    await Promise.all([
      replayDelivery(store, id, options),
      replayDelivery(store, id, options),
      replayDelivery(store, id, options),
    ]);
    assert.equal((await store.get(id))?.attempts.length, 3);
    assert.equal(store.summary(id)?.replayCount, 3);
  });

  it('cancelling a batch stops new replays and reports it', async () => {
    const { store, ids } = await storeWith(
      Array.from({ length: 6 }, (_, index) => ({ logId: `cancel-${index}` })),
    );
    const handler = await startHandler((_, response) => {
      setTimeout(() => response.end('ok'), 50);
    });
    const controller = new AbortController();
    const result = await replayMany(store, ids, {
      target: handler.url,
      tokenMode: 'original',
      timeoutMs: 5_000,
      concurrency: 1,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 2) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(handler.received.length <= 3, `stopped early, sent ${handler.received.length}`);
  });

  it('a deleted delivery is a clear failure in a batch, not a crash', async () => {
    const { store, ids } = await storeWith([{ logId: 'gone' }]);
    const handler = await startHandler();
    await store.delete(ids);
    const result = await replayMany(store, ids, {
      target: handler.url,
      tokenMode: 'original',
      timeoutMs: 5_000,
    });
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]?.message ?? '', /not in the store/);
  });
});
