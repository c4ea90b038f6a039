// Edit and replay starts from the stored body, formatted for a person to edit without changing
// what it means: lossless-json keeps every number's exact text (ids beyond 2^53 survive).
import { parse, stringify } from 'lossless-json';
import type { DeliveryRecord } from '../delivery';
import { jsonNestingDepth } from '../jsonDepth';

/** Deeper than this is not a body anyone edits by hand; it is shown as received instead. */
const MAX_FORMAT_DEPTH = 200;

export function editableBody(record: Pick<DeliveryRecord, 'bodyBase64' | 'parseError'>): string {
  const text = Buffer.from(record.bodyBase64, 'base64').toString('utf8');
  if (record.parseError !== null || jsonNestingDepth(text) > MAX_FORMAT_DEPTH) return text;
  try {
    const formatted = stringify(parse(text), undefined, 2);
    return formatted === undefined ? text : `${formatted}\n`;
  } catch {
    return text;
  }
}
