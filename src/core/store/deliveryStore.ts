// The durable delivery store: append-only JSONL segments with group-commit fdatasync.
//
// Contract for the receiver: `put()` resolves only after the line is written AND fdatasynced,
// so answering the sender 2xx after `await store.put(...)` never acknowledges unpersisted data.
// A well-formed record is only ever rejected with a StoreWriteError (answer 503 + Retry-After).
//
// Lines are operations (see lineCodec.ts): put (a later put for the same id replaces it), delete,
// clear, and the store's own checkpoint. The in-memory index holds summaries only; `get()` reads
// the full record back from disk.
import type { DeliveryStoreBackend } from './backend';
import * as os from 'node:os';
import * as path from 'node:path';
import { withChanges } from '../capturedBody';
import type { DeliveryRecord } from '../delivery';
import { ChangeSet, type DeliveryIndex } from './deliveryIndex';
import { Emitter, type Event } from './emitter';
import { errnoCode, StoreReadError, StoreWriteError, toStoreWriteError } from './errors';
import {
  nodeFileSystem,
  readRange,
  type StoreFileHandle,
  type StoreFileSystem,
  writeFileDurably,
  writeFully,
} from './fileSystem';
import {
  decodeLine,
  encodeLine,
  encodeStoreLine,
  packLines,
  hasValidCrc,
  isDeliveryRecord,
  peekOp,
  STORE_FORMAT_VERSION,
  type StoreLine,
} from './lineCodec';
import { StoreLock } from './lock';
import {
  emptySegmentState,
  loadStore,
  type LoadedStore,
  Replay,
  type SegmentState,
} from './recovery';
import {
  COMPACTION_TEMP_SUFFIX,
  LOCK_FILE,
  QUARANTINE_DIR,
  scanLines,
  segmentFileName,
  segmentNumbers,
  SEGMENTS_DIR,
} from './segments';
import type {
  DeliveryInput,
  DeliverySummary,
  IndexedSummary,
  EvictionNotice,
  EvictionPlan,
  LockInfo,
  RecordLocation,
  RecoveryNote,
  RecoveryReport,
  RetentionLimits,
  StoreChangeEvent,
  StoreHealth,
  StoreMode,
  StoreOptions,
  StoreRetention,
  WriteOptions,
} from './types';

const MIB = 1024 * 1024;
/** Under continuous load, one maintenance step (delete or compact one segment) per this many batches. */
const MAINTENANCE_EVERY_N_BATCHES = 8;
/**
 * How long an eventual write (a forward's attempt record) may wait for a commit to join. Under
 * load the next delivery's commit takes it much sooner; one delivery alone gets it this late.
 */
const EVENTUAL_LINGER_MS = 25;
/** Bytes of just-written lines that `get()` may decode from memory instead of disk. */
const RECENT_LINES_MAX_BYTES = 4 * MIB;
/** Records kept as objects for an `update()` right after their put (a forward's attempt). */
const RECENT_RECORDS_MAX = 256;

export const STORE_DEFAULTS = {
  segmentMaxBytes: 16 * MIB,
  maxDeliveries: 10_000,
  maxBytes: 512 * MIB,
  heartbeatMs: 5_000,
  staleAfterMs: 15_000,
} as const;

interface ResolvedOptions {
  readonly access: 'write' | 'read';
  readonly segmentMaxBytes: number;
  /** The limits the opener gave (either may be missing): see `settleRetention`. */
  readonly limitsGiven: Partial<RetentionLimits>;
  readonly onWillEvict: StoreOptions['onWillEvict'];
  readonly heartbeatMs: number;
  readonly staleAfterMs: number;
  readonly fileSystem: StoreFileSystem;
  readonly now: () => number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

type QueuedOp =
  | {
      readonly kind: 'put';
      readonly record: DeliveryRecord;
      readonly line: StoreLine;
      readonly opNumber: number;
      readonly waiter: Waiter<DeliveryRecord>;
    }
  | {
      readonly kind: 'delete';
      readonly ids: readonly string[];
      readonly line: Buffer;
      readonly opNumber: number;
      readonly waiter: Waiter<void>;
    }
  | {
      readonly kind: 'clear';
      readonly line: Buffer;
      readonly opNumber: number;
      readonly waiter: Waiter<void>;
    };

interface ActiveSegment {
  readonly segment: number;
  readonly handle: StoreFileHandle;
}

export class DeliveryStore implements DeliveryStoreBackend {
  readonly kind = 'local' as const;
  readonly dir: string;
  private readonly options: ResolvedOptions;
  private readonly fs: StoreFileSystem;
  private readonly segmentsDir: string;
  private readonly quarantineDir: string;
  private readonly lock: StoreLock;

  private currentMode: StoreMode = 'viewer';
  private holder: LockInfo | null = null;
  private readOnlyWhy: string | null = null;
  private currentHealth: StoreHealth = { state: 'ok' };
  private report: RecoveryReport = { clean: true, notes: [] };

  private index!: DeliveryIndex;
  private segments = new Map<number, SegmentState>();
  /** The next seq to hand out. Seeded from the lines on disk; never from the clock (D-11). */
  private nextSeq = 1;
  /** Retention floor: deliveries with a lower seq are gone (D-12). */
  private floorSeq = 0;
  private nextSegmentNumber = 1;
  /** Retention in force (D-12); set when the store is loaded, see `settleRetention`. */
  private limits: RetentionLimits = {
    maxDeliveries: STORE_DEFAULTS.maxDeliveries,
    maxBytes: STORE_DEFAULTS.maxBytes,
  };
  private limitsSource: StoreRetention['source'] = 'default';
  /** The limits recorded in the store (written into every checkpoint while we own it). */
  private recordedLimits: RetentionLimits | null = null;

  private active: ActiveSegment | null = null;
  /** An existing segment the owner may keep appending to (clean reopen); opened lazily. */
  private appendTarget: number | null = null;
  private forceNewSegment = false;
  /** The floor moved: write a checkpoint with the next batch (no extra fsync of its own). */
  private checkpointDirty = false;
  /** Write a checkpoint even without ops (after clear, so old segments can go at once). */
  private checkpointNow = false;

  private queue: QueuedOp[] = [];
  /**
   * Whether the queue holds a write someone waits on (or eventual writes that waited long
   * enough): only then does a commit start. Eventual writes alone wait for `lingerTimer`.
   */
  private commitWanted = false;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  /** Closing or asked to be idle: eventual writes commit at once. */
  private flushEventualWrites = false;
  private opCounter = 0;
  /** Seqs promised to queued puts (null: a queued delete), so seq is right before commit. */
  private readonly pendingIds = new Map<string, { seq: number | null; opNumber: number }>();
  /** The last queued `update` per id: updates of one delivery run one after another. */
  private readonly updateChains = new Map<string, Promise<unknown>>();
  private pendingClearOp: number | null = null;
  private drainPromise: Promise<void> | null = null;
  private maintenanceWanted = false;
  private refreshing: Promise<void> | null = null;
  private closing = false;
  private closed = false;
  private closePromise: Promise<void> | null = null;

