// Import: HookLens exports (NDJSON lines or the JSON array) and HAR files back into the store.
// Everything in the file is untrusted: each field is checked, the body hash, sender, event and
// session are derived again from the bytes, and a bad entry is reported with its line and
// skipped while the others still import. Imported deliveries are not verified again: the
// secret that signed them may be long gone, so the verdict from the file is kept and labelled.
import { parse as losslessParse } from 'lossless-json';
import { toSingleLine } from '../../shared/visibleText';

import { DELIVERY_RECORD_VERSION, type DeliveryRecord, type RecordedResponse } from '../delivery';
import { RECORDED_BODY_CHARS } from '../forward/attempt';
import { headlineOfRecord } from '../detail/headline';
import { newDeliveryId } from '../ids';
import { isKnownVerdict } from '../../shared/verdicts';
import { DEFAULT_ANALYSIS_SETTINGS, RequestAnalyser } from '../analysis/analyseRequest';
import type { DeliveryStoreBackend } from '../store/backend';
import type { DeliveryInput } from '../store/types';

export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;
/** The receiver's own ceiling (`hooklens.maxBodySize` is at most 25 MiB). */
export const MAX_IMPORT_BODY_BYTES = 25 * 1024 * 1024;
const MAX_HEADERS = 1000;
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_URL_CHARS = 64 * 1024;
const MAX_REASON_CHARS = 300;
/** Puts issued together share one write and fsync in the store (group commit). */
const PUT_BATCH = 256;

/** The import stopped: the message says why, for a person, and what (if anything) was stored. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export interface ImportSkip {
  /** 1-based line in the file where the entry starts; 0 when it could not be located. */
  readonly line: number;
  /** 1-based position in a HAR `entries` list or a JSON array; absent for NDJSON. */
  readonly entry?: number;
  readonly reason: string;
}

export type ImportFormat = 'ndjson' | 'json' | 'har';

export interface ImportParseResult {
  readonly format: ImportFormat;
  readonly records: DeliveryInput[];
  readonly skipped: ImportSkip[];
  /** Entries that repeat an earlier entry's id in the same file. */
  readonly duplicates: number;
}

export interface ImportOptions {
  /** The file's name as the user knows it; it goes into each imported delivery's reason. */
  readonly fileName: string;
  readonly now?: () => number;
  /**
   * The same analysis the receiver runs (providers, pointers, secrets): recognition, the dedupe
   * key, and keeping any configured secret out of the store. Imported deliveries are not
   * verified again; the file's verdict is kept.
   */
  readonly analyser?: RequestAnalyser;
}

export interface ImportResult {
  readonly format: ImportFormat;
  /** The deliveries now in the store, in the order they were stored. */
  readonly records: DeliveryRecord[];
  readonly skipped: ImportSkip[];
  /** Entries already in the store (same id, or same body, method and URL) or repeated in the file. */
  readonly duplicates: number;
}

