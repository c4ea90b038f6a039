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
      const setSecret = vscode.l10n.t('Set Secret');
      const sendUnsigned = vscode.l10n.t('Send Unsigned');
      const action = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} is signed with the {1} {2}, and none is set.',
          template.name,
          how.label,
          how.noun,
        ),
        setSecret,
        sendUnsigned,
      );
      if (action === setSecret) await vscode.commands.executeCommand('hooklens.setSecret');
      if (action !== sendUnsigned) return;
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
              label: vscode.l10n.t('$(folder) This workspace'),
              detail: vscode.l10n.t(
                '{0}/ in {1}: shared with your team through the repository',
                WORKSPACE_TEMPLATES.join('/'),
                folder.path.split('/').pop() ?? vscode.l10n.t('the workspace'),
              ),
              dir: vscode.Uri.joinPath(folder, ...WORKSPACE_TEMPLATES),
            },
          ]
        : []),
      {
        label: vscode.l10n.t('$(account) Global'),
        detail: vscode.l10n.t('Only on this machine, in every workspace'),
        dir: vscode.Uri.joinPath(this.globalStorage, 'templates'),
      },
    ];
    const scope =
      scopes.length === 1
        ? scopes[0]
        : await vscode.window.showQuickPick(scopes, {
            title: vscode.l10n.t('HookLens: Save as Test Event Template'),
            placeHolder: vscode.l10n.t('Where to keep it'),
          });
    if (!scope) return;
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('HookLens: Save as Test Event Template'),
      prompt: vscode.l10n.t('A name for the template (shown in Send Test Event)'),
      value: toSingleLine(record.event ?? vscode.l10n.t('captured delivery'), 80),
      validateInput: (text) =>
        text.trim() === '' ? vscode.l10n.t('Give the template a name.') : undefined,
    });
    if (name === undefined) return;
    const template = templateFromDelivery(record, name.trim());
    const file = vscode.Uri.joinPath(scope.dir, `${safeFileName(name.trim(), 'template')}.json`);
    const exists = await vscode.workspace.fs.stat(file).then(
      () => true,
      () => false,
    );
    if (exists) {
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('A template named "{0}" exists. Replace it?', toSingleLine(name, 80)),
        { modal: true },
        replace,
      );
      if (answer !== replace) return;
    }
    await vscode.workspace.fs.createDirectory(scope.dir);
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(`${JSON.stringify(template, null, 2)}\n`, 'utf8'),
    );
    this.log.info(`Saved the test event template ${file.toString()}.`);
    const open = vscode.l10n.t('Open');
    const action = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'HookLens: saved the template "{0}". Send Test Event offers it, with fresh ids each time.',
        toSingleLine(name, 80),
      ),
      open,
    );
    if (action === open) await vscode.window.showTextDocument(file);
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
        title: vscode.l10n.t('HookLens: sending {0} to {1}', template.name, target.host),
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
    const expectation = expectationOf(
      mode,
      unsignedForWantOfSecret
        ? describeSigning(template.build(Date.now()), signing).label
        : undefined,
    );
    let message: string;
    if (summary.sent === 1) {
      const answer = statuses || vscode.l10n.t('no answer');
      const timed =
        summary.p50Ms === null ? answer : vscode.l10n.t('{0} in {1} ms', answer, summary.p50Ms);
      message =
        expectation === undefined
          ? vscode.l10n.t('HookLens: sent {0} to {1}: {2}.', template.name, target.host, timed)
          : vscode.l10n.t(
              'HookLens: sent {0} to {1}: {2} ({3}).',
              template.name,
              target.host,
              timed,
              expectation,
            );
    } else {
      const answers = statuses || vscode.l10n.t('no answers');
      // Not translated: percentiles and milliseconds read the same in every language.
      const timed =
        summary.p50Ms === null
          ? answers
          : `${answers}; p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms`;
      const outcome = summary.cancelled ? vscode.l10n.t('{0}; cancelled', timed) : timed;
      const [sent, requested, name, host] = [
        summary.sent,
        summary.requested,
        template.name,
        target.host,
      ];
      message =
        expectation === undefined
          ? vscode.l10n.t(
              'HookLens: sent {0} of {1} {2} to {3}: {4}.',
              sent,
              requested,
              name,
              host,
              outcome,
            )
          : vscode.l10n.t(
              'HookLens: sent {0} of {1} {2} to {3}: {4} ({5}).',
              sent,
              requested,
              name,
              host,
              outcome,
              expectation,
            );
    }
    if (summary.expected === summary.sent && summary.sent > 0) {
      void vscode.window.setStatusBarMessage(`$(check) ${message}`, 8000);
    } else {
      const showLogs = vscode.l10n.t('Show Logs');
      const action = await vscode.window.showWarningMessage(message, showLogs);
      if (action === showLogs) this.log.show(true);
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
          buttons: [optionsButton()],
          choice,
        }),
      );
    };
    group(
      vscode.l10n.t('Built-in'),
      builtIn,
      BUILT_IN_TEMPLATES.map((template) => template.description),
    );
    group(vscode.l10n.t('This workspace'), workspace);
    group(vscode.l10n.t('Global'), global);
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
      title: vscode.l10n.t('HookLens: Send Test Event'),
      placeholder: vscode.l10n.t(
        'Pick an event to send it to the receiver now (the gear: where, signature, how many)',
      ),
      items,
      ...(active ? { active } : {}),
      buttons: [optionsButton()],
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
        label: vscode.l10n.t('$(radio-tower) The HookLens receiver'),
        description:
          receiverState.kind === 'listening'
            ? new URL(template.path, receiverState.url).href
            : vscode.l10n.t('starts it first'),
        detail: vscode.l10n.t(
          'The whole pipeline: verified, stored, shown, and forwarded if forwarding is on',
        ),
        where: 'receiver',
      },
      ...(forward
        ? [
            {
              label: vscode.l10n.t('$(arrow-right) Your handler'),
              description: forward.href,
              detail: vscode.l10n.t('Straight to the forward target, skipping HookLens'),
              where: 'handler' as const,
            },
          ]
        : []),
      { label: vscode.l10n.t('$(edit) Another URL…'), where: 'other' },
    ];
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Send {0}', template.name),
      placeholder: vscode.l10n.t('Send it to'),
      items,
      ...activeOf(items, (item) => item.where === state.where),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const where = result.items[0]?.where ?? 'receiver';
    return next({ ...state, where });
  }

  private async urlStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const result = await inputStep(at, {
      title: sendTitle(state.template),
      prompt: vscode.l10n.t('The URL to send the event to'),
      // Not translated: an example URL.
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
    const items: Array<vscode.QuickPickItem & { mode: SendMode }> = [
      {
        label: vscode.l10n.t('$(pass) Signed'),
        detail: how.canSign
          ? jwt
            ? vscode.l10n.t('A valid HS256 JWT with the current secret, as the sender signs')
            : vscode.l10n.t(
                'A valid {0} signature with the current secret, as {0} signs',
                how.label,
              )
          : vscode.l10n.t('Sent unsigned: {0} signs with a private key only {0} holds', how.label),
        mode: 'valid',
      },
      {
        label: vscode.l10n.t('$(error) Bad signature'),
        detail: how.canSign
          ? vscode.l10n.t('Signed with another secret: the handler should answer 401')
          : vscode.l10n.t(
              'Signed with a throwaway key: the handler should answer 401, as Discord checks',
            ),
        mode: 'bad-signature',
      },
      ...(sendModeProblem(sample, 'expired', signing) === undefined
        ? [
            {
              label: jwt
                ? vscode.l10n.t('$(history) Expired token')
                : vscode.l10n.t('$(history) Expired signature'),
              detail: jwt
                ? vscode.l10n.t('Correctly signed but expired: the handler should answer 401')
                : vscode.l10n.t(
                    'Correctly signed, timestamp 10 minutes old: the handler should answer 401',
                  ),
              mode: 'expired' as const,
            },
          ]
        : []),
      {
        label: jwt
          ? vscode.l10n.t('$(circle-slash) No token')
          : vscode.l10n.t('$(circle-slash) No signature'),
        detail: jwt
          ? vscode.l10n.t('No Authorization header at all')
          : vscode.l10n.t('Without the {0} signature headers', how.label),
        mode: 'unsigned',
      },
    ];
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Send {0}', template.name),
      placeholder: vscode.l10n.t('Signature'),
      items,
      ...activeOf(items, (item) => item.mode === state.mode),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    return next({ ...state, mode: result.items[0]?.mode ?? 'valid' });
  }

  private async loadStep(state: SendChoice, at: StepPosition): Promise<StepOutcome<SendChoice>> {
    const items = loads();
    const result = await pickStep(at, {
      title: sendTitle(state.template),
      placeholder: vscode.l10n.t('How many'),
      items,
      ...activeOf(items, (item) => item.count === state.count),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const load = result.items[0] ?? items[0];
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

// Said when asked for, never in module-level tables: those would be read before the bundle is.

/** The gear on a template row and in the title bar. */
function optionsButton(): vscode.QuickInputButton {
  return {
    iconPath: new vscode.ThemeIcon('settings-gear'),
    tooltip: vscode.l10n.t('Send with options: where to, signature, how many'),
  };
}

function loads(): Array<vscode.QuickPickItem & { count: number; rate?: number }> {
  return [
    { label: vscode.l10n.t('1 event'), count: 1 },
    {
      label: vscode.l10n.t('{0} events', 10),
      description: vscode.l10n.t('{0} per second', 5),
      count: 10,
      rate: 5,
    },
    {
      label: vscode.l10n.t('{0} events', 100),
      description: vscode.l10n.t('{0} per second', 20),
      count: 100,
      rate: 20,
    },
  ];
}

function sendTitle(template: TemplateChoice | undefined): string {
  return template
    ? vscode.l10n.t('HookLens: Send {0}', template.name)
    : vscode.l10n.t('HookLens: Send Test Event');
}

/** What a send on purpose wrong should get, or why it went unsigned; undefined: nothing to add. */
function expectationOf(mode: SendMode, unsignedFor: string | undefined): string | undefined {
  switch (mode) {
    case 'valid':
      return unsignedFor === undefined
        ? undefined
        : vscode.l10n.t('unsigned: set the {0} secret to sign it', unsignedFor);
    case 'unsigned':
      return vscode.l10n.t('an unsigned event should be refused with 401');
    case 'bad-signature':
      return vscode.l10n.t('a bad signature should be refused with 401');
    case 'expired':
      return vscode.l10n.t('an expired event should be refused with 401');
  }
}

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
