// The team store: deliveries kept in PostgreSQL, shared by several receivers and followed from
// every developer's editor. Same contract as the local JSONL store (DeliveryStoreBackend):
// - a write resolves only after its transaction commits; writes queued while one commits share
//   the next transaction (group commit);
// - the list (summaries) is held in memory and kept current from a change feed: every commit
//   numbers its changes from one sequence and NOTIFYs; followers read what is newer than what they
//   have seen. Writers take one advisory lock per transaction, so changes commit in number order
//   and a follower never skips one;
// - the first delivery of a dedupe key is decided by a primary key, not by one process's memory.
import { hostname, userInfo } from 'node:os';
import type { Client, Pool, PoolClient } from 'pg';
import type { DeliveryRecord } from '../../delivery';
import type { DeliveryStoreBackend } from '../backend';
import { ChangeSet, summarize } from '../deliveryIndex';
import { Emitter, type Event } from '../emitter';
import { StoreWriteError } from '../errors';
import { isDeliveryRecord, STORE_FORMAT_VERSION } from '../lineCodec';
import type {
  DeliveryInput,
  DeliverySummary,
  EvictionNotice,
  EvictionPlan,
  LockInfo,
  RecoveryReport,
  RetentionLimits,
  StoreChangeEvent,
  StoreHealth,
  StoreMode,
  StoreRetention,
} from '../types';
import {
  checkOut,
  createClient,
  type CheckedOut,
  createPool,
  databaseErrorText,
  describeConnection,
  isConnectionError,
} from './connection';
import { migrate, schemaState } from './migrate';

/** Every writing transaction takes this lock first: change numbers then commit in order. */
const WRITE_LOCK = 7_315_420_002;
const CHANNEL = 'hooklens_changes';
const PAGE = 5_000;
/** Removal rows older than this are pruned; a follower offline longer reloads the list. */
const REMOVALS_KEPT_MS = 24 * 60 * 60 * 1000;
/** How often followers look for changes even without a notification (a lost LISTEN connection). */
const POLL_MS = 5_000;
const RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000] as const;

export const TEAM_STORE_DEFAULTS: RetentionLimits = {
  maxDeliveries: 100_000,
  maxBytes: 4 * 1024 * 1024 * 1024,
};

export interface PostgresStoreOptions {
  /** `write` (default) stores deliveries when the role may; `read` never writes, even if it may. */
  readonly access?: 'write' | 'read';
  /** Limits recorded in the store by this writer (like the local store's). */
  readonly maxDeliveries?: number;
  readonly maxBytes?: number;
  readonly onWillEvict?: (notice: EvictionNotice) => boolean | void | Promise<boolean | void>;
  /** Who replays from here, recorded on replay attempts. Default `user@host`. */
  readonly actor?: string;
}

interface Entry {
  summary: DeliverySummary;
  changeSeq: number;
  bytes: number;
}

type Waiter<T> = { resolve(value: T): void; reject(error: unknown): void };

type QueuedOp =
  | { kind: 'put'; record: DeliveryRecord; waiter: Waiter<DeliveryRecord> }
  | {
      kind: 'update';
      id: string;
      change: (record: DeliveryRecord) => DeliveryInput;
      waiter: Waiter<DeliveryRecord | undefined>;
    }
  | { kind: 'delete'; ids: readonly string[]; waiter: Waiter<void> }
  | { kind: 'clear'; waiter: Waiter<void> };

interface SummaryRow {
  id: string;
  seq: string;
  change_seq: string;
  duplicate_count: number;
  stored_bytes: string;
  summary: string;
}

interface RemovalRow {
  change_seq: string;
  ids: string[];
  cleared: boolean;
}

const SUMMARY_COLUMNS = 'id, seq, change_seq, duplicate_count, stored_bytes, summary';

export class PostgresDeliveryStore implements DeliveryStoreBackend {
  readonly kind = 'team' as const;
  readonly location: string;
  /** Who replays from here: recorded on replay attempts in the team store. */
  readonly actor: string;

  private readonly pool: Pool;
  private listener: Client | null = null;
  private currentMode: StoreMode = 'owner';
  private readOnlyWhy: string | null = null;
  private currentHealth: StoreHealth = { state: 'ok' };
  private limits: RetentionLimits = TEAM_STORE_DEFAULTS;
  private limitsSource: StoreRetention['source'] = 'default';
  private recordedLimits: RetentionLimits | null = null;

  private readonly entries = new Map<string, Entry>();
  private newestFirstCache: DeliverySummary[] | null = null;
  private totalBytes = 0;
  /** The highest change number this instance has read from the feed. */
  private watermark = 0;

  private queue: QueuedOp[] = [];
  private draining: Promise<void> | null = null;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private closed = false;
  private closePromise: Promise<void> | null = null;

