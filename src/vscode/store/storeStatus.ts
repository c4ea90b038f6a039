// Which delivery store this window follows, and how that is said in the status bar and above the
// tree. Plain logic (vscode's types only), so it is unit-tested; its sentences are phrased with the
// `l10n` the callers pass (vscode.l10n; see translation.ts). The connection URL never reaches
// here: the team store is named by describeConnection (database, host, user; no password).
import type * as vscode from 'vscode';

/** vscode.l10n, or `english` (translation.ts) for the log and the unit tests. */
type L10n = Pick<typeof vscode.l10n, 't'>;

/** `hooklens.store.location`. */
export type StoreLocation = 'local' | 'team';

/** The setting's value; anything but `team` is the local store (a hand edit cannot break it). */
export function storeLocationOf(raw: unknown): StoreLocation {
  return raw === 'team' ? 'team' : 'local';
}

/** Where this window's deliveries come from, as the controller sees it. */
export type StoreStatus =
  | {
      readonly kind: 'local' | 'team';
      /** The store is being opened (or the team database reconnected after a switch). */
      readonly phase: 'opening';
      readonly location: string;
    }
  | {
      readonly kind: 'local' | 'team';
      readonly phase: 'open';
      /** A folder, or "team database NAME on HOST as USER". */
      readonly location: string;
      /** Why writes are refused (a reader role, a newer schema); null when this window may write. */
      readonly readOnlyReason: string | null;
      /** Set while the team database cannot be reached: the store's sentence. */
      readonly unreachable: string | null;
    }
  /** `hooklens.store.location` is `team` but no connection URL is stored in this VS Code. */
  | { readonly kind: 'team'; readonly phase: 'not-connected' }
  | {
      readonly kind: 'local' | 'team';
      readonly phase: 'failed';
      readonly location: string;
      /** Why it could not be opened, a sentence without the password. */
      readonly message: string;
      /** True when HookLens tries again by itself (the database could not be reached). */
      readonly retrying: boolean;
    };

/** What the status bar adds for the store: a short text, a tooltip line, and whether to warn. */
export interface StoreBadge {
  readonly text: string;
  readonly tooltip: string;
  readonly warning: boolean;
}

/** Nothing for the local store (the status bar stays as it was); the team store is always said. */
export function storeBadge(status: StoreStatus, l10n: L10n): StoreBadge | undefined {
  if (status.kind === 'local') return undefined;
  switch (status.phase) {
    case 'opening':
      return {
        text: l10n.t('$(sync~spin) team store'),
        tooltip: l10n.t('Connecting to the {0}…', status.location),
        warning: false,
      };
    case 'not-connected':
      return {
        text: l10n.t('$(plug) team store not connected'),
        tooltip: l10n.t(
          'hooklens.store.location is team, but this VS Code has no connection URL: run HookLens: Connect to Team Store….',
        ),
        warning: true,
      };
    case 'failed':
      return {
        text: l10n.t('$(warning) team store unreachable'),
        tooltip: status.retrying
          ? l10n.t('{0} HookLens tries again by itself.', status.message)
          : status.message,
        warning: true,
      };
    case 'open':
      if (status.unreachable !== null) {
        return {
          text: l10n.t('$(warning) team store unreachable'),
          tooltip: l10n.t(
            '{0} The deliveries shown are the ones loaded before.',
            status.unreachable,
          ),
          warning: true,
        };
      }
      return status.readOnlyReason === null
        ? {
            text: l10n.t('$(database) team'),
            tooltip: l10n.t('Following the {0}.', status.location),
            warning: false,
          }
        : {
            text: l10n.t('$(database) team (read-only)'),
            tooltip: l10n.t(
              'Following the {0}, read-only: {1}.',
              status.location,
              status.readOnlyReason,
            ),
            warning: false,
          };
  }
}

/** The line above the Deliveries tree for the store, or undefined when there is nothing to say. */
export function storeNote(status: StoreStatus, l10n: L10n): string | undefined {
  switch (status.phase) {
    case 'opening':
      return status.kind === 'team' ? l10n.t('Connecting to the {0}…', status.location) : undefined;
    case 'not-connected':
      // The empty view's welcome says it, with a Connect button (a message would hide it).
      return undefined;
    case 'failed':
      if (status.kind !== 'team') return undefined;
      return status.retrying
        ? l10n.t('Team store unreachable. {0} HookLens tries again by itself.', status.message)
        : l10n.t('Team store unreachable. {0}', status.message);
    case 'open':
      if (status.kind === 'local') return undefined;
      if (status.unreachable !== null) {
        return l10n.t(
          'Team store unreachable: showing the deliveries loaded before; HookLens reconnects by itself.',
        );
      }
      return status.readOnlyReason === null
        ? undefined
        : l10n.t(
            'Team store, read-only role: browse, compare, export, generate and replay; replays are not recorded, and deliveries cannot be deleted here.',
          );
  }
}

