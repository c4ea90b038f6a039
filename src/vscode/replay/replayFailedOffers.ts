import * as vscode from 'vscode';
import { replayFailedOffer, type ReplayFailedOffer } from '../../core/forward/replayFailed';
import type { DeliverySummary } from '../../core/store/types';
import { DisposableOwner } from '../dispose';

/** Reading every summary is linear: under a burst of deliveries, at most once this often. */
const RECHECK_MS = 1000;

/**
 * Whether the handler is back with deliveries it missed (core/forward/replayFailed.ts), kept
 * current as the store changes, for the Deliveries view's message, the Replay Failed title
 * action (context key hooklens.canReplayFailed) and the command itself.
 */
export class ReplayFailedOffers extends DisposableOwner {
  private offer: ReplayFailedOffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastCheck = 0;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** When the offer appears, goes, or its count changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly summaries: () => Iterable<DeliverySummary>,
    private readonly isRetrying: (id: string) => boolean = () => false,
  ) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
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
    const next = replayFailedOffer(this.summaries(), { isRetrying: this.isRetrying });
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
