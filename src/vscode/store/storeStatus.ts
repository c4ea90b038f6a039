// Which delivery store this window follows, and how that is said in the status bar and above the
// tree. Plain logic (no vscode import), so it is unit-tested. The connection URL never reaches
// here: the team store is named by describeConnection (database, host, user; no password).

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
export function storeBadge(status: StoreStatus): StoreBadge | undefined {
  if (status.kind === 'local') return undefined;
  switch (status.phase) {
    case 'opening':
      return {
        text: '$(sync~spin) team store',
        tooltip: `Connecting to the ${status.location}…`,
        warning: false,
      };
    case 'not-connected':
      return {
        text: '$(plug) team store not connected',
        tooltip:
          'hooklens.store.location is team, but this VS Code has no connection URL: run HookLens: Connect to Team Store….',
        warning: true,
      };
    case 'failed':
      return {
        text: '$(warning) team store unreachable',
        tooltip: `${status.message}${status.retrying ? ' HookLens tries again by itself.' : ''}`,
        warning: true,
      };
    case 'open':
      if (status.unreachable !== null) {
        return {
          text: '$(warning) team store unreachable',
          tooltip: `${status.unreachable} The deliveries shown are the ones loaded before.`,
          warning: true,
        };
      }
      return {
        text: status.readOnlyReason === null ? '$(database) team' : '$(database) team (read-only)',
        tooltip:
          status.readOnlyReason === null
            ? `Following the ${status.location}.`
            : `Following the ${status.location}, read-only: ${status.readOnlyReason}.`,
        warning: false,
      };
  }
}

/** The line above the Deliveries tree for the store, or undefined when there is nothing to say. */
export function storeNote(status: StoreStatus): string | undefined {
  switch (status.phase) {
    case 'opening':
      return status.kind === 'team' ? `Connecting to the ${status.location}…` : undefined;
    case 'not-connected':
      // The empty view's welcome says it, with a Connect button (a message would hide it).
      return undefined;
    case 'failed':
      return status.kind === 'team'
        ? `Team store unreachable. ${status.message}${status.retrying ? ' HookLens tries again by itself.' : ''}`
        : undefined;
    case 'open':
      if (status.kind === 'local') return undefined;
      if (status.unreachable !== null) {
        return 'Team store unreachable: showing the deliveries loaded before; HookLens reconnects by itself.';
      }
      return status.readOnlyReason === null
        ? undefined
        : 'Team store, read-only role: browse, compare, export, generate and replay; replays are not recorded, and deliveries cannot be deleted here.';
  }
}

/** True when this window may not store, delete or clear deliveries (a read-only store). */
export function storeReadOnly(status: StoreStatus): boolean {
  return status.phase === 'open' && status.readOnlyReason !== null;
}

/** Why a delete or clear is refused here, or undefined when it is allowed. */
export function writeRefusal(status: StoreStatus, what: 'delete' | 'clear'): string | undefined {
  const verb = what === 'delete' ? 'deleted' : 'cleared';
  switch (status.phase) {
    case 'opening':
      return 'The delivery store is still opening; try again in a moment.';
    case 'not-connected':
      return 'The team store is not connected: run HookLens: Connect to Team Store… first.';
    case 'failed':
      return `The delivery store is not open: ${status.message}`;
    case 'open':
      if (status.readOnlyReason === null) return undefined;
      return status.kind === 'team'
        ? `Deliveries cannot be ${verb} from this window: ${status.readOnlyReason}. Ask someone with the writer role, or use hooklens with a writer URL.`
        : `Deliveries cannot be ${verb}: the delivery store is read-only (${status.readOnlyReason}).`;
  }
}

/** Why the receiver cannot start on this store, or undefined when it can. */
export function receiverStartRefusal(status: StoreStatus): string | undefined {
  if (status.phase === 'not-connected') {
    return 'The team store is chosen but not connected: run HookLens: Connect to Team Store… first, or set hooklens.store.location to local.';
  }
  if (status.phase !== 'open' || status.readOnlyReason === null) return undefined;
  return status.kind === 'team'
    ? `The receiver cannot start in this window: ${status.readOnlyReason}, so it could not store deliveries. Everything else works here: browse, compare, export, generate and replay. Receivers on the team store run with the writer role (hooklens listen --database-env NAME).`
    : `The delivery store is read-only: ${status.readOnlyReason}`;
}

/** How a replay that was sent but not recorded is labelled. */
export function notRecordedLabel(status: StoreStatus, reason: string | undefined): string {
  if (storeReadOnly(status)) return 'not recorded (read-only store)';
  return `not recorded: ${reason ?? 'the store refused the write'}`;
}

/**
 * The `hooklens tail` command to copy: the team store is named by an environment variable the
 * user fills in (the URL holds a password, so it is never copied).
 */
export function tailCommand(
  kind: 'local' | 'team',
  quotedFolder: string,
  /** How to run the CLI: `hooklens` when installed, or the extension's bundled dist/cli.js. */
  cli = 'hooklens',
): { readonly command: string; readonly note?: string } {
  if (kind === 'local') return { command: `${cli} tail --store ${quotedFolder}` };
  return {
    command: `${cli} tail --database-env HOOKLENS_DATABASE_URL`,
    note: "Set HOOKLENS_DATABASE_URL to the team store's connection URL in that terminal first (HookLens never copies the URL: it holds the password).",
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
