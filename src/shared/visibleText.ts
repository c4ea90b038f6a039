// Payload text is shown as text, and characters that could hide or reorder what a person reads
// (bidi overrides, zero-width characters, ANSI escapes, CR) are made visible (CVE-2021-42574).

// C0 controls except tab and newline, DEL and C1 controls, zero-width and bidi characters, BOM.
/* eslint-disable no-control-regex -- matching control characters is the point here. */
const INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/* eslint-enable no-control-regex */

function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`
    : `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Replaces invisible and direction-changing characters with visible escapes like `\u202E`. */
export function makeVisible(text: string): string {
  return text.replace(INVISIBLE, escapeCodePoint);
}

/** A single-line label: newlines and tabs also become visible, and the result is shortened. */
export function toSingleLine(text: string, maxChars = 200): string {
  const visible = makeVisible(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return visible.length > maxChars ? `${visible.slice(0, maxChars - 1)}…` : visible;
}
