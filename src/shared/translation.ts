// Which language a sentence of src/core or src/shared is said in. @vscode/l10n says the editor's
// language once the extension (sharedL10n.ts) or a page (webview-ui/src/l10n.ts) configured it,
// and English in the CLI. Text for a language model (the agent tools, in VS Code and over MCP) is
// English whatever the editor's language, so a tool's answer is one language, the one its
// descriptions and errors are written in: functions that phrase words for both take the
// translation to use: `english` for a model, @vscode/l10n as configured (their default) for a
// person.

/** What phrasing needs of l10n: `t` with `{0}` placeholders (@vscode/l10n and vscode.l10n fit). */
export interface Translation {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

type Value = string | number | boolean;
export type PlaceholderArgs = readonly Value[] | Readonly<Record<string, Value>>;

/** `message` with its `{0}` or `{name}` placeholders filled in, as l10n fills them. */
export function fillPlaceholders(message: string, args: PlaceholderArgs): string {
  return message.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    const value: Value | undefined = Array.isArray(args)
      ? (args as readonly Value[])[Number(key)]
      : (args as Readonly<Record<string, Value>>)[key];
    return value === undefined ? whole : String(value);
  });
}

/** l10n.t as it is without a bundle: the English message, its placeholders filled in. */
export const english: Translation = {
  t: (message, ...args) => fillPlaceholders(message, args),
};
