// Builds what the detail panel shows for one stored delivery. Pure: the host posts the result to
// the webview as is. The webview must stay responsive with a 10 MB body (W-06), so a large body
// is decoded only as far as the panel shows it, and the rest is one "Open full body" away.
import * as l10n from '@vscode/l10n';
import type { Attempt, DeliveryRecord, RecordedResponse, RouteChoice } from '../delivery';
import { redactHeaders } from '../export/exportRecord';
import { providerById, providerLabel } from '../providers/registry';
import { parseBody } from '../receiver/bodyText';
import { senderViewOf, senderViewOfText } from '../senders/senderView';
import { headlineOfView } from './headline';
import { deliveryOutcome, outcomeFactsOfRecord } from './outcome';
import { routeLine } from './rowPresentation';
import {
  DEFAULT_MAX_INLINE_BODY_BYTES,
  type AttemptDetail,
  type AuthDetail,
  type AuthSection,
  type DeliveryDetail,
  type MissingSecret,
  type RequestDetail,
  type ResponseDetail,
  type RouteDetail,
  type SenderView,
} from '../../shared/detail';

export interface DeliveryDetailOptions {
  /** How many stored deliveries repeat this one (the sender's retries), from the summary. */
  readonly duplicateCount: number;
  readonly pinned: boolean;
  /** Bodies larger than this are sent truncated, raw only. Default 256 KiB. */
  readonly maxInlineBodyBytes?: number;
}

export function buildDeliveryDetail(
  record: DeliveryRecord,
  options: DeliveryDetailOptions,
): DeliveryDetail {
  const request = requestDetail(
    record,
    options.maxInlineBodyBytes ?? DEFAULT_MAX_INLINE_BODY_BYTES,
  );
  const outcome = deliveryOutcome(outcomeFactsOfRecord(record));
  const attempts = record.attempts.map((attempt) => attemptDetail(attempt, record.bodySha256));
  const forward = [...attempts].reverse().find((attempt) => attempt.kind === 'forward') ?? null;
  const senderView = senderViewFor(record, request);
  return {
    overview: {
      id: record.id,
      sessionId: record.sessionId,
      event: record.event,
      // Records from before headlines were stored get one from the view the panel builds anyway.
      headline:
        typeof record.headline === 'string' && record.headline
          ? record.headline
          : headlineOfView(senderView),
      endpoint: `${record.method} ${record.url}`,
      // What the sender was answered, as the tree's rows lead with: a replay never changes it.
      httpStatus: outcome.status,
      timeTakenMs: typeof record.response?.timeMs === 'number' ? record.response.timeMs : null,
      retryCount: options.duplicateCount,
      replayCount: record.attempts.filter((attempt) => attempt.kind === 'replay').length,
      outcome: {
        kind: outcome.kind,
        failed: outcome.failed,
        words: outcome.words,
        sentence: outcome.sentence,
      },
      createdAt: record.receivedAt,
      verdict: record.verification.verdict,
      verdictReason: record.verification.reason,
      sender:
        providerLabel(record.sender) === record.sender
          ? record.sender
          : `${providerLabel(record.sender)} (${record.sender})`,
    },
    pinned: options.pinned,
    request,
    response: record.response ? responseDetail(record.response) : null,
    forward,
    auth: authDetail(record),
    attempts,
    ...(record.route ? { route: routeDetail(record.route) } : {}),
    senderView,
    duplicateOf: record.duplicateOf,
    duplicateCount: options.duplicateCount,
  };
}

function requestDetail(record: DeliveryRecord, maxInlineBytes: number): RequestDetail {
  const contentType =
    record.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  const body = displayedBody(record.bodyBase64, maxInlineBytes);
  return {
    method: record.method,
    url: record.url,
    headers: redactHeaders(record.headers),
    contentType,
    ...body,
    parseError: record.parseError,
    form: body.truncated ? null : formOf(record.bodyBase64, contentType),
  };
}

/** A form body's fields, as capture parsed them (declared charset included); null otherwise. */
function formOf(
  bodyBase64: string,
  contentType: string | null,
): ReadonlyArray<readonly [string, string]> | null {
  if (!isFormContentType(contentType)) return null;
  const parsed = parseBody(Buffer.from(bodyBase64, 'base64'), contentType ?? undefined);
  return parsed.ok && parsed.form !== undefined ? parsed.form : null;
}

