// Known-answer vectors, agreement with jsonwebtoken (the library Watson's docs verify with), the
// signer used by replay and "Send test event", and the dedupe key.
import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { hmacSignature } from '../../src/core/verify/hmac';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { DEFAULT_EXPIRES_IN_SECONDS, signCompact, signToken } from '../../src/core/verify/sign';
import { tokenDedupeKey } from '../../src/core/verify/tokenKey';

const SECRET = 'purple unicorn';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const NOW_S = NOW / 1000;

// RFC 7515 Appendix A.1: HS256 with a binary JWK key; the JSON texts contain CR LF.
const RFC7515_KEY = Buffer.from(
  'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  'base64url',
);
const RFC7515_HEADER = '{"typ":"JWT",\r\n "alg":"HS256"}';
const RFC7515_PAYLOAD =
  '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';
const RFC7515_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7515_EXP_MS = 1300819380 * 1000;

// RFC 7520 §4.4: HS256 with a kid; the payload is prose, not JSON claims.
const RFC7520_KEY = Buffer.from('hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg', 'base64url');
const RFC7520_HEADER = '{"alg":"HS256","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037"}';
const RFC7520_PAYLOAD =
  'It\u2019s a dangerous business, Frodo, going out your door. You step onto the road, and if ' +
  "you don't keep your feet, there\u2019s no knowing where you might be swept off to.";
const RFC7520_TOKEN =
  'eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9' +
  '.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250' +
  'byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hl' +
  'cmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4' +
  '.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0';

describe('J-24: known-answer vectors', () => {
  it('J-24: RFC 7515 A.1 — the HMAC over the signing input matches at the KeyObject level', () => {
    const [header = '', payload = '', signature = ''] = RFC7515_TOKEN.split('.');
    const computed = hmacSignature('HS256', createSecretKey(RFC7515_KEY), `${header}.${payload}`);
    assert.equal(computed.toString('base64url'), signature);
  });

  it('J-24: RFC 7515 A.1 — signCompact reproduces the token byte for byte', () => {
    assert.equal(signCompact(RFC7515_KEY, 'HS256', RFC7515_HEADER, RFC7515_PAYLOAD), RFC7515_TOKEN);
  });

  it('J-24: RFC 7515 A.1 — verified with the clock frozen before exp, expired after', () => {
    const rfc = createVerifier([{ label: 'rfc7515', value: RFC7515_KEY }]);
    const before = rfc.verify(RFC7515_TOKEN, RFC7515_EXP_MS - 1000);
    assert.equal(before.verdict, 'verified');
    assert.deepEqual(before.header, { typ: 'JWT', alg: 'HS256' });
    assert.deepEqual(before.claims, {
      iss: 'joe',
      exp: 1300819380,
      'http://example.com/is_root': true,
    });
    assert.equal(rfc.verify(RFC7515_TOKEN, RFC7515_EXP_MS + 61_000).verdict, 'expired');
  });

  it('J-24: RFC 7520 §4.4 — signCompact matches byte for byte; the verifier refuses its prose payload', () => {
    assert.equal(signCompact(RFC7520_KEY, 'HS256', RFC7520_HEADER, RFC7520_PAYLOAD), RFC7520_TOKEN);
    const result = createVerifier([{ label: 'rfc7520', value: RFC7520_KEY }]).verify(
      RFC7520_TOKEN,
      NOW,
    );
    assert.equal(result.verdict, 'malformed_token');
    assert.match(result.reason, /payload is not valid JSON/);
    assert.equal(result.header?.kid, '018c0ae5-4d9b-471b-bfd6-eef314bc7037', 'kid shown, unused');
  });
});

describe('agreement with jsonwebtoken 9', () => {
  const verifier = createVerifier([{ label: 'watson', value: SECRET }]);

  it("a token from jwt.sign(claims, 'purple unicorn') (IBM's sample) verifies, bare and Bearer", () => {
    const token = jwt.sign(
      { sub: 'user', iss: 'test-client', iat: NOW_S, exp: NOW_S + 30 },
      SECRET,
    );
    assert.equal(verifier.verify(token, NOW).verdict, 'verified');
    assert.equal(verifier.verify(`Bearer ${token}`, NOW).verdict, 'verified');
  });

  it('signToken output verifies with jwt.verify and has the same header as jwt.sign', () => {
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const ours = signToken(SECRET, { sub: 'x' }, { algorithm, nowMs: NOW });
      const decoded = jwt.verify(ours, SECRET, {
        algorithms: [algorithm],
        clockTimestamp: NOW_S,
        complete: true,
      });
      const theirs = jwt.decode(jwt.sign({ sub: 'x' }, SECRET, { algorithm }), { complete: true });
      assert.deepEqual(decoded.header, theirs?.header);
      assert.deepEqual(decoded.payload, { sub: 'x', iat: NOW_S, exp: NOW_S + 300 });
    }
  });
});