/** Reads an export or a HAR file. Throws ImportError when the file as a whole cannot be read. */
export function parseImport(text: string, options: ImportOptions): ImportParseResult {
  const fileName = toSingleLine(options.fileName, 120);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_IMPORT_FILE_BYTES) {
    throw new ImportError(
      `${fileName} is ${mebibytes(size)} MiB; HookLens imports files of up to ${mebibytes(MAX_IMPORT_FILE_BYTES)} MiB. Split it (export fewer deliveries at a time) and import the parts.`,
    );
  }
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = /\S/.exec(content)?.[0];
  const context = new EntryContext(options, fileName);
  if (first === undefined) return context.result('ndjson');
  if (first !== '{' && first !== '[') {
    // A damaged first line should not cost the rest of an NDJSON file.
    if (startsLikeNdjson(content)) {
      readNdjson(content, context);
      return context.result('ndjson');
    }
    throw new ImportError(
      `${fileName} is not a HookLens export (NDJSON or JSON) or a HAR file: it does not start with '{' or '['.`,
    );
  }
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(content);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined && Array.isArray(whole)) {
    const items: readonly unknown[] = whole;
    const lines = elementLines(content, []);
    items.forEach((item, index) =>
      context.add(lineOf(lines, items, index), index + 1, () => fromExported(item, context)),
    );
    return context.result('json');
  }
  if (wholeError === undefined && isObject(whole)) {
    if (own(whole, 'log') === undefined) {
      // One delivery: a single NDJSON line, or one exported object pretty-printed.
      context.add(1, undefined, () => fromExported(whole, context));
      return context.result('ndjson');
    }
    const log = own(whole, 'log');
    const entries = isObject(log) ? own(log, 'entries') : undefined;
    if (!Array.isArray(entries)) {
      throw new ImportError(`${fileName} looks like a HAR file, but it has no "log.entries" list.`);
    }
    const items: readonly unknown[] = entries;
    const lines = elementLines(content, ['log', 'entries']);
    items.forEach((entry, index) =>
      context.add(lineOf(lines, items, index), index + 1, () => fromHarEntry(entry, context)),
    );
    return context.result('har');
  }
  if (wholeError !== undefined && !startsLikeNdjson(content)) {
    throw new ImportError(
      `${fileName} is not valid JSON or NDJSON: ${jsonErrorWithLine(wholeError, content)}.`,
    );
  }
  readNdjson(content, context);
  return context.result('ndjson');
}

/**
 * Reads the file and stores each delivery that is not already there. A delivery counts as already
 * there when its id is stored, or a stored delivery has the same body (SHA-256), method and URL.
 */
export async function importIntoStore(
  store: DeliveryStoreBackend,
  text: string,
  options: ImportOptions,
): Promise<ImportResult> {
  refuseUnlessWritable(store); // Before reading the file, which may be large, for nothing.
  return storeImported(store, parseImport(text, options));
}

/** The second half of `importIntoStore`, for a caller that parsed the file before opening the store. */
export async function storeImported(
  store: DeliveryStoreBackend,
  parsed: ImportParseResult,
): Promise<ImportResult> {
  refuseUnlessWritable(store);
  const sameContent = new ContentIndex(store);
  const fresh: DeliveryInput[] = [];
  let duplicates = parsed.duplicates;
  for (const record of parsed.records) {
    if (store.summary(record.id) !== undefined || (await sameContent.has(record))) duplicates++;
    else fresh.push(record);
  }
  // Keep the file's chronology: the store orders by arrival in the store, not by receivedAt.
  fresh.sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  const known = new Set(fresh.map((record) => record.id));
  const stored: DeliveryRecord[] = [];
  for (let start = 0; start < fresh.length; start += PUT_BATCH) {
    const batch = fresh.slice(start, start + PUT_BATCH).map((record) => {
      const duplicateOf = record.duplicateOf;
      const keepsLink =
        duplicateOf !== null &&
        (known.has(duplicateOf) || store.summary(duplicateOf) !== undefined);
      return store.put(keepsLink ? record : { ...record, duplicateOf: null });
    });
    const outcomes = await Promise.allSettled(batch);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') stored.push(outcome.value);
    }
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      const reason: unknown = failure.reason;
      throw new ImportError(
        `Stored ${stored.length} of ${fresh.length} deliveries, then the store refused: ${reason instanceof Error ? reason.message : String(reason)} Importing the file again skips the ones already stored.`,
      );
    }
  }
  return { format: parsed.format, records: stored, skipped: parsed.skipped, duplicates };
}

function refuseUnlessWritable(store: DeliveryStoreBackend): void {
  if (store.mode === 'viewer') {
    const holder = store.lockHolder;
    throw new ImportError(
      `The store in ${store.location} is in use by another HookLens process${holder ? ` (pid ${holder.pid} on ${holder.hostname})` : ''}; only that process can add deliveries. Stop it, or import from there.`,
    );
  }
  if (store.mode === 'readonly') {
    throw new ImportError(
      `The store in ${store.location} is read-only: ${store.readOnlyReason ?? 'it was written by a newer HookLens'}.`,
    );
  }
}

/** Finds stored deliveries with the same method, URL and body, reading bodies' hashes lazily. */
class ContentIndex {
  private readonly byShape = new Map<string, string[]>();
  private readonly hashes = new Map<string, string | undefined>();

