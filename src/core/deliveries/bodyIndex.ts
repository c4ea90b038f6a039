// The body index behind `body:` terms (issue 16, "Find"): which stored deliveries hold which words
// and `path=value` pairs (bodyTerms.ts says what those are), so a body search over 100,000
// deliveries answers in milliseconds instead of reading every body.
//
// It works over any store (DeliveryStoreBackend: the local folder or the team database): it reads
// bodies with `get`, follows `onDidChange` (added, updated, deleted or evicted, cleared), and never
// holds up a write: it is built in the background, a chunk at a time, yielding to the event loop
// between chunks, newest deliveries first and new arrivals before the backlog.
//
// Layout, for memory: deliveries are numbered as they are indexed; every 1,024 of them are sealed
// into a segment holding its distinct words sorted in one string (with offsets), its `path=value`
// pairs as sorted 53-bit hashes, and for each the deliveries holding it as 16-bit numbers within the
// segment. A word's prefix is a range of a segment's sorted words. Each delivery's summary words
// (event, headline, path, ids) are indexed with its body's. Deleted deliveries are forgotten at once
// and their postings dropped when half a segment's are gone. The newest, not yet sealed deliveries
// keep their term lists and are searched one by one. Per delivery: at most MAX_TERMS_PER_BODY words
// and as many pairs; about 500 bytes for webhook bodies of a few KB (bench/bodySearch.ts, the
// README's Benchmarks), about 50 more since each keeps its sha key and the number → id table holds
// live deliveries only (749 against 696 bytes at 20,000 deliveries).
import type { DeliveryStoreBackend } from '../store/backend';
import { Emitter, type Disposable, type Event } from '../store/emitter';
import type { StoreChangeEvent } from '../store/types';
import { analyseBody, bodyInputOf, wordsOf, type BodyQuery } from './bodyTerms';
import { summaryText } from './deliveryView';

/** What the index needs of a store. */
export type BodyIndexSource = Pick<
  DeliveryStoreBackend,
  'summaries' | 'summary' | 'get' | 'onDidChange'
>;

export interface BodyIndexOptions {
  /** Deliveries per sealed segment (at most 65,536: postings are 16-bit). Default 1,024. */
  readonly segmentSize?: number;
  /** Work done before giving the event loop a turn (ms). Default 8. */
  readonly sliceMs?: number;
  /** Bodies read at once. Default 32. */
  readonly readBatch?: number;
  /** Gives the event loop a turn. Default: setImmediate. */
  readonly yieldTurn?: () => Promise<void>;
  readonly now?: () => number;
}

/** How far the index is: `indexed` of `total` stored deliveries; `ready` when none is waiting. */
export interface BodyIndexProgress {
  readonly indexed: number;
  readonly total: number;
  readonly ready: boolean;
}

/** `full`: the index knows the whole body; `partial`: only its start; `missing`: not indexed. */
export type BodyCoverage = 'full' | 'partial' | 'missing';

/** What a body search needs of an index (the index, or a test's stand-in). */
export interface BodyIndexView {
  readonly progress: BodyIndexProgress;
  coverage(id: string): BodyCoverage;
  /** Ids of indexed deliveries whose body holds the query. */
  query(query: BodyQuery): ReadonlySet<string>;
}

const DEFAULT_SEGMENT_SIZE = 1024;

/** An indexed delivery: its number, and what identifies the body it was indexed with. */
interface IndexedDoc {
  readonly doc: number;
  readonly size: number;
  /** The first 48 bits of the body's sha256 (`shaKey`): a same-size change is told by them. */
  readonly shaHigh: number;
  readonly shaLow: number;
}

/**
 * A body's sha256 (hex) as two 24-bit numbers, its first 12 hex digits. Small integers are held
 * in the entry itself: about 15 bytes more per delivery (measured with V8's heap, 100,000
 * entries), where one 48-bit number would be a boxed double (25) and the hex string over 80. Two
 * different bodies of the same size share them with odds of 1 in 2^48.
 */
