// The in-memory index: one light summary per live delivery (no bodies, no headers), kept in
// ascending seq order, plus per-segment live byte counts that drive retention and compaction.
import type { Attempt, DeliveryRecord, RouteChoice } from '../delivery';
import type { ForwardSummary, IndexedSummary, RecordLocation, StoreChangeEvent } from './types';

/** Collects what a batch (or refresh) changed, folding add-then-delete and similar sequences. */
export class ChangeSet {
  private readonly added = new Set<string>();
  private readonly updated = new Set<string>();
  private readonly deleted = new Set<string>();
  private cleared = false;

  markAdded(id: string): void {
    if (this.deleted.delete(id)) {
      this.updated.add(id);
    } else {
      this.added.add(id);
    }
  }

  markUpdated(id: string): void {
    if (!this.added.has(id)) {
      this.updated.add(id);
    }
  }

  markDeleted(id: string): void {
    // Added and deleted within one change: listeners never saw it, so they need not hear of it.
    if (this.added.delete(id)) {
      return;
    }
    this.updated.delete(id);
    this.deleted.add(id);
  }

  markCleared(): void {
    this.cleared = true;
  }

  get isEmpty(): boolean {
    return !this.cleared && this.added.size + this.updated.size + this.deleted.size === 0;
  }

  toEvent(): StoreChangeEvent {
    return {
      added: [...this.added],
      updated: [...this.updated],
      deleted: [...this.deleted],
      cleared: this.cleared,
    };
  }
}

export function summarize(
  record: DeliveryRecord,
  location: RecordLocation,
  duplicateCount: number,
): IndexedSummary {
  const latest = record.attempts.length > 0 ? record.attempts[record.attempts.length - 1] : null;
  const status = latest ? latest.status : (record.response?.status ?? null);
  const timeMs = latest ? latest.timeMs : (record.response?.timeMs ?? null);
  return {
    id: record.id,
    seq: record.seq,
    receivedAt: record.receivedAt,
    method: record.method,
    url: record.url,
    sender: record.sender,
    event: record.event,
    sessionId: record.sessionId,
    verdict: record.verification.verdict,
    verdictReason: record.verification.reason,
    status: typeof status === 'number' ? status : null,
    timeMs: typeof timeMs === 'number' ? timeMs : null,
    attemptCount: record.attempts.length,
    replayCount: record.attempts.filter((attempt) => attempt.kind === 'replay').length,
    forward: latestAttemptSummary(record, 'forward'),
    replay: latestAttemptSummary(record, 'replay'),
    senderStatus: typeof record.response?.status === 'number' ? record.response.status : null,
    ...(typeof record.headline === 'string' ? { headline: record.headline } : {}),
    ...(isRouteChoice(record.route) ? { route: record.route } : {}),
    duplicateOf: record.duplicateOf,
    // Records written before the field existed read as "no key".
    dedupeKey: typeof record.dedupeKey === 'string' ? record.dedupeKey : null,
    duplicateCount,
    bodySize: record.bodySize,
    location,
  };
}

/** A stored route choice as this version reads it; a malformed one (hand-edited) is ignored. */
function isRouteChoice(value: unknown): value is RouteChoice {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'name') === 'string' &&
    typeof Reflect.get(value, 'kind') === 'string'
  );
}

function latestAttemptSummary(
  record: DeliveryRecord,
  kind: Attempt['kind'],
): ForwardSummary | null {
  let forward: Attempt | undefined;
  for (let i = record.attempts.length - 1; i >= 0 && !forward; i--) {
    if (record.attempts[i]?.kind === kind) {
      forward = record.attempts[i];
    }
  }
  if (!forward) {
    return null;
  }
  const status = typeof forward.status === 'number' ? forward.status : null;
  return {
    status,
    timeMs: typeof forward.timeMs === 'number' ? forward.timeMs : null,
    ok: status !== null && status >= 200 && status < 300,
    ...(typeof forward.at === 'string' ? { at: forward.at } : {}),
    ...(typeof forward.target === 'string' ? { target: forward.target } : {}),
  };
}

interface SegmentLive {
  count: number;
  bytes: number;
}

export class DeliveryIndex {
  // Map iteration order is insertion order; new ids normally arrive with the highest seq, so the
  // map stays sorted by seq. Replay can break that (compaction moves lines), hence `outOfOrder`.
  private byId = new Map<string, IndexedSummary>();
  private readonly duplicateCounts = new Map<string, number>();
  private readonly perSegment = new Map<number, SegmentLive>();
  private bytes = 0;
  private highestSeq = 0;
  private outOfOrder = false;

  get size(): number {
    return this.byId.size;
  }

  /** Sum of the live lines' lengths: what `maxBytes` retention limits. */
  get liveBytes(): number {
    return this.bytes;
  }

