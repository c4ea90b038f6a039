// The body index behind `body:` terms (issue 16, "Find"): which stored deliveries hold which words
// and `path=value` pairs (bodyTerms.ts says what those are), so a body search over 100,000
// deliveries answers in milliseconds instead of reading every body.
//
// It works over any store (DeliveryStoreBackend: the local folder or the team database): it reads
// bodies with `get`, follows `onDidChange` (added, updated, deleted or evicted, cleared), and never
// holds up a write: it is built in the background, a chunk at a time, yielding to the event loop
// between chunks, newest deliveries first and new arrivals before the backlog.
//
// Layout, for memory: deliveries are numbered as they are indexed; every SEGMENT_SIZE of them are
// sealed into a segment holding its distinct terms sorted in one string (with offsets) and, per
// term, the deliveries holding it as 16-bit numbers within the segment. A word's prefix is a range
// of a segment's sorted terms. Deleted deliveries are forgotten at once and their postings dropped
// when half a segment is gone. The newest, not yet sealed deliveries keep their term lists and are
// searched one by one. Measured cost: see bench/bodySearch.ts (the README's Benchmarks).
import type { DeliveryStoreBackend } from '../store/backend';
import { Emitter, type Disposable, type Event } from '../store/emitter';
import type { StoreChangeEvent } from '../store/types';
import { analyseBody, bodyInputOf, pathTerm, type BodyQuery } from './bodyTerms';

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

class Segment {
  /** Deliveries in it deleted since it was built, and those of them still in its postings. */
  dead = 0;
  stale = 0;
  constructor(
    /** The first delivery number in it. */
    readonly base: number,
    /** Deliveries numbered into it. */
    readonly count: number,
    /** The distinct terms, sorted, concatenated. */
    private text: string,
    private offsets: Uint32Array,
    private postStart: Uint32Array,
    private postings: Uint16Array,
  ) {}

  static build(
    base: number,
    docs: ReadonlyArray<{ doc: number; terms: readonly string[] }>,
    count: number,
  ): Segment {
    const byTerm = new Map<string, number[]>();
    for (const { doc, terms } of docs) {
      const local = doc - base;
      for (const term of terms) {
        const list = byTerm.get(term);
        if (list) list.push(local);
        else byTerm.set(term, [local]);
      }
    }
    const sorted = [...byTerm.keys()].sort();
    const offsets = new Uint32Array(sorted.length + 1);
    const postStart = new Uint32Array(sorted.length + 1);
    let chars = 0;
    let postingCount = 0;
    for (let index = 0; index < sorted.length; index++) {
      offsets[index] = chars;
      postStart[index] = postingCount;
      chars += (sorted[index] ?? '').length;
      postingCount += byTerm.get(sorted[index] ?? '')?.length ?? 0;
    }
    offsets[sorted.length] = chars;
    postStart[sorted.length] = postingCount;
    const postings = new Uint16Array(postingCount);
    let at = 0;
    for (const term of sorted) {
      for (const local of byTerm.get(term) ?? []) postings[at++] = local;
    }
    return new Segment(base, count, sorted.join(''), offsets, postStart, postings);
  }

  get terms(): number {
    return this.offsets.length - 1;
  }

  private term(index: number): string {
    return this.text.slice(this.offsets[index], this.offsets[index + 1]);
  }

