import * as vscode from 'vscode';
import type { DeliveryRecord } from '../../core/delivery';
import { safeFileName } from '../../core/export/fileNames';
import { parseTargetUrl } from '../../core/forward/outbound';
import type { SigningSettings } from '../../core/forward/replay';
import { SecretRing } from '../../core/secrets/secretRing';
import {
  describeSigning,
  sendEvents,
  sendModeProblem,
  signingSecretLabel,
  type SendMode,
  type SendSummary,
} from '../../core/simulate/sendEvents';
import {
  BUILT_IN_TEMPLATES,
  buildEvent,
  isSignedAuth,
  type BuiltEvent,
} from '../../core/simulate/templates';
import {
  buildFromUserTemplate,
  MAX_TEMPLATE_FILE_BYTES,
  parseUserTemplate,
  templateFromDelivery,
  type UserTemplate,
} from '../../core/simulate/userTemplates';
import { toSingleLine } from '../../shared/visibleText';
import { inputStep, pickStep } from '../multiStep';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { readSettings } from '../settings';
import { runFlow, type StepOutcome, type StepPosition } from '../stepFlow';

/** Where workspace templates live, relative to the first workspace folder. */
const WORKSPACE_TEMPLATES = ['.hooklens', 'templates'];

interface TemplateChoice {
  readonly name: string;
  readonly sender: string;
  readonly event: string | null;
  /** Signed the way its provider signs (false: the sender signs nothing, as Rapida). */
  readonly signed: boolean;
  readonly path: string;
  readonly build: (nowMs: number) => BuiltEvent;
}

/**
 * "Send Test Event" (journey 8, like `stripe trigger`): a built-in or saved template, built with
 * fresh ids and times, signed the way the sender signs (or deliberately wrong), sent to the
 * receiver (the whole pipeline) or straight to the handler. "Save as Test Event Template" turns
 * any captured delivery into a template, kept in the workspace or for this machine.
 */
export class TestEventCommands {
  constructor(
    private readonly receiver: ReceiverController,
    private readonly secrets: SecretStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly globalStorage: vscode.Uri,
  ) {}

  /**
   * One click from the welcome view: the first built-in template (a Watson turn) to the receiver,
   * started if needed, signed when its secret is set and plain otherwise, once. The full flow
   * (template, target, signing, count) stays behind Send Test Event….
   */
  async sendFirstTestEvent(): Promise<void> {
    const first = BUILT_IN_TEMPLATES[0];
    if (!first) return this.sendTestEvent();
    if (this.receiver.state.kind !== 'listening') {
      await vscode.commands.executeCommand('hooklens.startReceiver');
    }
    const state = this.receiver.state;
    if (state.kind !== 'listening') return;
    const template: TemplateChoice = {
      name: first.name,
      sender: first.sender,
      event: first.event,
      signed: isSignedAuth(first.auth),
      path: first.path,
      build: (nowMs) => buildEvent(first.name, { nowMs }),
    };
    // `valid` signs when the secret is set and sends the event plain when it is not.
    await this.send(
      template,
      new URL(template.path, state.url),
      'valid',
      await this.signingSettings(),
      1,
    );
  }

