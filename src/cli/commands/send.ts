// `hooklens send`: sample webhook events, like `stripe trigger`. A built-in template (GitHub,
// Stripe, Standard Webhooks, Shopify, Slack, Twilio, GitLab, Meta, Discord, Watson, Rapida) or a
// template file, signed the way its provider signs, sent once or as a small paced load,
// optionally with a broken signature to see the handler reject it.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { RequestAnalyser, type AnalysisSettings } from '../../core/analysis/analyseRequest';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import { PROVIDERS, providerById } from '../../core/providers/registry';
import { DEFAULT_PORT } from '../../core/receiver/receiverServer';
import {
  describeSigning,
  isExpectedStatus,
  MAX_SEND_COUNT,
  MAX_SEND_RATE,
  sendEvents,
  sendModeProblem,
  signingSecretLabel,
  type SendMode,
  type SendResult,
  type SendSummary,
} from '../../core/simulate/sendEvents';
import {
  BUILT_IN_TEMPLATES,
  buildEvent,
  findTemplate,
  isSignedAuth,
  SimulateError,
  type BuiltEvent,
  type TemplateAuth,
} from '../../core/simulate/templates';
import {
  buildFromUserTemplate,
  MAX_TEMPLATE_FILE_BYTES,
  readSendFile,
} from '../../core/simulate/userTemplates';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, parseIntegerOption, UsageError, type CliIo } from '../io';
import {
  DEFAULT_SECRET_ENV,
  VERIFICATION_HELP,
  VERIFICATION_PARSE_OPTIONS,
  verificationSetup,
} from '../verificationOptions';

/** Up to this many events, one line each; beyond it, a progress line a second and a summary. */
const LINES_UP_TO = 20;

export const SEND_HELP = `Usage: hooklens send <template|file.json> [--to URL] [options]
       hooklens send --list

Sends sample webhook events signed the way their provider signs them, with the provider's
secret from --secret-env PROVIDER:NAME: GitHub's X-Hub-Signature-256, Stripe's Stripe-Signature,
Standard Webhooks' (Svix) webhook-signature, Slack's v0 signature, Twilio's X-Twilio-Signature,
Shopify's HMAC, GitLab's secret token, Meta's X-Hub-Signature-256, Watson's HS256 JWT in
Authorization (the bare token, with the default secret); Rapida unsigned. Discord signs with its
private key, so its events go unsigned (or, with --bad-signature, signed with a throwaway key).
Every event gets fresh ids and timestamps.

<template> is a built-in template (see --list). file.json is a template saved from a captured
delivery, or any JSON body: it is signed as the provider its body shows (Watson, Rapida, a Slack
url_verification…); when the body does not tell, name the provider with --provider.

Exits 0 when every answer was 2xx; with --bad-signature, --expired or --unsigned, when every
answer was 401 or 403 (the handler rejected them, as it should). Otherwise 1.

Options:
  --list              List the built-in templates
  --to URL            Where to send (default http://127.0.0.1:${DEFAULT_PORT}/webhooks/<provider>, or the
                      captured path for a template file)
  --provider ID       Sign a file as this provider (the ids are listed under --secret-env)
  --count N           How many events (default 1, at most ${MAX_SEND_COUNT})
  --rate R            Events per second (at most ${MAX_SEND_RATE}); default: each after the last answer
  --bad-signature     Signed the provider's way, but with a wrong secret
  --expired           Signed with the secret, but long ago: a timestamp 10 minutes old (a JWT
                      expired 55 minutes ago); only for schemes that carry a time
  --unsigned          Without the provider's signature headers at all
  --sign              Add a JWT even where the sender sends none (Rapida)
  --timeout S         Seconds to wait for each answer (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --json              One JSON object per event, then one summary object

${VERIFICATION_HELP}
--public-url also sets the URL Twilio's signature covers (default: the --to URL's origin).
`;

interface Source {
  /** The template's name or the file's name, for messages. */
  readonly label: string;
  readonly auth: TemplateAuth;
  readonly sender: string;
  readonly build: (index: number, nowMs: number) => BuiltEvent;
}

