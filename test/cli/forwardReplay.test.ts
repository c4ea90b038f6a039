// `hooklens listen --forward-to` and `hooklens replay` as real processes with a real handler,
// including a Stripe handler that checks signatures with stripe's own constructEvent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import Stripe from 'stripe';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-forward-test-secret-5d2c8e1f0a9b7364';
const env = { HOOKLENS_SECRET: SECRET };
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

const handlers: Array<() => void> = [];
after(async () => {
  for (const close of handlers) close();
  await cleanUp();
});

async function startHandler(status = 200) {
  const received: Array<{ headers: IncomingHttpHeaders; body: Buffer; url: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks),
        url: request.url ?? '',
      });
      response.writeHead(status, { 'Content-Type': 'application/json', 'X-Handled-By': 'test' });
      response.end(JSON.stringify({ handled: received.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  handlers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks`,
    received,
  };
}

describe('hooklens listen --forward-to', () => {
  it('F-01: forwards the exact bytes and answers the sender with the handler’s answer', async () => {
    const handler = await startHandler(201);
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--forward-to', handler.url], env);
    const body = messageLogged('log-fwd-1').replace('{', '{  "big": 12345678901234567890123, ');
    const token = signToken(SECRET, {});
    const answer = await post(listen.port, body, { Authorization: token });
    assert.equal(answer.status, 201);
    assert.deepEqual(JSON.parse(answer.body), { handled: 1 });
    assert.equal(answer.headers['x-handled-by'], 'test');
    assert.equal(handler.received.length, 1);
    assert.equal(sha256(handler.received[0]?.body ?? ''), sha256(body));
    assert.equal(handler.received[0]?.headers.authorization, token);
    assert.equal(handler.received[0]?.url, '/api/webhooks');
    const [line] = await listen.waitForStdoutLines(1);
    assert.match(line ?? '', /201/);
    assert.match(listen.stderr(), /forwarding accepted deliveries to http:\/\/127\.0\.0\.1/);
    await listen.stop();
  });

  it('F-03: a handler that is down gives the sender 502 and the delivery is still stored', async () => {
    const down = await startHandler();
    handlers.pop()?.(); // close it: nothing listens on that port now
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--forward-to', down.url], env);
    const answer = await post(listen.port, messageLogged('log-down'), {
      Authorization: signToken(SECRET, {}),
    });
    assert.equal(answer.status, 502);
    assert.doesNotMatch(answer.body, /127\.0\.0\.1/);
    await listen.stop();
    const opened = await DeliveryStore.open(store);
    try {
      const [summary] = opened.summaries();
      const record = await opened.get(summary?.id ?? '');
      assert.match(record?.attempts[0]?.error ?? '', /connection refused/);
    } finally {
      await opened.close();
    }
  });

  it('refuses a target that is not an http(s) URL', async () => {
    const result = await runCli(['listen', '--forward-to', 'ftp://example.com/x'], env);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--forward-to: The target must be an http:\/\/ or https:\/\/ URL/);
  });
});

describe('hooklens replay', () => {
  async function storeWithOneDelivery(): Promise<{ store: string; id: string; body: string }> {
    const store = await tempDir();
    const listen = await startListen(['--store', store], env);
    const body = messageLogged('log-replay');
    const expired = signToken(SECRET, { iss: 'watson' }, { nowMs: Date.now() - 86_400_000 });
    await post(listen.port, body, { Authorization: expired });
    await listen.stop();
    const opened = await DeliveryStore.open(store);
    const id = opened.summaries()[0]?.id ?? '';
    await opened.close();
    return { store, id, body };
  }

  it('F-05: replays with a fresh token that verifies, and records the attempt', async () => {
    const { store, id, body } = await storeWithOneDelivery();
    const handler = await startHandler();
    const result = await runCli(
      ['replay', id, '--store', store, '--to', handler.url, '--fresh-token'],
      env,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^${id}  200  .* ms  ${handler.url}  fresh signature\\n$`),
    );
    assert.match(result.stderr, /replayed 1: 1 answered 2xx/);
    const sent = handler.received[0];
    assert.equal(sha256(sent?.body ?? ''), sha256(body));
    const verdict = createVerifier([{ label: 'current', value: SECRET }]).verify(
      sent?.headers.authorization,
      Date.now(),
    );
    assert.equal(verdict.verdict, 'verified');
    assert.equal(verdict.claims?.iss, 'watson');
    assert.equal(sent?.headers['x-replay'], 'true');

    const opened = await DeliveryStore.open(store);
    try {
      const record = await opened.get(id);
      assert.equal(record?.attempts.length, 1);
      assert.equal(record?.attempts[0]?.kind, 'replay');
      assert.equal(record?.attempts[0]?.tokenMode, 'fresh');
    } finally {
      await opened.close();
    }
  });

  it('with the original (expired) token, the handler’s rejection is reported and the exit code is 1', async () => {
    const { store, id } = await storeWithOneDelivery();
    const handler = await startHandler(401);
    const result = await runCli(['replay', id, '--store', store, '--json'], {
      ...env,
      HOOKLENS_FORWARD_TO: handler.url,
    });
    assert.equal(result.status, 1);
    const line = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(line.deliveryId, id);
    assert.equal(line.status, 401);
    assert.equal(line.tokenMode, 'original');
    assert.equal(line.recorded, true);
  });

  it('explains unknown ids, a missing target and a missing secret', async () => {
    const { store, id } = await storeWithOneDelivery();
    const unknown = await runCli([
      'replay',
      'nope',
      '--store',
      store,
      '--to',
      'http://127.0.0.1:9/',
    ]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Not in the store: nope/);
    const noTarget = await runCli(['replay', id, '--store', store]);
    assert.equal(noTarget.status, 2);
    assert.match(noTarget.stderr, /--to URL is required/);
    const noSecret = await runCli([
      'replay',
      id,
      '--store',
      store,
      '--to',
      'http://127.0.0.1:9/',
      '--fresh-token',
    ]);
    assert.equal(noSecret.status, 1);
    assert.match(noSecret.stderr, /needs the secret in \$HOOKLENS_SECRET/);
  });
});

