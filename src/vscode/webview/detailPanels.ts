import * as vscode from 'vscode';
import { buildDeliveryDetail } from '../../core/detail/deliveryDetail';
import type { DeliveryRecord } from '../../core/delivery';
import type { DeliverySummary } from '../../core/store/types';
import type {
  DetailAction,
  HostToWebview,
  SimulationAction,
  SimulationView,
  WebviewToHost,
} from '../../shared/protocol';
import { toSingleLine } from '../../shared/visibleText';
import type { CommandId } from '../commandIds';
import { DisposableOwner } from '../dispose';
import { DetailPanel } from './detailPanel';
import { displayLocale } from '../../core/displayLocale';

/** What the panels need from the receiver: summaries for titles, full records for content. */
export interface DeliveryLoader {
  summary(id: string): DeliverySummary | undefined;
  get(id: string): Promise<DeliveryRecord | undefined>;
}

/** The command each panel button runs, always with the id the panel shows. */
const ACTION_COMMANDS: Record<DetailAction, CommandId> = {
  replay: 'hooklens.replay',
  replayFresh: 'hooklens.replayWithFreshToken',
  replayTo: 'hooklens.replayTo',
  editAndReplay: 'hooklens.editAndReplay',
  copyAsCurl: 'hooklens.copyAsCurl',
  copyBody: 'hooklens.copyBody',
  copyId: 'hooklens.copyId',
  openBody: 'hooklens.openBody',
  pin: 'hooklens.pinDelivery',
  compare: 'hooklens.compare',
  setSecret: 'hooklens.setSecret',
};

/** The command the panel's failure-simulation toggle runs: the same as the palette's. */
const SIMULATION_COMMANDS: Record<SimulationAction, readonly [CommandId, ...unknown[]]> = {
  failNext3: ['hooklens.simulateFailures', 'next-3'],
  stop: ['hooklens.stopFailureSimulation'],
};

interface Shown {
  readonly panel: DetailPanel;
  deliveryId: string | undefined;
  readonly pinned: boolean;
  /** Bumped per refresh so a slow read never overwrites a newer one. */
  generation: number;
  /** The delivery whose content the panel shows now (kept when a later read fails). */
  showing?: string;
}

/**
 * The detail panels: one that follows the selection in the tree, plus any number pinned to one
 * delivery each. Each updates live when its delivery changes (a new attempt, a late response).
 */