export function shaKey(sha256: string): { readonly shaHigh: number; readonly shaLow: number } {
  const part = (from: number): number => {
    const value = Number.parseInt(sha256.slice(from, from + 6), 16);
    return Number.isNaN(value) ? -1 : value;
  };
  return { shaHigh: part(0), shaLow: part(6) };
}

/** One delivery's terms, waiting in the open segment. */
interface PendingDoc {
  readonly doc: number;
  readonly words: readonly string[];
  readonly paths: readonly number[];
}

/** Postings lists by key, built in key order. */
class TableBuilder<K> {
  readonly keys: K[] = [];
  readonly starts: number[] = [];
  readonly postings: number[] = [];

  push(key: K, locals: Iterable<number>): void {
    const before = this.postings.length;
    for (const local of locals) this.postings.push(local);
    if (this.postings.length === before) return;
    this.keys.push(key);
    this.starts.push(before);
  }
}

/**
 * Gives the event loop a turn once a slice of work has run its time: the index's work is
 * checked against the clock, not counted, as one delivery's words or a segment's sort can take
 * far longer than another's.
 */
interface Slicer {
  /** Whether the current slice has run its time. */
  due(): boolean;
  /** Gives the event loop a turn and starts the next slice. */
  pause(): Promise<void>;
}

/**
 * A sealed run of deliveries: its words sorted in one string (with offsets), its path hashes
 * sorted, and for each the deliveries holding it, as 16-bit numbers within the segment.
 */
class Segment {
  /** Deliveries in it deleted since it was built, and those of them still in its postings. */
  dead = 0;
  stale = 0;
  private wordText = '';
  private wordOffsets = new Uint32Array(1);
  private wordStarts = new Uint32Array(1);
  private wordPostings = new Uint16Array(0);
  private pathKeys = new Float64Array(0);
  private pathStarts = new Uint32Array(1);
  private pathPostings = new Uint16Array(0);

  constructor(
    /** The first delivery number in it. */
    readonly base: number,
    /** Deliveries numbered into it. */
    readonly count: number,
  ) {}

  /** Built from the open segment's deliveries, giving the event loop a turn whenever a slice is due. */
  static async build(
    base: number,
    docs: readonly PendingDoc[],
    count: number,
    slicer: Slicer,
  ): Promise<Segment> {
    const byWord = new Map<string, number[]>();
    const byPath = new Map<number, number[]>();
    for (const { doc, words, paths } of docs) {
      const local = doc - base;
      for (const word of words) {
        const list = byWord.get(word);
        if (list) list.push(local);
        else byWord.set(word, [local]);
      }
      for (const path of paths) {
        const list = byPath.get(path);
        if (list) list.push(local);
        else byPath.set(path, [local]);
      }
      if (slicer.due()) await slicer.pause();
    }
    const segment = new Segment(base, count);
    const words = new TableBuilder<string>();
    if (slicer.due()) await slicer.pause();
    const sortedWords = [...byWord.keys()].sort();
    for (const [position, word] of sortedWords.entries()) {
      words.push(word, byWord.get(word) ?? []);
      if ((position & 255) === 255 && slicer.due()) await slicer.pause();
    }
    const paths = new TableBuilder<number>();
    if (slicer.due()) await slicer.pause();
    const sortedPaths = Float64Array.from(byPath.keys()).sort();
    for (const [position, path] of sortedPaths.entries()) {
      paths.push(path, byPath.get(path) ?? []);
      if ((position & 255) === 255 && slicer.due()) await slicer.pause();
    }
    if (slicer.due()) await slicer.pause();
    segment.install(words, paths);
    return segment;
  }

  private install(words: TableBuilder<string>, paths: TableBuilder<number>): void {
    let chars = 0;
    this.wordOffsets = new Uint32Array(words.keys.length + 1);
    words.keys.forEach((word, index) => {
      this.wordOffsets[index] = chars;
      chars += word.length;
    });
    this.wordOffsets[words.keys.length] = chars;
    this.wordText = words.keys.join('');
    this.wordStarts = Uint32Array.from([...words.starts, words.postings.length]);
    this.wordPostings = Uint16Array.from(words.postings);
    this.pathKeys = Float64Array.from(paths.keys);
    this.pathStarts = Uint32Array.from([...paths.starts, paths.postings.length]);
    this.pathPostings = Uint16Array.from(paths.postings);
  }

