// The reading tools: list_deliveries, get_delivery, compare_deliveries, delivery_health. They only
// read the store's index and records; nothing is written, whoever owns the store. Their words are
// English in a German editor too: a model reads them, among the English notes and field names.
import type { DeliveryRecord } from '../delivery';
import { redactHeaders } from '../export/exportRecord';
import { deliveryOutcome, outcomeFactsOfRecord, outcomeFactsOfSummary } from '../detail/outcome';
import {
  formatHealthWindow,
  HealthTracker,
  parseHealthWindow,
  type HealthRow,
  type HealthStats,
} from '../health/healthTracker';
import { providerLabel } from '../providers/registry';
import type { DeliveryStoreBackend } from '../store/backend';
import type { DeliverySummary } from '../store/types';
import { english } from '../../shared/translation';
import { isFailedVerdict, presentVerdict } from '../../shared/verdicts';
import type { AgentContext } from './context';
import { agentAnswer, agentHeaders, redactPath } from './redaction';
import { AgentToolError } from './results';
import { parseLossless, plainJson, structuralDiff } from './structuralDiff';

const DEFAULT_PAGE = 20;
const DEFAULT_BODY_CHARS = 8000;
const RESPONSE_CHARS = 4000;
const ATTEMPT_RESPONSE_CHARS = 2000;
const MAX_ATTEMPTS_SHOWN = 20;
const SUMMARY_CHARS = 160;

