// Issue 13's remaining gaps, each run as real generated servers: the generic HMAC scheme the user
// configured reaches the handler (`hooklens generate --generic-hmac`).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { GenericHmacConfig } from '../../src/core/verify/schemes/genericHmac';
import { goToolchain, pythonWithFastapi } from './generatedToolchains';
import {
  fillStore,
  freePort,
  GENERATED_ROOT,
  generateInto,
  runGeneratedTest,
  send,
  serveGenerated,
  stop,
  timesReached,
  type Language,
  type Req,
} from './generateServers';
import { cleanUp, runCli } from './listenProcess';

after(cleanUp);

const missingGo = goToolchain();
const python = pythonWithFastapi();
const LANGUAGES: readonly Language[] = [
  'typescript',
  ...(python ? (['python'] as const) : []),
  ...(missingGo ? [] : (['go'] as const)),
];

const seconds = (ms: number): number => Math.floor(ms / 1000);

// ---------------------------------------------------------------------------------------------
// 1. Generic HMAC: the handler checks what the receiver checked.

const ACME: GenericHmacConfig = {
  header: 'X-Acme-Signature',
  prefix: 'sha512=',
  algorithm: 'sha512',
  encoding: 'base64',
  template: '{timestamp}.{body}',
  timestampHeader: 'X-Acme-Timestamp',
  toleranceSeconds: 300,
};
const ACME_SECRET = 'acme-generic-hmac-secret-5b1e';

function acmeRequest(event: string, n: number, nowMs: number, secret = ACME_SECRET): Req {
  const body = JSON.stringify({ type: event, id: `acme_${n}`, data: { n, note: `n${n}` } });
  const stamp = String(seconds(nowMs));
  return {
    path: '/acme',
    headers: {
      'content-type': 'application/json',
      'x-acme-timestamp': stamp,
      'x-acme-signature': `sha512=${createHmac('sha512', secret).update(`${stamp}.${body}`).digest('base64')}`,
    },
    body,
  };
}

describe('generic HMAC: hooklens generate --generic-hmac', () => {
  it('refuses without the settings, naming --generic-hmac, instead of checking X-Signature', async () => {
    const nowMs = Date.now();
    const store = await fillStore(
      [acmeRequest('order.paid', 1, nowMs)],
      [{ provider: 'generic-hmac', label: 'current', value: ACME_SECRET }],
      { genericHmac: ACME },
    );
    const result = await runCli(
      ['generate', '--store', store, '--lang', 'typescript', '--out', join(GENERATED_ROOT, 'x')],
      {},
      60_000,
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /X-Signature/);
    assert.match(result.stderr, /--generic-hmac/);
    const bad = await runCli(
      ['generate', '--store', store, '--lang', 'go', '--out', join(GENERATED_ROOT, 'x')].concat([
        '--generic-hmac',
        '{"header":"X-Acme-Signature","algorithm":"md5"}',
      ]),
      {},
      60_000,
    );
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /algorithm must be sha1, sha256 or sha512/);
  });

  it('TypeScript, Python and Go verify the configured header, prefix, digest, encoding and timestamp', async () => {
    const nowMs = Date.now();
    const store = await fillStore(
      [
        acmeRequest('order.paid', 1, nowMs),
        acmeRequest('order.paid', 2, nowMs),
        acmeRequest('order.refunded', 3, nowMs),
      ],
      [{ provider: 'generic-hmac', label: 'current', value: ACME_SECRET }],
      { genericHmac: ACME },
    );
    for (const language of LANGUAGES) {
      const out = join(GENERATED_ROOT, `generic-hmac-${language}`);
      const generated = await generateInto(store, out, language, [
        '--generic-hmac',
        JSON.stringify(ACME),
      ]);
      assert.match(generated.stderr, /for Generic HMAC from 3 deliveries/);
      const port = await freePort();
      const server = await serveGenerated(out, language, port, { WEBHOOK_SECRET: ACME_SECRET });
      const base = `http://127.0.0.1:${port}`;
      try {
        const fresh = acmeRequest('order.paid', 9, Date.now());
        const checks: Array<[string, Req, number]> = [
          ['a fresh delivery', fresh, 200],
          ['a tampered body', { ...fresh, body: fresh.body.replace('n9', 'n8') }, 401],
          ['another secret', acmeRequest('order.paid', 10, Date.now(), 'other'), 401],
          ['a stale timestamp', acmeRequest('order.paid', 11, Date.now() - 3600_000), 401],
          [
            'the signature without its prefix',
            {
              ...fresh,
              headers: {
                ...fresh.headers,
                'x-acme-signature': fresh.headers['x-acme-signature']!.slice('sha512='.length),
              },
            },
            401,
          ],
        ];
        for (const [name, request, status] of checks) {
          const answer = await send(base, request);
          assert.equal(answer.status, status, `${language}: ${name}: ${answer.text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(timesReached(server.output, 'order.paid'), 1, server.output);
      } finally {
        await stop(server);
      }
      const tested = await runGeneratedTest(out, language);
      assert.equal(tested.status, 0, `${language} generated test:\n${tested.output}`);
    }
  });
});
