import * as vscode from 'vscode';
import {
  formatHealthWindow,
  HEALTH_WINDOWS,
  HealthTracker,
  type HealthRow,
  type HealthSnapshot,
  type HealthStats,
  type HealthWindow,
} from '../../core/health/healthTracker';
import { sparkline } from '../../core/health/sparkline';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import { presentVerdict } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import { DisposableOwner } from '../dispose';

export const HEALTH_VIEW_ID = 'hooklens.health';
const WINDOW_STATE_KEY = 'hooklens.healthWindow';
/** The window slides even when nothing arrives; redraw this often while the view is visible. */
const TICK_MS = 15_000;
/** Bursts of deliveries redraw the view at most this often. */
const DEBOUNCE_MS = 500;

type HealthNode =
  | {
      readonly kind: 'summary';
      readonly label: string;
      readonly description: string;
      readonly tooltip: string;
      readonly icon: string;
    }
  | {
      readonly kind: 'section';
      readonly id: string;
      readonly label: string;
      readonly description: string;
      readonly icon: string;
      readonly children: HealthNode[];
    }
  | {
      readonly kind: 'row';
      readonly id: string;
      readonly label: string;
      readonly description: string;
      readonly tooltip: string;
      readonly icon?: string;
    };

/**
 * The Health view (journey 10, the seed's "performance analysis"): deliveries per minute, verdicts,
 * forward success, and p50/p95/max per event and per endpoint over a window the user picks. The
 * figures come from a HealthTracker fed by store change events, never by rescanning the store.
 */
