// Store layout on disk and the line scanner used by open, refresh and compaction.
//
//   <dir>/store.lock               single-writer lock (lock.ts)
//   <dir>/segments/00000001.jsonl  append-only operation log, oldest first
//   <dir>/quarantine/              damaged lines moved aside at recovery, one file each
import { type DecodedLine, decodeLineWithoutBody } from './lineCodec';

export const SEGMENTS_DIR = 'segments';
export const QUARANTINE_DIR = 'quarantine';
export const LOCK_FILE = 'store.lock';
/** Compaction writes here first; a leftover after a crash is deleted at open (D-08). */
export const COMPACTION_TEMP_SUFFIX = '.compact.tmp';

const SEGMENT_NAME = /^(\d{8,})\.jsonl$/;
const NEWLINE = 0x0a;

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.jsonl`;
}

export function parseSegmentFileName(name: string): number | undefined {
  const match = SEGMENT_NAME.exec(name);
  if (!match?.[1]) {
    return undefined;
  }
  const segment = Number(match[1]);
  return Number.isSafeInteger(segment) && segment > 0 ? segment : undefined;
}

/** Segment numbers found in a directory listing, ascending (numerically, past 8 digits too). */
export function segmentNumbers(names: readonly string[]): number[] {
  const numbers: number[] = [];
  for (const name of names) {
    const segment = parseSegmentFileName(name);
    if (segment !== undefined) {
      numbers.push(segment);
    }
  }
  return numbers.sort((a, b) => a - b);
}

export interface ScanResult {
  /** Absolute offset just after the last newline: where complete lines end. */
  readonly completeEnd: number;
  /** Bytes after the last newline (a write torn by a crash, or one still in progress). */
  readonly partialTail: { readonly offset: number; readonly length: number } | null;
}

/**
 * Calls `onLine` for every newline-terminated line in `buffer`, in order. `baseOffset` is the
 * file offset of `buffer[0]`; offsets passed on are absolute, lengths include the newline.
 * Put records arrive without their body (`bodyBase64: ""`): this feeds the index only.
 */
export function scanLines(
  buffer: Buffer,
  baseOffset: number,
  onLine: (decoded: DecodedLine, offset: number, length: number) => void,
): ScanResult {
  let start = 0;
  for (;;) {
    const newline = buffer.indexOf(NEWLINE, start);
    if (newline < 0) {
      break;
    }
    // Blank lines carry nothing; a stray newline is not worth quarantining.
    if (newline > start) {
      onLine(
        decodeLineWithoutBody(buffer, start, newline),
        baseOffset + start,
        newline + 1 - start,
      );
    }
    start = newline + 1;
  }
  const partialTail =
    start < buffer.length ? { offset: baseOffset + start, length: buffer.length - start } : null;
  return { completeEnd: baseOffset + start, partialTail };
}
