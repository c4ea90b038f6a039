// Turns captured deliveries into the HandlerModel: groups them by event, finds where the event
// name lives (the key the generated handler dispatches on), and prepares each body as a sample.
// Hostile bodies are handled here, before any library sees them: too deep, not JSON, not UTF-8
// and unnamed deliveries are left out with a reason; tokens and secrets never reach a sample.
// Deliveries whose verification failed are left out unless asked for, handshakes (which the
// generated handler answers itself) are not samples, and one handler serves one provider.
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import type { DeliveryRecord, Verification } from '../delivery';
import type { GenericHmacConfig } from '../verify/schemes/genericHmac';
import { isFailedVerdict } from '../../shared/verdicts';
import { jsonNestingDepth } from '../jsonDepth';
import { stringAt } from '../senders/jsonPointer';
import { DEFAULT_GENERIC_POINTERS } from '../senders/recognise';
import {
  GenerationError,
  type EventKey,
  type EventModel,
  type FieldSummary,
  type HandlerModel,
  type ReplyKind,
  type SampleBody,
} from './model';
import { unrepresentableKeyReason } from './literals';
import { uniqueStems } from './names';
import {
  HANDSHAKE_EVENTS,
  PROVIDER_EVENT_RULES,
  verificationProfile,
} from './verification/profile';

export type GenerationRecord = Pick<
  DeliveryRecord,
  'id' | 'bodyBase64' | 'parseError' | 'sender' | 'event' | 'headers'
> & {
  /** The verdict at capture; absent (as in records from before 0.2) counts as not failed. */
  readonly verification?: Pick<Verification, 'verdict'> & { readonly scheme?: string };
};

export interface ModelOptions {
  /** The configured generic event pointer (`hooklens.genericSender.eventPointer`). */
  readonly genericEventPointer?: string;
  /** Values that must never appear in generated code (the configured secrets). */
  readonly secrets?: readonly string[];
  /** Use deliveries whose verification failed too (forged, wrong secret); left out by default. */
  readonly includeUnverified?: boolean;
  /** Only this provider's deliveries (`hooklens generate --provider ID`); others are ignored. */
  readonly provider?: string;
  /** The generic HMAC scheme's settings, for generic-hmac deliveries. */
  readonly genericHmac?: GenericHmacConfig;
}

/** Deeper bodies are left out: quicktype and the generated parsers recurse (catalogue C-06). */
export const MAX_SAMPLE_DEPTH = 64;
const EMBEDDED_PER_EVENT = 3;
const EMBEDDED_MAX_BYTES = 64 * 1024;
const MAX_FIELD_PATHS = 400;
const WATSON_PAYLOAD_REPLY_EVENTS = new Set(['message_received', 'message_processed']);
const JWT_SHAPE = /^(?:bearer\s+)?eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/i;
export const REDACTED_TOKEN = '<token removed by HookLens>';
export const REDACTED_SECRET = '<secret removed by HookLens>';

interface Candidate {
  readonly record: GenerationRecord;
  readonly event: string;
  readonly value: unknown;
  readonly hasUnsafeInteger: boolean;
  readonly form?: 'fields' | 'payload';
  /** One event of a batch body (SendGrid's JSON array). */
  readonly batch?: true;
}

/** The senders whose events are found by pointer or header (not by the provider's own rules). */
const POINTER_SENDERS = new Set(['watson', 'rapida', 'generic', 'generic-hmac']);

