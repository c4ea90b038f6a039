import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The bundle's script and stylesheet in dist/webview. */
  readonly script: string;
  readonly stylesheet: string;
  readonly title: string;
  /** The main landmark's accessible name, when the page has no heading that gives one. */
  readonly mainLabel?: string;
}

/**
 * A webview's static page: a strict CSP, one nonce'd script, styles and codicons from the bundle
 * only; the page draws itself from the messages the host posts. Its `lang` stays "en" rather than
 * following vscode.env.language: the pages' own labels (webview-ui) are not translated yet, and a
 * screen reader reads a page in the language it declares.
 */
export function renderWebviewShell(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPage,
): string {
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
  const label = page.mainLabel === undefined ? '' : ` aria-label="${page.mainLabel}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset(page.stylesheet)}">
<title>${page.title}</title>
</head>
<body>
<main id="app"${label}></main>
<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}