  /**
   * The latest lines this owner wrote, by id, oldest first, up to RECENT_LINES_MAX_BYTES. A
   * forward records its attempt with `update()` milliseconds after the delivery's `put()`; reading
   * the line back from disk (open, read, close) cost the forwarding path about a fifth of its CPU.
   * An entry is used only while the index still points where it was written: those exact bytes.
   */
  private readonly recentLines = new Map<string, { line: Buffer; location: RecordLocation }>();
  private recentLineBytes = 0;
  /** Where a streamed line's pieces are made as it is written (commits run one at a time). */
  private writeScratch: Buffer | undefined;
  /**
   * The latest records committed, as objects (newest RECENT_RECORDS_MAX, and no more than
   * RECENT_LINES_MAX_BYTES of lines): a forward's `update()`
   * derives the attempt's version from the record it just stored, without decoding its line.
   */
  private readonly recentRecords = new Map<
    string,
    { readonly record: DeliveryRecord; readonly location: RecordLocation }
  >();
  /** Line bytes of the records in `recentRecords` (at most RECENT_LINES_MAX_BYTES). */
  private recentRecordBytes = 0;

  private readonly changeEmitter = new Emitter<StoreChangeEvent>();
  private readonly healthEmitter = new Emitter<StoreHealth>();
  private readonly modeEmitter = new Emitter<StoreMode>();
  /** After a batch commits (or a viewer refresh finds changes): which ids changed. */
  readonly onDidChange: Event<StoreChangeEvent> = this.changeEmitter.event;
  /** When writes start failing ("disk write failing") or recover. */
  readonly onDidChangeHealth: Event<StoreHealth> = this.healthEmitter.event;
  /** When this instance becomes owner, viewer or read-only. */
  readonly onDidChangeMode: Event<StoreMode> = this.modeEmitter.event;

  private constructor(dir: string, options: ResolvedOptions) {
    this.dir = dir;
    this.options = options;
    this.fs = options.fileSystem;
    this.segmentsDir = path.join(dir, SEGMENTS_DIR);
    this.quarantineDir = path.join(dir, QUARANTINE_DIR);
    this.lock = new StoreLock(this.fs, dir, options, (holder) => this.loseOwnership(holder));
  }

  /**
   * Opens (creating if needed) the store in `dir`. Becomes the owner when the lock is free or
   * stale; otherwise opens as a viewer. Repairs torn or damaged lines as owner (see
   * `recoveryReport`). Rejects only if the folder cannot be created or read.
   */
  /** The folder, for messages. */
  get location(): string {
    return this.dir;
  }

  static async open(dir: string, options: StoreOptions = {}): Promise<DeliveryStore> {
    const store = new DeliveryStore(path.resolve(dir), resolveOptions(options));
    await store.initialise();
    return store;
  }

  get mode(): StoreMode {
    return this.currentMode;
  }

  /** Who owns the store while this instance is a viewer. */
  get lockHolder(): LockInfo | null {
    return this.holder;
  }

  /** Why writes are refused in `readonly` mode. */
  get readOnlyReason(): string | null {
    return this.readOnlyWhy;
  }

  get health(): StoreHealth {
    return this.currentHealth;
  }

  /** What open (or the last takeover) found and repaired. */
  get recoveryReport(): RecoveryReport {
    return this.report;
  }

  /** Number of stored deliveries. */
  get size(): number {
    return this.index.size;
  }

  /** Bytes of the live lines (what `maxBytes` limits). */
  get liveBytes(): number {
    return this.index.liveBytes;
  }

  /** The retention limits in force and where they come from (D-12). */
  get retention(): StoreRetention {
    return { ...this.limits, source: this.limitsSource, recorded: this.recordedLimits };
  }

  /**
   * What storing these deliveries (as new ones; a stored id replaces its line) would remove
   * under the limits in force, oldest first. Nothing is written: ask before importing.
   */
  evictionIfAdded(inputs: readonly DeliveryInput[]): EvictionPlan {
    const added: Array<{ id: string; bytes: number }> = [];
    let replacedBytes = 0;
    let seq = this.nextSeq;
    for (const input of inputs) {
      const stored = this.index.get(input.id);
      const bytes = encodeLine({
        op: 'put',
        v: STORE_FORMAT_VERSION,
        record: { ...input, seq: stored?.seq ?? seq++ },
      }).length;
      if (stored) replacedBytes += bytes - stored.location.length;
      else added.push({ id: input.id, bytes });
    }
    const victims = this.retentionVictims(this.limits, added, replacedBytes);
    return {
      limits: { ...this.limits },
      evicted: victims.stored,
      addedEvicted: victims.added,
    };
  }

  /** Newest first (highest seq first). A new array each call. */
  summaries(): DeliverySummary[] {
    return this.index.newestFirst();
  }

  summary(id: string): IndexedSummary | undefined {
    return this.index.get(id);
  }