export function buildHandlerModel(
  records: readonly GenerationRecord[],
  options: ModelOptions = {},
): HandlerModel {
  if (records.length === 0)
    throw new GenerationError('Select at least one delivery to generate from.');
  const chosen =
    options.provider === undefined
      ? records
      : records.filter((record) => record.sender === options.provider);
  if (chosen.length === 0) {
    throw new GenerationError(
      `None of the selected deliveries come from ${JSON.stringify(options.provider)}; they come from ${describeProviders(records)}.`,
    );
  }
  refuseMixedProviders(chosen);
  const skipped: Array<{ deliveryId: string; reason: string }> = [];
  const secrets = (options.secrets ?? []).filter((secret) => secret !== '');
  const candidates: Candidate[] = [];
  let unverified = 0;
  // Sorted by id (time order), so the same deliveries give the same code whatever the selection order.
  for (const record of [...chosen].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const verdict = record.verification?.verdict;
    if (verdict !== undefined && isFailedVerdict(verdict) && options.includeUnverified !== true) {
      unverified++;
      skipped.push({
        deliveryId: record.id,
        reason: `Its verification failed (${verdict}); a handler is generated from genuine deliveries only (include them with --include-unverified).`,
      });
      continue;
    }
    if (record.event !== null && HANDSHAKE_EVENTS[record.sender]?.includes(record.event)) {
      skipped.push({
        deliveryId: record.id,
        reason: `A ${record.event} handshake: the generated handler answers it itself.`,
      });
      continue;
    }
    if (record.sender === 'sendgrid') {
      // A batch: each event in it is a sample of its own event.
      const prepared = prepareBatch(record, secrets);
      if ('reason' in prepared) skipped.push({ deliveryId: record.id, reason: prepared.reason });
      else candidates.push(...prepared.items);
      continue;
    }
    const prepared = prepare(record, secrets);
    const reason =
      'reason' in prepared ? prepared.reason : unrepresentableKeyReason(prepared.value);
    if (reason !== undefined) skipped.push({ deliveryId: record.id, reason });
    else candidates.push(prepared as Candidate);
  }
  if (candidates.length === 0) {
    const reasons = [...new Set(skipped.map((skip) => skip.reason))].slice(0, 3).join(' ');
    throw new GenerationError(`None of the selected deliveries can be used: ${reasons}`);
  }
  const provider = candidates[0]!.record.sender;
  const verification = verificationProfile(
    provider,
    candidates.map((candidate) => ({
      headers: candidate.record.headers,
      verdict: candidate.record.verification?.verdict,
    })),
    options.genericHmac,
  );
  const eventKey: EventKey = POINTER_SENDERS.has(provider)
    ? chooseEventKey(candidates, options.genericEventPointer)
    : { kind: 'provider', rules: PROVIDER_EVENT_RULES[provider] ?? [] };
  const byEvent = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const group = byEvent.get(candidate.event);
    if (group) group.push(candidate);
    else byEvent.set(candidate.event, [candidate]);
  }
  const names = [...byEvent.keys()].sort();
  // `UnknownEvent` is the fallback handler's stem in every target.
  const stems = uniqueStems(names, ['UnknownEvent']);
  const sender = candidates[0]!.record.sender;
  const events: EventModel[] = names.map((name, index) => {
    const group = byEvent.get(name)!;
    const samples = group.map((candidate): SampleBody => ({
      deliveryId: candidate.record.id,
      value: candidate.value,
      hasUnsafeInteger: candidate.hasUnsafeInteger,
      ...(candidate.form === undefined ? {} : { form: candidate.form }),
      ...(candidate.batch ? { batch: true as const } : {}),
      eventHeaders: namingHeaders(eventKey, candidate.record.headers),
    }));
    return {
      name,
      stem: stems[index]!,
      reply: replyFor(sender, name),
      samples,
      embedded: chooseEmbedded(samples),
      fields: summarizeFields(samples.map((sample) => sample.value)),
    };
  });
  return {
    sender,
    verification,
    eventKey,
    events,
    usedDeliveries: candidates.length,
    skipped,
    unverified,
  };
}

/** The headers the event key reads, as the delivery had them (the generated test sends them). */
function namingHeaders(
  key: EventKey,
  headers: GenerationRecord['headers'],
): Array<readonly [string, string]> {
  const names = new Set<string>();
  if (key.kind === 'header') names.add(key.name);
  if (key.kind === 'provider') {
    for (const rule of key.rules) {
      const sources = [...(rule.sources ?? []), ...(rule.suffix?.sources ?? [])];
      if (rule.guard) sources.push(rule.guard.source);
      for (const source of sources) if (source.from === 'header') names.add(source.name);
    }
  }
  const out: Array<readonly [string, string]> = [];
  for (const name of names) {
    const found = headers.find(([header]) => header.toLowerCase() === name);
    if (found) out.push([name, found[1]]);
  }
  return out;
}

