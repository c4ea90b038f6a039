// `hooklens mcp` as a real process, driven over stdio by the official MCP SDK's client: the
// agent's journey of issue 19. A receiver (`hooklens listen`) forwards to a handler that fails;
// the agent finds the failing delivery, reads it, is refused a replay without --allow-replay, and
// with it replays the delivery to the fixed handler and reads the answer. No secret or token ever
// appears in a result.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  cleanUp,
  cliPath,
  runCli,
  startListen,
  tempDir,
  type ListenProcess,
} from './listenProcess';

const SECRET = 'purple unicorn, but long enough to be strong: 8c1f0e';
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/;

interface Handler {
  readonly url: string;
  status: number;
  readonly received: string[];
  close(): Promise<void>;
}

async function startHandler(): Promise<Handler> {
  const received: string[] = [];
  const state = { status: 500 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(state.status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          state.status === 200
            ? { handled: true }
            : { error: 'TypeError: payload.foo is undefined' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Call {
  readonly isError: boolean;
  readonly text: string;
  readonly data: Record<string, unknown> | undefined;
}

/** Every result text and structured result seen, to check no secret or token leaked. */
const seen: string[] = [];

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Call> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Array<{ type: string; text?: string }>;
  const text = content.map((part) => part.text ?? '').join('\n');
  seen.push(text, JSON.stringify(result.structuredContent ?? null));
  return {
    isError: result.isError === true,
    text,
    data: result.structuredContent as Record<string, unknown> | undefined,
  };
}

async function connect(args: readonly string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOOKLENS_SECRET: SECRET },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'hooklens-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('hooklens mcp over stdio', { timeout: 120_000 }, () => {
  let store: string;
  let listen: ListenProcess;
  let handler: Handler;
  let failingId: string;

  before(async () => {
    store = await tempDir('hooklens-mcp-');
    handler = await startHandler();
    listen = await startListen(['--store', store, '--forward-to', handler.url], {
      HOOKLENS_SECRET: SECRET,
    });
    const send = async (extra: string[]): Promise<void> => {
      const result = await runCli(
        ['send', 'watson.message_logged', '--to', `${listen.url}webhooks/watson`, ...extra],
        { HOOKLENS_SECRET: SECRET },
      );
      assert.ok(result.status !== null, result.stderr);
    };
    await send([]); // verified, forwarded, the handler answers 500
    await send(['--bad-signature']); // refused 401, never forwarded
    await listen.waitForStdoutLines(2);
  });

  after(async () => {
    await listen?.stop();
    await handler?.close();
    await cleanUp();
  });

  it('initializes, lists the tools with schemas, and answers every reading tool', async () => {
    const { client, stderr } = await connect(['--store', store]);
    try {
      assert.equal(client.getServerVersion()?.name, 'hooklens');
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), [
        'compare_deliveries',
        'delivery_health',
        'generate_handler',
        'get_delivery',
        'list_deliveries',
        'replay_delivery',
        'send_test_event',
      ]);
      for (const tool of tools) {
        assert.equal(tool.inputSchema.type, 'object');
        assert.equal(tool.outputSchema?.type, 'object');
        assert.ok((tool.description ?? '').length > 80);
      }
      assert.equal(
        tools.find((tool) => tool.name === 'list_deliveries')?.annotations?.readOnlyHint,
        true,
      );

      const all = await call(client, 'list_deliveries', {});
      assert.equal(all.isError, false, all.text);
      assert.equal(all.data?.matched, 2);
      const failing = await call(client, 'list_deliveries', {
        failed_only: true,
        verdict: 'verified',
      });
      const rows = failing.data?.deliveries as Array<{
        id: string;
        outcome: string;
        status: number;
      }>;
      assert.equal(rows.length, 1, failing.text);
      assert.equal(rows[0]?.outcome, 'handler error');
      failingId = rows[0]?.id ?? '';
      const rejected = await call(client, 'list_deliveries', { verdict: 'failed' });
      const rejectedId = (rejected.data?.deliveries as Array<{ id: string }>)[0]?.id ?? '';
      assert.ok(rejectedId !== '' && rejectedId !== failingId);

      const detail = await call(client, 'get_delivery', { id: failingId });
      assert.equal(detail.isError, false, detail.text);
      assert.equal((detail.data?.verification as { verdict: string }).verdict, 'verified');
      assert.equal((detail.data?.body as { format: string }).format, 'json');
      const attempts = detail.data?.attempts as Array<{
        kind: string;
        status: number;
        response: { body: string };
      }>;
      assert.equal(attempts[0]?.kind, 'forward');
      assert.equal(attempts[0]?.status, 500);
      assert.match(attempts[0]?.response.body ?? '', /payload\.foo is undefined/);
      assert.deepEqual(
        (detail.data?.headers as string[][]).find(
          ([name]) => name?.toLowerCase() === 'authorization',
        ),
        ['Authorization', '[redacted]'],
      );
      assert.match(detail.text, /<hooklens-result>[\s\S]*<\/hooklens-result>$/);
      assert.match(detail.text, /untrusted data/);

      const compared = await call(client, 'compare_deliveries', { a: failingId, b: rejectedId });
      assert.equal(compared.isError, false, compared.text);
      assert.equal(compared.data?.comparedAs, 'json');

      const health = await call(client, 'delivery_health', { window: 'all' });
      assert.equal(health.data?.total, 2);
      assert.equal(health.data?.failedVerifications, 1);

      const missing = await call(client, 'get_delivery', { id: 'not-a-delivery' });
      assert.equal(missing.isError, true);
      assert.match(missing.text, /list_deliveries shows the newest/);
      assert.doesNotMatch(missing.text, /\n\s+at /, 'no stack trace');

      // Off without --allow-replay / --allow-write: refused, and nothing is sent.
      const before = handler.received.length;
      const replay = await call(client, 'replay_delivery', { id: failingId });
      assert.equal(replay.isError, true);
      assert.match(replay.text, /not-allowed/);
      assert.match(replay.text, /--allow-replay/);
      const send = await call(client, 'send_test_event', { template: 'watson.message_logged' });
      assert.match(send.text, /--allow-replay/);
      assert.equal(handler.received.length, before);
      const generate = await call(client, 'generate_handler', { language: 'typescript' });
      assert.equal(generate.isError, true);
      assert.match(generate.text, /--allow-write/);
      assert.match(stderr(), /serving 7 tools/);
    } finally {
      await client.close();
    }
  });

  it('with --allow-replay replays the delivery to the fixed handler and returns its answer', async () => {
    handler.status = 200; // the agent fixed the handler
    const { client } = await connect([
      '--store',
      store,
      '--allow-replay',
      '--forward-to',
      handler.url,
    ]);
    try {
      const before = handler.received.length;
      const replay = await call(client, 'replay_delivery', { id: failingId });
      assert.equal(replay.isError, false, replay.text);
      assert.equal(replay.data?.status, 200);
      assert.equal(replay.data?.delivered, true);
      assert.equal(replay.data?.signature, 'original');
      assert.deepEqual(JSON.parse((replay.data?.response as { body: string }).body), {
        handled: true,
      });
      // `hooklens listen` owns the store: the replay is sent, and the result says why it is not recorded.
      assert.equal(replay.data?.recorded, false, 'a running receiver owns the store');
      assert.match(
        String(replay.data?.note),
        /Not recorded: the store is owned by a running receiver \(hooklens listen or VS Code, pid \d+ on [^)]+\), which alone writes to it\./,
      );
      assert.equal(handler.received.length, before + 1);

      const fresh = await call(client, 'replay_delivery', { id: failingId, signature: 'fresh' });
      assert.equal(fresh.data?.status, 200, fresh.text);
      assert.equal(fresh.data?.signature, 'fresh');

      const elsewhere = await call(client, 'replay_delivery', {
        id: failingId,
        target: 'https://example.com/hook',
      });
      assert.equal(elsewhere.isError, true);
      assert.match(elsewhere.text, /refused-target/);

      // A test event to the running receiver (found through the store's receiver.json), signed.
      const sent = await call(client, 'send_test_event', { template: 'watson.message_logged' });
      assert.equal(sent.isError, false, sent.text);
      assert.equal(sent.data?.signature, 'valid');
      assert.equal(sent.data?.status, 200);
      await listen.waitForStdoutLines(3);
      const list = await call(client, 'list_deliveries', { limit: 1 });
      assert.equal((list.data?.deliveries as Array<{ verdict: string }>)[0]?.verdict, 'verified');
    } finally {
      await client.close();
    }
  });

  it('with no receiver owning the store, replays are recorded as attempts, and to a route', async () => {
    await listen.stop();
    const routeHandler = await startHandler();
    routeHandler.status = 200;
    const { client } = await connect([
      '--store',
      store,
      '--allow-replay',
      '--forward-to',
      handler.url,
      '--route',
      `provider=watson,event=message_logged=>${routeHandler.url}`,
    ]);
    try {
      const attemptsBefore = (
        (await call(client, 'get_delivery', { id: failingId })).data?.attempts as unknown[]
      ).length;
      // By default where its route sends it: the --route rule matches the Watson delivery.
      const routed = await call(client, 'replay_delivery', { id: failingId });
      assert.equal(routed.isError, false, routed.text);
      assert.equal(routed.data?.route, 'provider=watson,event=message_logged');
      assert.equal(routed.data?.target, routeHandler.url);
      assert.equal(routed.data?.recorded, true, String(routed.data?.note));
      assert.equal(routeHandler.received.length, 1);
      // A route by number, and the forward target when asked for by URL.
      const byNumber = await call(client, 'replay_delivery', { id: failingId, route: '1' });
      assert.equal(byNumber.data?.recorded, true, byNumber.text);
      const direct = await call(client, 'replay_delivery', { id: failingId, target: handler.url });
      assert.equal(direct.data?.recorded, true, direct.text);
      assert.equal(direct.data?.route, null);
      const unknown = await call(client, 'replay_delivery', { id: failingId, route: 'payments' });
      assert.equal(unknown.isError, true);
      assert.match(
        unknown.text,
        /The configured routes are: 1\. provider=watson,event=message_logged/,
      );

      // The attempts are on the delivery, with their routes, read back through the same server.
      const detail = await call(client, 'get_delivery', { id: failingId });
      const attempts = detail.data?.attempts as Array<{
        kind: string;
        status: number;
        route?: string | null;
        target: string;
      }>;
      assert.equal(attempts.length, attemptsBefore + 3, detail.text);
      assert.deepEqual(
        attempts.slice(-3).map((attempt) => [attempt.kind, attempt.status, attempt.route ?? null]),
        [
          ['replay', 200, 'provider=watson,event=message_logged'],
          ['replay', 200, 'provider=watson,event=message_logged'],
          ['replay', 200, null],
        ],
      );
    } finally {
      await client.close();
      await routeHandler.close();
    }
    // The store was held only for each replay: a receiver can own it again at once.
    listen = await startListen(['--store', store], { HOOKLENS_SECRET: SECRET });
    assert.match(listen.stderr(), /HookLens listening on/);
  });

  it('no result carried the secret or a token', () => {
    assert.ok(seen.length > 20);
    for (const text of seen) {
      assert.ok(!text.includes(SECRET), 'no secret');
      assert.doesNotMatch(text, JWT, 'no JWT');
    }
  });
});
