// Routes: an ordered list of rules, each matching on a delivery's path, provider, event, verdict
// or headers, and either sending it to a handler URL or answering by itself with a status, a
// delay and a body the user chose. The first rule that matches wins; a delivery no rule matches
// goes where it went before routes (the single forward target, or the receiver's own answer).
//
// One rule is written `MATCH=>TARGET` (the CLI's --route, a string in hooklens.routes) or as a
// JSON object (--routes FILE, an object in hooklens.routes). A target only ever comes from the
// user's configuration: nothing in a delivery can choose where it goes.
import * as l10n from '@vscode/l10n';
import { providerById, PROVIDERS } from '../providers/registry';
import { parseTargetUrl } from '../forward/outbound';
import { VERDICTS } from '../../shared/verdicts';
import { compileGlob, hasWildcard } from './glob';

/** The conditions of one rule, as written; every one given must hold. */
export interface RouteConditions {
  /** A path prefix (`/stripe` takes `/stripe` and `/stripe/…`), or a pattern with `*`. */
  readonly path?: string;
  /** A provider id (`stripe`, `github`, `watson`, …, `generic`, `unknown`) or a pattern. */
  readonly provider?: string;
  /** The event name, exact or a pattern (`payment_intent.*`). */
  readonly event?: string;
  /** A verdict id (`verified`, `no_secret`, …) or a pattern. */
  readonly verdict?: string;
  /** Header name (as written) and value pattern; `*` only asks that the header be present. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** An answer the receiver gives by itself, instead of the handler's. */
export interface ChosenAnswer {
  readonly status: number;
  /** Milliseconds to wait before answering (a slow endpoint). */
  readonly delayMs: number;
  /** A template: `{id}`, `{event}`, `{provider}`, `{challenge}` and `{payload}` are filled in. */
  readonly body?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export type RouteTarget =
  | { readonly kind: 'forward'; readonly url: URL }
  | { readonly kind: 'answer'; readonly answer: ChosenAnswer };

export interface Route {
  /** What the tree, the Attempts tab and the health figures call it: given, or the match text. */
  readonly name: string;
  /** The rule written back as `MATCH=>TARGET`, for logs and messages. */
  readonly text: string;
  readonly when: RouteConditions;
  readonly target: RouteTarget;
  /** True when the delivery's facts meet every condition. */
  readonly matches: (facts: RouteFacts) => boolean;
}

/** What a rule can look at: all of it known once a delivery is analysed (or stored). */
export interface RouteFacts {
  /** The path without the query. */
  readonly path: string;
  /** The provider id HookLens recognised (`unknown` for a body it could not read). */
  readonly provider: string;
  readonly event: string | null;
  readonly verdict: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export const MIN_ANSWER_STATUS = 200;
export const MAX_ANSWER_STATUS = 599;
export const MAX_ANSWER_DELAY_MS = 120_000;
export const MAX_ANSWER_BODY_CHARS = 64 * 1024;
export const MAX_ROUTES = 200;

const CONDITION_KEYS = 'path, provider, event, verdict or header.NAME';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_ANSWER_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
]);

export type RouteCheck =
  { readonly ok: true; readonly route: Route } | { readonly ok: false; readonly error: string };

/** The canonical `MATCH` text of some conditions (`*` when there are none). */
export function conditionsText(when: RouteConditions): string {
  const parts: string[] = [];
  if (when.path !== undefined) parts.push(`path=${when.path}`);
  if (when.provider !== undefined) parts.push(`provider=${when.provider}`);
  if (when.event !== undefined) parts.push(`event=${when.event}`);
  if (when.verdict !== undefined) parts.push(`verdict=${when.verdict}`);
  for (const [name, value] of when.headers ?? []) parts.push(`header.${name}=${value}`);
  return parts.length === 0
    ? '*'
    : parts
        .map((part) => {
          const equals = part.indexOf('=');
          return `${part.slice(0, equals)}=${matchValueText(part.slice(equals + 1))}`;
        })
        .join(',');
}

/**
 * A condition's value as MATCH text: as it is, or in double quotes (with `\"` and `\\`) when it
 * holds what would end it early (a comma, `=>`), a quote or a backslash, or starts or ends with a
 * space. `header.X-Tags="a,b"` matches the value `a,b`.
 */
export function matchValueText(value: string): string {
  if (!/[,"\\]|=>|^\s|\s$/.test(value)) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The canonical `TARGET` text: the URL, or `answer:STATUS[,delay=MS][,header.N=V][,body=TEXT]`. */
export function targetText(target: RouteTarget): string {
  if (target.kind === 'forward') return target.url.href;
  const { status, delayMs, body, headers } = target.answer;
  return [
    `answer:${status}`,
    ...(delayMs > 0 ? [`delay=${delayMs}`] : []),
    ...headers.map(([name, value]) => `header.${name}=${value}`),
    ...(body === undefined ? [] : [`body=${body}`]),
  ].join(',');
}

/** A short phrase for a target: "→ http://localhost:4242/stripe", "answers 503 after 2000 ms". */
export function describeTarget(target: RouteTarget): string {
  if (target.kind === 'forward') return `→ ${target.url.href}`;
  const { status, delayMs } = target.answer;
  return `answers ${status}${delayMs > 0 ? ` after ${delayMs} ms` : ''}`;
}

/**
 * Parses `MATCH=>TARGET`. MATCH is `*` or comma-separated `key=value` conditions (`path`,
 * `provider`, `event`, `verdict`, `header.NAME`; a value with a comma in double quotes, or the
 * comma escaped as `\,`); TARGET is an http(s) URL or
 * `answer:STATUS[,delay=MS][,header.NAME=VALUE][,body=TEXT]` (the body runs to the end).
 */
export function parseRouteText(text: string, name?: string): RouteCheck {
  const raw = text.trim();
  const arrow = arrowIndex(raw);
  if (arrow < 0) {
    return {
      ok: false,
      error: `'${clip(raw)}' has no '=>': write MATCH=>TARGET, e.g. provider=stripe=>http://localhost:4242/stripe`,
    };
  }
  const when = parseMatchText(raw.slice(0, arrow).trim());
  if (typeof when === 'string') return { ok: false, error: when };
  const target = parseTargetText(raw.slice(arrow + 2).trim());
  if (typeof target === 'string') return { ok: false, error: target };
  return buildRoute(when, target, name);
}

/** Where MATCH ends: the first `=>` outside a quoted value and not after a backslash; -1 if none. */
function arrowIndex(text: string): number {
  let quoted = false;
  let valueStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++;
      valueStart = false;
      continue;
    }
    if (quoted) {
      if (char === '"') quoted = false;
      continue;
    }
    if (char === '"' && valueStart) {
      quoted = true;
      continue;
    }
    if (char === '=' && text[i + 1] === '>') return i;
    // A quote opens a quoted value only right after `=` (spaces allowed).
    if (char === '=') valueStart = true;
    else if (char !== ' ' && char !== '\t') valueStart = false;
  }
  return -1;
}

/**
 * Parses the MATCH half; a string is the error. Conditions are separated by commas; a value that
 * holds a comma is written in double quotes (`header.X-Tags="a,b"`, with `\"` and `\\` inside)
 * or with the comma escaped (`header.X-Tags=a\,b`).
 */
export function parseMatchText(text: string): RouteConditions | string {
  if (text === '*') return {};
  if (text === '') {
    return `the match is empty: write * for every delivery, or conditions such as provider=stripe,event=payment_intent.*`;
  }
  const record: Record<string, unknown> = {};
  let at = 0;
  while (at <= text.length) {
    const equals = text.indexOf('=', at);
    const comma = text.indexOf(',', at);
    if (equals < 0 || (comma >= 0 && comma < equals) || text.slice(at, equals).trim() === '') {
      const part = text.slice(at, comma < 0 ? undefined : comma).trim();
      return `'${clip(part)}' is not a condition: write key=value with key ${CONDITION_KEYS}`;
    }
    const key = text.slice(at, equals).trim();
    const value = readMatchValue(text, equals + 1, key);
    if (typeof value === 'string') return value;
    if (Object.hasOwn(record, key)) return `the condition '${key}' is given twice`;
    record[key] = value.value;
    if (value.end >= text.length) break;
    at = value.end + 1; // Past the comma.
  }
  return conditionsFromObject(record);
}

/** One value from `from`: quoted or not, escapes applied; `end` is at the comma or the end. */
function readMatchValue(
  text: string,
  from: number,
  key: string,
): { readonly value: string; readonly end: number } | string {
  let at = from;
  while (text[at] === ' ' || text[at] === '\t') at++;
  let value = '';
  if (text[at] === '"') {
    at++;
    for (;;) {
      if (at >= text.length) {
        return `the quoted value of '${clip(key, 40)}' has no closing quote: write ${clip(key, 40)}="a,b" (a quote inside as \\")`;
      }
      const char = text[at] as string;
      if (char === '\\' && at + 1 < text.length) {
        value += text[at + 1];
        at += 2;
        continue;
      }
      if (char === '"') break;
      value += char;
      at++;
    }
    at++;
    while (text[at] === ' ' || text[at] === '\t') at++;
    if (at < text.length && text[at] !== ',') {
      return `after the quoted value of '${clip(key, 40)}' comes '${clip(text.slice(at), 20)}': separate conditions with a comma`;
    }
    return { value, end: at };
  }
  for (; at < text.length && text[at] !== ','; at++) {
    const char = text[at] as string;
    if (char === '\\' && at + 1 < text.length && ',"\\'.includes(text[at + 1] as string)) {
      value += text[at + 1];
      at++;
      continue;
    }
    value += char;
  }
  return { value: value.trim(), end: at };
}

/** Conditions from a JSON object: `{ "provider": "stripe", "header.X-Shop": "a*" }`. */
export function conditionsFromObject(value: Record<string, unknown>): RouteConditions | string {
  const when: {
    path?: string;
    provider?: string;
    event?: string;
    verdict?: string;
    headers?: Array<readonly [string, string]>;
  } = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'headers' && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const [name, pattern] of Object.entries(raw as Record<string, unknown>)) {
        const error = addHeader(when, name, pattern);
        if (error) return error;
      }
      continue;
    }
    if (key.toLowerCase().startsWith('header.')) {
      const error = addHeader(when, key.slice('header.'.length), raw);
      if (error) return error;
      continue;
    }
    if (key !== 'path' && key !== 'provider' && key !== 'event' && key !== 'verdict') {
      return `unknown condition '${clip(key, 40)}': use ${CONDITION_KEYS}`;
    }
    if (typeof raw !== 'string') return `the condition '${key}' must be text`;
    when[key] = raw;
  }
  return when;
}

