// Makes a captured body new again: ids get fresh values of the same shape and times move to now,
// judged by the same heuristics the compare view masks with (volatilePlaceholder). The body is
// rewritten in place, token by token, so key order, spacing, duplicate keys and every number
// that is not a time or an id stay exactly as captured. The scan is iterative: depth is no risk.
import { LosslessNumber } from 'lossless-json';
import {
  ID_PLACEHOLDER,
  TIMESTAMP_PLACEHOLDER,
  volatilePlaceholder,
} from '../compare/canonicalJson';
import { defaultRandom, freshIdLike, type RandomSource } from './random';

export interface RefreshOptions {
  readonly nowMs: number;
  /**
   * The moment the body's times were "now" (when it was captured). Every time moves by the same
   * amount, so durations inside the body (call start to stop) survive. Without it, the latest
   * time in the body that is not an expiry becomes now.
   */
  readonly anchorMs?: number | null;
  readonly random?: RandomSource;
}

export interface RefreshResult {
  readonly text: string;
  /** False when the body is not JSON: it is then returned unchanged. */
  readonly json: boolean;
  readonly idsRefreshed: number;
  readonly timestampsRefreshed: number;
}

/**
 * Ids of configured things (the assistant, the skill, the account) name the developer's setup,
 * not the event: a handler may route on them, so they are kept. Compared without `_`/`-`, lower
 * case; a bare `id` counts when its object sits under one of these names (`assistant.id`).
 */
const CONFIGURATION_NAMES = new Set([
  'assistant',
  'skill',
  'environment',
  'workspace',
  'customer',
  'account',
  'tenant',
  'project',
  'organization',
  'org',
  'app',
  'application',
  'client',
  'webhook',
  'instance',
]);

const normalised = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

function isConfigurationId(key: string | null, parentKey: string | null): boolean {
  if (key === null) return false;
  // `X-Client-Id` as a header names the same thing as `client_id` in a body.
  const name = normalised(key.replace(/^x-/i, ''));
  if (name.endsWith('id') && CONFIGURATION_NAMES.has(name.slice(0, -2))) return true;
  return name === 'id' && parentKey !== null && CONFIGURATION_NAMES.has(normalised(parentKey));
}

/** Expiry-like times are in the future by design; they never decide where "now" was. */
const EXPIRY_KEY = /exp|until|due|deadline/i;

type Scalar = string | LosslessNumber | boolean | null;

interface ScalarToken {
  readonly key: string | null;
  readonly parentKey: string | null;
  readonly value: Scalar;
}

/** Refreshes ids and times in a JSON body; a body that is not JSON comes back as it was. */
export function refreshVolatileFields(bodyText: string, options: RefreshOptions): RefreshResult {
  const { body, idsRefreshed, timestampsRefreshed } = refreshRequest([], bodyText, options);
  return { text: body.text, json: body.json, idsRefreshed, timestampsRefreshed };
}

export interface RefreshedRequest {
  readonly headers: Array<[string, string]>;
  readonly body: { readonly text: string; readonly json: boolean };
  readonly idsRefreshed: number;
  readonly timestampsRefreshed: number;
}

/**
 * Refreshes a whole request: the body and volatile header values (`Date`, `webhook-id`,
 * `X-Request-Id`), with one memory, so an id that appears in both gets the same new value and
 * every time moves by the same amount.
 */
export function refreshRequest(
  headers: ReadonlyArray<readonly [string, string]>,
  bodyText: string,
  options: RefreshOptions,
): RefreshedRequest {
  let json = true;
  try {
    JSON.parse(bodyText);
  } catch {
    json = false;
  }
  const refresher = new Refresher(options);
  const headerTokens = headers.map(([name, value]): ScalarToken => ({
    key: name,
    parentKey: null,
    value,
  }));
  if (json) scanScalars(bodyText, (token) => refresher.observe(token));
  for (const token of headerTokens) refresher.observe(token);
  refresher.settle();
  const text = json ? scanScalars(bodyText, (token) => refresher.rewrite(token)) : bodyText;
  const refreshedHeaders = headers.map(([name, value], index): [string, string] => {
    const raw = refresher.rewrite(headerTokens[index] ?? { key: name, parentKey: null, value });
    return [name, raw === undefined ? value : (JSON.parse(raw) as string)];
  });
  return {
    headers: refreshedHeaders,
    body: { text, json },
    idsRefreshed: refresher.idsRefreshed,
    timestampsRefreshed: refresher.timestampsRefreshed,
  };
}