  private get wordCount(): number {
    return this.wordOffsets.length - 1;
  }

  private word(index: number): string {
    return this.wordText.slice(this.wordOffsets[index], this.wordOffsets[index + 1]);
  }

  /** The first word index whose word is >= `value`. */
  private lowerBound(value: string): number {
    let low = 0;
    let high = this.wordCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.word(middle) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Delivery numbers holding a word that starts with `prefix`. */
  collectWord(prefix: string, into: (doc: number) => void): void {
    const from = this.lowerBound(prefix);
    const to = this.lowerBound(`${prefix}\uffff`);
    this.emit(this.wordStarts, this.wordPostings, from, to, into);
  }

  /** Delivery numbers holding the path hash. */
  collectPath(hash: number, into: (doc: number) => void): void {
    let low = 0;
    let high = this.pathKeys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.pathKeys[middle] ?? 0) < hash) low = middle + 1;
      else high = middle;
    }
    if (this.pathKeys[low] === hash)
      this.emit(this.pathStarts, this.pathPostings, low, low + 1, into);
  }

  private emit(
    starts: Uint32Array,
    postings: Uint16Array,
    from: number,
    to: number,
    into: (doc: number) => void,
  ): void {
    const end = starts[to] ?? 0;
    for (let at = starts[from] ?? 0; at < end; at++) into(this.base + (postings[at] ?? 0));
  }

  /** Drops the postings of deliveries no longer stored (`alive` says which are). */
  compact(alive: (doc: number) => boolean): void {
    const keep = function* (
      this: Segment,
      starts: Uint32Array,
      postings: Uint16Array,
      index: number,
    ) {
      const end = starts[index + 1] ?? 0;
      for (let at = starts[index] ?? 0; at < end; at++) {
        const local = postings[at] ?? 0;
        if (alive(this.base + local)) yield local;
      }
    };
    const words = new TableBuilder<string>();
    for (let index = 0; index < this.wordCount; index++)
      words.push(this.word(index), keep.call(this, this.wordStarts, this.wordPostings, index));
    const paths = new TableBuilder<number>();
    for (let index = 0; index < this.pathKeys.length; index++)
      paths.push(
        this.pathKeys[index] ?? 0,
        keep.call(this, this.pathStarts, this.pathPostings, index),
      );
    this.install(words, paths);
    this.stale = 0;
  }

  /** Bytes held (a two-byte string when a word is not Latin-1). */
  get bytes(): number {
    // eslint-disable-next-line no-control-regex
    const wide = /[^\u0000-\u00ff]/.test(this.wordText) ? 2 : 1;
    return (
      this.wordText.length * wide +
      this.wordOffsets.byteLength +
      this.wordStarts.byteLength +
      this.wordPostings.byteLength +
      this.pathKeys.byteLength +
      this.pathStarts.byteLength +
      this.pathPostings.byteLength
    );
  }
}

/**
 * The body index of one store. `start()` builds it in the background; it then follows the store's
 * changes until `dispose()`. Queries answer for what is indexed; `coverage` says which deliveries
 * that is (a body search reads the others directly).
 */
export class BodyIndex implements BodyIndexView, Disposable {
  private readonly segmentSize: number;
  private readonly sliceMs: number;
  private readonly readBatch: number;
  private readonly yieldTurn: () => Promise<void>;
  private readonly now: () => number;
  /** When the current slice of index work began (see Slicer). */
  private sliceStartedAt = 0;
  private readonly slicer: Slicer = {
    due: () => this.now() - this.sliceStartedAt > this.sliceMs,
    pause: async () => {
      await this.yieldTurn();
      this.sliceStartedAt = this.now();
    },
  };