  constructor(private readonly store: DeliveryStoreBackend) {
    for (const summary of store.summaries()) {
      const key = shapeKey(summary.method, summary.url, summary.bodySize);
      const ids = this.byShape.get(key);
      if (ids) ids.push(summary.id);
      else this.byShape.set(key, [summary.id]);
    }
  }

  async has(record: DeliveryInput): Promise<boolean> {
    for (const id of this.byShape.get(shapeKey(record.method, record.url, record.bodySize)) ?? []) {
      if (!this.hashes.has(id)) {
        const stored = await this.store.get(id).catch(() => undefined);
        this.hashes.set(id, stored?.bodySha256);
      }
      if (this.hashes.get(id) === record.bodySha256) return true;
    }
    return false;
  }
}

function shapeKey(method: string, url: string, bodySize: number): string {
  return `${method}\n${bodySize}\n${url}`;
}

/** A problem with one entry: it is skipped and reported, the rest of the file still imports. */
class EntryProblem extends Error {}

/** Collects the entries of one file: ids seen so far, skips and in-file duplicates. */
class EntryContext {
  private readonly records: DeliveryInput[] = [];
  private readonly skipped: ImportSkip[] = [];
  private readonly ids = new Set<string>();
  private duplicates = 0;
  readonly now: () => number;

  constructor(
    readonly options: ImportOptions,
    readonly fileName: string,
  ) {
    this.now = options.now ?? Date.now;
  }

  add(line: number, entry: number | undefined, build: () => DeliveryInput): void {
    let record: DeliveryInput;
    try {
      record = build();
    } catch (error) {
      if (!(error instanceof EntryProblem)) throw error;
      this.skipped.push({ line, ...(entry === undefined ? {} : { entry }), reason: error.message });
      return;
    }
    if (this.ids.has(record.id)) {
      this.duplicates++;
      return;
    }
    this.ids.add(record.id);
    this.records.push(record);
  }

  skip(line: number, reason: string): void {
    this.skipped.push({ line, reason });
  }

  result(format: ImportFormat): ImportParseResult {
    return {
      format,
      records: this.records,
      skipped: this.skipped,
      duplicates: this.duplicates,
    };
  }
}

function readNdjson(content: string, context: EntryContext): void {
  let start = 0;
  let line = 0;
  while (start <= content.length) {
    line++;
    const newline = content.indexOf('\n', start);
    const end = newline < 0 ? content.length : newline;
    const text = content.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      context.skip(line, `not valid JSON (${jsonErrorMessage(error)})`);
      continue;
    }
    context.add(line, undefined, () => fromExported(value, context));
  }
}

/** The fields every import format comes down to, before checks and derivations. */
interface RawDelivery {
  readonly id: unknown;
  readonly receivedAt: unknown;
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly remoteAddress: unknown;
  readonly verdict: unknown;
  readonly reason: unknown;
  readonly response: RecordedResponse | null;
  readonly duplicateOf: unknown;
}

/** One object of a HookLens NDJSON or JSON export (`ExportedDelivery`). */
function fromExported(value: unknown, context: EntryContext): DeliveryInput {
  if (!isObject(value)) {
    throw new EntryProblem(
      'not a JSON object (a HookLens export has one delivery object per line)',
    );
  }
  if (['method', 'path', 'body'].every((key) => own(value, key) === undefined)) {
    throw new EntryProblem('not a HookLens delivery: it has no "method", "path" or "body"');
  }
  const method = httpMethod(own(value, 'method'));
  const encoding = own(value, 'bodyEncoding') ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'base64') {
    throw new EntryProblem(`"bodyEncoding" must be "utf8" or "base64"`);
  }
  const body = own(value, 'body');
  if (typeof body !== 'string') throw new EntryProblem('"body" must be a string');
  const verification = own(value, 'verification');
  const status = own(value, 'status');
  const timeMs = own(value, 'timeMs');
  return buildDelivery(
    {
      id: own(value, 'id'),
      receivedAt: own(value, 'receivedAt'),
      method,
      url: requestPath(own(value, 'path'), '"path"'),
      headers: pairHeaders(own(value, 'headers') ?? []),
      body: bodyBytes(body, encoding, '"body"'),
      remoteAddress: own(value, 'remoteAddress'),
      verdict: isObject(verification) ? own(verification, 'verdict') : undefined,
      reason: isObject(verification) ? own(verification, 'reason') : undefined,
      response: isHttpStatus(status)
        ? { status, headers: [], body: '', timeMs: isDuration(timeMs) ? timeMs : 0 }
        : null,
      duplicateOf: own(value, 'duplicateOf'),
    },
    context,
  );
}