export async function sendCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      list: { type: 'boolean', default: false },
      to: { type: 'string' },
      provider: { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      'bad-signature': { type: 'boolean', default: false },
      expired: { type: 'boolean', default: false },
      unsigned: { type: 'boolean', default: false },
      sign: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...VERIFICATION_PARSE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(SEND_HELP);
    return 0;
  }
  if (values.list) {
    io.stdout(values.json ? `${JSON.stringify(BUILT_IN_TEMPLATES)}\n` : templateList());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? `Name a template or a .json file to send.\n${templateNames()}`
        : `Send one template or file at a time, not ${positionals.length}.`,
    );
  }
  const modes = (['bad-signature', 'expired', 'unsigned'] as const).filter((flag) => values[flag]);
  if (modes.length > 1) {
    throw new UsageError(`Use only one of --${modes.join(', --')}.`);
  }
  const mode: SendMode = modes[0] ?? 'valid';
  const count = parseIntegerOption('count', values.count, 1, MAX_SEND_COUNT) ?? 1;
  const rate = parseRate(values.rate);
  const timeoutMs =
    (parseIntegerOption('timeout', values.timeout, 1, 600) ?? DEFAULT_FORWARD_TIMEOUT_MS / 1000) *
    1000;
  const provider = values.provider?.toLowerCase();
  if (provider !== undefined && providerById(provider) === undefined) {
    throw new UsageError(
      `Unknown provider '${toSingleLine(provider, 40)}'. Known: ${PROVIDERS.map((known) => known.id).join(', ')}.`,
    );
  }

  const { analysis } = verificationSetup(values, io);
  const source = await resolveSource(positionals[0] ?? '', {
    forceSign: values.sign,
    provider,
    analysis,
  });

  let first: BuiltEvent;
  try {
    first = source.build(0, Date.now());
  } catch (error) {
    if (error instanceof SimulateError) throw new CliFailure(error.message);
    throw error;
  }
  const rawTarget = values.to ?? `http://127.0.0.1:${DEFAULT_PORT}${first.path}`;
  const target = parseTargetUrl(rawTarget);
  if (!target.ok) throw new UsageError(`--to: ${target.error}`);
  const problem = sendModeProblem(first, mode, analysis);
  if (problem !== undefined) throw new UsageError(`--${mode}: ${problem}`);
  const secretLabel = requiredSecret(source, first, mode, analysis, {
    url: `${target.url.pathname}${target.url.search}`,
    specs: values['secret-env'],
    io,
  });

  io.stderr(
    `sending ${count === 1 ? '' : `${count} × `}${source.label} to ${target.url.href} (${signingNote(source, first, mode, analysis, secretLabel)}${rate === undefined ? '' : `, ${rate}/s`})\n`,
  );

  const controller = new AbortController();
  void io.stopRequested.then((signal) => {
    io.stderr(`${signal}: stopping; waiting for the answers in flight…\n`);
    controller.abort();
  });
  const progress = new Progress(count, mode);
  const timer =
    count > LINES_UP_TO ? setInterval(() => io.stderr(`${progress.line()}\n`), 1000) : undefined;
  let summary: SendSummary;
  try {
    summary = await sendEvents(target.url, source.build, {
      count,
      ratePerSecond: rate,
      signing: analysis,
      mode,
      timeoutMs,
      signal: controller.signal,
      onResult: (result) => {
        progress.add(result);
        if (values.json) io.stdout(`${JSON.stringify({ type: 'result', ...result })}\n`);
        else if (count <= LINES_UP_TO) io.stdout(`${resultLine(result)}\n`);
      },
    });
  } finally {
    if (timer) clearInterval(timer);
  }

  const ok = summary.expected === summary.requested && !summary.cancelled;
  if (mode === 'valid' && source.auth === 'none' && (summary.statuses['401'] ?? 0) > 0) {
    io.stderr(
      `hint: ${source.label} is sent without a token, as its sender sends it. If the receiver checks a JWT (hooklens listen with a secret), add --sign.\n`,
    );
  }
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ type: 'summary', target: target.url.href, mode, ok, ...summary })}\n`,
    );
  } else {
    const text = summaryText(summary, mode);
    if (count > LINES_UP_TO) io.stdout(text);
    else io.stderr(text);
  }
  return ok ? 0 : 1;
}

interface SourceOptions {
  readonly forceSign: boolean;
  readonly provider: string | undefined;
  readonly analysis: AnalysisSettings;
}

async function resolveSource(name: string, options: SourceOptions): Promise<Source> {
  const builtIn = findTemplate(name);
  if (builtIn && options.provider !== undefined && options.provider !== builtIn.sender) {
    throw new UsageError(
      `--provider names the provider of a file; ${builtIn.name} is a ${builtIn.sender} template.`,
    );
  }
  const source = builtIn
    ? {
        label: builtIn.name,
        auth: builtIn.auth,
        sender: builtIn.sender,
        build: (_index: number, nowMs: number) => buildEvent(builtIn.name, { nowMs }),
      }
    : looksLikeFile(name) || (await isFile(name))
      ? await fileSource(name, options)
      : undefined;
  if (source === undefined) {
    throw new UsageError(
      `There is no template called '${toSingleLine(name, 80)}'.${suggestion(name)}\n${templateNames()}\nOr give the path of a .json file (a saved template or a JSON body).`,
    );
  }
  if (!options.forceSign || isSignedAuth(source.auth)) return source;
  return {
    ...source,
    auth: 'jwt',
    build: (index, nowMs) => ({ ...source.build(index, nowMs), auth: 'jwt' }),
  };
}

function looksLikeFile(name: string): boolean {
  return /\.json$/i.test(name) || name.includes('/') || name.includes('\\');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function fileSource(path: string, options: SourceOptions): Promise<Source> {
  const shown = toSingleLine(path, 200);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliFailure(`${shown} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw new CliFailure(`Cannot read ${shown}: ${fsReason(error)}`);
  }
  if (size > MAX_TEMPLATE_FILE_BYTES) {
    throw new CliFailure(
      `${shown} is ${size} bytes; a template or body file can be at most ${MAX_TEMPLATE_FILE_BYTES}.`,
    );
  }
  let text: string;
  try {
    text = strictUtf8.decode(await readFile(path));
  } catch (error) {
    throw new CliFailure(
      error instanceof TypeError
        ? `${shown} is not UTF-8 text.`
        : `Cannot read ${shown}: ${fsReason(error)}`,
    );
  }
  const read = readSendFile(text, basename(path), {
    ...(options.provider === undefined ? {} : { provider: options.provider }),
    analyser: new RequestAnalyser(options.analysis),
  });
  if (!read.ok) throw new CliFailure(`${shown}: ${read.error}`);
  if (read.guessed === true) {
    throw new UsageError(
      `Cannot tell which provider sends ${shown}: nothing in the body says (most providers name themselves in headers, which a body file does not have). Name it with --provider: ${PROVIDERS.map((provider) => provider.id).join(', ')} (generic: a JSON webhook signed with a JWT).`,
    );
  }
  const template = read.template;
  return {
    label: template.name,
    auth: template.auth,
    sender: template.sender,
    build: (_index, nowMs) => buildFromUserTemplate(template, nowMs),
  };
}