  /**
   * Delivery number → id, live deliveries only: numbers are never reused, so a list by number
   * would keep a slot for every delivery ever indexed (a receiver with retention runs for weeks).
   */
  private readonly ids = new Map<number, string>();
  /** Id → delivery number, and the body (size and sha key) it was indexed with. */
  private readonly docs = new Map<string, IndexedDoc>();
  private readonly partialDocs = new Set<number>();
  private segments: Segment[] = [];
  /** Indexed, not yet sealed into a segment (numbered from `pendingBase`). */
  private pending: PendingDoc[] = [];
  private pendingBase = 0;
  private nextDoc = 0;

  /** Waiting to be indexed: new arrivals first, then the backlog (newest first). */
  private readonly arrivals: string[] = [];
  private backlog: string[] = [];
  private backlogAt = 0;
  /**
   * Ids still wanted, with the ticket of their latest change: a read in flight whose ticket is no
   * longer the id's (deleted, re-added or updated meanwhile) is dropped, and the id read again.
   */
  private readonly waiting = new Map<string, number>();
  /** Indexed ids updated with a body of the same size: read again to compare the sha. */
  private readonly rechecks = new Map<string, number>();
  /** Ids of the chunk being read and not yet taken (a change to one queues it again). */
  private readonly inFlight = new Set<string>();
  private tickets = 0;
  /** Bodies that could not be read (damaged): searched directly, never waited for again. */
  private readonly unreadable = new Set<string>();
  private running = false;
  private started = false;
  private disposed = false;
  /** Bumped by `clear`: a chunk read before it is dropped. */
  private generation = 0;
  private readonly subscription: Disposable;

  private readonly indexedEmitter = new Emitter<readonly string[]>();
  /** Ids just indexed (and searchable): a filter in force can look at them. */
  readonly onDidIndex: Event<readonly string[]> = this.indexedEmitter.event;
  private readonly readyEmitter = new Emitter<void>();
  /** The backlog is done: every stored delivery is indexed (or unreadable). */
  readonly onDidBecomeReady: Event<void> = this.readyEmitter.event;

  constructor(
    private readonly source: BodyIndexSource,
    options: BodyIndexOptions = {},
  ) {
    this.segmentSize = Math.min(65_536, Math.max(1, options.segmentSize ?? DEFAULT_SEGMENT_SIZE));
    this.sliceMs = options.sliceMs ?? 8;
    this.readBatch = Math.max(1, options.readBatch ?? 32);
    this.yieldTurn = options.yieldTurn ?? (() => new Promise((resolve) => setImmediate(resolve)));
    this.now = options.now ?? (() => performance.now());
    this.subscription = source.onDidChange((change) => this.onChange(change));
  }

