// The panel: header, toolbar, tabs, and one tab panel at a time, built when first shown. The
// panel updates live (a new attempt, a late response); an update of the same delivery keeps the
// user's tab, scroll position, open nodes and searches, and rebuilds only the tabs whose data
// changed.
import * as l10n from '@vscode/l10n';
import type { DeliveryDetail } from '../../src/shared/detail';
import type { SimulationView, WebviewToHost } from '../../src/shared/protocol';
import {
  newUiState,
  resetForDelivery,
  type TabId,
  type UiState,
  type ViewContext,
} from './context';
import {
  renderAttempts,
  renderAuth,
  renderEmpty,
  renderHeader,
  renderOverview,
  renderRequest,
  renderResponse,
} from './render';
import { renderToolbar, updateSimulationToggle } from './toolbar';
import { renderSenderView, senderTabIcon, senderTabLabel } from './senderViews';
import {
  panelElementId,
  renderTabList,
  tabButton,
  tabElementId,
  updateTabSelection,
  type TabSpec,
} from './tabs';
import { h } from './dom';

export interface DetailViewOptions {
  readonly initialTab?: TabId;
  readonly now?: () => number;
  /** Called whenever the shown delivery or the selected tab changes (for vscode.setState). */
  readonly onStateChange?: (state: { deliveryId?: string; tab: TabId }) => void;
}

interface Shell {
  readonly root: HTMLElement;
  header: HTMLElement;
  toolbar: HTMLElement;
  toolbarSignature: string;
  tablist: HTMLElement;
  tabsSignature: string;
  readonly panels: Map<TabId, HTMLElement>;
  readonly panelArea: HTMLElement;
}

interface BuiltPanel {
  readonly key: string;
}

export class DetailView {
  readonly ui: UiState;
  private readonly context: ViewContext;
  private detail: DeliveryDetail | null = null;
  /** Failure simulation as the host last said (the toolbar's toggle). */
  private simulation: SimulationView | null = null;
  private shell: Shell | null = null;
  private readonly built = new Map<TabId, BuiltPanel>();

  constructor(
    private readonly root: HTMLElement,
    post: (message: WebviewToHost) => void,
    private readonly options: DetailViewOptions = {},
  ) {
    this.ui = newUiState(options.initialTab);
    this.context = {
      ui: this.ui,
      post,
      selectTab: (tab) => this.selectTab(tab, true),
      now: options.now ?? (() => Date.now()),
    };
  }

  show(detail: DeliveryDetail): void {
    const sameDelivery = this.shell !== null && this.ui.deliveryId === detail.overview.id;
    const scroller = document.scrollingElement;
    const scrollTop = sameDelivery && scroller ? scroller.scrollTop : 0;
    if (!sameDelivery) {
      resetForDelivery(this.ui, detail.overview.id);
      this.built.clear();
    }
    this.detail = detail;
    const tabs = tabsFor(detail);
    if (!tabs.some((tab) => tab.id === this.ui.tab)) this.ui.tab = 'overview';
    const shell = this.ensureShell();
    const header = renderHeader(detail);
    shell.header.replaceWith(header);
    shell.header = header;
    this.refreshToolbar(shell, detail);
    this.refreshTabs(shell, tabs);
    for (const [id, panel] of shell.panels) {
      if (tabs.some((tab) => tab.id === id)) continue;
      panel.remove();
      shell.panels.delete(id);
      this.built.delete(id);
    }
    for (const tab of tabs) this.panelFor(shell, tab.id);
    this.refreshPanels();
    if (scroller) scroller.scrollTop = scrollTop;
    this.notify();
  }

  /** Failure simulation turned on or off, or counting down: the toggle follows, in place. */
  setSimulation(state: SimulationView | null): void {
    this.simulation = state;
    if (this.shell) updateSimulationToggle(this.shell.toolbar, state);
  }

  /** A message instead of a delivery. The saved state keeps its delivery id for a reload. */
  showEmpty(message: string): void {
    this.detail = null;
    this.shell = null;
    this.built.clear();
    this.ui.deliveryId = null;
    this.root.replaceChildren(renderEmpty(message));
  }

  selectTab(tab: TabId, focus: boolean): void {
    const shell = this.shell;
    if (!shell || !shell.panels.has(tab)) return;
    this.ui.tab = tab;
    updateTabSelection(shell.tablist, tab);
    this.refreshPanels();
    if (focus) tabButton(shell.tablist, tab)?.focus();
    this.notify();
  }

  private ensureShell(): Shell {
    if (this.shell) return this.shell;
    const header = h('header');
    const toolbar = h('div');
    const tablist = h('div');
    const panelArea = h('div', { class: 'panels' });
    // The header, the actions and the tabs stay in view while the tab's content scrolls.
    const chrome = h('div', { class: 'chrome' }, header, toolbar, tablist);
    const root = h('div', { class: 'detail' }, chrome, panelArea);
    this.root.replaceChildren(root);
    this.shell = {
      root,
      header,
      toolbar,
      toolbarSignature: '',
      tablist,
      tabsSignature: '',
      panels: new Map(),
      panelArea,
    };
    return this.shell;
  }

