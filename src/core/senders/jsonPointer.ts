// RFC 6901 JSON Pointer lookup over parsed JSON. Own properties only, so `/__proto__` or
// `/constructor` can never reach Object.prototype.

export function isValidPointer(pointer: string): boolean {
  return (
    pointer === '' || (pointer.startsWith('/') && !/~[^01]/.test(pointer) && !pointer.endsWith('~'))
  );
}

/** A pointer's reference tokens, unescaped; each also as an array index when it is one. */
interface ParsedPointer {
  readonly tokens: readonly string[];
  readonly indexes: readonly (number | undefined)[];
}

/**
 * Pointers are parsed once: the same few (a provider's event and id fields) are looked up for
 * every delivery, and splitting and unescaping them each time showed in ingest's profile.
 * Bounded, since a user's own sender definitions may name any number of them.
 */
const parsedPointers = new Map<string, ParsedPointer | null>();
const MAX_PARSED_POINTERS = 1_000;

function parsePointer(pointer: string): ParsedPointer | null {
  const known = parsedPointers.get(pointer);
  if (known !== undefined) return known;
  let parsed: ParsedPointer | null = null;
  if (isValidPointer(pointer) && pointer !== '') {
    const tokens = pointer
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    const indexes = tokens.map((token) =>
      /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined,
    );
    parsed = { tokens, indexes };
  }
  if (parsedPointers.size >= MAX_PARSED_POINTERS) parsedPointers.clear();
  parsedPointers.set(pointer, parsed);
  return parsed;
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  const parsed = parsePointer(pointer);
  if (parsed === null) return undefined;
  let current: unknown = document;
  const { tokens, indexes } = parsed;
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at] as string;
    if (Array.isArray(current)) {
      const index = indexes[at];
      if (index === undefined) return undefined;
      current = current[index];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * The value at the pointer when it is a non-empty string or a number JSON.parse kept exactly (as
 * text). A number past 2^53 lost digits in parsing (H-14): as an id it would make two different
 * events look the same, so it counts as absent.
 */
export function stringAt(document: unknown, pointer: string): string | null {
  const value = resolvePointer(document, pointer);
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  return null;
}