  /**
   * Reads the full record back from disk. `undefined` if the id is not stored; throws
   * StoreReadError if its line became unreadable after it was indexed.
   */
  async get(id: string): Promise<DeliveryRecord | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const summary = this.index.get(id);
      if (!summary) {
        return undefined;
      }
      const record =
        this.recentRecord(id, summary.location) ??
        (await this.readAt(summary.location).catch(() => undefined));
      if (record?.id === id) {
        return record;
      }
      if (this.index.get(id) !== summary) {
        continue; // Replaced, relocated by compaction or deleted while we read: look again.
      }
      if (this.currentMode !== 'owner' && attempt === 0) {
        await this.refresh(); // The owner may have compacted under us.
        continue;
      }
      break;
    }
    if (!this.index.get(id)) {
      return undefined;
    }
    throw new StoreReadError(
      `Delivery ${id} is listed but its stored line could not be read back (damaged on disk).`,
    );
  }

  /**
   * Stores a delivery. For a new id the store assigns the next `seq`; for a stored id the record
   * replaces the stored one (e.g. with a new attempt) and keeps its `seq`. Any `seq` on the input
   * is ignored. Resolves with the record as stored, after it is written and fdatasynced.
   */
  put(input: DeliveryInput, options: WriteOptions = {}): Promise<DeliveryRecord> {
    const refusal = this.writeRefusal();
    if (refusal) {
      return Promise.reject(refusal);
    }
    if (typeof input !== 'object' || typeof input.id !== 'string' || input.id === '') {
      return Promise.reject(new TypeError('put() needs a record with a non-empty string id.'));
    }
    const seq = this.seqFor(input.id);
    // withChanges: a record from the receiver keeps its body as bytes (see capturedBody.ts).
    const record = withChanges(input, { seq }) as DeliveryRecord;
    if (!isDeliveryRecord(record)) {
      return Promise.reject(
        new TypeError('put() needs a well-formed DeliveryRecord (v, id, headers, body, ...).'),
      );
    }
    let line: StoreLine;
    try {
      line = encodeStoreLine({ op: 'put', v: STORE_FORMAT_VERSION, record });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const opNumber = ++this.opCounter;
    this.pendingIds.set(record.id, { seq, opNumber });
    return new Promise<DeliveryRecord>((resolve, reject) => {
      this.queue.push({ kind: 'put', record, line, opNumber, waiter: { resolve, reject } });
      if (options.eventual === true && !this.flushEventualWrites) this.linger();
      else this.wantCommit();
    });
  }

  /**
   * Reads a delivery, lets `change` derive its next version, and stores that. Updates of the same
   * id run one after another, so two attempts finishing together both land (a plain get-then-put
   * would lose one). Resolves `undefined` when the delivery is no longer stored.
   */
  update(
    id: string,
    change: (record: DeliveryRecord) => DeliveryInput,
    options: WriteOptions = {},
  ): Promise<DeliveryRecord | undefined> {
    const previous = this.updateChains.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const record = this.takeRecentRecord(id) ?? (await this.get(id));
        if (record === undefined) return undefined;
        const changed = change(record);
        if (changed.id !== id) throw new TypeError('update() must not change the delivery id.');
        return this.put(changed, options);
      });
    this.updateChains.set(id, next);
    const forget = (): void => {
      if (this.updateChains.get(id) === next) this.updateChains.delete(id);
    };
    next.then(forget, forget);
    return next;
  }

  /** Deletes deliveries by id (unknown ids are ignored). Resolves once durable. */
  delete(ids: readonly string[]): Promise<void> {
    const refusal = this.writeRefusal();
    if (refusal) {
      return Promise.reject(refusal);
    }
    const unique = [...new Set(ids)];
    if (unique.length === 0) {
      return Promise.resolve();
    }
    const opNumber = ++this.opCounter;
    for (const id of unique) {
      this.pendingIds.set(id, { seq: null, opNumber });
    }
    const line = encodeLine({ op: 'delete', v: STORE_FORMAT_VERSION, ids: unique });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'delete', ids: unique, line, opNumber, waiter: { resolve, reject } });
      this.wantCommit();
    });
  }

  /** Deletes every delivery; old segment files are removed right after. Resolves once durable. */
  clear(): Promise<void> {
    const refusal = this.writeRefusal();
    if (refusal) {
      return Promise.reject(refusal);
    }
    const opNumber = ++this.opCounter;
    this.pendingIds.clear();
    this.pendingClearOp = opNumber;
    const line = encodeLine({ op: 'clear', v: STORE_FORMAT_VERSION });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'clear', line, opNumber, waiter: { resolve, reject } });
      this.wantCommit();
    });
  }

  /**
   * Viewer / read-only: reads what the owner appended since the last read (or everything again
   * if the owner compacted or rotated files away) and fires `onDidChange`. No-op for the owner.
   */
  refresh(): Promise<void> {
    if (this.currentMode === 'owner' || this.closed) {
      return Promise.resolve();
    }
    this.refreshing ??= this.readNewLines().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Viewer: becomes the owner if the owning window is gone (lock removed, its pid dead, or its
   * heartbeat older than `staleAfterMs`). Returns whether this instance now owns the store.
   */
  async tryTakeOver(): Promise<boolean> {
    if (this.currentMode !== 'viewer' || this.closed || this.closing) {
      return this.currentMode === 'owner';
    }
    await this.refreshing?.catch(() => undefined);
    await this.whenIdle();
    const outcome = await this.lock.acquire();
    if (!outcome.acquired) {
      this.holder = outcome.holder;
      return false;
    }
    const changes = new ChangeSet();
    await this.becomeOwner(outcome.replaced, changes);
    this.emitChanges(changes);
    // becomeOwner() may have ended read-only (newer format found); TS narrowed too eagerly.
    return (this.currentMode as StoreMode) === 'owner';
  }

  /**
   * Waits for queued ops (and updates already asked for) to be written (they resolve or reject
   * as usual), stops the heartbeat and removes the lock if it is still ours. Later writes reject
   * with code CLOSED.
   */
  close(): Promise<void> {
    this.closePromise ??= this.shutDown();
    return this.closePromise;
  }

  /**
   * Resolves once queued writes and background retention/compaction have finished. Eventual
   * writes already queued are committed now rather than after their linger.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      // Also what was queued while we waited: an eventual write must not outlast it.
      if (this.queue.length > 0) this.wantCommit();
      if (!this.drainPromise) return;
      await this.drainPromise;
    }
  }

  // ---- opening and ownership ------------------------------------------------------------------

  private async initialise(): Promise<void> {
    if (this.options.access === 'read') {
      // Reading never changes the store: no folder, lock, repair, retention or checkpoint.
      await this.adoptForReading(null);
      this.limits = this.recordedLimits ?? {
        maxDeliveries: STORE_DEFAULTS.maxDeliveries,
        maxBytes: STORE_DEFAULTS.maxBytes,
      };
      this.limitsSource = this.recordedLimits ? 'store' : 'default';
      if (this.currentMode !== 'readonly') {
        this.enterReadOnly('The store was opened to read only, so nothing is written through it.');
      }
      return;
    }
    await this.fs.mkdir(this.dir);
    await this.fs.mkdir(this.segmentsDir);
    await this.fs.mkdir(this.quarantineDir);
    let outcome;
    try {
      outcome = await this.lock.acquire();
    } catch (error) {
      // A folder we can read but not write (read-only mount, no permission): show, don't write.
      const code = errnoCode(error);
      if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') {
        throw error;
      }
      await this.adoptForReading(null);
      this.enterReadOnly(toStoreWriteError(error, this.dir).message);
      return;
    }
    if (outcome.acquired) {
      await this.becomeOwner(outcome.replaced, null);
    } else {
      this.holder = outcome.holder;
      await this.adoptForReading(null);
    }
  }

  private async becomeOwner(
    replaced: LockInfo | 'unreadable' | null,
    changes: ChangeSet | null,
  ): Promise<void> {
    const notes: RecoveryNote[] = [];
    if (replaced) {
      notes.push({
        kind: 'stale-lock',
        message:
          replaced === 'unreadable'
            ? 'An unreadable, stale lock file was replaced; this window now owns the store.'
            : `HookLens (pid ${replaced.pid} on ${replaced.hostname}) left a stale lock (last heartbeat ${replaced.heartbeatAt}); this window now owns the store.`,
      });
    }
    let loaded: LoadedStore;
    try {
      await this.closeActiveQuietly();
      await this.removeLockLeftovers();
      loaded = await loadStore(this.fs, this.layout(), true);
    } catch (error) {
      await this.lock.release().catch(() => undefined);
      throw error;
    }
    this.report = {
      clean: notes.length + loaded.notes.length === 0,
      notes: [...notes, ...loaded.notes],
    };
    this.adopt(loaded, changes);
    if (loaded.newerVersion !== null) {
      // Leave the lock to the newer HookLens that can write this format.
      await this.lock.release();
      this.enterReadOnly(loaded.notes.find((note) => note.kind === 'newer-version')?.message);
      return;
    }
    try {
      await this.settleRetention();
    } catch (error) {
      await this.lock.release().catch(() => undefined);
      throw error;
    }
    this.holder = null;
    this.readOnlyWhy = null;
    const newest = Math.max(0, ...this.segments.keys());
    const newestState = this.segments.get(newest);
    // Keep appending to the newest segment only after a clean hand-over: after a crash (stale
    // lock) or a repair, start a fresh file rather than trust the old one's tail.
    this.appendTarget =
      replaced === null &&
      loaded.newestSegmentClean &&
      newestState !== undefined &&
      newestState.size < this.options.segmentMaxBytes
        ? newest
        : null;
    this.setMode('owner');
    this.applyRetention(changes ?? new ChangeSet());
    this.maintenanceWanted = true;
    this.scheduleDrain();
  }

  private async adoptForReading(changes: ChangeSet | null): Promise<void> {
    const loaded = await loadStore(this.fs, this.layout(), false);
    if (!changes) {
      // Opening (not a refresh): report what the viewer skipped.
      this.report = { clean: loaded.notes.length === 0, notes: loaded.notes };
    }
    this.adopt(loaded, changes);
    if (loaded.newerVersion !== null) {
      this.enterReadOnly(loaded.notes.find((note) => note.kind === 'newer-version')?.message);
    }
  }

  private adopt(loaded: LoadedStore, changes: ChangeSet | null): void {
    this.forgetRecentLines(); // Read from disk again: trust only what is there now.
    const previous = this.index as DeliveryIndex | undefined;
    this.index = loaded.index;
    this.segments = loaded.segments;
    this.nextSeq = Math.max(this.nextSeq, loaded.nextSeq);
    this.floorSeq = Math.max(this.floorSeq, loaded.floorSeq);
    this.recordedLimits = loaded.retention ?? this.recordedLimits;
    this.nextSegmentNumber = Math.max(
      this.nextSegmentNumber,
      Math.max(0, ...this.segments.keys()) + 1,
    );
    if (changes && previous) {
      diffIndexes(previous, this.index, changes);
    }
  }

  private enterReadOnly(reason: string | undefined): void {
    this.readOnlyWhy =
      reason ?? 'The store was opened read-only, so HookLens cannot record into it.';
    this.setMode('readonly');
  }

  private loseOwnership(holder: LockInfo | null): void {
    // Someone took the store over (our heartbeat was stale, e.g. the machine slept): stop
    // writing at once. Ops already queued are refused, never half-written.
    this.holder = holder;
    this.setMode('viewer');
    this.forgetRecentLines(); // The new owner may rewrite any line.
    this.forceNewSegment = true;
    const refusal = this.writeRefusal();
    const queued = this.queue.splice(0);
    this.settleQueue();
    this.releasePending(queued);
    for (const op of queued) {
      op.waiter.reject(refusal);
    }
  }

  private async removeLockLeftovers(): Promise<void> {
    // Heartbeat temp files and moved-aside stale locks from crashed windows.
    const names = await this.fs.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(`${LOCK_FILE}.`) && /\.(tmp|stale)$/.test(name)) {
        await this.fs.unlink(path.join(this.dir, name)).catch(() => undefined);
      }
    }
  }

  private async shutDown(): Promise<void> {
    // Updates already asked for are queued ops too (a forward's attempt record, issue 15: the
    // sender was answered before it was durable): let them reach the disk before closing.
    this.flushEventualWrites = true;
    if (this.queue.length > 0) this.wantCommit();
    while (this.updateChains.size > 0) {
      await Promise.allSettled([...this.updateChains.values()]);
    }
    this.closing = true;
    if (this.currentMode === 'owner' && this.checkpointDirty) {
      this.checkpointNow = true; // Persist the retention floor, so a restart shows the same set.
      this.scheduleDrain();
    }
    await this.whenIdle();
    await this.refreshing?.catch(() => undefined);
    this.lock.stopHeartbeat();
    await this.closeActiveQuietly();
    await this.lock.release().catch(() => undefined);
    this.closed = true;
    this.changeEmitter.dispose();
    this.healthEmitter.dispose();
    this.modeEmitter.dispose();
  }

  // ---- writing ----------------------------------------------------------------------------------

  private writeRefusal(): StoreWriteError | null {
    if (this.closing || this.closed) {
      return new StoreWriteError('The delivery store is closed.', 'CLOSED');
    }
    if (this.currentMode === 'viewer') {
      const holder = this.holder;
      const elsewhere = holder && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : '';
      const who = holder
        ? `Another HookLens window (pid ${holder.pid}${elsewhere})`
        : 'Another HookLens window';
      return new StoreWriteError(
        `${who} owns this store, so this window only shows it. Deliveries are recorded by that window.`,
        'NOT_OWNER',
      );
    }
    if (this.currentMode === 'readonly') {
      return new StoreWriteError(this.readOnlyWhy ?? 'The store is read-only.', 'READ_ONLY');
    }
    return null;
  }

  private seqFor(id: string): number {
    const pending = this.pendingIds.get(id);
    if (pending) {
      return pending.seq ?? this.nextSeq++;
    }
    if (this.pendingClearOp !== null) {
      return this.nextSeq++;
    }
    return this.index.get(id)?.seq ?? this.nextSeq++;
  }

  private releasePending(ops: readonly QueuedOp[]): void {
    for (const op of ops) {
      if (op.kind === 'clear') {
        if (this.pendingClearOp === op.opNumber) {
          this.pendingClearOp = null;
        }
        continue;
      }
      for (const id of op.kind === 'put' ? [op.record.id] : op.ids) {
        if (this.pendingIds.get(id)?.opNumber === op.opNumber) {
          this.pendingIds.delete(id);
        }
      }
    }
  }

  /** The queue was emptied (committed or refused): no commit is wanted, no linger runs. */
  private settleQueue(): void {
    this.commitWanted = false;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  /** A write someone waits on is queued: commit it (and whatever else is queued) now. */
  private wantCommit(): void {
    this.commitWanted = true;
    this.scheduleDrain();
  }

  /** An eventual write is queued: commit it with the next commit, or when it has waited enough. */
  private linger(): void {
    if (this.commitWanted) {
      this.scheduleDrain(); // A commit is wanted already: this write goes with it.
      return;
    }
    if (this.lingerTimer !== undefined) return;
    // Not unref'd: the process must not exit with a write queued.
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      if (this.queue.length > 0) this.wantCommit();
    }, EVENTUAL_LINGER_MS);
  }

  private scheduleDrain(): void {
    if (this.drainPromise) {
      return;
    }
    // Start on a microtask: every op issued in the same tick joins the first batch.
    this.drainPromise = Promise.resolve()
      .then(() => this.drainLoop())
      .catch((error: unknown) => console.error('HookLens: delivery store writer stopped', error))
      .finally(() => {
        this.drainPromise = null;
        if (this.hasWork()) {
          this.scheduleDrain();
        }
      });
  }

  private hasWork(): boolean {
    const owner = this.currentMode === 'owner';
    return (
      (this.queue.length > 0 && this.commitWanted) ||
      (owner && this.checkpointNow) ||
      (owner && this.maintenanceWanted && !this.closing)
    );
  }

  /** Group commit: everything queued while the previous batch synced goes in the next one. */
  private async drainLoop(): Promise<void> {
    let batchesSinceMaintenance = 0;
    for (;;) {
      const writesWaiting =
        (this.queue.length > 0 && this.commitWanted) ||
        (this.checkpointNow && this.currentMode === 'owner');
      const maintenanceDue =
        this.maintenanceWanted &&
        this.currentMode === 'owner' &&
        !this.closing &&
        // Writes go first, but a steady stream of them must not starve retention forever.
        (!writesWaiting || batchesSinceMaintenance >= MAINTENANCE_EVERY_N_BATCHES);
      if (maintenanceDue) {
        batchesSinceMaintenance = 0;
        this.maintenanceWanted = false;
        if (await this.maintenanceStep()) {
          this.maintenanceWanted = true;
        }
        continue;
      }
      if (writesWaiting) {
        batchesSinceMaintenance += 1;
        const batch = this.queue.splice(0);
        this.settleQueue();
        await this.commitBatch(batch);
        continue;
      }
      return;
    }
  }

  private async commitBatch(batch: QueuedOp[]): Promise<void> {
    // After a long pause (suspended, asleep) someone may have taken the store: ask the lock
    // before writing, so a deposed owner never appends beside the new one (D-09).
    if (this.currentMode === 'owner') {
      await this.lock.confirm();
    }
    if (this.currentMode !== 'owner') {
      const refusal = this.writeRefusal();
      this.releasePending(batch);
      for (const op of batch) {
        op.waiter.reject(refusal);
      }
      return;
    }
    const wantsCheckpoint = this.checkpointNow || this.checkpointDirty;
    this.checkpointNow = false;
    let sizeBefore = 0;
    let checkpointBytes = 0;
    let dataLength: number;
    let active: ActiveSegment;
    try {
      const opBytes = batch.reduce((sum, op) => sum + op.line.length, 0);
      const prepared = await this.prepareActiveSegment(opBytes);
      const fresh = prepared.fresh;
      active = prepared.active;
      sizeBefore = this.segmentState(active.segment).size;
      const lines: StoreLine[] = [];
      // Every new segment starts with a checkpoint, so nextSeq and the retention floor survive
      // even when all older segments are deleted.
      if (fresh || wantsCheckpoint) {
        const checkpoint = encodeLine({
          op: 'checkpoint',
          v: STORE_FORMAT_VERSION,
          nextSeq: this.nextSeq,
          floorSeq: this.floorSeq,
          ...(this.recordedLimits ? { retention: this.recordedLimits } : {}),
        });
        lines.push(checkpoint);
        checkpointBytes = checkpoint.length;
      }
      for (const op of batch) {
        lines.push(op.line);
      }
      dataLength = lines.reduce((sum, line) => sum + line.length, 0);
      // Packed into one reused 1 MiB buffer, a large body's base64 made straight into it: a
      // batch is never copied into one more buffer of its size (memory per byte in flight).
      this.writeScratch ??= Buffer.allocUnsafe(WRITE_SCRATCH_BYTES);
      for (const chunk of packLines(lines, this.writeScratch)) {
        await writeFully(active.handle, chunk);
      }
      // Writes into a deleted folder "succeed" into an orphaned inode: refuse to call that stored.
      // The check runs beside the sync (both after the write), so a commit waits for one round
      // trip to the thread pool, not two. A folder deleted before the write is caught as before;
      // one deleted while the sync runs may slip by, as one deleted just after it always could.
      const [, info] = await Promise.all([active.handle.datasync(), active.handle.stat()]);
      if (info.nlink === 0) {
        throw Object.assign(new Error('segment file was deleted'), { code: 'ENOENT' });
      }
    } catch (error) {
      const failure = toStoreWriteError(error, this.dir);
      await this.abandonActiveSegment(sizeBefore);
      this.releasePending(batch);
      for (const op of batch) {
        op.waiter.reject(failure);
      }
      this.setHealth({
        state: 'failing',
        code: failure.code,
        message: failure.message,
        failingSince:
          this.currentHealth.state === 'failing'
            ? this.currentHealth.failingSince
            : new Date(this.options.now()).toISOString(),
      });
      return;
    }

    // Durable: publish.
    const state = this.segmentState(active.segment);
    let offset = sizeBefore + checkpointBytes;
    state.size = sizeBefore + dataLength;
    state.checkpointBytes += checkpointBytes;
    if (checkpointBytes > 0) {
      this.checkpointDirty = false;
    }
    const changes = new ChangeSet();
    let cleared = false;
    for (const op of batch) {
      const location: RecordLocation = {
        segment: active.segment,
        offset,
        length: op.line.length,
      };
      offset += op.line.length;
      if (op.kind === 'put') {
        // Below the floor: retention dropped this delivery while the update was queued.
        if (op.record.seq >= this.floorSeq) {
          this.index.upsert(op.record, location, changes);
          // A streamed line is a large one: never kept in memory (it would not fit anyway).
          if (Buffer.isBuffer(op.line)) this.rememberLine(op.record.id, op.line, location);
          this.rememberRecord(op.record, location);
        }
        continue;
      }
      state.tombstoneBytes += op.line.length;
      if (op.kind === 'delete') {
        for (const id of op.ids) {
          this.index.remove(id, changes);
        }
      } else {
        this.index.clear(changes);
        cleared = true;
      }
    }
    this.releasePending(batch);
    this.applyRetention(changes);
    if (cleared) {
      // Move on to a fresh segment now, so maintenance can delete every older file (privacy).
      this.forceNewSegment = true;
      this.checkpointNow = true;
    }
    this.maintenanceWanted = true;
    this.setHealth({ state: 'ok' });
    this.emitChanges(changes);
    for (const op of batch) {
      if (op.kind === 'put') {
        op.waiter.resolve(op.record);
      } else {
        op.waiter.resolve();
      }
    }
  }

  /**
   * The segment this batch goes into: the current one, the newest one from a clean reopen, or a
   * new one (rotation at segmentMaxBytes, or after a failure). `fresh` means newly created.
   */
  private async prepareActiveSegment(
    opBytes: number,
  ): Promise<{ readonly active: ActiveSegment; readonly fresh: boolean }> {
    const max = this.options.segmentMaxBytes;
    if (this.active) {
      const size = this.segmentState(this.active.segment).size;
      if (this.forceNewSegment || (size > 0 && size + opBytes > max)) {
        await this.closeActiveQuietly();
      }
    }
    this.forceNewSegment = false;
    if (this.active) {
      return { active: this.active, fresh: false };
    }
    const reusable = await this.openAppendTarget(opBytes);
    if (reusable) {
      this.active = reusable;
      return { active: reusable, fresh: false };
    }
    const segment = this.nextSegmentNumber++;
    const handle = await this.fs.open(this.segmentPath(segment), 'ax');
    const active = { segment, handle };
    // Set before the directory sync, so a failure there cleans the new file up.
    this.active = active;
    this.segments.set(segment, emptySegmentState(0));
    // The new file's directory entry must be durable before anything in it is acknowledged.
    await this.fs.syncDirectory(this.segmentsDir);
    return { active, fresh: true };
  }

  private async openAppendTarget(opBytes: number): Promise<ActiveSegment | null> {
    const segment = this.appendTarget;
    this.appendTarget = null;
    const state = segment === null ? undefined : this.segments.get(segment);
    if (segment === null || !state || state.size + opBytes > this.options.segmentMaxBytes) {
      return null;
    }
    const handle = await this.fs.open(this.segmentPath(segment), 'a');
    try {
      if ((await handle.stat()).size === state.size) {
        return { segment, handle };
      }
    } catch {
      // Fall through: use a fresh segment.
    }
    await handle.close().catch(() => undefined); // Changed behind our back: leave it alone.
    return null;
  }

  /**
   * After a failed write or fdatasync the segment is done for ("fsyncgate": a retried fsync can
   * report success for data the kernel already dropped). Cut it back to its last good size, best
   * effort, close it, and let the next batch open a fresh segment.
   */
  private async abandonActiveSegment(sizeBefore: number): Promise<void> {
    const active = this.active;
    this.active = null;
    this.appendTarget = null;
    if (!active) {
      return;
    }
    let truncated = false;
    try {
      await active.handle.truncate(sizeBefore);
      truncated = true;
    } catch {
      // Rejected lines may then reappear after a restart: at-least-once, never lost.
    }
    await active.handle.close().catch(() => undefined);
    const state = this.segments.get(active.segment);
    if (state) {
      state.size = sizeBefore;
    }
    if (truncated && sizeBefore === 0) {
      try {
        await this.fs.unlink(this.segmentPath(active.segment));
        this.segments.delete(active.segment);
      } catch {
        // Harmless: an empty segment replays as nothing.
      }
    }
  }

  private async closeActiveQuietly(): Promise<void> {
    const active = this.active;
    this.active = null;
    await active?.handle.close().catch(() => undefined);
  }

  // ---- retention and compaction (D-12, D-08) ----------------------------------------------------

  /**
   * The limits this owner keeps to (D-12). Retention belongs to the store: limits the opener gave
   * are recorded in it (every checkpoint carries them); an opener that gave none keeps to the
   * recorded ones, else the defaults, and never removes at open what is already stored. Limits
   * that would remove stored deliveries are announced (`onWillEvict`) before anything goes.
   */
  private async settleRetention(): Promise<void> {
    const given = this.options.limitsGiven;
    const recorded = this.recordedLimits;
    const base: RetentionLimits = recorded ?? {
      maxDeliveries: STORE_DEFAULTS.maxDeliveries,
      maxBytes: STORE_DEFAULTS.maxBytes,
    };
    const keepWhatIsHeld = (): void => {
      this.limits = {
        maxDeliveries: Math.max(base.maxDeliveries, this.index.size),
        maxBytes: Math.max(base.maxBytes, this.index.liveBytes),
      };
      this.limitsSource = recorded ? 'store' : 'default';
    };
    if (given.maxDeliveries === undefined && given.maxBytes === undefined) {
      keepWhatIsHeld();
      return;
    }
    const wanted: RetentionLimits = {
      maxDeliveries: given.maxDeliveries ?? base.maxDeliveries,
      maxBytes: given.maxBytes ?? base.maxBytes,
    };
    const doomed = this.retentionVictims(wanted).stored;
    const first = doomed[0];
    const last = doomed.at(-1);
    if (first && last && this.options.onWillEvict) {
      const bytes = doomed.reduce((sum, summary) => sum + summary.location.length, 0);
      const notice: EvictionNotice = {
        message: evictionMessage(this.dir, doomed.length, this.index.size, wanted, recorded),
        count: doomed.length,
        bytes,
        oldestReceivedAt: first.receivedAt,
        newestReceivedAt: last.receivedAt,
        held: { count: this.index.size, bytes: this.index.liveBytes },
        limits: wanted,
        recorded,
      };
      if ((await this.options.onWillEvict(notice)) === false) {
        keepWhatIsHeld();
        return;
      }
    }
    this.limits = wanted;
    this.limitsSource = 'options';
    if (recorded?.maxDeliveries !== wanted.maxDeliveries || recorded.maxBytes !== wanted.maxBytes) {
      this.recordedLimits = wanted;
      this.checkpointNow = true; // Record them now, not only with the next delivery.
    }
  }

  /**
   * Which deliveries the limits remove, oldest first, if `added` (new ids, newest last) were
   * stored and `replacedBytes` changed the stored lines' size. Always keeps the newest one.
   */
  private retentionVictims(
    limits: RetentionLimits,
    added: ReadonlyArray<{ readonly bytes: number }> = [],
    replacedBytes = 0,
  ): { stored: IndexedSummary[]; added: number } {
    const { maxDeliveries, maxBytes } = limits;
    let count = this.index.size + added.length;
    let bytes = this.index.liveBytes + replacedBytes + added.reduce((sum, a) => sum + a.bytes, 0);
    const within = (): boolean => count <= 1 || (count <= maxDeliveries && bytes <= maxBytes);
    const stored: IndexedSummary[] = [];
    let addedEvicted = 0;
    if (within()) {
      return { stored, added: 0 };
    }
    for (const summary of this.index.oldestFirst()) {
      if (within()) {
        break;
      }
      stored.push(summary);
      count -= 1;
      bytes -= summary.location.length;
    }
    for (const entry of added) {
      if (within()) {
        break;
      }
      addedEvicted += 1;
      count -= 1;
      bytes -= entry.bytes;
    }
    return { stored, added: addedEvicted };
  }

  /** Drops the oldest deliveries beyond the limits in force (always keeps the newest). */
  private applyRetention(changes: ChangeSet): void {
    const doomed = this.retentionVictims(this.limits).stored;
    const last = doomed.at(-1);
    if (!last) {
      return;
    }
    for (const summary of doomed) {
      this.index.remove(summary.id, changes);
    }
    this.floorSeq = Math.max(this.floorSeq, last.seq + 1);
    this.checkpointDirty = true;
    this.maintenanceWanted = true;
  }

  /**
   * One step of reclaiming disk: delete a dead segment or compact one segment. Returns whether
   * it did anything. Runs between batches on the writer, so the index cannot change under it.
   *
   * Safety rules, so a crash between any two steps leaves a store that replays to the same state:
   * - the newest segment is never deleted and keeps its checkpoint lines (nextSeq, floor);
   *   checkpoints elsewhere are superseded by the newest segment's first line, so may go;
   * - delete/clear lines may undo puts in older segments, so they go only with the oldest one;
   * - a compacted file replaces the original by rename, after its content is fdatasynced.
   */
  private async maintenanceStep(): Promise<boolean> {
    try {
      if (!(await this.lock.confirm())) {
        return false; // No longer ours: never compact or delete a file the new owner uses.
      }
      const numbers = [...this.segments.keys()].sort((a, b) => a - b);
      const oldest = numbers[0];
      const newest = numbers.at(-1);
      const inUse = (segment: number) =>
        segment === this.active?.segment || segment === this.appendTarget;
      for (const segment of numbers) {
        if (inUse(segment) || segment === newest) {
          continue;
        }
        const state = this.segmentState(segment);
        if (
          this.index.segmentLive(segment).count === 0 &&
          (segment === oldest || state.tombstoneBytes === 0)
        ) {
          await this.deleteSegment(segment);
          return true;
        }
      }
      const diskBytes = numbers.reduce((sum, n) => sum + this.segmentState(n).size, 0);
      const atCountCap = this.index.size >= this.limits.maxDeliveries;
      const diskBytesAllowedAtCap = 2 * (this.index.liveBytes + this.options.segmentMaxBytes);
      let best: { segment: number; reclaimable: number } | null = null;
      for (const segment of numbers) {
        if (inUse(segment)) {
          continue;
        }
        const state = this.segmentState(segment);
        const keep =
          this.index.segmentLive(segment).bytes +
          (segment === newest ? state.checkpointBytes : 0) +
          (segment === oldest ? 0 : state.tombstoneBytes);
        const reclaimable = state.size - keep;
        // At the count cap every new delivery removes the oldest one, so every segment empties
        // by itself, oldest first, and is then deleted: compacting it on the way (again at each
        // half, and every segment when forwarding leaves each delivery's first line dead) would
        // rewrite live lines for nothing, and hold up the commits waiting behind it.
        // Dead lines stay bounded: past the live bytes plus two segments, compaction runs again.
        const drainsByRetention = atCountCap && diskBytes <= diskBytesAllowedAtCap;
        const worthIt =
          state.damagedLines > 0 ||
          (!drainsByRetention && reclaimable * 2 >= state.size) ||
          diskBytes > this.limits.maxBytes;
        if (reclaimable > 0 && worthIt && (!best || reclaimable > best.reclaimable)) {
          best = { segment, reclaimable };
        }
      }
      if (!best) {
        return false;
      }
      await this.compactSegment(best.segment, {
        keepCheckpoints: best.segment === newest,
        keepTombstones: best.segment !== oldest,
      });
      return true;
    } catch {
      // The store is consistent after a failure at any step; retry after the next commit.
      return false;
    }
  }

  private async deleteSegment(segment: number): Promise<void> {
    try {
      await this.fs.unlink(this.segmentPath(segment));
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') {
        throw error;
      }
    }
    this.segments.delete(segment);
    await this.fs.syncDirectory(this.segmentsDir);
  }

  /** Rewrites a segment with only the lines still needed: temp → fdatasync → rename → fsync(dir). */
  private async compactSegment(
    segment: number,
    keep: { readonly keepCheckpoints: boolean; readonly keepTombstones: boolean },
  ): Promise<void> {
    const file = this.segmentPath(segment);
    const temp = `${file}${COMPACTION_TEMP_SUFFIX}`;
    const buffer = await this.fs.readFile(file);
    const live = this.index.liveLinesIn(segment);
    const parts: Buffer[] = [];
    const moved: Array<[string, RecordLocation]> = [];
    const next = emptySegmentState(0);
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, start);
      if (newline < 0) {
        break; // A partial tail (after a failed truncate) is not a line: drop it.
      }
      const lineStart = start;
      const length = newline + 1 - lineStart;
      start = newline + 1;
      const summary = live.get(lineStart);
      if (summary && summary.location.length === length) {
        moved.push([summary.id, { segment, offset: next.size, length }]);
        live.delete(lineStart);
      } else {
        // Dead puts and damaged lines (already quarantined) always go.
        const op = hasValidCrc(buffer, lineStart, newline)
          ? peekOp(buffer, lineStart, newline)
          : undefined;
        if (op === 'checkpoint' && keep.keepCheckpoints) {
          next.checkpointBytes += length;
        } else if ((op === 'delete' || op === 'clear') && keep.keepTombstones) {
          next.tombstoneBytes += length;
        } else {
          continue;
        }
      }
      parts.push(buffer.subarray(lineStart, newline + 1));
      next.size += length;
    }
    if (live.size > 0) {
      // The index points at lines this file does not have: never "compact" data away.
      throw new Error(`compaction of ${segmentFileName(segment)} found the index out of step`);
    }
    if (next.size === 0 && !keep.keepCheckpoints) {
      await this.deleteSegment(segment);
      return;
    }
    try {
      await writeFileDurably(this.fs, temp, Buffer.concat(parts));
      await this.fs.rename(temp, file);
    } catch (error) {
      await this.fs.unlink(temp).catch(() => undefined);
      throw error;
    }
    // Renamed: the file now has the new layout, whatever happens next.
    for (const [id, location] of moved) {
      this.index.relocate(id, location);
    }
    next.ino = (await this.fs.stat(file).catch(() => null))?.ino ?? 0;
    this.segments.set(segment, next);
    await this.fs.syncDirectory(this.segmentsDir);
  }

  // ---- reading ----------------------------------------------------------------------------------

  private rememberLine(id: string, line: Buffer, location: RecordLocation): void {
    const previous = this.recentLines.get(id);
    if (previous) {
      this.recentLines.delete(id);
      this.recentLineBytes -= previous.line.length;
    }
    this.recentLines.set(id, { line, location });
    this.recentLineBytes += line.length;
    for (const [oldest, entry] of this.recentLines) {
      if (this.recentLineBytes <= RECENT_LINES_MAX_BYTES) {
        break;
      }
      this.recentLines.delete(oldest);
      this.recentLineBytes -= entry.line.length;
    }
  }

  private forgetRecentLines(): void {
    this.recentLines.clear();
    this.recentLineBytes = 0;
    this.recentRecords.clear();
    this.recentRecordBytes = 0;
  }

  private rememberRecord(record: DeliveryRecord, location: RecordLocation): void {
    this.dropRecentRecord(record.id);
    this.recentRecords.set(record.id, { record, location });
    this.recentRecordBytes += location.length;
    // Bounded by count and by bytes (its line's size): a burst of large bodies must not stay
    // in memory after it is on disk; those few are read back from disk instead.
    while (
      this.recentRecords.size > RECENT_RECORDS_MAX ||
      this.recentRecordBytes > RECENT_LINES_MAX_BYTES
    ) {
      const oldest = this.recentRecords.keys().next();
      if (oldest.done) break;
      this.dropRecentRecord(oldest.value);
    }
  }

  private dropRecentRecord(id: string): void {
    const entry = this.recentRecords.get(id);
    if (entry === undefined) return;
    this.recentRecords.delete(id);
    this.recentRecordBytes -= entry.location.length;
  }

  /**
   * For `update()`: the record just committed for `id`, if the index still points at its line,
   * without decoding that line again. Taken once: the change callback gets it to derive the next
   * version, and the put that follows replaces it.
   */
  private takeRecentRecord(id: string): DeliveryRecord | undefined {
    const entry = this.recentRecords.get(id);
    if (entry === undefined) return undefined;
    this.dropRecentRecord(id);
    const location = this.index.get(id)?.location;
    return location !== undefined &&
      location.segment === entry.location.segment &&
      location.offset === entry.location.offset &&
      location.length === entry.location.length
      ? entry.record
      : undefined;
  }

  /** The record from its line in memory, if that line is still the one the index points at. */
  private recentRecord(id: string, location: RecordLocation): DeliveryRecord | undefined {
    const entry = this.recentLines.get(id);
    if (
      entry === undefined ||
      entry.location.segment !== location.segment ||
      entry.location.offset !== location.offset ||
      entry.location.length !== location.length
    ) {
      return undefined;
    }
    // Decoded like a line read from disk, so callers get a fresh record of the same shape.
    const decoded = decodeLine(entry.line, 0, entry.line.length - 1);
    return decoded.kind === 'op' && decoded.op.op === 'put' ? decoded.op.record : undefined;
  }

  private async readAt(location: RecordLocation): Promise<DeliveryRecord | undefined> {
    const line = await readRange(
      this.fs,
      this.segmentPath(location.segment),
      location.offset,
      location.length,
    );
    if (line.length !== location.length || line[line.length - 1] !== 0x0a) {
      return undefined;
    }
    const decoded = decodeLine(line, 0, line.length - 1);
    return decoded.kind === 'op' && decoded.op.op === 'put' ? decoded.op.record : undefined;
  }

  private async readNewLines(): Promise<void> {
    const names = await this.fs.readdir(this.segmentsDir).catch(() => [] as string[]);
    const numbers = segmentNumbers(names);
    const infos = await Promise.all(
      numbers.map((segment) => this.fs.stat(this.segmentPath(segment)).catch(() => null)),
    );
    const onlyAppended =
      [...this.segments.keys()].every((segment) => numbers.includes(segment)) &&
      numbers.every((segment, i) => {
        const info = infos[i];
        const known = this.segments.get(segment);
        return (
          info !== null &&
          info !== undefined &&
          (!known || (info.ino === known.ino && info.size >= known.size))
        );
      });
    const changes = new ChangeSet();
    if (!onlyAppended) {
      // The owner compacted or deleted files: read everything again and report the difference.
      await this.adoptForReading(changes);
      this.emitChanges(changes);
      return;
    }
    const replay = new Replay(this.index, this.segments, this.nextSeq, this.floorSeq, changes);
    for (const [i, segment] of numbers.entries()) {
      const info = infos[i];
      if (!info) {
        continue;
      }
      let state = this.segments.get(segment);
      if (!state) {
        state = emptySegmentState(info.ino);
        this.segments.set(segment, state);
      }
      if (info.size <= state.size) {
        continue;
      }
      const from = state.size;
      const bytes = await readRange(this.fs, this.segmentPath(segment), from, info.size - from);
      const result = scanLines(bytes, from, (decoded, offset, length) =>
        replay.apply(decoded, segment, offset, length),
      );
      state.size = result.completeEnd; // A partial last line is read on a later refresh.
    }
    replay.finish();
    this.nextSeq = replay.nextSeq;
    this.floorSeq = replay.floorSeq;
    this.recordedLimits = replay.retention ?? this.recordedLimits;
    this.nextSegmentNumber = Math.max(this.nextSegmentNumber, Math.max(0, ...numbers) + 1);
    if (replay.newerVersion !== null) {
      this.enterReadOnly(
        `A newer HookLens (format v${replay.newerVersion}) now writes this store; this window shows it read-only.`,
      );
    }
    this.emitChanges(changes);
  }

  // ---- small helpers ----------------------------------------------------------------------------

  private layout(): { segmentsDir: string; quarantineDir: string } {
    return { segmentsDir: this.segmentsDir, quarantineDir: this.quarantineDir };
  }

  private segmentPath(segment: number): string {
    return path.join(this.segmentsDir, segmentFileName(segment));
  }

  private segmentState(segment: number): SegmentState {
    let state = this.segments.get(segment);
    if (!state) {
      state = emptySegmentState(0);
      this.segments.set(segment, state);
    }
    return state;
  }

  private emitChanges(changes: ChangeSet): void {
    if (!changes.isEmpty) {
      this.changeEmitter.fire(changes.toEvent());
    }
  }

  private setHealth(next: StoreHealth): void {
    const current = this.currentHealth;
    const same =
      current.state === next.state &&
      (current.state === 'ok' ||
        (next.state === 'failing' &&
          current.code === next.code &&
          current.message === next.message));
    if (same) {
      return;
    }
    this.currentHealth = next;
    this.healthEmitter.fire(next);
  }

  private setMode(mode: StoreMode): void {
    if (this.currentMode === mode) {
      return;
    }
    this.currentMode = mode;
    this.modeEmitter.fire(mode);
  }
}

