// One line = one operation. Every line starts with a CRC-32 of the rest of the line, so a flipped
// byte inside a string (still valid JSON) is caught, not served as a wrong body (D-04):
//
//   {"crc":"1a2b3c4d","op":"put","v":1,"record":{...}}\n
//
// The CRC covers the bytes after `{"crc":"xxxxxxxx",` up to (not including) the newline.
// The line stays plain JSON, so `jq` and friends can read a segment.
import * as zlib from 'node:zlib';
import { CAPTURED_BODY_MIN_BYTES, capturedBodyOf, withChanges } from '../capturedBody';
import { DELIVERY_RECORD_VERSION, type DeliveryRecord } from '../delivery';

/** The line format this code writes and understands. Lines with a higher `v` open read-only. */
export const STORE_FORMAT_VERSION: number = DELIVERY_RECORD_VERSION;

export interface PutOp {
  readonly op: 'put';
  readonly v: number;
  readonly record: DeliveryRecord;
}
export interface DeleteOp {
  readonly op: 'delete';
  readonly v?: number;
  readonly ids: readonly string[];
}
export interface ClearOp {
  readonly op: 'clear';
  readonly v?: number;
}
/**
 * Written by the store itself: first line of every segment, and after retention drops deliveries.
 * `nextSeq` keeps seq monotonic even when every line that carried a high seq was deleted (D-11);
 * `floorSeq` makes retention stick across restarts: records with a lower seq are gone (D-12).
 */
export interface CheckpointOp {
  readonly op: 'checkpoint';
  readonly v: number;
  readonly nextSeq: number;
  readonly floorSeq: number;
  /**
   * The retention limits the store's owner set, carried by every checkpoint so they survive
   * compaction (the newest segment always keeps its checkpoints). Absent when none were set.
   * An older HookLens ignores the field; a malformed one is ignored too, never "damaged".
   */
  readonly retention?: { readonly maxDeliveries: number; readonly maxBytes: number };
}
export type StoreOp = PutOp | DeleteOp | ClearOp | CheckpointOp;

export type DecodedLine =
  | { readonly kind: 'op'; readonly op: StoreOp }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'newer'; readonly version: number };

const CRC_KEY = '{"crc":"';
const PREFIX_LENGTH = CRC_KEY.length + 8 + 2; // {"crc":"  8 hex digits  ",
const NEWLINE = 0x0a;
const OP_MARKER = Buffer.from('"op":"', 'latin1');
const BODY_KEY = Buffer.from('"bodyBase64":"', 'latin1');
const CRC_KEY_BYTES = Buffer.from(CRC_KEY, 'latin1');

export function encodeLine(op: StoreOp): Buffer {
  if (op.op === 'put' && capturedBodyOf(op.record) !== undefined) {
    const line = encodeStoreLine(op);
    return Buffer.isBuffer(line) ? line : line.whole();
  }
  if (op.op === 'put') {
    const line = encodePutLine(op);
    if (line) return line;
  }
  return encodeJson(JSON.stringify(op));
}

/**
 * The line for a JSON text: the JSON goes straight into the line, its `{` where the prefix's
 * closing `,` belongs (the prefix then overwrites it): one UTF-8 encoding, no intermediate copy.
 * JSON.stringify escapes control characters and lone surrogates, so the line has no raw newline
 * and survives a UTF-8 round trip byte for byte.
 */
function encodeJson(json: string): Buffer {
  const size = Buffer.byteLength(json, 'utf8');
  const line = Buffer.allocUnsafe(PREFIX_LENGTH + size);
  line.write(json, PREFIX_LENGTH - 1, 'utf8');
  return finishLine(line, PREFIX_LENGTH - 1 + size);
}

function finishLine(line: Buffer, end: number): Buffer {
  line.write(`${CRC_KEY}${hex8(crc32(line.subarray(PREFIX_LENGTH, end)))}",`, 0, 'latin1');
  line[end] = NEWLINE;
  return line;
}

/** Stands in for the body while the rest of a put is stringified (see encodePutLine). */
const BODY_STAND_IN = '\u0000hooklens-body\u0000';
const BODY_STAND_IN_JSON = `"bodyBase64":${JSON.stringify(BODY_STAND_IN)}`;
const BODY_KEY_JSON = '"bodyBase64":"';
/** Base64 needs no JSON escape and is ASCII, so its characters are its UTF-8 bytes. */
const PLAIN_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MIN_BODY_CHARS = 256;

