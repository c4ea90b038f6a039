import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { L10N_ELEMENT_ID } from '../../shared/protocol';
import { pageL10n } from '../sharedL10n';

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
 * only; the page draws itself from the messages the host posts. Its `lang` is the editor's
 * language (a screen reader reads a page in the language it declares), and the page's own words
 * come from the l10n bundle written into it as JSON data (a script element the page reads, which
 * never runs: it has no nonce and is not JavaScript).
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
  const { language, bundle } = pageL10n();
  const label = page.mainLabel === undefined ? '' : ` aria-label="${escapeHtml(page.mainLabel)}"`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset(page.stylesheet)}">
<title>${escapeHtml(page.title)}</title>
<script type="application/json" id="${L10N_ELEMENT_ID}">${scriptJson(bundle)}</script>
</head>
<body>
<main id="app"${label}></main>
<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}

/** Text for an attribute or an element's content. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** JSON inside a script element: `<` escaped, so no message can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