/** What a commit packs its lines into: one write per this much of a batch. */
const WRITE_SCRATCH_BYTES = 1024 * 1024;

function resolveOptions(options: StoreOptions): ResolvedOptions {
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    if (value === undefined) {
      return fallback;
    }
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`StoreOptions.${name} must be a positive number (got ${value}).`);
    }
    return value;
  };
  const limit = (value: number | undefined, name: string): number | undefined =>
    value === undefined ? undefined : positive(value, value, name);
  const maxDeliveries = limit(options.maxDeliveries, 'maxDeliveries');
  const maxBytes = limit(options.maxBytes, 'maxBytes');
  return {
    access: options.access ?? 'write',
    segmentMaxBytes: positive(
      options.segmentMaxBytes,
      STORE_DEFAULTS.segmentMaxBytes,
      'segmentMaxBytes',
    ),
    limitsGiven: {
      ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    },
    onWillEvict: options.onWillEvict,
    heartbeatMs: positive(options.heartbeatMs, STORE_DEFAULTS.heartbeatMs, 'heartbeatMs'),
    staleAfterMs: positive(options.staleAfterMs, STORE_DEFAULTS.staleAfterMs, 'staleAfterMs'),
    fileSystem: options.fileSystem ?? nodeFileSystem,
    now: options.now ?? Date.now,
  };
}