class Refresher {
  idsRefreshed = 0;
  timestampsRefreshed = 0;
  private readonly random: RandomSource;
  private readonly keptIds = new Set<string>();
  private readonly freshIds = new Map<string, string>();
  private latestMs: number | undefined;
  private latestExpiryMs: number | undefined;
  private deltaMs = 0;
  /** Whole days between the anchor's date and today's (UTC): plain dates move by this. */
  private dayShiftMs = 0;

  constructor(private readonly options: RefreshOptions) {
    this.random = options.random ?? defaultRandom;
  }

  /** First pass: which ids to keep, and where "now" was when no anchor is given. */
  observe(token: ScalarToken): undefined {
    const kind = kindOf(token);
    const text = textOf(token.value);
    if (kind === 'id' && text !== null && isConfigurationId(token.key, token.parentKey)) {
      this.keptIds.add(text);
    }
    if (kind === 'timestamp' && text !== null) {
      const time = parseTime(text, typeof token.value === 'string');
      if (time === undefined) return undefined;
      if (token.key !== null && EXPIRY_KEY.test(token.key)) {
        this.latestExpiryMs = Math.max(this.latestExpiryMs ?? -Infinity, time.ms);
      } else {
        this.latestMs = Math.max(this.latestMs ?? -Infinity, time.ms);
      }
    }
    return undefined;
  }

  settle(): void {
    const anchor = this.options.anchorMs ?? this.latestMs ?? this.latestExpiryMs;
    if (anchor === undefined || !Number.isFinite(anchor)) return;
    this.deltaMs = Math.round(this.options.nowMs - anchor);
    this.dayShiftMs =
      (Math.floor(this.options.nowMs / DAY_MS) - Math.floor(anchor / DAY_MS)) * DAY_MS;
  }

  /** Second pass: the new raw JSON text for a volatile scalar, or undefined to keep it. */
  rewrite(token: ScalarToken): string | undefined {
    const kind = kindOf(token);
    const text = textOf(token.value);
    if (kind === undefined || text === null) return undefined;
    const quoted = typeof token.value === 'string';
    if (kind === 'timestamp') {
      const time = parseTime(text, quoted);
      if (time === undefined) return undefined;
      const shifted = time.shift(time.dateOnly ? this.dayShiftMs : this.deltaMs);
      if (shifted === undefined) return undefined;
      this.timestampsRefreshed++;
      return quoted ? JSON.stringify(shifted) : shifted;
    }
    if (text === '' || this.keptIds.has(text)) return undefined;
    // Only whole numbers are numeric ids; rewriting `1.5e3` digit by digit could break the JSON.
    if (!quoted && !/^[1-9]\d*$/.test(text)) return undefined;
    let fresh = this.freshIds.get(text);
    if (fresh === undefined) {
      // A whole number stays one: freshIdLike gives digits for digits, never a leading zero.
      fresh = freshIdLike(text, this.random);
      this.freshIds.set(text, fresh);
    }
    this.idsRefreshed++;
    return quoted ? JSON.stringify(fresh) : fresh;
  }
}

function kindOf(token: ScalarToken): 'timestamp' | 'id' | undefined {
  if (typeof token.value !== 'string' && !(token.value instanceof LosslessNumber)) {
    return undefined;
  }
  const placeholder = volatilePlaceholder(token.key, token.value);
  if (placeholder === TIMESTAMP_PLACEHOLDER) return 'timestamp';
  if (placeholder === ID_PLACEHOLDER) return 'id';
  return undefined;
}

function textOf(value: Scalar): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof LosslessNumber) return value.value;
  return null;
}

const DAY_MS = 86_400_000;

