import * as vscode from 'vscode';
import { replayFailedOffer, type ReplayFailedOffer } from '../../core/forward/replayFailed';
import type { DeliverySummary } from '../../core/store/types';
import { DisposableOwner } from '../dispose';

/** Reading every summary is linear: under a burst of deliveries, at most once this often. */
const RECHECK_MS = 1000;
/** Where dismissals are kept (the workspace's state): id → the failure time dismissed. */
const DISMISSED_KEY = 'hooklens.replayFailed.dismissed';
/** Dismissals remembered, newest kept: far more than a store's offer ever holds. */
const MAX_DISMISSED = 2_000;

/**
 * Whether the handler is back with deliveries it missed (core/forward/replayFailed.ts), kept
 * current as the store changes, for the Deliveries view's message, the Replay Failed title
 * action (context key hooklens.canReplayFailed) and the command itself.
 */
export class ReplayFailedOffers extends DisposableOwner {
  private offer: ReplayFailedOffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastCheck = 0;
  private readonly dismissed: Map<string, number>;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** When the offer appears, goes, or its count changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly summaries: () => Iterable<DeliverySummary>,
    private readonly isRetrying: (id: string) => boolean = () => false,
    private readonly memory?: vscode.Memento,
  ) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.dismissed = new Map(dismissalsIn(memory?.get<unknown>(DISMISSED_KEY)));
  }

  /**
   * The user has seen the offer and does not want it: hide it until a delivery fails again (a
   * new one, or one of these after a replay). Kept in the workspace state, so a reload does
   * not bring it back.
   */
  async dismiss(): Promise<void> {
    // What the message showed, not a fresh check: a delivery that failed since (the message is
    // redrawn at most once a second) was never seen, so it must not be hidden unseen.
    const offer = this.offer;
    if (offer === undefined) return;
    for (const [id, failedAt] of offer.failedAt) {
      this.dismissed.delete(id); // Re-inserted: the Map's order is oldest dismissal first.
      this.dismissed.set(id, failedAt);
    }
    for (const id of this.dismissed.keys()) {
      if (this.dismissed.size <= MAX_DISMISSED) break;
      this.dismissed.delete(id);
    }
    this.check();
    await this.memory?.update(DISMISSED_KEY, [...this.dismissed]);
  }

  get current(): ReplayFailedOffer | undefined {
    return this.offer;
  }

  /** The deliveries to replay now, read afresh (the command does not wait for the next check). */
  now(): ReplayFailedOffer | undefined {
    this.check();
    return this.offer;
  }

  /** After the store changed: check again, at once or when RECHECK_MS has passed since the last. */
  schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastCheck + RECHECK_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, wait);
  }

  private check(): void {
    this.lastCheck = Date.now();
    const next = replayFailedOffer(this.summaries(), {
      isRetrying: this.isRetrying,
      dismissedAt: (id) => this.dismissed.get(id),
    });
    const same =
      next?.ids.length === this.offer?.ids.length &&
      next?.ids.every((id, index) => this.offer?.ids[index] === id) !== false;
    this.offer = next;
    if (!same) {
      void vscode.commands.executeCommand(
        'setContext',
        'hooklens.canReplayFailed',
        next !== undefined,
      );
      this.changed.fire();
    }
  }
}

/** The remembered dismissals, ignoring anything malformed a workspace state may hold. */
function dismissalsIn(value: unknown): Array<[string, number]> {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is [string, number] =>
      Array.isArray(entry) &&
      entry.length === 2 &&
      typeof entry[0] === 'string' &&
      typeof entry[1] === 'number' &&
      Number.isFinite(entry[1]),
  );
}
