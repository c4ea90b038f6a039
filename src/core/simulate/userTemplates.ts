// User templates: any captured delivery (or a JSON body in a file) as a sample event that can be
// sent again and again, each time with fresh ids and times. A template is plain JSON on disk, so
// reading one back treats it as hostile: every field is checked, nothing else is trusted.
import { analyserWithSecrets, type RequestAnalyser } from '../analysis/analyseRequest';
import type { DeliveryRecord, SenderKind } from '../delivery';
import { NEVER_FORWARDED } from '../forward/outbound';
import { PROVIDERS, providerById } from '../providers/registry';
import { MAX_MAX_BODY_BYTES } from '../receiver/receiverServer';
import { SECRET_REDACTION } from '../secrets/secretPolicy';
import { readAuthorization } from '../verify/authorizationHeader';
import type { RandomSource } from './random';
import { refreshRequest } from './refresh';
import { githubEventFromBody } from './samples/github';
import { eventSigning, withoutSignature } from './signing';
import {
  eventIdOf,
  senderDefaults,
  SimulateError,
  type BuiltEvent,
  type TemplateAuth,
} from './templates';

/** Marks a file as a HookLens template (and which version of the format). */
export const USER_TEMPLATE_FORMAT = 'hooklens-template/1';

export interface UserTemplate {
  readonly format: typeof USER_TEMPLATE_FORMAT;
  readonly name: string;
  readonly sender: SenderKind;
  readonly event: string | null;
  readonly method: string;
  /** Path and query the delivery was posted to; the default target's path. */
  readonly path: string;
  /** Without hop-by-hop fields, Host, Content-Length, credentials and signatures. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The body text as captured. */
  readonly body: string;
  /**
   * `jwt` or `signed`: sign every send the way the sender signs (the capture was signed; `jwt` is
   * what JWT senders' templates say, so older versions read them); `none`: don't.
   */
  readonly auth: TemplateAuth;
  /** When it was captured: times in the body move by (send time − this), keeping durations. */
  readonly capturedAt: string | null;
}

export type UserTemplateResult =
  | {
      readonly ok: true;
      readonly template: UserTemplate;
      /** True for a bare body whose provider could not be told: it defaulted to generic. */
      readonly guessed?: boolean;
    }
  | { readonly ok: false; readonly error: string };

export const MAX_TEMPLATE_NAME_CHARS = 100;
export const MAX_TEMPLATE_BODY_BYTES = MAX_MAX_BODY_BYTES;
/** A template file holds the body as a JSON string, where escaping can double its size. */
export const MAX_TEMPLATE_FILE_BYTES = 2 * MAX_TEMPLATE_BODY_BYTES + 1024 * 1024;
const MAX_EVENT_CHARS = 200;
const MAX_PATH_CHARS = 2048;
const MAX_HEADERS = 100;
const MAX_HEADER_NAME_CHARS = 256;
const MAX_HEADER_VALUE_CHARS = 8192;
const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'] as const;
/** The providers this version knows, and `unknown` (a body that is not a JSON document). */
const SENDERS: readonly SenderKind[] = [...PROVIDERS.map((provider) => provider.id), 'unknown'];

/**
 * Never part of a template: connection-specific fields (RFC 9110 §7.6.1), framing the sender
 * recomputes, credentials and signatures (signing adds fresh ones), and HookLens's own replay
 * marker.
 */
const NOT_IN_TEMPLATES: ReadonlySet<string> = new Set([
  ...NEVER_FORWARDED,
  'authorization',
  'cookie',
  'x-replay',
]);
/** Silently left out of a template read from disk: sendOutbound recomputes or drops them anyway. */
const RECOMPUTED = new Set([...NOT_IN_TEMPLATES].filter((name) => name !== 'authorization'));
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UNSAFE_HEADER_TEXT = /[\r\n\0]/;

