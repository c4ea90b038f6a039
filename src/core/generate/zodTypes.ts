// Zod schemas as quicktype renders them, with one change: a union of one schema and null,
// `z.union([X, z.null()])`, becomes `X.nullable()`. Both accept the same values, but Zod reports a
// failed union only as "Invalid input" at the union, while `.nullable()` passes on X's own issue
// (`issue.closed_at: Expected string, received number`), so the 400 names the field that differs.

/** Rewrites every two-member union with `z.null()` in `source`; everything else is kept as is. */
export function zodTypes(source: string): string {
  return rewrite(source);
}

const UNION_OPEN = 'z.union([';
const NULL_SCHEMA = 'z.null()';

function rewrite(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' || char === "'") {
      const end = stringEnd(text, index);
      out += text.slice(index, end);
      index = end;
    } else if (text.startsWith(UNION_OPEN, index)) {
      const close = closingBracket(text, index + UNION_OPEN.length - 1);
      // `])` must follow; anything else is left exactly as quicktype wrote it.
      if (close < 0 || text[close + 1] !== ')') {
        out += UNION_OPEN;
        index += UNION_OPEN.length;
        continue;
      }
      const members = splitTopLevel(text.slice(index + UNION_OPEN.length, close)).map((member) =>
        rewrite(member.trim()),
      );
      const others = members.filter((member) => member !== NULL_SCHEMA);
      out +=
        members.length === 2 && others.length === 1
          ? `${others[0]!}.nullable()`
          : `z.union([${members.join(', ')}])`;
      index = close + 2;
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/** The index just past the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  let index = start + 1;
  while (index < text.length && text[index] !== quote) index += text[index] === '\\' ? 2 : 1;
  return Math.min(index + 1, text.length);
}

/** The index of the bracket that closes the one at `open`, or -1. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  let index = open;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' || char === "'") {
      index = stringEnd(text, index);
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth === 0) return index;
    }
    index++;
  }
  return -1;
}

/** Splits on the commas that are not inside brackets or strings. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' || char === "'") {
      index = stringEnd(text, index);
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
    index++;
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part.trim() !== '');
}
