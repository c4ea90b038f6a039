import * as vscode from 'vscode';
import { healthChartData } from '../../core/health/healthChart';
import {
  formatHealthWindow,
  HEALTH_WINDOWS,
  HealthTracker,
  type HealthWindow,
} from '../../core/health/healthTracker';
import { parseFilter, type DeliveryFilter } from '../../core/deliveries/deliveryView';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import { parseHealthMessage, type HostToHealth } from '../../shared/health';
import { DisposableOwner } from '../dispose';
import { renderWebviewShell } from '../webview/webviewShell';

export const HEALTH_VIEW_ID = 'hooklens.health';
const WINDOW_STATE_KEY = 'hooklens.healthWindow';
/** The window slides even when nothing arrives; redraw this often while the view is visible. */
const TICK_MS = 15_000;
/** Bursts of deliveries redraw the view at most this often. */
const DEBOUNCE_MS = 500;

/** What a click in the charts filters: the Deliveries tree's public filter API. */
export interface DeliveriesFilterTarget {
  setFilter(filter: DeliveryFilter): void;
}

/**
 * The Health view (journey 10, issue 16 "Pictures"): a webview view with the deliveries per
 * minute as stacked bars by outcome and p50/p95/p99 per event, endpoint and route as bars; a bar
 * or row filters the Deliveries tree. The figures come from a HealthTracker fed by store change
 * events, never by rescanning the store; the page gets them as typed messages (shared/health.ts).
 */
export class HealthView extends DisposableOwner implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private tracker: HealthTracker | undefined;
  private storeListener: vscode.Disposable | undefined;
  private window: HealthWindow;
  private ready = false;
  private debounce: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  /** Disposed with the view VS Code resolved (it resolves a new one after the view is moved). */
  private viewDisposables: vscode.Disposable[] = [];
  private readonly shown = this.register(new vscode.EventEmitter<void>());
  /** The view was shown: a reason to open the store (its figures need it). */
  readonly onDidShow: vscode.Event<void> = this.shown.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly extensionUri: vscode.Uri,
    private readonly deliveries: DeliveriesFilterTarget,
  ) {
    super();
    const saved = memento.get<number | 'all'>(WINDOW_STATE_KEY);
    this.window = HEALTH_WINDOWS.some((option) => option.window === saved)
      ? (saved as HealthWindow)
      : 15 * 60_000;
    this.register(vscode.window.registerWebviewViewProvider(HEALTH_VIEW_ID, this));
    this.register({
      dispose: () => {
        this.stopTimers();
        this.storeListener?.dispose();
        this.tracker?.dispose();
        this.tracker = undefined;
        for (const disposable of this.viewDisposables) disposable.dispose();
      },
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const disposable of this.viewDisposables) disposable.dispose();
    this.view = view;
    this.ready = false;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [root],
    };
    view.webview.html = renderHealthShell(view.webview, this.extensionUri);
    this.updateDescription();
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      view.onDidChangeVisibility(() => {
        // A hidden webview view is torn down (no retainContextWhenHidden): it says ready again.
        if (!view.visible) this.ready = false;
        else this.shown.fire();
        this.updateTicking();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.ready = false;
        this.updateTicking();
      }),
    ];
    if (view.visible) this.shown.fire();
  }

  /** Starts following a store (once it is open). */
  attach(store: DeliveryStoreBackend): void {
    // The last store's tracker and its listener go (registering them kept every one ever shown).
    this.storeListener?.dispose();
    this.tracker?.dispose();
    this.tracker = HealthTracker.fromStore(store);
    this.storeListener = this.tracker.onDidUpdate(() => this.scheduleRedraw());
    this.redraw();
    this.updateTicking();
  }

  async pickWindow(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      HEALTH_WINDOWS.map((option) => ({
        label: windowPickLabel(option.window),
        description: option.window === this.window ? vscode.l10n.t('current') : undefined,
        window: option.window,
      })),
      { title: vscode.l10n.t('HookLens: Health Window') },
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

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseHealthMessage(raw);
    if (!message) return; // Untrusted input that does not match the protocol is ignored.
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.redraw();
        this.updateTicking();
        return;
      case 'filter':
        await this.filterDeliveries(message.filter);
        return;
    }
  }

  /** A chart's bar or row was clicked: the Deliveries tree shows those, as its filter box would. */
  private async filterDeliveries(text: string): Promise<void> {
    const filter = parseFilter(text);
    // The page only sends filters the host built; anything else (or a body search, which needs
    // the bodies read first) is not applied.
    if (filter.errors.length > 0 || filter.bodyTerms.length > 0) return;
    this.deliveries.setFilter(filter);
    await vscode.commands.executeCommand('setContext', 'hooklens.filtered', true);
    await vscode.commands.executeCommand('hooklens.deliveries.focus');
  }

  private redraw(): void {
    if (!this.view || !this.ready) return;
    const message: HostToHealth = this.tracker
      ? { type: 'health/show', data: healthChartData(this.tracker.snapshot(this.window)) }
      : { type: 'health/none', message: vscode.l10n.t('Opening the delivery store…') };
    void this.view.webview.postMessage(message);
  }

  private scheduleRedraw(): void {
    if (this.debounce || !this.view?.visible) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.redraw();
    }, DEBOUNCE_MS);
  }

  private updateTicking(): void {
    const visible = this.view?.visible === true;
    if (visible && this.tracker && !this.tick) {
      this.tick = setInterval(() => this.redraw(), TICK_MS);
    } else if (!visible && this.tick) {
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
    if (!this.view) return;
    this.view.description =
      this.window === 'all'
        ? vscode.l10n.t('all stored')
        : vscode.l10n.t('last {0}', formatHealthWindow(this.window));
  }
}

/**
 * A window as the Health Window pick lists it ("Last 15 minutes"). Said here rather than by
 * core's windowLabel, whose English sentence cannot be translated in parts.
 */
export function windowPickLabel(window: HealthWindow): string {
  if (window === 'all') return vscode.l10n.t('All stored deliveries');
  const seconds = window / 1000;
  if (seconds < 60) return vscode.l10n.t('Last {0} seconds', seconds);
  const minutes = seconds / 60;
  if (minutes === 1) return vscode.l10n.t('Last minute');
  if (minutes < 60) return vscode.l10n.t('Last {0} minutes', minutes);
  const hours = minutes / 60;
  if (hours === 1) return vscode.l10n.t('Last hour');
  if (hours <= 24 || hours % 24 !== 0) return vscode.l10n.t('Last {0} hours', hours);
  return vscode.l10n.t('Last {0} days', hours / 24);
}

/** The Health page (webview-ui/src/health*): see renderWebviewShell. */
export function renderHealthShell(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return renderWebviewShell(webview, extensionUri, {
    script: 'health.js',
    stylesheet: 'health.css',
    title: vscode.l10n.t('HookLens Health'),
    mainLabel: vscode.l10n.t('Delivery health'),
  });
}