function isFormContentType(contentType: string | null): boolean {
  return (
    (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
  );
}

/** The sender's view or provider summary, from the body as parsed at capture. */
function senderViewFor(record: DeliveryRecord, request: RequestDetail): SenderView | null {
  if (request.truncated || record.parseError !== null) return null;
  const context = { headers: record.headers, form: request.form };
  if (request.form !== null) {
    // The form's `payload` JSON or its fields as one flat object, as recognition read them.
    const parsed = parseBody(
      Buffer.from(record.bodyBase64, 'base64'),
      request.contentType ?? undefined,
    );
    return parsed.ok ? senderViewOf(parsed.json, record.sender, record.event, context) : null;
  }
  if (request.bodyEncoding !== 'utf8') return null;
  return senderViewOfText(request.bodyText, record.sender, record.event, context);
}

/** The Auth tab: the verdict, who checked it how, and the scheme's own details. */
function authDetail(record: DeliveryRecord): AuthDetail {
  const verification = record.verification;
  const { header, claims } = verification;
  const scheme = typeof verification.scheme === 'string' ? verification.scheme : null;
  return {
    verdict: String(verification.verdict),
    reason: String(verification.reason),
    tokenPresent: record.headers.some(
      ([name, value]) => name.toLowerCase() === 'authorization' && value.trim() !== '',
    ),
    ...(isRecord(header) ? { header } : {}),
    ...(isRecord(claims) ? { claims } : {}),
    scheme,
    // Records from before schemes were stored were all checked as JWTs.
    isJwt: scheme === null || scheme === 'jwt',
    provider: record.sender,
    providerLabel: providerLabel(record.sender),
    matchedSecret:
      typeof verification.matchedSecret === 'string' ? verification.matchedSecret : null,
    sections: sectionsOf(verification.details),
    missingSecret: verification.verdict === 'no_secret' ? missingSecret(record.sender) : null,
    checkedAt: record.receivedAt,
  };
}

const MAX_SECTIONS = 20;
const MAX_ROWS = 100;
const MAX_CELL_CHARS = 2000;

/**
 * The stored details, read defensively: a record written by another HookLens version may hold
 * anything there, and the panel shows what it can rather than fail.
 */
function sectionsOf(details: unknown): AuthSection[] {
  if (!Array.isArray(details)) return [];
  return details.slice(0, MAX_SECTIONS).flatMap((section: unknown): AuthSection[] => {
    if (!isRecord(section)) return [];
    const rows = Array.isArray(section.rows) ? section.rows : [];
    return [
      {
        title: cell(section.title) || l10n.t('Details'),
        rows: rows.slice(0, MAX_ROWS).flatMap((row: unknown) => {
          if (!Array.isArray(row) || row.length < 2) return [];
          return [[cell(row[0]), cell(row[1])] as const];
        }),
      },
    ];
  });
}

function cell(value: unknown): string {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : value === null || value === undefined
          ? ''
          : safeJson(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** "Set a GitHub webhook secret to check it." with where GitHub keeps it. */
function missingSecret(sender: string): MissingSecret {
  // A non-JSON body from no known provider is checked as the generic webhook is.
  const provider = providerById(sender === 'unknown' ? 'generic' : sender);
  if (provider === undefined) {
    return { message: l10n.t('Set a secret for {0} to check it.', sender), where: null };
  }
  const { label, secret } = provider;
  // The provider's own words for its secret and where it keeps it are English (providers/*).
  const noun = secret.noun.toLowerCase().startsWith(label.toLowerCase())
    ? secret.noun
    : `${label} ${secret.noun}`;
  return {
    message:
      secret.kind === 'public-key'
        ? l10n.t('Set the {0} to check it.', noun)
        : l10n.t('Set a {0} to check it.', noun),
    where: `${upperFirst(secret.where)}.`,
  };
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface DisplayedBody {
  readonly bodyText: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  readonly bodySize: number;
  readonly truncated: boolean;
}

/** The body's text, or its first `maxBytes` bytes, decoding no more of the base64 than that. */
export function displayedBody(bodyBase64: string, maxBytes: number): DisplayedBody {
  const bodySize = base64ByteLength(bodyBase64);
  const truncated = bodySize > maxBytes;
  const bytes = truncated
    ? Buffer.from(bodyBase64.slice(0, Math.ceil(maxBytes / 3) * 4), 'base64').subarray(0, maxBytes)
    : Buffer.from(bodyBase64, 'base64');
  // A cut can split a multi-byte character: drop up to three trailing bytes before giving up.
  const attempts = truncated ? 4 : 1;
  for (let dropped = 0; dropped < attempts && dropped <= bytes.length; dropped++) {
    try {
      const text = utf8.decode(bytes.subarray(0, bytes.length - dropped));
      return { bodyText: text, bodyEncoding: 'utf8', bodySize, truncated };
    } catch {
      // Not UTF-8 at this cut; try a shorter one.
    }
  }
  return {
    bodyText: truncated ? bytes.toString('base64') : bodyBase64,
    bodyEncoding: 'base64',
    bodySize,
    truncated,
  };
}

function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

function routeDetail(route: RouteChoice): RouteDetail {
  const status = typeof route.status === 'number' ? route.status : null;
  const delayMs = typeof route.delayMs === 'number' ? route.delayMs : null;
  const target = typeof route.target === 'string' ? route.target : null;
  return {
    name: route.name,
    kind: route.kind,
    target,
    status,
    delayMs,
    sentence:
      route.kind === 'forward'
        ? target === null
          ? l10n.t('Sent to the route’s handler; the sender got that handler’s answer.')
          : l10n.t('Sent to {0}; the sender got that handler’s answer.', target)
        : (route.note ?? routeLine(route)),
  };
}

function attemptDetail(attempt: Attempt, capturedSha256: string): AttemptDetail {
  return {
    id: attempt.id,
    kind: attempt.kind,
    at: attempt.at,
    target: attempt.target,
    tokenMode: attempt.tokenMode,
    bodyEdited: attempt.bodyEdited === true,
    sentBodyIdentical:
      typeof attempt.sentBodySha256 === 'string' ? attempt.sentBodySha256 === capturedSha256 : null,
    status: typeof attempt.status === 'number' ? attempt.status : null,
    timeMs: typeof attempt.timeMs === 'number' ? attempt.timeMs : null,
    error: attempt.error,
    response: attempt.response ? responseDetail(attempt.response) : null,
    ...(typeof attempt.route === 'string' ? { route: attempt.route } : {}),
    ...(typeof attempt.by === 'string' && attempt.by !== '' ? { by: attempt.by } : {}),
  };
}

function responseDetail(response: RecordedResponse): ResponseDetail {
  return {
    status: response.status,
    headers: response.headers.map(([name, value]) => [name, value] as const),
    body: response.body,
    timeMs: response.timeMs,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