  /** Starts indexing what the store holds (newest first); changes are followed from construction. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.backlog = this.source
      .summaries()
      .map((summary) => summary.id)
      .filter((id) => !this.docs.has(id) && !this.waiting.has(id));
    this.backlogAt = 0;
    for (const id of this.backlog) this.waiting.set(id, ++this.tickets);
    this.pump();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get progress(): BodyIndexProgress {
    // A delivery read again after an update is not counted as indexed until its body is compared.
    return {
      indexed: this.docs.size - this.rechecks.size,
      total: this.started
        ? this.docs.size + this.waiting.size + this.unreadable.size
        : this.source.summaries().length,
      ready: this.started && this.waiting.size === 0 && this.rechecks.size === 0,
    };
  }

  coverage(id: string): BodyCoverage {
    const entry = this.docs.get(id);
    // Being read again: its body may have changed, so a search reads it directly meanwhile.
    if (entry === undefined || this.rechecks.has(id)) return 'missing';
    return this.partialDocs.has(entry.doc) ? 'partial' : 'full';
  }

  query(query: BodyQuery): ReadonlySet<string> {
    let docs: Set<number> | undefined;
    if (query.kind === 'path') {
      docs = new Set();
      for (const hash of query.hashes) this.collectPath(hash, docs);
    } else {
      // The rarest word first would be faster; every word is needed anyway, and prefixes of one
      // letter are the slow case either way.
      for (const word of query.words) {
        const found = new Set<number>();
        this.collectWord(word, found);
        docs = docs === undefined ? found : intersect(docs, found);
        if (docs.size === 0) break;
      }
    }
    const ids = new Set<string>();
    for (const doc of docs ?? []) {
      const id = this.ids.get(doc);
      if (id !== undefined) ids.add(id);
    }
    return ids;
  }

  /**
   * Does an indexed delivery's body hold the query? Undefined when it is not indexed, or only its
   * start is and that does not hold it. Cheap for the newest (a filter in force looks at each
   * arrival); for older ones it asks the whole index.
   */
  holds(
    id: string,
    query: BodyQuery,
    /** Answers of the whole index, kept across calls for one batch of arrivals. */
    cache?: Map<string, ReadonlySet<string>>,
  ): boolean | undefined {
    const entry = this.docs.get(id);
    if (entry === undefined || this.rechecks.has(id)) return undefined;
    let found: boolean;
    const pending =
      entry.doc >= this.pendingBase
        ? this.pending.find((item) => item.doc === entry.doc)
        : undefined;
    if (pending !== undefined) {
      found =
        query.kind === 'path'
          ? query.hashes.some((hash) => pending.paths.includes(hash))
          : query.words.every((word) => pending.words.some((term) => term.startsWith(word)));
    } else {
      const key = `${query.kind}:${query.text}`;
      let ids = cache?.get(key);
      if (ids === undefined) {
        ids = this.query(query);
        cache?.set(key, ids);
      }
      found = ids.has(id);
    }
    return found || !this.partialDocs.has(entry.doc) ? found : undefined;
  }

  /** Bytes the index holds, estimated (typed arrays and strings exactly; maps and lists roughly). */
  get memoryBytes(): number {
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.bytes;
    for (const { words, paths } of this.pending) {
      for (const word of words) bytes += 16 + word.length;
      bytes += paths.length * 8;
    }
    // Measured in V8 (100,000 entries): an id → entry Map entry with its small object (about 92
    // bytes), a number → id Map entry (about 37; a list slot was 9 but one per delivery ever
    // indexed), the partial set.
    bytes += this.docs.size * 92 + this.ids.size * 37 + this.partialDocs.size * 16;
    return bytes;
  }

  /** Entries of the delivery number → id table (live deliveries only). */
  get idSlots(): number {
    return this.ids.size;
  }

  /** Sealed segments, for the benchmark's figures. */
  get segmentCount(): number {
    return this.segments.length;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.indexedEmitter.dispose();
    this.readyEmitter.dispose();
  }

  private collectWord(prefix: string, into: Set<number>): void {
    const add = (doc: number): void => void into.add(doc);
    for (const segment of this.segments) segment.collectWord(prefix, add);
    for (const { doc, words } of this.pending) {
      if (words.some((word) => word.startsWith(prefix))) into.add(doc);
    }
  }

  private collectPath(hash: number, into: Set<number>): void {
    const add = (doc: number): void => void into.add(doc);
    for (const segment of this.segments) segment.collectPath(hash, add);
    for (const { doc, paths } of this.pending) if (paths.includes(hash)) into.add(doc);
  }

  private onChange(change: StoreChangeEvent): void {
    if (this.disposed) return;
    if (change.cleared) this.reset();
    // The store answers again (a team database back after an outage): bodies it could not give
    // are asked for once more.
    if (change.added.length > 0) for (const id of [...this.unreadable]) this.want(id);
    for (const id of change.deleted) this.forget(id);
    for (const id of change.updated) {
      // Updates mostly add attempts, but a put over a known id can change the body: one of
      // another size is indexed again at once; one of the same size is read again and its sha
      // compared. An id not indexed yet is read (again) after the update.
      const entry = this.docs.get(id);
      if (entry === undefined) {
        if (this.waiting.has(id)) this.want(id);
        continue;
      }
      const summary = this.source.summary(id);
      if (summary !== undefined && summary.bodySize !== entry.size) {
        this.forget(id);
        this.want(id);
      } else {
        this.recheck(id);
      }
    }
    for (const id of change.added) if (!this.docs.has(id)) this.want(id);
    if (this.started) this.pump();
  }

