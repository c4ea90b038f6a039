// Tokens refused before any cryptography: unsigned, wrong algorithm family, broken encodings,
// odd JSON, extension headers, and key-fetching headers that must be ignored.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { MAX_TOKEN_CHARS } from '../../src/core/verify/jwsStructure';
import { signCompact, signToken } from '../../src/core/verify/sign';

const SECRET = 'purple unicorn';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const verifier = createVerifier([{ label: 'watson', value: SECRET }]);
const valid = signToken(SECRET, { sub: 'x' }, { nowMs: NOW });
const [validHeader = '', validPayload = '', validSignature = ''] = valid.split('.');
const CLAIMS = JSON.stringify({ sub: 'x', iat: NOW_S });

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** An HMAC-signed token (correct secret) whose header says whatever `headerText` says. */
function signedWithHeader(headerText: string, payloadText = CLAIMS): string {
  return signCompact(SECRET, 'HS256', headerText, payloadText);
}

/** A correctly signed HS256 token with exactly this payload text. */
function signedPayload(payloadText: string): string {
  return signCompact(SECRET, 'HS256', '{"alg":"HS256","typ":"JWT"}', payloadText);
}

function verdictOf(token: string): string {
  return verifier.verify(token, NOW).verdict;
}

describe('J-04: unsigned tokens', () => {
  it('J-04: alg none in every spelling → wrong_algorithm, with an empty signature or a trailing dot', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(CLAIMS)}`;
      for (const token of [`${unsigned}.`, `${unsigned}.${validSignature}`]) {
        const result = verifier.verify(token, NOW);
        assert.equal(result.verdict, 'wrong_algorithm', `${alg}: ${token}`);
        assert.match(result.reason, /unsigned/);
        assert.deepEqual(result.header, { alg, typ: 'JWT' });
      }
      // Without the trailing dot it has two parts, which is malformed before alg is read.
      assert.equal(verdictOf(unsigned), 'malformed_token');
    }
  });
});

describe('J-05: algorithms other than the pinned HS256', () => {
  it('J-05: HS384 and HS512 validly signed with the same secret are refused when pinned to HS256', () => {
    for (const algorithm of ['HS384', 'HS512'] as const) {
      const token = jwt.sign({ sub: 'x', iat: NOW_S }, SECRET, { algorithm });
      const result = verifier.verify(token, NOW);
      assert.equal(result.verdict, 'wrong_algorithm', algorithm);
      assert.match(result.reason, new RegExp(`"${algorithm}"; HookLens accepts only HS256`));
    }
  });

  it('J-05: HS384 and HS512 verify when allowed', () => {
    const allowAll = createVerifier([{ label: 'watson', value: SECRET }], {
      algorithms: ['HS256', 'HS384', 'HS512'],
      clockToleranceSeconds: 60,
    });
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const token = jwt.sign({ sub: 'x', iat: NOW_S }, SECRET, { algorithm });
      assert.equal(allowAll.verify(token, NOW).verdict, 'verified', algorithm);
    }
  });

  it('J-05: RS256, PS256, ES256 and EdDSA tokens (really signed) → wrong_algorithm', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const tokens = [
      jwt.sign({ sub: 'x' }, rsa, { algorithm: 'RS256' }),
      jwt.sign({ sub: 'x' }, rsa, { algorithm: 'PS256' }),
      jwt.sign({ sub: 'x' }, ec, { algorithm: 'ES256' }),
      signEdDsa({ sub: 'x' }),
    ];
    for (const token of tokens) assert.equal(verdictOf(token), 'wrong_algorithm', token);
  });

  it('J-05: an algorithm name differing only in case is not HS256', () => {
    assert.equal(verdictOf(signedWithHeader('{"alg":"hs256"}')), 'wrong_algorithm');
  });

  it('J-07: PBES2 with a huge p2c is refused from the header alone, without key derivation', () => {
    const token = signedWithHeader('{"alg":"PBES2-HS256+A128KW","p2c":2147483648}');
    assert.equal(verdictOf(token), 'wrong_algorithm');
  });
});

function signEdDsa(claims: object): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const input = `${b64('{"alg":"EdDSA","typ":"JWT"}')}.${b64(JSON.stringify(claims))}`;
  return `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

describe('J-06: public keys used as HMAC secrets', () => {
  const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

  it('J-06: an HS256 token HMAC-ed with a PEM public key → invalid_signature', () => {
    const token = signCompact(publicPem, 'HS256', '{"alg":"HS256","typ":"JWT"}', CLAIMS);
    assert.equal(verdictOf(token), 'invalid_signature');
  });

  it('J-06: an RS256-labelled token HMAC-ed with the PEM → wrong_algorithm, even with the PEM configured', () => {
    const token = signCompact(publicPem, 'HS256', '{"alg":"RS256","typ":"JWT"}', CLAIMS);
    assert.equal(verdictOf(token), 'wrong_algorithm');
    const pemConfigured = createVerifier([{ label: 'pem', value: publicPem }]);
    assert.equal(pemConfigured.verify(token, NOW).verdict, 'wrong_algorithm');
  });

  it('J-06: a JWK JSON used as the HMAC secret → invalid_signature', () => {
    const jwk = '{"kty":"oct","k":"cHVycGxlIHVuaWNvcm4"}';
    const token = signCompact(jwk, 'HS256', '{"alg":"HS256","typ":"JWT"}', CLAIMS);
    assert.equal(verdictOf(token), 'invalid_signature');
  });
});

describe('J-07: broken compact serialisations', () => {
  const signingInput = `${validHeader}.${validPayload}`;
  const cases: Record<string, string> = {
    'empty signature': `${signingInput}.`,
    'truncated signature (-3 chars)': `${signingInput}.${validSignature.slice(0, -3)}`,
    'over-long signature': `${signingInput}.${validSignature}AAAA`,
    'non-base64url character in the signature': `${signingInput}.${validSignature.slice(0, -1)}+`,
    'non-base64url character in the payload': `${validHeader}.${validPayload}!.${validSignature}`,
    '= padding on the signature': `${signingInput}.${validSignature}=`,
    '= padding on the header': `${validHeader}=.${validPayload}.${validSignature}`,
    'standard base64 / instead of _': `${signingInput}.${validSignature.replace(/[-_]/g, '/')}/`,
    'two segments': signingInput,
    'four segments': `${valid}.${validSignature}`,
    'one segment': validHeader,
    'empty header': `.${validPayload}.${validSignature}`,
    'empty payload': `${validHeader}..${validSignature}`,
    'only dots': '..',
    'impossible base64url length (4n+1)': `${validHeader}A.${validPayload}.${validSignature}`,
  };

  for (const [name, token] of Object.entries(cases)) {
    it(`J-07: ${name} → malformed_token`, () => {
      const result = verifier.verify(token, NOW);
      assert.equal(result.verdict, 'malformed_token', result.reason);
    });
  }

  it('J-07: JWE (five segments) → malformed_token with a reason that says encrypted', () => {
    const jwe = `${b64('{"alg":"dir","enc":"A128GCM"}')}..${b64('iv')}.${b64('ct')}.${b64('tag')}`;
    const result = verifier.verify(jwe, NOW);
    assert.equal(result.verdict, 'malformed_token');
    assert.match(result.reason, /encrypted \(JWE\)/);
  });

  it('J-07: a malformed signature still shows the decoded header and claims', () => {
    const result = verifier.verify(`${signingInput}.`, NOW);
    assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT' });
    assert.equal(result.claims?.sub, 'x');
  });

  it('J-18: a 15 KiB token verifies; one longer than HookLens accepts is malformed', () => {
    const big = signToken(SECRET, { blob: 'x'.repeat(11_000) }, { nowMs: NOW });
    assert.ok(big.length > 14_000 && big.length < 16_384, String(big.length));
    assert.equal(verdictOf(big), 'verified');
    const huge = signToken(SECRET, { blob: 'x'.repeat(MAX_TOKEN_CHARS) }, { nowMs: NOW });
    assert.equal(verdictOf(huge), 'malformed_token');
  });
});

describe('J-14: time claims of the wrong type', () => {
  const cases = ['"123"', 'null', 'true', '1e400', '[1]', '{"n":1}'];
  for (const name of ['exp', 'nbf', 'iat']) {
    it(`J-14: "${name}" as ${cases.join(', ')} → malformed_token`, () => {
      for (const value of cases) {
        const result = verifier.verify(signedPayload(`{"sub":"x","${name}":${value}}`), NOW);
        assert.equal(result.verdict, 'malformed_token', `${name}: ${value}`);
        assert.match(result.reason, new RegExp(`"${name}" claim`));
        assert.equal(result.claims?.sub, 'x', 'claims still shown');
      }
    });
  }

  it('J-14: negative and float times are numbers: exp -1 is long expired, exp 1.5e9 too', () => {
    assert.equal(verdictOf(signedPayload('{"exp":-1}')), 'expired');
    assert.equal(verdictOf(signedPayload('{"exp":1.5e9}')), 'expired');
    assert.equal(verdictOf(signedPayload(`{"exp":${NOW_S + 0.5}}`)), 'verified');
    assert.equal(verdictOf(signedPayload('{"iat":1.5e9,"nbf":-1}')), 'verified');
  });
});

describe('J-15: payloads that are not JSON objects', () => {
  for (const payload of ['[]', '"str"', '1', 'null', '{', 'true', '[{"exp":1}]']) {
    it(`J-15: payload ${payload} → malformed_token`, () => {
      const result = verifier.verify(signedPayload(payload), NOW);
      assert.equal(result.verdict, 'malformed_token');
      assert.match(result.reason, /payload/);
      assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT' });
      assert.equal(result.claims, undefined);
    });
  }

  it('J-15: a header that is not a JSON object, or not UTF-8 → malformed_token', () => {
    assert.equal(verdictOf(signedWithHeader('["HS256"]')), 'malformed_token');
    assert.equal(verdictOf(signedWithHeader('"HS256"')), 'malformed_token');
    const latin1 = Buffer.from('{"alg":"HS256","x":"\xe9"}', 'latin1').toString('base64url');
    assert.equal(verdictOf(`${latin1}.${validPayload}.${validSignature}`), 'malformed_token');
    const bom = `\ufeff{"alg":"HS256"}`;
    assert.equal(verdictOf(signedWithHeader(bom)), 'malformed_token');
  });
});

describe('J-16: ambiguous and extension headers', () => {
  it('J-16: duplicate "alg" (also written with an escape) → malformed_token', () => {
    for (const header of [
      '{"alg":"HS256","alg":"none"}',
      '{"alg":"none","alg":"HS256"}',
      '{"alg":"HS256","\\u0061lg":"HS256"}',
    ]) {
      const result = verifier.verify(signedWithHeader(header), NOW);
      assert.equal(result.verdict, 'malformed_token', header);
      assert.match(result.reason, /more than once/);
    }
  });

  it('J-16: duplicate claims → malformed_token, so what is shown is what was checked', () => {
    const result = verifier.verify(signedPayload(`{"exp":${NOW_S + 60},"exp":1}`), NOW);
    assert.equal(result.verdict, 'malformed_token');
    assert.match(result.reason, /"exp" more than once/);
  });

  it('J-16: the same key nested at different depths is not a duplicate', () => {
    const header = '{"alg":"HS256","x":{"alg":"none","y":[{"alg":1}]},"s":"\\"alg\\":"}';
    assert.equal(verdictOf(signedWithHeader(header)), 'verified');
  });

  it('J-16: crit with an unknown extension, an empty crit, and b64:false → malformed_token', () => {
    for (const header of [
      '{"alg":"HS256","crit":["x-unknown"],"x-unknown":1}',
      '{"alg":"HS256","crit":[]}',
      '{"alg":"HS256","b64":false,"crit":["b64"]}',
      '{"alg":"HS256","b64":false}',
    ]) {
      assert.equal(verdictOf(signedWithHeader(header)), 'malformed_token', header);
    }
  });

  it('J-16: b64:true is the default meaning and is accepted', () => {
    assert.equal(verdictOf(signedWithHeader('{"alg":"HS256","b64":true}')), 'verified');
  });
});

describe('J-17: key-locating headers are ignored', () => {
  it('J-17: kid path traversal, jku/x5u to the metadata address, embedded jwk/x5c: no I/O, signature decides', () => {
    const headers = [
      { alg: 'HS256', kid: '../../etc/passwd' },
      { alg: 'HS256', jku: 'http://169.254.169.254/latest/meta-data/' },
      { alg: 'HS256', x5u: 'https://169.254.169.254/cert.pem' },
      { alg: 'HS256', jwk: { kty: 'oct', k: b64('attacker key') } },
      { alg: 'HS256', x5c: ['MIIB'] },
    ];
    const outcomes = withForbiddenIo(() =>
      headers.flatMap((header) => [
        verifier.verify(signedWithHeader(JSON.stringify(header)), NOW).verdict,
        // The attacker's own key, offered in the header, is never used.
        verifier.verify(signCompact('attacker key', 'HS256', JSON.stringify(header), CLAIMS), NOW)
          .verdict,
      ]),
    );
    assert.deepEqual(outcomes.calls, []);
    // Control: the spies are live, so an outbound call would have been recorded.
    const control = withForbiddenIo(() =>
      assert.throws(() => http.request('http://169.254.169.254/')),
    );
    assert.deepEqual(control.calls, ['http.request']);
    assert.deepEqual(
      outcomes.value,
      headers.flatMap(() => ['verified', 'invalid_signature']),
    );
  });
});

type Patchable = Record<string, unknown>;

/** Runs `action` with network and file functions replaced by spies that record and throw. */
function withForbiddenIo<T>(action: () => T): { value: T; calls: string[] } {
  const calls: string[] = [];
  const targets: [string, Patchable, string[]][] = [
    ['http', http, ['request', 'get']],
    ['https', https, ['request', 'get']],
    ['net', net, ['connect', 'createConnection']],
    ['tls', tls, ['connect']],
    ['fs', fs, ['readFileSync', 'readFile', 'openSync', 'open']],
  ];
  const originals: [Patchable, string, unknown][] = [];
  for (const [moduleName, target, names] of targets) {
    for (const name of names) {
      originals.push([target, name, target[name]]);
      target[name] = () => {
        calls.push(`${moduleName}.${name}`);
        throw new Error(`${moduleName}.${name} called during verification`);
      };
    }
  }
  try {
    return { value: action(), calls };
  } finally {
    for (const [target, name, original] of originals) target[name] = original;
  }
}