function evictionMessage(
  dir: string,
  count: number,
  held: number,
  limits: RetentionLimits,
  recorded: RetentionLimits | null,
): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const mib = (bytes: number): string => `${n(Math.round(bytes / MIB))} MiB`;
  const before = recorded
    ? `the limits recorded in it are ${n(recorded.maxDeliveries)} deliveries and ${mib(recorded.maxBytes)}`
    : 'no limits were recorded in it';
  return (
    `The store in ${dir} holds ${n(held)} deliveries (${before}); keeping at most ` +
    `${n(limits.maxDeliveries)} deliveries and ${mib(limits.maxBytes)} now removes the ` +
    `${n(count)} oldest ${count === 1 ? 'delivery' : 'deliveries'} for good.`
  );
}

/** What a viewer reports after re-reading everything: by id, location and duplicate count. */
function diffIndexes(previous: DeliveryIndex, next: DeliveryIndex, changes: ChangeSet): void {
  for (const summary of next.oldestFirst()) {
    const before = previous.get(summary.id);
    if (!before) {
      changes.markAdded(summary.id);
    } else if (
      before.location.segment !== summary.location.segment ||
      before.location.offset !== summary.location.offset ||
      before.location.length !== summary.location.length ||
      before.duplicateCount !== summary.duplicateCount
    ) {
      changes.markUpdated(summary.id);
    }
  }
  for (const summary of previous.oldestFirst()) {
    if (!next.has(summary.id)) {
      changes.markDeleted(summary.id);
    }
  }
}

export type { DeliveryStoreBackend, StoreKind } from './backend';
export { StoreReadError, StoreWriteError } from './errors';
export type { StoreErrorCode } from './errors';
export { nodeFileSystem } from './fileSystem';
export type { FileInfo, OpenFlags, StoreFileHandle, StoreFileSystem } from './fileSystem';
export type { Disposable, Event } from './emitter';
export type {
  DeliveryInput,
  DeliverySummary,
  IndexedSummary,
  EvictionNotice,
  EvictionPlan,
  LockInfo,
  RecordLocation,
  RecoveryNote,
  RecoveryReport,
  StoreChangeEvent,
  StoreHealth,
  StoreMode,
  StoreOptions,
  StoreRetention,
  RetentionLimits,
} from './types';