  /** Queues `id` for reading (once), with a new ticket: a read of it in flight is then stale. */
  private want(id: string): void {
    this.unreadable.delete(id);
    this.rechecks.delete(id);
    const queued = this.waiting.has(id) && !this.inFlight.has(id);
    this.waiting.set(id, ++this.tickets);
    if (!queued) this.arrivals.push(id);
  }

  private recheck(id: string): void {
    const queued = this.rechecks.has(id) && !this.inFlight.has(id);
    this.rechecks.set(id, ++this.tickets);
    if (!queued) this.arrivals.push(id);
  }

  private reset(): void {
    this.generation++;
    this.ids.clear();
    this.docs.clear();
    this.partialDocs.clear();
    this.segments = [];
    this.pending = [];
    this.pendingBase = this.nextDoc;
    this.arrivals.length = 0;
    this.backlog = [];
    this.backlogAt = 0;
    this.waiting.clear();
    this.rechecks.clear();
    this.unreadable.clear();
  }

  private forget(id: string): void {
    this.waiting.delete(id);
    this.rechecks.delete(id);
    this.unreadable.delete(id);
    const entry = this.docs.get(id);
    if (entry === undefined) return;
    this.docs.delete(id);
    this.ids.delete(entry.doc);
    this.partialDocs.delete(entry.doc);
    if (entry.doc >= this.pendingBase) {
      this.pending = this.pending.filter((item) => item.doc !== entry.doc);
      return;
    }
    const index = this.segmentIndexOf(entry.doc);
    const segment = this.segments[index];
    if (segment === undefined) return;
    segment.dead++;
    segment.stale++;
    if (segment.dead >= segment.count) this.segments.splice(index, 1);
    else if (segment.stale * 2 > segment.count - segment.dead + segment.stale) {
      // Half of what its postings name is gone: they are rebuilt without it.
      segment.compact((doc) => this.ids.has(doc));
    }
  }