/** One HAR entry: the request is the delivery, the response what the sender was answered. */
function fromHarEntry(entry: unknown, context: EntryContext): DeliveryInput {
  if (!isObject(entry)) throw new EntryProblem('not a JSON object');
  const request = own(entry, 'request');
  if (!isObject(request)) throw new EntryProblem('"request" is missing or not an object');
  const method = httpMethod(own(request, 'method'));
  const hookLens = own(entry, '_hooklens');
  const fields = isObject(hookLens) ? hookLens : {};
  return buildDelivery(
    {
      id: own(fields, 'id'),
      receivedAt: own(entry, 'startedDateTime'),
      method,
      url: requestPath(own(request, 'url'), '"request.url"'),
      headers: namedHeaders(own(request, 'headers') ?? [], '"request.headers"'),
      body: postDataBytes(own(request, 'postData')),
      remoteAddress: own(fields, 'remoteAddress'),
      verdict: own(fields, 'verdict'),
      reason: own(fields, 'reason'),
      response: harResponse(own(entry, 'response'), entryTime(entry)),
      duplicateOf: own(fields, 'duplicateOf'),
    },
    context,
  );
}

function httpMethod(value: unknown): string {
  if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/.test(value)) {
    throw new EntryProblem('the method is missing or is not an HTTP method such as POST');
  }
  return value;
}

const DEFAULT_ANALYSER = new RequestAnalyser(DEFAULT_ANALYSIS_SETTINGS);

function buildDelivery(raw: RawDelivery, context: EntryContext): DeliveryInput {
  const parsedTime = typeof raw.receivedAt === 'string' ? Date.parse(raw.receivedAt) : NaN;
  const receivedAtMs = Number.isFinite(parsedTime) ? parsedTime : context.now();
  const id =
    typeof raw.id === 'string' && SAFE_ID.test(raw.id) ? raw.id : newDeliveryId(receivedAtMs);
  const analysis = (context.options.analyser ?? DEFAULT_ANALYSER).analyse(
    { method: raw.method, url: raw.url, headers: raw.headers, body: raw.body },
    receivedAtMs,
    id,
  );
  const { recognition } = analysis;
  // A file is untrusted: only verdicts this version knows are taken from it.
  const verdict = isKnownVerdict(raw.verdict) ? raw.verdict : undefined;
  const originalReason =
    typeof raw.reason === 'string' && raw.reason.trim() !== ''
      ? toSingleLine(raw.reason.trim(), MAX_REASON_CHARS)
      : 'no reason was recorded.';
  const record: DeliveryInput = {
    v: DELIVERY_RECORD_VERSION,
    id,
    receivedAt: new Date(receivedAtMs).toISOString(),
    method: raw.method,
    url: analysis.url,
    headers: analysis.headers,
    remoteAddress:
      typeof raw.remoteAddress === 'string' ? toSingleLine(raw.remoteAddress, 100) : '',
    bodyBase64: raw.body.toString('base64'),
    bodySha256: analysis.bodySha256,
    bodySize: raw.body.length,
    parseError: analysis.parseError,
    sender: recognition.sender,
    event: recognition.event,
    sessionId: recognition.sessionId,
    senderEventId: recognition.senderEventId,
    verification: verdict
      ? {
          verdict,
          reason: `Imported from ${context.fileName}; not verified again. At capture: ${originalReason}`,
        }
      : {
          verdict:
            analysis.provider.scheme === 'jwt' &&
            analysis.facts.header('authorization') === undefined
              ? 'missing_token'
              : 'no_secret',
          reason: `Imported from ${context.fileName}; not verified again, and the file has no verdict for it.`,
        },
    response: raw.response,
    attempts: [],
    duplicateOf:
      typeof raw.duplicateOf === 'string' && SAFE_ID.test(raw.duplicateOf) ? raw.duplicateOf : null,
    dedupeKey: analysis.dedupeKey,
  };
  // Files carry no headline (HAR has no place for one): it is computed as at capture, so
  // imported rows tell deliveries apart like captured ones.
  const headline = headlineOfRecord(record);
  return headline === null ? record : { ...record, headline };
}

