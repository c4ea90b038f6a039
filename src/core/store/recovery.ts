// Rebuilding the index from the segments (open, viewer refresh, takeover) and repairing what a
// crash or a bad disk left behind: a torn final line is quarantined and cut off (D-03), a damaged
// middle line is quarantined and skipped (D-04), lines from a newer format make the store
// read-only and are never touched (D-14).
import * as path from 'node:path';
import { type ChangeSet, DeliveryIndex } from './deliveryIndex';
import { errnoCode } from './errors';
import { type StoreFileSystem, writeFileDurably } from './fileSystem';
import { crc32, hex8, STORE_FORMAT_VERSION, type DecodedLine } from './lineCodec';
import { COMPACTION_TEMP_SUFFIX, scanLines, segmentFileName, segmentNumbers } from './segments';
import type { RecoveryNote, RetentionLimits } from './types';

/** What the store knows about one segment file. */
export interface SegmentState {
  /** Bytes of complete lines: the owner's append offset, the viewer's read position. */
  size: number;
  /** Bytes of checkpoint lines: needed only in the newest segment (later ones supersede them). */
  checkpointBytes: number;
  /** Bytes of delete/clear lines: needed while an older segment may hold the puts they undo. */
  tombstoneBytes: number;
  /** Damaged lines still in the file (quarantined copies exist); compaction removes them. */
  damagedLines: number;
  /** Inode when last read, so a viewer notices a segment replaced by compaction. */
  ino: number;
}

export function emptySegmentState(ino: number): SegmentState {
  return { size: 0, checkpointBytes: 0, tombstoneBytes: 0, damagedLines: 0, ino };
}

/** Applies decoded lines, in file order, to an index. Shared by full loads and viewer refresh. */
export class Replay {
  newerVersion: number | null = null;
  /** The retention limits of the latest checkpoint that carried them. */
  retention: RetentionLimits | null = null;

  constructor(
    readonly index: DeliveryIndex,
    readonly segments: Map<number, SegmentState>,
    public nextSeq: number,
    public floorSeq: number,
    private readonly changes?: ChangeSet,
  ) {}

  apply(decoded: DecodedLine, segment: number, offset: number, length: number): void {
    let state = this.segments.get(segment);
    if (!state) {
      state = emptySegmentState(0);
      this.segments.set(segment, state);
    }
    if (decoded.kind === 'damaged') {
      state.damagedLines += 1;
      return;
    }
    if (decoded.kind === 'newer') {
      this.newerVersion = Math.max(this.newerVersion ?? 0, decoded.version);
      return;
    }
    const op = decoded.op;
    switch (op.op) {
      case 'put': {
        const seq = op.record.seq;
        this.nextSeq = Math.max(this.nextSeq, seq + 1);
        if (seq >= this.floorSeq) {
          this.index.upsert(op.record, { segment, offset, length }, this.changes);
        }
        return;
      }
      case 'delete':
        for (const id of op.ids) {
          this.index.remove(id, this.changes);
        }
        state.tombstoneBytes += length;
        return;
      case 'clear':
        this.index.clear(this.changes);
        state.tombstoneBytes += length;
        return;
      case 'checkpoint':
        this.nextSeq = Math.max(this.nextSeq, op.nextSeq);
        // Applied once in finish(): a floor line follows every retention step, and dropping at
        // each one would make replay quadratic.
        this.floorSeq = Math.max(this.floorSeq, op.floorSeq);
        if (op.retention) {
          this.retention = op.retention;
        }
        state.checkpointBytes += length;
        return;
    }
  }

  finish(): void {
    this.index.dropBelow(this.floorSeq, this.changes);
  }
}

export interface StoreLayout {
  readonly segmentsDir: string;
  readonly quarantineDir: string;
}

export interface LoadedStore {
  readonly index: DeliveryIndex;
  readonly segments: Map<number, SegmentState>;
  readonly nextSeq: number;
  readonly floorSeq: number;
  readonly newerVersion: number | null;
  /** The retention limits recorded in the store by the owner that set them; null if none. */
  readonly retention: RetentionLimits | null;
  readonly notes: RecoveryNote[];
  /** The newest segment loaded without damage, so the owner may keep appending to it. */
  readonly newestSegmentClean: boolean;
}

interface DamagedRange {
  readonly offset: number;
  readonly bytes: Buffer;
  readonly reason: string;
}

