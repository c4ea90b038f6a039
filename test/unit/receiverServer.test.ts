// The HTTP transport in-process on port 0 with a fake handler, driven over raw TCP so every byte
// (Host, Origin, framing, pipelining) is exactly what a hostile client would send (7B, 7C).
import assert from 'node:assert/strict';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  jsonAnswer,
  type CapturedRequest,
  type ReceiverAnswer,
} from '../../src/core/receiver/captured';
import {
  allowedHostName,
  hostName,
  isLoopbackBindAddress,
  ReceiverStartError,
  startReceiver,
  type Refusal,
  type RunningReceiver,
} from '../../src/core/receiver/receiverServer';

interface ParsedResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

interface Exchange {
  readonly text: string;
  readonly responses: readonly ParsedResponse[];
  /** The server closed (or reset) the connection before our timeout. */
  readonly closed: boolean;
  readonly error: string | undefined;
}

/** Every raw response this file received, for the H-09 "no Access-Control-*" sweep. */
const everyResponse: string[] = [];
const runningReceivers: RunningReceiver[] = [];

after(async () => {
  for (const receiver of runningReceivers) await receiver.stop(100);
});

/** Splits raw HTTP/1.1 response bytes into responses (Content-Length, chunked, or to close). */
function parseResponses(text: string): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd === -1) break;
    const [statusLine = '', ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers = headerLines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const header = (name: string) =>
      headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    rest = rest.slice(headEnd + 4);
    let body = '';
    if (header('transfer-encoding')?.toLowerCase() === 'chunked') {
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd === -1) break;
        const size = parseInt(rest.slice(0, lineEnd), 16);
        rest = rest.slice(lineEnd + 2);
        if (!(size > 0)) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else if (header('content-length') !== undefined) {
      const length = Number(header('content-length'));
      body = rest.slice(0, length);
      rest = rest.slice(length);
    } else {
      body = rest;
      rest = '';
    }
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
  }
  return responses;
}

/** Connects, writes `data`, and collects everything until the server closes or `timeoutMs`. */
function exchange(
  port: number,
  data: string | Buffer | ((socket: Socket) => void),
  timeoutMs = 3_000,
  host = '127.0.0.1',
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect({ port, host, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      closed = true;
      socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      closed = true;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      everyResponse.push(text);
      resolve({ text, responses: parseResponses(text), closed, error });
    });
    socket.on('connect', () => {
      if (typeof data === 'function') data(socket);
      else socket.write(data);
    });
  });
}

interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  /** `null`: no Host header at all. */
  readonly host?: string | null;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Buffer;
  readonly version?: '1.0' | '1.1';
  readonly close?: boolean;
}