function addHeader(
  when: { headers?: Array<readonly [string, string]> },
  name: string,
  pattern: unknown,
): string | undefined {
  if (!HEADER_NAME.test(name)) return `'header.${clip(name, 40)}' does not name a header`;
  if (typeof pattern !== 'string') return `the condition 'header.${name}' must be text`;
  if (when.headers?.some(([known]) => known.toLowerCase() === name.toLowerCase())) {
    return `the condition 'header.${name}' is given twice`;
  }
  (when.headers ??= []).push([name, pattern]);
  return undefined;
}

/** Parses the TARGET half; a string is the error. */
export function parseTargetText(text: string): RouteTarget | string {
  if (text === '') {
    return 'the target is empty: give a handler URL or answer:STATUS (e.g. answer:503,delay=2000)';
  }
  if (/^answer:/i.test(text)) return parseAnswerText(text.slice('answer:'.length));
  const url = parseTargetUrl(text);
  if (!url.ok) {
    return `bad target URL: ${url.error.replace(/\.$/, '')} (or write answer:STATUS to answer by itself)`;
  }
  return { kind: 'forward', url: url.url };
}

function parseAnswerText(text: string): RouteTarget | string {
  // The body runs to the end, commas and all.
  const bodyAt = text.search(/(^|,)body=/);
  const head = bodyAt < 0 ? text : text.slice(0, bodyAt);
  const body =
    bodyAt < 0 ? undefined : text.slice(bodyAt + (text[bodyAt] === ',' ? 1 : 0) + 'body='.length);
  const [statusText = '', ...options] = head.split(',');
  const fields: Record<string, unknown> = { status: statusText.trim() };
  const headers: Record<string, string> = {};
  for (const option of options) {
    const equals = option.indexOf('=');
    const key = equals < 0 ? option.trim() : option.slice(0, equals).trim();
    const value = equals < 0 ? '' : option.slice(equals + 1);
    if (key === 'delay') fields.delayMs = value.trim();
    else if (key.toLowerCase().startsWith('header.')) headers[key.slice('header.'.length)] = value;
    else
      return `unknown answer option '${clip(key, 40)}': use delay=MS, header.NAME=VALUE or body=TEXT`;
  }
  if (body !== undefined) fields.body = body;
  if (Object.keys(headers).length > 0) fields.headers = headers;
  return answerFromObject(fields);
}