  /** The toolbar depends only on the delivery and pinning; an update leaves it (and focus) alone. */
  private refreshToolbar(shell: Shell, detail: DeliveryDetail): void {
    const signature = JSON.stringify([detail.overview.id, detail.pinned]);
    if (signature === shell.toolbarSignature) return;
    const toolbar = renderToolbar(detail, this.context, this.simulation);
    shell.toolbar.replaceWith(toolbar);
    shell.toolbar = toolbar;
    shell.toolbarSignature = signature;
  }

  private refreshTabs(shell: Shell, tabs: readonly TabSpec[]): void {
    const signature = JSON.stringify(tabs);
    if (signature === shell.tabsSignature) {
      updateTabSelection(shell.tablist, this.ui.tab);
      return;
    }
    const hadFocus = shell.tablist.contains(document.activeElement);
    const tablist = renderTabList(tabs, this.ui.tab, (id, focus) => this.selectTab(id, focus));
    shell.tablist.replaceWith(tablist);
    shell.tablist = tablist;
    shell.tabsSignature = signature;
    if (hadFocus) tabButton(tablist, this.ui.tab)?.focus();
  }

  private panelFor(shell: Shell, id: TabId): HTMLElement {
    let panel = shell.panels.get(id);
    if (!panel) {
      panel = h('div', {
        class: 'tab-panel',
        role: 'tabpanel',
        id: panelElementId(id),
        'aria-labelledby': tabElementId(id),
        tabindex: '0',
      });
      shell.panels.set(id, panel);
      shell.panelArea.append(panel);
    }
    return panel;
  }

  /** Shows the selected tab, building it if its data changed since it was last built. */
  private refreshPanels(): void {
    const shell = this.shell;
    const detail = this.detail;
    if (!shell || !detail) return;
    for (const [id, panel] of shell.panels) {
      const selected = id === this.ui.tab;
      panel.hidden = !selected;
      if (!selected) continue;
      const key = this.dataKey(id, detail);
      if (this.built.get(id)?.key === key) continue;
      const hadFocus = panel.contains(document.activeElement) && panel !== document.activeElement;
      panel.replaceChildren(this.renderTab(id, detail));
      this.built.set(id, { key });
      if (hadFocus) panel.focus();
    }
  }

  /** What a tab shows; equal keys mean the tab's DOM (and all its state) can stay. */
  private dataKey(id: TabId, detail: DeliveryDetail): string {
    // Relative times ("2 min ago") in these tabs go stale; a minute's bucket refreshes them.
    const minute = Math.floor(this.context.now() / 60_000);
    switch (id) {
      case 'overview':
        return JSON.stringify([detail.overview, detail.duplicateOf, detail.duplicateCount]);
      case 'sender':
        return JSON.stringify(detail.senderView);
      case 'request':
        return JSON.stringify(detail.request);
      case 'response':
        return JSON.stringify([detail.response, detail.forward, minute]);
      case 'auth':
        return JSON.stringify([detail.auth, minute]);
      case 'attempts':
        return JSON.stringify([detail.attempts, minute]);
    }
  }

  private renderTab(id: TabId, detail: DeliveryDetail): HTMLElement {
    switch (id) {
      case 'overview':
        return renderOverview(detail, this.context);
      case 'sender':
        return detail.senderView
          ? renderSenderView(detail.senderView)
          : renderEmpty(l10n.t('This delivery has no sender view.'));
      case 'request':
        return renderRequest(detail, this.context);
      case 'response':
        return renderResponse(detail, this.context);
      case 'auth':
        return renderAuth(detail.auth, this.context, detail.overview.id);
      case 'attempts':
        return renderAttempts(detail.attempts, this.context, detail.route);
    }
  }

  private notify(): void {
    this.options.onStateChange?.({
      ...(this.ui.deliveryId === null ? {} : { deliveryId: this.ui.deliveryId }),
      tab: this.ui.tab,
    });
  }
}

function tabsFor(detail: DeliveryDetail): TabSpec[] {
  const tabs: TabSpec[] = [{ id: 'overview', label: l10n.t('Overview'), icon: 'info' }];
  if (detail.senderView) {
    tabs.push({
      id: 'sender',
      label: senderTabLabel(detail.senderView),
      icon: senderTabIcon(detail.senderView),
    });
  }
  tabs.push(
    { id: 'request', label: l10n.t('Request'), icon: 'arrow-down' },
    { id: 'response', label: l10n.t('Response'), icon: 'arrow-up' },
    { id: 'auth', label: l10n.t('Auth'), icon: 'shield' },
    {
      id: 'attempts',
      label: l10n.t('Attempts'),
      icon: 'history',
      badge: String(detail.attempts.length),
    },
  );
  return tabs;
}