/**
 * A put's line, byte for byte what `JSON.stringify(op)` gives, built without putting the body
 * through JSON.stringify and UTF-8: the rest of the record is stringified with a stand-in where
 * the body goes, and the body's base64 is copied into its place as it is. The body is most of a
 * line, and one non-Latin-1 character elsewhere (a headline's “quotes”) made JSON.stringify
 * build the whole line as a two-byte string, then transcode it: encoding lines was a quarter of
 * what ingest allocated (issue 15). Undefined when this does not apply (a small or odd body, or
 * the stand-in also found elsewhere): JSON.stringify then does it all, as before.
 */
function encodePutLine(op: PutOp): Buffer | undefined {
  // Whatever a caller passed (tests encode malformed records on purpose): only a plain body.
  const record: unknown = op.record;
  const body: unknown = isObject(record) ? record.bodyBase64 : undefined;
  if (typeof body !== 'string' || body.length < MIN_BODY_CHARS || !PLAIN_BASE64.test(body)) {
    return undefined;
  }
  const json = JSON.stringify({ ...op, record: { ...op.record, bodyBase64: BODY_STAND_IN } });
  const at = json.indexOf(BODY_STAND_IN_JSON);
  if (at < 0 || json.includes(BODY_STAND_IN_JSON, at + 1)) return undefined;
  const headEnd = at + BODY_KEY_JSON.length; // Just after the body's opening quote.
  const tailStart = at + BODY_STAND_IN_JSON.length - 1; // Its closing quote.
  const head = json.slice(0, headEnd);
  const tail = json.slice(tailStart);
  const headBytes = Buffer.byteLength(head, 'utf8');
  const size = headBytes + body.length + Buffer.byteLength(tail, 'utf8');
  const line = Buffer.allocUnsafe(PREFIX_LENGTH + size);
  let offset = PREFIX_LENGTH - 1;
  offset += line.write(head, offset, 'utf8');
  offset += line.write(body, offset, 'latin1');
  offset += line.write(tail, offset, 'utf8');
  return finishLine(line, offset);
}

/** Body bytes per base64 piece: a multiple of 3 (no padding but at the end), and small enough
 * that each piece's text is a short-lived young-generation string. */
const BASE64_PIECE_BYTES = 3 * 16 * 1024;
/** A captured body at least this large is never held as a whole line (StreamedPutLine). */
const STREAM_LINE_MIN_BODY_BYTES = CAPTURED_BODY_MIN_BYTES;

/**
 * A put line that is never held whole: the record's JSON around a captured body, whose base64 is
 * made again, piece by piece, as the line is written. While a large delivery waits for its group
 * commit, the store then holds its body once, as the captured bytes, instead of again as a line a
 * third larger. The CRC is computed from the same pieces when the line is made.
 */
export class StreamedPutLine {
  constructor(
    /** The line's length in bytes, its newline included. */
    readonly length: number,
    /** The CRC prefix and the JSON up to the body's opening quote. */
    private readonly head: Buffer,
    private readonly body: Buffer,
    /** The JSON from the body's closing quote, and the newline. */
    private readonly tail: Buffer,
  ) {}

  /** The CRC prefix and JSON head, the captured body, and the JSON tail with the newline. */
  parts(): { readonly head: Buffer; readonly body: Buffer; readonly tail: Buffer } {
    return { head: this.head, body: this.body, tail: this.tail };
  }

  /** The whole line, for the rare caller that needs it in one buffer. */
  whole(): Buffer {
    const line = Buffer.allocUnsafe(this.length);
    let offset = this.head.copy(line, 0);
    offset += writeBase64(this.body, 0, this.body.length, line, offset);
    this.tail.copy(line, offset);
    return line;
  }
}

/** A line as the store queues it: bytes, or a large put made again when written. */
export type StoreLine = Buffer | StreamedPutLine;

/**
 * A batch's lines as writes, packed into `scratch`: small lines are copied in, a streamed line's
 * base64 is made straight into it, and a buffer larger than `scratch` goes out as it is. Nothing
 * the size of a batch is ever allocated. Each yielded buffer must be written before the next is
 * asked for (it may be `scratch` itself, filled again). `scratch` holds at least 4 bytes.
 */