/** An answer from JSON (`{ "status": 503, "delayMs": 2000, "body": "…", "headers": {…} }`). */
export function answerFromObject(value: Record<string, unknown>): RouteTarget | string {
  for (const key of Object.keys(value)) {
    if (!['status', 'delayMs', 'body', 'headers'].includes(key)) {
      return `unknown answer field '${clip(key, 40)}': use status, delayMs, body or headers`;
    }
  }
  const status = wholeNumber(value.status);
  if (status === undefined) {
    return `the answer status must be a whole number from ${MIN_ANSWER_STATUS} to ${MAX_ANSWER_STATUS}, not '${shown(value.status)}'`;
  }
  if (status < MIN_ANSWER_STATUS || status > MAX_ANSWER_STATUS) {
    return `the answer status ${status} is out of range: use ${MIN_ANSWER_STATUS} to ${MAX_ANSWER_STATUS}`;
  }
  const delayMs = value.delayMs === undefined ? 0 : wholeNumber(value.delayMs);
  if (delayMs === undefined || delayMs < 0 || delayMs > MAX_ANSWER_DELAY_MS) {
    return `the answer delay must be a whole number of milliseconds from 0 to ${MAX_ANSWER_DELAY_MS}, not '${shown(value.delayMs)}'`;
  }
  if (value.body !== undefined && typeof value.body !== 'string')
    return 'the answer body must be text';
  if (typeof value.body === 'string' && value.body.length > MAX_ANSWER_BODY_CHARS) {
    return `the answer body is longer than ${MAX_ANSWER_BODY_CHARS} characters`;
  }
  const headers: Array<readonly [string, string]> = [];
  if (value.headers !== undefined) {
    if (
      typeof value.headers !== 'object' ||
      value.headers === null ||
      Array.isArray(value.headers)
    ) {
      return 'the answer headers must be an object such as {"Retry-After": "30"}';
    }
    for (const [name, header] of Object.entries(value.headers as Record<string, unknown>)) {
      if (!HEADER_NAME.test(name)) return `'${clip(name, 40)}' is not a header name`;
      if (RESERVED_ANSWER_HEADERS.has(name.toLowerCase())) {
        return `the answer cannot set ${name}: HookLens sets it`;
      }
      if (typeof header !== 'string' || /[\r\n\0]/.test(header)) {
        return `the answer header ${name} must be one line of text`;
      }
      headers.push([name, header]);
    }
  }
  return {
    kind: 'answer',
    answer: {
      status,
      delayMs,
      ...(typeof value.body === 'string' ? { body: value.body } : {}),
      headers,
    },
  };
}

