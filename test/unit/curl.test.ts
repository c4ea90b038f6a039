// Copy as curl: the command text is checked, and then run for real (sh + curl against a local
// node:http server) to prove the handler receives the same body bytes and headers.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { curlCommand, shellQuote } from '../../src/core/export/curl';
import { aDelivery } from './builders';

type Headers = ReadonlyArray<readonly [string, string]>;

function withBody(body: Buffer | string, headers: Headers, method = 'POST') {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { ...aDelivery('curl1'), method, headers, bodyBase64: bytes.toString('base64') };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('curlCommand: the command text', () => {
  const target = 'http://127.0.0.1:3000/webhooks';

  it('quotes for a POSIX shell: a single quote becomes quote, backslash-quote, quote', () => {
    assert.equal(shellQuote(`it's`), `'it'\\''s'`);
    assert.equal(shellQuote('$(rm -rf ~) `x` "y" \\ $HOME'), `'$(rm -rf ~) \`x\` "y" \\ $HOME'`);
  });

  it('drops hop-by-hop headers, Host and Content-Length; keeps the others in order', () => {
    const command = curlCommand(
      withBody('{}', [
        ['Host', '127.0.0.1:7878'],
        ['Connection', 'keep-alive, X-Conn-Only'],
        ['X-Conn-Only', 'gone'],
        ['Content-Type', 'application/json'],
        ['Content-Length', '2'],
        ['Transfer-Encoding', 'chunked'],
        ['Keep-Alive', 'timeout=5'],
        ['Proxy-Authorization', 'Basic c2VjcmV0'],
        ['X-First', '1'],
        ['X-Second', '2'],
      ]),
      { target, authorization: 'original' },
    );
    assert.doesNotMatch(command, /Host:|Connection|X-Conn-Only|Content-Length|Transfer-Encoding/i);
    assert.doesNotMatch(command, /Keep-Alive|Proxy-Authorization/i);
    assert.ok(command.indexOf('X-First: 1') < command.indexOf('X-Second: 2'));
    assert.match(command, /^curl --globoff -X POST 'http:\/\/127\.0\.0\.1:3000\/webhooks' \\\n/);
  });

  it('never carries CR or LF inside a header value', () => {
    const command = curlCommand(
      withBody('{}', [
        ['X-Injected', 'a\r\nX-Evil: 1'],
        ['X-Lf', 'a\nb'],
        ['X-Ok', 'fine'],
      ]),
      { target, authorization: 'original' },
    );
    assert.doesNotMatch(command, /X-Injected|X-Evil|X-Lf/);
    assert.match(command, /X-Ok: fine/);
    for (const line of command.split('\n')) assert.ok(!line.includes('\r'));
  });

  it('authorization: original keeps it, redacted hides it, fresh replaces it and marks the replay', () => {
    const record = withBody('{}', [
      ['Authorization', 'Bearer eyJ.original.sig'],
      ['X-Replay', 'stale'],
    ]);
    assert.match(
      curlCommand(record, { target, authorization: 'original' }),
      /Authorization: Bearer eyJ\.original\.sig/,
    );
    const redacted = curlCommand(record, { target, authorization: 'redacted' });
    assert.match(redacted, /Authorization: Bearer \[redacted\]/);
    assert.doesNotMatch(redacted, /eyJ/);
    const fresh = curlCommand(record, { target, authorization: { fresh: 'Bearer eyJ.new.sig' } });
    assert.match(fresh, /Authorization: Bearer eyJ\.new\.sig/);
    assert.doesNotMatch(fresh, /original|stale/);
    assert.match(fresh, /X-Replay: true/);
    const added = curlCommand(withBody('{}', []), { target, authorization: { fresh: 'eyJ.a.b' } });
    assert.match(added, /-H 'Authorization: eyJ\.a\.b'/);
    assert.throws(
      () => curlCommand(record, { target, authorization: { fresh: 'eyJ\r\nX-Evil: 1' } }),
      /line break/,
    );
  });

  it('refuses a target that is not http(s) and a stored method that is not a token', () => {
    assert.throws(
      () =>
        curlCommand(withBody('{}', []), {
          target: 'file:///etc/passwd',
          authorization: 'original',
        }),
      /http:\/\/ or https:\/\//,
    );
    assert.throws(
      () => curlCommand(withBody('{}', []), { target: 'not a url', authorization: 'original' }),
      /is not a URL/,
    );
    assert.throws(
      () => curlCommand(withBody('{}', [], 'POST /x'), { target, authorization: 'original' }),
      /not a valid HTTP method/,
    );
  });

  it('quotes a method with shell characters; a body starting with @ is piped, not read as a file', () => {
    assert.match(
      curlCommand(withBody('{}', [], "PO$T'"), { target, authorization: 'original' }),
      /-X 'PO\$T'\\''' /,
    );
    const command = curlCommand(withBody('@/etc/passwd', []), {
      target,
      authorization: 'original',
    });
    assert.match(command, /^printf '@\/etc\/passwd' \|\n {2}curl /);
    assert.match(command, /--data-binary @-$/);
  });

  it('writes no raw control, bidi or escape characters into the command', () => {
    const hostile = 'a\u001b]0;pwned\u0007\u001b[201~b\rc\td\u202ee\u0085f';
    const command = curlCommand(withBody(hostile, [['X-Note', 'caf\u00e9 \u001b[31m']]), {
      target,
      authorization: 'original',
    });
    // eslint-disable-next-line no-control-regex -- asserting their absence.
    assert.doesNotMatch(command, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    assert.match(command, /^printf '/);
  });
});

interface Received {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: Array<[string, string]>;
  readonly body: Buffer;
}

const hasCurl =
  spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).status === 0 ? true : false;
const skipReason = hasCurl ? false : 'sh or curl is not installed; the real-run checks need both';

describe('curlCommand: run through sh against a real server', { skip: skipReason }, () => {
  let server: Server;
  let target: string;
  let received: Received[] = [];
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'hooklens-curl-'));
    server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawHeaders: Array<[string, string]> = [];
        for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
          rawHeaders.push([request.rawHeaders[index] ?? '', request.rawHeaders[index + 1] ?? '']);
        }
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          rawHeaders,
          body: Buffer.concat(chunks),
        });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/a?b=1&c=[x]`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(scratch, { recursive: true, force: true });
  });

  /** Runs the command with `sh -c` (or from a script file, for commands over argv limits). */
  async function run(command: string): Promise<Received> {
    received = [];
    const args = command.length > 100_000 ? [await scriptFile(command)] : ['-c', command];
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.once('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(result.code, 0, `sh exited ${String(result.code)}: ${result.stderr}`);
    assert.equal(received.length, 1, 'the server got exactly one request');
    return received[0] as Received;
  }

  async function scriptFile(command: string): Promise<string> {
    const path = join(scratch, `command-${Date.now()}.sh`);
    await writeFile(path, `${command}\n`);
    return path;
  }

  /** What the handler should see: the sent headers without those curl sets for the target. */
  function withoutTransport(headers: Headers): Array<[string, string]> {
    return headers
      .filter(([name]) => !/^(host|content-length)$/i.test(name))
      .map(([name, value]) => [name, value]);
  }

  async function assertDelivered(
    body: Buffer,
    headers: Headers,
    method = 'POST',
  ): Promise<{ command: string; got: Received }> {
    const record = withBody(body, headers, method);
    const command = curlCommand(record, { target, authorization: 'original' });
    const got = await run(command);
    assert.equal(got.method, method);
    assert.equal(got.url, '/hook/a?b=1&c=[x]', 'globbing is off: brackets reach the server');
    assert.equal(sha256(got.body), sha256(body), 'byte-identical body');
    assert.equal(got.body.length, body.length);
    assert.deepEqual(withoutTransport(got.rawHeaders), withoutTransport(headers));
    const length = got.rawHeaders.find(([name]) => name.toLowerCase() === 'content-length');
    if (body.length > 0) assert.equal(length?.[1], String(body.length));
    return { command, got };
  }

  const jsonHeaders: Headers = [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'IBM-Watson-Webhook/1.0'],
    ['Accept', '*/*'],
    ['Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ];

  it('a JSON body with quotes, newlines and Unicode, inline', async () => {
    const body = Buffer.from(
      `{"text":"it's a \\"test\\"\\n$HOME \`id\` $(id)","emoji":"😀 café","raw":"line1\nline2"}\n`,
    );
    const { command } = await assertDelivered(body, jsonHeaders);
    assert.match(command, /--data-binary '/);
  });

  it('binary bytes (NUL, 0xFF, quote, percent, backslash) through printf', async () => {
    const body = Buffer.from([
      0x00, 0xff, 0xfe, 0x27, 0x25, 0x73, 0x5c, 0x6e, 0x0a, 0x0d, 0x1b, 0x80,
    ]);
    const { command } = await assertDelivered(body, [['Content-Type', 'application/octet-stream']]);
    assert.match(command, /^printf '/);
  });

  it('text with a terminal escape, CR and tab, and a body starting with @', async () => {
    await assertDelivered(Buffer.from('{"a":"\u001b[201~\r\t\u202e"}'), jsonHeaders);
    await assertDelivered(Buffer.from('@/etc/passwd'), jsonHeaders);
  });

  it('a 300 KB body (past the inline limit and one argument’s size limit)', async () => {
    const body = Buffer.from(
      JSON.stringify({ data: 'x'.repeat(150_000), more: 'é'.repeat(75_000) }),
    );
    await assertDelivered(body, jsonHeaders);
  });

  it('no Content-Type, User-Agent or Accept in the original: curl adds none of its own', async () => {
    const { got } = await assertDelivered(Buffer.from('plain'), [['X-Only', 'one']]);
    const names = got.rawHeaders.map(([name]) => name.toLowerCase());
    assert.ok(!names.includes('content-type'));
    assert.ok(!names.includes('user-agent'));
    assert.ok(!names.includes('accept'));
  });

  it('header values: empty, quotes and shell characters, Latin-1 bytes, duplicates', async () => {
    await assertDelivered(Buffer.from('{}'), [
      ['Content-Type', 'application/json'],
      ['X-Empty', ''],
      ['X-Quote', `it's "quoted" $(id) \`id\` $HOME`],
      // Node reads header bytes as Latin-1: "cafÃ©" is the UTF-8 bytes of "café" on the wire.
      ['X-Latin1', 'caf\u00c3\u00a9 \u00ff'],
      ['X-Dup', 'one'],
      ['X-Dup', 'two'],
    ]);
  });

  it('an empty POST body still sends Content-Length: 0', async () => {
    const { got } = await assertDelivered(Buffer.alloc(0), [
      ['Content-Type', 'application/json'],
      ['Content-Length', '0'],
    ]);
    const length = got.rawHeaders.find(([name]) => name.toLowerCase() === 'content-length');
    assert.equal(length?.[1], '0');
  });

  it('a fresh token arrives in place of the original, with X-Replay', async () => {
    const record = withBody('{"a":1}', jsonHeaders);
    const got = await run(
      curlCommand(record, { target, authorization: { fresh: 'Bearer eyJ.fresh.sig' } }),
    );
    assert.deepEqual(
      got.rawHeaders.filter(([name]) => /^(authorization|x-replay)$/i.test(name)),
      [
        ['Authorization', 'Bearer eyJ.fresh.sig'],
        ['X-Replay', 'true'],
      ],
    );
  });
});
