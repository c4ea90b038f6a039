// Runs an agent tool by name: checks the input against the tool's schema, calls its handler with
// the host's context, and turns whatever happens into a ToolOutcome: data with the data notice,
// or an error sentence the agent can act on. Secrets and tokens are scrubbed from both.
import * as l10n from '@vscode/l10n';
import {
  generateFolder,
  generateTool,
  replayTool,
  sendTarget,
  sendTestEventTool,
  type GenerateInput,
  type ReplayInput,
  type SendInput,
} from './actionTools';
import type { AgentContext } from './context';
import { agentTool, DATA_NOTICE, type AgentToolName } from './definitions';
import {
  compareDeliveries,
  deliveryHealth,
  findRecord,
  getDelivery,
  listDeliveries,
  type CompareInput,
  type GetInput,
  type HealthInput,
  type ListInput,
} from './readTools';
import { redactPath } from './redaction';
import { AgentToolError, errorSentence, scrub, type ToolOutcome } from './results';
import { replayDestination } from './targets';
import { schemaProblem } from './schema';

type Handler = (input: never, context: AgentContext) => Promise<Record<string, unknown>>;

const HANDLERS: Readonly<Record<AgentToolName, Handler>> = {
  list_deliveries: (input: ListInput, context) => listDeliveries(input, context),
  get_delivery: (input: GetInput, context) => getDelivery(input, context),
  replay_delivery: (input: ReplayInput, context) => replayTool(input, context),
  send_test_event: (input: SendInput, context) => sendTestEventTool(input, context),
  compare_deliveries: (input: CompareInput, context) => compareDeliveries(input, context),
  generate_handler: (input: GenerateInput, context) => generateTool(input, context),
  delivery_health: (input: HealthInput, context) => deliveryHealth(input, context),
};

/** Input with JSON nulls dropped (some clients send null for "not given"). */
function withoutNulls(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
}

export async function runAgentTool(
  name: string,
  rawInput: unknown,
  context: AgentContext,
): Promise<ToolOutcome> {
  const secrets = await context.secretValues().catch(() => [] as string[]);
  const tool = agentTool(name);
  if (tool === undefined) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `HookLens has no tool '${name.slice(0, 60)}'.` },
    };
  }
  const input = withoutNulls(rawInput ?? {});
  const problem = schemaProblem(tool.inputSchema, input);
  if (problem !== undefined) {
    return { ok: false, error: scrub({ code: 'invalid-input', message: problem }, secrets) };
  }
  try {
    const data = await HANDLERS[tool.name](input as never, context);
    return { ok: true, data: scrub({ ...data, notice: DATA_NOTICE }, secrets) };
  } catch (error) {
    if (error instanceof AgentToolError) {
      return { ok: false, error: scrub({ code: error.code, message: error.message }, secrets) };
    }
    return {
      ok: false,
      error: scrub(
        { code: 'failed', message: `HookLens could not run ${tool.name}: ${errorSentence(error)}` },
        secrets,
      ),
    };
  }
}

export interface Confirmation {
  readonly title: string;
  readonly message: string;
  /** Shown while it runs. */
  readonly progress: string;
}

/**
 * What the user is asked before a tool that sends traffic or writes files runs (VS Code's
 * prepareInvocation), naming what exactly will happen. Undefined for reading tools only: a call
 * that will be refused anyway (bad input, a refused target) still asks, in general words.
 */
