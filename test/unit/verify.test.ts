// The Authorization header as a whole: bare and Bearer forms, absent and static headers, the
// secret sent literally, secrets and rotation, and what every verdict tells the developer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAuthorization, extractToken } from '../../src/core/verify/authorizationHeader';
import {
  createVerifier,
  DEFAULT_VERIFIER_OPTIONS,
  type TokenVerification,
} from '../../src/core/verify/jwtVerifier';
import { signCompact, signToken } from '../../src/core/verify/sign';
import { isKnownVerdict } from '../../src/shared/verdicts';

// The secret from the seed docs (IBM's samples and webhook-senders.md §1.4).
const SECRET = 'purple unicorn';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const verifier = createVerifier([{ label: 'watson', value: SECRET }]);
const watsonToken = signToken(SECRET, { sub: 'log-webhook' }, { nowMs: NOW });

function assertNoLeak(result: TokenVerification, ...secrets: string[]): void {
  for (const secret of secrets) assert.ok(!result.reason.includes(secret), result.reason);
  assert.ok(!result.reason.includes(watsonToken.slice(0, 20)), result.reason);
}

describe('Watson-style flow', () => {
  it("J-01: a token signed with 'purple unicorn' verifies as the bare Authorization value", () => {
    const result = verifier.verify(watsonToken, NOW);
    assert.equal(result.verdict, 'verified');
    assert.equal(result.matchedSecret, 'watson');
    assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(result.claims, { sub: 'log-webhook', iat: NOW / 1000, exp: NOW / 1000 + 300 });
    assert.match(result.reason, /had 5 minutes left when checked/);
    assertNoLeak(result, SECRET);
  });

  it('J-01: the same token verifies as "Bearer <jwt>"', () => {
    assert.equal(verifier.verify(`Bearer ${watsonToken}`, NOW).verdict, 'verified');
  });
});

describe('reading the Authorization header', () => {
  it('J-02: Bearer in any case, extra spaces, tabs, leading and trailing whitespace, CR/LF', () => {
    const forms = [
      `bearer ${watsonToken}`,
      `BEARER ${watsonToken}`,
      `bEaReR  ${watsonToken}`,
      `Bearer\t${watsonToken}`,
      `  Bearer ${watsonToken}  `,
      `${watsonToken} `,
      `${watsonToken}\n`,
      `\r\n\tBearer \t ${watsonToken}\r\n`,
    ];
    for (const form of forms) {
      assert.equal(verifier.verify(form, NOW).verdict, 'verified', JSON.stringify(form));
    }
  });

  it('J-02: a single value in an array is read like the plain string', () => {
    assert.equal(verifier.verify([watsonToken], NOW).verdict, 'verified');
  });

  it('several Authorization values are malformed_token, even if one of them is valid', () => {
    const result = verifier.verify([watsonToken, watsonToken], NOW);
    assert.equal(result.verdict, 'malformed_token');
    assert.match(result.reason, /2 Authorization headers/);
  });

  it('readAuthorization tells the forms apart', () => {
    assert.deepEqual(readAuthorization(undefined), { kind: 'absent' });
    assert.deepEqual(readAuthorization([]), { kind: 'absent' });
    assert.deepEqual(readAuthorization(' \t\r\n'), { kind: 'empty' });
    assert.deepEqual(readAuthorization(' Bearer '), {
      kind: 'bearer_without_token',
      value: 'Bearer',
    });
    assert.deepEqual(readAuthorization('Basic dXNlcjpwYXNz'), {
      kind: 'other_scheme',
      scheme: 'Basic',
      value: 'Basic dXNlcjpwYXNz',
    });
    assert.deepEqual(readAuthorization('bearer a.b.c'), {
      kind: 'token',
      token: 'a.b.c',
      form: 'bearer',
      value: 'bearer a.b.c',
    });
    assert.equal(extractToken('a.b.c'), 'a.b.c');
    assert.equal(extractToken('Basic abc'), undefined);
  });
});

