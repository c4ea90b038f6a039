// RFC 6901 JSON Pointer lookup over parsed JSON. Own properties only, so `/__proto__` or
// `/constructor` can never reach Object.prototype.

export function isValidPointer(pointer: string): boolean {
  return (
    pointer === '' || (pointer.startsWith('/') && !/~[^01]/.test(pointer) && !pointer.endsWith('~'))
  );
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  if (!isValidPointer(pointer)) return undefined;
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
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
