// What a `body:` term means, and what a body says in those terms. One definition for the body
// index (bodyIndex.ts) and the direct scan (bodySearch.ts), so both give the same answer:
//
// - Words: the body text is split into words (runs of letters and digits), lower case. A term's
//   words must all be in the body, each as a word or the start of one: `body:decl` finds
//   "card_declined", and so does `body:card_declined` (the words "card" and "declined"). Word
//   order and adjacency are not checked (`body:"fix parser"` finds "Fix the parser"). A word
//   found anywhere in the delivery's summary (its url, event, ids: bodySearch.ts `ownHolds`)
//   needs no body: `body:hooks` finds `/webhooks/stripe`, with or without the index.
// - `path=value` on JSON bodies (and form bodies, whose fields are top-level keys): keys joined with
//   dots, case-insensitive. Arrays are transparent: `commits.message=x` matches any commit, and an
//   index (`items[0].price`) is refused with a hint. The value is compared whole, case-insensitive,
//   with scalars as JSON writes them: `amount=2000`, `livemode=false`, `customer=null`; a numeric
//   value also matches the same number written another way (`2000.0`), and a JSON string "2000"
//   matches `=2000`. Objects and arrays have no value of their own; string values longer than
//   MAX_PATH_VALUE_CHARS are not matchable by path (their words are). Bodies that are not JSON or
//   form fields match no path term.
import * as l10n from '@vscode/l10n';
import { parseBody } from '../receiver/bodyText';

/** One `body:` term as the search runs it. */
export type BodyQuery =
  | { readonly kind: 'words'; readonly text: string; readonly words: readonly string[] }
  | {
      readonly kind: 'path';
      readonly text: string;
      /** `data.object.amount`, lower case. */
      readonly path: string;
      /** The value lower case, and the same number normalised when it is one. */
      readonly values: readonly string[];
      /** `pathHash` of each value: what the index and the analysis hold. */
      readonly hashes: readonly number[];
    };

/** Words longer than this are kept as their first MAX_WORD_CHARS characters (a query's too). */
export const MAX_WORD_CHARS = 32;
/** String values longer than this are not indexed as `path=value` (their words are). */
export const MAX_PATH_VALUE_CHARS = 128;
/** Body bytes read for words; a longer body is "partial" and checked directly when needed. */
export const MAX_ANALYSED_BYTES = 64 * 1024;
/** JSON bodies up to this size are parsed for paths (more is partial too). */
const MAX_PARSED_BYTES = 1024 * 1024;
/** Most distinct words, and `path=value` pairs, kept per body: the index's cost stays bounded. */
export const MAX_TERMS_PER_BODY = 1500;
const MAX_DEPTH = 32;

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a text, lower case, each cut to MAX_WORD_CHARS; in order, repeats included. */
export function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD))
    out.push(match[0].slice(0, MAX_WORD_CHARS));
  return out;
}

/**
 * Reads a `body:` term: `path=value` when what is before the first `=` has no spaces and is not
 * empty; otherwise words. A malformed path is an error, said in words the quick pick shows.
 */
export function parseBodyTerm(term: string): BodyQuery | { readonly error: string } {
  const text = term.trim();
  const equals = text.indexOf('=');
  if (equals === -1 || /\s/.test(text.slice(0, equals))) {
    const words = [...new Set(wordsOf(text))];
    if (words.length === 0)
      return { error: l10n.t('body:{0} has no letters or digits to search for.', text) };
    return { kind: 'words', text, words };
  }
  const path = text.slice(0, equals).toLowerCase();
  const value = text.slice(equals + 1).toLowerCase();
  if (path === '')
    return {
      error: l10n.t('body:{0}: say which key before “=”, e.g. body:data.object.amount=2000.', text),
    };
  if (/\[|\]/.test(path))
    return {
      error: l10n.t(
        'body:{0}: arrays need no index: {1} matches any element.',
        text,
        `${path.replace(/\[\d*\]/g, '')}=${value}`,
      ),
    };
  if (path.split('.').some((key) => key === ''))
    return {
      error: l10n.t('body:{0}: “{1}” has an empty key (two dots, or a dot at an end).', text, path),
    };
  if (value === '')
    return {
      error: l10n.t('body:{0}: say which value after “=”, e.g. {1}=2000 or {1}=null.', text, path),
    };
  const values = [value];
  const number = numericForm(value);
  if (number !== null && number !== value) values.push(number);
  return { kind: 'path', text, path, values, hashes: values.map((each) => pathHash(path, each)) };
}

