// The team store: deliveries kept in PostgreSQL, shared by several receivers and followed from
// every developer's editor. Same contract as the local JSONL store (DeliveryStoreBackend):
// - a write resolves only after its transaction commits; writes queued while one commits share
//   the next transaction (group commit);
// - the list (summaries) is held in memory and kept current from a change feed: every commit
//   numbers its changes from one sequence and NOTIFYs; followers read what is newer than what they
//   have seen. Writers take one advisory lock per transaction, so changes commit in number order
//   and a follower never skips one;
// - the first delivery of a dedupe key is decided by a primary key, not by one process's memory.
import { randomBytes } from 'node:crypto';
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
/** How long a follower gathers other writers' notifications before reading their changes. */
const FOLLOW_COALESCE_MS = 50;
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
  /**
   * Resolve `open` once the newest this-many deliveries are listed, and list the older ones in
   * the background (onDidChange says when): the editor's tree shows its first page at once.
   */
  readonly firstPage?: number;
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
  /** Names this instance in its change notifications. */
  private readonly instanceId = randomBytes(8).toString('hex');
  private listener: Client | null = null;
  private currentMode: StoreMode = 'owner';
  private readOnlyWhy: string | null = null;
  private currentHealth: StoreHealth = { state: 'ok' };
  private limits: RetentionLimits = TEAM_STORE_DEFAULTS;
  private limitsSource: StoreRetention['source'] = 'default';
  private recordedLimits: RetentionLimits | null = null;

  private readonly entries = new Map<string, Entry>();
  private newestFirstCache: DeliverySummary[] | null = null;
  /** While the older pages load in the background (see `firstPage`): what the feed removed meanwhile ('*': a clear). */
  private removedWhileLoading: Map<string, number> | null = null;
  /** The background load of the older pages, when `firstPage` was given. */
  private rest: Promise<void> = Promise.resolve();
  private totalBytes = 0;
  /** The highest change number this instance has read from the feed. */
  private watermark = 0;

  private queue: QueuedOp[] = [];
  private draining: Promise<void> | null = null;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private catchUpTimer: NodeJS.Timeout | null = null;
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

  /** Resolves once the whole list is loaded (at once without `firstPage`). */
  whenListed(): Promise<void> {
    return this.rest;
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
            ? `it has no HookLens tables yet, and ${this.options.access === 'read' ? 'opening it to read creates nothing' : 'this role may not create them'}: start a receiver with the writer role once (hooklens listen --database-env …)`
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
    await this.loadEverything(new ChangeSet(), this.options.firstPage);
    await this.settleRetention();
    await this.startListening();
    this.pollTimer = setInterval(() => void this.catchUp().catch(() => undefined), POLL_MS);
    this.pollTimer.unref();
  }

  private async mayWrite(): Promise<boolean> {
    const result = await this.pool.query<{ may: boolean | null }>(
      `SELECT CASE WHEN to_regclass('hooklens_deliveries') IS NULL
                   THEN has_schema_privilege(current_schema(), 'CREATE')
                   ELSE has_table_privilege('hooklens_deliveries', 'INSERT')
                    AND has_table_privilege('hooklens_deliveries', 'UPDATE')
                    AND has_table_privilege('hooklens_deliveries', 'DELETE')
                    AND has_table_privilege('hooklens_first_deliveries', 'INSERT')
                    AND has_table_privilege('hooklens_removals', 'INSERT')
                    AND has_table_privilege('hooklens_totals', 'UPDATE')
                    AND has_sequence_privilege('hooklens_change_seq', 'USAGE')
              END AS may`,
    );
    return result.rows[0]?.may === true;
  }

  private enterReadOnly(reason: string): void {
    this.readOnlyWhy = reason;
    this.currentMode = 'readonly';
  }

  /**
   * Reads the whole list in one snapshot, newest first in pages, and the feed position with it.
   * With `firstPage`, resolves once that many newest are listed and reads the rest in the
   * background (same snapshot), announcing them with onDidChange.
   */
  private async loadEverything(changes: ChangeSet, firstPage?: number): Promise<void> {
    const { client, release } = await checkOut(this.pool);
    let failure: unknown;
    let handedOff = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const position = await client.query<{ position: string }>(
        `SELECT greatest(
           (SELECT coalesce(max(change_seq), 0) FROM hooklens_deliveries),
           (SELECT coalesce(max(change_seq), 0) FROM hooklens_removals)) AS position`,
      );
      await this.readRetention(client);
      const loaded = new Map<string, Entry>();
      const readPage = async (before: string | null, limit: number): Promise<string | null> => {
        const page: { rows: SummaryRow[] } = await client.query<SummaryRow>(
          before === null
            ? `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries ORDER BY seq DESC LIMIT ${limit}`
            : `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries WHERE seq < $1 ORDER BY seq DESC LIMIT ${limit}`,
          before === null ? [] : [before],
        );
        for (const row of page.rows) {
          const entry = entryOf(row);
          if (entry) loaded.set(row.id, entry);
        }
        return page.rows.length < limit ? null : (page.rows[page.rows.length - 1]?.seq ?? null);
      };
      let before = await readPage(null, firstPage ?? PAGE);
      if (firstPage === undefined) {
        while (before !== null) before = await readPage(before, PAGE);
        await client.query('COMMIT');
      }
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
      if (firstPage !== undefined) {
        if (before === null) {
          await client.query('COMMIT');
        } else {
          handedOff = true;
          this.removedWhileLoading = new Map();
          this.rest = this.loadRest(client, release, before, readPage, loaded);
        }
      }
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!handedOff) release(failure);
    }
  }

  /** The older pages after the first, in the first page's snapshot; merged as they were then. */
  private async loadRest(
    client: PoolClient,
    release: (failure?: unknown) => void,
    from: string,
    readPage: (before: string | null, limit: number) => Promise<string | null>,
    loaded: Map<string, Entry>,
  ): Promise<void> {
    let failure: unknown;
    const firstIds = new Set(loaded.keys());
    try {
      let before: string | null = from;
      while (before !== null && !this.closed) before = await readPage(before, PAGE);
      await client.query('COMMIT');
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      release(failure);
    }
    const removed = this.removedWhileLoading ?? new Map<string, number>();
    this.removedWhileLoading = null;
    if (failure !== undefined || this.closed) {
      // The rest could not be read: read everything again on the next look at the feed.
      if (!this.closed) this.watermark = 0;
      return;
    }
    const changes = new ChangeSet();
    for (const [id, entry] of loaded) {
      if (firstIds.has(id)) continue;
      // Changed or removed since the snapshot: the feed already said what it is now.
      if ((removed.get(id) ?? -1) > entry.changeSeq || (removed.get('*') ?? -1) > entry.changeSeq) {
        continue;
      }
      if ((this.entries.get(id)?.changeSeq ?? -1) >= entry.changeSeq) continue;
      this.setEntry(id, entry, changes);
    }
    this.emit(changes);
  }

  private async readRetention(client: PoolClient | Pool): Promise<void> {
    const result = await client.query<{ value: string }>(
      "SELECT value FROM hooklens_settings WHERE name = 'retention'",
    );
    this.applyRetentionSetting(result.rows[0]?.value);
  }

  private applyRetentionSetting(value: string | undefined): void {
    const recorded = parseLimits(value);
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
    client.on('notification', (message) => this.onNotification(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined); // Closed while it connected.
      return;
    }
    this.listener = client;
    this.reconnectAttempt = 0;
  }

  /**
   * A commit's changes are `(from, to]` of the change sequence. Our own, right after what we
   * have read, need no query: their rows are already applied. Anything else is read.
   */
  private onNotification(payload: string | undefined): void {
    const [writer, from, to] = (payload ?? '').split(':');
    if (writer === this.instanceId && Number(from) <= this.watermark && !this.catchingUp) {
      this.watermark = Math.max(this.watermark, Number(to));
      return;
    }
    // Others commit many times a second under load: one read per short while covers them all.
    this.catchUpTimer ??= setTimeout(() => {
      this.catchUpTimer = null;
      void this.catchUp().catch(() => undefined);
    }, FOLLOW_COALESCE_MS);
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
          // A failed read is retried by the poll; it must not start a second listener.
          void this.catchUp().catch(() => undefined);
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
      // One snapshot: writers commit in change order, so it holds every change up to some
      // number and none after; reads in separate snapshots could skip one.
      const { client, release } = await checkOut(this.pool);
      let failure: unknown;
      let fellBehind = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const settings = await client.query<{ name: string; value: string }>(
          'SELECT name, value FROM hooklens_settings',
        );
        const pruned = settings.rows.find((row) => row.name === 'removals_pruned_through');
        this.applyRetentionSetting(settings.rows.find((row) => row.name === 'retention')?.value);
        fellBehind = Number(pruned?.value ?? 0) > this.watermark;
        if (!fellBehind) {
          // Which rows changed, then the list rows of only those this instance has not applied
          // (its own commits are applied already: most of a receiver's feed).
          const changed = await client.query<{ id: string; change_seq: string }>(
            'SELECT id, change_seq FROM hooklens_deliveries WHERE change_seq > $1',
            [this.watermark],
          );
          const needed = changed.rows
            .filter((row) => (this.entries.get(row.id)?.changeSeq ?? 0) < Number(row.change_seq))
            .map((row) => row.id);
          const rows =
            needed.length === 0
              ? []
              : (
                  await client.query<SummaryRow>(
                    `SELECT ${SUMMARY_COLUMNS} FROM hooklens_deliveries WHERE id = ANY($1)`,
                    [needed],
                  )
                ).rows;
          const removals = await client.query<RemovalRow>(
            'SELECT change_seq, ids, cleared FROM hooklens_removals WHERE change_seq > $1 ORDER BY change_seq',
            [this.watermark],
          );
          await client.query('COMMIT');
          const highest = changed.rows.reduce(
            (max, row) => Math.max(max, Number(row.change_seq)),
            0,
          );
          rows.sort((a, b) => Number(a.change_seq) - Number(b.change_seq));
          this.applyFeed(rows, removals.rows, changes);
          this.watermark = Math.max(this.watermark, highest);
        } else {
          await client.query('COMMIT');
        }
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        release(failure);
      }
      // Fell behind the kept removals: read it all again.
      if (fellBehind) await this.loadEverything(changes);
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
    if (this.removedWhileLoading) {
      for (const id of removal.cleared ? ['*'] : removal.ids) this.removedWhileLoading.set(id, at);
    }
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
    if (this.closed || this.closePromise !== null) {
      return new StoreWriteError(`The ${this.location} is closed.`, 'CLOSED');
    }
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
      // Under the lock no other writer takes change numbers: ours follow this one.
      const start = await client.query<{ at: string }>(
        'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS at FROM hooklens_change_seq',
      );
      const changesFrom = start.rows[0]?.at ?? '0';
      let countDelta = 0;
      let bytesDelta = 0;
      let cleared: number | null = null;
      // New deliveries (what receivers mostly write) go in together: one statement per step.
      const fresh = batch.filter(
        (op): op is Extract<QueuedOp, { kind: 'put' }> =>
          op.kind === 'put' && !this.entries.has(op.record.id),
      );
      const freshIds = new Set(fresh.map((op) => op.record.id));
      // A clear or delete in the batch acts only on what was queued before it: then op by op.
      const clears = batch.some((op) => op.kind === 'clear' || op.kind === 'delete');
      if (fresh.length > 0 && freshIds.size === fresh.length && !clears) {
        const outcome = await this.writeFreshRecords(
          client,
          fresh.map((op) => op.record),
        );
        countDelta += outcome.added;
        bytesDelta += outcome.bytesDelta;
        applied.push(...outcome.apply);
        fresh.forEach((op, index) => results.set(op, outcome.records[index]));
      }
      for (const op of batch) {
        if (results.has(op)) continue;
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
            applied.push(...gone.apply);
            if (gone.ids.length > 0) {
              // Numbered here, so a put of the same id later in the batch comes after it.
              const at = await nextChange(client);
              await client.query(
                'INSERT INTO hooklens_removals (change_seq, ids) VALUES ($1, $2)',
                [at, gone.ids],
              );
            }
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
            const at = cleared;
            applied.length = 0;
            applied.push(() =>
              this.applyRemoval({ change_seq: String(at), ids: [], cleared: true }, changes),
            );
            break;
          }
        }
      }
      const totals = await client.query<{ deliveries: string; bytes: string }>(
        'UPDATE hooklens_totals SET deliveries = deliveries + $1, bytes = bytes + $2 RETURNING deliveries, bytes',
        [countDelta, bytesDelta],
      );
      applied.push(...(await this.enforceRetention(client, totals.rows[0])));
      const end = await client.query<{ at: string }>(
        'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS at FROM hooklens_change_seq',
      );
      await client.query('SELECT pg_notify($1, $2)', [
        CHANNEL,
        `${this.instanceId}:${changesFrom}:${end.rows[0]?.at ?? changesFrom}`,
      ]);
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

  /**
   * Inserts deliveries this instance has not seen, in a few statements whatever their number:
   * claim the dedupe keys (the primary key decides which delivery is first), count the
   * duplicates on their firsts, insert the rows.
   */
  private async writeFreshRecords(
    client: PoolClient,
    inputs: readonly DeliveryRecord[],
  ): Promise<{
    records: DeliveryRecord[];
    added: number;
    bytesDelta: number;
    apply: Array<() => void>;
  }> {
    const apply: Array<() => void> = [];
    const duplicateOf = new Map<string, string>();
    const keyed = inputs.filter((input) => typeof input.dedupeKey === 'string');
    if (keyed.length > 0) {
      const keys = keyed.map((input) => clean(input.dedupeKey as string));
      const claimed = await client.query<{ delivery_id: string }>(
        `INSERT INTO hooklens_first_deliveries (dedupe_key, delivery_id)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING delivery_id`,
        [keys, keyed.map((input) => input.id)],
      );
      const firsts = new Set(claimed.rows.map((row) => row.delivery_id));
      const others = keyed.filter((input) => !firsts.has(input.id));
      if (others.length > 0) {
        const found = await client.query<{ dedupe_key: string; delivery_id: string }>(
          'SELECT dedupe_key, delivery_id FROM hooklens_first_deliveries WHERE dedupe_key = ANY($1)',
          [others.map((input) => clean(input.dedupeKey as string))],
        );
        const firstOf = new Map(found.rows.map((row) => [row.dedupe_key, row.delivery_id]));
        for (const input of others) {
          const first = firstOf.get(clean(input.dedupeKey as string));
          if (first !== undefined && first !== input.id) duplicateOf.set(input.id, first);
        }
      }
    }
    const prepared = inputs.map((input) => {
      // seq is the database's: 0 here, the column is what counts when the row is read.
      const record = { ...input, seq: 0, duplicateOf: duplicateOf.get(input.id) ?? null };
      const recordText = JSON.stringify(record);
      const summary = summaryOf(record, 0);
      return { record, recordText, summary, summaryText: JSON.stringify(summary) };
    });
    const inserted = await client.query<{
      id: string;
      seq: string;
      change_seq: string;
      stored_bytes: string;
      inserted: boolean;
    }>(
      `INSERT INTO hooklens_deliveries (id, seq, change_seq, received_at, sender, event, verdict,
         status, dedupe_key, duplicate_of, duplicate_count, body_size, stored_bytes, summary, record)
       SELECT t.id, nextval('hooklens_delivery_seq'), nextval('hooklens_change_seq'), t.received_at,
         t.sender, t.event, t.verdict, t.status, t.dedupe_key, t.duplicate_of, 0, t.body_size,
         octet_length(t.record), t.summary, t.record
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
         $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[])
         AS t(id, received_at, sender, event, verdict, status, dedupe_key, duplicate_of, body_size,
              summary, record)
       ON CONFLICT (id) DO UPDATE SET change_seq = excluded.change_seq, status = excluded.status,
         verdict = excluded.verdict, event = excluded.event, body_size = excluded.body_size,
         stored_bytes = excluded.stored_bytes, summary = excluded.summary, record = excluded.record
       RETURNING id, seq, change_seq, stored_bytes, (xmax = 0) AS inserted`,
      [
        prepared.map((p) => p.record.id),
        prepared.map((p) => clean(p.record.receivedAt)),
        prepared.map((p) => clean(p.record.sender)),
        prepared.map((p) => (p.record.event === null ? null : clean(p.record.event))),
        prepared.map((p) => clean(p.record.verification.verdict)),
        prepared.map((p) => p.summary.status),
        prepared.map((p) => (p.summary.dedupeKey === null ? null : clean(p.summary.dedupeKey))),
        prepared.map((p) => p.record.duplicateOf),
        prepared.map((p) => p.record.bodySize),
        prepared.map((p) => p.summaryText),
        prepared.map((p) => p.recordText),
      ],
    );
    const byId = new Map(inserted.rows.map((row) => [row.id, row]));
    // Counted after the insert: a first stored in this same batch is there to count on.
    const counts = new Map<string, number>();
    for (const [id, first] of duplicateOf) {
      if (byId.get(id)?.inserted === true) counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    if (counts.size > 0) {
      const bumped = await client.query<SummaryRow>(
        `UPDATE hooklens_deliveries d SET duplicate_count = d.duplicate_count + c.n,
           change_seq = nextval('hooklens_change_seq')
         FROM unnest($1::text[], $2::int[]) AS c(id, n) WHERE d.id = c.id
         RETURNING ${SUMMARY_COLUMNS.replace(/(\w+)/g, 'd.$1')}`,
        [[...counts.keys()], [...counts.values()]],
      );
      for (const row of bumped.rows) apply.push(() => this.applyOwnRow(row));
    }
    let bytesDelta = 0;
    let added = 0;
    const records = prepared.map((p) => {
      const row = byId.get(p.record.id);
      const seq = Number(row?.seq ?? 0);
      if (row?.inserted === true) {
        added++;
        bytesDelta += Number(row.stored_bytes);
      }
      if (row) {
        apply.push(() =>
          this.applyOwnRow({
            id: row.id,
            seq: row.seq,
            change_seq: row.change_seq,
            duplicate_count: 0,
            stored_bytes: row.stored_bytes,
            summary: p.summaryText,
          }),
        );
      }
      return { ...p.record, seq };
    });
    if (inserted.rows.some((row) => !row.inserted)) {
      // Another process stored one of these ids meanwhile (an import run twice): count afresh.
      await client.query(
        `UPDATE hooklens_totals SET deliveries = (SELECT count(*) FROM hooklens_deliveries),
           bytes = (SELECT coalesce(sum(stored_bytes), 0) FROM hooklens_deliveries)`,
      );
      return { records, added: 0, bytesDelta: 0, apply };
    }
    return { records, added, bytesDelta, apply };
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
  private async enforceRetention(
    client: PoolClient,
    totals: { deliveries: string; bytes: string } | undefined,
  ): Promise<Array<() => void>> {
    let count = Number(totals?.deliveries ?? 0);
    let bytes = Number(totals?.bytes ?? 0);
    const { maxDeliveries, maxBytes } = this.limits;
    if (count <= 1 || (count <= maxDeliveries && bytes <= maxBytes)) return [];
    const doomed: string[] = [];
    let after: string | null = null;
    while (count > 1 && (count > maxDeliveries || bytes > maxBytes)) {
      // Over on count: that many. Over on bytes: as many as the average size says, so lowering
      // the byte limit evicts in pages rather than a statement per delivery.
      const overBytes = bytes > maxBytes ? Math.ceil((bytes - maxBytes) / (bytes / count)) : 0;
      const want = Math.max(1, Math.min(PAGE, Math.max(count - maxDeliveries, overBytes)));
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
        `The ${this.location} is unreachable (${databaseErrorText(error)}); the delivery was not acknowledged (if its commit reached the database before the connection broke, the sender's retry shows as a duplicate). HookLens reconnects by itself.`,
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
    await this.rest;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
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