function fsReason(error: unknown): string {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  if (code === 'ENOENT') return 'no such file.';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The label (environment variable) of the secret this run signs with, or undefined when it goes
 * without. A missing secret is an error where it must exist: for --expired, and when the user
 * named secrets and none fits; otherwise a warning, and the event goes unsigned.
 */
function requiredSecret(
  source: Source,
  first: BuiltEvent,
  mode: SendMode,
  analysis: AnalysisSettings,
  { url, specs, io }: { url: string; specs: readonly string[] | undefined; io: CliIo },
): string | undefined {
  const how = describeSigning(first, analysis);
  const needed =
    mode === 'expired' || (mode === 'valid' && isSignedAuth(source.auth) && how.canSign);
  if (!needed) return undefined;
  const label = signingSecretLabel(first, analysis, url);
  if (label !== undefined) return label;
  const give = how.usesDefaultSecret
    ? `$${DEFAULT_SECRET_ENV}, or --secret-env NAME`
    : `--secret-env ${first.sender}:NAME`;
  if (mode === 'expired') {
    throw new CliFailure(
      how.usesDefaultSecret && specs === undefined
        ? `--expired signs with the secret (so only the expiry is wrong), and $${DEFAULT_SECRET_ENV} is not set.`
        : `--expired signs with the ${how.label} ${how.noun} (so only the time is wrong), and none is given: ${give}.`,
    );
  }
  if (specs !== undefined && specs.length > 0) {
    throw new CliFailure(
      `${source.label} is signed with the ${how.label} ${how.noun}, and no --secret-env gives it (${give}).`,
    );
  }
  io.stderr(
    how.usesDefaultSecret
      ? `warning: $${DEFAULT_SECRET_ENV} is not set, so ${source.label} goes without the JWT its sender would add. Set it, or name another variable with --secret-env.\n`
      : `warning: no ${how.label} ${how.noun} is given, so ${source.label} goes unsigned. Give it with --secret-env ${first.sender}:NAME.\n`,
  );
  return undefined;
}

function signingNote(
  source: Source,
  first: BuiltEvent,
  mode: SendMode,
  analysis: AnalysisSettings,
  secretLabel: string | undefined,
): string {
  const how = describeSigning(first, analysis);
  const jwt = how.scheme === 'jwt';
  switch (mode) {
    case 'bad-signature':
      if (jwt) return 'JWT with a bad signature';
      return how.canSign
        ? `${how.label} signature made with a wrong secret`
        : `${how.label} signature from a throwaway key`;
    case 'expired':
      return jwt
        ? `JWT signed with $${secretLabel ?? '?'}, expired`
        : `${how.label} signature with $${secretLabel ?? '?'}, timestamp 10 minutes old`;
    case 'unsigned':
      return jwt ? 'no Authorization header' : `no ${how.label} signature`;
    case 'valid':
      if (!isSignedAuth(source.auth)) {
        return source.sender === 'rapida' ? 'unsigned, as Rapida sends' : 'unsigned';
      }
      if (!how.canSign) {
        return `unsigned: ${how.label} signs with a private key only ${how.label} holds`;
      }
      if (secretLabel === undefined) return 'unsigned: no secret';
      return jwt
        ? `JWT signed with $${secretLabel}`
        : `${how.label} signature with $${secretLabel}`;
  }
}

function parseRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (value.trim() === '' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_SEND_RATE) {
    throw new UsageError(
      `--rate must be a number of events per second above 0 and at most ${MAX_SEND_RATE}, not '${toSingleLine(value, 40)}'.`,
    );
  }
  return rate;
}