/** True when this window may not store, delete or clear deliveries (a read-only store). */
export function storeReadOnly(status: StoreStatus): boolean {
  return status.phase === 'open' && status.readOnlyReason !== null;
}

/** Why a delete or clear is refused here, or undefined when it is allowed. */
export function writeRefusal(
  status: StoreStatus,
  what: 'delete' | 'clear',
  l10n: L10n,
): string | undefined {
  switch (status.phase) {
    case 'opening':
      return l10n.t('The delivery store is still opening; try again in a moment.');
    case 'not-connected':
      return l10n.t('The team store is not connected: run HookLens: Connect to Team Store… first.');
    case 'failed':
      return l10n.t('The delivery store is not open: {0}', status.message);
    case 'open': {
      const reason = status.readOnlyReason;
      if (reason === null) return undefined;
      // Whole sentences for each case: a translation may phrase "deleted" and "cleared" apart.
      if (status.kind === 'team') {
        return what === 'delete'
          ? l10n.t(
              'Deliveries cannot be deleted from this window: {0}. Ask someone with the writer role, or use hooklens with a writer URL.',
              reason,
            )
          : l10n.t(
              'Deliveries cannot be cleared from this window: {0}. Ask someone with the writer role, or use hooklens with a writer URL.',
              reason,
            );
      }
      return what === 'delete'
        ? l10n.t('Deliveries cannot be deleted: the delivery store is read-only ({0}).', reason)
        : l10n.t('Deliveries cannot be cleared: the delivery store is read-only ({0}).', reason);
    }
  }
}

/** Why the receiver cannot start on this store, or undefined when it can. */
export function receiverStartRefusal(status: StoreStatus, l10n: L10n): string | undefined {
  if (status.phase === 'not-connected') {
    return l10n.t(
      'The team store is chosen but not connected: run HookLens: Connect to Team Store… first, or set hooklens.store.location to local.',
    );
  }
  if (status.phase !== 'open' || status.readOnlyReason === null) return undefined;
  return status.kind === 'team'
    ? l10n.t(
        'The receiver cannot start in this window: {0}, so it could not store deliveries. Everything else works here: browse, compare, export, generate and replay. Receivers on the team store run with the writer role (hooklens listen --database-env NAME).',
        status.readOnlyReason,
      )
    : l10n.t('The delivery store is read-only: {0}', status.readOnlyReason);
}

/** How a replay that was sent but not recorded is labelled. */
export function notRecordedLabel(
  status: StoreStatus,
  reason: string | undefined,
  l10n: L10n,
): string {
  if (storeReadOnly(status)) return l10n.t('not recorded (read-only store)');
  return l10n.t('not recorded: {0}', reason ?? l10n.t('the store refused the write'));
}

/**
 * The `hooklens tail` command to copy: the team store is named by an environment variable the
 * user fills in (the URL holds a password, so it is never copied).
 */
export function tailCommand(
  kind: 'local' | 'team',
  quotedFolder: string,
  l10n: L10n,
  /** How to run the CLI: `hooklens` when installed, or the extension's bundled dist/cli.js. */
  cli = 'hooklens',
): { readonly command: string; readonly note?: string } {
  if (kind === 'local') return { command: `${cli} tail --store ${quotedFolder}` };
  return {
    command: `${cli} tail --database-env HOOKLENS_DATABASE_URL`,
    note: l10n.t(
      "Set HOOKLENS_DATABASE_URL to the team store's connection URL in that terminal first (HookLens never copies the URL: it holds the password).",
    ),
  };
}

/**
 * `text` with the connection URL's password (and the URL itself) replaced by `***`: a last guard
 * before a database error is shown or logged. pg does not put the password in its messages, and
 * this keeps it that way whatever a driver or proxy says.
 */
export function withoutPassword(text: string, connectionUrl: string): string {
  const secrets = new Set<string>();
  const trimmed = connectionUrl.trim();
  if (trimmed !== '') secrets.add(trimmed);
  try {
    const url = new URL(trimmed);
    if (url.password !== '') {
      secrets.add(url.password);
      try {
        secrets.add(decodeURIComponent(url.password));
      } catch {
        // A malformed escape: the raw form is replaced already.
      }
    }
    const inQuery = url.searchParams.get('password');
    if (inQuery) secrets.add(inQuery);
  } catch {
    // Not a URL: only the whole text is replaced.
  }
  let out = text;
  // Longest first, so the URL goes before the password inside it.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * How the editor opens the team store: the tree's first pages are listed at once and the older
 * deliveries follow in the background (100,000 of them take about 0.6 s to list).
 */
export const TEAM_STORE_OPEN_OPTIONS = { firstPage: 1_000 } as const;