function rawRequest(port: number, request: RawRequest = {}): Buffer {
  const body =
    typeof request.body === 'string'
      ? Buffer.from(request.body)
      : (request.body ?? Buffer.alloc(0));
  const lines = [
    `${request.method ?? 'POST'} ${request.path ?? '/webhook'} HTTP/${request.version ?? '1.1'}`,
  ];
  const host = request.host === undefined ? `127.0.0.1:${port}` : request.host;
  if (host !== null) lines.push(`Host: ${host}`);
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: ${value}`);
  if (
    !(request.headers ?? []).some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))
  ) {
    if (body.length > 0 || (request.method ?? 'POST') === 'POST')
      lines.push(`Content-Length: ${body.length}`);
  }
  if (request.close ?? true) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

const WATSON_BODY = JSON.stringify({
  event: { name: 'message_logged' },
  payload: { log_id: '5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11', session_id: 's-1' },
});
const JWT_LOOKALIKE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NDcyMzQ5ODJ9.3Wm0u1zqg7nHf7cQy7l1-1oQk2o1l3dxb0Q2kX1s9xY';

describe('receiver transport (in-process, port 0)', () => {
  let receiver: RunningReceiver;
  let port: number;
  const calls: CapturedRequest[] = [];
  const refusals: Refusal[] = [];
  let behaviour: (request: CapturedRequest) => Promise<ReceiverAnswer> = (request) =>
    Promise.resolve(jsonAnswer(200, { received: true, bytes: request.body.length }));

  before(async () => {
    receiver = await startReceiver(
      { host: '127.0.0.1', port: 0, allowedHosts: ['abc123.ngrok.app'] },
      (request) => {
        calls.push(request);
        return behaviour(request);
      },
      (refusal) => refusals.push(refusal),
    );
    runningReceivers.push(receiver);
    port = receiver.port;
  });

  /** Runs `action` and returns the handler calls and refusals it caused. */
  async function observe(action: () => Promise<void>) {
    const callsBefore = calls.length;
    const refusalsBefore = refusals.length;
    await action();
    return { calls: calls.slice(callsBefore), refusals: refusals.slice(refusalsBefore) };
  }

  it('L-01: bound to 127.0.0.1 only; the URL says so', async () => {
    assert.equal(receiver.host, '127.0.0.1');
    assert.ok(port > 0);
    assert.equal(receiver.url, `http://127.0.0.1:${port}/`);
    const lanAddress = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
    if (lanAddress === undefined) return; // No LAN interface here; the bind address above suffices.
    const error = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: lanAddress });
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.equal(error, 'ECONNREFUSED', `connecting via ${lanAddress}`);
  });

  it('L-01: only loopback bind addresses count as loopback', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', 'LOCALHOST', '127.1.2.3']) {
      assert.equal(isLoopbackBindAddress(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '127.0.0.1.evil.com', '', '[::1]']) {
      assert.equal(isLoopbackBindAddress(host), false, host);
    }
  });

  it('hostName strips the port, lower-cases, keeps IPv6 brackets', () => {
    assert.equal(hostName('LocalHost:7878'), 'localhost');
    assert.equal(hostName('[::1]:7878'), '[::1]');
    assert.equal(hostName('[::1]'), '[::1]');
    assert.equal(hostName(' abc123.ngrok.app '), 'abc123.ngrok.app');
  });

  it('a plain POST reaches the handler with raw headers and body bytes intact', async () => {
    const seen = await observe(async () => {
      const result = await exchange(
        port,
        rawRequest(port, {
          headers: [
            ['Content-Type', 'application/json'],
            ['Authorization', JWT_LOOKALIKE],
            ['X-Dup', 'a'],
            ['X-Dup', 'b'],
          ],
          body: WATSON_BODY,
        }),
      );
      assert.equal(result.responses[0]?.status, 200);
    });
    assert.equal(seen.calls.length, 1);
    const call = seen.calls[0];
    assert.equal(call?.body.toString('utf8'), WATSON_BODY);
    assert.equal(call?.method, 'POST');
    assert.equal(call?.url, '/webhook');
    assert.equal(call?.remoteAddress, '127.0.0.1');
    assert.deepEqual(
      call?.headers.filter(([name]) => name === 'X-Dup'),
      [
        ['X-Dup', 'a'],
        ['X-Dup', 'b'],
      ],
    );
  });

  it('answers are framed by Content-Length (bytes, not characters), never chunked; 204, 304 and HEAD carry none', async () => {
    const answers: ReceiverAnswer[] = [
      { status: 200, headers: [['Content-Type', 'text/plain']], body: 'reçu ✓' },
      { status: 502, headers: [], body: Buffer.from([0xe2, 0x9c, 0x93, 0x00, 0xff]) },
      { status: 204, headers: [], body: '' },
      { status: 304, headers: [], body: '' },
      // A length or coding an answer carries is replaced by the body's own framing.
      {
        status: 201,
        headers: [
          ['content-length', '999'],
          ['Transfer-Encoding', 'chunked'],
        ],
        body: 'ok',
      },
    ];
    const saved = behaviour;
    try {
      for (const answer of answers) {
        behaviour = () => Promise.resolve(answer);
        const result = await exchange(port, rawRequest(port, { body: WATSON_BODY }));
        const response = result.responses[0];
        assert.equal(response?.status, answer.status);
        const header = (name: string) =>
          response?.headers.filter(([key]) => key.toLowerCase() === name).map(([, v]) => v);
        assert.deepEqual(header('transfer-encoding'), []);
        const bytes = Buffer.byteLength(answer.body);
        assert.deepEqual(
          header('content-length'),
          answer.status === 204 || answer.status === 304 ? [] : [String(bytes)],
        );
        assert.equal(response?.body, Buffer.from(answer.body).toString('latin1'));
      }
    } finally {
      behaviour = saved;
    }
    const head = await exchange(port, rawRequest(port, { method: 'HEAD' }));
    assert.equal(head.responses[0]?.status, 405);
    assert.ok(!head.responses[0]?.headers.some(([name]) => /^content-length$/i.test(name)));
    assert.ok(!/transfer-encoding/i.test(head.text));
  });

  it('L-02: each hostile Host → 421 before routing; the handler is never called', async () => {
    const hostile = [
      `evil.example.com:${port}`,
      'evil.example.com',
      `localhost.evil.com:${port}`,
      `0.0.0.0:${port}`,
      `127.1:${port}`,
      `2130706433:${port}`,
      `localhost6:${port}`,
      `127.0.0.2:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `localhost.:${port}`,
      '',
    ];
    const seen = await observe(async () => {
      for (const host of hostile) {
        const result = await exchange(
          port,
          rawRequest(port, {
            host,
            headers: [['Authorization', JWT_LOOKALIKE]],
            body: WATSON_BODY,
          }),
        );
        assert.equal(result.responses[0]?.status, 421, `Host: ${host}`);
        assert.equal(result.closed, true);
      }
    });
    assert.equal(seen.calls.length, 0);
    assert.deepEqual(
      seen.refusals.map((refusal) => refusal.status),
      hostile.map(() => 421),
    );
  });

  it('L-03: loopback names (any port, any case, [::1]), the tunnel host, and HTTP/1.0 without Host are allowed', async () => {
    const allowed = [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
      'localhost',
      `localhost:1`,
      'abc123.ngrok.app',
      'ABC123.ngrok.app:443',
    ];
    const seen = await observe(async () => {
      for (const host of allowed) {
        const result = await exchange(port, rawRequest(port, { host, body: '{}' }));
        assert.equal(result.responses[0]?.status, 200, `Host: ${host}`);
      }
      const http10 = await exchange(
        port,
        rawRequest(port, { host: null, version: '1.0', close: false, body: '{}' }),
      );
      assert.match(http10.text, /^HTTP\/1\.1 200 /);
      assert.equal(http10.closed, true, 'HTTP/1.0 without keep-alive is closed after the answer');
    });
    assert.equal(seen.calls.length, allowed.length + 1);
    assert.equal(seen.refusals.length, 0);
  });

  it('HTTP/1.1 without Host is a 400 from Node, not a delivery', async () => {
    const seen = await observe(async () => {
      const result = await exchange(port, rawRequest(port, { host: null, body: '{}' }));
      assert.equal(result.responses[0]?.status, 400);
    });
    assert.equal(seen.calls.length, 0);
  });

  it('L-04: DNS rebinding (evil Host + Origin + a valid-looking JWT) → 421: Host is checked first', async () => {
    const seen = await observe(async () => {
      const result = await exchange(
        port,
        rawRequest(port, {
          host: `evil.test:${port}`,
          headers: [
            ['Origin', `http://evil.test:${port}`],
            ['Authorization', `Bearer ${JWT_LOOKALIKE}`],
            ['Content-Type', 'application/json'],
          ],
          body: WATSON_BODY,
        }),
      );
      assert.equal(result.responses[0]?.status, 421);
    });
    assert.equal(seen.calls.length, 0);
  });

  it('L-05: any Origin (a browser page, a form post, "null", loopback itself) → 403', async () => {
    const origins = [
      'https://evil.example',
      'null',
      `http://127.0.0.1:${port}`,
      'http://localhost:3000',
      'http://192.168.1.5',
    ];
    const seen = await observe(async () => {
      for (const origin of origins) {
        const result = await exchange(
          port,
          rawRequest(port, {
            headers: [
              ['Origin', origin],
              ['Content-Type', 'text/plain'],
            ],
            body: '<script>alert(1)</script>',
          }),
        );
        assert.equal(result.responses[0]?.status, 403, origin);
      }
      const form = await exchange(
        port,
        rawRequest(port, {
          headers: [
            ['Origin', 'https://evil.example'],
            ['Content-Type', 'application/x-www-form-urlencoded'],
          ],
          body: 'payload=%7B%7D',
        }),
      );
      assert.equal(form.responses[0]?.status, 403);
    });
    assert.equal(seen.calls.length, 0);
    assert.equal(seen.refusals.length, origins.length + 1);
  });

  it('H-09: GET/PUT/DELETE/PATCH/HEAD/OPTIONS → 405 with Allow: POST', async () => {
    const seen = await observe(async () => {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
        const result = await exchange(
          port,
          rawRequest(port, {
            method,
            headers:
              method === 'OPTIONS'
                ? [
                    ['Access-Control-Request-Method', 'POST'],
                    ['Access-Control-Request-Headers', 'authorization, content-type'],
                    ['Access-Control-Request-Private-Network', 'true'],
                  ]
                : [],
          }),
        );
        const response = result.responses[0];
        assert.equal(response?.status, 405, method);
        assert.ok(
          response?.headers.some(([name, value]) => name === 'Allow' && value === 'POST'),
          method,
        );
      }
    });
    assert.equal(seen.calls.length, 0);
  });

  it('issue 14.5 / D-15: a refusal never carries the query (a stream token, a secret) to the log', async () => {
    const token = 'Zr4mQ1tV8kP2xN7cW5yB0hJ3sL6dF9gA1eU4oI8uY2w';
    const seen = await observe(async () => {
      const requests: RawRequest[] = [
        // What an older `hooklens tail` or a browser tab sends: a plain GET with ?token=.
        { method: 'GET', path: `/_hooklens/stream?token=${token}` },
        { method: 'PUT', path: `/hooks?secret=${token}&x=1` },
        {
          method: 'POST',
          path: `/webhook?token=${token}`,
          headers: [['Origin', 'https://a.example']],
        },
        { method: 'POST', path: `http://evil.example/x?token=${token}` },
      ];
      for (const request of requests) {
        const result = await exchange(port, rawRequest(port, request));
        assert.ok([403, 405, 421].includes(result.responses[0]?.status ?? 0), result.text);
        assert.ok(!result.text.includes(token), 'nor is it echoed');
      }
    });
    assert.deepEqual(
      seen.refusals.map((refusal) => [refusal.status, refusal.method, refusal.url]),
      [
        [405, 'GET', '/_hooklens/stream?…'],
        [405, 'PUT', '/hooks?…'],
        [403, 'POST', '/webhook?…'],
        [421, 'POST', 'http://evil.example/x?…'],
      ],
    );
    assert.ok(!JSON.stringify(seen.refusals).includes(token));
  });

  it('H-09: a real CORS preflight (Origin + Access-Control-Request-*) is refused (403), no CORS grant', async () => {
    const result = await exchange(
      port,
      rawRequest(port, {
        method: 'OPTIONS',
        headers: [
          ['Origin', 'https://evil.example'],
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Private-Network', 'true'],
        ],
      }),
    );
    assert.equal(result.responses[0]?.status, 403);
    assert.doesNotMatch(result.text, /^access-control-/im);
  });

  it('H-01: Content-Length 2 MiB (limit 1 MiB) → 413 before any body byte is sent; closed', async () => {
    const seen = await observe(async () => {
      const result = await exchange(
        port,
        rawRequest(port, {
          headers: [
            ['Content-Length', String(2 * 1024 * 1024)],
            ['Content-Type', 'application/json'],
          ],
        }),
      );
      assert.equal(result.responses[0]?.status, 413);
      assert.equal(result.closed, true);
      assert.match(result.text, /Connection: close/i);
    });
    assert.equal(seen.calls.length, 0);
    assert.match(seen.refusals[0]?.reason ?? '', /Content-Length 2097152/);
  });

  it('H-02: a chunked body streaming past the limit → 413 and the connection is closed', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const planned = 64 * 1024 * 1024;
    const seen = await observe(async () => {
      const result = await exchange(
        port,
        (socket) => {
          socket.write(
            rawRequest(port, { headers: [['Transfer-Encoding', 'chunked']], close: false }),
          );
          const pump = (): void => {
            while (sent < planned && !socket.destroyed) {
              sent += chunk.length;
              const more = socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
              if (!more) {
                socket.once('drain', pump);
                return;
              }
            }
          };
          socket.on('error', () => undefined);
          pump();
        },
        15_000,
      );
      assert.equal(result.closed, true, 'the server closed the connection');
      assert.ok(sent < planned, `stopped early: ${sent} of ${planned} bytes were accepted`);
      // The answer normally arrives before the reset; a reset that wins the race is also a refusal.
      if (result.text !== '') assert.equal(result.responses[0]?.status, 413);
    });
    assert.equal(seen.calls.length, 0);
    assert.equal(seen.refusals[0]?.status, 413);
    assert.match(seen.refusals[0]?.reason ?? '', /grew past/);
  });

  it('H-03: gzip, deflate (zlib or raw) and br bodies are decoded; the raw bytes are kept', async () => {
    const json = Buffer.from('{"type":"push","text":"héllo"}');
    const seen = await observe(async () => {
      const cases: Array<[string, Buffer]> = [
        ['gzip', gzipSync(json)],
        ['x-gzip', gzipSync(json)],
        ['deflate', deflateSync(json)],
        ['deflate', deflateRawSync(json)],
        ['br', brotliCompressSync(json)],
        ['identity', json],
      ];
      for (const [encoding, body] of cases) {
        const result = await exchange(
          port,
          rawRequest(port, { headers: [['Content-Encoding', encoding]], body }),
        );
        assert.equal(result.responses[0]?.status, 200, encoding);
      }
    });
    assert.equal(seen.calls.length, 6);
    for (const call of seen.calls) assert.deepEqual(call.body, json);
    assert.equal(seen.calls[0]?.contentEncoding, 'gzip');
    assert.deepEqual(seen.calls[0]?.encodedBody, gzipSync(json));
    assert.equal(seen.calls[5]?.encodedBody, undefined);
  });

  it('H-03: a decompression bomb gets 413 without being inflated past the limit; bad data 400; other codings 415', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < 1024 * 1024, 'the bomb itself fits the body limit');
    const seen = await observe(async () => {
      for (const [encoding, body] of [
        ['gzip', bomb],
        ['br', brotliCompressSync(Buffer.alloc(20 * 1024 * 1024))],
      ] as const) {
        const result = await exchange(
          port,
          rawRequest(port, { headers: [['Content-Encoding', encoding]], body }),
        );
        assert.equal(result.responses[0]?.status, 413, encoding);
      }
      const corrupt = await exchange(
        port,
        rawRequest(port, { headers: [['Content-Encoding', 'gzip']], body: 'not gzip at all' }),
      );
      assert.equal(corrupt.responses[0]?.status, 400);
      for (const encoding of ['compress', 'zstd', 'gzip, identity', 'gzip, gzip']) {
        const result = await exchange(
          port,
          rawRequest(port, { headers: [['Content-Encoding', encoding]], body: '{}' }),
        );
        assert.equal(result.responses[0]?.status, 415, encoding);
      }
    });
    assert.equal(seen.calls.length, 0);
    assert.match(seen.refusals[0]?.reason ?? '', /decodes to more than/);
    assert.match(seen.refusals[2]?.reason ?? '', /not valid gzip/);
  });

  it('issue 14.8: more headers than the limit get 431, not a silently shortened list', async () => {
    const seen = await observe(async () => {
      const many = Array.from({ length: 230 }, (_, i) => [`X-H${i}`, 'v'] as const);
      const result = await exchange(
        port,
        rawRequest(port, { headers: [...many, ['Authorization', 'Bearer x']], body: '{}' }),
      );
      assert.equal(result.responses[0]?.status, 431);
      const atLimit = Array.from({ length: 196 }, (_, i) => [`X-H${i}`, 'v'] as const);
      const ok = await exchange(port, rawRequest(port, { headers: atLimit, body: '{}' }));
      assert.equal(ok.responses[0]?.status, 200);
    });
    assert.equal(seen.calls.length, 1);
    assert.match(seen.refusals[0]?.reason ?? '', /more than 200 headers/);
  });

  it('issue 14.8: Expect: 100-continue with an over-limit Content-Length gets 413, never "100 Continue"', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${50 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
      );
    });
    assert.doesNotMatch(result.text, /100 Continue/);
    assert.equal(result.responses[0]?.status, 413);
    // Within the limit, the body is invited and then answered.
    const invited = await exchange(port, (socket) => {
      socket.write(
        `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
      socket.once('data', () => socket.write('{}'));
    });
    assert.match(invited.text, /^HTTP\/1\.1 100 Continue/);
    assert.match(invited.text, /HTTP\/1\.1 200 /);
  });

  it('issue 14.8: an absolute-form target is held to the Host rule and recorded as its path', async () => {
    const seen = await observe(async () => {
      const evil = await exchange(
        port,
        rawRequest(port, { path: 'http://evil.example/x', body: '{}' }),
      );
      assert.equal(evil.responses[0]?.status, 421);
      const own = await exchange(
        port,
        rawRequest(port, { path: `http://127.0.0.1:${port}/hooks?a=1`, body: '{}' }),
      );
      assert.equal(own.responses[0]?.status, 200);
    });
    assert.equal(seen.calls.length, 1);
    assert.equal(seen.calls[0]?.url, '/hooks?a=1');
    assert.match(seen.refusals[0]?.reason ?? '', /names evil\.example/);
  });

  it('H-04: Content-Length 1000, 10 bytes sent, then close → no handler call; server fine (×50)', async () => {
    // A receiver of its own, so that stopping it can say "every request it took is finished".
    const handled: CapturedRequest[] = [];
    const own = await startReceiver({ host: '127.0.0.1', port: 0 }, (request) => {
      handled.push(request);
      return Promise.resolve(jsonAnswer(200, { received: true }));
    });
    runningReceivers.push(own);
    for (let round = 0; round < 50; round++) {
      await exchange(
        own.port,
        (socket) => {
          socket.write(
            rawRequest(own.port, { headers: [['Content-Length', '1000']], body: '0123456789' }),
          );
          setImmediate(() => socket.destroy());
        },
        1_000,
      );
    }
    const after = await exchange(own.port, rawRequest(own.port, { body: '{}' }));
    assert.equal(after.responses[0]?.status, 200);
    // stop() resolves once every request the server took has ended and every connection is
    // closed: by then a cut-off request that reached the handler would be in `handled`.
    await own.stop(5_000);
    assert.deepEqual(
      handled.map((request) => request.body.toString()),
      ['{}'],
      'only the complete request reached the handler',
    );
  });

  it('H-05: TE+CL, duplicate CL, obs-fold and bare LF → 400 and closed', async () => {
    const host = `Host: 127.0.0.1:${port}`;
    const smuggling = {
      'TE + CL': `POST / HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
      'duplicate CL': `POST / HTTP/1.1\r\n${host}\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}`,
      'conflicting CL': `POST / HTTP/1.1\r\n${host}\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`,
      'obs-fold': `POST / HTTP/1.1\r\n${host}\r\nX-A: a\r\n folded\r\nContent-Length: 2\r\n\r\n{}`,
      'bare LF': `POST / HTTP/1.1\n${host}\nContent-Length: 2\n\n{}`,
    };
    const seen = await observe(async () => {
      for (const [name, bytes] of Object.entries(smuggling)) {
        const result = await exchange(port, bytes);
        assert.equal(result.responses[0]?.status, 400, name);
        assert.equal(result.closed, true, name);
      }
    });
    assert.equal(seen.calls.length, 0);
  });

  it('H-16: 2,001 headers → no crash: answered (Node caps what it keeps), server still serves', async () => {
    const many = Array.from({ length: 2_001 }, (_, i): [string, string] => [`h${i}`, 'v']);
    const seen = await observe(async () => {
      const result = await exchange(port, rawRequest(port, { headers: many, body: '{}' }));
      assert.ok(
        [200, 400, 431].includes(result.responses[0]?.status ?? 0),
        result.text.slice(0, 80),
      );
      const next = await exchange(port, rawRequest(port, { body: '{}' }));
      assert.equal(next.responses[0]?.status, 200);
    });
    for (const call of seen.calls) assert.ok(call.headers.length < 2_001);
  });

  it('H-16 / J-18: headers over 16 KiB (2,001 long ones; a 20 KiB Authorization) → 431, server alive', async () => {
    const long = Array.from({ length: 2_001 }, (_, i): [string, string] => [
      `x-header-${i}`,
      `value-${i}`,
    ]);
    const seen = await observe(async () => {
      const many = await exchange(port, rawRequest(port, { headers: long, body: '{}' }));
      assert.equal(many.responses[0]?.status, 431);
      assert.equal(many.closed, true);
      const token = await exchange(
        port,
        rawRequest(port, {
          headers: [['Authorization', `Bearer ${'a'.repeat(20 * 1024)}`]],
          body: '{}',
        }),
      );
      assert.equal(token.responses[0]?.status, 431);
      const next = await exchange(port, rawRequest(port, { body: '{}' }));
      assert.equal(next.responses[0]?.status, 200);
    });
    assert.equal(seen.calls.length, 1);
  });

  it('H-17: 10 pipelined requests in one write → all answered once each, in order', async () => {
    const delays = [90, 10, 70, 0, 50, 30, 0, 20, 5, 0];
    behaviour = async (request) => {
      const n = Number(request.url.split('/').pop());
      await new Promise((resolve) => setTimeout(resolve, delays[n] ?? 0));
      return jsonAnswer(200, { n });
    };
    try {
      const seen = await observe(async () => {
        const requests = delays.map((_, n) =>
          rawRequest(port, {
            path: `/hook/${n}`,
            body: `{"n":${n}}`,
            close: n === delays.length - 1,
          }),
        );
        const result = await exchange(port, Buffer.concat(requests), 5_000);
        assert.deepEqual(
          result.responses.map((response) => [response.status, response.body]),
          delays.map((_, n) => [200, `{"n":${n}}`]),
        );
      });
      assert.deepEqual(
        seen.calls.map((call) => call.url).sort(),
        delays.map((_, n) => `/hook/${n}`).sort(),
      );
    } finally {
      behaviour = (request) =>
        Promise.resolve(jsonAnswer(200, { received: true, bytes: request.body.length }));
    }
  });

  it('L-11: error answers are generic: no stack trace, no paths, no versions, no echo', async () => {
    behaviour = () => Promise.reject(new Error('boom at /home/dev/secret/path.ts:12:3'));
    const bodies: string[] = [];
    try {
      const cases: RawRequest[] = [
        { body: '{}' }, // handler fails → 500
        { host: 'evil.example', body: '{}' }, // 421
        { headers: [['Origin', 'https://evil.example']], body: '{}' }, // 403
        { method: 'GET' }, // 405
        { headers: [['Content-Length', String(50 * 1024 * 1024)]] }, // 413
        { headers: [['Content-Encoding', 'zstd']], body: 'x' }, // 415
        { host: null }, // 400 from Node
      ];
      for (const request of cases) {
        const result = await exchange(port, rawRequest(port, request));
        const response = result.responses[0];
        assert.ok(response && response.status >= 400, result.text.slice(0, 60));
        bodies.push(response.body);
        const headerText = response.headers.map(([name, value]) => `${name}: ${value}`).join('\n');
        assert.doesNotMatch(headerText, /^(server|x-powered-by):/im);
      }
    } finally {
      behaviour = (request) =>
        Promise.resolve(jsonAnswer(200, { received: true, bytes: request.body.length }));
    }
    for (const body of bodies) {
      assert.ok(body.length < 100, body);
      assert.doesNotMatch(body, /\bat \S|Error:|boom|\/home|node:|v\d+\.\d+|evil|\.ts\b/, body);
    }
    assert.equal(bodies[0], '{"error":"internal error"}');
  });

  it('H-09: no response in this file carried any Access-Control-* header', () => {
    assert.ok(everyResponse.length > 50, `${everyResponse.length} responses were checked`);
    for (const text of everyResponse) assert.doesNotMatch(text, /^access-control-/im);
  });
});

describe('receiver start and stop', () => {
  it('L-09: a busy port → ReceiverStartError EADDRINUSE naming the port', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const busyPort = typeof address === 'object' && address ? address.port : 0;
    try {
      await assert.rejects(
        startReceiver({ host: '127.0.0.1', port: busyPort }, () =>
          Promise.resolve(jsonAnswer(200, {})),
        ),
        (error: unknown) => {
          assert.ok(error instanceof ReceiverStartError);
          assert.equal(error.code, 'EADDRINUSE');
          assert.match(error.message, new RegExp(`Port ${busyPort} is already in use`));
          return true;
        },
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('issue 14.8: a receiver bound to 127.0.0.2 answers to its own address', async () => {
    let receiverOn2: RunningReceiver;
    try {
      receiverOn2 = await startReceiver({ host: '127.0.0.2', port: 0 }, () =>
        Promise.resolve(jsonAnswer(200, {})),
      );
    } catch {
      return; // This machine has no 127.0.0.2; nothing to check.
    }
    runningReceivers.push(receiverOn2);
    const result = await exchange(
      receiverOn2.port,
      rawRequest(receiverOn2.port, { host: `127.0.0.2:${receiverOn2.port}`, body: '{}' }),
      3_000,
      '127.0.0.2',
    );
    assert.equal(result.responses[0]?.status, 200);
  });

  it("issue 14.8: a request carrying this receiver's own loop marker is refused with 508", async () => {
    const looping = await startReceiver({ host: '127.0.0.1', port: 0, loopMarker: 'run-abc' }, () =>
      Promise.resolve(jsonAnswer(200, {})),
    );
    runningReceivers.push(looping);
    const again = await exchange(
      looping.port,
      rawRequest(looping.port, { headers: [['X-HookLens-Loop', 'run-abc']], body: '{}' }),
    );
    assert.equal(again.responses[0]?.status, 508);
    const other = await exchange(
      looping.port,
      rawRequest(looping.port, { headers: [['X-HookLens-Loop', 'another-run']], body: '{}' }),
    );
    assert.equal(other.responses[0]?.status, 200, "another receiver's forward is a delivery");
  });

  it('issue 14.6: body bytes in flight are capped: past the cap a new request gets 503 with Retry-After, the first is never refused', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const handlerReached = new Promise<void>((resolve) => (reached = resolve));
    const capped = await startReceiver(
      { host: '127.0.0.1', port: 0, maxBodyBytes: 1_000, maxInFlightBytes: 1_500 },
      async () => {
        reached();
        await released;
        return jsonAnswer(200, {});
      },
    );
    runningReceivers.push(capped);
    const body = 'x'.repeat(900);
    const first = exchange(capped.port, rawRequest(capped.port, { body }), 5_000);
    await handlerReached;
    const second = await exchange(capped.port, rawRequest(capped.port, { body }));
    assert.equal(second.responses[0]?.status, 503);
    assert.ok(
      second.responses[0]?.headers.some(
        ([name, value]) => /^retry-after$/i.test(name) && value === '1',
      ),
    );
    release();
    assert.equal((await first).responses[0]?.status, 200);
    // Once the first is answered its bytes are released.
    const third = await exchange(capped.port, rawRequest(capped.port, { body }));
    assert.equal(third.responses[0]?.status, 200);
  });

  it('maxBodyBytes above 25 MiB is capped at 25 MiB', async () => {
    const receiver = await startReceiver(
      { host: '127.0.0.1', port: 0, maxBodyBytes: 100 * 1024 * 1024 },
      () => Promise.resolve(jsonAnswer(200, {})),
    );
    runningReceivers.push(receiver);
    const result = await exchange(
      receiver.port,
      rawRequest(receiver.port, { headers: [['Content-Length', String(26 * 1024 * 1024)]] }),
    );
    assert.equal(result.responses[0]?.status, 413);
  });

  it('D-10: stop() lets an in-flight slow delivery finish, then refuses new connections', async () => {
    let reached!: () => void;
    const handlerReached = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const receiver = await startReceiver({ host: '127.0.0.1', port: 0 }, async () => {
      reached();
      await released;
      return jsonAnswer(200, { received: true, id: 'slow' });
    });
    const inFlight = exchange(receiver.port, rawRequest(receiver.port, { body: '{}' }), 5_000);
    await handlerReached;
    const events: string[] = [];
    const stopping = receiver.stop(5_000).then(() => events.push('stopped'));
    // Stopping is under way (new connections are refused at once) while the handler still holds
    // the delivery; only then is it let go. stop() must resolve after that, never before.
    const refused = await exchange(receiver.port, rawRequest(receiver.port, { body: '{}' }), 1_000);
    assert.equal(refused.error, 'ECONNREFUSED');
    events.push('released');
    release();
    const result = await inFlight;
    assert.equal(result.responses[0]?.status, 200);
    assert.equal(result.responses[0]?.body, '{"received":true,"id":"slow"}');
    await stopping;
    assert.deepEqual(events, ['released', 'stopped'], 'stop waited for the in-flight delivery');
  });

  it('stop(graceMs) does not wait forever for a handler that never answers', async () => {
    let reached!: () => void;
    const handlerReached = new Promise<void>((resolve) => (reached = resolve));
    const receiver = await startReceiver({ host: '127.0.0.1', port: 0 }, () => {
      reached();
      return new Promise(() => undefined);
    });
    const hanging = exchange(receiver.port, rawRequest(receiver.port, { body: '{}' }), 10_000);
    await handlerReached;
    // That stop() resolves at all is the point; the bound only turns a hang into a failure.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      receiver.stop(200).then(() => 'stopped' as const),
      new Promise<'hung'>((resolve) => (bound = setTimeout(() => resolve('hung'), 10_000))),
    ]);
    clearTimeout(bound);
    assert.equal(outcome, 'stopped');
    const result = await hanging;
    assert.equal(result.closed, true, 'the server closed the connection');
    assert.equal(result.text, '', 'nothing was acknowledged');
  });
});

describe('allowedHostName', () => {
  it('accepts tunnel URLs as well as host names (with or without a port)', () => {
    assert.equal(allowedHostName('https://abc.ngrok.app/'), 'abc.ngrok.app');
    assert.equal(allowedHostName('ABC.ngrok.app:443'), 'abc.ngrok.app');
    assert.equal(allowedHostName(' tunnel.example '), 'tunnel.example');
  });
});