interface SegmentFindings {
  readonly segment: number;
  readonly damaged: DamagedRange[];
  tail: DamagedRange | null;
}

/**
 * Reads every segment in order. With `repair` (the owner, and only when no newer-format line was
 * found) damaged lines are copied to quarantine/ and torn tails cut off; without it (viewer,
 * read-only) nothing on disk changes and an incomplete tail is simply not read yet.
 */
export async function loadStore(
  fs: StoreFileSystem,
  layout: StoreLayout,
  repair: boolean,
): Promise<LoadedStore> {
  const names = await readdirOrEmpty(fs, layout.segmentsDir);
  const numbers = segmentNumbers(names);
  const segments = new Map<number, SegmentState>();
  const replay = new Replay(new DeliveryIndex(), segments, 1, 0);
  const findings: SegmentFindings[] = [];
  const scratch: Scratch = { buffer: Buffer.alloc(0) };

  for (const segment of numbers) {
    const file = path.join(layout.segmentsDir, segmentFileName(segment));
    const { buffer, ino } = await readSegment(fs, file, scratch);
    const state = emptySegmentState(ino);
    segments.set(segment, state);
    const found: SegmentFindings = { segment, damaged: [], tail: null };
    // The final complete line, remembered for the torn-tail rule (a damaged last line is a tear).
    const lines: { last: { offset: number; length: number; damagedReason: string | null } | null } =
      { last: null };
    const result = scanLines(buffer, 0, (decoded, offset, length) => {
      replay.apply(decoded, segment, offset, length);
      const damagedReason = decoded.kind === 'damaged' ? decoded.reason : null;
      if (damagedReason !== null) {
        found.damaged.push({ offset, bytes: copy(buffer, offset, length), reason: damagedReason });
      }
      lines.last = { offset, length, damagedReason };
    });
    state.size = result.completeEnd;
    const lastLine = lines.last;
    if (result.partialTail) {
      // A damaged final complete line right before the partial bytes belongs to the same tear.
      const tailStart =
        typeof lastLine?.damagedReason === 'string' ? lastLine.offset : result.partialTail.offset;
      if (tailStart !== result.partialTail.offset) {
        found.damaged.pop();
      }
      found.tail = {
        offset: tailStart,
        bytes: copy(buffer, tailStart, buffer.length - tailStart),
        reason: 'incomplete final line (no newline)',
      };
    } else if (typeof lastLine?.damagedReason === 'string') {
      found.damaged.pop();
      found.tail = {
        offset: lastLine.offset,
        bytes: copy(buffer, lastLine.offset, lastLine.length),
        reason: `unreadable final line (${lastLine.damagedReason})`,
      };
    }
    if (found.damaged.length > 0 || found.tail) {
      findings.push(found);
    }
  }
  replay.finish();

  const newest = numbers.at(-1);
  const newestSegmentClean = newest === undefined || !findings.some((f) => f.segment === newest);
  const notes: RecoveryNote[] = [];
  const mayRepair = repair && replay.newerVersion === null;
  if (replay.newerVersion !== null) {
    notes.push({
      kind: 'newer-version',
      message: `This store holds lines written by a newer HookLens (format v${replay.newerVersion}; this version writes v${STORE_FORMAT_VERSION}). It was opened read-only so nothing is lost: update HookLens to record into it.`,
    });
  }
  if (mayRepair) {
    await removeLeftovers(fs, layout.segmentsDir, names, notes);
    await repairFindings(fs, layout, findings, segments, notes);
  } else {
    for (const found of findings) {
      const name = segmentFileName(found.segment);
      for (const range of [...found.damaged, ...(found.tail ? [found.tail] : [])]) {
        notes.push({
          kind: found.tail === range ? 'torn-tail' : 'damaged-line',
          message: `Skipped a damaged line at byte ${range.offset} of ${name} (${range.reason}); the window that owns the store repairs it.`,
          segment: name,
          offset: range.offset,
          length: range.bytes.length,
        });
      }
      if (found.tail) {
        // Not repaired: keep reading positions before it so a refresh does not skip past it.
        const state = segments.get(found.segment);
        if (state) {
          state.size = Math.min(state.size, found.tail.offset);
        }
      }
    }
  }

  return {
    index: replay.index,
    segments,
    nextSeq: replay.nextSeq,
    floorSeq: replay.floorSeq,
    newerVersion: replay.newerVersion,
    retention: replay.retention,
    notes,
    newestSegmentClean,
  };
}