export interface ListInput {
  readonly provider?: string;
  readonly event?: string;
  readonly verdict?: string;
  readonly status?: string;
  readonly failed_only?: boolean;
  readonly since?: string;
  readonly until?: string;
  readonly search?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export async function listDeliveries(
  input: ListInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  const store = await context.store();
  const nowMs = (context.now ?? Date.now)();
  const since = input.since === undefined ? undefined : timeBound('since', input.since, nowMs);
  const until = input.until === undefined ? undefined : timeBound('until', input.until, nowMs);
  const status = input.status?.trim().toLowerCase();
  if (status !== undefined && !/^(?:[1-5]\d\d|[1-5]xx|none)$/.test(status)) {
    throw new AgentToolError(
      'invalid-input',
      `status must be a code such as 401, a class such as 5xx, or none; not '${status.slice(0, 20)}'.`,
    );
  }
  let before: number | undefined;
  if (input.cursor !== undefined) {
    before = Number(input.cursor);
    if (!Number.isSafeInteger(before)) {
      throw new AgentToolError(
        'invalid-input',
        'cursor must be the next_cursor of a previous list_deliveries call; call it without cursor for the newest.',
      );
    }
  }
  const provider = input.provider?.trim().toLowerCase();
  const event = input.event?.trim().toLowerCase();
  const verdict = input.verdict?.trim().toLowerCase();
  const words = (input.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const limit = input.limit ?? DEFAULT_PAGE;

  const all = store.summaries();
  const matching = all.filter((summary) => {
    if (provider !== undefined && summary.sender !== provider) return false;
    if (event !== undefined && (summary.event ?? '').toLowerCase() !== event) return false;
    if (verdict !== undefined) {
      if (verdict === 'failed' ? !isFailedVerdict(summary.verdict) : summary.verdict !== verdict)
        return false;
    }
    if (status !== undefined && !statusMatches(summary.status, status)) return false;
    if (input.failed_only === true && !isFailed(summary)) return false;
    const received = Date.parse(summary.receivedAt);
    if (since !== undefined && !(received > since)) return false;
    if (until !== undefined && !(received < until)) return false;
    if (words.length > 0) {
      const haystack = [
        summary.id,
        summary.event,
        summary.url,
        summary.sessionId,
        summary.headline,
        summary.sender,
        summary.method,
      ]
        .filter(Boolean)
        .join('\n')
        .toLowerCase();
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  });
  const start = before === undefined ? 0 : matching.findIndex((summary) => summary.seq < before);
  const page = start < 0 ? [] : matching.slice(start, start + limit);
  const last = page.at(-1);
  const more = start >= 0 && start + page.length < matching.length;
  const nextCursor = more && last !== undefined ? String(last.seq) : null;
  return {
    matched: matching.length,
    stored: all.length,
    deliveries: page.map(row),
    next_cursor: nextCursor,
    note:
      matching.length === 0
        ? all.length === 0
          ? 'The store holds no deliveries yet. Point the webhook sender at the HookLens receiver, or send one with send_test_event.'
          : 'No delivery matches these filters; call list_deliveries with fewer filters.'
        : nextCursor === null
          ? `Rows ${start + 1}–${start + page.length} of ${matching.length}, newest first. Read one with get_delivery.`
          : `Rows ${start + 1}–${start + page.length} of ${matching.length}, newest first. More: call list_deliveries with the same filters and cursor "${nextCursor}".`,
  };
}

function row(summary: DeliverySummary): Record<string, unknown> {
  const outcome = deliveryOutcome(outcomeFactsOfSummary(summary), english);
  const verificationFailed = isFailedVerdict(summary.verdict);
  const headline = summary.headline ?? null;
  return {
    id: summary.id,
    receivedAt: summary.receivedAt,
    provider: summary.sender,
    event: summary.event,
    method: summary.method,
    path: redactPath(summary.url),
    verdict: summary.verdict,
    verificationFailed,
    status: summary.status,
    outcome: outcome.words ?? outcome.kind,
    failed: verificationFailed || outcome.failed,
    summary:
      headline === null || headline.length <= SUMMARY_CHARS
        ? headline
        : `${headline.slice(0, SUMMARY_CHARS)}…`,
    attempts: summary.attemptCount,
    bodySize: summary.bodySize,
  };
}

function isFailed(summary: DeliverySummary): boolean {
  return (
    isFailedVerdict(summary.verdict) ||
    deliveryOutcome(outcomeFactsOfSummary(summary), english).failed
  );
}

function statusMatches(status: number | null, wanted: string): boolean {
  if (status === null) return wanted === 'none';
  const text = String(status);
  return /^[1-5]xx$/.test(wanted) ? text[0] === wanted[0] : text === wanted;
}

function timeBound(name: string, text: string, nowMs: number): number {
  const trimmed = text.trim();
  const window = parseHealthWindow(trimmed);
  if (typeof window === 'number') return nowMs - window;
  const parsed = Date.parse(trimmed);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed) && Number.isFinite(parsed)) return parsed;
  throw new AgentToolError(
    'invalid-input',
    `${name} must be an ISO time (2025-06-01T10:00:00Z) or a duration such as 15m, 2h or 7d; not '${trimmed.slice(0, 40)}'.`,
  );
}

/** The delivery with this id, or with this unique prefix; a not-found error the agent can use. */
export async function findRecord(store: DeliveryStoreBackend, id: string): Promise<DeliveryRecord> {
  const wanted = id.trim();
  let record = await store.get(wanted);
  if (record === undefined && wanted.length >= 6) {
    const lower = wanted.toLowerCase();
    const candidates = store
      .summaries()
      .filter((summary) => summary.id.toLowerCase().startsWith(lower));
    if (candidates.length > 1) {
      throw new AgentToolError(
        'invalid-input',
        `'${wanted.slice(0, 100)}' is the start of ${candidates.length} delivery ids; give the whole id (list_deliveries shows them).`,
      );
    }
    const only = candidates[0];
    if (only !== undefined) record = await store.get(only.id);
  }
  if (record === undefined) {
    throw new AgentToolError(
      'not-found',
      `No delivery with id '${wanted.slice(0, 100)}' is stored (it may have been deleted or removed by retention). list_deliveries shows the newest deliveries and their ids.`,
    );
  }
  return record;
}

export interface GetInput {
  readonly id: string;
  readonly body_offset?: number;
  readonly body_max_chars?: number;
  readonly body_format?: 'auto' | 'text';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function getDelivery(
  input: GetInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  const store = await context.store();
  const record = await findRecord(store, input.id);
  const verdict = record.verification.verdict;
  const outcome = deliveryOutcome(outcomeFactsOfRecord(record), english);
  const attempts = record.attempts.slice(-MAX_ATTEMPTS_SHOWN);
  const notes: string[] = [];
  if (record.attempts.length > attempts.length) {
    notes.push(
      `Only the latest ${attempts.length} of ${record.attempts.length} attempts are shown.`,
    );
  }
  const body = bodyView(record, input, notes);
  return {
    id: record.id,
    receivedAt: record.receivedAt,
    method: record.method,
    path: redactPath(record.url),
    provider: record.sender,
    providerLabel: providerLabel(record.sender),
    event: record.event,
    sessionId: record.sessionId,
    senderEventId: record.senderEventId,
    duplicateOf: record.duplicateOf,
    headers: agentHeaders(record.headers),
    verification: {
      verdict,
      label: presentVerdict(verdict, english).label,
      failed: isFailedVerdict(verdict),
      reason: record.verification.reason,
      scheme: record.verification.scheme ?? null,
    },
    outcome: { kind: outcome.kind, failed: outcome.failed, sentence: outcome.sentence },
    body,
    response: agentAnswer(record.response, RESPONSE_CHARS),
    route:
      record.route === undefined
        ? null
        : {
            name: record.route.name,
            kind: record.route.kind,
            ...(record.route.target === undefined
              ? {}
              : { target: redactPath(record.route.target) }),
            ...(record.route.status === undefined ? {} : { status: record.route.status }),
            ...(record.route.note === undefined ? {} : { note: record.route.note }),
          },
    attempts: attempts.map((attempt) => ({
      kind: attempt.kind,
      at: attempt.at,
      target: redactPath(attempt.target),
      ...(attempt.route === undefined ? {} : { route: attempt.route }),
      signature: attempt.tokenMode,
      ...(attempt.bodyEdited ? { bodyEdited: true } : {}),
      status: attempt.status,
      timeMs: attempt.timeMs,
      error: attempt.error,
      response: agentAnswer(attempt.response, ATTEMPT_RESPONSE_CHARS),
    })),
    note: [
      ...notes,
      'Credential headers are redacted as in exports; configured secrets and tokens never appear.',
    ].join(' '),
  };
}

function bodyView(
  record: DeliveryRecord,
  input: GetInput,
  notes: string[],
): Record<string, unknown> {
  const bytes = Buffer.from(record.bodyBase64, 'base64');
  const base = { size: record.bodySize, sha256: record.bodySha256, parseError: record.parseError };
  if (bytes.length === 0)
    return { ...base, format: 'empty', text: '', offset: 0, totalChars: 0, next_offset: null };
  let text: string;
  let format: 'text' | 'base64';
  try {
    text = strictUtf8.decode(bytes);
    format = 'text';
  } catch {
    text = record.bodyBase64;
    format = 'base64';
    notes.push('The body is not UTF-8 text, so it is given as base64.');
  }
  const max = input.body_max_chars ?? DEFAULT_BODY_CHARS;
  const offset = input.body_offset ?? 0;
  if (
    format === 'text' &&
    input.body_format !== 'text' &&
    offset === 0 &&
    record.parseError === null &&
    text.length <= max
  ) {
    const parsed = parseLossless(text);
    if (parsed !== undefined) {
      return { ...base, format: 'json', json: plainJson(parsed.value), totalChars: text.length };
    }
  }
  if (offset > text.length) {
    throw new AgentToolError(
      'invalid-input',
      `body_offset ${offset} is past the end of the body (${text.length} characters).`,
    );
  }
  const page = text.slice(offset, offset + max);
  const end = offset + page.length;
  const next = end < text.length ? end : null;
  if (next !== null) {
    notes.push(
      `The body is ${text.length} characters; this is ${offset}–${end}. Read on with get_delivery id "${record.id}" body_offset ${next}.`,
    );
  }
  return { ...base, format, text: page, offset, totalChars: text.length, next_offset: next };
}

export interface CompareInput {
  readonly a: string;
  readonly b: string;
  readonly mask_volatile?: boolean;
  readonly include_headers?: boolean;
  readonly max_changes?: number;
}

export async function compareDeliveries(
  input: CompareInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  const store = await context.store();
  const a = await findRecord(store, input.a);
  const b = await findRecord(store, input.b);
  const maxChanges = input.max_changes ?? 100;
  const mask = input.mask_volatile ?? true;
  const side = (record: DeliveryRecord): Record<string, unknown> => ({
    id: record.id,
    provider: record.sender,
    event: record.event,
    receivedAt: record.receivedAt,
    verdict: record.verification.verdict,
    bodySize: record.bodySize,
  });
  const textOf = (record: DeliveryRecord): string | undefined => {
    try {
      return strictUtf8.decode(Buffer.from(record.bodyBase64, 'base64'));
    } catch {
      return undefined;
    }
  };
  const aText = textOf(a);
  const bText = textOf(b);
  const aJson = aText === undefined ? undefined : parseLossless(aText);
  const bJson = bText === undefined ? undefined : parseLossless(bText);
  const notes: string[] = [];
  let comparedAs: 'json' | 'text';
  let changes: readonly unknown[];
  let total: number;
  if (aJson !== undefined && bJson !== undefined) {
    comparedAs = 'json';
    const diff = structuralDiff(aJson.value, bJson.value, { maskVolatile: mask, maxChanges });
    changes = diff.changes;
    total = diff.total;
    if (mask) notes.push('Timestamps and ids are masked (mask_volatile false shows them).');
  } else {
    comparedAs = 'text';
    const same = a.bodySha256 === b.bodySha256;
    changes = same
      ? []
      : [{ path: '', kind: 'changed', a: `${a.bodySize} bytes`, b: `${b.bodySize} bytes` }];
    total = changes.length;
    notes.push(
      'At least one body is not JSON, so the bodies are compared whole (by their SHA-256).',
    );
  }
  if (total > changes.length) {
    notes.push(
      `${total} changes; the first ${changes.length} are listed (max_changes up to 500 lists more).`,
    );
  }
  let headerChanges: unknown[] | undefined;
  if (input.include_headers === true) {
    const diff = structuralDiff(headerObject(a), headerObject(b), {
      maskVolatile: mask,
      maxChanges,
    });
    headerChanges = [...diff.changes];
  }
  return {
    a: side(a),
    b: side(b),
    comparedAs,
    identical: total === 0 && (headerChanges === undefined || headerChanges.length === 0),
    totalChanges: total,
    changes,
    ...(headerChanges === undefined ? {} : { headerChanges }),
    note: notes.join(' ') || 'Paths are JSON pointers into the bodies.',
  };
}

/** Headers as an object keyed by lower-case name (repeats joined), credentials redacted. */
function headerObject(record: DeliveryRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of redactHeaders(record.headers)) {
    const key = name.toLowerCase();
    out[key] = Object.hasOwn(out, key) ? `${out[key]}, ${value}` : value;
  }
  return out;
}

export interface HealthInput {
  readonly window?: string;
  readonly max_rows?: number;
}

export async function deliveryHealth(
  input: HealthInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  const windowText = (input.window ?? '1h').trim();
  const window = parseHealthWindow(windowText);
  if (window === undefined) {
    throw new AgentToolError(
      'invalid-input',
      `window must be 5m, 15m, 1h, 24h, all, or a whole number with s, m, h or d (up to 365d); not '${windowText.slice(0, 20)}'.`,
    );
  }
  const store = await context.store();
  const tracker = new HealthTracker(context.now ? { now: context.now } : {});
  let snapshot;
  try {
    tracker.seed(store.summaries());
    snapshot = tracker.snapshot(window);
  } finally {
    tracker.dispose();
  }
  const maxRows = input.max_rows ?? 20;
  const rows = (list: readonly HealthRow[]): unknown[] =>
    list.slice(0, maxRows).map((item) => ({
      key:
        item.kind === 'key'
          ? item.key
          : item.kind === 'none'
            ? '(none)'
            : `(${item.keyCount} others)`,
      ...stats(item),
    }));
  const cut = snapshot.byEvent.length > maxRows || snapshot.byEndpoint.length > maxRows;
  return {
    window: formatHealthWindow(window),
    from: snapshot.from,
    to: snapshot.to,
    total: snapshot.total,
    perMinute: Math.round(snapshot.perMinute.rate * 100) / 100,
    verdicts: Object.fromEntries(
      Object.entries(snapshot.verdicts).filter(([, count]) => count > 0),
    ),
    failedVerifications: snapshot.failedVerifications,
    forwards: snapshot.forwards,
    overall: stats(snapshot.overall),
    byEvent: rows(snapshot.byEvent),
    byEndpoint: rows(snapshot.byEndpoint),
    note: [
      snapshot.total === 0
        ? `No deliveries in ${window === 'all' ? 'the store' : `the last ${formatHealthWindow(window)}`}; a longer window (all) may show some.`
        : 'Errors are statuses outside 2xx or no answer; times are p50/p95/max in ms.',
      cut ? `Tables are cut to ${maxRows} rows (max_rows up to 50).` : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

function stats(item: HealthStats): Record<string, unknown> {
  return {
    count: item.count,
    p50Ms: item.p50,
    p95Ms: item.p95,
    maxMs: item.max,
    errors: item.errors,
    errorRate: item.errorRate === null ? null : Math.round(item.errorRate * 1000) / 1000,
  };
}
