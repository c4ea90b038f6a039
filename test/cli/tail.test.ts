// `hooklens tail` as a real process following a real `hooklens listen`: readable lines, NDJSON,
// reconnecting across a receiver restart, and the clear failures (no token, wrong store).
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
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

after(cleanUp);

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

  it('waits while no receiver runs (a token, but nothing listening) and exits 0 on SIGTERM', async () => {
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

  it('the token of another store: exit 1 with "token mismatch" advice (401)', async () => {
    const listenStore = await tempDir();
    const otherStore = await tempDir();
    await ensureStreamToken(otherStore);
    const listen = await startListen(['--store', listenStore]);
    const result = await runCli(['tail', '--store', otherStore, '--port', String(listen.port)]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Token mismatch: .*refused this store's stream token \(401\)/);
    assert.match(listen.stderr(), /stream: refused 401 .*wrong token/);
  });

  it('is listed as available in hooklens --help, and has its own --help', async () => {
    const help = await runCli(['--help']);
    assert.match(help.stdout, /^ {2}tail +Follow a running receiver’s live stream$/m);
    const own = await runCli(['tail', '--help']);
    assert.equal(own.status, 0);
    assert.match(own.stdout, /Usage: hooklens tail/);
  });
});