export function* packLines(lines: readonly StoreLine[], scratch: Buffer): Generator<Buffer> {
  let used = 0;
  function* flush(): Generator<Buffer> {
    if (used > 0) yield scratch.subarray(0, used);
    used = 0;
  }
  function* copy(bytes: Buffer): Generator<Buffer> {
    for (let from = 0; from < bytes.length;) {
      if (used === scratch.length) yield* flush();
      const take = Math.min(scratch.length - used, bytes.length - from);
      used += bytes.copy(scratch, used, from, from + take);
      from += take;
    }
  }
  for (const line of lines) {
    if (Buffer.isBuffer(line)) {
      if (line.length >= scratch.length) {
        yield* flush();
        yield line;
      } else {
        if (used + line.length > scratch.length) yield* flush();
        used += line.copy(scratch, used);
      }
      continue;
    }
    const { head, body, tail } = line.parts();
    yield* copy(head);
    for (let from = 0; from < body.length;) {
      // Whole 3-byte groups as 4 characters each, as many as fit and one piece at a time.
      let take = Math.min(
        Math.floor((scratch.length - used) / 4) * 3,
        BASE64_PIECE_BYTES,
        body.length - from,
      );
      if (take === 0) {
        yield* flush();
        continue;
      }
      if (take < body.length - from) take -= take % 3;
      used += scratch.write(body.toString('base64', from, from + take), used, 'latin1');
      from += take;
    }
    yield* copy(tail);
  }
  yield* flush();
}

/** Writes the base64 of `body[start, end)` into `target` at `offset`; returns the bytes written. */
function writeBase64(
  body: Buffer,
  start: number,
  end: number,
  target: Buffer,
  offset: number,
): number {
  const stop = Math.min(end, body.length);
  let at = offset;
  for (let from = start; from < stop; from += BASE64_PIECE_BYTES) {
    at += target.write(
      body.toString('base64', from, Math.min(stop, from + BASE64_PIECE_BYTES)),
      at,
      'latin1',
    );
  }
  return at - offset;
}

/** Like encodeLine, but a put of a large captured body comes back as a StreamedPutLine. */
export function encodeStoreLine(op: StoreOp): StoreLine {
  if (op.op === 'put') {
    const captured = capturedBodyOf(op.record);
    if (captured !== undefined) return encodeCapturedPut(op, captured);
  }
  return encodeLine(op);
}

/**
 * A put's line for a record straight from the receiver: the same bytes as encodePutLine gives,
 * with the body's base64 made piece by piece from the captured bytes, so no base64 string of the
 * whole body is ever made.
 */
function encodeCapturedPut(op: PutOp, body: Buffer): StoreLine {
  const json = JSON.stringify({
    ...op,
    record: withChanges(op.record, { bodyBase64: BODY_STAND_IN }),
  });
  const at = json.indexOf(BODY_STAND_IN_JSON);
  if (at < 0 || json.includes(BODY_STAND_IN_JSON, at + 1)) {
    // The stand-in also occurs in a field of the record: do it the plain way.
    return encodeJson(JSON.stringify(op));
  }
  const headJson = json.slice(0, at + BODY_KEY_JSON.length); // Up to the body's opening quote.
  const tailJson = json.slice(at + BODY_STAND_IN_JSON.length - 1); // From its closing quote.
  const base64Length = Math.ceil(body.length / 3) * 4;
  const head = Buffer.allocUnsafe(PREFIX_LENGTH - 1 + Buffer.byteLength(headJson, 'utf8'));
  head.write(headJson, PREFIX_LENGTH - 1, 'utf8');
  const tailBytes = Buffer.byteLength(tailJson, 'utf8');
  const tail = Buffer.allocUnsafe(tailBytes + 1);
  tail.write(tailJson, 0, 'utf8');
  tail[tailBytes] = NEWLINE;
  if (body.length < STREAM_LINE_MIN_BODY_BYTES || nativeCrc32 === undefined) {
    const line = Buffer.allocUnsafe(head.length + base64Length + tail.length);
    let offset = head.copy(line, 0);
    offset += writeBase64(body, 0, body.length, line, offset);
    offset += tail.copy(line, offset, 0, tailBytes);
    return finishLine(line, offset);
  }
  let crc = crc32(head.subarray(PREFIX_LENGTH));
  for (let from = 0; from < body.length; from += BASE64_PIECE_BYTES) {
    const piece = body.toString('base64', from, Math.min(body.length, from + BASE64_PIECE_BYTES));
    crc = crc32(Buffer.from(piece, 'latin1'), crc);
  }
  crc = crc32(tail.subarray(0, tailBytes), crc);
  head.write(`${CRC_KEY}${hex8(crc)}",`, 0, 'latin1');
  return new StreamedPutLine(head.length + base64Length + tail.length, head, body, tail);
}

