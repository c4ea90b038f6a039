import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSecret, generateSecret, MAX_SECRET_CHARS } from '../../src/core/secrets/secretPolicy';

describe('checkSecret', () => {
  it('J-21: refuses an empty secret', () => {
    const result = checkSecret('');
    assert.equal(result.ok, false);
  });

  it('J-21: warns about a 10-character secret but accepts it', () => {
    const result = checkSecret('purpleunic');
    assert.ok(result.ok);
    assert.match(result.warnings.join('\n'), /10 bytes/);
  });

  it('J-21: accepts a 1,024-character secret, refuses 1,025', () => {
    assert.deepEqual(checkSecret('x'.repeat(MAX_SECRET_CHARS)), { ok: true, warnings: [] });
    assert.equal(checkSecret('x'.repeat(MAX_SECRET_CHARS + 1)).ok, false);
  });

  it('J-09: warns when the secret has leading or trailing whitespace', () => {
    const result = checkSecret('purple unicorn purple unicorn purple\n');
    assert.ok(result.ok);
    assert.match(result.warnings.join('\n'), /whitespace/);
  });

  it('J-06: refuses PEM keys and JWK/JWKS documents used as an HS secret', () => {
    assert.equal(
      checkSecret('-----BEGIN PUBLIC KEY-----\nMIIB...\n-----END PUBLIC KEY-----').ok,
      false,
    );
    assert.equal(checkSecret('{"kty":"oct","k":"abc"}').ok, false);
    assert.equal(checkSecret('{"keys":[]}').ok, false);
  });

  it('accepts a JSON-looking secret that is not a key', () => {
    assert.ok(checkSecret('{"not":"a key but long enough to pass"}').ok);
  });
});

describe('generateSecret', () => {
  it('makes distinct 43-character base64url secrets that pass the policy without warnings', () => {
    const a = generateSecret();
    const b = generateSecret();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(checkSecret(a), { ok: true, warnings: [] });
  });
});
