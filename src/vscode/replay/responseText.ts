// The text of the "Replay response" document opened beside the editor after a replay or an edited
// send (issue 16, "the answer beside the action"): what was sent where, the status line, the time,
// the headers and the body, pretty-printed when it is JSON. No `vscode` here: unit-tested alone.
import { STATUS_CODES } from 'node:http';
import type { Attempt } from '../../core/delivery';

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

export function formatResponseDocument(view: ResponseView): ResponseDocument {
  const [only] = view.replayed;
  if (view.replayed.length === 1 && view.failures.length === 0 && only) return single(view, only);
  return many(view);
}

function single(view: ResponseView, item: ReplayedDelivery): ResponseDocument {
  const { attempt } = item;
  const response = attempt.response;
  const json = response ? prettyJson(response.body) : undefined;
  // The status first: it is what a narrow column shows whole.
  const head = [
    statusLine(attempt),
    `${view.target} · replay of ${describe(item)}`,
    `${how(attempt)} · ${new Date(attempt.at).toLocaleString()}${item.notRecorded ? ` · ${item.notRecorded}` : ''}`,
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
  const body = response ? (response.body === '' ? '(empty body)' : response.body) : undefined;
  return {
    text: [...head, ...(body === undefined ? [] : ['', body]), ''].join('\n'),
    language: 'plaintext',
  };
}

function many(view: ResponseView): ResponseDocument {
  const total = view.replayed.length + view.failures.length;
  const answered = view.replayed.filter(({ attempt }) => is2xx(attempt.status)).length;
  const lines = [
    `${view.replayed.length} of ${total} ${total === 1 ? 'delivery' : 'deliveries'} replayed, ${answered} answered 2xx${view.cancelled ? ' (cancelled before the rest were sent)' : ''}`,
    view.target,
  ];
  for (const item of view.replayed.slice(0, MAX_LISTED)) {
    const { attempt } = item;
    // The status leads each block, as it leads the document of one delivery.
    lines.push('', `── ${statusLine(attempt)} · ${describe(item)}`, how(attempt));
    if (item.notRecorded) lines.push(item.notRecorded);
    const body = attempt.response?.body;
    if (body !== undefined && body !== '') lines.push(prettyJson(body) ?? body);
  }
  if (view.replayed.length > MAX_LISTED) {
    lines.push('', `… and ${view.replayed.length - MAX_LISTED} more (the HookLens log lists them)`);
  }
  for (const failure of view.failures) {
    lines.push('', `── ${failure.deliveryId}: not sent: ${failure.message}`);
  }
  return { text: `${lines.join('\n')}\n`, language: 'plaintext' };
}

/** `HTTP 200 OK · 42 ms`, or `No answer after 30012 ms: connect ECONNREFUSED …`. */
export function statusLine(attempt: Attempt): string {
  const time = attempt.timeMs === null ? '' : ` · ${attempt.timeMs} ms`;
  if (attempt.status === null) {
    return `No answer${attempt.timeMs === null ? '' : ` after ${attempt.timeMs} ms`}: ${attempt.error ?? 'the request failed'}`;
  }
  const reason = STATUS_CODES[attempt.status];
  return `HTTP ${attempt.status}${reason ? ` ${reason}` : ''}${time}${attempt.error ? ` (${attempt.error})` : ''}`;
}

function how(attempt: Attempt): string {
  const signature =
    attempt.tokenMode === 'fresh'
      ? 'Fresh signature'
      : attempt.tokenMode === 'none'
        ? 'No signature'
        : 'Original signature';
  return `${signature}${attempt.bodyEdited ? ' · edited body' : ''}`;
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