describe('signToken', () => {
  const verifier = createVerifier([{ label: 'watson', value: SECRET }]);

  it('sets iat = now and exp = now + 300 s by default', () => {
    const claims = verifier.verify(signToken(SECRET, { a: 1 }, { nowMs: NOW + 999 }), NOW).claims;
    assert.deepEqual(claims, { a: 1, iat: NOW_S, exp: NOW_S + DEFAULT_EXPIRES_IN_SECONDS });
  });

  it('honours expiresInSeconds, and null means no exp', () => {
    const short = signToken(SECRET, {}, { nowMs: NOW, expiresInSeconds: 30 });
    assert.equal(verifier.verify(short, NOW).claims?.exp, NOW_S + 30);
    const forever = verifier.verify(
      signToken(SECRET, {}, { nowMs: NOW, expiresInSeconds: null }),
      NOW,
    );
    assert.deepEqual(forever.claims, { iat: NOW_S });
    assert.match(forever.reason, /carries no expiry/);
  });

  it("replaces a stored token's stale iat/exp, so a replayed delivery gets a fresh token", () => {
    const stale = { sub: 'x', iat: 1_000, exp: 1_300 };
    const fresh = verifier.verify(signToken(SECRET, stale, { nowMs: NOW }), NOW);
    assert.equal(fresh.verdict, 'verified');
    assert.deepEqual(fresh.claims, { sub: 'x', iat: NOW_S, exp: NOW_S + 300 });
  });

  it('keeps a "__proto__" claim as an ordinary claim', () => {
    const claims = JSON.parse('{"__proto__":{"admin":true},"sub":"x"}') as Record<string, unknown>;
    const token = signToken(SECRET, claims, { nowMs: NOW });
    const payload = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8');
    assert.match(payload, /^\{"__proto__":\{"admin":true\},"sub":"x","iat":/);
  });

  it('refuses a non-finite clock or lifetime', () => {
    assert.throws(() => signToken(SECRET, {}, { nowMs: Number.NaN }), RangeError);
    assert.throws(() => signToken(SECRET, {}, { expiresInSeconds: Infinity }), RangeError);
  });
});

describe('J-08: tokenDedupeKey', () => {
  const token = signToken(SECRET, { sub: 'x' }, { nowMs: NOW });
  const [header = '', payload = '', signature = ''] = token.split('.');

  /** The same signature bytes, spelled with other unused low bits in the last character. */
  function withSpareBitsChanged(sig: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.slice(-1));
    // 43 characters carry 32 bytes: the last character's 2 low bits are unused.
    return sig.slice(0, -1) + (alphabet[last ^ 0b01] ?? '');
  }

  it('J-08: changing only the spare bits of the signature leaves the key unchanged', () => {
    const altered = `${header}.${payload}.${withSpareBitsChanged(signature)}`;
    assert.notEqual(altered, token);
    assert.deepEqual(
      Buffer.from(altered.split('.')[2] ?? '', 'base64url'),
      Buffer.from(signature, 'base64url'),
    );
    assert.equal(tokenDedupeKey(altered), tokenDedupeKey(token));
  });

  it('J-08: the verifier refuses the non-canonical spelling rather than verifying it', () => {
    const altered = `${header}.${payload}.${withSpareBitsChanged(signature)}`;
    const result = createVerifier([{ label: 'w', value: SECRET }]).verify(altered, NOW);
    assert.equal(result.verdict, 'malformed_token');
  });

  it('the key is the same for the bare and the Bearer form, and is SHA-256 hex', () => {
    const key = tokenDedupeKey(token);
    assert.match(key ?? '', /^[0-9a-f]{64}$/);
    assert.equal(tokenDedupeKey(`Bearer ${token}\r\n`), key);
    assert.equal(tokenDedupeKey([token]), key);
  });

  it('different signatures or payloads give different keys', () => {
    const other = signToken(SECRET, { sub: 'y' }, { nowMs: NOW });
    assert.notEqual(tokenDedupeKey(other), tokenDedupeKey(token));
  });

  it('null when there is no three-part token to key on', () => {
    for (const input of [undefined, '', 'Basic abc', 'a.b', 'a.b.c.d.e', [token, token]]) {
      assert.equal(tokenDedupeKey(input), null, String(input));
    }
    assert.equal(tokenDedupeKey(`${header}.${payload}.${signature}!`), null);
    assert.equal(tokenDedupeKey(`${header}.${payload}.${signature}AA`), null, '4n+1 characters');
  });
});