function templateList(): string {
  const width = Math.max(...BUILT_IN_TEMPLATES.map((template) => template.name.length));
  return `${BUILT_IN_TEMPLATES.map((template) => `${template.name.padEnd(width)}  ${template.description}`).join('\n')}\n`;
}

function templateNames(): string {
  return `Templates:\n${BUILT_IN_TEMPLATES.map((template) => `  ${template.name}`).join('\n')}`;
}

/** "Did you mean" for a mistyped name: the closest template within a few edits. */
function suggestion(name: string): string {
  let best: { name: string; distance: number } | undefined;
  for (const template of BUILT_IN_TEMPLATES) {
    const distance = editDistance(name.toLowerCase().slice(0, 100), template.name);
    if (best === undefined || distance < best.distance) best = { name: template.name, distance };
  }
  return best !== undefined && best.distance <= 3 ? ` Did you mean ${best.name}?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function eventLabel(result: SendResult): string {
  const label = result.event === null ? result.template : `${result.sender}.${result.event}`;
  return toSingleLine(label || '(no event)', 60);
}

/** `200  3.1 ms  watson.message_logged  5d3e2b9a-…`: status, time, event, id, and why if not ok. */
function resultLine(result: SendResult): string {
  const status = result.status === null ? 'failed' : String(result.status);
  const id = result.id === null ? '-' : toSingleLine(result.id, 60);
  const problem =
    result.error !== null
      ? `  ${toSingleLine(result.error, 160)}`
      : result.status !== null && (result.status < 200 || result.status >= 300) && result.answer
        ? `  answer: ${toSingleLine(result.answer, 100)}`
        : '';
  return `${status}  ${result.timeMs} ms  ${eventLabel(result)}  ${id}${problem}`;
}

/** Counts as results arrive, for the once-a-second progress line. */
class Progress {
  private done = 0;
  private expected = 0;
  private failed = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly mode: SendMode,
  ) {}

  add(result: SendResult): void {
    this.done++;
    if (result.status === null) this.failed++;
    else if (isExpectedStatus(result.status, this.mode)) this.expected++;
  }

  line(): string {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const other = this.done - this.expected - this.failed;
    return `sent ${this.done}/${this.total}: ${this.expected} ${expectation(this.mode)}, ${other} other, ${this.failed} failed (${Math.round(this.done / seconds)}/s)`;
  }
}

function expectation(mode: SendMode): string {
  return mode === 'valid' ? '2xx' : '401/403';
}

function summaryText(summary: SendSummary, mode: SendMode): string {
  const statuses = Object.entries(summary.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status} ×${count}`);
  if (summary.failures > 0) statuses.push(`no answer ×${summary.failures}`);
  const times =
    summary.p50Ms === null ? '' : `; p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms ?? '-'} ms`;
  const verdict =
    summary.expected === summary.requested
      ? `all ${expectation(mode)} as expected`
      : `${summary.expected} of ${summary.requested} answered ${expectation(mode)} as expected`;
  const stopped = summary.cancelled ? ' (stopped early)' : '';
  return `sent ${summary.sent}${stopped}: ${statuses.join(', ') || 'nothing'}${times}; ${(summary.elapsedMs / 1000).toFixed(1)} s in all; ${verdict}.\n`;
}