async function repairFindings(
  fs: StoreFileSystem,
  layout: StoreLayout,
  findings: readonly SegmentFindings[],
  segments: Map<number, SegmentState>,
  notes: RecoveryNote[],
): Promise<void> {
  if (findings.length === 0) {
    return;
  }
  for (const found of findings) {
    const name = segmentFileName(found.segment);
    for (const range of found.damaged) {
      const quarantinedAs = await quarantine(fs, layout.quarantineDir, name, range);
      notes.push({
        kind: 'damaged-line',
        message: `A damaged line at byte ${range.offset} of ${name} (${range.reason}) was skipped and copied to quarantine/${quarantinedAs}; later lines loaded normally.`,
        segment: name,
        offset: range.offset,
        length: range.bytes.length,
        quarantinedAs,
      });
    }
  }
  // Quarantine copies must be durable before any segment is cut: the bytes are never lost.
  await fs.syncDirectory(layout.quarantineDir);
  for (const found of findings) {
    const tail = found.tail;
    if (!tail) {
      continue;
    }
    const name = segmentFileName(found.segment);
    const quarantinedAs = await quarantine(fs, layout.quarantineDir, name, tail);
    await fs.syncDirectory(layout.quarantineDir);
    const handle = await fs.open(path.join(layout.segmentsDir, name), 'a');
    try {
      await handle.truncate(tail.offset);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const state = segments.get(found.segment);
    if (state) {
      state.size = tail.offset;
    }
    notes.push({
      kind: 'torn-tail',
      message: `The last ${tail.bytes.length} bytes of ${name} were an incomplete write (${tail.reason}), most likely from a crash mid-write. They were moved to quarantine/${quarantinedAs}; every complete delivery loaded.`,
      segment: name,
      offset: tail.offset,
      length: tail.bytes.length,
      quarantinedAs,
    });
  }
}

/** Writes one damaged range to quarantine/ under a name derived from where and what it is. */
async function quarantine(
  fs: StoreFileSystem,
  quarantineDir: string,
  segmentName: string,
  range: DamagedRange,
): Promise<string> {
  // Same place + same bytes = same name, so a repeated open does not pile up copies.
  const name = `${segmentName}.${range.offset}.${hex8(crc32(range.bytes))}.bad`;
  const file = path.join(quarantineDir, name);
  try {
    await fs.stat(file);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      throw error;
    }
    await writeFileDurably(fs, file, range.bytes);
  }
  return name;
}

async function removeLeftovers(
  fs: StoreFileSystem,
  segmentsDir: string,
  names: readonly string[],
  notes: RecoveryNote[],
): Promise<void> {
  for (const name of names) {
    if (!name.endsWith(COMPACTION_TEMP_SUFFIX)) {
      continue;
    }
    // A compaction interrupted before its rename: the original segment is still complete.
    await fs.unlink(path.join(segmentsDir, name)).catch(() => undefined);
    notes.push({
      kind: 'leftover-file',
      message: `Removed ${name}, left by a compaction that was interrupted; the segment it would have replaced is intact.`,
    });
  }
}

interface Scratch {
  buffer: Buffer;
}

/**
 * Reads a segment into one buffer reused for every segment. A fresh readFile per 16 MiB segment
 * left freed buffers that the allocator kept: most of a 100,000-delivery store's RSS (bench 4).
 * Nothing decoded keeps a view of these bytes (lines are decoded to strings, damaged ones copied).
 */
async function readSegment(
  fs: StoreFileSystem,
  file: string,
  scratch: Scratch,
): Promise<{ buffer: Buffer; ino: number }> {
  const handle = await fs.open(file, 'r');
  try {
    const info = await handle.stat();
    if (scratch.buffer.length < info.size) {
      scratch.buffer = Buffer.allocUnsafe(Math.max(info.size, scratch.buffer.length * 2));
    }
    let filled = 0;
    while (filled < info.size) {
      const read = await handle.read(scratch.buffer, filled, info.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { buffer: scratch.buffer.subarray(0, filled), ino: info.ino };
  } finally {
    await handle.close();
  }
}

async function readdirOrEmpty(fs: StoreFileSystem, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      return [];
    }
    throw error;
  }
}

function copy(buffer: Buffer, offset: number, length: number): Buffer {
  return Buffer.from(buffer.subarray(offset, offset + length));
}