/** Ids stay usable in file names, URIs and the webview protocol. Others get a fresh id. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A request target the receiver could have seen: no spaces or control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what this rejects.
const UNSAFE_IN_TARGET = /[\u0000-\u0020\u007f]/;
/**
 * What Node's HTTP client refuses in a header value (anything but tab, visible ASCII and
 * Latin-1): such a header could be stored but never replayed, so the entry is refused instead.
 */
const UNSENDABLE_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/u;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The path and query: from a path as stored, or from an absolute http(s) URL (HAR). */
function requestPath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new EntryProblem(`${field} is missing or not a string`);
  }
  if (value.length > MAX_URL_CHARS) {
    throw new EntryProblem(`${field} is longer than ${MAX_URL_CHARS} characters`);
  }
  let path = value;
  const absolute = /^https?:\/\/[^/?#]*/i.exec(value);
  if (absolute) {
    path = value.slice(absolute[0].length).replace(/#.*$/, '');
    if (!path.startsWith('/')) path = `/${path}`;
  }
  if (!path.startsWith('/') || UNSAFE_IN_TARGET.test(path)) {
    throw new EntryProblem(
      `${field} must be a request path such as /webhook or an http(s) URL, without spaces or control characters`,
    );
  }
  return path;
}

/** `[["Content-Type", "application/json"], ...]`, as HookLens exports write headers. */
function pairHeaders(value: unknown): Array<readonly [string, string]> {
  if (!Array.isArray(value))
    throw new EntryProblem('"headers" must be a list of [name, value] pairs');
  const items: readonly unknown[] = value;
  return checkedHeaders(
    items.map((item) => {
      if (
        !Array.isArray(item) ||
        item.length !== 2 ||
        typeof item[0] !== 'string' ||
        typeof item[1] !== 'string'
      ) {
        throw new EntryProblem('"headers" must be a list of [name, value] pairs of strings');
      }
      return [item[0], item[1]] as const;
    }),
    '"headers"',
  );
}

/** `[{ "name": "Content-Type", "value": "application/json" }, ...]`, as HAR writes headers. */
function namedHeaders(value: unknown, field: string): Array<readonly [string, string]> {
  if (!Array.isArray(value)) throw new EntryProblem(`${field} must be a list`);
  const items: readonly unknown[] = value;
  const pairs = items.map((item) => {
    const name = isObject(item) ? own(item, 'name') : undefined;
    const text = isObject(item) ? own(item, 'value') : undefined;
    if (typeof name !== 'string' || typeof text !== 'string') {
      throw new EntryProblem(`${field} must be a list of { "name", "value" } strings`);
    }
    return [name, text] as const;
  });
  // HTTP/2 pseudo-headers (:authority, :path) in browser HARs are framing, not headers.
  return checkedHeaders(
    pairs.filter(([name]) => !name.startsWith(':')),
    field,
  );
}

function checkedHeaders(
  headers: Array<readonly [string, string]>,
  field: string,
): Array<readonly [string, string]> {
  if (headers.length > MAX_HEADERS) {
    throw new EntryProblem(
      `${field} has ${headers.length} headers; at most ${MAX_HEADERS} are imported`,
    );
  }
  let bytes = 0;
  for (const [name, value] of headers) {
    bytes += name.length + value.length;
    if (!TOKEN.test(name)) {
      throw new EntryProblem(
        `${field} has a header name that is not valid: ${toSingleLine(name, 60)}`,
      );
    }
    const unsendable = UNSENDABLE_IN_HEADER_VALUE.exec(value)?.[0];
    if (unsendable !== undefined) {
      const code = `U+${(unsendable.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      const what = /[\r\n\0]/.test(unsendable) ? `a line break or NUL (${code})` : code;
      throw new EntryProblem(
        `${field}: the value of ${toSingleLine(name, 60)} contains ${what}, which HTTP cannot carry, so it could never be replayed`,
      );
    }
  }
  if (bytes > MAX_HEADER_BYTES) {
    throw new EntryProblem(`${field} are larger than ${MAX_HEADER_BYTES / 1024} KiB`);
  }
  return headers;
}

function bodyBytes(text: string, encoding: 'utf8' | 'base64', field: string): Buffer {
  if (encoding === 'base64') {
    if (Math.floor((text.length * 3) / 4) > MAX_IMPORT_BODY_BYTES) throw bodyTooLarge(text.length);
    if (text.length % 4 === 1 || !BASE64.test(text)) {
      throw new EntryProblem(`${field} is marked base64 but is not valid base64`);
    }
    return Buffer.from(text, 'base64');
  }
  // A UTF-8 character is at most 3 bytes per UTF-16 unit, so short texts skip the exact count.
  if (text.length * 3 > MAX_IMPORT_BODY_BYTES) {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_IMPORT_BODY_BYTES) throw bodyTooLarge(size);
  }
  return Buffer.from(text, 'utf8');
}

function bodyTooLarge(size: number): EntryProblem {
  return new EntryProblem(
    `the body is about ${mebibytes(size)} MiB; bodies over ${mebibytes(MAX_IMPORT_BODY_BYTES)} MiB are not imported`,
  );
}

function postDataBytes(postData: unknown): Buffer {
  if (postData === undefined || postData === null) return Buffer.alloc(0);
  if (!isObject(postData)) throw new EntryProblem('"request.postData" must be an object');
  const text = own(postData, 'text');
  const encoding = own(postData, 'encoding') ?? own(postData, '_encoding');
  if (typeof text === 'string') {
    return bodyBytes(text, encoding === 'base64' ? 'base64' : 'utf8', '"request.postData.text"');
  }
  const params = own(postData, 'params');
  const mimeType = own(postData, 'mimeType');
  if (
    Array.isArray(params) &&
    typeof mimeType === 'string' &&
    /application\/x-www-form-urlencoded/i.test(mimeType)
  ) {
    const items: readonly unknown[] = params;
    const form = new URLSearchParams();
    for (const item of items) {
      const name = isObject(item) ? own(item, 'name') : undefined;
      const value = isObject(item) ? (own(item, 'value') ?? '') : undefined;
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new EntryProblem(
          '"request.postData.params" must be a list of { "name", "value" } strings',
        );
      }
      form.append(name, value);
    }
    return bodyBytes(form.toString(), 'utf8', '"request.postData.params"');
  }
  if (text === undefined && params === undefined) return Buffer.alloc(0);
  throw new EntryProblem(
    '"request.postData" has no "text" (form fields other than URL-encoded ones cannot be rebuilt byte for byte)',
  );
}

/** The answer the sender got, for display; a HAR response with status 0 means there was none. */
function harResponse(value: unknown, timeMs: number): RecordedResponse | null {
  if (!isObject(value)) return null;
  const status = own(value, 'status');
  if (!isHttpStatus(status)) return null;
  let headers: Array<readonly [string, string]> = [];
  try {
    headers = namedHeaders(own(value, 'headers') ?? [], '"response.headers"');
  } catch {
    // The response is only shown, never sent again: unusable headers are dropped, not fatal.
  }
  const content = own(value, 'content');
  const text = isObject(content) ? own(content, 'text') : undefined;
  let body = '';
  if (typeof text === 'string') {
    body =
      isObject(content) && own(content, 'encoding') === 'base64' && BASE64.test(text)
        ? Buffer.from(text.slice(0, RECORDED_BODY_CHARS * 2), 'base64').toString('utf8')
        : text;
  }
  if (body.length > RECORDED_BODY_CHARS) {
    body = `${body.slice(0, RECORDED_BODY_CHARS)}\n[… truncated by HookLens]`;
  }
  return { status, headers, body, timeMs };
}

function entryTime(entry: Record<string, unknown>): number {
  const time = own(entry, 'time');
  if (isDuration(time)) return time;
  const timings = own(entry, 'timings');
  const wait = isObject(timings) ? own(timings, 'wait') : undefined;
  return isDuration(wait) ? wait : 0;
}

/**
 * The 1-based line on which each element of the array at `path` starts (`['log', 'entries']` in a
 * HAR, `[]` for a top-level array). `text` must already be known to be valid JSON.
 */
export function elementLines(text: string, path: readonly string[]): number[] {
  interface Frame {
    readonly array: boolean;
    readonly onPath: boolean;
    key: string | null;
    expectKey: boolean;
  }
  const lines: number[] = [];
  const stack: Frame[] = [];
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    const top = stack.at(-1);
    if (char === 0x0a) line++;
    else if (char === 0x20 || char === 0x09 || char === 0x0d) continue;
    else if (char === 0x2c) {
      if (top && !top.array) top.expectKey = true;
    } else if (char === 0x3a) {
      if (top) top.expectKey = false;
    } else if (char === 0x7d || char === 0x5d) stack.pop();
    else if (top && !top.array && top.expectKey) {
      const end = stringEnd(text, index);
      top.key = JSON.parse(text.slice(index, end + 1)) as string;
      index = end;
    } else {
      if (top && top.array && top.onPath && stack.length - 1 === path.length) lines.push(line);
      if (char === 0x7b || char === 0x5b) {
        const depth = stack.length - 1;
        const onPath =
          top === undefined ||
          (top.onPath && !top.array && depth < path.length && top.key === path[depth]);
        stack.push({ array: char === 0x5b, onPath, key: null, expectKey: char === 0x7b });
      } else if (char === 0x22) {
        index = stringEnd(text, index);
      } else {
        while (index + 1 < text.length && !/[\s,\]}]/.test(text.charAt(index + 1))) index++;
      }
    }
  }
  return lines;
}

/** Index of the closing quote of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x5c) index++;
    else if (char === 0x22) return index;
  }
  return text.length - 1;
}

/** The scan and JSON.parse disagree only for a repeated key (JSON.parse keeps the last one). */
function lineOf(lines: readonly number[], items: readonly unknown[], index: number): number {
  return lines.length === items.length ? (lines[index] ?? 0) : 0;
}

/** NDJSON when one of the first few non-blank lines is a JSON object on its own. */
function startsLikeNdjson(content: string): boolean {
  let checked = 0;
  let start = 0;
  while (start < content.length && checked < NDJSON_PROBE_LINES) {
    const newline = content.indexOf('\n', start);
    const end = newline < 0 ? content.length : newline;
    const line = content.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    checked++;
    try {
      if (isObject(JSON.parse(line))) return true;
    } catch {
      // Not this line; look at the next.
    }
  }
  return false;
}
const NDJSON_PROBE_LINES = 20;

function jsonErrorMessage(error: unknown): string {
  return toSingleLine(error instanceof Error ? error.message : String(error), 160);
}

/**
 * Where the file stops being JSON, as a line and column. JSON.parse does not say where in every
 * case; lossless-json does ("at position N"), but recurses, so it only runs on this failure path
 * and its own failure on absurd nesting falls back to JSON.parse's words.
 */
function jsonErrorWithLine(error: unknown, text: string): string {
  let message = jsonErrorMessage(error);
  try {
    losslessParse(text);
  } catch (located) {
    // Its duplicate-key complaint is not a syntax error (JSON.parse accepts those).
    if (located instanceof SyntaxError && !/duplicate key/i.test(located.message)) {
      message = jsonErrorMessage(located);
    }
  }
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/ at position \d+/, '')} (line ${line}, column ${column})`;
}

function own(object: Record<string, unknown>, key: string): unknown {
  // Own properties only: a "__proto__" or "constructor" key in the file is data, nothing more.
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1);
}
