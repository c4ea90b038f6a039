// Plain logic in the editor layer (no vscode at run time, so it is unit-tested in node) phrases
// its sentences with the translation its callers pass in: vscode.l10n where the user reads them,
// `english` for lines written to the output channel (read in bug reports) and in unit tests.
// Such a module imports vscode's types only; that import is also how @vscode/l10n-dev finds its
// l10n.t calls for the bundle.
import type * as vscode from 'vscode';
import { fillPlaceholders, type PlaceholderArgs } from '../shared/translation';

/** What plain logic needs of vscode.l10n. */
export type L10n = Pick<typeof vscode.l10n, 't'>;

/** vscode.l10n as it is without a bundle: the English message, its placeholders filled in. */
export const english: L10n = {
  t: (
    first: string | { readonly message: string; readonly args?: PlaceholderArgs },
    ...rest: unknown[]
  ) => {
    if (typeof first !== 'string') return fillPlaceholders(first.message, first.args ?? []);
    const [only] = rest;
    const named = rest.length === 1 && typeof only === 'object' && only !== null;
    return fillPlaceholders(first, (named ? only : rest) as PlaceholderArgs);
  },
};
