// `hooklens tail` as a real process following a real `hooklens listen`: readable lines, NDJSON,
// reconnecting across a receiver restart, and the clear failures (no token, wrong store); and what
// tail tells whatever answers on a port it was pointed at (issue 14 item 5): nothing it can use.
import assert from 'node:assert/strict';
import { access, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CHALLENGE_HEADER,
  formatChallenge,
  newNonce,
  newRunId,
} from '../../src/core/stream/streamAuth';
import { ensureStreamToken } from '../../src/core/stream/streamToken';
import { signToken } from '../../src/core/verify/sign';
import {
  cleanUp,
  messageLogged,
  post,
  runCli,
  startCli,
  startListen,
  tempDir,
} from './listenProcess';

const SECRET = 'cli-tail-test-secret-8e1f4c2a9b7d3056';
const secretEnv = { HOOKLENS_SECRET: SECRET };

const servers: Server[] = [];
const sockets = new Set<Socket>();
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  await cleanUp();
});

/** A TCP server in this process; every byte clients send it is kept in `received`. */
async function fakeServer(
  onConnection: (client: Socket) => void,
  port = 0,
): Promise<{ port: number; received: () => string; connections: () => number }> {
  const chunks: Buffer[] = [];
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    onConnection(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  return {
    port: (server.address() as AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('latin1'),
    connections: () => connections,
  };
}

/** A man in the middle: relays every connection, byte for byte, to the real receiver's port. */
function relayTo(port: number): (client: Socket) => void {
  return (client) => {
    const upstream = connect({ port, host: '127.0.0.1' });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };
}

/** Sends raw bytes to 127.0.0.1:port and resolves with the status of the answer. */
function rawStatus(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.write(bytes);
  });
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('hooklens tail', () => {
  it('follows hooklens listen on the same store: each delivery as a readable line; SIGINT exits 0', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store], secretEnv);
    await listen.waitForStderr(/follow with: hooklens tail --store /);
    const info = JSON.parse(await readFile(join(store, 'receiver.json'), 'utf8')) as {
      port: number;
      pid: number;
    };
    assert.equal(info.port, listen.port);
    assert.equal(info.pid, listen.pid);

    const tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(new RegExp(`connected to 127\\.0\\.0\\.1:${listen.port}`));
    const answer = await post(listen.port, messageLogged('log-tail-1'), {
      Authorization: signToken(SECRET, {}),
    });
    assert.equal(answer.status, 200);
    const { id } = JSON.parse(answer.body) as { id: string };
    const [line = ''] = await tail.waitForStdoutLines(1);
    assert.match(line, /\b200\s+verified\s+message_logged\s+POST \/webhook/);
    assert.match(line, /session b263cb6f-0d62-4b01-a28e-1743ff54d28d/);
    assert.ok(line.endsWith(id), line);
    // The same line listen prints, apart from nothing.
    const [listenLine = ''] = await listen.waitForStdoutLines(1);
    assert.equal(line, listenLine);

    assert.deepEqual(await tail.stop('SIGINT'), { code: 0, signal: null });
    assert.deepEqual(await listen.stop('SIGTERM'), { code: 0, signal: null });
    assert.equal(await exists(join(store, 'receiver.json')), false, 'removed when listen stops');
    assert.equal(await exists(join(store, 'stream.token')), true, 'the token stays with the store');
  });

  it('--json: one event per line with the export shape; no JWT, no secret, no stream token', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store], secretEnv);
    const tail = startCli(['tail', '--store', store, '--json']);
    await tail.waitForStderr(/connected to /);
    const jwt = signToken(SECRET, {});
    await post(listen.port, messageLogged('log-tail-json'), { Authorization: `Bearer ${jwt}` });
    const [line = ''] = await tail.waitForStdoutLines(1);
    const event = JSON.parse(line) as {
      type: string;
      delivery: Record<string, unknown> & { headers: [string, string][] };
      attempts: { count: number };
    };
    assert.equal(event.type, 'delivery.new');
    for (const field of [
      'id',
      'receivedAt',
      'method',
      'path',
      'headers',
      'body',
      'bodyEncoding',
      'bodySha256',
      'sender',
      'event',
      'sessionId',
      'verification',
      'status',
      'retryCount',
    ]) {
      assert.ok(field in event.delivery, `field ${field}`);
    }
    assert.equal(event.delivery.path, '/webhook');
    assert.equal(event.delivery.status, 200);
    assert.equal(event.delivery.event, 'message_logged');
    assert.deepEqual(
      event.delivery.headers.find(([name]) => /^authorization$/i.test(name)),
      ['Authorization', 'Bearer [redacted]'],
    );
    assert.equal(event.attempts.count, 0);
    const streamToken = (await readFile(join(store, 'stream.token'), 'utf8')).trim();
    const everything = tail.stdout() + tail.stderr();
    assert.ok(!everything.includes(jwt), 'the delivery JWT is redacted');
    assert.ok(!everything.includes(SECRET), 'the secret never appears');
    assert.ok(!everything.includes(streamToken), 'the stream token is never printed');
    assert.ok(!(listen.stdout() + listen.stderr()).includes(streamToken));
  });

  it('reconnects when the receiver restarts on the same port, and prints the next delivery', async () => {
    const store = await tempDir();
    const first = await startListen(['--store', store], secretEnv);
    const port = first.port;
    const tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(/connected to /);
    await post(port, messageLogged('log-before-restart'), { Authorization: signToken(SECRET, {}) });
    await tail.waitForStdoutLines(1);

    assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null });
    await tail.waitForStderr(/went away; waiting for the receiver…/);

    const second = await startListen(['--store', store, '--port', String(port)], secretEnv);
    assert.equal(second.port, port);
    await tail.waitForStderr(/connected to [\s\S]*went away[\s\S]*connected to /, 10_000);
    const answer = await post(port, messageLogged('log-after-restart'), {
      Authorization: signToken(SECRET, {}),
    });
    const { id } = JSON.parse(answer.body) as { id: string };
    const lines = await tail.waitForStdoutLines(2);
    assert.ok(lines[1]?.endsWith(id), lines.join('\n'));
    assert.equal(tail.stdoutLines().length, 2, 'each delivery once');
    assert.deepEqual(await tail.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('waits while no receiver runs at --port (a token, but nothing listening) and exits 0 on SIGTERM', async () => {
    const store = await tempDir();
    await ensureStreamToken(store);
    const tail = startCli(['tail', '--store', store, '--port', '1']);
    await tail.waitForStderr(/waiting for the receiver at 127\.0\.0\.1:1…/);
    assert.deepEqual(await tail.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('a store without a token: exit 1, telling the user to start the receiver with that store', async () => {
    const store = await tempDir();
    const result = await runCli(['tail', '--store', store]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /There is no stream token in /);
    assert.match(result.stderr, /hooklens listen --store /);
    assert.equal(result.stdout, '');
  });

  it("the receiver of another store (--port): exit 1, it did not prove it holds this store's token, and was sent nothing", async () => {
    const listenStore = await tempDir();
    const otherStore = await tempDir();
    await ensureStreamToken(otherStore);
    const listen = await startListen(['--store', listenStore]);
    const result = await runCli(['tail', '--store', otherStore, '--port', String(listen.port)]);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /Not this store's receiver: the process at 127\.0\.0\.1:\d+ did not prove that it holds this store's stream token \(its proof does not match .*\), so tail sent it nothing\. Pass the --store your receiver uses/,
    );
    // tail only asked for a challenge: it never tried a proof the receiver had to refuse.
    assert.doesNotMatch(listen.stderr(), /stream: refused/);
  });

  it('issue 14.5: a relay on the port of a stale receiver.json never gets the token or a proof that opens the real stream; tail waits, and follows the receiver once receiver.json names it', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store], secretEnv);
    const token = (await readFile(join(store, 'stream.token'), 'utf8')).trim();
    const infoFile = join(store, 'receiver.json');
    const real = await readFile(infoFile, 'utf8');
    // The strongest impostor on a stale port: it passes every byte to the real receiver and back.
    const relay = await fakeServer(relayTo(listen.port));
    const stale = JSON.parse(real) as Record<string, unknown>;
    await writeFile(
      infoFile,
      JSON.stringify({ ...stale, port: relay.port, url: `http://127.0.0.1:${relay.port}/` }),
    );

    const tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(
      new RegExp(
        `the process at 127\\.0\\.0\\.1:${relay.port} \\(from receiver\\.json\\) did not prove it is this store's receiver: its proof does not match this store's stream token on this port\\. tail sent it nothing; waiting for the receiver…`,
      ),
    );
    const captured = relay.received();
    assert.ok(captured.startsWith('GET /_hooklens/stream HTTP/1.1\r\n'), captured);
    assert.ok(!captured.includes(token), 'never the token');
    assert.doesNotMatch(
      captured,
      /x-hooklens-client-proof|x-hooklens-server-nonce|authorization|\?/i,
    );
    // Whatever it captured opens nothing: replayed to the real receiver, each request is
    // answered with a challenge (401), never an upgrade.
    const requests = captured.split('\r\n\r\n').filter((head) => head !== '');
    assert.ok(requests.length >= 1);
    for (const head of requests) {
      assert.equal(await rawStatus(listen.port, `${head}\r\n\r\n`), 401, head);
    }
    assert.doesNotMatch(tail.stderr(), /connected to/);

    // receiver.json names the real receiver again: tail finds it and follows it.
    await writeFile(infoFile, real);
    await tail.waitForStderr(new RegExp(`connected to 127\\.0\\.0\\.1:${listen.port} `), 15_000);
    await post(listen.port, messageLogged('log-after-impostor'), {
      Authorization: signToken(SECRET, {}),
    });
    const [line = ''] = await tail.waitForStdoutLines(1);
    assert.match(line, /verified\s+message_logged/);
    assert.ok(!(tail.stderr() + tail.stdout()).includes(token));
    assert.deepEqual(await tail.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('issue 14.5: receiver.json naming another run of the receiver on that port: tail says so and waits, sending no proof', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store]);
    const infoFile = join(store, 'receiver.json');
    const real = await readFile(infoFile, 'utf8');
    const earlierRun = newRunId();
    await writeFile(infoFile, JSON.stringify({ ...JSON.parse(real), runId: earlierRun }));
    const tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(
      /did not prove it is this store's receiver: it is not the receiver run that receiver\.json records\. tail sent it nothing; waiting for the receiver…/,
    );
    assert.doesNotMatch(listen.stderr(), /stream: refused/, 'no proof was offered to it');
    assert.doesNotMatch(tail.stderr(), /connected to/);
    assert.deepEqual(await tail.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('issue 14.5: with --port, tail still makes the peer prove itself; a fake with a made-up challenge is sent nothing', async () => {
    const store = await tempDir();
    const token = await ensureStreamToken(store);
    const fake = await fakeServer((client) => {
      client.once('data', () =>
        client.end(
          `HTTP/1.1 401 Unauthorized\r\n${CHALLENGE_HEADER}: ${formatChallenge({ runId: newRunId(), serverNonce: newNonce(), serverProof: newNonce() })}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        ),
      );
    });
    const result = await runCli(['tail', '--store', store, '--port', String(fake.port)]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /did not prove that it holds this store's stream token/);
    assert.equal(fake.connections(), 1, 'one question, no second request with a proof');
    assert.ok(!fake.received().includes(token));
    assert.doesNotMatch(fake.received(), /x-hooklens-client-proof|authorization/i);
  });

  it('issue 14.5: without receiver.json tail guesses no port (not 7878): it waits, then connects when the receiver records itself', async (t) => {
    const store = await tempDir();
    await ensureStreamToken(store);
    // Something on the old default port that would take any token offered to it.
    const squatter = await fakeServer((client) => client.destroy(), 7878).catch(() => undefined);
    const tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(
      /waiting for the receiver: none is recorded in .*receiver\.json \(the receiver writes it when it starts\)…/,
    );
    const listen = await startListen(['--store', store], secretEnv);
    await tail.waitForStderr(new RegExp(`connected to 127\\.0\\.0\\.1:${listen.port} `), 15_000);
    if (squatter === undefined) {
      t.diagnostic('port 7878 is in use here: the no-fallback check relied on the message alone');
    } else {
      assert.equal(squatter.connections(), 0, 'tail never knocked on 7878');
    }
    assert.deepEqual(await tail.stop('SIGTERM'), { code: 0, signal: null });
  });

  it('issue 14.5 / D-15: a request for the stream with ?token= is logged without the token', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store]);
    const token = (await readFile(join(store, 'stream.token'), 'utf8')).trim();
    // A plain GET (a browser tab, curl) and an upgrade (an older tail) with the real token.
    assert.equal(await get(listen.port, `/_hooklens/stream?token=${token}`), 405);
    assert.equal(
      await get(listen.port, `/_hooklens/stream?token=${token}`, {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      }),
      401,
    );
    const stderr = await listen.waitForStderr(/stream: refused 401 /);
    assert.match(stderr, /refused 405 GET \/_hooklens\/stream\?… from 127\.0\.0\.1/);
    assert.match(
      stderr,
      /^stream: refused 401 from 127\.0\.0\.1 \(\/_hooklens\/stream\): the token itself is never accepted/m,
    );
    assert.ok(!(listen.stderr() + listen.stdout()).includes(token), 'the token is in no log line');
    assert.ok(!stderr.includes('token='), stderr);
  });

  it('is listed as available in hooklens --help, and has its own --help', async () => {
    const help = await runCli(['--help']);
    assert.match(help.stdout, /^ {2}tail +Follow a running receiver’s live stream$/m);
    const own = await runCli(['tail', '--help']);
    assert.equal(own.status, 0);
    assert.match(own.stdout, /Usage: hooklens tail/);
  });
});
