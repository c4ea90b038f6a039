// The live stream on real sockets: a real store in a temp folder, the real receiver with the hub
// on its upgrade hook, the real ingest pipeline, and ws or raw TCP clients (7C L-06).
import assert from 'node:assert/strict';
import { chmod, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
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
}

async function setup(hubOptions: Partial<StreamHubOptions> = {}): Promise<Setup> {
  const dir = await fixtures.tempDir();
  const store = await fixtures.open(dir);
  const token = await ensureStreamToken(dir);
  const logs: string[] = [];
  const refusals: Refusal[] = [];
  const hub = new StreamHub(store, { token, log: (line) => logs.push(line), ...hubOptions });
  const ingestor = new Ingestor(store, { policy: 'accept' });
  const receiver = await startReceiver(
    {
      host: '127.0.0.1',
      port: 0,
      onUpgrade: (req, socket, head) => hub.handleUpgrade(req, socket, head),
    },
    async (captured) => (await ingestor.ingest(captured)).answer,
    (refusal) => refusals.push(refusal),
  );
  cleanups.push(async () => {
    hub.dispose();
    await receiver.stop(100);
    ingestor.dispose();
  });
  return { dir, store, token, hub, receiver, port: receiver.port, logs, refusals };
}

interface Client {
  readonly ws: WebSocket;
  readonly messages: StreamMessage[];
  /** Resolves with the message at `index` (0 is hello) once it has arrived. */
  message(index: number, timeoutMs?: number): Promise<StreamMessage>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A ws client with the token as Bearer (default), in the query, or none. */
function openClient(
  port: number,
  token: string | undefined,
  how: 'bearer' | 'query' = 'bearer',
  headers: Record<string, string> = {},
): Promise<Client> {
  const query = how === 'query' && token !== undefined ? `?token=${encodeURIComponent(token)}` : '';
  const ws = new WebSocket(`ws://127.0.0.1:${port}${STREAM_PATH}${query}`, {
    headers: {
      ...(how === 'bearer' && token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
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
    socket.on('data', (chunk: string) => (text += chunk));
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
function stalledClient(port: number, token: string): Promise<Socket> {
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
        `Authorization: Bearer ${token}`,
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

  it('the token works in the query (?token=) as well as in Authorization: Bearer', async () => {
    const { port, token, hub } = await setup();
    const byQuery = await openClient(port, token, 'query');
    const byBearer = await openClient(port, token, 'bearer');
    assert.equal((await byQuery.message(0)).type, 'hello');
    assert.equal((await byBearer.message(0)).type, 'hello');
    assert.equal(hub.clientCount, 2);
    await post(port, '{"id":"q1"}');
    assert.equal((await byQuery.message(1)).type, 'delivery.new');
    assert.equal((await byBearer.message(1)).type, 'delivery.new');
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
    const { port, store } = await setup();
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (id: string) => {
      reads++;
      return get(id);
    };
    for (let index = 0; index < 5; index++) await post(port, `{"id":"n${index}"}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(reads, 0);
  });
});

describe('live stream: refused before the upgrade (L-06)', () => {
  it('no token, a wrong token (same and other length), a foreign Origin, a foreign Host, another path: plain HTTP errors, closed, nothing streamed', async () => {
    const { port, token, hub, logs, refusals } = await setup({
      allowedOrigins: ['http://localhost:3000'],
    });
    const sameLength = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(sameLength.length, token.length);
    const bearer: [string, string] = ['Authorization', `Bearer ${token}`];
    const cases: Array<{
      name: string;
      expected: number;
      options: Parameters<typeof rawUpgrade>[1];
    }> = [
      { name: 'no token', expected: 401, options: {} },
      { name: 'empty query token', expected: 401, options: { path: `${STREAM_PATH}?token=` } },
      {
        name: 'wrong token, same length',
        expected: 401,
        options: { headers: [['Authorization', `Bearer ${sameLength}`]] },
      },
      {
        name: 'wrong token, same length, in the query',
        expected: 401,
        options: { path: `${STREAM_PATH}?token=${sameLength}` },
      },
      {
        name: 'wrong token, shorter',
        expected: 401,
        options: { headers: [['Authorization', 'Bearer abc']] },
      },
      {
        name: 'the token under another scheme',
        expected: 401,
        options: { headers: [['Authorization', `Basic ${token}`]] },
      },
      {
        name: 'foreign Origin',
        expected: 403,
        options: { headers: [bearer, ['Origin', 'https://evil.example']] },
      },
      { name: 'Origin null', expected: 403, options: { headers: [bearer, ['Origin', 'null']] } },
      {
        name: 'LAN Origin',
        expected: 403,
        options: { headers: [bearer, ['Origin', 'http://192.168.1.5']] },
      },
      {
        name: 'same host, other port',
        expected: 403,
        options: { headers: [bearer, ['Origin', `http://127.0.0.1:${port + 1}`]] },
      },
      {
        name: 'allowed origin with another port',
        expected: 403,
        options: { headers: [bearer, ['Origin', 'http://localhost:3001']] },
      },
      {
        name: 'foreign Host',
        expected: 421,
        options: { host: `evil.example.com:${port}`, headers: [bearer] },
      },
      {
        name: 'rebinding Host',
        expected: 421,
        options: { host: `localhost.evil.com:${port}`, headers: [bearer] },
      },
      {
        name: 'Host 0.0.0.0',
        expected: 421,
        options: { host: `0.0.0.0:${port}`, headers: [bearer] },
      },
      {
        name: 'foreign Host beats a foreign Origin and no token',
        expected: 421,
        options: { host: 'evil.test', headers: [['Origin', 'http://evil.test']] },
      },
      { name: 'another path', expected: 404, options: { path: '/webhook', headers: [bearer] } },
      {
        name: 'a path that only starts like the stream',
        expected: 404,
        options: { path: `${STREAM_PATH}/x`, headers: [bearer] },
      },
      { name: 'not GET', expected: 405, options: { method: 'POST', headers: [bearer] } },
    ];
    for (const { name, expected, options } of cases) {
      const result = await rawUpgrade(port, options);
      assert.equal(result.status, expected, `${name}: ${result.text}`);
      assert.ok(result.closedByServer, `${name}: the server closes the socket`);
      assert.ok(!result.text.includes('101 Switching'), `${name}: never upgraded`);
      assert.ok(!/sec-websocket-accept/i.test(result.text), `${name}: no handshake answer`);
      assert.ok(!result.text.includes(token), `${name}: the token is never echoed`);
      assert.ok(!/access-control-/i.test(result.text), `${name}: no CORS headers`);
    }
    assert.equal(hub.clientCount, 0);
    // Refusals are logged without the token, even when it came in the query.
    assert.ok(logs.length >= cases.length - 4, logs.join('\n'));
    assert.ok(!logs.join('\n').includes(token));
    assert.ok(refusals.every((refusal) => refusal.status === 421));
    assert.ok(!JSON.stringify(refusals).includes(token));

    // The one allowed origin, exactly, with the token, does connect.
    const allowed = await openClient(port, token, 'bearer', { Origin: 'http://localhost:3000' });
    assert.equal((await allowed.message(0)).type, 'hello');
  });

  it('a refused client never receives a delivery, and an allowed one in the same moment does', async () => {
    const { port, token } = await setup();
    const refused = connect({ port, host: '127.0.0.1' });
    let refusedText = '';
    refused.setEncoding('latin1').on('data', (chunk: string) => (refusedText += chunk));
    refused.on('error', () => undefined);
    refused.write(
      `GET ${STREAM_PATH}?token=nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const good = await openClient(port, token);
    await post(port, '{"id":"visible-only-to-token-holders"}');
    await good.message(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    refused.destroy();
    assert.match(refusedText, /^HTTP\/1\.1 401 /);
    assert.ok(!refusedText.includes('visible-only-to-token-holders'));
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
    const started = Date.now();
    await receiver.stop(100);
    await client.closed;
    assert.ok(Date.now() - started < 2_000);
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
    const third = await rawUpgrade(port, { headers: [['Authorization', `Bearer ${token}`]] });
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
    const later = await rawUpgrade(port, { headers: [['Authorization', `Bearer ${token}`]] });
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
});