/** "github ×3, stripe ×2": the providers among the records, most deliveries first. */
export function describeProviders(records: readonly Pick<GenerationRecord, 'sender'>[]): string {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.sender, (counts.get(record.sender) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([sender, count]) => `${sender} ×${count}`)
    .join(', ');
}

/**
 * One handler verifies one provider's signatures and reads one provider's event names, so a
 * selection spanning several is refused with the providers and how to pick one.
 */
function refuseMixedProviders(records: readonly GenerationRecord[]): void {
  const senders = [...new Set(records.map((record) => record.sender))];
  if (senders.length <= 1) return;
  const counts = describeProviders(records);
  const top = counts.split(' ×')[0] ?? senders[0]!;
  throw new GenerationError(
    `The selected deliveries come from different senders (${counts}); a handler verifies and dispatches one provider's deliveries. Generate one provider at a time: hooklens generate --provider ${top} (or select one provider's deliveries).`,
  );
}

function prepare(
  record: GenerationRecord,
  secrets: readonly string[],
  allowArray = false,
): Candidate | { reason: string } {
  if (record.event === null || record.event === '') {
    return { reason: 'A delivery without an event name cannot be dispatched.' };
  }
  if (isForm(record.headers)) return prepareForm(record, secrets);
  if (record.parseError !== null) return { reason: 'A delivery body is not JSON.' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      Buffer.from(record.bodyBase64, 'base64'),
    );
  } catch {
    return { reason: 'A delivery body is not UTF-8 text.' };
  }
  const depth = jsonNestingDepth(text);
  if (depth > MAX_SAMPLE_DEPTH) {
    return {
      reason: `A delivery body nests ${depth} levels deep; HookLens generates code for up to ${MAX_SAMPLE_DEPTH} levels.`,
    };
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    return { reason: 'A delivery body is not JSON.' };
  }
  if (!isPlainObject(parsed) && !(allowArray && Array.isArray(parsed))) {
    return { reason: 'A delivery body is not a JSON object.' };
  }
  const scrubbed = scrub(parsed, secrets);
  return { record, event: record.event, value: scrubbed.value, hasUnsafeInteger: scrubbed.unsafe };
}

/**
 * SendGrid's body: a JSON array of events, each an object naming itself in `event`. Every event
 * becomes a candidate of its own (the generated handler dispatches them one by one).
 */
function prepareBatch(
  record: GenerationRecord,
  secrets: readonly string[],
): { items: Candidate[] } | { reason: string } {
  // The array as a whole goes through the same checks as any JSON body.
  const whole = prepare({ ...record, event: record.event || 'batch' }, secrets, true);
  if ('reason' in whole) return whole;
  if (!Array.isArray(whole.value))
    return { reason: 'A SendGrid body is not a JSON array of events.' };
  const items: Candidate[] = [];
  for (const item of whole.value) {
    const event = isPlainObject(item) ? item['event'] : undefined;
    if (typeof event !== 'string' || event === '') continue;
    if (unrepresentableKeyReason(item) !== undefined) continue;
    items.push({
      record,
      event,
      value: item,
      hasUnsafeInteger: scrub(item, []).unsafe,
      batch: true,
    });
  }
  if (items.length === 0) return { reason: 'A SendGrid batch holds no event with an event name.' };
  return { items };
}