/** Checks every condition and builds the rule's test. */
export function buildRoute(when: RouteConditions, target: RouteTarget, name?: string): RouteCheck {
  const tests: Array<(facts: RouteFacts) => boolean> = [];
  if (when.path !== undefined) {
    const path = when.path;
    if (!path.startsWith('/') && !path.startsWith('*')) {
      return { ok: false, error: `path '${clip(path, 60)}' must start with / (or *)` };
    }
    if (hasWildcard(path)) {
      const glob = compileGlob(path);
      if (!glob.ok) return { ok: false, error: `path: ${glob.error}` };
      tests.push((facts) => glob.test(facts.path));
    } else {
      const compiled = compileGlob(path);
      if (!compiled.ok) return { ok: false, error: `path: ${compiled.error}` };
      // A prefix stops at a segment: /stripe takes /stripe and /stripe/x, not /stripey.
      const base = path.endsWith('/') ? path : `${path}/`;
      tests.push((facts) => facts.path === path || facts.path.startsWith(base));
    }
  }
  if (when.provider !== undefined) {
    const provider = when.provider;
    if (!hasWildcard(provider) && provider !== 'unknown' && !providerById(provider.toLowerCase())) {
      return {
        ok: false,
        error: `unknown provider '${clip(provider, 40)}': use one of ${PROVIDERS.map((known) => known.id).join(', ')}, unknown, or a pattern with *`,
      };
    }
    const glob = compileGlob(provider, { ignoreCase: true });
    if (!glob.ok) return { ok: false, error: `provider: ${glob.error}` };
    tests.push((facts) => glob.test(facts.provider));
  }
  if (when.event !== undefined) {
    const glob = compileGlob(when.event);
    if (!glob.ok) return { ok: false, error: `event: ${glob.error}` };
    tests.push((facts) => facts.event !== null && glob.test(facts.event));
  }
  if (when.verdict !== undefined) {
    const verdict = when.verdict;
    if (!hasWildcard(verdict) && !(VERDICTS as readonly string[]).includes(verdict.toLowerCase())) {
      return {
        ok: false,
        error: `unknown verdict '${clip(verdict, 40)}': use one of ${VERDICTS.join(', ')}, or a pattern with *`,
      };
    }
    const glob = compileGlob(verdict, { ignoreCase: true });
    if (!glob.ok) return { ok: false, error: `verdict: ${glob.error}` };
    tests.push((facts) => glob.test(facts.verdict));
  }
  for (const [headerName, pattern] of when.headers ?? []) {
    const glob = compileGlob(pattern);
    if (!glob.ok) return { ok: false, error: `header.${headerName}: ${glob.error}` };
    const lower = headerName.toLowerCase();
    tests.push((facts) =>
      facts.headers.some(([key, value]) => key.toLowerCase() === lower && glob.test(value)),
    );
  }
  const match = conditionsText(when);
  const given = name?.trim();
  if (given !== undefined && given !== '') {
    // eslint-disable-next-line no-control-regex
    if (given.length > 80 || /[\u0000-\u001f\u007f]/.test(given)) {
      return { ok: false, error: 'a route name is one line of at most 80 characters' };
    }
  }
  return {
    ok: true,
    route: {
      name: given || match,
      text: `${match}=>${targetText(target)}`,
      when,
      target,
      matches: (facts) => tests.every((test) => test(facts)),
    },
  };
}