export async function confirmationFor(
  name: string,
  rawInput: unknown,
  context: AgentContext,
): Promise<Confirmation | undefined> {
  const tool = agentTool(name);
  if (tool === undefined || tool.effect === 'read') return undefined;
  const input = withoutNulls(rawInput ?? {});
  // Read by the user in VS Code (never by the model): in the editor's language.
  const general: Confirmation = {
    title: l10n.t('Run HookLens "{0}"?', tool.title),
    message: l10n.t(
      'Let the agent run HookLens "{0}" with: {1}',
      tool.title,
      JSON.stringify(input).slice(0, 500),
    ),
    progress: tool.title,
  };
  if (schemaProblem(tool.inputSchema, input) !== undefined) return general;
  try {
    switch (tool.name) {
      case 'replay_delivery': {
        const replay = input as ReplayInput;
        const record = await findRecord(await context.store(), replay.id);
        const destination = replayDestination(replay, record, context);
        const target = destination.target;
        const what = [record.sender, record.event].filter(Boolean).join(' ');
        const delivery = `${record.id} (${what}, ${record.method} ${redactPath(record.url)})`;
        const route = destination.route ?? '';
        const where =
          destination.chosenBy === 'route'
            ? l10n.t('{0} (route {1})', target.href, route)
            : destination.chosenBy === 'its-route'
              ? l10n.t('{0} (its route {1})', target.href, route)
              : destination.chosenBy === 'its-recorded-route'
                ? l10n.t('{0} (its route {1}, the one it took when it arrived)', target.href, route)
                : target.href;
        const message =
          replay.signature !== 'fresh'
            ? l10n.t(
                'Send delivery {0} again to {1}, with the headers it was captured with. Your handler receives it as a real delivery.',
                delivery,
                where,
              )
            : replay.resign_failed === true
              ? l10n.t(
                  'Send delivery {0} again to {1}, signed again now with your {2} secret, although its signature failed verification when it was captured. Your handler receives it as a real delivery.',
                  delivery,
                  where,
                  record.sender,
                )
              : l10n.t(
                  'Send delivery {0} again to {1}, signed again now with your {2} secret. Your handler receives it as a real delivery.',
                  delivery,
                  where,
                  record.sender,
                );
        return {
          title: l10n.t('Replay a webhook delivery?'),
          message,
          progress: l10n.t('Replaying {0} to {1}', record.id, target.href),
        };
      }
      case 'send_test_event': {
        const send = input as SendInput;
        const target = await sendTarget(send, context);
        const mode = send.mode ?? 'valid';
        return {
          title: l10n.t('Send a test webhook event?'),
          message:
            mode === 'valid'
              ? l10n.t(
                  'Send a {0} sample event, signed with your configured secret, to {1}.',
                  send.template,
                  target.href,
                )
              : l10n.t('Send a {0} sample event ({1}) to {2}.', send.template, mode, target.href),
          progress: l10n.t('Sending {0} to {1}', send.template, target.href),
        };
      }
      case 'generate_handler': {
        const generate = input as GenerateInput;
        const folder = await generateFolder(generate, context);
        const language = `${generate.language}${generate.framework ? `/${generate.framework}` : ''}`;
        const replacing = generate.overwrite === true;
        const message = generate.provider
          ? replacing
            ? l10n.t(
                'Generate a {0} webhook handler for {1} from the captured deliveries and write its files into {2}, replacing files that exist there.',
                language,
                generate.provider,
                folder,
              )
            : l10n.t(
                'Generate a {0} webhook handler for {1} from the captured deliveries and write its files into {2} (existing files are not replaced).',
                language,
                generate.provider,
                folder,
              )
          : replacing
            ? l10n.t(
                'Generate a {0} webhook handler from the captured deliveries and write its files into {1}, replacing files that exist there.',
                language,
                folder,
              )
            : l10n.t(
                'Generate a {0} webhook handler from the captured deliveries and write its files into {1} (existing files are not replaced).',
                language,
                folder,
              );
        return {
          title: l10n.t('Write generated handler files?'),
          message,
          progress: l10n.t('Generating a {0} handler into {1}', generate.language, folder),
        };
      }
      default:
        return general;
    }
  } catch {
    return general;
  }
}

export { AGENT_TOOLS, agentTool, DATA_NOTICE, VSCODE_TOOL_PREFIX } from './definitions';
export type { AgentContext } from './context';
export { resultText, type ToolOutcome } from './results';
