// `hooklens listen --route/--routes/--fail-next/--fail-rate` as real processes (issue 17): three
// real handlers behind one receiver, each getting its provider's deliveries byte for byte and
// checking their signatures with the provider's own library; answers chosen by routes; failure
// simulation as a retrying sender sees it; and every choice recorded on the delivery.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import type { DeliveryRecord } from '../../src/core/delivery';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signToken } from '../../src/core/verify/sign';
import {
  cleanUp,
  messageLogged,
  post,
  runCli,
  startListen,
  tempDir,
  type PostResult,
} from './listenProcess';

const SECRETS = {
  HOOKLENS_SECRET: 'cli-routes-watson-secret-3f9a1c7e5b2d8406',
  STRIPE_SECRET: 'whsec_cliRoutesStripeSecret0123456789abcdef',
  GH_SECRET: 'cli-routes-github-secret-8e1d2c3b4a5f',
};
const secretArgs = [
  '--secret-env',
  'HOOKLENS_SECRET',
  '--secret-env',
  'stripe:STRIPE_SECRET',
  '--secret-env',
  'github:GH_SECRET',
];
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const stripe = new Stripe('sk_test_unused_by_these_tests');

let octokitSign: ((secret: string, payload: string) => Promise<string>) | undefined;
let octokitVerify:
  ((secret: string, payload: string, signature: string) => Promise<boolean>) | undefined;
before(async () => {
  // ESM-only package: loaded dynamically from this CommonJS test.
  const methods = await import('@octokit/webhooks-methods');
  octokitSign = methods.sign;
  octokitVerify = methods.verify;
});

const closers: Array<() => void> = [];
after(async () => {
  for (const close of closers) close();
  await cleanUp();
});

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly url: string;
  /** What the handler's own check (the provider's library) said. */
  readonly check: string;
}

