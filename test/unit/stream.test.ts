// The live stream on real sockets: a real store in a temp folder, the real receiver with the hub
// on its upgrade hook, the real ingest pipeline, and ws or raw TCP clients (7C L-06), and the
// challenge-response handshake against real and fake peers (issue 14 item 5).
import assert from 'node:assert/strict';
import { chmod, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { DeliveryRecord } from '../../src/core/delivery';
import { exportDelivery } from '../../src/core/export/exportRecord';
import { Ingestor } from '../../src/core/receiver/ingest';
import {
  startReceiver,
  type Refusal,
  type RunningReceiver,
} from '../../src/core/receiver/receiverServer';
import {
  readReceiverInfo,
  receiverInfoPath,
  removeReceiverInfo,
  writeReceiverInfo,
} from '../../src/core/stream/receiverInfo';
import {
  CHALLENGE_HEADER,
  CLIENT_NONCE_HEADER,
  CLIENT_PROOF_HEADER,
  SERVER_NONCE_HEADER,
  checkStreamPeer,
  clientProof,
  formatChallenge,
  newNonce,
  newRunId,
  parseChallenge,
  runKey,
  serverProof,
  type PeerCheck,
} from '../../src/core/stream/streamAuth';
import {
  STREAM_PATH,
  StreamHub,
  type StreamHubOptions,
  type StreamMessage,
} from '../../src/core/stream/streamHub';
import {
  ensureStreamToken,
  readStreamToken,
  streamTokenPath,
} from '../../src/core/stream/streamToken';
import type { DeliveryStore } from '../../src/core/store/deliveryStore';
import { anAttempt } from './builders';
import { useStoreFixtures } from './storeFixtures';

// Registered before the store fixtures' own `after`, so sockets close before stores do.
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const fixtures = useStoreFixtures('hooklens-stream-');

interface Setup {
  readonly dir: string;
  readonly store: DeliveryStore;
  readonly token: string;
  readonly hub: StreamHub;
  readonly receiver: RunningReceiver;
  readonly port: number;
  readonly logs: string[];
  readonly refusals: Refusal[];
  /** Stops this run (hub and receiver); the store stays open. */
  readonly stop: () => Promise<void>;
}

async function setup(
  hubOptions: Partial<StreamHubOptions> = {},
  /** A later run of an earlier setup: the same store (and token), on the same port. */
  previous?: Setup,
): Promise<Setup> {
  const dir = previous?.dir ?? (await fixtures.tempDir());
  const store = previous?.store ?? (await fixtures.open(dir));
  const token = await ensureStreamToken(dir);
  const logs: string[] = [];
  const refusals: Refusal[] = [];
  const hub = new StreamHub(store, { token, log: (line) => logs.push(line), ...hubOptions });
  const ingestor = new Ingestor(store, { policy: 'accept' });
  const receiver = await startReceiver(
    {
      host: '127.0.0.1',
      port: previous?.port ?? 0,
      onUpgrade: (req, socket, head) => hub.handleUpgrade(req, socket, head),
    },
    async (captured) => (await ingestor.ingest(captured)).answer,
    (refusal) => refusals.push(refusal),
  );
  const stop = async (): Promise<void> => {
    hub.dispose();
    await receiver.stop(100);
    ingestor.dispose();
  };
  cleanups.push(stop);
  return { dir, store, token, hub, receiver, port: receiver.port, logs, refusals, stop };
}

/** Step 1 against a real hub: the headers (client nonce, server nonce, proof) that open it once. */
async function proofHeaders(port: number, token: string): Promise<Record<string, string>> {
  const peer = await checkStreamPeer({ host: '127.0.0.1', port }, token);
  assert.equal(peer.kind, 'proven', JSON.stringify(peer));
  return peer.kind === 'proven' ? peer.headers : {};
}

function headerPairs(headers: Record<string, string>): Array<[string, string]> {
  return Object.entries(headers);
}

/** Step 1 by hand: the challenge a hub answers to `clientNonce`. */
async function challengeFor(
  port: number,
  clientNonce: string,
): Promise<{ exchange: RawExchange; runId: string; serverNonce: string; serverProof: string }> {
  const exchange = await rawUpgrade(port, { headers: [[CLIENT_NONCE_HEADER, clientNonce]] });
  const line = new RegExp(`^${CHALLENGE_HEADER}: (.*)$`, 'im').exec(exchange.text)?.[1];
  const challenge = parseChallenge(line?.trim());
  assert.ok(challenge, exchange.text);
  return { exchange, ...challenge };
}

interface Client {
  readonly ws: WebSocket;
  readonly messages: StreamMessage[];
  /** Resolves with the message at `index` (0 is hello) once it has arrived. */
  message(index: number, timeoutMs?: number): Promise<StreamMessage>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A ws client that first makes the hub prove itself, then opens the stream with its own proof. */
async function openClient(port: number, token: string): Promise<Client> {
  const headers = await proofHeaders(port, token);
  const ws = new WebSocket(`ws://127.0.0.1:${port}${STREAM_PATH}`, {
    headers,
    maxPayload: 256 * 1024 * 1024,
  });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as StreamMessage);
    for (const waiter of [...waiters]) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  cleanups.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        closed,
        message: (index, timeoutMs = 5_000) =>
          new Promise((done, fail) => {
            const check = (): void => {
              const found = messages[index];
              if (found === undefined) return;
              waiters.delete(check);
              clearTimeout(timer);
              done(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no message ${index}; got ${messages.length}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      }),
    );
  });
}