/**
 * One entry of `hooklens.routes` or a `--routes` file: a `MATCH=>TARGET` string, or an object
 * `{ "name"?, "match": "…" | {…}, "to": "URL" | "answer:…" }` or with `"answer": {…}`.
 */
export function parseRouteEntry(entry: unknown): RouteCheck {
  if (typeof entry === 'string') return parseRouteText(entry);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return {
      ok: false,
      error: 'a route is a "MATCH=>TARGET" string or an object with match and to (or answer)',
    };
  }
  const value = entry as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!['name', 'match', 'to', 'answer'].includes(key)) {
      return {
        ok: false,
        error: `unknown route field '${clip(key, 40)}': use name, match, to or answer`,
      };
    }
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    return { ok: false, error: 'the route name must be text' };
  }
  const match = value.match ?? '*';
  const when =
    typeof match === 'string'
      ? parseMatchText(match.trim())
      : typeof match === 'object' && match !== null && !Array.isArray(match)
        ? conditionsFromObject(match as Record<string, unknown>)
        : 'match must be "key=value,…", "*" or an object of conditions';
  if (typeof when === 'string') return { ok: false, error: when };
  if ((value.to === undefined) === (value.answer === undefined)) {
    return { ok: false, error: 'give exactly one of to (a URL or answer:STATUS) and answer' };
  }
  const target =
    value.to !== undefined
      ? typeof value.to === 'string'
        ? parseTargetText(value.to.trim())
        : 'to must be a URL or answer:STATUS'
      : typeof value.answer === 'object' && value.answer !== null && !Array.isArray(value.answer)
        ? answerFromObject(value.answer as Record<string, unknown>)
        : 'answer must be an object such as {"status": 503, "delayMs": 2000}';
  if (typeof target === 'string') return { ok: false, error: target };
  return buildRoute(when, target, value.name);
}

