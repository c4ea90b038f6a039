// The agent tools as VS Code language-model tools (Copilot's agent mode and other in-editor
// agents): the same definitions and handlers as `hooklens mcp` (src/core/agent), over this
// window's receiver, store, secret storage and settings. Tools that send traffic or write files
// ask the user first (prepareInvocation), naming the delivery, the target or the folder.
import * as vscode from 'vscode';
import type { AgentContext } from '../../core/agent/context';
import { AgentToolError } from '../../core/agent/results';
import {
  AGENT_TOOLS,
  confirmationFor,
  resultText,
  runAgentTool,
  VSCODE_TOOL_PREFIX,
} from '../../core/agent/tools';
import { SecretRing } from '../../core/secrets/secretRing';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { readSettings } from '../settings';

/** What the tools use of the extension. */
export interface AgentToolHost {
  readonly receiver: ReceiverController;
  readonly secrets: SecretStore;
  readonly log: vscode.LogOutputChannel;
}

/** The tools' context over the running extension. */
export function extensionAgentContext(host: AgentToolHost): AgentContext {
  const { receiver, secrets } = host;
  return {
    async store() {
      try {
        await receiver.ready;
      } catch {
        // Said below.
      }
      const store = receiver.deliveryStore;
      if (store === undefined) {
        // Said to the agent (the model reads it), so it stays English like core's results.
        throw new AgentToolError(
          'unavailable',
          'The HookLens delivery store is not open in this window (see HookLens: Show Logs).',
        );
      }
      return store;
    },
    async signing() {
      const analyser = await receiver.currentAnalyser();
      return { ...analyser.settings, secrets: new SecretRing(await secrets.getAll()) };
    },
    async secretValues() {
      return (await secrets.getAll()).map((secret) => secret.value);
    },
    forwardTarget() {
      const configured = readSettings().forwardTo;
      return receiver.forwardTarget ?? (configured?.ok ? configured.url : undefined);
    },
    configuredTargets: () => [],
    // hooklens.routes: a replay goes where its route sends it, or to a route the agent names.
    routes: () => readSettings().routes,
    receiverUrl() {
      const state = receiver.state;
      return Promise.resolve(state.kind === 'listening' ? state.url : undefined);
    },
    // Each call that sends or writes is confirmed by the user in prepareInvocation.
    send: { allowed: true },
    get write() {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      return folder?.scheme === 'file'
        ? { allowed: true, folder: folder.fsPath }
        : {
            allowed: false,
            howToAllow:
              'Generated files go into the open workspace folder, and none is open: ask the user to open a folder first.',
          };
    },
    get genericEventPointer() {
      return readSettings().genericPointers.event;
    },
    get timeoutMs() {
      return readSettings().forwardTimeoutMs;
    },
  };
}

/**
 * Registers every tool with `vscode.lm.registerTool`; their names and schemas are contributed in
 * package.json. Returns nothing to dispose on a VS Code without the language-model API.
 */
export function registerAgentTools(host: AgentToolHost): vscode.Disposable[] {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (typeof lm?.registerTool !== 'function') {
    host.log.info(
      'This VS Code has no language-model tools API; the HookLens agent tools are off.',
    );
    return [];
  }
  const context = extensionAgentContext(host);
  return AGENT_TOOLS.map((tool) =>
    lm.registerTool<Record<string, unknown>>(`${VSCODE_TOOL_PREFIX}${tool.name}`, {
      async prepareInvocation(options) {
        const confirmation = await confirmationFor(tool.name, options.input, context);
        if (confirmation === undefined) {
          return { invocationMessage: vscode.l10n.t('HookLens: {0}', tool.title) };
        }
        return {
          invocationMessage: confirmation.progress,
          // Plain text, not Markdown: the message names captured values (event names, paths).
          confirmationMessages: { title: confirmation.title, message: confirmation.message },
        };
      },
      async invoke(options) {
        const outcome = await runAgentTool(tool.name, options.input, context);
        if (!outcome.ok) host.log.info(`Agent tool ${tool.name}: ${outcome.error.message}`);
        return new vscode.LanguageModelToolResult([
          new vscode.LanguageModelTextPart(resultText(tool.name, outcome)),
        ]);
      },
    }),
  );
}