/** C0 controls and DEL: a name or event must read as one plain line. */
function hasControl(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A template from a stored delivery. Throws SimulateError when it cannot be one: a body that is
 * not UTF-8 text, or an unusable name.
 */
export function templateFromDelivery(record: DeliveryRecord, name: string): UserTemplate {
  const checkedName = checkName(name);
  if (!checkedName.ok) throw new SimulateError(checkedName.error);
  let body: string;
  try {
    body = strictUtf8.decode(Buffer.from(record.bodyBase64, 'base64'));
  } catch {
    throw new SimulateError(
      `The body of delivery ${record.id} is not UTF-8 text, so it cannot be a template.`,
    );
  }
  const request = {
    sender: record.sender,
    method: record.method,
    url: record.url,
    headers: record.headers,
    body: Buffer.from(record.bodyBase64, 'base64'),
  };
  const how = eventSigning(request, undefined, Date.now());
  const authorizations = record.headers.filter(([header]) => /^authorization$/i.test(header));
  const read = authorizations.length === 1 ? readAuthorization(authorizations[0]?.[1]) : undefined;
  const carriedJwt = read?.kind === 'token' && read.token.split('.').length === 3;
  const carriedSignature = record.headers.some(([header]) =>
    how.signatureHeaders.has(header.toLowerCase()),
  );
  const auth: TemplateAuth =
    how.identity.scheme.id === 'jwt'
      ? carriedJwt
        ? 'jwt'
        : 'none'
      : carriedSignature || record.verification.verdict === 'secret_match'
        ? 'signed'
        : 'none';
  return {
    format: USER_TEMPLATE_FORMAT,
    name: checkedName.value,
    sender: record.sender,
    event: record.event,
    method: METHODS.find((method) => method === record.method.toUpperCase()) ?? 'POST',
    path: isUsablePath(record.url) ? record.url : senderDefaults(record.sender).path,
    headers: templateHeaders(withoutSignature(request, how)),
    body,
    auth,
    capturedAt: record.receivedAt,
  };
}

/** The delivery's headers a template keeps, in order (never one HookLens stored redacted). */
function templateHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const namedByConnection = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'connection') continue;
    for (const token of value.split(',')) namedByConnection.add(token.trim().toLowerCase());
  }
  return headers
    .filter(([name, value]) => {
      const lower = name.toLowerCase();
      return (
        !NOT_IN_TEMPLATES.has(lower) &&
        !namedByConnection.has(lower) &&
        value !== SECRET_REDACTION &&
        TOKEN.test(name) &&
        !UNSAFE_HEADER_TEXT.test(value)
      );
    })
    .slice(0, MAX_HEADERS)
    .map(([name, value]) => [name, value]);
}

export interface RawBodyOptions {
  /** The provider to send as, when the user named one (`--provider`). */
  readonly provider?: string;
  /** Recognises the body as the receiver would (pointers, generic HMAC header). */
  readonly analyser?: RequestAnalyser;
}

/**
 * A template from a JSON body alone (a file that is not a template): the provider is the one
 * named, else the one the receiver would recognise from the body; it is sent the way that
 * provider sends. `guessed` is true when nothing in the body told (the generic provider).
 */
