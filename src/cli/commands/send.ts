// `hooklens send`: sample webhook events, like `stripe trigger`. A built-in template (Watson log,
// pre/post-message, Rapida) or a template file, signed the way the sender signs, sent once or as a
// small paced load, optionally with a broken token to see the handler reject it.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import { DEFAULT_PORT } from '../../core/receiver/receiverServer';
import { checkSecret } from '../../core/secrets/secretPolicy';
import {
  isExpectedStatus,
  MAX_SEND_COUNT,
  MAX_SEND_RATE,
  sendEvents,
  type SendMode,
  type SendResult,
  type SendSummary,
} from '../../core/simulate/sendEvents';
import {
  BUILT_IN_TEMPLATES,
  buildEvent,
  findTemplate,
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

/** Up to this many events, one line each; beyond it, a progress line a second and a summary. */
const LINES_UP_TO = 20;

export const SEND_HELP = `Usage: hooklens send <template|file.json> [--to URL] [options]
       hooklens send --list

Sends sample webhook events signed the way their sender signs them: Watson with an HS256 JWT
in Authorization (the bare token), Rapida unsigned. Every event gets fresh ids and timestamps.
<template> is a built-in template (see --list). file.json is a template saved from a captured
delivery, or any JSON body, sent the way the sender it looks like would send it.

Exits 0 when every answer was 2xx; with --bad-signature, --expired or --unsigned, when every
answer was 401 or 403 (the handler rejected them, as it should). Otherwise 1.

Options:
  --list              List the built-in templates
  --to URL            Where to send (default http://127.0.0.1:${DEFAULT_PORT}/webhooks/<sender>, or the
                      captured path for a template file)
  --secret-env NAME   Environment variable holding the secret (default HOOKLENS_SECRET)
  --count N           How many events (default 1, at most ${MAX_SEND_COUNT})
  --rate R            Events per second (at most ${MAX_SEND_RATE}); default: each after the last answer
  --bad-signature     A well-formed JWT signed with the wrong key
  --expired           A JWT signed with the secret that expired 55 minutes ago
  --unsigned          No Authorization header at all
  --sign              Add a JWT even where the sender sends none (Rapida)
  --timeout S         Seconds to wait for each answer (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --json              One JSON object per event, then one summary object
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
      'secret-env': { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      'bad-signature': { type: 'boolean', default: false },
      expired: { type: 'boolean', default: false },
      unsigned: { type: 'boolean', default: false },
      sign: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
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

  const source = await resolveSource(positionals[0] ?? '', values.sign);
  const secret = secretFor(source, mode, values['secret-env'], io);

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

  io.stderr(
    `sending ${count === 1 ? '' : `${count} × `}${source.label} to ${target.url.href} (${signingNote(source, mode, secret.env, secret.value !== undefined)}${rate === undefined ? '' : `, ${rate}/s`})\n`,
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
      secret: secret.value,
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

async function resolveSource(name: string, forceSign: boolean): Promise<Source> {
  const builtIn = findTemplate(name);
  const source = builtIn
    ? {
        label: builtIn.name,
        auth: builtIn.auth,
        sender: builtIn.sender,
        build: (_index: number, nowMs: number) => buildEvent(builtIn.name, { nowMs }),
      }
    : looksLikeFile(name) || (await isFile(name))
      ? await fileSource(name)
      : undefined;
  if (source === undefined) {
    throw new UsageError(
      `There is no template called '${toSingleLine(name, 80)}'.${suggestion(name)}\n${templateNames()}\nOr give the path of a .json file (a saved template or a JSON body).`,
    );
  }
  if (!forceSign || source.auth === 'jwt') return source;
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

async function fileSource(path: string): Promise<Source> {
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
  const read = readSendFile(text, basename(path));
  if (!read.ok) throw new CliFailure(`${shown}: ${read.error}`);
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

/** The secret when this run signs with it; a missing one is an error only where it must exist. */
function secretFor(
  source: Source,
  mode: SendMode,
  secretEnvOption: string | undefined,
  io: CliIo,
): { readonly env: string; readonly value: string | undefined } {
  const env = secretEnvOption ?? 'HOOKLENS_SECRET';
  const needed = mode === 'expired' || (mode === 'valid' && source.auth === 'jwt');
  if (!needed) return { env, value: undefined };
  const value = io.env[env];
  if (value === undefined) {
    if (mode === 'expired') {
      throw new CliFailure(
        `--expired signs with the secret (so only the expiry is wrong), and $${env} is not set.`,
      );
    }
    if (secretEnvOption !== undefined) throw new CliFailure(`$${env} is not set.`);
    io.stderr(
      `warning: $${env} is not set, so ${source.label} goes without the JWT its sender would add. Set it, or name another variable with --secret-env.\n`,
    );
    return { env, value: undefined };
  }
  const check = checkSecret(value);
  if (!check.ok) throw new CliFailure(`$${env}: ${check.error}`);
  for (const warning of check.warnings) io.stderr(`warning: $${env}: ${warning}\n`);
  return { env, value };
}

function signingNote(source: Source, mode: SendMode, env: string, hasSecret: boolean): string {
  switch (mode) {
    case 'bad-signature':
      return 'JWT with a bad signature';
    case 'expired':
      return `JWT signed with $${env}, expired`;
    case 'unsigned':
      return 'no Authorization header';
    case 'valid':
      if (source.auth === 'none') {
        return source.sender === 'rapida' ? 'unsigned, as Rapida sends' : 'unsigned';
      }
      return hasSecret ? `JWT signed with $${env}` : 'unsigned: no secret';
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