describe('hooklens replay --fresh-signature', () => {
  const STRIPE_SECRET = 'whsec_cli_replay_7f3a9c1e5b2d';
  const stripeEnv = { STRIPE_SECRET };
  const stripe = new Stripe('sk_test_hooklens');

  /** A webhook endpoint as Stripe's docs write it: constructEvent on the raw body, 400 if not. */
  async function startStripeHandler() {
    const answers: Array<{ status: number; message: string }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          const event = stripe.webhooks.constructEvent(
            Buffer.concat(chunks),
            String(request.headers['stripe-signature']),
            STRIPE_SECRET,
          );
          answers.push({ status: 200, message: event.type });
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ received: true }));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          answers.push({ status: 400, message });
          response.writeHead(400, { 'Content-Type': 'text/plain' });
          response.end(`Webhook Error: ${message}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    handlers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`,
      answers,
    };
  }

  const stripeBody = JSON.stringify(
    {
      id: 'evt_3PqXbZ2eZvKYlo2C1Jd0a9fW',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_3PqXbZ2eZvKYlo2C1abcdEFG', object: 'payment_intent' } },
    },
    null,
    2,
  );

  /** A Stripe delivery captured by listen, signed by Stripe's SDK `ageSeconds` ago. */
  async function capturedStripe(signWith: string, ageSeconds: number) {
    const store = await tempDir();
    const listen = await startListen(
      ['--store', store, '--secret-env', 'stripe:STRIPE_SECRET'],
      stripeEnv,
    );
    const signature = stripe.webhooks.generateTestHeaderString({
      payload: stripeBody,
      secret: signWith,
      timestamp: Math.floor(Date.now() / 1000) - ageSeconds,
    });
    await post(listen.port, stripeBody, { 'Stripe-Signature': signature }, '/webhooks/stripe');
    await listen.waitForStdoutLines(1);
    await listen.stop();
    const opened = await DeliveryStore.open(store);
    const summary = opened.summaries()[0];
    await opened.close();
    return { store, id: summary?.id ?? '', verdict: summary?.verdict };
  }

  it('a stale Stripe delivery: as captured constructEvent refuses it; re-signed it is accepted', async () => {
    // Captured an hour late: the signature matched, only its timestamp was too old.
    const { store, id, verdict } = await capturedStripe(STRIPE_SECRET, 3600);
    assert.equal(verdict, 'expired');
    const handler = await startStripeHandler();

    const asCaptured = await runCli(['replay', id, '--store', store, '--to', handler.url]);
    assert.equal(asCaptured.status, 1);
    assert.match(asCaptured.stdout, new RegExp(`^${id}  400 `));
    assert.match(handler.answers[0]?.message ?? '', /Timestamp outside the tolerance zone/);

    const resigned = await runCli(
      [
        'replay',
        id,
        '--store',
        store,
        '--to',
        handler.url,
        '--fresh-signature',
        '--secret-env',
        'stripe:STRIPE_SECRET',
      ],
      stripeEnv,
    );
    assert.equal(resigned.status, 0, resigned.stderr);
    assert.match(
      resigned.stdout,
      new RegExp(`^${id}  200  .* ms  ${handler.url}  fresh signature\\n$`),
    );
    assert.deepEqual(handler.answers[1], { status: 200, message: 'payment_intent.succeeded' });

    const opened = await DeliveryStore.open(store);
    try {
      const record = await opened.get(id);
      assert.deepEqual(
        record?.attempts.map((attempt) => [attempt.status, attempt.tokenMode]),
        [
          [400, 'original'],
          [200, 'fresh'],
        ],
      );
    } finally {
      await opened.close();
    }
  });

  it('a delivery whose signature failed is re-signed only with --resign-failed', async () => {
    const { store, id, verdict } = await capturedStripe('whsec_someone_else', 0);
    assert.equal(verdict, 'invalid_signature');
    const handler = await startStripeHandler();
    const args = ['replay', id, '--store', store, '--to', handler.url, '--fresh-signature'];
    const secrets = ['--secret-env', 'stripe:STRIPE_SECRET'];
    const refused = await runCli([...args, ...secrets], stripeEnv);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /failed verification when captured: .*\(Invalid signature\)/);
    assert.match(refused.stderr, /Add --resign-failed to re-sign it anyway/);
    assert.equal(handler.answers.length, 0, 'nothing was sent');

    const confirmed = await runCli([...args, ...secrets, '--resign-failed'], stripeEnv);
    assert.equal(confirmed.status, 0, confirmed.stderr);
    assert.equal(handler.answers[0]?.status, 200);

    const noSecret = await runCli([...args, '--resign-failed'], {});
    assert.equal(noSecret.status, 1);
    assert.match(
      noSecret.stderr,
      /needs the Stripe signing secret: give it with --secret-env stripe:NAME/,
    );
  });

  it('Discord cannot be re-signed, and says why', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store]);
    await post(
      listen.port,
      '{"type":1,"id":"1287654321098765432"}',
      {
        'X-Signature-Ed25519': 'ab'.repeat(64),
        'X-Signature-Timestamp': String(Math.floor(Date.now() / 1000)),
      },
      '/webhooks/discord',
    );
    await listen.waitForStdoutLines(1);
    await listen.stop();
    const opened = await DeliveryStore.open(store);
    const id = opened.summaries()[0]?.id ?? '';
    await opened.close();
    const result = await runCli([
      'replay',
      id,
      '--store',
      store,
      '--to',
      'http://127.0.0.1:9/',
      '--fresh-signature',
    ]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Discord signs with its private key, which only Discord has/);
    assert.match(result.stderr, /Replay it without --fresh-signature/);
  });
});