/** Decodes `buffer[start, end)`, one line without its newline. */
export function decodeLine(buffer: Buffer, start: number, end: number): DecodedLine {
  if (!hasCrcPrefix(buffer, start, end)) {
    return undecodableWithoutCrc(buffer, start, end);
  }
  if (!hasValidCrc(buffer, start, end)) {
    return { kind: 'damaged', reason: 'checksum mismatch (bytes changed on disk)' };
  }
  return parseAndClassify(buffer.toString('utf8', start, end));
}

/**
 * Like decodeLine, but a put's `bodyBase64` comes back as "" (the index never needs the body).
 * Opening a store is dominated by decoding and parsing bodies, so skipping them roughly halves
 * it. The CRC still covers the whole line, so damage inside the body is still detected.
 */
export function decodeLineWithoutBody(buffer: Buffer, start: number, end: number): DecodedLine {
  if (!hasCrcPrefix(buffer, start, end)) {
    return undecodableWithoutCrc(buffer, start, end);
  }
  if (!hasValidCrc(buffer, start, end)) {
    return { kind: 'damaged', reason: 'checksum mismatch (bytes changed on disk)' };
  }
  const keyAt = buffer.indexOf(BODY_KEY, start + PREFIX_LENGTH);
  if (keyAt >= 0 && keyAt < end) {
    const valueStart = keyAt + BODY_KEY.length;
    const valueEnd = buffer.indexOf(0x22, valueStart); // The closing quote...
    // ...unless a backslash escapes a quote before it. Base64 has no backslash; anything else is
    // not a body we wrote, so take the slow, exact path.
    if (
      valueEnd > valueStart &&
      valueEnd < end &&
      !buffer.subarray(valueStart, valueEnd).includes(0x5c)
    ) {
      // The key sequence `"bodyBase64":"` cannot occur inside a JSON string (its quotes would be
      // escaped), so this blanks exactly one string value and leaves the structure as it was.
      return parseAndClassify(
        buffer.toString('utf8', start, valueStart) + buffer.toString('utf8', valueEnd, end),
      );
    }
  }
  return parseAndClassify(buffer.toString('utf8', start, end));
}

function parseAndClassify(text: string): DecodedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'not valid JSON' };
  }
  return classify(parsed);
}

/**
 * The `op` of a line this store wrote, read from its fixed position without parsing the line
 * (compaction sorts lines by kind). Undefined if the line does not have that layout.
 */
export function peekOp(buffer: Buffer, start: number, end: number): string | undefined {
  const markerStart = start + PREFIX_LENGTH;
  if (
    end - markerStart < OP_MARKER.length ||
    buffer.compare(OP_MARKER, 0, OP_MARKER.length, markerStart, markerStart + OP_MARKER.length) !==
      0
  ) {
    return undefined;
  }
  const nameStart = markerStart + OP_MARKER.length;
  const nameEnd = buffer.indexOf(0x22, nameStart);
  return nameEnd < 0 || nameEnd > end ? undefined : buffer.toString('latin1', nameStart, nameEnd);
}

/** CRC check only, no parse: for compaction, which keeps intact non-put lines as they are. */
export function hasValidCrc(buffer: Buffer, start: number, end: number): boolean {
  if (!hasCrcPrefix(buffer, start, end)) {
    return false;
  }
  const expected = Number.parseInt(buffer.toString('latin1', start + 8, start + 16), 16);
  return crc32(buffer.subarray(start + PREFIX_LENGTH, end)) === expected;
}

function hasCrcPrefix(buffer: Buffer, start: number, end: number): boolean {
  if (end - start < PREFIX_LENGTH + 2) {
    return false;
  }
  if (buffer.compare(CRC_KEY_BYTES, 0, CRC_KEY_BYTES.length, start, start + CRC_KEY.length) !== 0) {
    return false;
  }
  for (let i = start + 8; i < start + 16; i++) {
    const c = buffer[i] ?? 0;
    const isHex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
    if (!isHex) {
      return false;
    }
  }
  return buffer[start + 16] === 0x22 && buffer[start + 17] === 0x2c; // ",
}

/** A line without our CRC is damaged, unless a newer HookLens wrote it in a format we don't know. */
function undecodableWithoutCrc(buffer: Buffer, start: number, end: number): DecodedLine {
  try {
    const parsed: unknown = JSON.parse(buffer.toString('utf8', start, end));
    const version = isObject(parsed) ? parsed.v : undefined;
    if (typeof version === 'number' && version > STORE_FORMAT_VERSION) {
      return { kind: 'newer', version };
    }
  } catch {
    // Fall through: damaged.
  }
  return { kind: 'damaged', reason: 'no valid checksum prefix (torn or overwritten line)' };
}

