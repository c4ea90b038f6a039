// The tools that act: replay_delivery and send_test_event send traffic (to loopback or configured
// targets only), generate_handler writes files (into the approved folder only). Each checks the
// host's permission first; in VS Code the user also confirms each call (confirmationFor).
import { lstat, mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../forward/forwarder';
import { ReplayError, replayDelivery, type TokenMode } from '../forward/replay';
import { generateOffThread, loadGenerator } from '../generate/loadGenerator';
import type { GenerationRecord } from '../generate/samples';
import { providerLabel } from '../providers/registry';
import {
  isExpectedStatus,
  sendEvents,
  sendModeProblem,
  type SendMode,
  type SendResult,
} from '../simulate/sendEvents';
import { buildEvent, findTemplate, SimulateError } from '../simulate/templates';
import { isFailedVerdict } from '../../shared/verdicts';
import type { AgentContext } from './context';
import { agentAnswer, redactPath } from './redaction';
import { AgentToolError, capText } from './results';
import { findRecord } from './readTools';
import { checkedTarget, replayDestination } from './targets';

const ANSWER_CHARS = 8000;

function requireSend(context: AgentContext, what: string): void {
  if (context.send.allowed) return;
  throw new AgentToolError(
    'not-allowed',
    `${what} is turned off here. ${context.send.howToAllow ?? 'The user has to allow sending traffic first.'}`,
  );
}

export interface ReplayInput {
  readonly id: string;
  readonly target?: string;
  /** A configured route's name or number, or "its" for the delivery's own route. */
  readonly route?: string;
  readonly signature?: TokenMode;
  readonly resign_failed?: boolean;
  readonly timeout_seconds?: number;
}

export async function replayTool(
  input: ReplayInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  requireSend(context, 'Replaying deliveries');
  // A target the agent gives is checked before the store is read.
  if (input.target !== undefined && input.target.trim() !== '' && input.route === undefined) {
    checkedTarget(input.target, context);
  }
  const store = await context.store();
  const record = await findRecord(store, input.id);
  const destination = replayDestination(input, record, context);
  const target = destination.target;
  const tokenMode = input.signature ?? 'original';
  // A read-only host records the attempt on a store opened for this replay, when it can.
  const recording = await context.storeForRecording?.();
  const replayStore = recording !== undefined && 'store' in recording ? recording.store : store;
  let outcome;
  try {
    outcome = await replayDelivery(replayStore, record.id, {
      target,
      ...(destination.route === undefined ? {} : { route: destination.route }),
      tokenMode,
      signing: await context.signing(),
      allowResignFailed: input.resign_failed === true,
      timeoutMs:
        input.timeout_seconds !== undefined
          ? input.timeout_seconds * 1000
          : (context.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS),
    });
  } catch (error) {
    if (!(error instanceof ReplayError)) throw error;
    switch (error.kind) {
      case 'not-stored':
        throw new AgentToolError('not-found', `${error.message} list_deliveries shows the ids.`);
      case 'failed-verification':
        throw new AgentToolError(
          'needs-user',
          `${error.message.replace(/confirm to re-sign it anyway\.?$/, '')}Ask the user before calling again with resign_failed true, or replay with signature "original".`,
        );
      case 'needs-secret':
        throw new AgentToolError(
          'needs-user',
          `${error.message} The user sets secrets (VS Code: HookLens: Set Secret…; hooklens mcp: --secret-env PROVIDER:NAME); an agent never handles them.`,
        );
      default:
        throw new AgentToolError('invalid-input', error.message);
    }
  } finally {
    if (recording !== undefined && 'store' in recording) await recording.release();
  }
  const attempt = outcome.attempt;
  const delivered = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
  const notes: string[] = [];
  if (attempt.status === null) {
    notes.push(`No answer from ${target.href}: is the handler running there?`);
  } else if (!delivered) {
    notes.push(`The handler answered ${attempt.status}, not 2xx.`);
  }
  if (!outcome.recorded) {
    const why =
      recording !== undefined && 'notRecorded' in recording
        ? recording.notRecorded
        : (outcome.notRecordedReason ?? 'the store is open read-only here');
    notes.push(
      `Not recorded: ${why}. The replay was sent, but not stored as an attempt on the delivery; its answer is in this result.`,
    );
  }
  return {
    deliveryId: record.id,
    target: redactPath(target.href),
    route: destination.route ?? null,
    signature: attempt.tokenMode,
    delivered,
    status: attempt.status,
    timeMs: attempt.timeMs,
    error: attempt.error,
    response: agentAnswer(attempt.response, ANSWER_CHARS),
    recorded: outcome.recorded,
    note: `Sent to ${destination.how}. ${notes.join(' ') || 'The handler took the replay (2xx).'}`,
  };
}

export interface SendInput {
  readonly template: string;
  readonly target?: string;
  readonly mode?: SendMode;
}

/** The URL a test event goes to: the given one (checked), else the receiver plus the template's path. */
export async function sendTarget(input: SendInput, context: AgentContext): Promise<URL> {
  if (input.target !== undefined && input.target.trim() !== '') {
    return checkedTarget(input.target, context);
  }
  const template = findTemplate(input.template);
  const receiver = await context.receiverUrl();
  if (receiver === undefined) {
    throw new AgentToolError(
      'unavailable',
      'The HookLens receiver is not running, so there is nowhere to send by default. Ask the user to start it (VS Code: HookLens: Start Receiver; terminal: hooklens listen), or pass target with a loopback URL.',
    );
  }
  return new URL(template?.path ?? '/', receiver);
}

export async function sendTestEventTool(
  input: SendInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  requireSend(context, 'Sending test events');
  const template = findTemplate(input.template);
  if (template === undefined) {
    throw new AgentToolError(
      'invalid-input',
      `There is no template '${input.template.slice(0, 80)}'; the input schema lists the names.`,
    );
  }
  const target = await sendTarget(input, context);
  const mode = input.mode ?? 'valid';
  const signing = await context.signing();
  const now = context.now ?? Date.now;
  try {
    const problem = sendModeProblem(buildEvent(template.name, { nowMs: now() }), mode, signing);
    if (problem !== undefined)
      throw new AgentToolError('invalid-input', `mode ${mode}: ${problem}`);
  } catch (error) {
    if (error instanceof SimulateError) throw new AgentToolError('invalid-input', error.message);
    throw error;
  }
  let result: SendResult | undefined;
  await sendEvents(target, (_index, nowMs) => buildEvent(template.name, { nowMs }), {
    count: 1,
    signing,
    mode,
    timeoutMs: context.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS,
    now,
    onResult: (item) => {
      result = item;
    },
  });
  if (result === undefined) throw new AgentToolError('failed', 'The event was not sent.');
  const notes: string[] = [];
  if (mode === 'valid' && result.token === 'none' && template.auth !== 'none') {
    notes.push(
      `It went unsigned: no ${providerLabel(template.sender)} secret is configured. The user sets one (VS Code: HookLens: Set Secret…; hooklens mcp: --secret-env ${template.sender}:NAME).`,
    );
  }
  if (result.status === null) notes.push(`No answer from ${target.href}: ${result.error ?? ''}`);
  else if (!isExpectedStatus(result.status, mode)) {
    notes.push(
      mode === 'valid'
        ? `Answered ${result.status}, not 2xx.`
        : `Answered ${result.status}: a ${mode} event should be rejected with 401 or 403.`,
    );
  }
  const answer = capText(result.answer, ANSWER_CHARS);
  return {
    template: template.name,
    provider: template.sender,
    event: result.event,
    eventId: result.id,
    target: redactPath(target.href),
    mode,
    signature: result.token,
    status: result.status,
    expected: isExpectedStatus(result.status, mode),
    timeMs: result.timeMs,
    error: result.error,
    answer: answer.text,
    note:
      notes.join(' ') ||
      'Sent. When it went to the HookLens receiver, list_deliveries shows it as the newest delivery.',
  };
}

export interface GenerateInput {
  readonly language: string;
  readonly framework?: string;
  readonly zod?: boolean;
  readonly provider?: string;
  readonly events?: readonly string[];
  readonly ids?: readonly string[];
  readonly include_unverified?: boolean;
  readonly folder?: string;
  readonly overwrite?: boolean;
}

const PER_EVENT_LIMIT = 200;
export const DEFAULT_GENERATE_FOLDER = 'hooklens-handler';

/** The folder generate_handler writes into: inside the approved one, or an error. */
export async function generateFolder(input: GenerateInput, context: AgentContext): Promise<string> {
  const root = context.write.allowed ? context.write.folder : undefined;
  if (root === undefined) {
    throw new AgentToolError(
      'not-allowed',
      `Writing files is turned off here. ${context.write.howToAllow ?? 'The user has to approve a folder first.'}`,
    );
  }
  const wanted = (input.folder ?? DEFAULT_GENERATE_FOLDER).trim() || DEFAULT_GENERATE_FOLDER;
  const folder = resolve(root, wanted);
  const inside = relative(root, folder);
  if (isAbsolute(wanted) && folder !== resolve(wanted)) {
    throw new AgentToolError('invalid-input', 'folder must be relative to the approved folder.');
  }
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new AgentToolError(
      'refused-target',
      `folder must stay inside the approved folder ${root}; '${wanted.slice(0, 100)}' leads out of it.`,
    );
  }
  // A symbolic link inside the approved folder must not lead out of it either.
  const realRoot = await realpath(root).catch(() => resolve(root));
  let probe = folder;
  while (!(await exists(probe)) && probe !== root && probe.startsWith(root))
    probe = resolve(probe, '..');
  const realProbe = await realpath(probe).catch(() => probe);
  if (realProbe !== realRoot && !realProbe.startsWith(`${realRoot}${sep}`)) {
    throw new AgentToolError(
      'refused-target',
      `folder leads out of the approved folder ${root} (through a symbolic link).`,
    );
  }
  return folder;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

export async function generateTool(
  input: GenerateInput,
  context: AgentContext,
): Promise<Record<string, unknown>> {
  const folder = await generateFolder(input, context);
  const generator = await loadGenerator();
  let target;
  try {
    target = generator.resolveTarget(input.language, input.framework, input.zod === true);
  } catch (error) {
    throw new AgentToolError('invalid-input', (error as Error).message);
  }
  const store = await context.store();
  const ids = input.ids === undefined ? undefined : new Set(input.ids);
  const events = input.events === undefined ? undefined : new Set(input.events);
  const provider = input.provider?.trim().toLowerCase();
  const records: GenerationRecord[] = [];
  const perEvent = new Map<string, number>();
  const providers = new Map<string, number>();
  let unverified = 0;
  for (const summary of store.summaries()) {
    if (ids !== undefined && !ids.has(summary.id)) continue;
    if (events !== undefined && (summary.event === null || !events.has(summary.event))) continue;
    providers.set(summary.sender, (providers.get(summary.sender) ?? 0) + 1);
    if (provider !== undefined && summary.sender !== provider) continue;
    if (input.include_unverified !== true && isFailedVerdict(summary.verdict)) {
      // The generator leaves these out too; not reading them keeps big stores fast.
      unverified++;
      continue;
    }
    const key = summary.event ?? '';
    const count = perEvent.get(key) ?? 0;
    if (count >= PER_EVENT_LIMIT) continue;
    const record = await store.get(summary.id);
    if (record === undefined) continue;
    perEvent.set(key, count + 1);
    records.push(record);
  }
  if (records.length === 0) {
    const held = [...providers].map(([id, count]) => `${id} ×${count}`).join(', ');
    throw new AgentToolError(
      'not-found',
      held === ''
        ? 'No stored deliveries match, so there is nothing to generate from. Capture some first (send_test_event sends one), or loosen events/ids.'
        : `No ${provider ?? ''} deliveries match to generate from; the store holds ${held}. Pass provider with one of those.`,
    );
  }
  const outcome = await generateOffThread(records, target, {
    secrets: await context.secretValues(),
    includeUnverified: input.include_unverified === true,
    ...(provider === undefined ? {} : { provider }),
    ...(context.genericEventPointer === undefined
      ? {}
      : { genericEventPointer: context.genericEventPointer }),
  });
  if (!outcome.ok) {
    throw new AgentToolError(outcome.userError ? 'invalid-input' : 'failed', outcome.message);
  }
  const summary = outcome.summary;
  if (input.overwrite !== true) {
    const existing: string[] = [];
    for (const file of summary.files) {
      if (await stat(join(folder, file.name)).catch(() => undefined)) existing.push(file.name);
    }
    if (existing.length > 0) {
      throw new AgentToolError(
        'needs-user',
        `${existing.join(', ')} already exist in ${folder}. Nothing was written. Pass another folder, or overwrite true if the user agrees to replace them.`,
      );
    }
  }
  await mkdir(folder, { recursive: true });
  const files: Array<{ path: string; bytes: number }> = [];
  for (const file of summary.files) {
    const path = join(folder, file.name);
    await mkdir(resolve(path, '..'), { recursive: true });
    await writeFile(path, file.content);
    files.push({ path, bytes: Buffer.byteLength(file.content) });
  }
  return {
    folder,
    files,
    language: summary.target.language,
    framework: summary.target.framework,
    provider: summary.provider,
    events: summary.events,
    usedDeliveries: summary.usedDeliveries,
    skipped: summary.skipped.length,
    note: `Wrote ${files.length} files for ${summary.providerLabel}.${unverified + summary.unverified > 0 ? ` ${unverified + summary.unverified} deliveries whose verification failed were left out (include_unverified uses them).` : ''} The secret is read from the environment, never written into the code.`,
  };
}
