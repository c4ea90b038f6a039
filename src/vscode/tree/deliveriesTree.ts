import * as vscode from 'vscode';
import { BodyIndex } from '../../core/deliveries/bodyIndex';
import { bodySearchNote, indexHoldsTerms, searchBodies } from '../../core/deliveries/bodySearch';
import { bodyInputOf } from '../../core/deliveries/bodyTerms';
import {
  arrangeAmount,
  sessionGroupDescription,
  sessionGroupLabel,
} from '../../core/deliveries/rowText';
import {
  displayOrder,
  EMPTY_FILTER,
  groupDeliveries,
  isEmptyFilter,
  matchesFilter,
  stepToFailed,
  type DeliveryFilter,
  type GroupBy,
} from '../../core/deliveries/deliveryView';
import { failsToReachHandler } from '../../core/detail/outcome';
import {
  hoverMarkdown,
  presentGroup,
  presentRow,
  type RowTone,
} from '../../core/detail/rowPresentation';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import type { DeliverySummary } from '../../core/store/types';
import { toSingleLine } from '../../shared/visibleText';
import { DisposableOwner } from '../dispose';

export type DeliveryTreeNode =
  | {
      readonly kind: 'group';
      readonly key: string;
      readonly label: string;
      readonly deliveries: readonly DeliverySummary[];
    }
  | {
      readonly kind: 'delivery';
      readonly id: string;
      /** Under a group row: indented, so its label is cut shorter. */
      readonly nested?: boolean;
    }
  | { readonly kind: 'more'; readonly parentKey: string; readonly hidden: number };

export interface DeliverySource {
  readonly deliveries: readonly DeliverySummary[];
  summary(id: string): DeliverySummary | undefined;
  /** The open store, for the body index behind `body:` terms (none: bodies are read directly). */
  readonly deliveryStore?: DeliveryStoreBackend;
}

/** Rows shown per level before a "show more" row: keeps the view fast with 100,000 deliveries. */
export const PAGE_SIZE = 200;
/** A burst of deliveries refreshes the view at most this often (W-07: at most 4 times a second). */
const REFRESH_DEBOUNCE_MS = 250;
const ROOT_KEY = '';

/**
 * Longest row label, in average characters: at the default width, "502 · handler down" still
 * shows after it. Digits and capitals are wider (a call's "+18885552445 → +18005550123" is a
 * fifth wider than as many lower-case letters), so they count for more.
 */
const ROW_LABEL_WIDTH = 28;
/** A row under a group is indented about 30 px (five characters): its label is cut shorter. */
const NESTED_ROW_LABEL_WIDTH = ROW_LABEL_WIDTH - 5;

/** A single-line label cut to about `width` average characters, with an ellipsis when cut. */
function fitRowLabel(text: string, width: number): string {
  const line = toSingleLine(text, 1000);
  const widthOf = (char: string): number => (/[0-9A-Z]/.test(char) ? 1.2 : 1);
  const chars = [...line];
  if (chars.reduce((sum, char) => sum + widthOf(char), 0) <= width) return line;
  let used = 1; // the ellipsis
  let end = 0;
  while (end < chars.length && used + widthOf(chars[end] ?? '') <= width) {
    used += widthOf(chars[end] ?? '');
    end++;
  }
  return `${chars.slice(0, end).join('')}…`;
}
/** Relative times in rows ("5m") are redrawn this often while the view is visible. */
const CLOCK_REFRESH_MS = 60_000;

const TONE_COLOR: Record<RowTone, string> = {
  ok: 'testing.iconPassed',
  warning: 'list.warningForeground',
  error: 'testing.iconFailed',
};

/**
 * The "Deliveries" view over the store's summaries (the store stays the single source of truth).
 * While it has no children VS Code shows the manifest's welcome content (Start Receiver, Send Test
 * Event, Set Secret). It also counts the deliveries that failed to reach the handler since the
 * user last looked (the badge and the status bar show them), until the view is shown again or a
 * row is selected.
 */