export class HealthView extends DisposableOwner implements vscode.TreeDataProvider<HealthNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<HealthNode>;
  private tracker: HealthTracker | undefined;
  private window: HealthWindow;
  private snapshot: HealthSnapshot | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;

  constructor(private readonly memento: vscode.Memento) {
    super();
    const saved = memento.get<number | 'all'>(WINDOW_STATE_KEY);
    this.window = HEALTH_WINDOWS.some((option) => option.window === saved)
      ? (saved as HealthWindow)
      : 15 * 60_000;
    this.view = this.register(
      vscode.window.createTreeView(HEALTH_VIEW_ID, {
        treeDataProvider: this,
        showCollapseAll: true,
      }),
    );
    this.register(
      this.view.onDidChangeVisibility(() => {
        this.updateTicking();
        if (this.view.visible) this.redraw();
      }),
    );
    this.register({ dispose: () => this.stopTimers() });
    this.updateDescription();
  }

  /** Starts following a store (once it is open). */
  attach(store: DeliveryStoreBackend): void {
    this.tracker?.dispose();
    this.tracker = HealthTracker.fromStore(store);
    this.register(this.tracker);
    this.register(this.tracker.onDidUpdate(() => this.scheduleRedraw()));
    this.redraw();
    this.updateTicking();
  }

  async pickWindow(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      HEALTH_WINDOWS.map((option) => ({
        label:
          option.window === 'all' ? 'All stored deliveries' : `Last ${windowWords(option.window)}`,
        description: option.window === this.window ? 'current' : undefined,
        window: option.window,
      })),
      { title: 'HookLens: Health Window' },
    );
    if (!picked) return;
    this.window = picked.window;
    await this.memento.update(WINDOW_STATE_KEY, picked.window);
    this.updateDescription();
    this.redraw();
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${HEALTH_VIEW_ID}.focus`);
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    if (node.kind === 'section') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `health:${node.id}`;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    // Plain strings: keys are payload text and must never become markdown (W-04).
    item.tooltip = node.tooltip;
    if (node.kind === 'row') item.id = `health:${node.id}`;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  getChildren(node?: HealthNode): HealthNode[] {
    if (node) return node.kind === 'section' ? node.children : [];
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.total === 0) return [];
    return healthNodes(snapshot);
  }

  private redraw(): void {
    if (!this.tracker) return;
    this.snapshot = this.tracker.snapshot(this.window);
    this.view.message =
      this.snapshot.total === 0
        ? this.window === 'all'
          ? 'No deliveries are stored yet.'
          : `No deliveries in the last ${windowWords(this.window)}.`
        : undefined;
    this.changed.fire();
  }

  private scheduleRedraw(): void {
    if (this.debounce || !this.view.visible) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.redraw();
    }, DEBOUNCE_MS);
  }

  private updateTicking(): void {
    if (this.view.visible && this.tracker && !this.tick) {
      this.tick = setInterval(() => this.redraw(), TICK_MS);
    } else if (!this.view.visible && this.tick) {
      clearInterval(this.tick);
      this.tick = undefined;
    }
  }

  private stopTimers(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.tick) clearInterval(this.tick);
    this.debounce = undefined;
    this.tick = undefined;
  }

  private updateDescription(): void {
    this.view.description =
      this.window === 'all' ? 'all stored' : `last ${formatHealthWindow(this.window)}`;
  }
}

/** The tree for one snapshot: a pure function, so what the view shows is easy to reason about. */
export function healthNodes(snapshot: HealthSnapshot): HealthNode[] {
  const nodes: HealthNode[] = [
    {
      kind: 'summary',
      label: `${snapshot.total} ${snapshot.total === 1 ? 'delivery' : 'deliveries'}`,
      description: `${rate(snapshot.perMinute.rate)}/min  ${sparkline(snapshot.perMinute.series.slice(-30))}`,
      tooltip: `Deliveries per minute over the window; the line shows the last ${snapshot.perMinute.series.length} minutes.`,
      icon: 'pulse',
    },
    {
      kind: 'summary',
      label: 'Time taken',
      description: statsText(snapshot.overall),
      tooltip:
        'Nearest-rank percentiles of the time to answer the sender (the handler’s, when forwarding), and the share not answered 2xx.',
      icon: 'watch',
    },
  ];
  const forwards = snapshot.forwards;
  if (forwards.attempted > 0) {
    nodes.push({
      kind: 'summary',
      label: 'Forwards',
      description: `${forwards.succeeded} of ${forwards.attempted} answered 2xx (${percent(forwards.successRate)})`,
      tooltip:
        'Each forwarded delivery counts once, by its latest forward (a retry that succeeded counts as a success).',
      icon: forwards.failed > 0 ? 'warning' : 'check',
    });
  }
  const verdictRows: HealthNode[] = Object.entries(snapshot.verdicts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => ({
      kind: 'row',
      id: `verdict:${verdict}`,
      label: presentVerdict(verdict).label,
      description: String(count),
      tooltip: `${count} deliveries with the verdict ${verdict}`,
      icon: presentVerdict(verdict).icon,
    }));
  nodes.push({
    kind: 'section',
    id: 'verdicts',
    label: 'Verification',
    description:
      snapshot.failedVerifications > 0 ? `${snapshot.failedVerifications} failed` : 'all passed',
    icon: snapshot.failedVerifications > 0 ? 'shield' : 'verified',
    children: verdictRows,
  });
  nodes.push(section('events', 'By event', 'symbol-event', snapshot.byEvent, '(no event)'));
  nodes.push(section('endpoints', 'By endpoint', 'globe', snapshot.byEndpoint, '(no endpoint)'));
  if (snapshot.byRoute.length > 0) {
    nodes.push(section('routes', 'By route', 'git-merge', snapshot.byRoute, '(no route)'));
  }
  return nodes;
}

function section(
  id: string,
  label: string,
  icon: string,
  rows: readonly HealthRow[],
  noneLabel: string,
): HealthNode {
  return {
    kind: 'section',
    id,
    label,
    description: `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`,
    icon,
    children: rows.map((row, index) => {
      const name =
        row.kind === 'key'
          ? toSingleLine(row.key ?? '', 80)
          : row.kind === 'none'
            ? noneLabel
            : `${row.keyCount} others`;
      return {
        kind: 'row',
        id: `${id}:${index}:${name}`,
        label: name,
        description: statsText(row),
        tooltip: `${name}\n${row.count} deliveries · p50 ${ms(row.p50)} · p95 ${ms(row.p95)} · max ${ms(row.max)} · ${percent(row.errorRate)} not 2xx`,
      };
    }),
  };
}

function statsText(stats: HealthStats): string {
  return `${stats.count} · p50 ${ms(stats.p50)} · p95 ${ms(stats.p95)} · max ${ms(stats.max)} · ${percent(stats.errorRate)} err`;
}

function ms(value: number | null): string {
  if (value === null) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value * 10) / 10} ms`;
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

function rate(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function windowWords(window: number): string {
  const minutes = window / 60_000;
  if (minutes < 60) return `${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? 'hour' : `${hours} hours`;
}