export function templateFromRawBody(
  bodyText: string,
  name: string,
  options: RawBodyOptions = {},
): UserTemplateResult {
  const checkedName = checkName(name.slice(0, MAX_TEMPLATE_NAME_CHARS));
  if (!checkedName.ok) return { ok: false, error: checkedName.error };
  if (Buffer.byteLength(bodyText, 'utf8') > MAX_TEMPLATE_BODY_BYTES) {
    return { ok: false, error: `The body is larger than ${MAX_TEMPLATE_BODY_BYTES} bytes.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch (error) {
    return { ok: false, error: `The file is not JSON: ${messageOf(error)}` };
  }
  if (options.provider !== undefined && providerById(options.provider) === undefined) {
    return {
      ok: false,
      error: `Unknown provider ${quote(options.provider)}. Known: ${PROVIDERS.map((p) => p.id).join(', ')}.`,
    };
  }
  const analyser = options.analyser ?? analyserWithSecrets([]);
  const detect = (headers: ReadonlyArray<readonly [string, string]>) =>
    analyser.analyse(
      { method: 'POST', url: '/', headers, body: Buffer.from(bodyText, 'utf8') },
      Date.now(),
      'send',
    ).recognition;
  const sender = options.provider ?? detect(senderDefaults('generic').headers).sender;
  const defaults = senderDefaults(sender);
  let headers = defaults.headers;
  if (sender === 'github') {
    // GitHub names the event only in X-GitHub-Event, which a body alone does not carry.
    const event = githubEventFromBody(json);
    if (event === undefined) {
      return {
        ok: false,
        error:
          'GitHub names the event only in the X-GitHub-Event header, and this body does not show which it is. Send a captured delivery saved as a template (it keeps the headers) instead.',
      };
    }
    headers = [...headers, ['X-GitHub-Event', event]];
  }
  const recognition = detect(headers);
  return {
    ok: true,
    guessed: options.provider === undefined && (sender === 'generic' || sender === 'unknown'),
    template: {
      format: USER_TEMPLATE_FORMAT,
      name: checkedName.value,
      sender,
      event: recognition.sender === sender ? recognition.event : null,
      method: 'POST',
      path: defaults.path,
      headers,
      body: bodyText,
      auth: defaults.auth,
      capturedAt: null,
    },
  };
}

/**
 * Reads a file given to `hooklens send`: a template (it says `"format": "hooklens-template/1"`)
 * or else any JSON body. `name` names a raw body's template (the file name).
 */
export function readSendFile(
  text: string,
  name: string,
  options: RawBodyOptions = {},
): UserTemplateResult {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(withoutBom);
  } catch (error) {
    return { ok: false, error: `The file is not JSON: ${messageOf(error)}` };
  }
  if (isObject(value) && Object.hasOwn(value, 'format')) {
    const format = value.format;
    if (typeof format === 'string' && format.startsWith('hooklens-template')) {
      const read = validateUserTemplate(value);
      if (!read.ok || options.provider === undefined) return read;
      if (providerById(options.provider) === undefined) {
        return { ok: false, error: `Unknown provider ${quote(options.provider)}.` };
      }
      return { ok: true, template: { ...read.template, sender: options.provider } };
    }
  }
  return templateFromRawBody(withoutBom, name, options);
}

/** Parses and checks a template file's text (as written by JSON.stringify(template)). */
export function parseUserTemplate(json: string): UserTemplateResult {
  let value: unknown;
  try {
    value = JSON.parse(json.startsWith('\uFEFF') ? json.slice(1) : json);
  } catch (error) {
    return { ok: false, error: `The template is not JSON: ${messageOf(error)}` };
  }
  return validateUserTemplate(value);
}

/** Checks a parsed template field by field; the result is a new object, never the input. */
export function validateUserTemplate(value: unknown): UserTemplateResult {
  const fail = (error: string): UserTemplateResult => ({ ok: false, error });
  if (!isObject(value)) return fail('The template must be a JSON object.');
  const field = (key: string): unknown => (Object.hasOwn(value, key) ? value[key] : undefined);

  const format = field('format');
  if (format !== USER_TEMPLATE_FORMAT) {
    return fail(
      typeof format === 'string' && format.startsWith('hooklens-template/')
        ? `The template's format is ${quote(format)}; this HookLens reads ${USER_TEMPLATE_FORMAT}. It may come from a newer version.`
        : `The template must say "format": "${USER_TEMPLATE_FORMAT}".`,
    );
  }
  const name = field('name');
  if (typeof name !== 'string') return fail('The template needs a "name" (text).');
  const checkedName = checkName(name);
  if (!checkedName.ok) return fail(checkedName.error);

  const sender = field('sender') ?? 'generic';
  if (typeof sender !== 'string' || !SENDERS.includes(sender)) {
    return fail(`"sender" must be one of ${SENDERS.join(', ')}.`);
  }
  const senderKind = sender;

  const event = field('event') ?? null;
  if (event !== null) {
    if (typeof event !== 'string' || event.length > MAX_EVENT_CHARS || hasControl(event)) {
      return fail(
        `"event" must be null or one line of text of at most ${MAX_EVENT_CHARS} characters.`,
      );
    }
  }

  const method = field('method') ?? 'POST';
  const knownMethod =
    typeof method === 'string'
      ? METHODS.find((candidate) => candidate === method.toUpperCase())
      : undefined;
  if (knownMethod === undefined) return fail(`"method" must be one of ${METHODS.join(', ')}.`);

  const path = field('path') ?? senderDefaults(senderKind).path;
  if (typeof path !== 'string' || !isUsablePath(path)) {
    return fail(
      `"path" must start with a single "/" and have no spaces or control characters (at most ${MAX_PATH_CHARS} characters), like "/webhooks/watson".`,
    );
  }

  const headers = checkHeaders(field('headers') ?? []);
  if (typeof headers === 'string') return fail(headers);

  const body = field('body');
  if (typeof body !== 'string')
    return fail('The template needs a "body": the request body as text.');
  if (Buffer.byteLength(body, 'utf8') > MAX_TEMPLATE_BODY_BYTES) {
    return fail(`The template's body is larger than ${MAX_TEMPLATE_BODY_BYTES} bytes.`);
  }

  const auth = field('auth') ?? senderDefaults(senderKind).auth;
  if (auth !== 'jwt' && auth !== 'signed' && auth !== 'none') {
    return fail('"auth" must be "signed", "jwt" or "none".');
  }

  const capturedAt = field('capturedAt') ?? null;
  if (
    capturedAt !== null &&
    (typeof capturedAt !== 'string' ||
      capturedAt.length > 64 ||
      !Number.isFinite(Date.parse(capturedAt)))
  ) {
    return fail('"capturedAt" must be null or a date and time like "2025-05-14T15:03:02.874Z".');
  }

  return {
    ok: true,
    template: {
      format: USER_TEMPLATE_FORMAT,
      name: checkedName.value,
      sender: senderKind,
      event,
      method: knownMethod,
      path,
      headers,
      body,
      auth,
      capturedAt,
    },
  };
}

