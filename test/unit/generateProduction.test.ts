// Issue 13's remaining gaps in the model and the printed code: the generic HMAC settings reach the
// profile, and rotation
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateHandlerCode, resolveTarget } from '../../src/core/generate/index';
import { GenerationError } from '../../src/core/generate/model';
import { buildHandlerModel } from '../../src/core/generate/samples';
import type { GenericHmacConfig } from '../../src/core/verify/schemes/genericHmac';
import { recordFromBody, templateRecords } from './generateFixtures';

const ACME: GenericHmacConfig = {
  header: 'X-Acme-Signature',
  prefix: 'sha512=',
  algorithm: 'sha512',
  encoding: 'base64',
  template: '{body}',
};

function acmeRecord(n: number): ReturnType<typeof recordFromBody> {
  return recordFromBody(JSON.stringify({ type: 'order.paid', n }), 'order.paid', 'generic-hmac', [
    ['Content-Type', 'application/json'],
    ['X-Acme-Signature', 'sha512=AAAA'],
  ]);
}

describe('generic HMAC settings in the model', () => {
  it('uses the settings given: header, prefix, digest and encoding', () => {
    const model = buildHandlerModel([acmeRecord(1), acmeRecord(2)], { genericHmac: ACME });
    assert.deepEqual(model.verification.family, {
      kind: 'template',
      headers: ['X-Acme-Signature'],
      prefix: 'sha512=',
      algorithm: 'sha512',
      encoding: 'base64',
      parts: [{ kind: 'body' }],
    });
  });

  it('refuses, naming --generic-hmac, when the samples lack the configured header', () => {
    assert.throws(
      () => buildHandlerModel([acmeRecord(1)]),
      (error: unknown) =>
        error instanceof GenerationError &&
        /X-Signature/.test(error.message) &&
        /--generic-hmac/.test(error.message) &&
        /hooklens\.genericHmac/.test(error.message),
    );
  });
});

describe('secret rotation in every target', () => {
  for (const [language, framework, server, reads] of [
    ['typescript', 'node', 'server.ts', /process\.env\['WEBHOOK_SECRET_PREVIOUS'\]/],
    [
      'python',
      'fastapi',
      'webhook_handler.py',
      /os\.environ\.get\("WEBHOOK_SECRET_PREVIOUS", ""\)/,
    ],
    ['go', 'nethttp', 'main.go', /os\.Getenv\("WEBHOOK_SECRET_PREVIOUS"\)/],
  ] as const) {
    it(`${language}: reads WEBHOOK_SECRET_PREVIOUS, says so, and its test signs with the previous secret`, async () => {
      const code = await generateHandlerCode(
        templateRecords('stripe.payment_intent.succeeded', 2),
        resolveTarget(language, framework),
      );
      const file = (name: string): string => code.files.find((each) => each.name === name)!.content;
      assert.match(file(server), reads);
      assert.match(
        file(server),
        /WEBHOOK_SECRET_PREVIOUS \(optional\) holds the secret being rotated out/,
      );
      const test = code.files.find((each) => /test/i.test(each.name))!.content;
      assert.match(test, /PREVIOUS_SECRET|previousSecret/);
    });
  }
});
