// A record straight from the receiver keeps its body as the captured bytes: `bodyBase64` is
// computed only if something reads it. The store builds the record's line from those bytes, and
// while a delivery is being saved nothing else reads its body, so a large body is held once as
// bytes and once as its line, not a third time as a base64 string (memory per byte in flight).
// To every reader the record is an ordinary DeliveryRecord: `bodyBase64` is an enumerable
// property, so spreads, JSON.stringify and structured clones see the same text as before.
import type { DeliveryRecord } from './delivery';

const capturedBodies = new WeakMap<object, Buffer>();

/**
 * Below this size a body's base64 is made at once: a small body costs little memory either way,
 * and a plain record is cheaper to copy and stringify than one with a computed property.
 */
export const CAPTURED_BODY_MIN_BYTES = 64 * 1024;

/** `fields` plus `bodyBase64`: made now for a small body, on first read for a large one. */
export function withBody<T extends object>(
  fields: T,
  body: Uint8Array,
): T & { readonly bodyBase64: string } {
  if (body.length >= CAPTURED_BODY_MIN_BYTES) return withCapturedBody(fields, body);
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return { ...fields, bodyBase64: bytes.toString('base64') };
}

/**
 * `fields` plus `bodyBase64`, the base64 of `body`, computed on first read. When `fields` has a
 * `bodyBase64` already (a stand-in), the computed one takes its place in the key order.
 */
export function withCapturedBody<T extends object>(
  fields: T,
  body: Uint8Array,
): T & { readonly bodyBase64: string } {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let text: string | undefined;
  const record = Object.defineProperty({ ...fields }, 'bodyBase64', {
    enumerable: true,
    get: (): string => (text ??= bytes.toString('base64')),
  }) as T & { readonly bodyBase64: string };
  capturedBodies.set(record, bytes);
  return record;
}

/** The captured bytes behind a record's `bodyBase64`, when it came from withCapturedBody. */
export function capturedBodyOf(record: unknown): Buffer | undefined {
  return typeof record === 'object' && record !== null ? capturedBodies.get(record) : undefined;
}

/**
 * `record` with `changes`, as `{ ...record, ...changes }` gives, except that a captured body stays
 * uncomputed (a spread would read, and so compute, `bodyBase64`). Changing `bodyBase64` itself
 * gives a plain record.
 */
export function withChanges<T extends Partial<DeliveryRecord>>(
  record: T,
  changes: Partial<DeliveryRecord>,
): T {
  const body = capturedBodies.get(record);
  if (body === undefined) return { ...record, ...changes };
  // bodyBase64 keeps its place among the keys (a stand-in until it is redefined), so a line
  // lists the record's keys in the same order whichever way it was built.
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    fields[key] = key === 'bodyBase64' ? '' : record[key as keyof T];
  }
  if (Object.hasOwn(changes, 'bodyBase64')) return { ...fields, ...changes } as T;
  return withCapturedBody({ ...fields, ...changes }, body) as unknown as T;
}
