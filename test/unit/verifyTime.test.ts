// exp / nbf / iat against a frozen clock with the default 60-second tolerance, at the boundaries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signCompact } from '../../src/core/verify/sign';
import { describeDuration } from '../../src/core/verify/timeClaims';

const SECRET = 'purple unicorn';
// Frozen: every time below is relative to this instant, never to the machine's clock.
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const verifier = createVerifier([{ label: 'watson', value: SECRET }]);

function tokenWith(claims: Record<string, number>): string {
  return signCompact(SECRET, 'HS256', '{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims));
}

function check(claims: Record<string, number>) {
  return verifier.verify(tokenWith(claims), NOW);
}

describe('J-10: exp with 60 s leeway', () => {
  it('J-10: exp = now-59 s is accepted, and the reason says it is within the tolerance', () => {
    const result = check({ exp: NOW_S - 59 });
    assert.equal(result.verdict, 'verified');
    assert.match(
      result.reason,
      /had expired 59 seconds before it was checked, within the 60-second clock tolerance/,
    );
  });

  it('J-10: exp = now-60 s is the first rejected second (exp <= now - tolerance)', () => {
    assert.equal(check({ exp: NOW_S - 60 }).verdict, 'expired');
  });

  it('J-10: exp = now-61 s and now-90 s → expired, saying by how long', () => {
    const result = check({ exp: NOW_S - 61, iat: NOW_S - 361 });
    assert.equal(result.verdict, 'expired');
    assert.equal(result.matchedSecret, 'watson', 'the signature was fine');
    assert.match(
      result.reason,
      /^The signature matches the configured secret, but the token had expired 61 seconds before it was checked, more than the 60-second clock tolerance allows\.$/,
    );
    assert.equal(result.claims?.exp, NOW_S - 61);
    assert.equal(check({ exp: NOW_S - 90 }).verdict, 'expired');
  });

  it('J-10: a token that expired 3 minutes ago says "3 minutes"', () => {
    assert.match(check({ exp: NOW_S - 180 }).reason, /had expired 3 minutes before it was checked/);
  });

  it('an expired token with an invalid signature is reported as invalid_signature first', () => {
    const token = signCompact('other', 'HS256', '{"alg":"HS256"}', `{"exp":${NOW_S - 3600}}`);
    assert.equal(verifier.verify(token, NOW).verdict, 'invalid_signature');
  });

  it('a zero tolerance makes exp = now expired and exp = now+1 valid', () => {
    const strict = createVerifier([{ label: 'watson', value: SECRET }], {
      algorithms: ['HS256'],
      clockToleranceSeconds: 0,
    });
    assert.equal(strict.verify(tokenWith({ exp: NOW_S }), NOW).verdict, 'expired');
    assert.equal(strict.verify(tokenWith({ exp: NOW_S + 1 }), NOW).verdict, 'verified');
  });
});

describe('J-11: nbf with 60 s leeway', () => {
  it('J-11: nbf = now+59 s is accepted', () => {
    assert.equal(check({ nbf: NOW_S + 59, exp: NOW_S + 300 }).verdict, 'verified');
  });

  it('J-11: nbf = now+60 s is still accepted (nbf > now + tolerance rejects)', () => {
    assert.equal(check({ nbf: NOW_S + 60 }).verdict, 'verified');
  });

  it('J-11: nbf = now+61 s → not_yet_valid, saying by how long and why', () => {
    const result = check({ nbf: NOW_S + 61, exp: NOW_S + 300 });
    assert.equal(result.verdict, 'not_yet_valid');
    assert.match(result.reason, /not valid for another 61 seconds \(its "nbf" claim\)/);
    assert.match(result.reason, /clock may be ahead/);
  });
});

describe('J-12: iat in the future', () => {
  it('J-12: iat = now+1 h with no exp → not_yet_valid', () => {
    const result = check({ iat: NOW_S + 3600 });
    assert.equal(result.verdict, 'not_yet_valid');
    assert.match(result.reason, /issued 1 hour after it was checked \(its "iat" claim\)/);
  });

  it('J-12: iat = now+59 s is accepted, now+61 s is not', () => {
    assert.equal(check({ iat: NOW_S + 59 }).verdict, 'verified');
    assert.equal(check({ iat: NOW_S + 61 }).verdict, 'not_yet_valid');
  });
});

describe('J-13: no freshness claims', () => {
  it('J-13: no exp and no iat ({}) → verified, but the reason says freshness cannot be checked', () => {
    const result = check({});
    assert.equal(result.verdict, 'verified');
    assert.match(
      result.reason,
      /carries no expiry or issue time, so its freshness can't be checked/,
    );
  });

  it('iat without exp → verified, and the reason says how old it is and that it has no expiry', () => {
    const result = check({ iat: NOW_S - 120 });
    assert.equal(result.verdict, 'verified');
    assert.match(
      result.reason,
      /carries no expiry \(it was issued 2 minutes before it was checked\)/,
    );
  });
});

describe('describeDuration', () => {
  it('rounds to a unit a person reads at a glance', () => {
    assert.equal(describeDuration(1), '1 second');
    assert.equal(describeDuration(61), '61 seconds');
    assert.equal(describeDuration(180), '3 minutes');
    assert.equal(describeDuration(3600), '1 hour');
    assert.equal(describeDuration(5 * 86400), '5 days');
    assert.equal(describeDuration(10 * 365.25 * 86400), '10 years');
    assert.equal(describeDuration(1e300), 'more than 100 years');
  });
});
