import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { setDisplayLocale } from '../core/displayLocale';

/**
 * src/core and src/shared say their words through @vscode/l10n (they cannot import vscode, and
 * the CLI runs them with no bundle: English). In the extension they read the bundle vscode.l10n
 * loaded for the editor's language; esbuild bundles one @vscode/l10n for the whole extension, so
 * configuring it once here, before anything is drawn, translates them everywhere.
 */
export function configureSharedL10n(): void {
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
  setDisplayLocale(vscode.env.language);
}

/** What a webview page needs to say its own words in the editor's language. */
export interface PageL10n {
  /** The editor's language (`de`, `en`, `zh-cn`), for the page's `lang`. */
  readonly language: string;
  /** The messages of l10n/bundle.l10n.<language>.json; empty in English. */
  readonly bundle: Readonly<Record<string, string>>;
}

export function pageL10n(): PageL10n {
  return { language: vscode.env.language, bundle: vscode.l10n.bundle ?? {} };
}