interface RawExchange {
  readonly status: number;
  readonly text: string;
  /** The server closed the connection (it did not wait for our timeout). */
  readonly closedByServer: boolean;
}

/** A handshake over raw TCP; collects everything until the server closes (or 2 s pass). */
function rawUpgrade(
  port: number,
  options: {
    path?: string;
    host?: string | null;
    headers?: Array<[string, string]>;
    method?: string;
    upgrade?: string;
  },
): Promise<RawExchange> {
  const lines = [`${options.method ?? 'GET'} ${options.path ?? STREAM_PATH} HTTP/1.1`];
  const host = options.host === undefined ? `127.0.0.1:${port}` : options.host;
  if (host !== null) lines.push(`Host: ${host}`);
  lines.push(
    'Connection: Upgrade',
    `Upgrade: ${options.upgrade ?? 'websocket'}`,
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  );
  for (const [name, value] of options.headers ?? []) lines.push(`${name}: ${value}`);
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), 2_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // Upgraded: the answer is complete once its head is; the stream itself is not wanted here.
      if (text.startsWith('HTTP/1.1 101 ') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => (closedByServer = true));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text, closedByServer });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** Opens a raw stream connection that completes the handshake and then never reads a byte. */
async function stalledClient(port: number, token: string): Promise<Socket> {
  const proof = headerPairs(await proofHeaders(port, token)).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    cleanups.push(() => void socket.destroy());
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause(); // From now on nothing is read: the kernel buffers fill, then ws's.
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`no handshake: ${chunk.toString('latin1')}`));
        return;
      }
      resolve(socket);
    });
    socket.write(
      [
        `GET ${STREAM_PATH} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...proof,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

interface Posted {
  readonly status: number;
  readonly body: string;
}

function post(
  port: number,
  body: string,
  headers: Record<string, string> = {},
  path = '/webhook',
): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const INGEST_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YXRzb24ifQ.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw';

describe('live stream: messages', () => {
  it('the token holder gets hello, delivery.new in the export shape (no token), then delivery.updated with the attempts', async () => {
    const { port, token, store, dir } = await setup();
    const client = await openClient(port, token);
    const hello = await client.message(0);
    assert.deepEqual(hello, { type: 'hello', version: 1, store: store.dir });
    assert.equal(store.dir, dir);

    const answer = await post(
      port,
      JSON.stringify({
        event: { name: 'message_logged' },
        payload: { log_id: 'L1', session_id: 'S1' },
      }),
      { Authorization: `Bearer ${INGEST_TOKEN}` },
    );
    assert.equal(answer.status, 200);
    const { id } = JSON.parse(answer.body) as { id: string };

    const created = await client.message(1);
    assert.equal(created.type, 'delivery.new');
    assert.ok(created.type === 'delivery.new');
    const stored = (await store.get(id)) as DeliveryRecord;
    assert.deepEqual(created.delivery, JSON.parse(JSON.stringify(exportDelivery(stored))));
    assert.equal(created.delivery.id, id);
    assert.equal(created.delivery.event, 'message_logged');
    assert.deepEqual(created.attempts, {
      count: 0,
      latestKind: null,
      latestStatus: null,
      latestError: null,
    });
    const authorization = created.delivery.headers.find(([name]) => /^authorization$/i.test(name));
    assert.deepEqual(authorization, ['Authorization', 'Bearer [redacted]']);

    await store.update(id, (record) => ({
      ...record,
      attempts: [...record.attempts, anAttempt(202, 7, { id: 'attempt-1' })],
    }));
    const updated = await client.message(2);
    assert.ok(updated.type === 'delivery.updated');
    assert.equal(updated.delivery.id, id);
    assert.equal(updated.delivery.status, 202);
    assert.equal(updated.delivery.retryCount, 1);
    assert.deepEqual(updated.attempts, {
      count: 1,
      latestKind: 'replay',
      latestStatus: 202,
      latestError: null,
    });

    await store.delete([id]);
    assert.deepEqual(await client.message(3), { type: 'delivery.deleted', ids: [id] });
    await store.clear();
    assert.deepEqual(await client.message(4), { type: 'deliveries.cleared' });

    const everything = JSON.stringify(client.messages);
    assert.ok(!everything.includes(INGEST_TOKEN), 'the ingest token never reaches the stream');
    assert.ok(!everything.includes(token), 'the stream token is never echoed');
  });

  it('two clients that each proved themselves both get every delivery', async () => {
    const { port, token, hub } = await setup();
    const one = await openClient(port, token);
    const two = await openClient(port, token);
    assert.equal((await one.message(0)).type, 'hello');
    assert.equal((await two.message(0)).type, 'hello');
    assert.equal(hub.clientCount, 2);
    await post(port, '{"id":"q1"}');
    assert.equal((await one.message(1)).type, 'delivery.new');
    assert.equal((await two.message(1)).type, 'delivery.new');
  });

  it('a client that sends anything is closed (1008); the stream takes no input', async () => {
    const { port, token, hub } = await setup();
    const client = await openClient(port, token);
    await client.message(0);
    client.ws.send('{"type":"replay","id":"x"}');
    assert.equal((await client.closed).code, 1008);
    await waitUntil(() => hub.clientCount === 0, 'the client to be forgotten');
  });

  it('a frame over the small maxPayload closes the client (1009)', async () => {
    const { port, token } = await setup();
    const client = await openClient(port, token);
    await client.message(0);
    client.ws.send('x'.repeat(64 * 1024));
    assert.equal((await client.closed).code, 1009);
  });

  it('with no client connected, store changes cause no reads', async () => {
    const { port, store, token } = await setup();
    const read: string[] = [];
    const get = store.get.bind(store);
    store.get = (id: string) => {
      read.push(id);
      return get(id);
    };
    for (let index = 0; index < 5; index++) await post(port, `{"id":"n${index}"}`);
    // The hub reads in order, one at a time: once a client has the next delivery, any read
    // queued for the five before it would have happened already.
    const client = await openClient(port, token);
    await client.message(0);
    const answer = await post(port, '{"id":"seen"}');
    const { id } = JSON.parse(answer.body) as { id: string };
    const created = await client.message(1);
    assert.ok(created.type === 'delivery.new' && created.delivery.id === id);
    assert.deepEqual(read, [id], 'only the delivery stored while a client listened was read');
  });
});

describe('live stream: refused before the upgrade (L-06)', () => {
  it('L-06: no proof, the token itself (Bearer, ?token=), any Origin, a foreign Host, another path: plain HTTP errors, closed, nothing streamed, nothing secret logged', async () => {
    const { port, token, hub, logs, refusals } = await setup();
    const sameLength = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(sameLength.length, token.length);
    // Cases that would pass but for one thing carry a fresh valid proof (each opens the stream once).
    const proof = async (): Promise<Array<[string, string]>> =>
      headerPairs(await proofHeaders(port, token));
    const cases: Array<{
      name: string;
      expected: number;
      options: () => Parameters<typeof rawUpgrade>[1] | Promise<Parameters<typeof rawUpgrade>[1]>;
    }> = [
      { name: 'nothing', expected: 401, options: () => ({}) },
      {
        name: 'the right token as Bearer',
        expected: 401,
        options: () => ({ headers: [['Authorization', `Bearer ${token}`]] }),
      },
      {
        name: 'the right token in the query',
        expected: 401,
        options: () => ({ path: `${STREAM_PATH}?token=${token}` }),
      },
      {
        name: 'a wrong token, same length, as Bearer',
        expected: 401,
        options: () => ({ headers: [['Authorization', `Bearer ${sameLength}`]] }),
      },
      {
        name: 'a malformed client nonce',
        expected: 401,
        options: () => ({ headers: [[CLIENT_NONCE_HEADER, 'short']] }),
      },
      {
        name: 'the client nonce twice',
        expected: 401,
        options: () => ({
          headers: [
            [CLIENT_NONCE_HEADER, newNonce()],
            [CLIENT_NONCE_HEADER, newNonce()],
          ],
        }),
      },
      {
        name: 'foreign Origin',
        expected: 403,
        options: async () => ({
          headers: [...(await proof()), ['Origin', 'https://evil.example']],
        }),
      },
      {
        name: 'Origin null',
        expected: 403,
        options: async () => ({ headers: [...(await proof()), ['Origin', 'null']] }),
      },
      {
        name: 'LAN Origin',
        expected: 403,
        options: async () => ({ headers: [...(await proof()), ['Origin', 'http://192.168.1.5']] }),
      },
      {
        name: 'the receiver itself as Origin',
        expected: 403,
        options: async () => ({
          headers: [...(await proof()), ['Origin', `http://127.0.0.1:${port}`]],
        }),
      },
      {
        name: 'same host, other port',
        expected: 403,
        options: async () => ({
          headers: [...(await proof()), ['Origin', `http://127.0.0.1:${port + 1}`]],
        }),
      },
      {
        name: 'foreign Host',
        expected: 421,
        options: async () => ({ host: `evil.example.com:${port}`, headers: await proof() }),
      },
      {
        name: 'rebinding Host',
        expected: 421,
        options: async () => ({ host: `localhost.evil.com:${port}`, headers: await proof() }),
      },
      {
        name: 'Host 0.0.0.0',
        expected: 421,
        options: async () => ({ host: `0.0.0.0:${port}`, headers: await proof() }),
      },
      {
        name: 'foreign Host beats a foreign Origin and no proof',
        expected: 421,
        options: () => ({ host: 'evil.test', headers: [['Origin', 'http://evil.test']] }),
      },
      {
        name: 'another path',
        expected: 404,
        options: async () => ({ path: '/webhook', headers: await proof() }),
      },
      {
        name: 'a path that only starts like the stream',
        expected: 404,
        options: async () => ({ path: `${STREAM_PATH}/x`, headers: await proof() }),
      },
      {
        name: 'not GET',
        expected: 405,
        options: async () => ({ method: 'POST', headers: await proof() }),
      },
    ];
    for (const { name, expected, options } of cases) {
      const result = await rawUpgrade(port, await options());
      assert.equal(result.status, expected, `${name}: ${result.text}`);
      assert.ok(result.closedByServer, `${name}: the server closes the socket`);
      assert.ok(!result.text.includes('101 Switching'), `${name}: never upgraded`);
      assert.ok(!/sec-websocket-accept/i.test(result.text), `${name}: no handshake answer`);
      assert.ok(!result.text.includes(token), `${name}: the token is never echoed`);
      assert.ok(!/access-control-/i.test(result.text), `${name}: no CORS headers`);
      assert.ok(!result.text.includes(CHALLENGE_HEADER), `${name}: no challenge`);
    }
    assert.equal(hub.clientCount, 0);
    // Every refusal the hub made is logged, by path only: never the token, the query or a proof.
    assert.equal(logs.length, cases.length - 4, logs.join('\n'));
    const logged = logs.join('\n');
    assert.ok(!logged.includes(token));
    assert.ok(!logged.includes('token='), logged);
    assert.match(logged, /refused 401 .*the token itself is never accepted/);
    assert.ok(refusals.every((refusal) => refusal.status === 421));
    assert.ok(!JSON.stringify(refusals).includes(token));
  });

  it('a refused client never receives a delivery, and a proven one in the same moment does', async () => {
    const { port, token } = await setup();
    const refused = connect({ port, host: '127.0.0.1' });
    let refusedText = '';
    refused.setEncoding('latin1').on('data', (chunk: string) => (refusedText += chunk));
    refused.on('error', () => undefined);
    const refusedClosed = new Promise<void>((resolve, reject) => {
      // Bounded, so an upgraded (wrongly admitted) socket fails the test instead of hanging it.
      const timer = setTimeout(() => reject(new Error(`still open: ${refusedText}`)), 5_000);
      refused.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    refused.write(
      `GET ${STREAM_PATH}?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const good = await openClient(port, token);
    await post(port, '{"id":"visible-only-to-token-holders"}');
    await good.message(1);
    // The server closes a refused socket itself; once it has, nothing more can reach it.
    await refusedClosed;
    assert.match(refusedText, /^HTTP\/1\.1 401 /);
    assert.ok(!refusedText.includes('visible-only-to-token-holders'));
  });
});

/** What a fake peer saw of each request made to it. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly raw: string;
}

/**
 * A fake "receiver" on its own port. Every request (upgrade or not) is recorded, raw, and answered
 * by `answer`, which writes the whole HTTP response to the socket.
 */
async function fakePeer(
  answer: (request: IncomingMessage, socket: Socket, port: number) => void,
): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const upgraded = new Set<Socket>();
  const server = createServer((request, response) => {
    response.statusCode = 500;
    response.end();
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      raw: JSON.stringify(request.rawHeaders),
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      raw: `${request.method ?? ''} ${request.url ?? ''} ${JSON.stringify(request.rawHeaders)}`,
    });
    socket.on('error', () => undefined);
    upgraded.add(socket);
    answer(request, socket, (server.address() as AddressInfo).port);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        // Upgrade sockets are the fake's own to end (half-open ones never close by themselves).
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, seen };
}

function answerRaw(socket: Socket, status: string, headers: Array<[string, string]>): void {
  const head = [`HTTP/1.1 ${status}`, 'Connection: close', 'Content-Length: 0'];
  for (const [name, value] of headers) head.push(`${name}: ${value}`);
  socket.end(`${head.join('\r\n')}\r\n\r\n`);
}

function nonceOf(request: IncomingMessage): string {
  return String(request.headers[CLIENT_NONCE_HEADER.toLowerCase()] ?? '');
}

describe('live stream: the handshake (issue 14 item 5)', () => {
  it('step 1: a client nonce alone gets 401 and a challenge proving the hub holds the token for this port and run; nothing is logged or upgraded', async () => {
    const { port, token, hub, logs } = await setup();
    const clientNonce = newNonce();
    const challenge = await challengeFor(port, clientNonce);
    assert.equal(challenge.exchange.status, 401);
    assert.match(challenge.exchange.text, /^WWW-Authenticate: HookLens-Stream\r$/im);
    assert.match(challenge.exchange.text, /^Cache-Control: no-store\r$/im);
    assert.ok(!challenge.exchange.text.includes(token));
    assert.equal(challenge.runId, hub.runId);
    const key = runKey(token, hub.runId);
    assert.equal(challenge.serverProof, serverProof(key, port, clientNonce, challenge.serverNonce));
    // The proof is bound to the port, the client nonce and the run: none of them can be swapped.
    assert.notEqual(
      challenge.serverProof,
      serverProof(key, port + 1, clientNonce, challenge.serverNonce),
    );
    assert.notEqual(
      challenge.serverProof,
      serverProof(key, port, newNonce(), challenge.serverNonce),
    );
    assert.notEqual(
      challenge.serverProof,
      serverProof(runKey(token, newRunId()), port, clientNonce, challenge.serverNonce),
    );
    // Not a proof a client could pass off as its own (the roles differ).
    assert.notEqual(
      challenge.serverProof,
      clientProof(key, port, clientNonce, challenge.serverNonce),
    );
    assert.equal(hub.clientCount, 0);
    assert.deepEqual(logs, []);
    // A fresh server nonce each time, even for the same client nonce.
    const again = await challengeFor(port, clientNonce);
    assert.notEqual(again.serverNonce, challenge.serverNonce);
  });

  it('a peer that cannot prove it holds the token gets only a random client nonce; the client refuses it', async () => {
    const token = await ensureStreamToken(await fixtures.tempDir());
    const otherToken = await ensureStreamToken(await fixtures.tempDir());
    const runId = newRunId();
    // What each kind of impostor answers to step 1.
    const impostors: Array<{
      name: string;
      answer: (request: IncomingMessage, socket: Socket, port: number) => void;
      expected: PeerCheck['kind'];
      expectedRunId?: string;
    }> = [
      {
        name: 'a random proof',
        expected: 'unproven',
        answer: (_request, socket) =>
          answerRaw(socket, '401 Unauthorized', [
            [
              CHALLENGE_HEADER,
              formatChallenge({ runId, serverNonce: newNonce(), serverProof: newNonce() }),
            ],
          ]),
      },
      {
        name: "another store's token",
        expected: 'unproven',
        answer: (request, socket, port) => {
          const serverNonce = newNonce();
          const proof = serverProof(runKey(otherToken, runId), port, nonceOf(request), serverNonce);
          answerRaw(socket, '401 Unauthorized', [
            [CHALLENGE_HEADER, formatChallenge({ runId, serverNonce, serverProof: proof })],
          ]);
        },
      },
      {
        name: 'a right proof made for another port (a relay to the real receiver)',
        expected: 'unproven',
        answer: (request, socket, port) => {
          const serverNonce = newNonce();
          const proof = serverProof(runKey(token, runId), port + 1, nonceOf(request), serverNonce);
          answerRaw(socket, '401 Unauthorized', [
            [CHALLENGE_HEADER, formatChallenge({ runId, serverNonce, serverProof: proof })],
          ]);
        },
      },
      {
        name: 'a right proof for another client nonce (a replayed challenge)',
        expected: 'unproven',
        answer: (_request, socket, port) => {
          const serverNonce = newNonce();
          const proof = serverProof(runKey(token, runId), port, newNonce(), serverNonce);
          answerRaw(socket, '401 Unauthorized', [
            [CHALLENGE_HEADER, formatChallenge({ runId, serverNonce, serverProof: proof })],
          ]);
        },
      },
      {
        name: 'a right proof, but of a run other than the one receiver.json records',
        expected: 'unproven',
        expectedRunId: newRunId(),
        answer: (request, socket, port) => {
          const serverNonce = newNonce();
          const proof = serverProof(runKey(token, runId), port, nonceOf(request), serverNonce);
          answerRaw(socket, '401 Unauthorized', [
            [CHALLENGE_HEADER, formatChallenge({ runId, serverNonce, serverProof: proof })],
          ]);
        },
      },
      {
        name: 'the client nonce echoed as the proof',
        expected: 'unproven',
        answer: (request, socket) =>
          answerRaw(socket, '401 Unauthorized', [
            [
              CHALLENGE_HEADER,
              formatChallenge({
                runId,
                serverNonce: nonceOf(request),
                serverProof: nonceOf(request),
              }),
            ],
          ]),
      },
      {
        name: 'a malformed challenge',
        expected: 'unproven',
        answer: (_request, socket) =>
          answerRaw(socket, '401 Unauthorized', [[CHALLENGE_HEADER, 'v1 run=x, nonce=y, proof=z']]),
      },
      {
        name: 'a 401 asking for a Bearer token',
        expected: 'unproven',
        answer: (_request, socket) =>
          answerRaw(socket, '401 Unauthorized', [['WWW-Authenticate', 'Bearer']]),
      },
      {
        name: 'an upgrade without any challenge',
        expected: 'unproven',
        answer: (request, socket) =>
          socket.write(
            `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${String(request.headers['sec-websocket-key'])}\r\n\r\n`,
          ),
      },
      {
        name: 'not a HookLens receiver (404)',
        expected: 'refused',
        answer: (_request, socket) => answerRaw(socket, '404 Not Found', []),
      },
    ];
    for (const impostor of impostors) {
      const fake = await fakePeer(impostor.answer);
      const check = await checkStreamPeer({ host: '127.0.0.1', port: fake.port }, token, {
        ...(impostor.expectedRunId === undefined ? {} : { expectedRunId: impostor.expectedRunId }),
      });
      assert.equal(check.kind, impostor.expected, `${impostor.name}: ${JSON.stringify(check)}`);
      assert.ok(!('headers' in check), `${impostor.name}: no proof to send`);
      // What the impostor got: one request, a path with no query, and a client nonce, nothing else.
      assert.equal(fake.seen.length, 1, impostor.name);
      const [request] = fake.seen;
      assert.equal(request?.url, STREAM_PATH, impostor.name);
      assert.deepEqual(
        Object.keys(request?.headers ?? {}).sort(),
        [
          'connection',
          'host',
          'sec-websocket-key',
          'sec-websocket-version',
          'upgrade',
          CLIENT_NONCE_HEADER.toLowerCase(),
        ].sort(),
        impostor.name,
      );
      assert.ok(!request?.raw.includes(token), `${impostor.name}: never the token`);
      assert.ok(!/authorization|proof/i.test(request?.raw ?? ''), impostor.name);
    }
  });

  it('step 2: a wrong client proof is refused before the upgrade (401), logged without any proof', async () => {
    const { port, token, hub, logs } = await setup();
    const otherToken = await ensureStreamToken(await fixtures.tempDir());
    const attempts: Array<{
      name: string;
      headers: (c: {
        clientNonce: string;
        serverNonce: string;
        runId: string;
        serverProof: string;
      }) => Array<[string, string]>;
    }> = [
      {
        name: "another store's token",
        headers: (c) => [
          [CLIENT_NONCE_HEADER, c.clientNonce],
          [SERVER_NONCE_HEADER, c.serverNonce],
          [
            CLIENT_PROOF_HEADER,
            clientProof(runKey(otherToken, c.runId), port, c.clientNonce, c.serverNonce),
          ],
        ],
      },
      {
        name: 'the right token, made for another port',
        headers: (c) => [
          [CLIENT_NONCE_HEADER, c.clientNonce],
          [SERVER_NONCE_HEADER, c.serverNonce],
          [
            CLIENT_PROOF_HEADER,
            clientProof(runKey(token, c.runId), port + 1, c.clientNonce, c.serverNonce),
          ],
        ],
      },
      {
        name: "the server's own proof reflected back",
        headers: (c) => [
          [CLIENT_NONCE_HEADER, c.clientNonce],
          [SERVER_NONCE_HEADER, c.serverNonce],
          [CLIENT_PROOF_HEADER, c.serverProof],
        ],
      },
      {
        name: 'a right proof for another client nonce than the challenge was issued to',
        headers: (c) => {
          const otherNonce = newNonce();
          return [
            [CLIENT_NONCE_HEADER, otherNonce],
            [SERVER_NONCE_HEADER, c.serverNonce],
            [
              CLIENT_PROOF_HEADER,
              clientProof(runKey(token, c.runId), port, otherNonce, c.serverNonce),
            ],
          ];
        },
      },
      {
        name: 'a right proof for a server nonce the hub never issued',
        headers: (c) => {
          const madeUp = newNonce();
          return [
            [CLIENT_NONCE_HEADER, c.clientNonce],
            [SERVER_NONCE_HEADER, madeUp],
            [CLIENT_PROOF_HEADER, clientProof(runKey(token, c.runId), port, c.clientNonce, madeUp)],
          ];
        },
      },
      {
        name: 'a proof with the token in place of the run key',
        headers: (c) => [
          [CLIENT_NONCE_HEADER, c.clientNonce],
          [SERVER_NONCE_HEADER, c.serverNonce],
          [
            CLIENT_PROOF_HEADER,
            clientProof(Buffer.from(token), port, c.clientNonce, c.serverNonce),
          ],
        ],
      },
      {
        name: 'the token itself as the proof',
        headers: (c) => [
          [CLIENT_NONCE_HEADER, c.clientNonce],
          [SERVER_NONCE_HEADER, c.serverNonce],
          [CLIENT_PROOF_HEADER, token],
        ],
      },
    ];
    const proofs: string[] = [];
    for (const attempt of attempts) {
      const clientNonce = newNonce();
      const challenge = await challengeFor(port, clientNonce);
      const headers = attempt.headers({ clientNonce, ...challenge });
      proofs.push(headers.find(([name]) => name === CLIENT_PROOF_HEADER)?.[1] ?? '');
      const result = await rawUpgrade(port, { headers });
      assert.equal(result.status, 401, `${attempt.name}: ${result.text}`);
      assert.ok(!result.text.includes('101 Switching'), attempt.name);
      assert.ok(!result.text.includes(CHALLENGE_HEADER), `${attempt.name}: no new challenge`);
      assert.ok(result.closedByServer, attempt.name);
    }
    assert.equal(hub.clientCount, 0);
    assert.equal(logs.length, attempts.length, logs.join('\n'));
    for (const proof of [...proofs, token]) assert.ok(!logs.join('\n').includes(proof));
    // The right proof for an open challenge does open it (the cases above failed on their own).
    const client = await openClient(port, token);
    assert.equal((await client.message(0)).type, 'hello');
  });

  it('a proof opens the stream once: replayed, it is refused, in the same run and in the next', async () => {
    const first = await setup();
    const headers = await proofHeaders(first.port, first.token);
    const pairs = headerPairs(headers);
    const opened = await rawUpgrade(first.port, { headers: pairs });
    assert.match(opened.text, /^HTTP\/1\.1 101 /);
    const replayed = await rawUpgrade(first.port, { headers: pairs });
    assert.equal(replayed.status, 401, replayed.text);
    assert.match(first.logs.join('\n'), /no open challenge for this proof/);

    // An unused proof from this run, and what a leaked key of this run would make.
    const unused = headerPairs(await proofHeaders(first.port, first.token));
    const firstKey = runKey(first.token, first.hub.runId);
    await first.stop();
    const second = await setup({}, first);
    assert.equal(second.port, first.port, 'the next run on the same port, with the same token');
    assert.notEqual(second.hub.runId, first.hub.runId);
    const againstNext = await rawUpgrade(second.port, { headers: unused });
    assert.equal(againstNext.status, 401, againstNext.text);
    // Even answering the next run's own fresh challenge with the earlier run's key fails.
    const clientNonce = newNonce();
    const challenge = await challengeFor(second.port, clientNonce);
    const withOldKey = await rawUpgrade(second.port, {
      headers: [
        [CLIENT_NONCE_HEADER, clientNonce],
        [SERVER_NONCE_HEADER, challenge.serverNonce],
        [
          CLIENT_PROOF_HEADER,
          clientProof(firstKey, second.port, clientNonce, challenge.serverNonce),
        ],
      ],
    });
    assert.equal(withOldKey.status, 401, withOldKey.text);
    assert.equal(second.hub.clientCount, 0);
    // While the store's token, asked afresh, still opens the next run (tail reconnects).
    const client = await openClient(second.port, second.token);
    assert.equal((await client.message(0)).type, 'hello');
  });

  it('a challenge answered after its time is refused', async () => {
    const { port, token, logs } = await setup({ challengeTtlMs: 0 });
    const late = await rawUpgrade(port, { headers: headerPairs(await proofHeaders(port, token)) });
    assert.equal(late.status, 401, late.text);
    assert.match(logs.join('\n'), /no open challenge for this proof/);
  });

  it('open challenges are bounded: past 256 the oldest is forgotten, the newest still answers', async () => {
    const { port, token } = await setup();
    const oldest = await proofHeaders(port, token);
    for (let index = 0; index < 256; index++) {
      await rawUpgrade(port, { headers: [[CLIENT_NONCE_HEADER, newNonce()]] });
    }
    const newest = await proofHeaders(port, token);
    assert.equal((await rawUpgrade(port, { headers: headerPairs(oldest) })).status, 401);
    assert.match(
      (await rawUpgrade(port, { headers: headerPairs(newest) })).text,
      /^HTTP\/1\.1 101 /,
    );
  });
});

describe('live stream: the receiver side of the hook', () => {
  it('with the hook, a POST that offers another protocol (Upgrade: h2c) is still captured as plain HTTP', async () => {
    const { port, store } = await setup();
    const answer = await post(port, '{"id":"h2c-offer"}', {
      Connection: 'Upgrade, HTTP2-Settings',
      Upgrade: 'h2c',
      'HTTP2-Settings': 'AAMAAABkAARAAAAAAAIAAAAA',
    });
    assert.equal(answer.status, 200);
    const { id } = JSON.parse(answer.body) as { id: string };
    const record = await store.get(id);
    assert.equal(Buffer.from(record?.bodyBase64 ?? '', 'base64').toString(), '{"id":"h2c-offer"}');
    assert.ok(record?.headers.some(([name, value]) => name === 'Upgrade' && value === 'h2c'));
  });

  it('the h2c path keeps the Host and Origin checks of plain requests', async () => {
    const { port, store } = await setup();
    const length: [string, string] = ['Content-Length', '0'];
    const foreign = await rawUpgrade(port, {
      method: 'POST',
      upgrade: 'h2c',
      host: 'evil.example',
      headers: [length],
    });
    assert.equal(foreign.status, 421, foreign.text);
    const browser = await rawUpgrade(port, {
      method: 'POST',
      upgrade: 'h2c',
      headers: [length, ['Origin', 'https://evil.example']],
    });
    assert.equal(browser.status, 403, browser.text);
    assert.equal(store.size, 0);
  });

  it('without the hook, an upgrade request is an ordinary request (GET → 405), as before', async () => {
    const receiver = await startReceiver({ host: '127.0.0.1', port: 0 }, () =>
      Promise.reject(new Error('not reached')),
    );
    cleanups.push(() => receiver.stop(100));
    const result = await rawUpgrade(receiver.port, {});
    assert.equal(result.status, 405);
  });

  it('stopping the receiver ends stream connections too (it never hangs on them)', async () => {
    const { receiver, port, token } = await setup();
    const client = await openClient(port, token);
    await client.message(0);
    await receiver.stop(100);
    await client.closed;
  });
});

describe('live stream: backpressure and limits', () => {
  it('a client that stops reading is dropped past the buffer limit, while ingest of N deliveries proceeds and a reading client gets all N', async () => {
    const { port, token, hub, store, logs } = await setup({ maxBufferedBytes: 512 * 1024 });
    const reader = await openClient(port, token);
    await reader.message(0);
    const stalled = await stalledClient(port, token);
    await waitUntil(() => hub.clientCount === 2, 'both clients');

    // How much the kernel buffers before ws must hold bytes itself differs between machines, so
    // ingest goes on until the drop (at most 600 × 100 KiB) and then for 50 more deliveries.
    const filler = 'x'.repeat(100 * 1024);
    const statuses: number[] = [];
    let dropAt: number | undefined;
    let N = 0;
    while (N < 600 && (dropAt === undefined || N < dropAt + 50)) {
      const answer = await post(port, JSON.stringify({ id: `bulk-${N}`, filler }));
      statuses.push(answer.status);
      N++;
      if (dropAt === undefined && hub.clientCount === 1) dropAt = N;
    }
    assert.deepEqual(new Set(statuses), new Set([200]));
    assert.equal(store.size, N);
    await reader.message(N, 20_000);
    const created = reader.messages.filter((message) => message.type === 'delivery.new');
    assert.equal(created.length, N);
    assert.deepEqual(
      created.map((message) =>
        message.type === 'delivery.new'
          ? (JSON.parse(message.delivery.body) as { id: string }).id
          : '',
      ),
      Array.from({ length: N }, (_, index) => `bulk-${index}`),
    );
    assert.equal(hub.clientCount, 1);
    // Dropped with at most the limit plus one message unsent: memory never grew past that.
    const drop = logs
      .map((line) => /dropped a client .*\((\d+) bytes unsent\)/.exec(line))
      .find(Boolean);
    assert.ok(drop, logs.join('\n'));
    assert.ok(Number(drop[1]) <= 512 * 1024 + 110 * 1024, drop[0]);
    // It was dropped while ingest went on, not when it ended.
    assert.ok(dropAt !== undefined && dropAt < N, `dropped after ${String(dropAt)} of ${N}`);
    assert.equal(reader.ws.readyState, WebSocket.OPEN);
    stalled.destroy();
  });

  it('at most maxClients clients: the next is refused 503 before the upgrade, and admitted once one leaves', async () => {
    const { port, token, hub } = await setup({ maxClients: 2 });
    const first = await openClient(port, token);
    await openClient(port, token);
    const third = await rawUpgrade(port, { headers: headerPairs(await proofHeaders(port, token)) });
    assert.equal(third.status, 503);
    assert.equal(hub.clientCount, 2);
    first.ws.close();
    await waitUntil(() => hub.clientCount === 1, 'the first client to leave');
    const fourth = await openClient(port, token);
    assert.equal((await fourth.message(0)).type, 'hello');
  });

  it('dispose closes every client with 1001 and refuses later connections', async () => {
    const { port, token, hub } = await setup();
    const one = await openClient(port, token);
    const two = await openClient(port, token);
    hub.dispose();
    assert.equal((await one.closed).code, 1001);
    assert.equal((await two.closed).code, 1001);
    assert.equal(hub.clientCount, 0);
    const later = await rawUpgrade(port, {
      headers: [[CLIENT_NONCE_HEADER, newNonce()]],
    });
    assert.equal(later.status, 503);
  });
});

describe('stream token and receiver.json', () => {
  it('the token file is mode 600, at least 128 bits, and reused while it exists', async () => {
    const dir = await fixtures.tempDir();
    assert.equal(await readStreamToken(dir), undefined);
    const token = await ensureStreamToken(dir);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/); // 32 bytes base64url: 256 bits.
    const info = await stat(streamTokenPath(dir));
    assert.equal(info.mode & 0o777, 0o600);
    assert.equal(await ensureStreamToken(dir), token);
    assert.equal(await readStreamToken(dir), token);
    assert.notEqual(await ensureStreamToken(await fixtures.tempDir()), token, 'random per store');
  });

  it('a token file readable by others is narrowed to 600; an unusable one is replaced', async () => {
    const dir = await fixtures.tempDir();
    const token = await ensureStreamToken(dir);
    await chmod(streamTokenPath(dir), 0o644);
    assert.equal(await ensureStreamToken(dir), token);
    assert.equal((await stat(streamTokenPath(dir))).mode & 0o777, 0o600);

    await writeFile(streamTokenPath(dir), 'short\n', { mode: 0o600 });
    assert.equal(await readStreamToken(dir), undefined, 'a client does not use a non-token');
    const replaced = await ensureStreamToken(dir);
    assert.notEqual(replaced, 'short');
    assert.match(replaced, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await readFile(streamTokenPath(dir), 'utf8')).trim(), replaced);
  });

  it('a symlink in place of the token file is never followed', async () => {
    const dir = await fixtures.tempDir();
    const elsewhere = join(dir, 'someone-elses-file');
    await writeFile(elsewhere, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n', { mode: 0o644 });
    await symlink(elsewhere, streamTokenPath(dir));
    assert.equal(await readStreamToken(dir), undefined);
    const token = await ensureStreamToken(dir);
    assert.notEqual(token, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal((await stat(elsewhere)).mode & 0o777, 0o644, 'the target was not touched');
    assert.equal((await stat(streamTokenPath(dir))).mode & 0o777, 0o600);
  });

  it('receiver.json is written, read back, and removed only by the process that wrote it', async () => {
    const dir = await fixtures.tempDir();
    assert.equal(await readReceiverInfo(dir), undefined);
    const written = await writeReceiverInfo(dir, {
      url: 'http://127.0.0.1:7878/',
      port: 7878,
      host: '127.0.0.1',
    });
    assert.equal(written.pid, process.pid);
    assert.deepEqual(await readReceiverInfo(dir), written);
    await removeReceiverInfo(dir, process.pid + 1);
    assert.deepEqual(await readReceiverInfo(dir), written, 'another pid leaves it alone');
    await removeReceiverInfo(dir);
    assert.equal(await readReceiverInfo(dir), undefined);
    await removeReceiverInfo(dir); // Already gone: fine.
    await writeFile(receiverInfoPath(dir), '{"port":"nope"}');
    assert.equal(await readReceiverInfo(dir), undefined);
  });

  it("receiver.json carries the stream's run id when given one; a malformed run id makes the file unusable", async () => {
    const dir = await fixtures.tempDir();
    const runId = newRunId();
    const written = await writeReceiverInfo(dir, {
      url: 'http://127.0.0.1:7878/',
      port: 7878,
      host: '127.0.0.1',
      runId,
    });
    assert.equal(written.runId, runId);
    assert.equal((await readReceiverInfo(dir))?.runId, runId);
    await writeFile(receiverInfoPath(dir), JSON.stringify({ ...written, runId: 'not a run id' }));
    assert.equal(await readReceiverInfo(dir), undefined);
  });
});