interface ParsedTime {
  readonly ms: number;
  /** A plain date: it moves by whole days, so the anchor's date becomes today's. */
  readonly dateOnly?: boolean;
  /** The same time moved by `deltaMs`, written the way the original was; undefined if it can't be. */
  shift(deltaMs: number): string | undefined;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:([.,])(\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const EPOCH = /^(\d{9,16})(?:\.(\d+))?$/;
const MAX_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function inRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_YEAR_MS;
}

/** Reads the time formats volatilePlaceholder recognises, keeping what is needed to write it back. */
function parseTime(text: string, quoted: boolean): ParsedTime | undefined {
  const dateTime = quoted ? ISO_DATE_TIME.exec(text) : null;
  if (dateTime) return parseIsoDateTime(dateTime);
  const date = quoted ? ISO_DATE.exec(text) : null;
  if (date) {
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    return {
      ms,
      dateOnly: true,
      shift: (delta) => (inRange(ms + delta) ? iso(ms + delta).slice(0, 10) : undefined),
    };
  }
  if (quoted && HTTP_DATE.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) return undefined;
    return {
      ms,
      shift: (delta) => (inRange(ms + delta) ? new Date(ms + delta).toUTCString() : undefined),
    };
  }
  const epoch = EPOCH.exec(text);
  if (epoch) return parseEpoch(epoch[1] ?? '', epoch[2]);
  return undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function parseIsoDateTime(match: RegExpExecArray): ParsedTime | undefined {
  const [, year, month, day, separator, hour, minute, second, fractionMark, fraction, zone] = match;
  const offsetMinutes = zoneOffsetMinutes(zone);
  const fractionMs = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    fractionMs,
  );
  const ms = local - offsetMinutes * 60_000;
  if (!inRange(ms)) return undefined;
  return {
    ms,
    shift: (delta) => {
      // Written in the original's own offset, so "+02:00" times stay "+02:00" times.
      const shiftedLocal = local + delta;
      if (!inRange(shiftedLocal)) return undefined;
      const d = new Date(shiftedLocal);
      let text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}${separator ?? 'T'}${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}`;
      if (second !== undefined) text += `:${pad(d.getUTCSeconds(), 2)}`;
      if (fraction !== undefined) {
        const millis = pad(d.getUTCMilliseconds(), 3);
        // Digits past the millisecond are kept: the shift is a whole number of milliseconds.
        text += `${fractionMark ?? '.'}${fraction.length <= 3 ? millis.slice(0, fraction.length) : millis + fraction.slice(3)}`;
      }
      return text + (zone ?? '');
    },
  };
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

/** Seconds (up to 11 digits), milliseconds (12–14) or microseconds (15–16) since 1970. */
function parseEpoch(integer: string, fraction: string | undefined): ParsedTime | undefined {
  const digits = integer.length;
  const unitMs = digits <= 11 ? 1000 : digits <= 14 ? 1 : 0.001;
  const ms = Number(integer) * unitMs;
  if (!inRange(ms)) return undefined;
  return {
    ms,
    shift: (delta) => {
      // BigInt keeps a 16-digit microsecond count exact; the fraction digits stay as written.
      const units =
        unitMs === 1000
          ? BigInt(Math.floor(delta / 1000))
          : unitMs === 1
            ? BigInt(delta)
            : BigInt(delta) * 1000n;
      const shifted = BigInt(integer) + units;
      if (shifted < 0n || !inRange(Number(shifted) * unitMs)) return undefined;
      return shifted.toString() + (fraction === undefined ? '' : `.${fraction}`);
    },
  };
}

interface Frame {
  readonly array: boolean;
  key: string | null;
  expectKey: boolean;
}

/**
 * Walks the scalars of valid JSON text in order, with the key each sits under and its parent's
 * key, and splices in whatever `visit` returns. Only call it on text JSON.parse accepted.
 */
function scanScalars(text: string, visit: (token: ScalarToken) => string | undefined): string {
  const stack: Frame[] = [];
  const pieces: string[] = [];
  let copied = 0;
  let index = 0;
  const emit = (start: number, end: number, value: Scalar): void => {
    const top = stack.at(-1);
    const parent = stack.length >= 2 ? stack[stack.length - 2] : undefined;
    const key = top && !top.array ? top.key : null;
    const parentKey = parent && !parent.array ? parent.key : null;
    const replacement = visit({ key, parentKey, value });
    if (replacement !== undefined) {
      pieces.push(text.slice(copied, start), replacement);
      copied = end;
    }
  };
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x7b || code === 0x5b) {
      stack.push({ array: code === 0x5b, key: null, expectKey: code === 0x7b });
      index++;
    } else if (code === 0x7d || code === 0x5d) {
      stack.pop();
      index++;
    } else if (code === 0x2c) {
      const top = stack.at(-1);
      if (top && !top.array) top.expectKey = true;
      index++;
    } else if (code === 0x3a) {
      const top = stack.at(-1);
      if (top) top.expectKey = false;
      index++;
    } else if (code === 0x22) {
      const end = stringEnd(text, index);
      const raw = text.slice(index, end);
      const value = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      const top = stack.at(-1);
      if (top && !top.array && top.expectKey) top.key = value;
      else emit(index, end, value);
      index = end;
    } else if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      index++;
    } else {
      let end = index;
      while (end < text.length && !isDelimiter(text.charCodeAt(end))) end++;
      const raw = text.slice(index, end);
      const value: Scalar =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw === 'null'
              ? null
              : new LosslessNumber(raw);
      emit(index, end, value);
      index = end;
    }
  }
  if (copied === 0) return text;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** The index just past the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x5c) index += 2;
    else if (code === 0x22) return index + 1;
    else index++;
  }
  return text.length;
}

function isDelimiter(code: number): boolean {
  return (
    code === 0x2c ||
    code === 0x5d ||
    code === 0x7d ||
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d
  );
}
