// What the agent tools need from their host: the store, the configured secrets and targets, and
// what the user allowed. `hooklens mcp` builds one from its options; the extension from its
// running receiver, secret storage and settings.
import type { SigningSettings } from '../forward/replay';
import type { Route } from '../routes/routeRules';
import type { DeliveryStoreBackend } from '../store/backend';

export interface Permission {
  readonly allowed: boolean;
  /** When not allowed: one sentence on how the user turns it on ("restart with --allow-replay"). */
  readonly howToAllow?: string;
}

export interface AgentContext {
  /**
   * The delivery store, with what the receiver wrote up to now (a read-only store refreshes
   * first). Throws AgentToolError('unavailable') when there is none.
   */
  store(): Promise<DeliveryStoreBackend>;
  /** The configured secrets and verification settings, for fresh signatures and test events. */
  signing(): Promise<SigningSettings>;
  /** Values that must never appear in a result: every configured secret and verify token. */
  secretValues(): Promise<readonly string[]>;
  /** The forward target the user configured, when there is one: replays go there by default. */
  forwardTarget(): URL | undefined;
  /** Other URLs the user configured as replay targets (non-loopback ones are allowed only so). */
  configuredTargets(): readonly URL[];
  /**
   * The routes the user configured (hooklens.routes; hooklens mcp --route/--routes), in order: a
   * replay goes where its route sends it, or to a route named by the agent. None when absent.
   */
  routes?(): readonly Route[];
  /** The running receiver's base URL, for test events; undefined when it does not run. */
  receiverUrl(): Promise<string | undefined>;
  /**
   * For a host that reads a read-only store (hooklens mcp): a store a replay's attempt can be
   * recorded on, held only for that replay (`release` after); or why it cannot be recorded ("the
   * store is owned by a running receiver"). Absent: replays are recorded on `store()`.
   */
  storeForRecording?(): Promise<RecordingStore>;
  /** Sending traffic: replay_delivery and send_test_event. */
  readonly send: Permission;
  /** Writing files (generate_handler): the folder the user approved, when allowed. */
  readonly write: Permission & { readonly folder?: string };
  /** The generic sender's event pointer (a setting), for generation. */
  readonly genericEventPointer?: string;
  /** Default time to wait for a handler's answer. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export type RecordingStore =
  | { readonly store: DeliveryStoreBackend; readonly release: () => Promise<void> }
  | { readonly notRecorded: string };