  private readonly changeEmitter = new Emitter<StoreChangeEvent>();
  private readonly healthEmitter = new Emitter<StoreHealth>();
  private readonly modeEmitter = new Emitter<StoreMode>();
  readonly onDidChange: Event<StoreChangeEvent> = this.changeEmitter.event;
  readonly onDidChangeHealth: Event<StoreHealth> = this.healthEmitter.event;
  readonly onDidChangeMode: Event<StoreMode> = this.modeEmitter.event;

  private constructor(
    private readonly connectionString: string,
    private readonly options: PostgresStoreOptions,
  ) {
    this.location = describeConnection(connectionString);
    this.actor = options.actor ?? defaultActor();
    this.pool = createPool(connectionString);
    // An idle connection dropped by the server must not crash the process: the next query reconnects.
    this.pool.on('error', (error) => this.markUnreachable(error));
  }

  /**
   * Connects, applies pending schema migrations (a writer role), loads the list and starts
   * following the change feed. Rejects with a sentence naming the database (never the password)
   * when it cannot be reached or read.
   */
  static async open(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresDeliveryStore> {
    const store = new PostgresDeliveryStore(connectionString, options);
    try {
      await store.initialise();
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      throw new Error(`Could not open the ${store.location}: ${databaseErrorText(error)}.`, {
        cause: error,
      });
    }
    return store;
  }

  get mode(): StoreMode {
    return this.currentMode;
  }
  get lockHolder(): LockInfo | null {
    return null;
  }
  get readOnlyReason(): string | null {
    return this.readOnlyWhy;
  }
  get health(): StoreHealth {
    return this.currentHealth;
  }
  get recoveryReport(): RecoveryReport {
    return { clean: true, notes: [] };
  }
  get size(): number {
    return this.entries.size;
  }
  get liveBytes(): number {
    return this.totalBytes;
  }
  get retention(): StoreRetention {
    return { ...this.limits, source: this.limitsSource, recorded: this.recordedLimits };
  }

  summaries(): DeliverySummary[] {
    this.newestFirstCache ??= [...this.entries.values()]
      .map((entry) => entry.summary)
      .sort((a, b) => b.seq - a.seq);
    return [...this.newestFirstCache];
  }

  summary(id: string): DeliverySummary | undefined {
    return this.entries.get(id)?.summary;
  }

  evictionIfAdded(inputs: readonly DeliveryInput[]): EvictionPlan {
    let count = this.entries.size;
    let bytes = this.totalBytes;
    let added = 0;
    for (const input of inputs) {
      const size = Buffer.byteLength(JSON.stringify({ ...input, seq: 1 }));
      const stored = this.entries.get(input.id);
      if (stored) bytes += size - stored.bytes;
      else {
        count++;
        bytes += size;
        added++;
      }
    }
    const evicted: DeliverySummary[] = [];
    const within = (): boolean =>
      count <= 1 || (count <= this.limits.maxDeliveries && bytes <= this.limits.maxBytes);
    for (const summary of this.summaries().reverse()) {
      if (within()) break;
      evicted.push(summary);
      count--;
      bytes -= this.entries.get(summary.id)?.bytes ?? 0;
    }
    let addedEvicted = 0;
    while (!within() && addedEvicted < added) {
      addedEvicted++;
      count--;
    }
    return { limits: { ...this.limits }, evicted, addedEvicted };
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    const result = await this.pool.query<{ record: string; seq: string }>(
      'SELECT record, seq FROM hooklens_deliveries WHERE id = $1',
      [id],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : parseRecord(row.record, Number(row.seq));
  }

  put(input: DeliveryInput): Promise<DeliveryRecord> {
    const refusal = this.writeRefusal();
    if (refusal) return Promise.reject(refusal);
    if (typeof input !== 'object' || typeof input.id !== 'string' || input.id === '') {
      return Promise.reject(new TypeError('put() needs a record with a non-empty string id.'));
    }
    // The database assigns seq; 1 only satisfies the shape check.
    const record = {
      ...input,
      seq: this.entries.get(input.id)?.summary.seq ?? 1,
    } as DeliveryRecord;
    if (!isDeliveryRecord(record)) {
      return Promise.reject(
        new TypeError('put() needs a well-formed DeliveryRecord (v, id, headers, body, ...).'),
      );
    }
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'put', record, waiter: { resolve, reject } });
    });
  }

  update(
    id: string,
    change: (record: DeliveryRecord) => DeliveryInput,
  ): Promise<DeliveryRecord | undefined> {
    const refusal = this.writeRefusal();
    if (refusal) return Promise.reject(refusal);
    // Read and write in the committing transaction, under the write lock: no other receiver or
    // editor can slip an attempt in between, and updates share the group commit.
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'update', id, change, waiter: { resolve, reject } });
    });
  }

  delete(ids: readonly string[]): Promise<void> {
    const refusal = this.writeRefusal();
    if (refusal) return Promise.reject(refusal);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'delete', ids: unique, waiter: { resolve, reject } });
    });
  }

  clear(): Promise<void> {
    const refusal = this.writeRefusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'clear', waiter: { resolve, reject } });
    });
  }

  /** Reads what other receivers and editors committed since the last look. */
  refresh(): Promise<void> {
    return this.catchUp();
  }

  tryTakeOver(): Promise<boolean> {
    return Promise.resolve(this.currentMode === 'owner');
  }

  async whenIdle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutDown();
    return this.closePromise;
  }

  // ---- opening --------------------------------------------------------------------------------

  private async initialise(): Promise<void> {
    const schema = await schemaState(this.pool);
    const writable = this.options.access !== 'read' && (await this.mayWrite());
    if (schema.version < schema.known) {
      if (!writable) {
        throw new Error(
          schema.version === 0
            ? 'it has no HookLens tables yet, and this role may not create them: start a receiver with the writer role once (hooklens listen --database-env …)'
            : `its HookLens schema is version ${schema.version}; this HookLens needs ${schema.known}: start a receiver of this version with the writer role once`,
        );
      }
      await migrate(this.pool);
    }
    if (schema.version > schema.known) {
      this.enterReadOnly(
        `the team store was set up by a newer HookLens (schema version ${schema.version}; this one knows ${schema.known}); update HookLens to write to it`,
      );
    } else if (this.options.access === 'read') {
      this.enterReadOnly('it was opened to read');
    } else if (!writable) {
      this.enterReadOnly(
        'this database role may only read the team store (replays are sent but not recorded)',
      );
    }
    await this.loadEverything(new ChangeSet());
    await this.settleRetention();
    await this.startListening();
    this.pollTimer = setInterval(() => void this.catchUp().catch(() => undefined), POLL_MS);
    this.pollTimer.unref();
  }

  private async mayWrite(): Promise<boolean> {
    const result = await this.pool.query<{ may: boolean | null }>(
      `SELECT CASE WHEN to_regclass('hooklens_deliveries') IS NULL
                   THEN has_schema_privilege(current_schema(), 'CREATE')
                   ELSE has_table_privilege('hooklens_deliveries', 'INSERT, UPDATE, DELETE')
              END AS may`,
    );
    return result.rows[0]?.may === true;
  }

  private enterReadOnly(reason: string): void {
    this.readOnlyWhy = reason;
    this.currentMode = 'readonly';
  }

  /** Reads the whole list in one snapshot, newest first in pages, and the feed position with it. */
  private async loadEverything(changes: ChangeSet): Promise<void> {
    const { client, release } = await checkOut(this.pool);
    let failure: unknown;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const position = await client.query<{ position: string }>(
        `SELECT greatest(
           (SELECT coalesce(max(change_seq), 0) FROM hooklens_deliveries),
           (SELECT coalesce(max(change_seq), 0) FROM hooklens_removals)) AS position`,
      );
      const loaded = new Map<string, Entry>();
      let before: string | null = null;
      for (;;) {
        const page: { rows: SummaryRow[] } = await client.query<SummaryRow>(
          before === null
            ? `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries ORDER BY seq DESC LIMIT ${PAGE}`
            : `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries WHERE seq < $1 ORDER BY seq DESC LIMIT ${PAGE}`,
          before === null ? [] : [before],
        );
        for (const row of page.rows) {
          const entry = entryOf(row);
          if (entry) loaded.set(row.id, entry);
        }
        if (page.rows.length < PAGE) break;
        before = page.rows[page.rows.length - 1]?.seq ?? null;
      }
      await this.readRetention(client);
      await client.query('COMMIT');
      for (const [id, entry] of this.entries) {
        const next = loaded.get(id);
        if (!next) changes.markDeleted(id);
        else if (next.changeSeq !== entry.changeSeq) changes.markUpdated(id);
      }
      for (const id of loaded.keys()) if (!this.entries.has(id)) changes.markAdded(id);
      this.entries.clear();
      this.totalBytes = 0;
      for (const [id, entry] of loaded) {
        this.entries.set(id, entry);
        this.totalBytes += entry.bytes;
      }
      this.newestFirstCache = null;
      this.watermark = Number(position.rows[0]?.position ?? 0);
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      release(failure);
    }
  }

  private async readRetention(client: PoolClient | Pool): Promise<void> {
    const result = await client.query<{ value: string }>(
      "SELECT value FROM hooklens_settings WHERE name = 'retention'",
    );
    const recorded = parseLimits(result.rows[0]?.value);
    this.recordedLimits = recorded;
    if (this.limitsSource !== 'options') {
      this.limits = recorded ?? TEAM_STORE_DEFAULTS;
      this.limitsSource = recorded ? 'store' : 'default';
    }
  }

  /** A writer given limits records them; smaller ones that would remove deliveries ask first. */
  private async settleRetention(): Promise<void> {
    const { maxDeliveries, maxBytes } = this.options;
    if (this.currentMode !== 'owner' || (maxDeliveries === undefined && maxBytes === undefined)) {
      return;
    }
    const wanted: RetentionLimits = {
      maxDeliveries: maxDeliveries ?? this.limits.maxDeliveries,
      maxBytes: maxBytes ?? this.limits.maxBytes,
    };
    const doomed = this.victims(wanted);
    const first = doomed[0];
    const last = doomed.at(-1);
    if (first && last && this.options.onWillEvict) {
      const notice: EvictionNotice = {
        message:
          `The ${this.location} holds ${this.entries.size.toLocaleString('en-US')} deliveries; keeping at most ` +
          `${wanted.maxDeliveries.toLocaleString('en-US')} removes the ${doomed.length.toLocaleString('en-US')} oldest for good, for the whole team.`,
        count: doomed.length,
        bytes: doomed.reduce((sum, summary) => sum + (this.entries.get(summary.id)?.bytes ?? 0), 0),
        oldestReceivedAt: first.receivedAt,
        newestReceivedAt: last.receivedAt,
        held: { count: this.entries.size, bytes: this.totalBytes },
        limits: wanted,
        recorded: this.recordedLimits,
      };
      if ((await this.options.onWillEvict(notice)) === false) return;
    }
    this.limits = wanted;
    this.limitsSource = 'options';
    if (
      this.recordedLimits?.maxDeliveries !== wanted.maxDeliveries ||
      this.recordedLimits.maxBytes !== wanted.maxBytes
    ) {
      await this.pool.query(
        `INSERT INTO hooklens_settings (name, value) VALUES ('retention', $1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [JSON.stringify(wanted)],
      );
      this.recordedLimits = wanted;
    }
    if (doomed.length > 0) {
      await new Promise<void>((resolve, reject) => {
        this.enqueue({ kind: 'delete', ids: [], waiter: { resolve, reject } });
      });
    }
  }

  private victims(limits: RetentionLimits): DeliverySummary[] {
    let count = this.entries.size;
    let bytes = this.totalBytes;
    const out: DeliverySummary[] = [];
    for (const summary of this.summaries().reverse()) {
      if (count <= 1 || (count <= limits.maxDeliveries && bytes <= limits.maxBytes)) break;
      out.push(summary);
      count--;
      bytes -= this.entries.get(summary.id)?.bytes ?? 0;
    }
    return out;
  }

  // ---- following the change feed --------------------------------------------------------------

  private async startListening(): Promise<void> {
    if (this.closed) return;
    const client = createClient(this.connectionString);
    client.on('error', (error) => {
      this.markUnreachable(error);
      this.listenerLost(client);
    });
    client.on('end', () => this.listenerLost(client));
    client.on('notification', () => void this.catchUp().catch(() => undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
    this.reconnectAttempt = 0;
  }

  private listenerLost(client: Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    void client.end().catch(() => undefined);
    this.retryListening();
  }

  /** Reconnects the change feed with backoff, then reads what was missed meanwhile. */
  private retryListening(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = RECONNECT_MS[Math.min(this.reconnectAttempt++, RECONNECT_MS.length - 1)] ?? 5_000;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.startListening()
        .then(() => {
          this.markReachable();
          return this.catchUp();
        })
        .catch((error: unknown) => {
          this.markUnreachable(error);
          this.retryListening();
        });
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Reads changes newer than the watermark; one at a time, rerun when asked during one. */
  private catchUp(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        await this.readChanges();
      } while (this.catchUpAgain && !this.closed);
    })().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async readChanges(): Promise<void> {
    const changes = new ChangeSet();
    try {
      const pruned = await this.pool.query<{ value: string }>(
        "SELECT value FROM hooklens_settings WHERE name = 'removals_pruned_through'",
      );
      if (Number(pruned.rows[0]?.value ?? 0) > this.watermark) {
        await this.loadEverything(changes); // Fell behind the kept removals: read it all again.
      } else {
        const rows = await this.pool.query<SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries WHERE change_seq > $1 ORDER BY change_seq`,
          [this.watermark],
        );
        const removals = await this.pool.query<RemovalRow>(
          'SELECT change_seq, ids, cleared FROM hooklens_removals WHERE change_seq > $1 ORDER BY change_seq',
          [this.watermark],
        );
        this.applyFeed(rows.rows, removals.rows, changes);
      }
      await this.readRetention(this.pool);
      this.markReachable();
    } catch (error) {
      if (isConnectionError(error)) this.markUnreachable(error);
      throw error;
    } finally {
      this.emit(changes);
    }
  }

  /** Applies rows and removals in change order (a clear, then what came after it). */
  private applyFeed(rows: SummaryRow[], removals: RemovalRow[], changes: ChangeSet): void {
    let r = 0;
    for (const row of rows) {
      const at = Number(row.change_seq);
      while (r < removals.length && Number(removals[r]?.change_seq) < at) {
        this.applyRemoval(removals[r++] as RemovalRow, changes);
      }
      const entry = entryOf(row);
      if (!entry) continue;
      const known = this.entries.get(row.id);
      if (known && known.changeSeq >= entry.changeSeq) {
        this.watermark = Math.max(this.watermark, at);
        continue; // Our own commit, already applied.
      }
      this.setEntry(row.id, entry, changes);
      this.watermark = Math.max(this.watermark, at);
    }
    while (r < removals.length) this.applyRemoval(removals[r++] as RemovalRow, changes);
  }

  private applyRemoval(removal: RemovalRow, changes: ChangeSet): void {
    const at = Number(removal.change_seq);
    if (removal.cleared) {
      for (const [id, entry] of [...this.entries]) {
        if (entry.changeSeq < at) this.removeEntry(id, changes);
      }
      changes.markCleared();
    } else {
      for (const id of removal.ids) {
        const entry = this.entries.get(id);
        if (entry && entry.changeSeq < at) this.removeEntry(id, changes);
      }
    }
    this.watermark = Math.max(this.watermark, at);
  }

  private setEntry(id: string, entry: Entry, changes: ChangeSet): void {
    const previous = this.entries.get(id);
    if (previous) {
      this.totalBytes -= previous.bytes;
      changes.markUpdated(id);
    } else {
      changes.markAdded(id);
    }
    this.entries.set(id, entry);
    this.totalBytes += entry.bytes;
    this.newestFirstCache = null;
  }

  private removeEntry(id: string, changes: ChangeSet): void {
    const previous = this.entries.get(id);
    if (!previous) return;
    this.entries.delete(id);
    this.totalBytes -= previous.bytes;
    this.newestFirstCache = null;
    changes.markDeleted(id);
  }

  // ---- writing --------------------------------------------------------------------------------

  private writeRefusal(): StoreWriteError | null {
    if (this.closed) return new StoreWriteError(`The ${this.location} is closed.`, 'CLOSED');
    if (this.currentMode === 'readonly') {
      return new StoreWriteError(
        `The ${this.location} is read-only: ${this.readOnlyWhy ?? 'unknown reason'}.`,
        'READ_ONLY',
      );
    }
    return null;
  }

  private enqueue(op: QueuedOp): void {
    this.queue.push(op);
    this.startDrain();
  }

  private startDrain(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      this.startDrain(); // Ops queued between the loop's last look and here.
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
  }

  /** One transaction for the batch; every op resolves after COMMIT, or all reject. */
  private async commit(batch: QueuedOp[]): Promise<void> {
    const changes = new ChangeSet();
    const applied: Array<() => void> = [];
    const results = new Map<QueuedOp, unknown>();
    /** Ops that failed on their own (an update whose change threw) without failing the batch. */
    const failures = new Map<QueuedOp, unknown>();
    let checkedOut: CheckedOut | undefined;
    try {
      checkedOut = await checkOut(this.pool);
      const { client } = checkedOut;
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      let countDelta = 0;
      let bytesDelta = 0;
      const removed: string[] = [];
      let cleared: number | null = null;
      for (const op of batch) {
        switch (op.kind) {
          case 'put': {
            const outcome = await this.writeRecord(client, op.record);
            countDelta += outcome.added ? 1 : 0;
            bytesDelta += outcome.bytesDelta;
            applied.push(...outcome.apply);
            results.set(op, outcome.record);
            break;
          }
          case 'update': {
            const row = await client.query<{ record: string; seq: string }>(
              'SELECT record, seq FROM hooklens_deliveries WHERE id = $1',
              [op.id],
            );
            const current = row.rows[0] && parseRecord(row.rows[0].record, Number(row.rows[0].seq));
            if (!current) {
              results.set(op, undefined);
              break;
            }
            let next: DeliveryRecord;
            try {
              const changed = op.change(current);
              if (changed.id !== op.id)
                throw new TypeError('update() must not change the delivery id.');
              next = { ...changed, seq: current.seq };
              if (!isDeliveryRecord(next))
                throw new TypeError('update() produced a malformed record.');
            } catch (error) {
              failures.set(op, error);
              break;
            }
            const outcome = await this.writeRecord(client, next);
            bytesDelta += outcome.bytesDelta;
            applied.push(...outcome.apply);
            results.set(op, outcome.record);
            break;
          }
          case 'delete': {
            if (op.ids.length === 0) break;
            const gone = await this.removeRows(client, op.ids);
            countDelta -= gone.count;
            bytesDelta -= gone.bytes;
            removed.push(...gone.ids);
            applied.push(...gone.apply);
            break;
          }
          case 'clear': {
            await client.query('DELETE FROM hooklens_deliveries');
            await client.query('DELETE FROM hooklens_first_deliveries');
            await client.query('UPDATE hooklens_totals SET deliveries = 0, bytes = 0');
            cleared = await nextChange(client);
            await client.query(
              'INSERT INTO hooklens_removals (change_seq, ids, cleared) VALUES ($1, $2, true)',
              [cleared, []],
            );
            countDelta = 0;
            bytesDelta = 0;
            removed.length = 0;
            const at = cleared;
            applied.length = 0;
            applied.push(() =>
              this.applyRemoval({ change_seq: String(at), ids: [], cleared: true }, changes),
            );
            break;
          }
        }
      }
      if (countDelta !== 0 || bytesDelta !== 0) {
        await client.query(
          'UPDATE hooklens_totals SET deliveries = deliveries + $1, bytes = bytes + $2',
          [countDelta, bytesDelta],
        );
      }
      applied.push(...(await this.enforceRetention(client)));
      if (removed.length > 0) {
        const at = await nextChange(client);
        await client.query('INSERT INTO hooklens_removals (change_seq, ids) VALUES ($1, $2)', [
          at,
          removed,
        ]);
      }
      await client.query(`NOTIFY ${CHANNEL}`);
      await client.query('COMMIT');
      checkedOut.release();
      checkedOut = undefined;
      for (const apply of applied) apply();
      this.markReachable();
    } catch (error) {
      if (checkedOut) {
        await checkedOut.client.query('ROLLBACK').catch(() => undefined);
        checkedOut.release(error);
      }
      const failure = this.writeFailure(error);
      for (const op of batch) op.waiter.reject(failures.get(op) ?? failure);
      return;
    } finally {
      this.emit(changes);
    }
    for (const op of batch) {
      if (failures.has(op)) op.waiter.reject(failures.get(op));
      // Each waiter gets its own result; TypeScript cannot follow the union through the map.
      else (op.waiter as Waiter<unknown>).resolve(results.get(op));
    }
  }

  /** Inserts or replaces one record; for a new one the database decides whether it is a duplicate. */
  private async writeRecord(
    client: PoolClient,
    input: DeliveryRecord,
  ): Promise<{
    record: DeliveryRecord;
    added: boolean;
    bytesDelta: number;
    apply: Array<() => void>;
  }> {
    const known = await client.query<{
      seq: string;
      stored_bytes: string;
      duplicate_of: string | null;
      duplicate_count: number;
    }>(
      'SELECT seq, stored_bytes, duplicate_of, duplicate_count FROM hooklens_deliveries WHERE id = $1',
      [input.id],
    );
    const existing = known.rows[0];
    const apply: Array<() => void> = [];
    let duplicateOf = existing ? existing.duplicate_of : null;
    if (!existing && typeof input.dedupeKey === 'string') {
      const claim = await client.query(
        `INSERT INTO hooklens_first_deliveries (dedupe_key, delivery_id) VALUES ($1, $2)
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [clean(input.dedupeKey), input.id],
      );
      if (claim.rowCount === 0) {
        const first = await client.query<{ delivery_id: string }>(
          'SELECT delivery_id FROM hooklens_first_deliveries WHERE dedupe_key = $1',
          [clean(input.dedupeKey)],
        );
        duplicateOf = first.rows[0]?.delivery_id ?? null;
        if (duplicateOf !== null) {
          const bumped = await client.query<SummaryRow>(
            `UPDATE hooklens_deliveries SET duplicate_count = duplicate_count + 1,
               change_seq = nextval('hooklens_change_seq')
             WHERE id = $1 RETURNING ${SUMMARY_COLUMNS}`,
            [duplicateOf],
          );
          const row = bumped.rows[0];
          if (row) apply.push(() => this.applyOwnRow(row));
        }
      }
    }
    const changeSeq = await nextChange(client);
    const seq = existing ? Number(existing.seq) : await nextSeq(client);
    const record = { ...input, seq, duplicateOf } as DeliveryRecord;
    const recordText = JSON.stringify(record);
    const storedBytes = Buffer.byteLength(recordText);
    const duplicateCount = existing?.duplicate_count ?? 0;
    const summary = summaryOf(record, duplicateCount);
    const summaryText = JSON.stringify(summary);
    await client.query(
      `INSERT INTO hooklens_deliveries (id, seq, change_seq, received_at, sender, event, verdict,
         status, dedupe_key, duplicate_of, duplicate_count, body_size, stored_bytes, summary, record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (id) DO UPDATE SET change_seq = excluded.change_seq, status = excluded.status,
         verdict = excluded.verdict, event = excluded.event, body_size = excluded.body_size,
         stored_bytes = excluded.stored_bytes, summary = excluded.summary, record = excluded.record`,
      [
        record.id,
        seq,
        changeSeq,
        clean(record.receivedAt),
        clean(record.sender),
        record.event === null ? null : clean(record.event),
        clean(record.verification.verdict),
        summary.status,
        summary.dedupeKey === null ? null : clean(summary.dedupeKey),
        duplicateOf,
        duplicateCount,
        record.bodySize,
        storedBytes,
        summaryText,
        recordText,
      ],
    );
    apply.push(() =>
      this.applyOwnRow({
        id: record.id,
        seq: String(seq),
        change_seq: String(changeSeq),
        duplicate_count: duplicateCount,
        stored_bytes: String(storedBytes),
        summary: summaryText,
      }),
    );
    return {
      record,
      added: !existing,
      bytesDelta: storedBytes - Number(existing?.stored_bytes ?? 0),
      apply,
    };
  }

  /** Deletes rows, keeps the first-of-key table and the duplicates' counts right. */
  private async removeRows(
    client: PoolClient,
    ids: readonly string[],
  ): Promise<{ ids: string[]; count: number; bytes: number; apply: Array<() => void> }> {
    const gone = await client.query<{
      id: string;
      duplicate_of: string | null;
      stored_bytes: string;
    }>(
      'DELETE FROM hooklens_deliveries WHERE id = ANY($1) RETURNING id, duplicate_of, stored_bytes',
      [ids],
    );
    if (gone.rows.length === 0) return { ids: [], count: 0, bytes: 0, apply: [] };
    const goneIds = gone.rows.map((row) => row.id);
    await client.query('DELETE FROM hooklens_first_deliveries WHERE delivery_id = ANY($1)', [
      goneIds,
    ]);
    const counts = new Map<string, number>();
    for (const row of gone.rows) {
      if (row.duplicate_of !== null)
        counts.set(row.duplicate_of, (counts.get(row.duplicate_of) ?? 0) + 1);
    }
    const apply: Array<() => void> = [];
    for (const [first, n] of counts) {
      const fixed = await client.query<SummaryRow>(
        `UPDATE hooklens_deliveries SET duplicate_count = greatest(0, duplicate_count - $2),
           change_seq = nextval('hooklens_change_seq')
         WHERE id = $1 RETURNING ${SUMMARY_COLUMNS}`,
        [first, n],
      );
      const row = fixed.rows[0];
      if (row) apply.push(() => this.applyOwnRow(row));
    }
    const changes = new ChangeSet();
    apply.push(() => {
      for (const id of goneIds) this.removeEntry(id, changes);
      this.emit(changes);
    });
    return {
      ids: goneIds,
      count: gone.rows.length,
      bytes: gone.rows.reduce((sum, row) => sum + Number(row.stored_bytes), 0),
      apply,
    };
  }

  /** Removes the oldest deliveries beyond the limits, inside the committing transaction. */
  private async enforceRetention(client: PoolClient): Promise<Array<() => void>> {
    const totals = await client.query<{ deliveries: string; bytes: string }>(
      'SELECT deliveries, bytes FROM hooklens_totals',
    );
    let count = Number(totals.rows[0]?.deliveries ?? 0);
    let bytes = Number(totals.rows[0]?.bytes ?? 0);
    const { maxDeliveries, maxBytes } = this.limits;
    if (count <= 1 || (count <= maxDeliveries && bytes <= maxBytes)) return [];
    const doomed: string[] = [];
    let after: string | null = null;
    while (count > 1 && (count > maxDeliveries || bytes > maxBytes)) {
      const want = Math.max(1, Math.min(PAGE, count - maxDeliveries));
      const oldest: { rows: Array<{ id: string; seq: string; stored_bytes: string }> } =
        await client.query(
          `SELECT id, seq, stored_bytes FROM hooklens_deliveries
           ${after === null ? '' : 'WHERE seq > $1'} ORDER BY seq LIMIT ${want}`,
          after === null ? [] : [after],
        );
      if (oldest.rows.length === 0) break;
      for (const row of oldest.rows) {
        if (count <= 1 || (count <= maxDeliveries && bytes <= maxBytes)) break;
        doomed.push(row.id);
        count--;
        bytes -= Number(row.stored_bytes);
        after = row.seq;
      }
    }
    if (doomed.length === 0) return [];
    const gone = await this.removeRows(client, doomed);
    await client.query(
      'UPDATE hooklens_totals SET deliveries = deliveries - $1, bytes = bytes - $2',
      [gone.count, gone.bytes],
    );
    const at = await nextChange(client);
    await client.query('INSERT INTO hooklens_removals (change_seq, ids) VALUES ($1, $2)', [
      at,
      gone.ids,
    ]);
    await this.pruneRemovals(client);
    return gone.apply;
  }

  private async pruneRemovals(client: PoolClient): Promise<void> {
    const pruned = await client.query<{ through: string | null }>(
      `WITH old AS (DELETE FROM hooklens_removals
                    WHERE removed_at < now() - make_interval(secs => $1) RETURNING change_seq)
       SELECT max(change_seq) AS through FROM old`,
      [REMOVALS_KEPT_MS / 1000],
    );
    const through = pruned.rows[0]?.through;
    if (through !== null && through !== undefined) {
      await client.query(
        `INSERT INTO hooklens_settings (name, value) VALUES ('removals_pruned_through', $1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [through],
      );
    }
  }

  private applyOwnRow(row: SummaryRow): void {
    const entry = entryOf(row);
    if (!entry) return;
    const changes = new ChangeSet();
    const known = this.entries.get(row.id);
    if (known && known.changeSeq >= entry.changeSeq) return;
    this.setEntry(row.id, entry, changes);
    this.emit(changes);
  }

  private writeFailure(error: unknown): StoreWriteError {
    if (error instanceof StoreWriteError) return error;
    if (isConnectionError(error)) {
      this.markUnreachable(error);
      return new StoreWriteError(
        `The ${this.location} is unreachable (${databaseErrorText(error)}); the delivery was not stored. HookLens reconnects by itself.`,
        'UNREACHABLE',
        { cause: error },
      );
    }
    const code = (error as { code?: unknown }).code;
    if (code === '42501') {
      return new StoreWriteError(
        `This database role may not write to the ${this.location}; the delivery was not stored.`,
        'EACCES',
        { cause: error },
      );
    }
    return new StoreWriteError(
      `The ${this.location} refused the write: ${databaseErrorText(error)}.`,
      typeof code === 'string' ? `PG${code}` : 'EUNKNOWN',
      { cause: error },
    );
  }

  // ---- health and shutdown --------------------------------------------------------------------

  private markUnreachable(error: unknown): void {
    if (this.closed) return;
    if (this.currentHealth.state === 'failing' && this.currentHealth.code === 'UNREACHABLE') return;
    this.setHealth({
      state: 'failing',
      code: 'UNREACHABLE',
      message: `The team store is unreachable (${databaseErrorText(error)}): deliveries are refused with 503 until it is back; HookLens reconnects by itself.`,
      failingSince: new Date().toISOString(),
    });
  }

  private markReachable(): void {
    if (this.currentHealth.state !== 'ok') this.setHealth({ state: 'ok' });
  }

  private setHealth(next: StoreHealth): void {
    this.currentHealth = next;
    this.healthEmitter.fire(next);
  }

  private emit(changes: ChangeSet): void {
    if (!changes.isEmpty) this.changeEmitter.fire(changes.toEvent());
  }

  private async shutDown(): Promise<void> {
    await this.whenIdle().catch(() => undefined);
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.catchingUp?.catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    for (const op of this.queue.splice(0)) {
      op.waiter.reject(new StoreWriteError(`The ${this.location} is closed.`, 'CLOSED'));
    }
    this.changeEmitter.dispose();
    this.healthEmitter.dispose();
    this.modeEmitter.dispose();
  }
}

async function nextChange(client: PoolClient): Promise<number> {
  const result = await client.query<{ n: string }>("SELECT nextval('hooklens_change_seq') AS n");
  return Number(result.rows[0]?.n);
}

async function nextSeq(client: PoolClient): Promise<number> {
  const result = await client.query<{ n: string }>("SELECT nextval('hooklens_delivery_seq') AS n");
  return Number(result.rows[0]?.n);
}

/** A list row without the local store's disk location. */
function summaryOf(record: DeliveryRecord, duplicateCount: number): DeliverySummary {
  const summary: DeliverySummary & { location?: unknown } = {
    ...summarize(record, { segment: 0, offset: 0, length: 0 }, duplicateCount),
  };
  delete summary.location;
  return summary;
}

function entryOf(row: SummaryRow): Entry | undefined {
  try {
    const parsed = JSON.parse(row.summary) as DeliverySummary;
    return {
      summary: { ...parsed, seq: Number(row.seq), duplicateCount: row.duplicate_count },
      changeSeq: Number(row.change_seq),
      bytes: Number(row.stored_bytes),
    };
  } catch {
    return undefined; // A row written by hand that is not a summary: not listed.
  }
}

function parseRecord(text: string, seq: number): DeliveryRecord | undefined {
  try {
    const record = { ...(JSON.parse(text) as object), seq };
    return isDeliveryRecord(record) && record.v === STORE_FORMAT_VERSION ? record : undefined;
  } catch {
    return undefined;
  }
}

function parseLimits(text: string | undefined): RetentionLimits | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as Partial<RetentionLimits>;
    return typeof value.maxDeliveries === 'number' && typeof value.maxBytes === 'number'
      ? { maxDeliveries: value.maxDeliveries, maxBytes: value.maxBytes }
      : null;
  } catch {
    return null;
  }
}

/** PostgreSQL text cannot hold NUL; indexed columns get U+FFFD instead (the record keeps it). */
function clean(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function defaultActor(): string {
  let user = 'someone';
  try {
    user = userInfo().username;
  } catch {
    // No user entry (some containers): keep the placeholder.
  }
  return `${user}@${hostname()}`;
}