  /**
   * Send Test Event: the event is sent to the receiver (started if needed) as soon as a template
   * is picked, signed when its secret is set, once. The gear on a row (or in the title bar) leads
   * to the options instead: where to send it, the signature, how many; each step with Back.
   */
  async sendTestEvent(): Promise<void> {
    const templates = await this.templateItems();
    const chosen = await runFlow<SendChoice>(
      [
        { run: (state, at) => this.templateStep(templates, state, at) },
        { applies: (state) => state.withOptions, run: (state, at) => this.targetStep(state, at) },
        {
          applies: (state) => state.withOptions && state.where === 'other',
          run: (state, at) => this.urlStep(state, at),
        },
        {
          applies: (state) => state.withOptions && (state.template?.signed ?? false),
          run: (state, at) => this.modeStep(state, at),
        },
        { applies: (state) => state.withOptions, run: (state, at) => this.loadStep(state, at) },
      ],
      { withOptions: false, where: 'receiver', mode: 'valid', count: 1 },
    );
    const template = chosen?.template;
    if (!chosen || !template) return;
    const target = await this.resolveTarget(template, chosen);
    if (!target) return;
    const signing = await this.signingSettings();
    const sample = template.build(Date.now());
    const how = describeSigning(sample, signing);
    if (!chosen.withOptions) {
      // `valid` sends it plain when its secret is not set: said, so a "no token" row is no surprise.
      const unsigned =
        template.signed &&
        how.canSign &&
        signingSecretLabel(sample, signing, `${target.pathname}${target.search}`) === undefined;
      return this.send(template, target, 'valid', signing, 1, undefined, unsigned);
    }
    const mode = chosen.mode;
    const needsSecret = mode === 'expired' || (mode === 'valid' && template.signed && how.canSign);
    const url = `${target.pathname}${target.search}`;
    if (needsSecret && signingSecretLabel(sample, signing, url) === undefined) {
      const action = await vscode.window.showWarningMessage(
        `${template.name} is signed with the ${how.label} ${how.noun}, and none is set.`,
        'Set Secret',
        'Send Unsigned',
      );
      if (action === 'Set Secret') await vscode.commands.executeCommand('hooklens.setSecret');
      if (action !== 'Send Unsigned') return;
      return this.send(template, target, 'unsigned', signing, 1);
    }
    await this.send(template, target, mode, signing, chosen.count, chosen.rate);
  }

  /** Every configured secret, and the receiver's verification settings, to sign events with. */
  private async signingSettings(): Promise<SigningSettings> {
    const analyser = await this.receiver.currentAnalyser();
    return { ...analyser.settings, secrets: new SecretRing(await this.secrets.getAll()) };
  }