function classify(parsed: unknown): DecodedLine {
  if (!isObject(parsed)) {
    return { kind: 'damaged', reason: 'not a JSON object' };
  }
  const version = parsed.v;
  if (typeof version === 'number' && version > STORE_FORMAT_VERSION) {
    return { kind: 'newer', version };
  }
  if (version !== undefined && version !== STORE_FORMAT_VERSION) {
    return { kind: 'damaged', reason: `unknown format version ${JSON.stringify(version)}` };
  }
  switch (parsed.op) {
    case 'put': {
      const record = parsed.record;
      if (isObject(record) && typeof record.v === 'number' && record.v > STORE_FORMAT_VERSION) {
        return { kind: 'newer', version: record.v };
      }
      if (version === undefined || !isDeliveryRecord(record)) {
        return { kind: 'damaged', reason: 'put line without a well-formed record' };
      }
      return { kind: 'op', op: { op: 'put', v: version, record } };
    }
    case 'delete': {
      const ids = parsed.ids;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        return { kind: 'damaged', reason: 'delete line without a list of ids' };
      }
      return { kind: 'op', op: { op: 'delete', ids } };
    }
    case 'clear':
      return { kind: 'op', op: { op: 'clear' } };
    case 'checkpoint': {
      const { nextSeq, floorSeq } = parsed;
      if (version === undefined || !isSeqNumber(nextSeq) || !isSeqNumber(floorSeq)) {
        return { kind: 'damaged', reason: 'checkpoint line without nextSeq/floorSeq' };
      }
      const retention = retentionOf(parsed.retention);
      return {
        kind: 'op',
        op: retention
          ? { op: 'checkpoint', v: version, nextSeq, floorSeq, retention }
          : { op: 'checkpoint', v: version, nextSeq, floorSeq },
      };
    }
    default:
      return { kind: 'damaged', reason: 'unknown operation' };
  }
}

/**
 * Checks what the index and the UI rely on. Provider, scheme and verdict are open strings: a line a
 * newer HookLens wrote with values this one does not know is kept and shown as it is. Deliberately shallow (headers and attempts are checked
 * for being arrays, not entry by entry): opening 100k records must stay fast, and the CRC already
 * vouches that the bytes are the ones the store wrote.
 */
export function isDeliveryRecord(value: unknown): value is DeliveryRecord {
  if (!isObject(value)) {
    return false;
  }
  const verification = value.verification;
  const response = value.response;
  return (
    value.v === STORE_FORMAT_VERSION &&
    typeof value.id === 'string' &&
    value.id.length > 0 &&
    isSeqNumber(value.seq) &&
    value.seq > 0 &&
    typeof value.receivedAt === 'string' &&
    typeof value.method === 'string' &&
    typeof value.url === 'string' &&
    Array.isArray(value.headers) &&
    // A captured body is bytes until read: checking it must not turn it into text.
    (capturedBodyOf(value) !== undefined || typeof value.bodyBase64 === 'string') &&
    typeof value.bodySize === 'number' &&
    typeof value.sender === 'string' &&
    isStringOrNull(value.event) &&
    isStringOrNull(value.sessionId) &&
    isObject(verification) &&
    typeof verification.verdict === 'string' &&
    typeof verification.reason === 'string' &&
    (response === null || (isObject(response) && typeof response.status === 'number')) &&
    Array.isArray(value.attempts) &&
    value.attempts.every(isObject) &&
    isStringOrNull(value.duplicateOf)
  );
}

function retentionOf(value: unknown): CheckpointOp['retention'] {
  if (!isObject(value)) {
    return undefined;
  }
  const { maxDeliveries, maxBytes } = value;
  const positive = (n: unknown): n is number =>
    typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
  return positive(maxDeliveries) && positive(maxBytes) ? { maxDeliveries, maxBytes } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isSeqNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

// zlib.crc32 is native (Node >= 20.15); keep a table fallback for older embedded Node builds.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let crcTable: Uint32Array | undefined;

/** CRC-32 of `data`, or of what came before and `data` when `previous` is that earlier CRC. */
export function crc32(data: Uint8Array, previous = 0): number {
  if (typeof nativeCrc32 === 'function') {
    return nativeCrc32(data, previous) >>> 0;
  }
  return crc32InJavaScript(data, previous);
}

/** The fallback where zlib.crc32 is missing (Node before 20.15 / 22.2): the same CRC-32. */
export function crc32InJavaScript(data: Uint8Array, previous = 0): number {
  crcTable ??= buildCrcTable();
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (const byte of data) {
    crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
}
