// J-19: deterministic fuzz. Mutated, random and hostile tokens never throw, never verify, and
// always get a real verdict with a real reason (not the verifier's catch-all).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractToken } from '../../src/core/verify/authorizationHeader';
import { createVerifier } from '../../src/core/verify/jwtVerifier';
import { signCompact, signToken } from '../../src/core/verify/sign';
import { tokenDedupeKey } from '../../src/core/verify/tokenKey';
import { isKnownVerdict } from '../../src/shared/verdicts';

const SECRET = 'purple unicorn';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const CASES = 5_000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HOSTILE_CHARS = ['.', '=', '+', '/', ' ', '\t', '\n', '\0', 'é', '\u202e', '\ud800', '"'];

/** mulberry32: a tiny seeded PRNG, so a failure reproduces exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeFuzzer(random: () => number) {
  const int = (below: number): number => Math.floor(random() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const randomChar = (): string => (random() < 0.8 ? pick([...BASE64URL]) : pick(HOSTILE_CHARS));
  const randomBytes = (length: number): Buffer =>
    Buffer.from(Array.from({ length }, () => int(256)));
  const b64 = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

  const valid = signToken(SECRET, { sub: 'x', log_id: 'abc' }, { nowMs: NOW });

  function mutate(token: string): string {
    const at = int(token.length);
    switch (int(6)) {
      case 0:
        return token.slice(0, at) + randomChar() + token.slice(at + 1);
      case 1:
        return token.slice(0, at) + token.slice(at + 1);
      case 2:
        return token.slice(0, at) + randomChar() + token.slice(at);
      case 3:
        return token.slice(0, at);
      case 4: {
        const parts = token.split('.');
        return [...parts.slice(1), parts[0]].join('.');
      }
      default:
        return token + '.' + token.slice(at);
    }
  }

  const generators: readonly (() => string)[] = [
    // Valid token with 1-3 random edits.
    () => {
      let token = valid;
      for (let edits = 1 + int(3); edits > 0; edits--) token = mutate(token);
      return token;
    },
    // Random bytes as every segment (invalid UTF-8, non-JSON).
    () => [randomBytes(int(40)), randomBytes(int(200)), randomBytes(32)].map(b64).join('.'),
    // Any header JSON signed with the right secret but an algorithm HookLens must not accept.
    () =>
      signCompact(
        SECRET,
        'HS256',
        JSON.stringify({ alg: pick(['none', 'NONE', 'RS256', 'HS384', 'ES256', '', 'hs256']) }),
        '{"sub":"x"}',
      ),
    // Deep nesting and huge claims, signed with the wrong secret.
    () => {
      const depth = 1 + int(5_000);
      const nested = '['.repeat(depth) + ']'.repeat(depth);
      return signCompact('wrong secret', 'HS256', '{"alg":"HS256"}', `{"deep":${nested}}`);
    },
    () => signToken('wrong secret', { blob: 'x'.repeat(int(12_000)), n: random() }, { nowMs: NOW }),
    // Random printable junk, sometimes after a scheme.
    () => {
      const junk = Array.from({ length: int(120) }, randomChar).join('');
      return pick(['', 'Bearer ', 'Basic ', 'bearer\t']) + junk;
    },
  ];

  return { valid, next: (): string => pick(generators)() };
}

describe('J-19: fuzzing the verifier', () => {
  it(`J-19: ${CASES} random and mutated tokens: no throw, never verified, always a real verdict`, () => {
    const fuzzer = makeFuzzer(seededRandom(0x5eed));
    const verifier = createVerifier([{ label: 'watson', value: SECRET }]);
    let checked = 0;
    while (checked < CASES) {
      const input = fuzzer.next();
      // A mutation that only adds edge whitespace still carries the valid token; skip it.
      if (extractToken(input) === fuzzer.valid) continue;
      checked++;
      const result = verifier.verify(input, NOW);
      assert.notEqual(result.verdict, 'verified', JSON.stringify(input).slice(0, 300));
      assert.ok(isKnownVerdict(result.verdict));
      assert.ok(result.reason.length > 0);
      assert.doesNotMatch(result.reason, /could not be checked/, 'the catch-all was reached');
      assert.ok(!result.reason.includes(SECRET));
      const key = tokenDedupeKey(input);
      assert.ok(key === null || /^[0-9a-f]{64}$/.test(key));
    }
  });
});
