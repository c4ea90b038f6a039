// Turns captured deliveries into the HandlerModel: groups them by event, finds where the event
// name lives (the key the generated handler dispatches on), and prepares each body as a sample.
// Hostile bodies are handled here, before any library sees them: too deep, not JSON, not UTF-8
// and unnamed deliveries are left out with a reason; tokens and secrets never reach a sample.
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import type { DeliveryRecord } from '../delivery';
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

export type GenerationRecord = Pick<
  DeliveryRecord,
  'id' | 'bodyBase64' | 'parseError' | 'sender' | 'event' | 'headers'
>;

export interface ModelOptions {
  /** The configured generic event pointer (`hooklens.genericSender.eventPointer`). */
  readonly genericEventPointer?: string;
  /** Values that must never appear in generated code (the configured secrets). */
  readonly secrets?: readonly string[];
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
}

export function buildHandlerModel(
  records: readonly GenerationRecord[],
  options: ModelOptions = {},
): HandlerModel {
  if (records.length === 0)
    throw new GenerationError('Select at least one delivery to generate from.');
  const skipped: Array<{ deliveryId: string; reason: string }> = [];
  const secrets = (options.secrets ?? []).filter((secret) => secret !== '');
  const candidates: Candidate[] = [];
  // Sorted by id (time order), so the same deliveries give the same code whatever the selection order.
  for (const record of [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
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
  const eventKey = chooseEventKey(candidates, options.genericEventPointer);
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
  return { sender, eventKey, events, usedDeliveries: candidates.length, skipped };
}

function prepare(
  record: GenerationRecord,
  secrets: readonly string[],
): Candidate | { reason: string } {
  if (record.event === null || record.event === '') {
    return { reason: 'A delivery without an event name cannot be dispatched.' };
  }
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
  if (!isPlainObject(parsed)) return { reason: 'A delivery body is not a JSON object.' };
  const scrubbed = scrub(parsed, secrets);
  return { record, event: record.event, value: scrubbed.value, hasUnsafeInteger: scrubbed.unsafe };
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
