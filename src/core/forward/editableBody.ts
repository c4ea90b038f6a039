// Edit and replay starts from the stored body, formatted for a person to edit without changing
// what it means: lossless-json keeps every number's exact text (ids beyond 2^53 survive).
import { parse, stringify } from 'lossless-json';
import type { DeliveryRecord } from '../delivery';

/** Deeper than this is not a body anyone edits by hand; it is shown as received instead. */
const MAX_FORMAT_DEPTH = 200;

export function editableBody(record: Pick<DeliveryRecord, 'bodyBase64' | 'parseError'>): string {
  const text = Buffer.from(record.bodyBase64, 'base64').toString('utf8');
  if (record.parseError !== null || nestingDepth(text) > MAX_FORMAT_DEPTH) return text;
  try {
    const formatted = stringify(parse(text), undefined, 2);
    return formatted === undefined ? text : `${formatted}\n`;
  } catch {
    return text;
  }
}

/** Bracket depth outside strings: cheap, and spares the recursive parser a hostile body. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return deepest;
}