  get(id: string): IndexedSummary | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds or replaces a delivery. A replacement keeps its place (its seq does not change). */
  upsert(record: DeliveryRecord, location: RecordLocation, changes?: ChangeSet): void {
    const previous = this.byId.get(record.id);
    const summary = summarize(record, location, this.duplicateCounts.get(record.id) ?? 0);
    if (previous) {
      this.forgetLocation(previous.location);
      if (previous.seq !== summary.seq) {
        this.outOfOrder = true;
      }
    } else if (summary.seq < this.highestSeq) {
      this.outOfOrder = true;
    }
    this.byId.set(record.id, summary);
    this.countLocation(location);
    this.highestSeq = Math.max(this.highestSeq, summary.seq);
    if (previous?.duplicateOf !== summary.duplicateOf) {
      this.adjustDuplicateCount(previous?.duplicateOf ?? null, -1, changes);
      this.adjustDuplicateCount(summary.duplicateOf, +1, changes);
    }
    if (previous) {
      changes?.markUpdated(record.id);
    } else {
      changes?.markAdded(record.id);
    }
  }

  remove(id: string, changes?: ChangeSet): boolean {
    const previous = this.byId.get(id);
    if (!previous) {
      return false;
    }
    this.byId.delete(id);
    this.forgetLocation(previous.location);
    this.adjustDuplicateCount(previous.duplicateOf, -1, changes);
    changes?.markDeleted(id);
    return true;
  }

  clear(changes?: ChangeSet): void {
    for (const id of this.byId.keys()) {
      changes?.markDeleted(id);
    }
    changes?.markCleared();
    this.byId.clear();
    this.duplicateCounts.clear();
    this.perSegment.clear();
    this.bytes = 0;
    this.outOfOrder = false;
  }

  /** Removes every delivery with `seq < floorSeq` (retention). */
  dropBelow(floorSeq: number, changes?: ChangeSet): void {
    const doomed: string[] = [];
    for (const summary of this.byId.values()) {
      if (summary.seq < floorSeq) {
        doomed.push(summary.id);
      }
    }
    for (const id of doomed) {
      this.remove(id, changes);
    }
  }

  oldestFirst(): IterableIterator<IndexedSummary> {
    this.ensureOrder();
    return this.byId.values();
  }

  newestFirst(): IndexedSummary[] {
    this.ensureOrder();
    return [...this.byId.values()].reverse();
  }

  segmentLive(segment: number): { readonly count: number; readonly bytes: number } {
    return this.perSegment.get(segment) ?? { count: 0, bytes: 0 };
  }

  /** offset → id of the live lines in one segment, for compaction. */
  liveLinesIn(segment: number): Map<number, IndexedSummary> {
    const lines = new Map<number, IndexedSummary>();
    for (const summary of this.byId.values()) {
      if (summary.location.segment === segment) {
        lines.set(summary.location.offset, summary);
      }
    }
    return lines;
  }

  /** Compaction moved a line: same content, new place. */
  relocate(id: string, location: RecordLocation): void {
    const previous = this.byId.get(id);
    if (!previous) {
      return;
    }
    this.forgetLocation(previous.location);
    this.byId.set(id, { ...previous, location });
    this.countLocation(location);
  }

  private ensureOrder(): void {
    if (!this.outOfOrder) {
      return;
    }
    const sorted = [...this.byId.values()].sort((a, b) => a.seq - b.seq);
    this.byId = new Map(sorted.map((summary) => [summary.id, summary]));
    this.outOfOrder = false;
  }

  private countLocation(location: RecordLocation): void {
    const live = this.perSegment.get(location.segment);
    if (live) {
      live.count += 1;
      live.bytes += location.length;
    } else {
      this.perSegment.set(location.segment, { count: 1, bytes: location.length });
    }
    this.bytes += location.length;
  }

  private forgetLocation(location: RecordLocation): void {
    const live = this.perSegment.get(location.segment);
    if (live) {
      live.count -= 1;
      live.bytes -= location.length;
      if (live.count === 0) {
        this.perSegment.delete(location.segment);
      }
    }
    this.bytes -= location.length;
  }

  private adjustDuplicateCount(target: string | null, delta: number, changes?: ChangeSet): void {
    if (target === null) {
      return;
    }
    const count = Math.max(0, (this.duplicateCounts.get(target) ?? 0) + delta);
    if (count === 0) {
      this.duplicateCounts.delete(target);
    } else {
      this.duplicateCounts.set(target, count);
    }
    const summary = this.byId.get(target);
    if (summary && summary.duplicateCount !== count) {
      this.byId.set(target, { ...summary, duplicateCount: count });
      changes?.markUpdated(target);
    }
  }
}
