// Issue 13's remaining gaps in the model and the printed code: the generic HMAC settings reach the
// profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GenerationError } from '../../src/core/generate/model';
import { buildHandlerModel } from '../../src/core/generate/samples';
import type { GenericHmacConfig } from '../../src/core/verify/schemes/genericHmac';
import { recordFromBody } from './generateFixtures';

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
