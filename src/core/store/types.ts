// Public shapes of the delivery store. Plain data; no Node or editor types.
import type { DeliveryRecord, RouteChoice, SenderKind } from '../delivery';
import type { StoreFileSystem } from './fileSystem';

/** Where a delivery's current line sits on disk. `segment` is the number in `00000007.jsonl`. */
export interface RecordLocation {
  readonly segment: number;
  readonly offset: number;
  /** Bytes of the line including its newline. */
  readonly length: number;
}

/** What the tree and lists need for one delivery, without its body or headers. */
export interface DeliverySummary {
  readonly id: string;
  readonly seq: number;
  readonly receivedAt: string;
  readonly method: string;
  readonly url: string;
  readonly sender: SenderKind;
  readonly event: string | null;
  readonly sessionId: string | null;
  /** An open string: a newer HookLens may write verdicts this one does not know. */
  readonly verdict: string;
  readonly verdictReason: string;
  /** The latest attempt's status when there are attempts (null if it failed), else the response's. */
  readonly status: number | null;
  /** Same rule as `status`. */
  readonly timeMs: number | null;
  readonly attemptCount: number;
  /** Attempts that were replays (the developer's retries); forwards are not counted. */
  readonly replayCount: number;
  /**
   * The latest attempt of kind `forward` (live forwarding and its retries), null when the delivery
   * was never forwarded. The store always sets it; it is optional only so summaries written by
   * hand before it existed still type-check: read `summary.forward ?? null`.
   */
  readonly forward?: ForwardSummary | null;
  /** The latest replay, null when never replayed (optional like `forward`). */
  readonly replay?: ForwardSummary | null;
  /**
   * What the sender was answered (the handler's answer when forwarding): replays never change it.
   * Optional like `forward`; absent in hand-written summaries.
   */
  readonly senderStatus?: number | null;
  /** One line on what the delivery says, stored at capture; absent for older records. */
  readonly headline?: string;
  /** The route it took or the answer chosen for it; absent when none applied (and before routes). */
  readonly route?: RouteChoice;
  readonly duplicateOf: string | null;
  readonly dedupeKey: string | null;
  /** How many stored deliveries name this one in `duplicateOf`. */
  readonly duplicateCount: number;
  readonly bodySize: number;
}

/** A summary in the local store's index: where the delivery's current line sits on disk. */
export interface IndexedSummary extends DeliverySummary {
  readonly location: RecordLocation;
}

/** How the developer's handler took a forwarded delivery, from the latest forward attempt. */
export interface ForwardSummary {
  /** The handler's status; null when no answer came (refused, timed out, reset). */
  readonly status: number | null;
  /** Null when the attempt has no time (it failed before one could be measured). */
  readonly timeMs: number | null;
  /** True for a 2xx answer: the handler took the delivery. */
  readonly ok: boolean;
  /** When the attempt was made (ISO 8601); absent in summaries from before it was kept. */
  readonly at?: string;
  /** The URL it was sent to; absent in summaries from before it was kept. */
  readonly target?: string;
}

/** A record to store. `seq` belongs to the store: it is assigned (new id) or kept (known id). */
export type DeliveryInput = Omit<DeliveryRecord, 'seq'> & { readonly seq?: number };

/** How soon a write must reach the disk. */
export interface WriteOptions {
  /**
   * Nobody waits on this write to answer anyone (a forward's attempt record, issue 15): it does
   * not start a commit of its own but joins the next one, at most a few tens of ms later. Its
   * promise still settles only once it is durable. Default false: commit at once.
   */
  readonly eventual?: boolean;
}

