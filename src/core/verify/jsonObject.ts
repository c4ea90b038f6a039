// Decoding a JWT segment into a JSON object, strictly: RFC 7515 §4 lets a parser either reject
// duplicate member names or keep the last one. HookLens rejects them, so what the UI shows is
// exactly what was checked (`{"alg":"HS256","alg":"none"}` must not mean two things).

export type JsonObjectResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly problem: string };

// Fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM keeps a BOM so JSON.parse refuses it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses UTF-8 bytes as a JSON object. The result comes straight from JSON.parse, so a
 * `"__proto__"` member is an ordinary own property and never changes a prototype.
 */
export function parseJsonObject(bytes: Uint8Array): JsonObjectResult {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, problem: 'is not valid UTF-8' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (!isJsonObject(parsed)) {
    return { ok: false, problem: `is JSON ${describeJsonType(parsed)}, not a JSON object` };
  }
  const duplicate = findDuplicateTopLevelKey(text);
  if (duplicate !== undefined) {
    return { ok: false, problem: `has the member ${quoteForDisplay(duplicate)} more than once` };
  }
  return { ok: true, value: parsed };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * The first member name that occurs twice at the top level of `jsonText`, compared after escape
 * decoding (`"\u0061lg"` is `"alg"`). Only call it on text JSON.parse accepted as an object:
 * the scan relies on that. Iterative, so deep nesting cannot overflow the stack.
 */
export function findDuplicateTopLevelKey(jsonText: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectingKey = false;
  for (let i = 0; i < jsonText.length; i++) {
    const code = jsonText.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(jsonText, i);
      if (depth === 1 && expectingKey) {
        const key = JSON.parse(jsonText.slice(i, end + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth === 1) expectingKey = true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    } else if (code === COMMA && depth === 1) {
      expectingKey = true;
    }
  }
  return undefined;
}

/** Index of the quote closing the JSON string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return text.length - 1;
}

/**
 * Untrusted text made safe for a one-line reason: at most 40 characters, JSON-quoted, anything
 * outside printable ASCII escaped (no control or bidi characters reach the UI).
 */
export function quoteForDisplay(value: string): string {
  const shortened = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return JSON.stringify(shortened).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
