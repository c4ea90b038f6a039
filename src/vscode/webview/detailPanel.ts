import * as vscode from 'vscode';
import { renderWebviewShell } from './webviewShell';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import { parseWebviewMessage } from '../../shared/protocol';
import { DisposableOwner } from '../dispose';

export const DETAIL_VIEW_TYPE = 'hooklens.delivery';

/**
 * Hosts the delivery detail webview. The page is static (no payload data in the HTML); content
 * arrives as typed messages once the page says `ready`, so a hidden and re-shown panel rebuilds
 * itself without `retainContextWhenHidden`.
 */
export class DetailPanel extends DisposableOwner {
  private ready = false;
  private latest: HostToWebview | undefined;
  /** Failure simulation's state, kept apart from the delivery shown (both are sent on ready). */
  private latestSimulation: HostToWebview | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (message: WebviewToHost) => void,
  ) {
    super();
    this.register(panel);
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = renderShell(panel.webview, extensionUri);
    this.register(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) return; // Untrusted input that does not match the protocol is ignored.
        if (message.type === 'ready') {
          this.ready = true;
          if (this.latest) void this.panel.webview.postMessage(this.latest);
          if (this.latestSimulation) void this.panel.webview.postMessage(this.latestSimulation);
        }
        this.onMessage(message);
      }),
    );
    this.register(panel.onDidChangeViewState(() => (this.ready = this.ready && panel.visible)));
  }

  static create(
    extensionUri: vscode.Uri,
    title: string,
    onMessage: (message: WebviewToHost) => void,
  ): DetailPanel {
    const panel = vscode.window.createWebviewPanel(
      DETAIL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return new DetailPanel(panel, extensionUri, onMessage);
  }

  /** Re-attaches a panel VS Code restored after a window reload. */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    onMessage: (message: WebviewToHost) => void,
  ): DetailPanel {
    return new DetailPanel(panel, extensionUri, onMessage);
  }

  get onDidDispose(): vscode.Event<void> {
    return this.panel.onDidDispose;
  }

  post(message: HostToWebview): void {
    if (message.type === 'simulation/state') this.latestSimulation = message;
    else this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  get active(): boolean {
    return this.panel.active;
  }

  set title(title: string) {
    this.panel.title = title;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  get extensionRoot(): vscode.Uri {
    return this.extensionUri;
  }
}

function webviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** The delivery page (webview-ui/src/main.ts): see renderWebviewShell. */
export function renderShell(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return renderWebviewShell(webview, extensionUri, {
    script: 'main.js',
    stylesheet: 'styles.css',
    title: vscode.l10n.t('HookLens Delivery'),
  });
}