  private segmentIndexOf(doc: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const segment = this.segments[middle];
      if (segment === undefined) break;
      if (doc < segment.base) high = middle - 1;
      else if (doc >= segment.base + segment.count) low = middle + 1;
      else return middle;
    }
    return -1;
  }

  /** The ticket `id` is wanted (or rechecked) with; undefined when it is not. */
  private ticketOf(id: string): number | undefined {
    return this.waiting.get(id) ?? this.rechecks.get(id);
  }

  /** The next ids to read: arrivals first, then the backlog; deleted ones skipped. */
  private nextChunk(): string[] {
    const chunk: string[] = [];
    while (chunk.length < this.readBatch && this.arrivals.length > 0) {
      const id = this.arrivals.shift();
      if (id !== undefined && this.ticketOf(id) !== undefined && !chunk.includes(id))
        chunk.push(id);
    }
    while (chunk.length < this.readBatch && this.backlogAt < this.backlog.length) {
      const id = this.backlog[this.backlogAt++];
      if (id !== undefined && this.waiting.has(id) && !chunk.includes(id)) chunk.push(id);
    }
    if (this.backlogAt >= this.backlog.length && this.backlog.length > 0) {
      this.backlog = [];
      this.backlogAt = 0;
    }
    return chunk;
  }

  private pump(): void {
    if (this.running || this.disposed || !this.started) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      // Arrived while the last chunk was finishing: go on.
      if (this.arrivals.length > 0 || this.backlogAt < this.backlog.length) this.pump();
    });
  }

  private async run(): Promise<void> {
    this.sliceStartedAt = this.now();
    for (;;) {
      if (this.disposed) return;
      const chunk = this.nextChunk();
      if (chunk.length === 0) break;
      const generation = this.generation;
      const tickets = chunk.map((id) => this.ticketOf(id));
      for (const id of chunk) this.inFlight.add(id);
      const records = await Promise.all(
        chunk.map((id) =>
          this.source.get(id).then(
            (record) => record,
            () => null,
          ),
        ),
      );
      if (this.disposed) return;
      if (generation !== this.generation) {
        this.inFlight.clear();
        continue;
      }
      const indexed: string[] = [];
      for (let index = 0; index < chunk.length; index++) {
        const id = chunk[index] ?? '';
        const record = records[index];
        // In flight until here: the chunk's later ids can still change while an earlier one is
        // sealed (the event loop gets turns), and such a change must queue them again.
        this.inFlight.delete(id);
        // Deleted, re-added or updated while it was read: what was read is stale. A later change
        // queued the id again (want/recheck), so that read decides.
        if (this.ticketOf(id) !== tickets[index]) continue;
        this.waiting.delete(id);
        const rechecked = this.rechecks.delete(id);
        const entry = this.docs.get(id);
        if (record === null) {
          // Unreadable: an indexed body keeps its entry (the store may answer again later).
          if (entry === undefined) this.unreadable.add(id);
          continue;
        }
        if (record === undefined) continue;
        const sha = shaKey(record.bodySha256);
        if (entry !== undefined) {
          if (
            entry.shaHigh === sha.shaHigh &&
            entry.shaLow === sha.shaLow &&
            entry.size === record.bodySize
          ) {
            // The same body (an attempt was added): its entry stands; a filter may look again.
            if (rechecked) indexed.push(id);
            continue;
          }
          this.forget(id);
        }
        const analysis = analyseBody(bodyInputOf(record));
        // The summary's own words (event, headline, path, ids) too: a search then needs nothing
        // but the index for an indexed delivery.
        const summary = this.source.summary(id);
        const words =
          summary === undefined
            ? analysis.words
            : [...new Set([...analysis.words, ...wordsOf(summaryText(summary))])];
        await this.add(id, record.bodySize, sha, words, analysis.paths, analysis.partial);
        indexed.push(id);
        if (this.slicer.due()) {
          await this.slicer.pause();
          if (this.disposed) return;
        }
      }
      if (indexed.length > 0) this.indexedEmitter.fire(indexed);
      if (this.slicer.due()) await this.slicer.pause();
    }
    if (this.waiting.size === 0 && this.rechecks.size === 0) this.readyEmitter.fire();
  }

  private async add(
    id: string,
    size: number,
    sha: { readonly shaHigh: number; readonly shaLow: number },
    words: readonly string[],
    paths: readonly number[],
    partial: boolean,
  ): Promise<void> {
    const doc = this.nextDoc++;
    this.ids.set(doc, id);
    this.docs.set(id, { doc, size, shaHigh: sha.shaHigh, shaLow: sha.shaLow });
    if (partial) this.partialDocs.add(doc);
    this.pending.push({ doc, words, paths });
    if (doc - this.pendingBase + 1 < this.segmentSize) return;
    await this.seal();
  }

  /**
   * Seals the open segment. Built a part at a time (the event loop gets turns); its deliveries
   * stay searchable as pending until it is in place. Only `run` adds, so none arrive meanwhile.
   */
  private async seal(): Promise<void> {
    const base = this.pendingBase;
    const count = this.nextDoc - base;
    const generation = this.generation;
    const segment = await Segment.build(base, this.pending, count, this.slicer);
    if (generation !== this.generation || this.disposed) return;
    // Deleted before (or while) it was sealed: numbered in it; their postings go at compaction.
    for (let doc = base; doc < base + count; doc++) {
      if (!this.ids.has(doc)) segment.dead++;
    }
    segment.stale = segment.dead;
    if (segment.dead < count) this.segments.push(segment);
    this.pending = [];
    this.pendingBase = this.nextDoc;
  }
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<number>();
  for (const value of small) if (large.has(value)) out.add(value);
  return out;
}
