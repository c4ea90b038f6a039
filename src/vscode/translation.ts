// Plain logic in the editor layer (no vscode at run time, so it is unit-tested in node) phrases
// its sentences with the translation its callers pass in: vscode.l10n where the user reads them,
// `english` for lines written to the output channel (read in bug reports) and in unit tests.
// Such a module imports vscode's types only; that import is also how @vscode/l10n-dev finds its
// l10n.t calls for the bundle.
import type * as vscode from 'vscode';

/** What plain logic needs of vscode.l10n. */
export type L10n = Pick<typeof vscode.l10n, 't'>;

type Value = string | number | boolean;
type Args = readonly Value[] | Readonly<Record<string, Value>>;

/** `message` with its `{0}` or `{name}` placeholders filled in, as vscode.l10n fills them. */
function fill(message: string, args: Args): string {
  return message.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    const value: Value | undefined = Array.isArray(args)
      ? (args as readonly Value[])[Number(key)]
      : (args as Readonly<Record<string, Value>>)[key];
    return value === undefined ? whole : String(value);
  });
}

/** vscode.l10n as it is without a bundle: the English message, its placeholders filled in. */
export const english: L10n = {
  t: (first: string | { readonly message: string; readonly args?: Args }, ...rest: unknown[]) => {
    if (typeof first !== 'string') return fill(first.message, first.args ?? []);
    const [only] = rest;
    const named = rest.length === 1 && typeof only === 'object' && only !== null;
    return fill(first, (named ? only : rest) as Args);
  },
};
