// Payload text (keys, values, event names) reaches generated code only as a string literal or
// inside a line comment, built here per language. Everything outside printable ASCII is escaped,
// so no quote, backtick, `${`, `*/`, line separator or lone surrogate can change what the code
// means (catalogue C-02).

type Escaper = (codePoint: number) => string;

function escapeText(text: string, escapeCodePoint: Escaper): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    let codePoint = unit;
    // A well-formed surrogate pair is one code point; a lone surrogate stays a single unit.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        codePoint = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        index++;
      }
    }
    out += escapeCodePoint(codePoint);
  }
  return out;
}

const COMMON_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

function isPlainAscii(codePoint: number): boolean {
  return codePoint >= 0x20 && codePoint < 0x7f;
}

/** A TypeScript/JavaScript double-quoted string literal. */
export function tsString(text: string): string {
  return `"${escapeText(text, (codePoint) => {
    const common = COMMON_ESCAPES[codePoint];
    if (common !== undefined) return common;
    if (isPlainAscii(codePoint)) return String.fromCharCode(codePoint);
    if (codePoint > 0xffff) return `\\u{${hex(codePoint, 1)}}`;
    return `\\u${hex(codePoint, 4)}`;
  })}"`;
}

/** A Python double-quoted str literal. A lone surrogate stays one (Python allows it in a str). */
export function pythonString(text: string): string {
  return `"${escapeText(text, (codePoint) => {
    const common = COMMON_ESCAPES[codePoint];
    if (common !== undefined) return common;
    if (isPlainAscii(codePoint)) return String.fromCharCode(codePoint);
    if (codePoint > 0xffff) return `\\U${hex(codePoint, 8)}`;
    return `\\u${hex(codePoint, 4)}`;
  })}"`;
}

/** A Go interpreted string literal. Go has no lone surrogates: they become U+FFFD. */
export function goString(text: string): string {
  return `"${escapeText(text, (codePoint) => {
    const common = COMMON_ESCAPES[codePoint];
    if (common !== undefined) return common;
    if (isPlainAscii(codePoint)) return String.fromCharCode(codePoint);
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) return '\\ufffd';
    if (codePoint > 0xffff) return `\\U${hex(codePoint, 8)}`;
    return `\\u${hex(codePoint, 4)}`;
  })}"`;
}

/**
 * Text for a line comment (`//` or `#`): printable ASCII, the rest as `\u{...}`, and `*` `/`
 * split so a block comment elsewhere can never be closed by it. Long text is cut with an ellipsis.
 */
export function commentText(text: string, maxLength = 120): string {
  const safe = escapeText(text, (codePoint) =>
    isPlainAscii(codePoint) ? String.fromCharCode(codePoint) : `\\u{${hex(codePoint, 1)}}`,
  ).replace(/\*\//g, '* /');
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 3)}...` : safe;
}

/** True when `text` holds a UTF-16 surrogate that is not half of a pair. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Why a sample cannot be typed in every language, or undefined. A key holding a lone surrogate
 * (`"k\ud800"`, valid JSON) cannot be written in Python's or Go's source by quicktype, so the
 * delivery is left out with this reason instead of failing the whole generation. Keys only:
 * values never reach the types.
 */
export function unrepresentableKeyReason(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        if (hasLoneSurrogate(key)) {
          const shown = JSON.stringify(key);
          return `A delivery body has the key ${shown.length > 60 ? `${shown.slice(0, 57)}..."` : shown}, with a lone UTF-16 surrogate, which typed code cannot name; HookLens left it out.`;
        }
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return undefined;
}