export interface StoreOptions {
  /**
   * `write` (default): become the owner when the lock is free, else a viewer. `read`: only read.
   * A store opened to read never changes on disk: no lock file, no repair or quarantine, no
   * retention, no checkpoint, not even a folder created. Its mode is `readonly`.
   */
  readonly access?: 'write' | 'read';
  /** Start a new segment file before one would grow past this. Default 16 MiB. */
  readonly segmentMaxBytes?: number;
  /**
   * Keep at most this many deliveries; the oldest (lowest seq) drop first. Retention is a
   * property of the store: limits given here are recorded in it when this instance becomes the
   * owner, and an owner that gives none keeps to the recorded ones (else 10,000), never removing
   * at open what is already stored. See `onWillEvict` for limits smaller than what is stored.
   */
  readonly maxDeliveries?: number;
  /** Keep at most this many bytes of live lines; the oldest drop first. Default 512 MiB. Recorded like `maxDeliveries`. */
  readonly maxBytes?: number;
  /**
   * Called when this instance becomes the owner with limits (given above) that would remove
   * stored deliveries, before anything is removed: show `notice.message`. Return `false` to keep
   * them all this time (the limits then are not recorded and nothing is removed at open).
   */
  readonly onWillEvict?: (notice: EvictionNotice) => boolean | void | Promise<boolean | void>;
  /** How often the owner rewrites `store.lock`. Default 5,000 ms. */
  readonly heartbeatMs?: number;
  /** A lock whose heartbeat is older than this may be taken over. Default 15,000 ms. */
  readonly staleAfterMs?: number;
  /** File-system calls; tests inject faults here. Default: node:fs/promises. */
  readonly fileSystem?: StoreFileSystem;
  /** Wall clock for the lock heartbeat only (ordering never uses it). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * `owner`: this instance holds `store.lock` and writes.
 * `viewer`: another live HookLens window owns the store; reads work, writes reject.
 * `readonly`: the store holds lines from a newer HookLens format; reads work, writes reject.
 */
export type StoreMode = 'owner' | 'viewer' | 'readonly';

export type StoreHealth =
  | { readonly state: 'ok' }
  | {
      readonly state: 'failing';
      readonly code: string;
      /** A sentence for the status bar, e.g. "The disk is full: ...". */
      readonly message: string;
      readonly failingSince: string;
    };

/** Fired after a batch commits (or a viewer refresh finds changes). Ids, not records. */
export interface StoreChangeEvent {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  /** True when a `clear` committed; `deleted` then lists every id that was stored. */
  readonly cleared: boolean;
}

export interface RecoveryNote {
  readonly kind: 'torn-tail' | 'damaged-line' | 'newer-version' | 'stale-lock' | 'leftover-file';
  readonly message: string;
  readonly segment?: string;
  readonly offset?: number;
  readonly length?: number;
  /** File name under `quarantine/` holding the damaged bytes, when they were kept. */
  readonly quarantinedAs?: string;
}

/** What opening (or taking over) the store found and repaired. Empty `notes` = clean. */
export interface RecoveryReport {
  readonly clean: boolean;
  readonly notes: readonly RecoveryNote[];
}

/** The lock file's content. */
export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  /** Random per store instance: two stores in one process share a pid but not this. */
  readonly ownerId: string;
}

/** How many deliveries and live-line bytes a store keeps at most. */
export interface RetentionLimits {
  readonly maxDeliveries: number;
  readonly maxBytes: number;
}

/** The limits in force, and where they come from. */
export interface StoreRetention extends RetentionLimits {
  /**
   * `options`: this instance's opener set them (recorded in the store while it owns it).
   * `store`: recorded in the store by the owner that set them.
   * `default`: nothing recorded, the defaults (10,000 deliveries, 512 MiB).
   * An owner that set none never removes at open what is already stored: its limits are then at
   * least what the store held when it opened.
   */
  readonly source: 'options' | 'store' | 'default';
  /** What is recorded in the store (null: nothing yet). */
  readonly recorded: RetentionLimits | null;
}

/** Passed to `StoreOptions.onWillEvict` before an owner's smaller limits remove deliveries. */
export interface EvictionNotice {
  /** A sentence for the user, e.g. "…keeping at most 10,000 removes the 2,000 oldest…". */
  readonly message: string;
  /** Deliveries that would be removed, and their live bytes. */
  readonly count: number;
  readonly bytes: number;
  /** Oldest first. */
  readonly oldestReceivedAt: string;
  readonly newestReceivedAt: string;
  /** What the store holds now. */
  readonly held: { readonly count: number; readonly bytes: number };
  /** The new limits. */
  readonly limits: RetentionLimits;
  /** The limits recorded in the store before (null: none were). */
  readonly recorded: RetentionLimits | null;
}

/** What adding deliveries would remove under the store's limits (`evictionIfAdded`). */
export interface EvictionPlan {
  readonly limits: RetentionLimits;
  /** Stored deliveries that would be removed, oldest first. */
  readonly evicted: readonly DeliverySummary[];
  /** Of the added deliveries, how many would be removed again at once (more than the limit). */
  readonly addedEvicted: number;
}
