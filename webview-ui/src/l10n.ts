// The page's words come from the bundle the host put in the page (see webviewShell.ts): one
// @vscode/l10n per page bundle, configured before anything is drawn. Without it (a test's page,
// an English editor) every message is its English key.
import * as l10n from '@vscode/l10n';
import { L10N_ELEMENT_ID } from '../../src/shared/protocol';

/** Loads the bundle from the page's `<script type="application/json">`, if it has one. */
export function configurePageL10n(doc: Document = document): void {
  const text = doc.getElementById(L10N_ELEMENT_ID)?.textContent;
  if (!text) return;
  try {
    const contents: unknown = JSON.parse(text);
    if (typeof contents === 'object' && contents !== null && !Array.isArray(contents)) {
      l10n.config({ contents: contents as Record<string, string> });
    }
  } catch {
    // A page whose bundle cannot be read stays English rather than blank.
  }
}