/** The number a value stands for, written as JSON writes it; null when it is not a number. */
function numericForm(value: string): string | null {
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(value)) return null;
  const number = Number(value);
  return Number.isFinite(number) ? String(number).toLowerCase() : null;
}

/** What one body says: its words and its `path=value` pairs (as `pathHash`es), each once. */
export interface BodyAnalysis {
  readonly words: readonly string[];
  readonly paths: readonly number[];
  /** Only the first MAX_ANALYSED_BYTES (or MAX_TERMS_PER_BODY) were taken: check directly. */
  readonly partial: boolean;
}

/** A body to analyse: its bytes (or text) and its Content-Type. */
export interface BodyInput {
  readonly bytes: Uint8Array;
  readonly contentType?: string;
}

/** A stored record's body as the analysis reads it: bytes and Content-Type. */
export function bodyInputOf(record: {
  readonly bodyBase64: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}): BodyInput {
  return {
    bytes: Buffer.from(record.bodyBase64, 'base64'),
    contentType: record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1],
  };
}

export function analyseBody(input: BodyInput): BodyAnalysis {
  const words = new Set<string>();
  const paths = new Set<number>();
  let partial = input.bytes.length > MAX_ANALYSED_BYTES;
  const head = partial ? input.bytes.subarray(0, MAX_ANALYSED_BYTES) : input.bytes;
  if (input.bytes.length <= MAX_PARSED_BYTES) {
    const parsed = parseStructured(input);
    if (parsed !== undefined)
      addPaths(parsed, '', 0, (path, value) => {
        if (paths.size < MAX_TERMS_PER_BODY) paths.add(pathHash(path, value));
        else partial = true;
      });
  } else {
    partial = true;
  }
  for (const word of wordsOf(Buffer.from(head).toString('utf8'))) {
    if (words.size < MAX_TERMS_PER_BODY) words.add(word);
    else if (!words.has(word)) partial = true;
  }
  return { words: [...words], paths: [...paths], partial };
}

/** The JSON (or form fields) of a body; undefined when it is neither. */
function parseStructured(input: BodyInput): unknown {
  try {
    const parsed = parseBody(input.bytes, input.contentType);
    if (parsed.ok) return parsed.json;
  } catch {
    // Not JSON: no paths.
  }
  // Senders that send JSON with another Content-Type (text/plain, none).
  const text = Buffer.from(input.bytes).toString('utf8').trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function addPaths(
  value: unknown,
  path: string,
  depth: number,
  add: (path: string, value: string) => void,
): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) addPaths(item, path, depth + 1, add);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      addPaths(
        child,
        path === '' ? key.toLowerCase() : `${path}.${key.toLowerCase()}`,
        depth + 1,
        add,
      );
    }
    return;
  }
  if (path === '') return;
  let text: string;
  if (typeof value === 'string') {
    if (value.length > MAX_PATH_VALUE_CHARS) return;
    text = value.toLowerCase();
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    text = String(value).toLowerCase();
  } else {
    return;
  }
  add(path, text);
}

/**
 * `path=value` as a 53-bit number (two 32-bit FNV-1a hashes of the text, with different offsets):
 * 8 bytes in the index instead of the text (URLs and ids made path terms most of its memory).
 * Two different pairs share a number with odds of about 1 in 10^15 per pair.
 */
export function pathHash(path: string, value: string): number {
  const text = `${path}=${value}`;
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Does an analysed body hold the query (the direct scan's test; the index answers the same)? */
export function analysisMatches(analysis: BodyAnalysis, query: BodyQuery): boolean {
  if (query.kind === 'path') return query.hashes.some((hash) => analysis.paths.includes(hash));
  return query.words.every((word) => analysis.words.some((term) => term.startsWith(word)));
}