  async saveAsTemplate(record: DeliveryRecord): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const scopes = [
      ...(folder
        ? [
            {
              label: '$(folder) This workspace',
              detail: `${WORKSPACE_TEMPLATES.join('/')}/ in ${folder.path.split('/').pop() ?? 'the workspace'}: shared with your team through the repository`,
              dir: vscode.Uri.joinPath(folder, ...WORKSPACE_TEMPLATES),
            },
          ]
        : []),
      {
        label: '$(account) Global',
        detail: 'Only on this machine, in every workspace',
        dir: vscode.Uri.joinPath(this.globalStorage, 'templates'),
      },
    ];
    const scope =
      scopes.length === 1
        ? scopes[0]
        : await vscode.window.showQuickPick(scopes, {
            title: 'HookLens: Save as Test Event Template',
            placeHolder: 'Where to keep it',
          });
    if (!scope) return;
    const name = await vscode.window.showInputBox({
      title: 'HookLens: Save as Test Event Template',
      prompt: 'A name for the template (shown in Send Test Event)',
      value: toSingleLine(record.event ?? 'captured delivery', 80),
      validateInput: (text) => (text.trim() === '' ? 'Give the template a name.' : undefined),
    });
    if (name === undefined) return;
    const template = templateFromDelivery(record, name.trim());
    const file = vscode.Uri.joinPath(scope.dir, `${safeFileName(name.trim(), 'template')}.json`);
    const exists = await vscode.workspace.fs.stat(file).then(
      () => true,
      () => false,
    );
    if (exists) {
      const answer = await vscode.window.showWarningMessage(
        `A template named "${toSingleLine(name, 80)}" exists. Replace it?`,
        { modal: true },
        'Replace',
      );
      if (answer !== 'Replace') return;
    }
    await vscode.workspace.fs.createDirectory(scope.dir);
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(`${JSON.stringify(template, null, 2)}\n`, 'utf8'),
    );
    this.log.info(`Saved the test event template ${file.toString()}.`);
    const action = await vscode.window.showInformationMessage(
      `HookLens: saved the template "${toSingleLine(name, 80)}". Send Test Event offers it, with fresh ids each time.`,
      'Open',
    );
    if (action === 'Open') await vscode.window.showTextDocument(file);
  }

  private async send(
    template: TemplateChoice,
    target: URL,
    mode: SendMode,
    signing: SigningSettings,
    count: number,
    rate?: number,
    /** Sent without a signature because its secret is not set. */
    unsignedForWantOfSecret = false,
  ): Promise<void> {
    const summary: SendSummary = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `HookLens: sending ${template.name} to ${target.host}`,
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancelled = token.onCancellationRequested(() => controller.abort());
        try {
          return await sendEvents(target, (_index, nowMs) => template.build(nowMs), {
            count,
            ...(rate === undefined ? {} : { ratePerSecond: rate }),
            signing,
            mode,
            timeoutMs: readSettings().forwardTimeoutMs,
            signal: controller.signal,
            onResult: (result) => {
              if (count > 1) progress.report({ increment: 100 / count });
              this.log.info(
                `Test event ${result.template} → ${target.href}: ${result.status ?? 'no answer'} in ${result.timeMs} ms${result.error ? ` (${result.error})` : ''}`,
              );
            },
          });
        } finally {
          cancelled.dispose();
        }
      },
    );
    const statuses = Object.entries(summary.statuses)
      .map(([status, times]) => (summary.sent === 1 ? status : `${times}× ${status}`))
      .join(', ');
    const expectation =
      mode === 'valid'
        ? unsignedForWantOfSecret
          ? ` (unsigned: set the ${describeSigning(template.build(Date.now()), signing).label} secret to sign it)`
          : ''
        : ` (${mode === 'unsigned' ? 'an unsigned event' : `a ${mode.replace('-', ' ')}`} should be refused with 401)`;
    const message =
      summary.sent === 1
        ? `HookLens: sent ${template.name} to ${target.host}: ${statuses || 'no answer'}${summary.p50Ms === null ? '' : ` in ${summary.p50Ms} ms`}${expectation}.`
        : `HookLens: sent ${summary.sent} of ${summary.requested} ${template.name} to ${target.host}: ${statuses || 'no answers'}${summary.p50Ms === null ? '' : `; p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms`}${summary.cancelled ? '; cancelled' : ''}${expectation}.`;
    if (summary.expected === summary.sent && summary.sent > 0) {
      void vscode.window.setStatusBarMessage(`$(check) ${message}`, 8000);
    } else {
      const action = await vscode.window.showWarningMessage(message, 'Show Logs');
      if (action === 'Show Logs') this.log.show(true);
    }
  }

  /** The template rows: built-in, this workspace's, this machine's; each with the options gear. */
  private async templateItems(): Promise<TemplateItem[]> {
    const builtIn = BUILT_IN_TEMPLATES.map((template): TemplateChoice => ({
      name: template.name,
      sender: template.sender,
      event: template.event,
      signed: isSignedAuth(template.auth),
      path: template.path,
      build: (nowMs) => buildEvent(template.name, { nowMs }),
    }));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const workspace = folder
      ? await this.readTemplates(vscode.Uri.joinPath(folder, ...WORKSPACE_TEMPLATES))
      : [];
    const global = await this.readTemplates(vscode.Uri.joinPath(this.globalStorage, 'templates'));
    const items: TemplateItem[] = [];
    const group = (label: string, choices: readonly TemplateChoice[], descriptions?: string[]) => {
      if (choices.length === 0) return;
      items.push({ label, kind: vscode.QuickPickItemKind.Separator });
      choices.forEach((choice, index) =>
        items.push({
          label: toSingleLine(choice.name, 80),
          description: `${choice.sender}${choice.event ? ` · ${toSingleLine(choice.event, 40)}` : ''}`,
          ...(descriptions?.[index] ? { detail: descriptions[index] } : {}),
          buttons: [OPTIONS_BUTTON],
          choice,
        }),
      );
    };
    group(
      'Built-in',
      builtIn,
      BUILT_IN_TEMPLATES.map((template) => template.description),
    );
    group('This workspace', workspace);
    group('Global', global);
    return items;
  }

  private async templateStep(
    items: readonly TemplateItem[],
    state: SendChoice,
    at: StepPosition,
  ): Promise<StepOutcome<SendChoice>> {
    const active = items.find(
      (item) => item.choice !== undefined && item.choice === state.template,
    );
    const result = await pickStep(at, {
      title: 'HookLens: Send Test Event',
      placeholder:
        'Pick an event to send it to the receiver now (the gear: where, signature, how many)',
      items,
      ...(active ? { active } : {}),
      buttons: [OPTIONS_BUTTON],
      matchOnDescription: true,
    });
    switch (result.kind) {
      case 'picked': {
        const template = result.items[0]?.choice;
        return template ? next({ ...state, template, withOptions: false }) : { kind: 'back' };
      }
      case 'itemButton':
      case 'button': {
        const template = result.kind === 'button' ? result.active?.choice : result.item.choice;
        // The title-bar gear with no row under the cursor: ask again.
        return template ? next({ ...state, template, withOptions: true }) : { kind: 'back' };
      }
      default:
        return result;
    }
  }

  /** Templates in one folder; unreadable ones are skipped with a line in the log saying why. */
  private async readTemplates(dir: vscode.Uri): Promise<TemplateChoice[]> {
    const entries = await vscode.workspace.fs.readDirectory(dir).then(
      (list) => list,
      () => [] as Array<[string, vscode.FileType]>,
    );
    const choices: TemplateChoice[] = [];
    for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      if (type !== vscode.FileType.File || !name.endsWith('.json')) continue;
      const file = vscode.Uri.joinPath(dir, name);
      try {
        const { size } = await vscode.workspace.fs.stat(file);
        if (size > MAX_TEMPLATE_FILE_BYTES) throw new Error('the file is too large');
        const parsed = parseUserTemplate(
          Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'),
        );
        if (!parsed.ok) throw new Error(parsed.error);
        choices.push(userChoice(parsed.template));
      } catch (error) {
        this.log.warn(
          `Skipped the template ${file.toString()}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return choices;
  }

  private async targetStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const template = state.template;
    if (!template) return { kind: 'cancel' };
    const receiverState = this.receiver.state;
    const forward = this.receiver.forwardTarget;
    const items: Array<vscode.QuickPickItem & { where: SendChoice['where'] }> = [
      {
        label: '$(radio-tower) The HookLens receiver',
        description:
          receiverState.kind === 'listening'
            ? new URL(template.path, receiverState.url).href
            : 'starts it first',
        detail: 'The whole pipeline: verified, stored, shown, and forwarded if forwarding is on',
        where: 'receiver',
      },
      ...(forward
        ? [
            {
              label: '$(arrow-right) Your handler',
              description: forward.href,
              detail: 'Straight to the forward target, skipping HookLens',
              where: 'handler' as const,
            },
          ]
        : []),
      { label: '$(edit) Another URL…', where: 'other' },
    ];
    const result = await pickStep(at, {
      title: `HookLens: Send ${template.name}`,
      placeholder: 'Send it to',
      items,
      ...activeOf(items, (item) => item.where === state.where),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const where = result.items[0]?.where ?? 'receiver';
    return next({ ...state, where });
  }

  private async urlStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const result = await inputStep(at, {
      title: `HookLens: Send ${state.template?.name ?? 'Test Event'}`,
      prompt: 'The URL to send the event to',
      placeholder: 'http://localhost:3000/webhooks',
      ...(state.url ? { value: state.url.href } : {}),
      validate: (text) => {
        const check = parseTargetUrl(text);
        return check.ok ? undefined : check.error;
      },
    });
    if (result.kind !== 'value') return result;
    const check = parseTargetUrl(result.value);
    return check.ok ? next({ ...state, url: check.url }) : { kind: 'back' };
  }

  /** The URL for the chosen place; the receiver is started first when it is the place. */
  private async resolveTarget(
    template: TemplateChoice,
    chosen: SendChoice,
  ): Promise<URL | undefined> {
    if (chosen.where === 'handler') return this.receiver.forwardTarget;
    if (chosen.where === 'other') return chosen.url;
    if (this.receiver.state.kind !== 'listening') {
      await vscode.commands.executeCommand('hooklens.startReceiver');
    }
    const now = this.receiver.state;
    return now.kind === 'listening' ? new URL(template.path, now.url) : undefined;
  }

  private async modeStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const template = state.template;
    if (!template) return { kind: 'cancel' };
    const signing = await this.signingSettings();
    const sample = template.build(Date.now());
    const how = describeSigning(sample, signing);
    const jwt = how.scheme === 'jwt';
    const what = jwt ? 'token' : 'signature';
    const items: Array<vscode.QuickPickItem & { mode: SendMode }> = [
      {
        label: '$(pass) Signed',
        detail: how.canSign
          ? jwt
            ? 'A valid HS256 JWT with the current secret, as the sender signs'
            : `A valid ${how.label} signature with the current secret, as ${how.label} signs`
          : `Sent unsigned: ${how.label} signs with a private key only ${how.label} holds`,
        mode: 'valid',
      },
      {
        label: '$(error) Bad signature',
        detail: how.canSign
          ? `Signed with another secret: the handler should answer 401`
          : 'Signed with a throwaway key: the handler should answer 401, as Discord checks',
        mode: 'bad-signature',
      },
      ...(sendModeProblem(sample, 'expired', signing) === undefined
        ? [
            {
              label: `$(history) Expired ${what}`,
              detail: jwt
                ? 'Correctly signed but expired: the handler should answer 401'
                : 'Correctly signed, timestamp 10 minutes old: the handler should answer 401',
              mode: 'expired' as const,
            },
          ]
        : []),
      {
        label: `$(circle-slash) No ${what}`,
        detail: jwt
          ? 'No Authorization header at all'
          : `Without the ${how.label} signature headers`,
        mode: 'unsigned',
      },
    ];
    const result = await pickStep(at, {
      title: `HookLens: Send ${template.name}`,
      placeholder: 'Signature',
      items,
      ...activeOf(items, (item) => item.mode === state.mode),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    return next({ ...state, mode: result.items[0]?.mode ?? 'valid' });
  }

  private async loadStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const items = LOADS.map((load) => ({ ...load }));
    const result = await pickStep(at, {
      title: `HookLens: Send ${state.template?.name ?? 'Test Event'}`,
      placeholder: 'How many',
      items,
      ...activeOf(items, (item) => item.count === state.count),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const load = result.items[0] ?? LOADS[0];
    return next({
      ...state,
      count: load?.count ?? 1,
      ...(load?.rate === undefined ? {} : { rate: load.rate }),
    });
  }
}

/** What Send Test Event's steps have chosen so far. */
interface SendChoice {
  readonly template?: TemplateChoice;
  /** The gear was used: the target, signature and count steps follow. */
  readonly withOptions: boolean;
  readonly where: 'receiver' | 'handler' | 'other';
  readonly url?: URL;
  readonly mode: SendMode;
  readonly count: number;
  readonly rate?: number;
}

type TemplateItem = vscode.QuickPickItem & { readonly choice?: TemplateChoice };

const OPTIONS_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('settings-gear'),
  tooltip: 'Send with options: where to, signature, how many',
};

const LOADS: ReadonlyArray<vscode.QuickPickItem & { count: number; rate?: number }> = [
  { label: '1 event', count: 1 },
  { label: '10 events', description: '5 per second', count: 10, rate: 5 },
  { label: '100 events', description: '20 per second', count: 100, rate: 20 },
];

function next<S>(state: S): StepOutcome<S> {
  return { kind: 'next', state };
}

/** `{ active }` for the row matching an earlier choice (after Back), else nothing. */
function activeOf<T>(items: readonly T[], matches: (item: T) => boolean): { active?: T } {
  const active = items.find(matches);
  return active ? { active } : {};
}

function userChoice(template: UserTemplate): TemplateChoice {
  return {
    name: template.name,
    sender: template.sender,
    event: template.event,
    signed: isSignedAuth(template.auth),
    path: template.path,
    build: (nowMs) => buildFromUserTemplate(template, nowMs),
  };
}
