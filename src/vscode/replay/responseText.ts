// The text of the "Replay response" document opened beside the editor after a replay or an edited
// send (issue 16, "the answer beside the action"): what was sent where, the status line, the time,
// the headers and the body, pretty-printed when it is JSON. No `vscode` at run time (types only):
// unit-tested alone; its words are phrased with the `l10n` the caller passes (vscode.l10n; see
// translation.ts). HTTP's reason phrases ("Bad Gateway") are the protocol's, so they stay English.
import { STATUS_CODES } from 'node:http';
import type * as vscode from 'vscode';
import type { Attempt } from '../../core/delivery';
import { displayLocale } from '../../core/displayLocale';

/** vscode.l10n, or `english` (translation.ts) in the unit tests. */
type L10n = Pick<typeof vscode.l10n, 't'>;

export interface ReplayedDelivery {
  readonly deliveryId: string;
  /** The delivery's event name, when it has one. */
  readonly event: string | null;
  readonly attempt: Attempt;
  /** Said when the attempt could not be written to the store (read-only team store…). */
  readonly notRecorded?: string;
}

export interface ResponseView {
  readonly target: string;
  readonly replayed: readonly ReplayedDelivery[];
  readonly failures: ReadonlyArray<{ readonly deliveryId: string; readonly message: string }>;
  readonly cancelled: boolean;
}

export interface ResponseDocument {
  readonly text: string;
  /** `jsonc` when the one response is JSON: the header lines are comments, the body highlighted. */
  readonly language: 'jsonc' | 'plaintext';
}

/** At most this many deliveries are written out one by one; the rest are counted. */
export const MAX_LISTED = 50;

export function formatResponseDocument(view: ResponseView, l10n: L10n): ResponseDocument {
  const [only] = view.replayed;
  if (view.replayed.length === 1 && view.failures.length === 0 && only) {
    return single(view, only, l10n);
  }
  return many(view, l10n);
}

function single(view: ResponseView, item: ReplayedDelivery, l10n: L10n): ResponseDocument {
  const { attempt } = item;
  const response = attempt.response;
  const json = response ? prettyJson(response.body) : undefined;
  // The status first: it is what a narrow column shows whole.
  const head = [
    statusLine(attempt, l10n),
    l10n.t('{0} · replay of {1}', view.target, describe(item)),
    `${how(attempt, l10n)} · ${new Date(attempt.at).toLocaleString(displayLocale())}${item.notRecorded ? ` · ${item.notRecorded}` : ''}`,
    ...(response ? ['', ...response.headers.map(([name, value]) => `${name}: ${value}`)] : []),
  ];
  if (json !== undefined) {
    // The header lines as comments keep the document valid JSONC, so the body is highlighted.
    const comment = (line: string): string => (line === '' ? '//' : `// ${line}`);
    return {
      text: [...head.map(comment), '', json, ''].join('\n'),
      language: 'jsonc',
    };
  }
  const body = response
    ? response.body === ''
      ? l10n.t('(empty body)')
      : response.body
    : undefined;
  return {
    text: [...head, ...(body === undefined ? [] : ['', body]), ''].join('\n'),
    language: 'plaintext',
  };
}

function many(view: ResponseView, l10n: L10n): ResponseDocument {
  const total = view.replayed.length + view.failures.length;
  const answered = view.replayed.filter(({ attempt }) => is2xx(attempt.status)).length;
  const counts =
    total === 1
      ? l10n.t('{0} of 1 delivery replayed, {1} answered 2xx', view.replayed.length, answered)
      : l10n.t(
          '{0} of {1} deliveries replayed, {2} answered 2xx',
          view.replayed.length,
          total,
          answered,
        );
  const lines = [
    view.cancelled ? l10n.t('{0} (cancelled before the rest were sent)', counts) : counts,
    view.target,
  ];
  for (const item of view.replayed.slice(0, MAX_LISTED)) {
    const { attempt } = item;
    // The status leads each block, as it leads the document of one delivery.
    lines.push('', `── ${statusLine(attempt, l10n)} · ${describe(item)}`, how(attempt, l10n));
    if (item.notRecorded) lines.push(item.notRecorded);
    const body = attempt.response?.body;
    if (body !== undefined && body !== '') lines.push(prettyJson(body) ?? body);
  }
  if (view.replayed.length > MAX_LISTED) {
    lines.push(
      '',
      l10n.t('… and {0} more (the HookLens log lists them)', view.replayed.length - MAX_LISTED),
    );
  }
  for (const failure of view.failures) {
    lines.push('', l10n.t('── {0}: not sent: {1}', failure.deliveryId, failure.message));
  }
  return { text: `${lines.join('\n')}\n`, language: 'plaintext' };
}

/** `HTTP 200 OK · 42 ms`, or `No answer after 30012 ms: connect ECONNREFUSED …`. */
export function statusLine(attempt: Attempt, l10n: L10n): string {
  const time = attempt.timeMs === null ? '' : ` · ${attempt.timeMs} ms`;
  if (attempt.status === null) {
    const error = attempt.error ?? l10n.t('the request failed');
    return attempt.timeMs === null
      ? l10n.t('No answer: {0}', error)
      : l10n.t('No answer after {0} ms: {1}', attempt.timeMs, error);
  }
  const reason = STATUS_CODES[attempt.status];
  return `HTTP ${attempt.status}${reason ? ` ${reason}` : ''}${time}${attempt.error ? ` (${attempt.error})` : ''}`;
}

function how(attempt: Attempt, l10n: L10n): string {
  const signature =
    attempt.tokenMode === 'fresh'
      ? l10n.t('Fresh signature')
      : attempt.tokenMode === 'none'
        ? l10n.t('No signature')
        : l10n.t('Original signature');
  return attempt.bodyEdited ? l10n.t('{0} · edited body', signature) : signature;
}

function describe(item: ReplayedDelivery): string {
  return item.event === null ? item.deliveryId : `${item.event} (${item.deliveryId})`;
}

function is2xx(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/**
 * `text` re-indented by two spaces when it is one JSON value, else undefined. Indented token by
 * token rather than through JSON.parse and stringify, so numbers keep their digits (an id of
 * 2^53 + 1 would otherwise change) and keys their order and duplicates.
 */
export function prettyJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[[{"\d\-tfn]/.test(trimmed)) return undefined;
  try {
    JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = (): string => `\n${'  '.repeat(depth)}`;
  for (let index = 0; index < trimmed.length; index++) {
    const char = trimmed[index] ?? '';
    if (char === '"') {
      // A string token, copied as it is (escapes included).
      let end = index + 1;
      while (end < trimmed.length && trimmed[end] !== '"') end += trimmed[end] === '\\' ? 2 : 1;
      out += trimmed.slice(index, end + 1);
      index = end;
    } else if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      const rest = trimmed.slice(index + 1).trimStart();
      if (rest.startsWith(close)) {
        // An empty object or array stays on one line.
        out += `${char}${close}`;
        index = trimmed.indexOf(close, index + 1);
      } else {
        depth++;
        out += char + newline();
      }
    } else if (char === '}' || char === ']') {
      depth--;
      out += newline() + char;
    } else if (char === ',') {
      out += `,${newline()}`;
    } else if (char === ':') {
      out += ': ';
    } else if (!/\s/.test(char)) {
      out += char;
    }
  }
  return out;
}