describe('missing_token', () => {
  it('J-03: no Authorization header at all', () => {
    const result = verifier.verify(undefined, NOW);
    assert.equal(result.verdict, 'missing_token');
    assert.equal(result.header, undefined);
    assert.equal(result.claims, undefined);
  });

  it("J-03: Watson's doc sample reads an `Authentication` header, so `authorization` is absent", () => {
    const headers: Record<string, string | undefined> = { authentication: watsonToken };
    assert.equal(verifier.verify(headers.authorization, NOW).verdict, 'missing_token');
  });

  it('J-03: an empty or whitespace-only value', () => {
    assert.equal(verifier.verify('', NOW).verdict, 'missing_token');
    assert.equal(verifier.verify(' \t ', NOW).verdict, 'missing_token');
    assert.equal(verifier.verify([], NOW).verdict, 'missing_token');
  });

  it('J-03: Basic and other schemes name the scheme', () => {
    const basic = verifier.verify('Basic dXNlcjpwYXNzd29yZA==', NOW);
    assert.equal(basic.verdict, 'missing_token');
    assert.match(basic.reason, /the Basic scheme/);
    assert.match(verifier.verify('digest username="x"', NOW).reason, /the Digest scheme/);
  });

  it('an unrecognised first word is not echoed: it could be part of a mistyped secret', () => {
    const result = verifier.verify('purple unicorns', NOW);
    assert.equal(result.verdict, 'missing_token');
    assert.match(result.reason, /an unrecognised scheme/);
    assert.ok(!result.reason.includes('purple'));
  });

  it('"Bearer" with nothing after it', () => {
    const result = verifier.verify('Bearer', NOW);
    assert.equal(result.verdict, 'missing_token');
    assert.match(result.reason, /no token/);
  });
});

describe('secret_match', () => {
  it('J-26: the header carrying the secret itself, bare or after Bearer, even with spaces inside', () => {
    for (const value of [SECRET, `Bearer ${SECRET}`, ` ${SECRET}\r\n`]) {
      const result = verifier.verify(value, NOW);
      assert.equal(result.verdict, 'secret_match', value);
      assert.equal(result.matchedSecret, 'watson');
      assert.match(result.reason, /carries the configured secret itself, not a JWT/);
      assertNoLeak(result, SECRET);
    }
  });

  it('a static secret wins over the scheme reading ("Basic" secret is still a secret match)', () => {
    const basicLooking = createVerifier([{ label: 'static', value: 'Basic c2VjcmV0' }]);
    assert.equal(basicLooking.verify('Basic c2VjcmV0', NOW).verdict, 'secret_match');
  });

  it('J-26: values of other lengths and near misses compare without throwing and do not match', () => {
    for (const value of ['purple', `${SECRET}s`, 'purple unicorN', 'x'.repeat(5000), 'p']) {
      assert.notEqual(verifier.verify(value, NOW).verdict, 'secret_match', value);
    }
  });
});

describe('no_secret', () => {
  const unconfigured = createVerifier([]);

  it('still decodes the header and claims for display', () => {
    const result = unconfigured.verify(`Bearer ${watsonToken}`, NOW);
    assert.equal(result.verdict, 'no_secret');
    assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT' });
    assert.equal(result.claims?.sub, 'log-webhook');
    assert.equal(result.matchedSecret, undefined);
  });

  it('says what else is wrong when the token is malformed, missing or unsigned', () => {
    const malformed = unconfigured.verify('abc.def', NOW);
    assert.equal(malformed.verdict, 'no_secret');
    assert.match(malformed.reason, /^No secret is configured.*three/);
    assert.equal(unconfigured.verify(undefined, NOW).verdict, 'no_secret');
    const none = signCompact('x', 'HS256', '{"alg":"none"}', '{"a":1}').replace(/[^.]*$/, '');
    const unsigned = unconfigured.verify(none, NOW);
    assert.equal(unsigned.verdict, 'no_secret');
    assert.match(unsigned.reason, /unsigned/);
    assert.deepEqual(unsigned.claims, { a: 1 });
  });
});

describe('invalid_signature', () => {
  it('J-09: a wrong secret gives a hint to compare secrets and never echoes secret or token', () => {
    const token = signToken('orange unicorn', { sub: 'x' }, { nowMs: NOW });
    const result = verifier.verify(token, NOW);
    assert.equal(result.verdict, 'invalid_signature');
    assert.match(result.reason, /check that the secret configured in the sender/);
    assert.equal(result.matchedSecret, undefined);
    assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT' });
    assert.ok(!result.reason.includes(token.slice(0, 20)));
    assertNoLeak(result, SECRET, 'orange unicorn');
  });

  it('J-09: the right secret configured with a trailing newline or space: says to remove it', () => {
    for (const padded of [`${SECRET}\n`, `${SECRET} `, ` ${SECRET}`]) {
      const result = createVerifier([{ label: 'pasted', value: padded }]).verify(watsonToken, NOW);
      assert.equal(result.verdict, 'invalid_signature');
      assert.match(result.reason, /only without the whitespace .* remove that whitespace/);
      assertNoLeak(result, SECRET);
    }
  });

  it('J-09: a padded configured secret that does not match either way still mentions whitespace', () => {
    const result = createVerifier([{ label: 'pasted', value: 'another secret\n' }]).verify(
      watsonToken,
      NOW,
    );
    assert.equal(result.verdict, 'invalid_signature');
    assert.match(result.reason, /starts or ends with whitespace/);
  });
});