function isForm(headers: GenerationRecord['headers']): boolean {
  const type = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * A form body as the generated handler reads it: a `payload` field holding a JSON object
 * becomes the document (Slack interactivity, GitHub's form type), else the fields as an object
 * of strings (the first value of a repeated field), as HookLens's own parser does.
 */
function prepareForm(
  record: GenerationRecord,
  secrets: readonly string[],
): Candidate | { reason: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      Buffer.from(record.bodyBase64, 'base64'),
    );
  } catch {
    return { reason: 'A form body is not UTF-8 text.' };
  }
  const fields = [...new URLSearchParams(text)];
  const payload = fields.find(([name]) => name === 'payload')?.[1];
  if (payload !== undefined && jsonNestingDepth(payload) <= MAX_SAMPLE_DEPTH) {
    try {
      const parsed = parse(payload);
      if (isPlainObject(parsed)) {
        const scrubbed = scrub(parsed, secrets);
        return {
          record,
          event: record.event!,
          value: scrubbed.value,
          hasUnsafeInteger: scrubbed.unsafe,
          form: 'payload',
        };
      }
    } catch {
      // Not JSON: the fields themselves, as below.
    }
  }
  const object: Record<string, string> = {};
  for (const [name, value] of fields) {
    if (Object.hasOwn(object, name)) continue;
    Object.defineProperty(object, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (Object.keys(object).length === 0) return { reason: 'A form body has no fields.' };
  const scrubbed = scrub(object, secrets);
  return {
    record,
    event: record.event!,
    value: scrubbed.value,
    hasUnsafeInteger: false,
    form: 'fields',
  };
}

/**
 * A copy without tokens or secrets, noting integers JavaScript cannot hold. Objects are rebuilt
 * with defineProperty so a `__proto__` key stays a key and never becomes a prototype (C-03).
 */
function scrub(value: unknown, secrets: readonly string[]): { value: unknown; unsafe: boolean } {
  let unsafe = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (JWT_SHAPE.test(node)) return REDACTED_TOKEN;
      return secrets.some((secret) => node.includes(secret)) ? REDACTED_SECRET : node;
    }
    if (isLosslessNumber(node)) {
      if (isUnsafeInteger(node.value)) unsafe = true;
      return node;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (isPlainObject(node)) {
      const copy = {};
      for (const key of Object.keys(node)) {
        Object.defineProperty(copy, key, {
          value: walk(node[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copy;
    }
    return node;
  };
  return { value: walk(value), unsafe };
}

/** Largest integer each language's default JSON number holds exactly. */
export const JS_SAFE_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);
export const GO_INT64_MAX = 2n ** 63n - 1n;

export function isUnsafeInteger(numberText: string, limit: bigint = JS_SAFE_INTEGER): boolean {
  if (!/^-?[0-9]+$/.test(numberText)) return false;
  return BigInt(numberText.replace(/^-/, '')) > limit;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value)
  );
}

function replyFor(sender: GenerationRecord['sender'], event: string): ReplyKind {
  return sender === 'watson' && WATSON_PAYLOAD_REPLY_EVENTS.has(event)
    ? 'watson_payload'
    : 'acknowledge';
}

/** The first place that names every sample's event: what the generated handler switches on. */
function chooseEventKey(
  candidates: readonly Candidate[],
  genericPointer: string | undefined,
): EventKey {
  const keys = candidateKeys(candidates[0]!.record.sender, genericPointer);
  const chosen = keys.find((key) =>
    candidates.every((candidate) => eventAt(key, candidate) === candidate.event),
  );
  if (chosen) return chosen;
  const senders = [...new Set(candidates.map((candidate) => candidate.record.sender))];
  throw new GenerationError(
    senders.length > 1
      ? `The selected deliveries come from different senders (${senders.join(', ')}), which name their events in different places. Generate from one sender at a time.`
      : 'The selected deliveries name their event in different places, so one handler cannot tell them apart. Generate from deliveries of one sender at a time.',
  );
}

function candidateKeys(
  sender: GenerationRecord['sender'],
  genericPointer: string | undefined,
): EventKey[] {
  if (sender === 'watson') return [{ kind: 'pointer', pointer: '/event/name' }];
  if (sender === 'rapida') return [{ kind: 'pointer', pointer: '/event' }];
  const pointers = [
    genericPointer,
    DEFAULT_GENERIC_POINTERS.event,
    '/event',
    '/event/name',
    '/event_type',
    '/eventType',
  ].filter((pointer): pointer is string => pointer !== undefined && pointer !== '');
  return [
    ...[...new Set(pointers)].map((pointer): EventKey => ({ kind: 'pointer', pointer })),
    { kind: 'header', name: 'x-github-event' },
    { kind: 'header', name: 'x-event-type' },
  ];
}

function eventAt(key: EventKey, candidate: Candidate): string | null {
  // The same reading recognise() used to name the delivery's event.
  if (key.kind === 'provider') return null;
  if (key.kind === 'pointer') return stringAt(candidate.value, key.pointer);
  const header = candidate.record.headers.find(([name]) => name.toLowerCase() === key.name);
  return header ? header[1] : null;
}

/** Greedy: each pick adds the most field paths not yet shown; small bodies only, when possible. */
function chooseEmbedded(samples: readonly SampleBody[]): SampleBody[] {
  const sized = samples.filter((sample) => sampleText(sample.value).length <= EMBEDDED_MAX_BYTES);
  const pool = sized.length > 0 ? sized : [samples[0]!];
  const paths = pool.map((sample) => new Set(fieldPaths(sample.value).map((entry) => entry.path)));
  const covered = new Set<string>();
  const chosen: number[] = [];
  while (chosen.length < Math.min(EMBEDDED_PER_EVENT, pool.length)) {
    let best = -1;
    let bestGain = 0;
    paths.forEach((set, index) => {
      if (chosen.includes(index)) return;
      let gain = 0;
      for (const path of set) if (!covered.has(path)) gain++;
      if (best === -1 || gain > bestGain) {
        best = index;
        bestGain = gain;
      }
    });
    if (chosen.length > 0 && bestGain === 0) break;
    chosen.push(best);
    for (const path of paths[best]!) covered.add(path);
  }
  return chosen.sort((a, b) => a - b).map((index) => pool[index]!);
}

interface PathEntry {
  readonly path: string;
  readonly type: string;
}

const IDENTIFIER_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function fieldPaths(value: unknown, limit = MAX_FIELD_PATHS): PathEntry[] {
  const out: PathEntry[] = [];
  const walk = (node: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (path !== '') out.push({ path, type: jsonTypeOf(node) });
    if (Array.isArray(node)) for (const item of node) walk(item, `${path}[]`);
    else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) {
        const step = IDENTIFIER_KEY.test(key)
          ? path === ''
            ? key
            : `${path}.${key}`
          : `${path}[${JSON.stringify(key)}]`;
        walk(node[key], step);
      }
    }
  };
  walk(value, '');
  return out;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isLosslessNumber(value)) return 'number';
  return typeof value;
}

function summarizeFields(values: readonly unknown[]): FieldSummary[] {
  const seen = new Map<string, { types: Set<string>; samples: number }>();
  for (const value of values) {
    const inThisSample = new Set<string>();
    for (const { path, type } of fieldPaths(value)) {
      const entry = seen.get(path) ?? { types: new Set<string>(), samples: 0 };
      entry.types.add(type);
      if (!inThisSample.has(path)) {
        entry.samples++;
        inThisSample.add(path);
      }
      seen.set(path, entry);
    }
  }
  return [...seen].map(([path, entry]) => ({
    path,
    types: [...entry.types].sort(),
    optional: entry.samples < values.length,
  }));
}

/**
 * A sample as JSON text. Integers beyond `unsafeAbove` become strings of their digits: that is how
 * the generated parser hands them over in languages whose numbers cannot hold them (C-05).
 */
export function sampleText(value: unknown, unsafeAbove?: bigint): string {
  const replace = (node: unknown): unknown =>
    isLosslessNumber(node) && unsafeAbove !== undefined && isUnsafeInteger(node.value, unsafeAbove)
      ? node.value
      : node;
  return stringify(value, (_key: string, node: unknown) => replace(node)) ?? 'null';
}