export class DeliveriesTree
  extends DisposableOwner
  implements vscode.TreeDataProvider<DeliveryTreeNode>
{
  private readonly changed = this.register(new vscode.EventEmitter<DeliveryTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<DeliveryTreeNode>;
  private filter: DeliveryFilter = EMPTY_FILTER;
  /** The body search's answer for the filter's `body:` terms, and how far it went. */
  private bodyMatches: ReadonlySet<string> | undefined;
  private bodyNote = '';
  /** The delivery `n` / Shift+N last moved to (the selection wins when there is one). */
  private stepped: string | undefined;
  private visible: readonly DeliverySummary[] = [];
  private readonly shown = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private unseen = 0;
  private note: string | undefined;
  private refreshes = 0;
  /** Deliveries failing to reach the handler now, and those of them the user has not looked at. */
  private failing = new Set<string>();
  private readonly unseenFailed = new Set<string>();
  private countingFailures = false;
  private readonly failuresChanged = this.register(new vscode.EventEmitter<number>());
  /** Fires the count of unseen failed deliveries when it changes. */
  readonly onDidChangeUnseenFailures = this.failuresChanged.event;
  private clock: NodeJS.Timeout | undefined;
  /** The body index of the store shown (built once the view is shown or a body search runs). */
  private index: BodyIndex | undefined;
  private indexedStore: DeliveryStoreBackend | undefined;
  private indexListeners: { dispose(): void }[] = [];
  /** Bumped by each filter change: a body search answering late for an older filter is dropped. */
  private filterVersion = 0;

  constructor(
    private readonly source: DeliverySource,
    private groupBy: GroupBy,
  ) {
    super();
    this.view = this.register(
      // Not translated: the view's id (package.json names it "Deliveries").
      vscode.window.createTreeView('hooklens.deliveries', {
        treeDataProvider: this,
        canSelectMany: true,
        showCollapseAll: true,
      }),
    );
    this.register(
      this.view.onDidChangeVisibility((event) => {
        if (event.visible) {
          this.markSeen();
          this.index?.start();
        }
        this.updateClock();
      }),
    );
    this.register(
      this.view.onDidChangeSelection((event) => {
        if (event.selection.length > 0) this.markSeen();
      }),
    );
    this.register({
      dispose: () => {
        clearTimeout(this.refreshTimer);
        clearInterval(this.clock);
        this.dropIndex();
      },
    });
    this.recompute();
    this.updateClock();
  }

  /** Failures from now on count as unseen; those already stored are the baseline. */
  startCountingFailures(): void {
    this.recompute();
    this.countingFailures = true;
  }

  /**
   * Another store is shown now (local and team switched): what it holds already is not news
   * either, so failures count from here again.
   */
  restartCountingFailures(): void {
    this.countingFailures = false;
    this.shown.clear();
    this.recompute();
    this.countingFailures = true;
    this.changed.fire(undefined);
  }

  get unseenFailedCount(): number {
    return this.unseenFailed.size;
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

  /**
   * Shows only what passes `filter`; its `body:` terms apply through `bodySearch` (the ids whose
   * body holds them, and a note on how far the search went), and are left out without it.
   */
  setFilter(
    filter: DeliveryFilter,
    bodySearch?: { readonly matches: ReadonlySet<string>; readonly note: string },
  ): void {
    this.filter = filter;
    this.filterVersion++;
    this.bodyMatches = bodySearch?.matches;
    this.bodyNote = bodySearch?.note ?? '';
    this.shown.clear();
    this.refreshNow();
  }

  /**
   * The body index of the store shown, started now if it was not (a body search is about to use
   * it); undefined while no store is open.
   */
  get bodyIndex(): BodyIndex | undefined {
    this.followStore();
    this.index?.start();
    return this.index;
  }

  /** A new store is shown: its own index replaces the last one's (not started until needed). */
  private followStore(): void {
    const store = this.source.deliveryStore;
    if (store === this.indexedStore) return;
    this.dropIndex();
    this.indexedStore = store;
    if (store === undefined) return;
    const index = new BodyIndex(store);
    this.index = index;
    this.indexListeners = [
      index.onDidIndex((ids) => this.onIndexed(index, ids)),
      index.onDidBecomeReady(() => void this.onIndexReady(index, store)),
    ];
    if (this.view.visible) index.start();
  }

  private dropIndex(): void {
    for (const listener of this.indexListeners) listener.dispose();
    this.indexListeners = [];
    this.index?.dispose();
    this.index = undefined;
    this.indexedStore = undefined;
  }

  /**
   * Deliveries just indexed: under a filter with \`body:\` terms, those whose body holds them join
   * what it shows (the filter need not be entered again for a new delivery to appear).
   */
  private onIndexed(index: BodyIndex, ids: readonly string[]): void {
    const matches = this.bodyMatches;
    if (index !== this.index || matches === undefined || this.filter.bodyTerms.length === 0) return;
    const rest = { ...this.filter, bodyTerms: [] };
    const cache = new Map<string, ReadonlySet<string>>();
    const added = ids.filter((id) => {
      const summary = this.source.summary(id);
      return (
        summary !== undefined &&
        !matches.has(id) &&
        matchesFilter(summary, rest) &&
        indexHoldsTerms(summary, this.filter.bodyTerms, index, cache) === true
      );
    });
    if (added.length === 0) return;
    this.bodyMatches = new Set([...matches, ...added]);
    this.scheduleRefresh();
  }

  /**
   * The index holds every stored delivery now: a body search that could not read every body
   * while it was being built is run again over all of them.
   */
  private async onIndexReady(index: BodyIndex, store: DeliveryStoreBackend): Promise<void> {
    if (index !== this.index || this.bodyMatches === undefined || this.bodyNote === '') return;
    const filter = this.filter;
    const version = this.filterVersion;
    const rest = { ...filter, bodyTerms: [] };
    const result = await searchBodies(
      this.source.deliveries.filter((summary) => matchesFilter(summary, rest)),
      filter.bodyTerms,
      async (id) => {
        const record = await store.get(id).catch(() => undefined);
        return record ? bodyInputOf(record) : undefined;
      },
      { limit: 2000, timeBudgetMs: 1500, index },
    );
    if (version !== this.filterVersion || index !== this.index) return;
    this.bodyMatches = result.matches;
    this.bodyNote = bodySearchNote(result);
    this.refreshNow();
  }

  /** The body search behind the filter's `body:` terms, to put back with it; undefined when none. */
  get currentBodySearch():
    { readonly matches: ReadonlySet<string>; readonly note: string } | undefined {
    return this.bodyMatches === undefined
      ? undefined
      : { matches: this.bodyMatches, note: this.bodyNote };
  }

  /** The deliveries shown now (filtered), newest first. */
  get visibleDeliveries(): readonly DeliverySummary[] {
    return this.visible;
  }

  /**
   * The next (1) or previous (-1) failed delivery in the order the tree shows, from the selected
   * row (or the last one stepped to); undefined when none failed.
   */
  failedNeighbour(direction: 1 | -1): string | undefined {
    const selected = this.view.selection.find((node) => node.kind === 'delivery');
    const from = selected?.kind === 'delivery' ? selected.id : this.stepped;
    const next = stepToFailed(displayOrder(this.visible, this.groupBy), from, direction);
    this.stepped = next?.id;
    return next?.id;
  }

  /** Selects and focuses a delivery's row (opening its group); false when it cannot be shown. */
  async revealDelivery(id: string): Promise<boolean> {
    try {
      await this.view.reveal(
        { kind: 'delivery', id, nested: this.groupOf(id) !== undefined },
        {
          select: true,
          focus: true,
        },
      );
      return true;
    } catch {
      // Beyond "Show more", or gone: the panel still opens.
      return false;
    }
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
    this.updateBadge();
  }

  showMore(node: DeliveryTreeNode): void {
    if (node.kind !== 'more') return;
    this.shown.set(node.parentKey, (this.shown.get(node.parentKey) ?? PAGE_SIZE) + PAGE_SIZE);
    this.refreshNow();
  }

  getTreeItem(node: DeliveryTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const group = presentGroup(
          node,
          node.deliveries,
          this.groupBy === 'none' ? 'session' : this.groupBy,
        );
        const session = this.groupBy === 'session' && node.key !== 'none';
        const item = new vscode.TreeItem(
          toSingleLine(session ? sessionGroupLabel(node.label, node.deliveries) : group.label, 80),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `group:${node.key}`;
        // A session says what a person counts in it: `Session dc8b16c2` · `4 turns · 6:46 PM`.
        item.description = session
          ? sessionGroupDescription(node.deliveries, group.failed)
          : group.description;
        item.tooltip = group.tooltip;
        item.iconPath = new vscode.ThemeIcon(
          group.icon,
          group.tone === null ? undefined : new vscode.ThemeColor(TONE_COLOR[group.tone]),
        );
        item.contextValue = 'group';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(
          vscode.l10n.t(
            'Show {0} more ({1} not shown)',
            Math.min(PAGE_SIZE, node.hidden),
            node.hidden,
          ),
        );
        item.id = `more:${node.parentKey}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = {
          command: 'hooklens.showMore',
          title: vscode.l10n.t('Show More'),
          arguments: [node],
        };
        // With resolveTreeItem in place VS Code no longer falls back to the label on hover.
        item.tooltip = typeof item.label === 'string' ? item.label : undefined;
        item.contextValue = 'more';
        return item;
      }
      case 'delivery':
        return this.deliveryItem(node.id, node.nested === true);
    }
  }

  getChildren(node?: DeliveryTreeNode): DeliveryTreeNode[] {
    if (node === undefined) {
      if (this.groupBy === 'none') return this.page(ROOT_KEY, this.visible);
      const groups = groupDeliveries(this.visible, this.groupBy);
      const nodes: DeliveryTreeNode[] = groups
        .slice(0, this.shown.get(ROOT_KEY) ?? PAGE_SIZE)
        .map((group) =>
          // A session of one delivery is the delivery: no group row to open.
          this.groupBy === 'session' && group.deliveries.length === 1 && group.deliveries[0]
            ? { kind: 'delivery', id: group.deliveries[0].id }
            : {
                kind: 'group',
                key: group.key,
                label: group.label,
                deliveries: group.deliveries,
              },
        );
      const hidden = groups.length - nodes.length;
      return hidden > 0 ? [...nodes, { kind: 'more', parentKey: ROOT_KEY, hidden }] : nodes;
    }
    return node.kind === 'group' ? this.page(node.key, node.deliveries) : [];
  }

  getParent(node: DeliveryTreeNode): DeliveryTreeNode | undefined {
    return node.kind === 'delivery' ? this.groupOf(node.id) : undefined;
  }

  /** The group row a delivery is shown under; undefined at the top level. */
  private groupOf(id: string): DeliveryTreeNode | undefined {
    if (this.groupBy === 'none') return undefined;
    const group = groupDeliveries(this.visible, this.groupBy).find((candidate) =>
      candidate.deliveries.some((summary) => summary.id === id),
    );
    if (!group) return undefined;
    if (this.groupBy === 'session' && group.deliveries.length === 1) return undefined;
    return { kind: 'group', key: group.key, label: group.label, deliveries: group.deliveries };
  }

  private page(key: string, deliveries: readonly DeliverySummary[]): DeliveryTreeNode[] {
    const limit = this.shown.get(key) ?? PAGE_SIZE;
    const nested = key !== ROOT_KEY;
    const nodes: DeliveryTreeNode[] = deliveries
      .slice(0, limit)
      .map((summary) => ({ kind: 'delivery', id: summary.id, nested }));
    const hidden = deliveries.length - nodes.length;
    return hidden > 0 ? [...nodes, { kind: 'more', parentKey: key, hidden }] : nodes;
  }

  /** A delivery row's hover, made when it is hovered (see deliveryItem). */
  resolveTreeItem(item: vscode.TreeItem, node: DeliveryTreeNode): vscode.TreeItem {
    if (node.kind !== 'delivery' || item.tooltip !== undefined) return item;
    const summary = this.source.summary(node.id);
    if (!summary) {
      item.tooltip = vscode.l10n.t('(deleted)');
      return item;
    }
    const row = presentRow(summary, { groupBy: this.groupBy, now: Date.now() });
    const hover = new vscode.MarkdownString(hoverMarkdown(row.hover));
    hover.isTrusted = false;
    hover.supportHtml = false;
    hover.supportThemeIcons = false;
    item.tooltip = hover;
    return item;
  }

  private deliveryItem(id: string, nested: boolean): vscode.TreeItem {
    const summary = this.source.summary(id);
    if (!summary) {
      const deleted = new vscode.TreeItem(vscode.l10n.t('(deleted)'));
      deleted.tooltip = vscode.l10n.t('(deleted)');
      return deleted;
    }
    // Payload-derived text stays text: labels and descriptions are plain, and the hover
    // (resolveTreeItem) is an untrusted MarkdownString whose values are all escaped (W-04).
    const row = presentRow(summary, { groupBy: this.groupBy, now: Date.now() });
    // A Stripe amount leads the description: the label is cut before it at the default width.
    const { label, description } = arrangeAmount(summary, row);
    // A short label leaves room for the status at the default side-bar width; the tooltip and
    // the panel have the whole headline.
    const item = new vscode.TreeItem(
      fitRowLabel(label, nested ? NESTED_ROW_LABEL_WIDTH : ROW_LABEL_WIDTH),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `delivery:${summary.id}`;
    item.description = toSingleLine(description, 120);
    item.iconPath = new vscode.ThemeIcon(row.icon, new vscode.ThemeColor(TONE_COLOR[row.tone]));
    // The hover is made when the row is hovered (resolveTreeItem): VS Code parses a Markdown
    // tooltip when the item is sent to the workbench, and at every refresh that was all the
    // shown rows' tooltips, about 100 ms of the extension host during a burst of deliveries.
    item.accessibilityInformation = { label: toSingleLine(row.accessibilityLabel, 300) };
    item.contextValue = row.outcome.failed ? 'delivery failed' : 'delivery';
    item.command = {
      command: 'hooklens.openDelivery',
      title: vscode.l10n.t('Open Delivery'),
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
    this.followStore();
    const all = this.source.deliveries;
    this.visible = isEmptyFilter(this.filter)
      ? all
      : all.filter((summary) => matchesFilter(summary, this.filter, this.bodyMatches));
    this.total = all.length;
    this.updateFailures(all);
    this.updateMessage();
  }

  /** Tracks which deliveries fail to reach the handler; new failures count as unseen. */
  private updateFailures(all: readonly DeliverySummary[]): void {
    const failing = new Set<string>();
    for (const summary of all) {
      if (failsToReachHandler(summary)) failing.add(summary.id);
    }
    const before = this.unseenFailed.size;
    if (this.countingFailures) {
      for (const id of failing) if (!this.failing.has(id)) this.unseenFailed.add(id);
    }
    // Deleted, or reached the handler on a replay: no longer a failure to look at.
    for (const id of this.unseenFailed) if (!failing.has(id)) this.unseenFailed.delete(id);
    this.failing = failing;
    if (this.unseenFailed.size !== before) {
      this.updateBadge();
      this.failuresChanged.fire(this.unseenFailed.size);
    }
  }

  private updateBadge(): void {
    const failed = this.unseenFailed.size;
    const arrived =
      this.unseen === 0
        ? ''
        : this.unseen === 1
          ? vscode.l10n.t('1 new delivery')
          : vscode.l10n.t('{0} new deliveries', this.unseen);
    if (failed > 0) {
      this.view.badge = {
        value: failed,
        tooltip: arrived
          ? vscode.l10n.t('{0} failed to reach your handler · {1}', failed, arrived)
          : vscode.l10n.t('{0} failed to reach your handler', failed),
      };
    } else {
      this.view.badge = this.unseen > 0 ? { value: this.unseen, tooltip: arrived } : undefined;
    }
  }

  /** Rows say "5m": while the view is visible they are redrawn each minute. */
  private updateClock(): void {
    clearInterval(this.clock);
    this.clock = undefined;
    if (!this.view.visible) return;
    this.clock = setInterval(() => this.changed.fire(undefined), CLOCK_REFRESH_MS);
  }

  private total = 0;

  private updateMessage(): void {
    const parts: string[] = [];
    if (this.note) parts.push(this.note);
    if (!isEmptyFilter(this.filter)) {
      parts.push(
        vscode.l10n.t(
          'Filter “{0}”: {1} of {2} deliveries.',
          toSingleLine(this.filter.text, 60),
          this.visible.length,
          this.total,
        ),
      );
      // How far the body search went is said by core (bodySearchNote): English this session.
      if (this.bodyNote) parts.push(this.bodyNote);
    }
    this.view.message = parts.length > 0 ? parts.join(' ') : undefined;
  }

  private markSeen(): void {
    const hadFailures = this.unseenFailed.size > 0;
    this.unseen = 0;
    this.unseenFailed.clear();
    this.view.badge = undefined;
    if (hadFailures) this.failuresChanged.fire(0);
  }
}