/** A handler that checks each request its own way and answers with its name. */
async function startHandler(
  name: string,
  check: (body: Buffer, headers: IncomingHttpHeaders) => Promise<string> | string = () => 'none',
) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      void Promise.resolve()
        .then(() => check(body, request.headers))
        .catch(
          (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
        )
        .then((result) => {
          received.push({ headers: request.headers, body, url: request.url ?? '', check: result });
          response.writeHead(result.startsWith('failed') ? 400 : 200, {
            'Content-Type': 'application/json',
            'X-Handler': name,
          });
          response.end(JSON.stringify({ handler: name, check: result }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = (): void => {
    server.closeAllConnections();
    server.close();
  };
  closers.push(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}/hook`,
    received,
    close,
  };
}

function stripeEvent(type: string, id = `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`) {
  return JSON.stringify(
    {
      id,
      object: 'event',
      api_version: '2024-06-20',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: { id: 'pi_3PqT9aLkdIwHu7ix0o1b2c3d', object: 'payment_intent', amount: 2000 },
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

function stripeHeaders(body: string): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'Stripe-Signature': stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: SECRETS.STRIPE_SECRET,
    }),
  };
}

async function githubHeaders(event: string, body: string): Promise<Record<string, string>> {
  assert.ok(octokitSign);
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/5a1c3d2',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': randomUUID(),
    'X-Hub-Signature-256': await octokitSign(SECRETS.GH_SECRET, body),
  };
}

const githubPush = JSON.stringify({
  ref: 'refs/heads/main',
  repository: { full_name: 'octocat/hello', name: 'hello', owner: { login: 'octocat' } },
  pusher: { name: 'octocat' },
  sender: { login: 'octocat' },
  commits: [{ id: 'a1b2c3', message: 'Routes' }],
});

function watsonMessageReceived(text: string): string {
  return JSON.stringify({
    event: { name: 'message_received' },
    options: {},
    payload: {
      input: { message_type: 'text', text },
      context: { global: { session_id: 'c0ffee00-0d62-4b01-a28e-1743ff54d28d' } },
    },
  });
}

async function records(store: string): Promise<DeliveryRecord[]> {
  const opened = await DeliveryStore.open(store, { access: 'read' });
  try {
    const out: DeliveryRecord[] = [];
    for (const summary of [...opened.summaries()].reverse()) {
      const record = await opened.get(summary.id);
      if (record) out.push(record);
    }
    return out;
  } finally {
    await opened.close();
  }
}

describe('hooklens listen --route: several handlers behind one receiver', () => {
  it('Stripe, GitHub and Watson deliveries each reach their own handler byte for byte; the rest goes to --forward-to', async () => {
    const stripeHandler = await startHandler('stripe', (body, headers) => {
      const event = stripe.webhooks.constructEvent(
        body,
        String(headers['stripe-signature']),
        SECRETS.STRIPE_SECRET,
      );
      return `verified ${event.type}`;
    });
    const githubHandler = await startHandler('github', async (body, headers) => {
      assert.ok(octokitVerify);
      const ok = await octokitVerify(
        SECRETS.GH_SECRET,
        body.toString('utf8'),
        String(headers['x-hub-signature-256']),
      );
      return ok ? `verified ${String(headers['x-github-event'])}` : 'failed: bad signature';
    });
    const watsonHandler = await startHandler('watson', (_body, headers) => {
      const verdict = createVerifier([{ label: 'current', value: SECRETS.HOOKLENS_SECRET }]).verify(
        headers.authorization,
        Date.now(),
      );
      return verdict.verdict === 'verified' ? 'verified jwt' : `failed: ${verdict.verdict}`;
    });
    const catchAll = await startHandler('catchall');
    const store = await tempDir();
    const routesFile = join(store, '..', `${randomUUID()}-routes.json`);
    await writeFile(
      routesFile,
      JSON.stringify([{ name: 'watson', match: { provider: 'watson' }, to: watsonHandler.url }]),
    );
    const listen = await startListen(
      [
        '--store',
        store,
        ...secretArgs,
        '--routes',
        routesFile,
        '--route',
        `provider=stripe,event=payment_intent.*=>${stripeHandler.url}`,
        '--route',
        `provider=github,header.X-GitHub-Event=push=>${githubHandler.url}`,
        '--forward-to',
        catchAll.url,
      ],
      SECRETS,
    );
    // Said after the "listening on" line start-up waits for: waited for, not read at once.
    await listen.waitForStderr(/forwarding accepted deliveries no route takes to/);
    assert.match(listen.stderr(), /route watson: → http:\/\/127\.0\.0\.1:\d+\/watson\/hook/);

    const stripeBody = stripeEvent('payment_intent.succeeded');
    const githubBody = githubPush;
    const watsonBody = messageLogged('log-routes-1');
    const chargeBody = stripeEvent('charge.refunded');
    const watsonToken = signToken(SECRETS.HOOKLENS_SECRET, {});
    const answers: PostResult[] = [];
    answers.push(
      await post(listen.port, stripeBody, stripeHeaders(stripeBody), '/webhooks/stripe'),
    );
    answers.push(
      await post(
        listen.port,
        githubBody,
        await githubHeaders('push', githubBody),
        '/webhooks/github',
      ),
    );
    answers.push(await post(listen.port, watsonBody, { Authorization: watsonToken }, '/watson'));
    answers.push(
      await post(listen.port, chargeBody, stripeHeaders(chargeBody), '/webhooks/stripe'),
    );

    // The sender gets its handler's own answer.
    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.headers['x-handler']]),
      [
        [200, 'stripe'],
        [200, 'github'],
        [200, 'watson'],
        [200, 'catchall'],
      ],
    );
    // Each handler got exactly its deliveries, byte for byte, and its provider's check passed.
    assert.deepEqual(
      stripeHandler.received.map((got) => [sha256(got.body), got.check, got.url]),
      [[sha256(stripeBody), 'verified payment_intent.succeeded', '/stripe/hook']],
    );
    assert.deepEqual(
      githubHandler.received.map((got) => [sha256(got.body), got.check]),
      [[sha256(githubBody), 'verified push']],
    );
    assert.deepEqual(
      watsonHandler.received.map((got) => [sha256(got.body), got.check, got.headers.authorization]),
      [[sha256(watsonBody), 'verified jwt', watsonToken]],
    );
    assert.deepEqual(
      catchAll.received.map((got) => sha256(got.body)),
      [sha256(chargeBody)],
    );
    const lines = await listen.waitForStdoutLines(4);
    assert.match(lines[0] ?? '', /→ route provider=stripe,event=payment_intent\.\*$/);
    assert.match(lines[2] ?? '', /→ route watson$/);
    assert.doesNotMatch(lines[3] ?? '', /route/);
    await listen.stop();

    // The route is recorded on the delivery and on its forward attempt.
    const stored = await records(store);
    assert.deepEqual(
      stored.map((record) => [
        record.sender,
        record.verification.verdict,
        record.route?.name ?? null,
        record.attempts[0]?.route ?? null,
      ]),
      [
        [
          'stripe',
          'verified',
          'provider=stripe,event=payment_intent.*',
          'provider=stripe,event=payment_intent.*',
        ],
        [
          'github',
          'verified',
          'provider=github,header.X-GitHub-Event=push',
          'provider=github,header.X-GitHub-Event=push',
        ],
        ['watson', 'verified', 'watson', 'watson'],
        ['stripe', 'verified', null, null],
      ],
    );
    assert.deepEqual(stored[0]?.route, {
      name: 'provider=stripe,event=payment_intent.*',
      kind: 'forward',
      target: stripeHandler.url,
    });

    // hooklens stats breaks the figures down by route.
    const stats = await runCli(['stats', '--store', store]);
    assert.equal(stats.status, 0, stats.stderr);
    assert.match(stats.stdout, /^ROUTE +COUNT/m);
    assert.match(stats.stdout, /^watson +1 /m);
    assert.match(stats.stdout, /^\(no route\) +1 /m);
    const json = JSON.parse((await runCli(['stats', '--store', store, '--json'])).stdout) as {
      byRoute: Array<{ key: string | null; count: number }>;
    };
    assert.equal(json.byRoute.length, 4);
  });

  it('a route whose handler is down answers 502 like forwarding, keeps the delivery and records the failure', async () => {
    const down = await startHandler('down');
    down.close();
    const store = await tempDir();
    const listen = await startListen(
      ['--store', store, '--route', `provider=watson=>${down.url}`],
      SECRETS,
    );
    const answer = await post(listen.port, messageLogged('log-routes-down'), {
      Authorization: signToken(SECRETS.HOOKLENS_SECRET, {}),
    });
    assert.equal(answer.status, 502);
    assert.doesNotMatch(answer.body, /127\.0\.0\.1/, 'the sender does not learn the target');
    await listen.stop();
    const [record] = await records(store);
    assert.equal(record?.route?.name, 'provider=watson');
    assert.equal(record?.attempts[0]?.route, 'provider=watson');
    assert.match(record?.attempts[0]?.error ?? '', /connection refused/);
  });
});

describe('hooklens listen: chosen answers', () => {
  it('routes answer by themselves with the chosen status, delay, headers and templated bodies, and each is recorded', async () => {
    const handler = await startHandler('never');
    const store = await tempDir();
    const listen = await startListen(
      [
        '--store',
        store,
        '--route',
        'path=/slow*=>answer:503,delay=400,header.Retry-After=7,body=busy {id}',
        '--route',
        'provider=slack,event=url_verification=>answer:200,body={"challenge":"{challenge}"}',
        '--route',
        'provider=watson,event=message_received=>answer:200,body={"payload":{payload}}',
        '--forward-to',
        handler.url,
      ],
      SECRETS,
    );
    const started = Date.now();
    const slow = await post(
      listen.port,
      '{"type":"x"}',
      { Authorization: signToken(SECRETS.HOOKLENS_SECRET, {}) },
      '/slow/hook',
    );
    const waited = Date.now() - started;
    assert.equal(slow.status, 503);
    assert.equal(slow.headers['retry-after'], '7');
    assert.match(slow.body, /^busy [0-9a-z]+$/);
    assert.ok(waited >= 400, `answered after ${waited} ms`);

    const slackBody = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const slack = await post(listen.port, slackBody, {}, '/slack/events');
    assert.equal(slack.status, 200);
    assert.deepEqual(JSON.parse(slack.body), {
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });

    const watsonBody = watsonMessageReceived('Route me, "please"');
    const watson = await post(listen.port, watsonBody, {
      Authorization: signToken(SECRETS.HOOKLENS_SECRET, {}),
    });
    assert.equal(watson.status, 200);
    assert.equal(watson.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(watson.body), {
      payload: (JSON.parse(watsonBody) as { payload: unknown }).payload,
    });
    assert.equal(handler.received.length, 0, 'a chosen answer is not forwarded');
    const lines = await listen.waitForStdoutLines(3);
    assert.match(lines[0] ?? '', /\[chosen answer: route path=\/slow\*\]$/);
    await listen.stop();

    const stored = await records(store);
    assert.deepEqual(
      stored.map((record) => [record.route?.kind, record.route?.status, record.response?.status]),
      [
        ['answer', 503, 503],
        ['answer', 200, 200],
        ['answer', 200, 200],
      ],
    );
    assert.equal(stored[0]?.route?.delayMs, 400);
    assert.equal(
      stored[0]?.route?.note,
      'Answered by route path=/slow*: 503 after 400 ms (a chosen answer; not forwarded).',
    );
    assert.equal(stored[0]?.response?.body, `busy ${stored[0]?.id}`);
    assert.ok((stored[0]?.response?.timeMs ?? 0) >= 400);
  });

  it('--fail-next: a retrying sender sees the chosen failures, then its handler; each failure is marked', async () => {
    const handler = await startHandler(
      'stripe',
      (body, headers) =>
        stripe.webhooks.constructEvent(
          body,
          String(headers['stripe-signature']),
          SECRETS.STRIPE_SECRET,
        ).type,
    );
    const store = await tempDir();
    const listen = await startListen(
      ['--store', store, ...secretArgs, '--fail-next', '2:503', '--forward-to', handler.url],
      SECRETS,
    );
    assert.match(listen.stderr(), /failure simulation: failing the next 2 \(503\)/);
    const body = stripeEvent('payment_intent.created');
    const tries = await retryingSend(listen.port, body, () => stripeHeaders(body), 5);
    assert.deepEqual(
      tries.map((answer) => answer.status),
      [503, 503, 200],
    );
    assert.equal(tries[2]?.headers['x-handler'], 'stripe');
    assert.equal(handler.received.length, 1, 'the failed tries never reached the handler');
    const lines = await listen.waitForStdoutLines(3);
    assert.match(lines[0] ?? '', /\[simulated failure 503\]$/);
    await listen.stop();

    const stored = await records(store);
    assert.deepEqual(
      stored.map((record) => [
        record.response?.status,
        record.route?.name ?? null,
        record.duplicateOf === null,
      ]),
      [
        [503, 'fail-next', true],
        [503, 'fail-next', false],
        [200, null, false],
      ],
    );
    assert.equal(
      stored[1]?.route?.note,
      'Failure simulation: delivery 2 of the next 2 answered 503.',
    );
    const stats = await runCli(['stats', '--store', store]);
    assert.match(stats.stdout, /^fail-next +2 .* 100\.0%$/m);
  });

  it('--fail-rate 100: every try fails with the chosen status until the sender gives up', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--fail-rate', '100:429'], SECRETS);
    const body = messageLogged('log-rate');
    const tries = await retryingSend(
      listen.port,
      body,
      () => ({ Authorization: signToken(SECRETS.HOOKLENS_SECRET, {}) }),
      3,
    );
    assert.deepEqual(
      tries.map((answer) => answer.status),
      [429, 429, 429],
    );
    await listen.stop();
    const stored = await records(store);
    assert.deepEqual(
      stored.map((record) => record.route?.name),
      ['fail-rate', 'fail-rate', 'fail-rate'],
    );
  });
});

describe('hooklens listen --route: a value with a comma', () => {
  it('takes it in double quotes or with the comma escaped, and the help says how', async () => {
    const help = await runCli(['listen', '--help']);
    assert.equal(help.status, 0);
    assert.match(
      help.stdout,
      /a value with a comma\s+in double quotes, header\.X-Tags="a,b", or the comma escaped, a\\,b/,
    );
    const store = await tempDir();
    const listen = await startListen([
      '--store',
      store,
      '--route',
      'header.X-Tags="a,b"=>answer:202,body=quoted',
      '--route',
      'header.X-Tags=c\\,d,path=/escaped=>answer:203,body=escaped',
    ]);
    const quoted = await post(listen.port, '{"type":"t"}', { 'X-Tags': 'a,b' });
    const escaped = await post(listen.port, '{"type":"t"}', { 'X-Tags': 'c,d' }, '/escaped');
    const neither = await post(listen.port, '{"type":"t"}', { 'X-Tags': 'a' });
    await listen.stop();
    assert.deepEqual(
      [quoted.status, quoted.body, escaped.status, escaped.body, neither.status],
      [202, 'quoted', 203, 'escaped', 200],
    );
    assert.match(listen.stderr(), /route header\.X-Tags="a,b": answers 202/);
    const stored = await records(store);
    assert.deepEqual(
      stored.map((record) => record.route?.name ?? null),
      ['header.X-Tags="a,b"', 'path=/escaped,header.X-Tags="c,d"', null],
    );
  });
});

describe('hooklens replay follows routes', () => {
  it("a delivery's replay goes where its route sends it, unless --to names a URL", async () => {
    const first = await startHandler('first');
    const second = await startHandler('second');
    const picked = await startHandler('picked');
    const store = await tempDir();
    const listen = await startListen([
      '--store',
      store,
      '--route',
      `provider=github=>${first.url}`,
      '--route',
      'path=/answered*=>answer:202',
    ]);
    const github = await post(
      listen.port,
      githubPush,
      { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': randomUUID() },
      '/webhooks/github',
    );
    const plain = await post(listen.port, '{"type":"plain"}', {}, '/plain');
    const answered = await post(listen.port, '{"type":"answered"}', {}, '/answered');
    await listen.stop();
    assert.deepEqual([github.status, plain.status, answered.status], [200, 200, 202]);
    assert.equal(first.received.length, 1);
    const [githubRecord, plainRecord, answeredRecord] = await records(store);
    assert.ok(githubRecord && plainRecord && answeredRecord);
    assert.equal(githubRecord.route?.name, 'provider=github');

    // No --to: the route the delivery took when it arrived.
    const recorded = await runCli(['replay', githubRecord.id, '--store', store, '--json']);
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.equal(first.received.length, 2, 'replayed to its route’s handler');
    assert.equal(first.received[1]?.body.toString('utf8'), githubPush, 'byte for byte');
    const recordedLine = JSON.parse(recorded.stdout) as Record<string, unknown>;
    assert.equal(recordedLine.route, 'provider=github');
    assert.equal(recordedLine.target, first.url);
    assert.equal(recordedLine.recorded, true);

    // --route given: the rules are matched again on the stored delivery, as listen would now.
    const rules = await runCli([
      'replay',
      githubRecord.id,
      '--store',
      store,
      '--route',
      'provider=stripe=>http://127.0.0.1:9/never',
      '--route',
      `provider=github,header.X-GitHub-Event=push=>${second.url}`,
    ]);
    assert.equal(rules.status, 0, rules.stderr);
    assert.equal(second.received.length, 1);
    assert.match(rules.stdout, /route provider=github,header\.X-GitHub-Event=push/);

    // --to wins over every route; a route with --to is refused as contradictory.
    const to = await runCli(['replay', githubRecord.id, '--store', store, '--to', picked.url]);
    assert.equal(to.status, 0, to.stderr);
    assert.equal(picked.received.length, 1);
    assert.doesNotMatch(to.stdout, / route /);
    const both = await runCli([
      'replay',
      githubRecord.id,
      '--store',
      store,
      '--to',
      picked.url,
      '--route',
      `*=>${second.url}`,
    ]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--to sends every delivery to one URL/);

    // No route and no catch-all: said before anything is sent; $HOOKLENS_FORWARD_TO is the catch-all.
    const nowhere = await runCli(['replay', plainRecord.id, githubRecord.id, '--store', store]);
    assert.equal(nowhere.status, 2, nowhere.stderr);
    assert.match(
      nowhere.stderr,
      /--to URL is required \(or set \$HOOKLENS_FORWARD_TO\): no route sends this delivery to a handler, so nothing was replayed\./,
    );
    assert.match(nowhere.stderr, new RegExp(`\\n {2}${plainRecord.id}: it took no route\\.`));
    assert.equal(first.received.length, 2, 'nothing sent');
    const viaCatchAll = await runCli(
      ['replay', plainRecord.id, githubRecord.id, '--store', store],
      {
        HOOKLENS_FORWARD_TO: picked.url,
      },
    );
    assert.equal(viaCatchAll.status, 0, viaCatchAll.stderr);
    assert.equal(picked.received.length, 2);
    assert.equal(first.received.length, 3, 'the routed one still goes to its route');

    // A route that answered by itself has no handler: it needs --to (or the catch-all).
    const chosen = await runCli(['replay', answeredRecord.id, '--store', store]);
    assert.equal(chosen.status, 2);
    assert.match(
      chosen.stderr,
      /its route path=\/answered\* answered 202 by itself, so there is no handler to replay it to/,
    );

    // Each attempt records the route it went to.
    const after = await records(store);
    const attempts = after.find((record) => record.id === githubRecord.id)?.attempts ?? [];
    assert.deepEqual(
      attempts
        .filter((attempt) => attempt.kind === 'replay')
        .map((attempt) => attempt.route ?? null),
      ['provider=github', 'provider=github,header.X-GitHub-Event=push', null, 'provider=github'],
    );
  });
});

describe('hooklens listen: route safety and validation', () => {
  it('refuses bad rules with clear messages, before listening', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['--route', 'provider=strpe=>http://127.0.0.1:9/'],
        /--route 'provider=strpe=>http:\/\/127\.0\.0\.1:9\/': unknown provider 'strpe'/,
      ],
      [['--route', 'event=push.[ab]=>http://127.0.0.1:9/'], /event: 'push\.\[ab\]' uses '\['/],
      [['--route', '*=>answer:700'], /the answer status 700 is out of range: use 200 to 599/],
      [['--route', '*=>localhost:3000'], /bad target URL/],
      [
        [
          '--route',
          'provider=github=>http://127.0.0.1:9/',
          '--route',
          'provider=github=>answer:200',
        ],
        /two routes are called provider=github/,
      ],
      [['--fail-next', '3:200'], /--fail-next: the failure status 200 is out of range/],
      [['--fail-rate', '150'], /--fail-rate: '150' is not PERCENT/],
      [
        ['--routes', '/nonexistent/routes.json'],
        /--routes \/nonexistent\/routes\.json: the file could not be read/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['listen', '--port', '0', ...args], SECRETS);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });

  it('a --routes file with bad rules: each is named with what it says and what is wrong; nothing listens', async () => {
    const file = join(await tempDir(), 'routes.json');
    await writeFile(
      file,
      JSON.stringify([
        'provider=github=>http://127.0.0.1:9/',
        'provider=strpe=>http://127.0.0.1:9/',
        { name: 'slow', match: 'path=/slow*', answer: { status: 700 } },
      ]),
    );
    const result = await runCli(['listen', '--port', '0', '--routes', file], SECRETS);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /--routes .*routes\.json: 2 rules cannot be used:\n/);
    assert.match(
      result.stderr,
      /\n {2}route 2 \(provider=strpe=>http:\/\/127\.0\.0\.1:9\/\): unknown provider 'strpe'/,
    );
    assert.match(
      result.stderr,
      /\n {2}route 3 \(\{"name":"slow","match":"path=\/slow\*","answer":\{"status":700\}\}\): the answer status 700 is out of range/,
    );
    assert.doesNotMatch(result.stderr, /listening on/);
  });

  it('refuses a route whose target is the receiver itself (it would loop)', async () => {
    const free = await startHandler('free');
    free.close();
    const port = new URL(free.url).port;
    const result = await runCli(
      [
        'listen',
        '--port',
        port,
        '--store',
        await tempDir(),
        '--route',
        `provider=github=>http://localhost:${port}/again`,
      ],
      SECRETS,
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      /Route provider=github is off: http:\/\/localhost:\d+\/again is this receiver itself/,
    );
  });
});

/** A sender that retries non-2xx answers right away, up to `attempts` tries. */
async function retryingSend(
  port: number,
  body: string,
  headers: () => Record<string, string>,
  attempts: number,
): Promise<PostResult[]> {
  const tries: PostResult[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const answer = await post(port, body, headers());
    tries.push(answer);
    if (answer.status >= 200 && answer.status < 300) break;
    await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
  }
  return tries;
}