describe('several secrets (rotation)', () => {
  const oldToken = signToken('old secret value', { sub: 'x' }, { nowMs: NOW });
  const newToken = signToken('new secret value', { sub: 'x' }, { nowMs: NOW });

  it('J-23: during the grace window both verify, and the result names the secret that matched', () => {
    const rotating = createVerifier([
      { label: 'current', value: 'new secret value' },
      { label: 'previous', value: 'old secret value' },
    ]);
    const old = rotating.verify(oldToken, NOW);
    assert.equal(old.verdict, 'verified');
    assert.equal(old.matchedSecret, 'previous');
    assert.match(old.reason, /labelled "previous"/);
    assert.equal(rotating.verify(newToken, NOW).matchedSecret, 'current');
  });

  it('J-23: after the window (old secret removed) the old token is refused', () => {
    const rotated = createVerifier([{ label: 'current', value: 'new secret value' }]);
    const result = rotated.verify(oldToken, NOW);
    assert.equal(result.verdict, 'invalid_signature');
    assert.match(result.reason, /does not match the configured secret/);
  });

  it('names how many secrets were tried when none matches', () => {
    const two = createVerifier([
      { label: 'a', value: 'first secret' },
      { label: 'b', value: 'second secret' },
    ]);
    assert.match(two.verify(watsonToken, NOW).reason, /any of the 2 configured secrets/);
  });
});

describe('createVerifier', () => {
  it('defaults to HS256 only with 60 seconds of clock tolerance', () => {
    assert.deepEqual(DEFAULT_VERIFIER_OPTIONS, {
      algorithms: ['HS256'],
      clockToleranceSeconds: 60,
    });
  });

  it('J-21: refuses an empty secret (an empty HMAC key lets anyone sign)', () => {
    assert.throws(() => createVerifier([{ label: 'empty', value: '' }]), RangeError);
    assert.throws(() => createVerifier([{ label: 'empty', value: new Uint8Array(0) }]), RangeError);
  });

  it('refuses invalid options', () => {
    const badAlgorithm = { algorithms: ['RS256'], clockToleranceSeconds: 60 } as never;
    assert.throws(() => createVerifier([], badAlgorithm), RangeError);
    assert.throws(
      () => createVerifier([], { algorithms: ['HS256'], clockToleranceSeconds: -1 }),
      RangeError,
    );
  });
});

describe('decoded header and claims are safe to show', () => {
  it('a "__proto__" claim is an ordinary own property and pollutes nothing', () => {
    const token = signCompact(
      SECRET,
      'HS256',
      '{"alg":"HS256","__proto__":{"polluted":"header"}}',
      '{"sub":"x","__proto__":{"polluted":"claims","isAdmin":true}}',
    );
    const result = verifier.verify(token, NOW);
    assert.equal(result.verdict, 'verified');
    assert.equal(Object.getPrototypeOf(result.claims), Object.prototype);
    assert.equal(Object.getPrototypeOf(result.header), Object.prototype);
    assert.ok(Object.hasOwn(result.claims ?? {}, '__proto__'));
    assert.equal((result.claims as { isAdmin?: unknown }).isAdmin, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  it('every verdict the verifier returns is one of the shared VERDICTS, with one-line reason', () => {
    const results = [
      verifier.verify(watsonToken, NOW),
      verifier.verify(undefined, NOW),
      verifier.verify(SECRET, NOW),
      verifier.verify('a.b', NOW),
      verifier.verify(watsonToken, NOW + 3_600_000),
    ];
    for (const result of results) {
      assert.ok(isKnownVerdict(result.verdict));
      assert.match(result.reason, /^[A-Z][^\n]*\.$/);
    }
  });

  it('never throws on inputs plain JavaScript callers might pass', () => {
    const odd = [null, 42, {}, [1, 2], [undefined], Symbol('x')] as unknown as string[];
    for (const input of odd) {
      const result = verifier.verify(input, NOW);
      assert.ok(isKnownVerdict(result.verdict));
    }
    // A NaN clock falls back to the real one, which is long past a token that expired in 2001.
    const from2001 = signToken(SECRET, {}, { nowMs: Date.UTC(2001, 0, 1) });
    assert.equal(verifier.verify(from2001, Number.NaN).verdict, 'expired');
  });
});