function checkHeaders(value: unknown): Array<[string, string]> | string {
  const shape = `"headers" must be a list of ["Name", "value"] pairs`;
  if (!Array.isArray(value)) return `${shape}.`;
  const items: readonly unknown[] = value;
  if (items.length > MAX_HEADERS) return `${shape}, at most ${MAX_HEADERS} of them.`;
  const headers: Array<[string, string]> = [];
  for (const [index, item] of items.entries()) {
    const where = `header ${index + 1}`;
    if (!Array.isArray(item) || item.length !== 2) return `${shape}; ${where} is not one.`;
    const [name, headerValue] = item as [unknown, unknown];
    if (typeof name !== 'string' || typeof headerValue !== 'string') {
      return `${shape}; ${where} has something other than text in it.`;
    }
    if (name.length > MAX_HEADER_NAME_CHARS || !TOKEN.test(name)) {
      return `${where}'s name ${quote(name)} is not a valid header name.`;
    }
    if (headerValue.length > MAX_HEADER_VALUE_CHARS || UNSAFE_HEADER_TEXT.test(headerValue)) {
      return `${where} (${name}) has a value with a line break or NUL in it, or longer than ${MAX_HEADER_VALUE_CHARS} characters.`;
    }
    if (RECOMPUTED.has(name.toLowerCase())) continue;
    headers.push([name, headerValue]);
  }
  return headers;
}

type NameCheck =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

function checkName(name: string): NameCheck {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, error: 'The template name is empty.' };
  if (trimmed.length > MAX_TEMPLATE_NAME_CHARS || hasControl(trimmed)) {
    return {
      ok: false,
      error: `The template name must be one line of at most ${MAX_TEMPLATE_NAME_CHARS} characters.`,
    };
  }
  return { ok: true, value: trimmed };
}

/** Origin-form path: one leading slash (`//host` would name another host), printable ASCII. */
function isUsablePath(path: string): boolean {
  return (
    path.length <= MAX_PATH_CHARS &&
    /^\/[\x21-\x7e]*$/.test(path) &&
    !path.startsWith('//') &&
    !path.startsWith('/\\')
  );
}

export interface UserBuildOptions {
  readonly random?: RandomSource;
}

/**
 * A fresh event from a template: ids in the body (and volatile headers) get new values of the
 * same shape, consistently (one old id, one new id), configuration ids such as `assistant_id`
 * stay, and times move so that the capture moment becomes `nowMs`.
 */
export function buildFromUserTemplate(
  template: UserTemplate,
  nowMs: number,
  options: UserBuildOptions = {},
): BuiltEvent {
  const captured = template.capturedAt === null ? NaN : Date.parse(template.capturedAt);
  const refreshed = refreshRequest(template.headers, template.body, {
    nowMs,
    anchorMs: Number.isFinite(captured) ? captured : null,
    random: options.random,
  });
  const body = Buffer.from(refreshed.body.text, 'utf8');
  return {
    template: template.name,
    method: template.method,
    path: template.path,
    headers: refreshed.headers,
    body,
    sender: template.sender,
    event: template.event,
    id: eventIdOf({
      sender: template.sender,
      path: template.path,
      headers: refreshed.headers,
      body,
    }),
    auth: template.auth,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
