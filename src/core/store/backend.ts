// What every delivery store offers, whichever engine keeps the deliveries: the local JSONL folder
// (`DeliveryStore`) or the team store on PostgreSQL (`PostgresDeliveryStore`). The capture
// session, the CLI, the agent tools and the editor depend on this, never on an engine.
import type { DeliveryRecord } from '../delivery';
import type { Event } from './emitter';
import type {
  DeliveryInput,
  DeliverySummary,
  EvictionPlan,
  LockInfo,
  RecoveryReport,
  StoreChangeEvent,
  StoreHealth,
  StoreMode,
  StoreRetention,
  WriteOptions,
} from './types';

/** `local`: a folder on this machine. `team`: a PostgreSQL database shared by a team. */
export type StoreKind = 'local' | 'team';

export interface DeliveryStoreBackend {
  readonly kind: StoreKind;
  /** Where the deliveries are, for messages: a folder, or `team database NAME on HOST`. Never a password. */
  readonly location: string;
  /** Who writes from here (user@host), recorded on replay attempts in a shared store; absent locally. */
  readonly actor?: string;
  readonly mode: StoreMode;
  /** Who owns a local store while this instance is a viewer (null for the team store). */
  readonly lockHolder: LockInfo | null;
  /** Why writes are refused in `readonly` mode. */
  readonly readOnlyReason: string | null;
  readonly health: StoreHealth;
  readonly recoveryReport: RecoveryReport;
  readonly size: number;
  readonly liveBytes: number;
  readonly retention: StoreRetention;
  evictionIfAdded(inputs: readonly DeliveryInput[]): EvictionPlan;
  /** Newest first. A new array each call. */
  summaries(): DeliverySummary[];
  summary(id: string): DeliverySummary | undefined;
  get(id: string): Promise<DeliveryRecord | undefined>;
  /** Resolves with the record as stored once it is durable. */
  put(input: DeliveryInput, options?: WriteOptions): Promise<DeliveryRecord>;
  /** Read, change, store; updates of one id run one after another. */
  update(
    id: string,
    change: (record: DeliveryRecord) => DeliveryInput,
    options?: WriteOptions,
  ): Promise<DeliveryRecord | undefined>;
  delete(ids: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  /** Reads what other processes wrote since the last look and fires `onDidChange`. */
  refresh(): Promise<void>;
  /** Local viewer: becomes the owner when the owning process is gone. */
  tryTakeOver(): Promise<boolean>;
  close(): Promise<void>;
  whenIdle(): Promise<void>;
  readonly onDidChange: Event<StoreChangeEvent>;
  readonly onDidChangeHealth: Event<StoreHealth>;
  readonly onDidChangeMode: Event<StoreMode>;
}
