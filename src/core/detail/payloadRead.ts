// Defensive reads over a parsed payload, shared by the sender views and the provider summaries.
// Payloads come from outside: what exists is read, what is missing or oddly typed is null or
// empty, nothing throws. Own properties only: `__proto__` and `constructor` keys from a payload
// are data, never a way into Object.prototype.
import { isLosslessNumber, stringify } from 'lossless-json';

/** Lists longer than this are cut: a view is for reading, the JSON tree has everything. */
export const MAX_LIST_ITEMS = 1000;

export function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value)
  );
}

/** The value at a path of own keys, or undefined. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** The first `max` items of a list; anything else is an empty list. */
export function listOf(value: unknown, max = MAX_LIST_ITEMS): unknown[] {
  return Array.isArray(value) ? value.slice(0, max) : [];
}

/** Strings as they are, numbers as their exact text; anything else is not text. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/** Like `text`, but an empty or blank string is absent too. */
export function nonEmpty(value: unknown): string | null {
  const result = text(value);
  return result === null || result.trim() === '' ? null : result;
}

export function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** Pretty JSON text (numbers keep their digits), or null for what cannot be written. */
export function jsonText(value: unknown): string | null {
  try {
    return stringify(value, undefined, 2) ?? null;
  } catch {
    // Cycles cannot come from parsed JSON; a stack overflow on deep nesting can.
    return null;
  }
}

/** Text cut to `max` characters, saying how much was left out. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length - max} more characters; the Request tab has all)`;
}