  /** The first term index whose term is >= `value`. */
  private lowerBound(value: string): number {
    let low = 0;
    let high = this.terms;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.term(middle) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Delivery numbers holding `term` exactly, or (with `prefix`) a term starting with it. */
  collect(term: string, prefix: boolean, into: (doc: number) => void): void {
    const from = this.lowerBound(term);
    const to = prefix ? this.lowerBound(`${term}\uffff`) : from;
    const last = prefix ? to : from < this.terms && this.term(from) === term ? from + 1 : from;
    for (let index = from; index < last; index++) {
      const end = this.postStart[index + 1] ?? 0;
      for (let at = this.postStart[index] ?? 0; at < end; at++)
        into(this.base + (this.postings[at] ?? 0));
    }
  }

  /** Drops the postings of deliveries no longer stored (`alive` says which are). */
  compact(alive: (doc: number) => boolean): void {
    const texts: string[] = [];
    const starts: number[] = [];
    const kept: number[] = [];
    const terms = this.terms;
    for (let index = 0; index < terms; index++) {
      const before = kept.length;
      const end = this.postStart[index + 1] ?? 0;
      for (let at = this.postStart[index] ?? 0; at < end; at++) {
        const local = this.postings[at] ?? 0;
        if (alive(this.base + local)) kept.push(local);
      }
      if (kept.length > before) {
        texts.push(this.term(index));
        starts.push(before);
      }
    }
    this.offsets = new Uint32Array(texts.length + 1);
    let chars = 0;
    texts.forEach((text, index) => {
      this.offsets[index] = chars;
      chars += text.length;
    });
    this.offsets[texts.length] = chars;
    this.postStart = Uint32Array.from([...starts, kept.length]);
    this.postings = Uint16Array.from(kept);
    this.text = texts.join('');
    this.stale = 0;
  }

  /** Bytes held (a two-byte string when a term is not Latin-1). */
  get bytes(): number {
    // eslint-disable-next-line no-control-regex
    const wide = /[^\u0000-\u00ff]/.test(this.text) ? 2 : 1;
    return (
      this.text.length * wide +
      this.offsets.byteLength +
      this.postStart.byteLength +
      this.postings.byteLength
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

  /** Delivery number → id (undefined once deleted). */
  private ids: (string | undefined)[] = [];
  /** Id → delivery number, and the body size it was indexed with. */
  private readonly docs = new Map<string, { readonly doc: number; readonly size: number }>();
  private readonly partialDocs = new Set<number>();
  private segments: Segment[] = [];
  /** Indexed, not yet sealed into a segment (numbered from `pendingBase`). */
  private pending: { doc: number; terms: readonly string[] }[] = [];
  private pendingBase = 0;
  private nextDoc = 0;

  /** Waiting to be indexed: new arrivals first, then the backlog (newest first). */
  private readonly arrivals: string[] = [];
  private backlog: string[] = [];
  private backlogAt = 0;
  /** Ids still wanted (deleted ones leave, so a read in flight is not indexed after its delete). */
  private readonly waiting = new Set<string>();
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
    for (const id of this.backlog) this.waiting.add(id);
    this.pump();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get progress(): BodyIndexProgress {
    return {
      indexed: this.docs.size,
      total: this.started
        ? this.docs.size + this.waiting.size + this.unreadable.size
        : this.source.summaries().length,
      ready: this.started && this.waiting.size === 0,
    };
  }

  coverage(id: string): BodyCoverage {
    const entry = this.docs.get(id);
    if (entry === undefined) return 'missing';
    return this.partialDocs.has(entry.doc) ? 'partial' : 'full';
  }

  query(query: BodyQuery): ReadonlySet<string> {
    let docs: Set<number> | undefined;
    if (query.kind === 'path') {
      docs = new Set();
      for (const value of query.values) this.collect(pathTerm(query.path, value), false, docs);
    } else {
      // The rarest word first would be faster; every word is needed anyway, and prefixes of one
      // letter are the slow case either way.
      for (const word of query.words) {
        const found = new Set<number>();
        this.collect(word, true, found);
        docs = docs === undefined ? found : intersect(docs, found);
        if (docs.size === 0) break;
      }
    }
    const ids = new Set<string>();
    for (const doc of docs ?? []) {
      const id = this.ids[doc];
      if (id !== undefined) ids.add(id);
    }
    return ids;
  }

  /** Bytes the index holds, estimated (typed arrays and strings exactly; maps and lists roughly). */
  get memoryBytes(): number {
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.bytes;
    for (const { terms } of this.pending) for (const term of terms) bytes += 16 + term.length;
    // A Map entry with its small object (about 64 bytes), a list slot (8), the partial set.
    bytes += this.docs.size * 64 + this.ids.length * 8 + this.partialDocs.size * 16;
    return bytes;
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

  private collect(term: string, prefix: boolean, into: Set<number>): void {
    const add = (doc: number): void => void into.add(doc);
    for (const segment of this.segments) segment.collect(term, prefix, add);
    for (const { doc, terms } of this.pending) {
      if (prefix ? terms.some((candidate) => candidate.startsWith(term)) : terms.includes(term))
        into.add(doc);
    }
  }

  private onChange(change: StoreChangeEvent): void {
    if (this.disposed) return;
    if (change.cleared) this.reset();
    // The store answers again (a team database back after an outage): bodies it could not give
    // are asked for once more.
    if (change.added.length > 0) for (const id of [...this.unreadable]) this.want(id);
    for (const id of change.deleted) this.forget(id);
    for (const id of change.updated) {
      // Updates add attempts; a body that changed (an import over a known id) is indexed again.
      const entry = this.docs.get(id);
      const summary = this.source.summary(id);
      if (entry !== undefined && summary !== undefined && summary.bodySize !== entry.size) {
        this.forget(id);
        this.want(id);
      }
    }
    for (const id of change.added) if (!this.docs.has(id)) this.want(id);
    if (this.started) this.pump();
  }

  private want(id: string): void {
    this.unreadable.delete(id);
    if (this.waiting.has(id)) return;
    this.waiting.add(id);
    this.arrivals.push(id);
  }

  private reset(): void {
    this.generation++;
    this.ids = [];
    this.docs.clear();
    this.partialDocs.clear();
    this.segments = [];
    this.pending = [];
    this.pendingBase = this.nextDoc;
    this.arrivals.length = 0;
    this.backlog = [];
    this.backlogAt = 0;
    this.waiting.clear();
    this.unreadable.clear();
  }

  private forget(id: string): void {
    this.waiting.delete(id);
    this.unreadable.delete(id);
    const entry = this.docs.get(id);
    if (entry === undefined) return;
    this.docs.delete(id);
    this.ids[entry.doc] = undefined;
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
      segment.compact((doc) => this.ids[doc] !== undefined);
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

  /** The next ids to read: arrivals first, then the backlog; deleted ones skipped. */
  private nextChunk(): string[] {
    const chunk: string[] = [];
    while (chunk.length < this.readBatch && this.arrivals.length > 0) {
      const id = this.arrivals.shift();
      if (id !== undefined && this.waiting.has(id) && !chunk.includes(id)) chunk.push(id);
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
    let sliceStart = this.now();
    for (;;) {
      if (this.disposed) return;
      const chunk = this.nextChunk();
      if (chunk.length === 0) break;
      const generation = this.generation;
      const records = await Promise.all(
        chunk.map((id) =>
          this.source.get(id).then(
            (record) => record,
            () => null,
          ),
        ),
      );
      if (this.disposed) return;
      if (generation !== this.generation) continue;
      const indexed: string[] = [];
      for (let index = 0; index < chunk.length; index++) {
        const id = chunk[index] ?? '';
        const record = records[index];
        // Deleted while it was read: nothing to index.
        if (!this.waiting.has(id)) continue;
        this.waiting.delete(id);
        if (record === null) {
          this.unreadable.add(id);
          continue;
        }
        if (record === undefined) continue;
        const analysis = analyseBody(bodyInputOf(record));
        this.add(id, record.bodySize, analysis.terms, analysis.partial);
        indexed.push(id);
        if (this.now() - sliceStart > this.sliceMs) {
          await this.yieldTurn();
          sliceStart = this.now();
          if (this.disposed) return;
        }
      }
      if (indexed.length > 0) this.indexedEmitter.fire(indexed);
      if (this.now() - sliceStart > this.sliceMs) {
        await this.yieldTurn();
        sliceStart = this.now();
      }
    }
    if (this.waiting.size === 0) this.readyEmitter.fire();
  }

  private add(id: string, size: number, terms: readonly string[], partial: boolean): void {
    const doc = this.nextDoc++;
    this.ids[doc] = id;
    this.docs.set(id, { doc, size });
    if (partial) this.partialDocs.add(doc);
    this.pending.push({ doc, terms });
    if (doc - this.pendingBase + 1 >= this.segmentSize) this.seal();
  }

  private seal(): void {
    const count = this.nextDoc - this.pendingBase;
    if (this.pending.length > 0) {
      const segment = Segment.build(this.pendingBase, this.pending, count);
      // Deleted before it was sealed: numbered in it, in no posting.
      segment.dead = count - this.pending.length;
      this.segments.push(segment);
    }
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
