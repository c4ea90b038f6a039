import * as vscode from 'vscode';
import {
  EMPTY_FILTER,
  endpointOf,
  groupDeliveries,
  isEmptyFilter,
  matchesFilter,
  type DeliveryFilter,
  type GroupBy,
} from '../../core/deliveries/deliveryView';
import { retryCount } from '../../core/export/exportRecord';
import type { DeliverySummary } from '../../core/store/types';
import { presentVerdict, type VerdictSeverity } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import { DisposableOwner } from '../dispose';

export type DeliveryTreeNode =
  | {
      readonly kind: 'group';
      readonly key: string;
      readonly label: string;
      readonly deliveries: readonly DeliverySummary[];
    }
  | { readonly kind: 'delivery'; readonly id: string }
  | { readonly kind: 'more'; readonly parentKey: string; readonly hidden: number };

export interface DeliverySource {
  readonly deliveries: readonly DeliverySummary[];
  summary(id: string): DeliverySummary | undefined;
}

/** Rows shown per level before a "show more" row: keeps the view fast with 100,000 deliveries. */
export const PAGE_SIZE = 200;
/** A burst of deliveries refreshes the view at most this often (W-07: at most 4 times a second). */
const REFRESH_DEBOUNCE_MS = 250;
const ROOT_KEY = '';

const SEVERITY_COLOR: Record<VerdictSeverity, string> = {
  ok: 'testing.iconPassed',
  warning: 'list.warningForeground',
  error: 'testing.iconFailed',
};

function verdictStyle(verdict: string): { icon: string; color: string; label: string } {
  const presentation = presentVerdict(verdict);
  return {
    icon: presentation.icon,
    color: SEVERITY_COLOR[presentation.severity],
    label: presentation.label.toLowerCase(),
  };
}

/**
 * The "Deliveries" view over the store's summaries (the store stays the single source of truth).
 * While it has no children VS Code shows the manifest's welcome content (Start Receiver, Set Secret).
 */
