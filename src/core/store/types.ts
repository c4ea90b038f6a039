// Public shapes of the delivery store. Plain data; no Node or editor types.
import type { DeliveryRecord, SenderKind } from '../delivery';
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
  readonly duplicateOf: string | null;
  readonly dedupeKey: string | null;
  /** How many stored deliveries name this one in `duplicateOf`. */
  readonly duplicateCount: number;
  readonly bodySize: number;
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
}

/** A record to store. `seq` belongs to the store: it is assigned (new id) or kept (known id). */
export type DeliveryInput = Omit<DeliveryRecord, 'seq'> & { readonly seq?: number };

export interface StoreOptions {
  /** Start a new segment file before one would grow past this. Default 16 MiB. */
  readonly segmentMaxBytes?: number;
  /** Keep at most this many deliveries; the oldest (lowest seq) drop first. Default 10,000. */
  readonly maxDeliveries?: number;
  /** Keep at most this many bytes of live lines; the oldest drop first. Default 512 MiB. */
  readonly maxBytes?: number;
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
