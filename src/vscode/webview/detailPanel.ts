import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
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

/**
 * The static page: a strict CSP, one nonce'd script, styles and codicons from the bundle only.
 * Its `lang` stays "en" rather than following vscode.env.language: the page's own labels
 * (webview-ui) are not translated yet, and a screen reader reads the page in the language it
 * declares.
 */
export function renderShell(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset('styles.css')}">
<title>HookLens delivery</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
}
