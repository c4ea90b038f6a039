// Fresh ids for sample events. The randomness is injectable so tests can make builds repeatable;
// by default it is crypto-grade, because a sample id that repeats would look like a sender retry.
import { randomBytes } from 'node:crypto';

/** `size` random bytes. */
export type RandomSource = (size: number) => Buffer;

export const defaultRandom: RandomSource = (size) => randomBytes(size);

const HEX_LOWER = '0123456789abcdef';
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An integer in [0, bound), bound ≤ 2^32; the modulo bias is negligible for the small bounds here. */
export function randomBelow(random: RandomSource, bound: number): number {
  return random(4).readUInt32BE(0) % bound;
}

export function randomInRange(random: RandomSource, min: number, max: number): number {
  return min + randomBelow(random, max - min + 1);
}

export function pick<T>(random: RandomSource, items: readonly [T, ...T[]]): T {
  return items[randomBelow(random, items.length)] ?? items[0];
}

function randomFrom(random: RandomSource, alphabet: string, length: number): string {
  const bytes = random(length);
  let text = '';
  for (let index = 0; index < length; index++) {
    text += alphabet[(bytes[index] ?? 0) % alphabet.length];
  }
  return text;
}

export function randomHex(random: RandomSource, length: number): string {
  return randomFrom(random, HEX_LOWER, length);
}

/** Letters (both cases) and digits, as in Stripe's `pi_3PqX…` and Clerk's `user_2x…`. */
export function randomAlphanumeric(random: RandomSource, length: number): string {
  return randomFrom(random, UPPER + LOWER + DIGITS, length);
}

/** Upper-case letters and digits, as in Slack's `U061F7AUR` and `Ev08MFMKH6`. */
export function randomUpperAlphanumeric(random: RandomSource, length: number): string {
  return randomFrom(random, UPPER + DIGITS, length);
}

/** Decimal digits; the first is never 0 when `length > 1`, so the text reads as a number. */
export function randomDigits(random: RandomSource, length: number): string {
  if (length <= 1) return randomFrom(random, DIGITS, length);
  return randomFrom(random, '123456789', 1) + randomFrom(random, DIGITS, length - 1);
}

/** An RFC 9562 version 4 UUID, lower case. */
export function randomUuid(random: RandomSource): string {
  const bytes = Buffer.from(random(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `evt_`, `vrsn_`, `anon-`: a word the sender puts before every id of a kind. */
const WORD_PREFIX = /^[A-Za-z]+[_-]/;
/** `CA5f0e…` (Twilio call SID): an upper-case type prefix before a lower-case hex body. */
const UPPER_THEN_HEX = /^([A-Z]{1,4})([0-9a-f]{8,})$/;

/**
 * A new id shaped like `id`: a UUID becomes a new UUID (same case), a word prefix (`vrsn_`) and
 * anything from an `@` on (a SIP Call-ID's host) are kept, hex runs get new hex, and every other
 * letter or digit a random one of its kind. Numeric-looking ids stay free of leading zeros.
 */
export function freshIdLike(id: string, random: RandomSource): string {
  if (!/[A-Za-z0-9]/.test(id)) return id;
  // A short id can come out the same by chance; a few more draws make that vanishingly rare.
  let fresh = id;
  for (let tries = 0; tries < 8 && fresh === id; tries++) fresh = reshape(id, random);
  return fresh;
}

function reshape(id: string, random: RandomSource): string {
  if (UUID.test(id)) {
    const uuid = randomUuid(random);
    return id === id.toUpperCase() ? uuid.toUpperCase() : uuid;
  }
  const at = id.indexOf('@');
  const local = at > 0 ? id.slice(0, at) : id;
  const host = at > 0 ? id.slice(at) : '';
  const prefix = WORD_PREFIX.exec(local)?.[0] ?? '';
  const rest = local.slice(prefix.length);
  const body = rest === '' ? prefix : rest;
  const reshaped = body.replace(/[A-Za-z0-9]+/g, (run) => reshapeRun(run, random));
  return (rest === '' ? '' : prefix) + reshaped + host;
}

function reshapeRun(run: string, random: RandomSource): string {
  const upperThenHex = UPPER_THEN_HEX.exec(run);
  if (upperThenHex) {
    return (upperThenHex[1] ?? '') + randomHex(random, upperThenHex[2]?.length ?? 0);
  }
  if (/^[0-9a-f]+$/.test(run) && /[a-f]/.test(run)) return randomHex(random, run.length);
  if (/^[0-9A-F]+$/.test(run) && /[A-F]/.test(run)) {
    return randomHex(random, run.length).toUpperCase();
  }
  if (/^[0-9]+$/.test(run)) {
    return run.startsWith('0')
      ? randomFrom(random, DIGITS, run.length)
      : randomDigits(random, run.length);
  }
  let text = '';
  for (const char of run) {
    if (char >= '0' && char <= '9') text += randomFrom(random, DIGITS, 1);
    else if (char >= 'a' && char <= 'z') text += randomFrom(random, LOWER, 1);
    else text += randomFrom(random, UPPER, 1);
  }
  return text;
}