export class DetailPanels extends DisposableOwner {
  private follower: Shown | undefined;
  private readonly pinned = new Map<string, Shown>();
  private simulation: SimulationView | null = null;
  /** Set when HookLens switched stores (local and team): why a panel's delivery is not there. */
  private switchedTo: string | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deliveries: DeliveryLoader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
  }

  /** The following panel shows `id` (created if needed). */
  show(id: string, reveal = true): void {
    this.follower ??= this.open(false);
    this.follower.deliveryId = id;
    void this.refresh(this.follower);
    if (reveal) this.follower.panel.reveal();
  }

  /** When the tree selection moves, an open following panel moves with it (never opens one). */
  follow(id: string): void {
    if (this.follower && this.follower.deliveryId !== id) {
      this.follower.deliveryId = id;
      void this.refresh(this.follower);
    }
  }

  /** Opens `id` in a panel of its own that stays on it. */
  pin(id: string): void {
    const existing = this.pinned.get(id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const shown = this.open(true);
    shown.deliveryId = id;
    this.pinned.set(id, shown);
    void this.refresh(shown);
    shown.panel.reveal();
  }

  /** A panel VS Code restored after a reload: the first becomes the follower, others pinned. */
  revive(webviewPanel: vscode.WebviewPanel, deliveryId: string | undefined): void {
    const asFollower = this.follower === undefined;
    const shown = this.open(!asFollower, webviewPanel);
    shown.deliveryId = deliveryId;
    if (asFollower) this.follower = shown;
    else if (deliveryId !== undefined) this.pinned.set(deliveryId, shown);
    void this.refresh(shown);
  }

  /**
   * HookLens now shows another store (`where`, e.g. "the team database hooklens on db:5432"):
   * every panel reads its delivery again, and one that is not there says so.
   */
  storeSwitched(where: string): void {
    this.switchedTo = where;
    for (const shown of this.all()) if (shown.deliveryId !== undefined) void this.refresh(shown);
  }

  /** After a store change: refresh the panels whose delivery changed or went away. */
  refreshChanged(ids: ReadonlySet<string> | 'all'): void {
    // A delivery gone from now on was deleted, not left in the store shown before.
    if (ids !== 'all') this.switchedTo = undefined;
    for (const shown of this.all()) {
      if (shown.deliveryId !== undefined && (ids === 'all' || ids.has(shown.deliveryId))) {
        void this.refresh(shown);
      }
    }
  }

  /** Failure simulation turned on, off or counting down: every panel's toggle follows. */
  setSimulation(state: SimulationView | null): void {
    this.simulation = state;
    for (const shown of this.all()) shown.panel.post({ type: 'simulation/state', state });
  }

  /** The delivery the active panel shows, for commands run from the panel's context. */
  get activeDeliveryId(): string | undefined {
    return this.all().find((shown) => shown.panel.active)?.deliveryId;
  }

  private all(): Shown[] {
    return [...(this.follower ? [this.follower] : []), ...this.pinned.values()];
  }

  private open(pinned: boolean, restored?: vscode.WebviewPanel): Shown {
    // Messages need the Shown record, which needs the panel: the handler reads it once it exists.
    const ref: { shown?: Shown } = {};
    const onMessage = (message: WebviewToHost): void => {
      if (ref.shown) this.onMessage(ref.shown, message);
    };
    const panel = restored
      ? DetailPanel.revive(restored, this.extensionUri, onMessage)
      : DetailPanel.create(this.extensionUri, vscode.l10n.t('HookLens Delivery'), onMessage);
    const created: Shown = { panel, deliveryId: undefined, pinned, generation: 0 };
    ref.shown = created;
    this.register(panel);
    panel.post({
      type: 'delivery/none',
      message: vscode.l10n.t('Select a delivery in the Deliveries view.'),
    });
    panel.post({ type: 'simulation/state', state: this.simulation });
    panel.onDidDispose(() => {
      if (this.follower === created) this.follower = undefined;
      for (const [id, candidate] of this.pinned) if (candidate === created) this.pinned.delete(id);
    });
    return created;
  }

  private async refresh(shown: Shown): Promise<void> {
    const id = shown.deliveryId;
    if (id === undefined) return;
    const generation = ++shown.generation;
    let message: HostToWebview;
    try {
      const summary = this.deliveries.summary(id);
      const record = summary ? await this.deliveries.get(id) : undefined;
      message =
        summary && record
          ? {
              type: 'delivery/show',
              detail: buildDeliveryDetail(record, {
                duplicateCount: summary.duplicateCount,
                pinned: shown.pinned,
              }),
            }
          : {
              type: 'delivery/none',
              message:
                this.switchedTo !== undefined
                  ? vscode.l10n.t(
                      'This delivery is not in {0}, which HookLens shows now. Select another in the Deliveries view.',
                      this.switchedTo,
                    )
                  : shown.pinned
                    ? vscode.l10n.t(
                        'This delivery was deleted. Close this panel, or open another delivery.',
                      )
                    : vscode.l10n.t(
                        'This delivery was deleted. Select another in the Deliveries view.',
                      ),
            };
      if (summary) shown.panel.title = panelTitle(summary, shown.pinned);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`The delivery ${id} could not be shown: ${reason}`);
      // The team store unreachable for a moment: what the panel shows stays (it comes back by itself).
      if (shown.showing === id) return;
      message = {
        type: 'delivery/none',
        message: vscode.l10n.t('This delivery could not be read: {0}', reason),
      };
    }
    if (generation !== shown.generation) return;
    shown.showing = message.type === 'delivery/show' ? id : undefined;
    shown.panel.post(message);
  }

  private onMessage(shown: Shown, message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'copy':
        void vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Copied'), 3000);
        return;
      case 'openDelivery':
        if (this.deliveries.summary(message.deliveryId)) this.show(message.deliveryId);
        return;
      case 'action':
        // A button acts on the delivery this panel shows, never on an id the page made up (W-03).
        if (message.deliveryId !== shown.deliveryId) return;
        void vscode.commands.executeCommand(ACTION_COMMANDS[message.action], message.deliveryId);
        return;
      case 'simulation': {
        const [command, ...args] = SIMULATION_COMMANDS[message.action];
        void vscode.commands.executeCommand(command, ...args);
        return;
      }
    }
  }
}

function panelTitle(summary: DeliverySummary, pinned: boolean): string {
  const event = toSingleLine(summary.event ?? 'Delivery', 40);
  const time = new Date(summary.receivedAt).toLocaleTimeString(displayLocale());
  // No emoji: without an emoji font it renders as an empty box.
  return pinned ? vscode.l10n.t('Pinned: {0} · {1}', event, time) : `${event} · ${time}`;
}