export interface ParsedRoutes {
  readonly routes: readonly Route[];
  /** One sentence per rule that could not be used, naming it by its position. */
  readonly problems: readonly string[];
}

/** Parses an ordered list of entries; a bad one is left out and said, the others kept in order. */
export function parseRouteList(entries: readonly unknown[]): ParsedRoutes {
  const routes: Route[] = [];
  const problems: string[] = [];
  if (entries.length > MAX_ROUTES) {
    problems.push(`only the first ${MAX_ROUTES} routes are used (${entries.length} are given)`);
  }
  entries.slice(0, MAX_ROUTES).forEach((entry, index) => {
    const checked = parseRouteEntry(entry);
    // Named by position and by what it says, so the user finds the rule in a long list.
    const rule = `route ${index + 1} (${entryText(entry)})`;
    if (!checked.ok) {
      problems.push(`${rule}: ${checked.error}`);
      return;
    }
    const same = routes.find((route) => route.name === checked.route.name);
    if (same) {
      problems.push(
        conditionsText(same.when) === conditionsText(checked.route.when)
          ? `${rule} can never match: an earlier route has the same conditions`
          : `${rule}: the name '${checked.route.name}' is already used by an earlier route`,
      );
      return;
    }
    routes.push(checked.route);
  });
  return { routes, problems };
}

/** A rule as the user wrote it, on one line and short: the string, or the object as JSON. */
function entryText(entry: unknown): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (typeof entry === 'string') return clip(oneLine(entry), 100);
  let json: string | undefined;
  try {
    json = JSON.stringify(entry);
  } catch {
    json = undefined;
  }
  return clip(oneLine(json ?? String(entry)), 100);
}

/**
 * The warning a person sees when rules of `hooklens.routes` (or a routes file) cannot be used:
 * which rules, what is wrong with each, and that they are left out until fixed. Undefined when
 * there is nothing to say.
 */
export function routeProblemsNotice(
  problems: readonly string[],
  where = 'hooklens.routes',
): string | undefined {
  if (problems.length === 0) return undefined;
  const listed = problems.map((problem) => problem.replace(/\.$/, '')).join('; ');
  // The problems themselves stay English: the same words the CLI's --routes prints.
  return problems.length === 1
    ? l10n.t('HookLens: a rule in {0} is not used until you fix it: {1}.', where, listed)
    : l10n.t(
        'HookLens: {0} rules in {1} are not used until you fix them: {2}.',
        problems.length,
        where,
        listed,
      );
}

/** A `--routes` file's text: a JSON array of entries, or `{ "routes": [...] }`. */
export function parseRoutesJson(text: string): ParsedRoutes {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      routes: [],
      problems: [`not valid JSON (${error instanceof Error ? error.message : String(error)})`],
    };
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' && parsed !== null && Array.isArray(Reflect.get(parsed, 'routes'))
      ? (Reflect.get(parsed, 'routes') as unknown[])
      : undefined;
  if (list === undefined) {
    return {
      routes: [],
      problems: ['the file must hold a JSON array of routes, or {"routes": [...]}'],
    };
  }
  return parseRouteList(list);
}

/** The first rule that matches, or undefined. */
export function firstMatch(routes: readonly Route[], facts: RouteFacts): Route | undefined {
  return routes.find((route) => route.matches(facts));
}

/** A stored delivery's facts, for Replay's choice of target and for tests. */
export function routeFactsOf(record: {
  readonly url: string;
  readonly sender: string;
  readonly event: string | null;
  readonly verification: { readonly verdict: string };
  readonly headers: ReadonlyArray<readonly [string, string]>;
}): RouteFacts {
  return {
    path: pathOf(record.url),
    provider: record.sender,
    event: record.event,
    verdict: record.verification.verdict,
    headers: record.headers,
  };
}

/** The path of a request target (`/a/b?x=1` → `/a/b`; an absolute-form URL gives its path). */
export function pathOf(url: string): string {
  const query = url.search(/[?#]/);
  const path = query < 0 ? url : url.slice(0, query);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      return new URL(path).pathname;
    } catch {
      return path;
    }
  }
  return path;
}

function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function shown(value: unknown): string {
  return clip(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), 20);
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
