// `hooklens listen` as a real process on a real socket: verification, output formats, refusals,
// slowloris, the store lock, a busy port and a clean SIGTERM.
import { createServer, type AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { signToken } from '../../src/core/verify/sign';
import { cleanUp, messageLogged, post, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-listen-test-secret-5c2e9a71d4b8f036';
const secretEnv = { HOOKLENS_SECRET: SECRET };

after(cleanUp);

/** Sends raw bytes and resolves with the status code of the answer (0 if none came). */
function rawStatus(port: number, bytes: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), 3_000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0));
    });
    socket.write(bytes);
  });
}

describe('hooklens listen', () => {
  it('J-01/J-03: a signed Watson delivery → 200 "verified", an unsigned one → 401 "NO TOKEN"; SIGTERM exits 0', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store], secretEnv);
    assert.match(listen.stderr(), /JWT secret from \$HOOKLENS_SECRET; policy reject/);

    const signed = await post(listen.port, messageLogged('log-signed'), {
      Authorization: signToken(SECRET, {}),
    });
    assert.equal(signed.status, 200);
    const ack = JSON.parse(signed.body) as { received: boolean; id: string };
    assert.equal(ack.received, true);
    assert.match(ack.id, /^[0-9a-z]+$/);

    const unsigned = await post(listen.port, messageLogged('log-unsigned'));
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.body, '{"error":"unauthorized"}');

    const [first = '', second = ''] = await listen.waitForStdoutLines(2);
    assert.match(first, /\b200\s+verified\s+message_logged\s+POST \/webhook/);
    assert.match(first, /session b263cb6f-0d62-4b01-a28e-1743ff54d28d/);
    assert.ok(first.endsWith(ack.id), first);
    assert.match(second, /\b401\s+NO TOKEN\s+message_logged/);

    const exit = await listen.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.match(listen.stderr(), /SIGTERM: stopping/);
    assert.match(listen.stderr(), /stopped \(2 deliveries in the store\)/);
    assert.ok(!listen.stdout().includes(SECRET) && !listen.stderr().includes(SECRET));
  });

  it('--json: one JSON object per delivery with the documented fields; Authorization redacted (D-15)', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--json'], secretEnv);
    const token = signToken(SECRET, {});
    await post(listen.port, messageLogged('log-json-1'), { Authorization: token });
    await post(listen.port, messageLogged('log-json-2'), { Authorization: `Bearer ${token}` });
    await post(listen.port, messageLogged('log-json-3'), { Authorization: SECRET });
    const lines = await listen.waitForStdoutLines(3);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const authorizations: string[] = [];
    for (const record of records) {
      for (const field of ['id', 'receivedAt', 'method', 'path', 'headers', 'body', 'event']) {
        assert.ok(field in record, `field ${field}`);
      }
      assert.equal(record.method, 'POST');
      assert.equal(record.path, '/webhook');
      assert.equal(record.event, 'message_logged');
      assert.equal(record.sessionId, 'b263cb6f-0d62-4b01-a28e-1743ff54d28d');
      assert.equal(record.status, 200);
      assert.ok(!Number.isNaN(Date.parse(String(record.receivedAt))));
      assert.equal(
        (
          JSON.parse(String(record.body)) as { payload: { log_id: string } }
        ).payload.log_id.startsWith('log-json-'),
        true,
      );
      const headers = record.headers as Array<[string, string]>;
      const authorization = headers.find(([name]) => name.toLowerCase() === 'authorization');
      authorizations.push(authorization?.[1] ?? '(none)');
    }
    assert.deepEqual(
      records.map((record) => (record.verification as { verdict: string }).verdict),
      ['verified', 'verified', 'secret_match'],
    );
    assert.equal(authorizations[0], '[redacted]');
    assert.equal(authorizations[1], 'Bearer [redacted]');
    assert.match(authorizations[2] ?? '', /redacted/);
    assert.ok(!listen.stdout().includes(token), 'no token on stdout');
    assert.ok(!listen.stdout().includes(SECRET), 'no secret on stdout');
    await listen.stop();
  });

  it('L-02/L-05/H-09/H-01: hostile requests over the real socket are refused, reported on stderr, never stored', async () => {
    const store = await tempDir();
    const listen = await startListen(['--store', store, '--max-body', '2048'], secretEnv);
    const { port } = listen;
    const body = messageLogged('log-hostile');
    const token = signToken(SECRET, {});
    const request = (lines: string[], payload = body) =>
      `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`;

    assert.equal(
      await rawStatus(
        port,
        request([
          'POST /webhook HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Origin: https://evil.example',
          `Authorization: ${token}`,
        ]),
      ),
      403,
    );
    assert.equal(
      await rawStatus(
        port,
        request([
          'POST /webhook HTTP/1.1',
          `Host: evil.example:${port}`,
          `Authorization: ${token}`,
        ]),
      ),
      421,
    );
    assert.equal(
      await rawStatus(port, request(['GET /webhook HTTP/1.1', `Host: localhost:${port}`], '')),
      405,
    );
    assert.equal(
      await rawStatus(
        port,
        `POST /webhook HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 4096\r\n\r\n`,
      ),
      413,
    );
    const stderr = await listen.waitForStderr(/refused 413/);
    assert.match(stderr, /refused 403 POST \/webhook from 127\.0\.0\.1: .*Origin/);
    assert.match(stderr, /refused 421 POST \/webhook from 127\.0\.0\.1: Host evil\.example/);
    assert.match(stderr, /refused 405 GET \/webhook/);
    assert.match(stderr, /refused 413 POST \/webhook .*Content-Length 4096/);
    assert.equal(listen.stdout(), '', 'no delivery line');
    assert.deepEqual(await listen.stop(), { code: 0, signal: null });
    assert.match(listen.stderr(), /stopped \(0 deliveries in the store\)/);

    const exported = await runCli(['export', '--store', store, '--format', 'json']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.deepEqual(JSON.parse(exported.stdout), []);
  });

  it(
    'H-06: 20 slowloris sockets (one header line per second) are closed; a real POST meanwhile gets 200',
    { timeout: 30_000 },
    async () => {
      const store = await tempDir();
      const listen = await startListen(['--store', store]);
      const { port } = listen;
      const sockets: Socket[] = [];
      const timers: NodeJS.Timeout[] = [];
      const closedAt: number[] = [];
      const startedAt = Date.now();
      // Resolves once every socket has trickled a header line after its request line.
      let trickling = 0;
      let attackUnderway!: () => void;
      const underway = new Promise<void>((resolve) => (attackUnderway = resolve));
      try {
        const allClosed = Promise.all(
          Array.from(
            { length: 20 },
            (_, index) =>
              new Promise<void>((resolve) => {
                // allowHalfOpen: like a real attacker, ignore the server's FIN and keep writing.
                const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
                sockets.push(socket);
                socket.on('error', () => undefined);
                socket.on('close', () => {
                  closedAt.push(Date.now() - startedAt);
                  resolve();
                });
                socket.write(`POST /slow-${index} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
                let line = 0;
                const timer = setInterval(() => {
                  if (socket.destroyed) return;
                  socket.write(`X-Slow-${line++}: a\r\n`);
                  if (line === 1 && ++trickling === 20) attackUnderway();
                }, 1_000);
                timers.push(timer);
              }),
          ),
        );
        // The attack is under way (all 20 connected and trickling, none closed yet), not hoped to be.
        await underway;
        assert.equal(closedAt.length, 0, 'every slow socket is still open');
        const legitimate = await post(port, '{"type":"during.attack","id":"evt_1"}');
        assert.equal(legitimate.status, 200);

        const deadline = new Promise<'timeout'>((resolve) =>
          timers.push(setTimeout(() => resolve('timeout'), 20_000)),
        );
        const outcome = await Promise.race([allClosed.then(() => 'closed' as const), deadline]);
        assert.equal(outcome, 'closed', `closed ${closedAt.length} of 20`);
        assert.equal(closedAt.length, 20);
        const lines = await listen.waitForStdoutLines(1);
        assert.equal(lines.length, 1, 'only the legitimate delivery was stored');
        assert.match(lines[0] ?? '', /during\.attack/);
      } finally {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        await listen.stop();
      }
    },
  );

  it('D-09: a second listen on the same store exits 1 naming the owner pid', async () => {
    const store = await tempDir();
    const first = await startListen(['--store', store]);
    const second = await runCli(['listen', '--port', '0', '--store', store]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`in use by another HookLens \\(pid ${first.pid} on `));
    assert.match(second.stderr, /pass another --store/);
    // The first one is unaffected.
    assert.equal((await post(first.port, '{"type":"still.up"}')).status, 200);
    assert.deepEqual(await first.stop(), { code: 0, signal: null });
  });

  it('L-09: a second listen on a busy port (another store) exits 1 naming the port', async () => {
    const first = await startListen(['--store', await tempDir()]);
    const second = await runCli([
      'listen',
      '--port',
      String(first.port),
      '--store',
      await tempDir(),
    ]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`Port ${first.port} is already in use`));
    assert.doesNotMatch(second.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await first.stop(), { code: 0, signal: null });
  });

  it('SIGINT also drains and exits 0', async () => {
    const listen = await startListen(['--store', await tempDir()]);
    assert.equal((await post(listen.port, '{"type":"x"}')).status, 200);
    assert.deepEqual(await listen.stop('SIGINT'), { code: 0, signal: null });
    assert.match(listen.stderr(), /SIGINT: stopping.*\n.*stopped \(1 deliveries/);
  });

  it('usage mistakes exit 2: a non-loopback --host without --allow-non-loopback, a bad --policy', async () => {
    const store = await tempDir();
    const exposed = await runCli(['listen', '--host', '0.0.0.0', '--port', '0', '--store', store]);
    assert.equal(exposed.status, 2);
    assert.match(exposed.stderr, /not a loopback address/);
    const policy = await runCli(['listen', '--policy', 'maybe', '--port', '0', '--store', store]);
    assert.equal(policy.status, 2);
  });

  it('issue 14.8: --forward-to this receiver itself is refused (it would loop), exit 1', async () => {
    const store = await tempDir();
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const looping = await runCli([
      'listen',
      '--port',
      String(free),
      '--store',
      store,
      '--forward-to',
      `http://localhost:${free}/webhook`,
    ]);
    assert.equal(looping.status, 1);
    assert.match(looping.stderr, /is this receiver itself: every delivery would loop/);
  });
});