export class DeliveriesTree
  extends DisposableOwner
  implements vscode.TreeDataProvider<DeliveryTreeNode>
{
  private readonly changed = this.register(new vscode.EventEmitter<DeliveryTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<DeliveryTreeNode>;
  private filter: DeliveryFilter = EMPTY_FILTER;
  private visible: readonly DeliverySummary[] = [];
  private readonly shown = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private unseen = 0;
  private note: string | undefined;
  private refreshes = 0;

  constructor(
    private readonly source: DeliverySource,
    private groupBy: GroupBy,
  ) {
    super();
    this.view = this.register(
      vscode.window.createTreeView('hooklens.deliveries', {
        treeDataProvider: this,
        canSelectMany: true,
        showCollapseAll: true,
      }),
    );
    this.register(
      this.view.onDidChangeVisibility((event) => {
        if (event.visible) this.markSeen();
      }),
    );
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
    this.recompute();
  }

  get currentFilter(): DeliveryFilter {
    return this.filter;
  }

  get currentGroupBy(): GroupBy {
    return this.groupBy;
  }

  /** How many times the view was told to refresh (the extension-host benchmark checks <= 4/s). */
  get refreshCount(): number {
    return this.refreshes;
  }

  setFilter(filter: DeliveryFilter): void {
    this.filter = filter;
    this.shown.clear();
    this.refreshNow();
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    this.shown.clear();
    this.refreshNow();
  }

  /** A short line above the tree (viewer mode, store problems); cleared with undefined. */
  setNote(note: string | undefined): void {
    this.note = note;
    this.updateMessage();
  }

  /** Coalesces bursts: at most one refresh per debounce interval. */
  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshNow();
    }, REFRESH_DEBOUNCE_MS);
  }

  noteArrival(): void {
    if (this.view.visible) return;
    this.unseen++;
    this.view.badge = {
      value: this.unseen,
      tooltip: `${this.unseen} new ${this.unseen === 1 ? 'delivery' : 'deliveries'}`,
    };
  }

  showMore(node: DeliveryTreeNode): void {
    if (node.kind !== 'more') return;
    this.shown.set(node.parentKey, (this.shown.get(node.parentKey) ?? PAGE_SIZE) + PAGE_SIZE);
    this.refreshNow();
  }

  getTreeItem(node: DeliveryTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(
          toSingleLine(node.label, 80),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `group:${node.key}`;
        item.description = `${node.deliveries.length}`;
        item.tooltip = `${groupTitle(this.groupBy)} ${toSingleLine(node.label, 200)}: ${node.deliveries.length} ${node.deliveries.length === 1 ? 'delivery' : 'deliveries'}`;
        item.iconPath = new vscode.ThemeIcon(
          this.groupBy === 'session'
            ? 'comment-discussion'
            : this.groupBy === 'event'
              ? 'symbol-event'
              : 'link',
        );
        item.contextValue = 'group';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(
          `Show ${Math.min(PAGE_SIZE, node.hidden)} more (${node.hidden} not shown)`,
        );
        item.id = `more:${node.parentKey}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'hooklens.showMore', title: 'Show More', arguments: [node] };
        item.contextValue = 'more';
        return item;
      }
      case 'delivery':
        return this.deliveryItem(node.id);
    }
  }

  getChildren(node?: DeliveryTreeNode): DeliveryTreeNode[] {
    if (node === undefined) {
      if (this.groupBy === 'none') return this.page(ROOT_KEY, this.visible);
      const groups = groupDeliveries(this.visible, this.groupBy);
      const nodes: DeliveryTreeNode[] = groups
        .slice(0, this.shown.get(ROOT_KEY) ?? PAGE_SIZE)
        .map((group) => ({
          kind: 'group',
          key: group.key,
          label: group.label,
          deliveries: group.deliveries,
        }));
      const hidden = groups.length - nodes.length;
      return hidden > 0 ? [...nodes, { kind: 'more', parentKey: ROOT_KEY, hidden }] : nodes;
    }
    return node.kind === 'group' ? this.page(node.key, node.deliveries) : [];
  }

  getParent(): undefined {
    return undefined;
  }

  private page(key: string, deliveries: readonly DeliverySummary[]): DeliveryTreeNode[] {
    const limit = this.shown.get(key) ?? PAGE_SIZE;
    const nodes: DeliveryTreeNode[] = deliveries
      .slice(0, limit)
      .map((summary) => ({ kind: 'delivery', id: summary.id }));
    const hidden = deliveries.length - nodes.length;
    return hidden > 0 ? [...nodes, { kind: 'more', parentKey: key, hidden }] : nodes;
  }

  private deliveryItem(id: string): vscode.TreeItem {
    const summary = this.source.summary(id);
    if (!summary) return new vscode.TreeItem('(deleted)');
    // Payload-derived text is plain text everywhere: labels, descriptions and a string tooltip
    // (never a trusted MarkdownString, so command links cannot run: W-04).
    const label =
      summary.event === null ? `${summary.method} ${endpointOf(summary.url)}` : summary.event;
    const item = new vscode.TreeItem(toSingleLine(label, 80), vscode.TreeItemCollapsibleState.None);
    item.id = `delivery:${summary.id}`;
    const verdict = verdictStyle(summary.verdict);
    const retries = retryCount(summary);
    item.description = [
      summary.status ?? '—',
      summary.timeMs === null ? undefined : `${formatMs(summary.timeMs)}`,
      retries > 0 ? `↻${retries}` : undefined,
      summary.duplicateOf ? 'retry' : undefined,
      new Date(summary.receivedAt).toLocaleTimeString(),
    ]
      .filter((part) => part !== undefined)
      .join(' · ');
    const failedStatus = summary.status !== null && summary.status >= 400;
    item.iconPath = new vscode.ThemeIcon(
      verdict.icon,
      new vscode.ThemeColor(
        failedStatus && summary.verdict === 'verified' ? 'testing.iconFailed' : verdict.color,
      ),
    );
    item.tooltip = [
      `Webhook ID: ${summary.id}`,
      `Session ID: ${toSingleLine(summary.sessionId ?? '—', 200)}`,
      `Event: ${toSingleLine(summary.event ?? '—', 200)}`,
      `Endpoint: ${toSingleLine(`${summary.method} ${summary.url}`, 200)}`,
      `HTTP Status: ${summary.status ?? '—'}`,
      `Time Taken: ${summary.timeMs === null ? '—' : formatMs(summary.timeMs)}`,
      `Retry Count: ${retries}`,
      `Created Date: ${new Date(summary.receivedAt).toLocaleString()}`,
      `Verification: ${verdict.label}: ${toSingleLine(summary.verdictReason, 300)}`,
      summary.duplicateOf ? `Sender retry of ${summary.duplicateOf}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    item.accessibilityInformation = {
      label: `${toSingleLine(label, 80)}, ${verdict.label}, status ${summary.status ?? 'none'}`,
    };
    item.contextValue = 'delivery';
    item.command = {
      command: 'hooklens.openDelivery',
      title: 'Open Delivery',
      arguments: [{ kind: 'delivery', id: summary.id }],
    };
    return item;
  }

  private refreshNow(): void {
    this.recompute();
    this.refreshes++;
    this.changed.fire(undefined);
  }

  private recompute(): void {
    const all = this.source.deliveries;
    this.visible = isEmptyFilter(this.filter)
      ? all
      : all.filter((summary) => matchesFilter(summary, this.filter));
    this.total = all.length;
    this.updateMessage();
  }

  private total = 0;

  private updateMessage(): void {
    const parts: string[] = [];
    if (this.note) parts.push(this.note);
    if (!isEmptyFilter(this.filter)) {
      parts.push(
        `Filter “${toSingleLine(this.filter.text, 60)}”: ${this.visible.length} of ${this.total} deliveries.`,
      );
    }
    this.view.message = parts.length > 0 ? parts.join(' ') : undefined;
  }

  private markSeen(): void {
    this.unseen = 0;
    this.view.badge = undefined;
  }
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function groupTitle(groupBy: GroupBy): string {
  return groupBy === 'session' ? 'Session' : groupBy === 'event' ? 'Event' : 'Endpoint';
}
