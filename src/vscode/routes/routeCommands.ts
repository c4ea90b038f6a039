// Routes and chosen answers in the editor (issue 17): "Add Route from Delivery…" builds a rule
// from a selected delivery ("route payment_intent.* to…") and saves it in hooklens.routes;
// "Simulate Failures…" answers the next deliveries (or a share) with a chosen status, and a
// status-bar item says so for as long as it is on. Matching and validation are core's (and so
// are their English sentences, such as a rule's problem or a simulation's description).
import * as vscode from 'vscode';
import type { SimulationState } from '../../core/capture/captureSession';
import type { DeliveryRecord } from '../../core/delivery';
import {
  describeSimulation,
  parseFailNext,
  parseFailRate,
  type FailureSimulation,
} from '../../core/routes/chosenAnswers';
import {
  firstMatch,
  matchValueText,
  parseMatchText,
  parseRouteList,
  parseRouteText,
  parseTargetText,
  routeFactsOf,
  pathOf,
  type RouteTarget,
} from '../../core/routes/routeRules';
import { providerLabel } from '../../core/providers/registry';
import { toSingleLine } from '../../shared/visibleText';
import { DisposableOwner } from '../dispose';
import type { ReceiverController } from '../receiverController';
import { SETTINGS_SECTION } from '../settings';

const ROUTES_KEY = 'routes';

interface MatchChoice extends vscode.QuickPickItem {
  readonly match: string;
}

interface TargetChoice extends vscode.QuickPickItem {
  /** `url` or `custom-answer` ask next; anything else is the target itself. */
  readonly target: string;
}

interface SimulationChoice extends vscode.QuickPickItem {
  readonly pick: 'next-3' | 'next-custom' | 'rate' | 'stop';
}

export class RouteCommands extends DisposableOwner {
  private readonly item = this.register(
    vscode.window.createStatusBarItem(
      'hooklens.failureSimulation',
      vscode.StatusBarAlignment.Left,
      99,
    ),
  );

  constructor(
    private readonly receiver: ReceiverController,
    private readonly idsFor: (first: unknown, second: unknown) => string[],
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.item.name = vscode.l10n.t('HookLens Failure Simulation');
    this.item.command = 'hooklens.simulateFailures';
    this.register(receiver.onDidChangeSimulation((state) => this.render(state)));
    this.render(receiver.simulation);
  }

  commands(): Record<string, (...args: unknown[]) => unknown> {
    return {
      'hooklens.addRouteFromDelivery': (first: unknown, second: unknown) =>
        this.addRouteFromDelivery(this.idsFor(first, second)),
      'hooklens.simulateFailures': (how: unknown) => this.simulateFailures(how),
      'hooklens.stopFailureSimulation': () => this.receiver.setFailureSimulation(undefined),
    };
  }

  /** "Add Route from Delivery…": what to match (from the delivery), then where it goes. */
  async addRouteFromDelivery(ids: readonly string[]): Promise<void> {
    if (ids.length !== 1) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Select one delivery to add a route from: its provider, event and path become the rule.',
        ),
      );
      return;
    }
    const record = await this.receiver.get(ids[0] ?? '');
    if (!record) {
      await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: that delivery is no longer stored.'),
      );
      return;
    }
    const match = await vscode.window.showQuickPick(matchChoices(record), {
      title: vscode.l10n.t('HookLens: Add Route from Delivery (1/2)'),
      placeHolder: vscode.l10n.t('Which deliveries should this route take?'),
      matchOnDescription: true,
    });
    if (!match) return;
    const target = await this.pickTarget(match.match);
    if (target === undefined) return;
    const rule = `${match.match}=>${target}`;
    const checked = parseRouteText(rule);
    if (!checked.ok) {
      await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}.', checked.error));
      return;
    }
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspected = config.inspect<unknown[]>(ROUTES_KEY);
    const inWorkspace = Array.isArray(inspected?.workspaceValue);
    const current =
      (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? ([] as unknown[]);
    const next = [...(Array.isArray(current) ? current : []), rule];
    const parsed = parseRouteList(next);
    const clash = parsed.problems.find((problem) => problem.startsWith(`route ${next.length} (`));
    if (clash) {
      await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}.', clash));
      return;
    }
    await config.update(
      ROUTES_KEY,
      next,
      inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
    );
    this.log.info(`Route added: ${rule}`);
    // First match wins: say so when an earlier rule takes this delivery anyway.
    const winner = firstMatch(parsed.routes, routeFactsOf(record));
    const added = checked.route.name;
    const shadowed = winner !== undefined && winner.name !== added;
    const message = shadowed
      ? vscode.l10n.t(
          'HookLens: route added, but the earlier route {0} also takes deliveries like this one, and the first match wins. Move the new route up in hooklens.routes.',
          winner.name,
        )
      : vscode.l10n.t('HookLens: route added: {0} {1}.', added, targetText(checked.route.target));
    // The button's label comes back, so it is compared with the same translation.
    const openSettings = vscode.l10n.t('Open Settings');
    void (
      shadowed
        ? vscode.window.showWarningMessage(message, openSettings)
        : vscode.window.showInformationMessage(message, openSettings)
    ).then((action) => (action === openSettings ? openRoutesSetting() : undefined));
  }

  /** Where matching deliveries go: a handler URL, or an answer HookLens gives by itself. */
  private async pickTarget(match: string): Promise<string | undefined> {
    const choices: TargetChoice[] = [
      {
        label: vscode.l10n.t('$(link-external) Send to a handler URL…'),
        detail: vscode.l10n.t(
          'Forward them to your handler (exact bytes, original headers); the sender gets its answer.',
        ),
        target: 'url',
      },
      {
        label: vscode.l10n.t('$(pass) Answer 200'),
        detail: vscode.l10n.t('Take them without forwarding.'),
        target: 'answer:200',
      },
      {
        label: vscode.l10n.t('$(watch) Answer 503 after 2 seconds'),
        detail: vscode.l10n.t('A slow, failing endpoint: see how the sender retries.'),
        target: 'answer:503,delay=2000',
      },
      {
        label: vscode.l10n.t('$(edit) Answer with a status, delay and body of your choice…'),
        // The rule's syntax and its {id}, {challenge}, {payload} fields are not translated.
        detail: vscode.l10n.t(
          'answer:STATUS[,delay=MS][,body=TEXT]; the body may use {0}.',
          '{id}, {challenge}, {payload}',
        ),
        target: 'custom-answer',
      },
    ];
    const picked = await vscode.window.showQuickPick(choices, {
      title: vscode.l10n.t('HookLens: Add Route from Delivery (2/2): route {0} to…', match),
      placeHolder: vscode.l10n.t('Where should these deliveries go?'),
    });
    if (!picked) return undefined;
    if (picked.target === 'url') {
      return vscode.window
        .showInputBox({
          title: vscode.l10n.t('HookLens: route {0} to…', match),
          prompt: vscode.l10n.t("Your handler's URL for these deliveries"),
          value: 'http://localhost:3000/webhooks',
          validateInput: (text) => {
            const target = parseTargetText(text.trim());
            if (typeof target === 'string') return `${target}.`;
            if (target.kind !== 'forward') {
              return vscode.l10n.t('Give a URL here (or pick an answer instead).');
            }
            return this.receiver.refusesTarget(target.url)
              ? vscode.l10n.t(
                  'That is this receiver itself: every delivery would loop. Use your handler’s port.',
                )
              : undefined;
          },
        })
        .then((text) => text?.trim());
    }
    if (picked.target === 'custom-answer') {
      return vscode.window
        .showInputBox({
          title: vscode.l10n.t('HookLens: route {0} to an answer', match),
          // Not translated: the rule's own syntax, the same in every language.
          prompt: 'answer:STATUS[,delay=MS][,header.NAME=VALUE][,body=TEXT]',
          value: 'answer:200,body={"received":true,"id":"{id}"}',
          validateInput: (text) => {
            const target = parseTargetText(text.trim());
            if (typeof target === 'string') return `${target}.`;
            return target.kind === 'answer'
              ? undefined
              : vscode.l10n.t('Start with answer: (or pick a URL).');
          },
        })
        .then((text) => text?.trim());
    }
    return picked.target;
  }

  /** "Simulate Failures…"; the argument `next-3` turns on "500 to the next 3" at once. */
  async simulateFailures(how?: unknown): Promise<void> {
    if (how === 'next-3') {
      await this.turnOn({ next: { count: 3, status: 500 } });
      return;
    }
    const active = this.receiver.simulation;
    const choices: SimulationChoice[] = [
      {
        label: vscode.l10n.t('$(beaker) Answer 500 to the next 3 deliveries'),
        detail: vscode.l10n.t(
          'They are stored and marked, not forwarded; then deliveries are answered as usual.',
        ),
        pick: 'next-3',
      },
      {
        label: vscode.l10n.t('$(edit) Answer a status of your choice to the next N deliveries…'),
        pick: 'next-custom',
      },
      {
        label: vscode.l10n.t('$(percentage) Fail a share of deliveries…'),
        detail: vscode.l10n.t('Each delivery fails with that chance, until you stop it.'),
        pick: 'rate',
      },
      ...(active
        ? [
            {
              label: vscode.l10n.t('$(circle-slash) Stop failure simulation'),
              description: describeSimulation(active.simulation, active.remaining),
              pick: 'stop' as const,
            },
          ]
        : []),
    ];
    const picked = await vscode.window.showQuickPick(choices, {
      title: vscode.l10n.t('HookLens: Simulate Failures'),
      placeHolder: active
        ? vscode.l10n.t('Now {0}', describeSimulation(active.simulation, active.remaining))
        : vscode.l10n.t(
            'Answer deliveries with a failure you choose, to see how the sender retries',
          ),
    });
    if (!picked) return;
    if (picked.pick === 'stop') return this.receiver.setFailureSimulation(undefined);
    if (picked.pick === 'next-3') return this.turnOn({ next: { count: 3, status: 500 } });
    if (picked.pick === 'next-custom') {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('HookLens: fail the next N deliveries'),
        prompt: vscode.l10n.t('N[:STATUS], e.g. 5:503 (the status is 500 when left out)'),
        value: '3:500',
        validateInput: (value) => {
          const parsed = parseFailNext(value);
          return parsed.ok ? undefined : `${parsed.error}.`;
        },
      });
      const parsed = text === undefined ? undefined : parseFailNext(text);
      if (parsed?.ok) await this.turnOn({ next: parsed.value });
      return;
    }
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('HookLens: fail a share of deliveries'),
      prompt: vscode.l10n.t('PERCENT[:STATUS], e.g. 25:503 (the status is 500 when left out)'),
      value: '25:500',
      validateInput: (value) => {
        const parsed = parseFailRate(value);
        return parsed.ok ? undefined : `${parsed.error}.`;
      },
    });
    const parsed = text === undefined ? undefined : parseFailRate(text);
    if (parsed?.ok) await this.turnOn({ rate: parsed.value });
  }

  /** The status-bar item says it from now on (a transient message would outlive it). */
  private async turnOn(simulation: FailureSimulation): Promise<void> {
    await this.receiver.setFailureSimulation(simulation);
  }

  private render(state: SimulationState | undefined): void {
    void vscode.commands.executeCommand('setContext', 'hooklens.simulatingFailures', !!state);
    if (!state) {
      this.item.hide();
      return;
    }
    const { simulation, remaining } = state;
    const text = describeSimulation(simulation, remaining);
    this.item.text = vscode.l10n.t('$(beaker) HookLens: {0}', text);
    // A warning colour: it is on on purpose, but must not be forgotten.
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.tooltip = vscode.l10n.t(
      'HookLens failure simulation is on: {0}. Those deliveries are stored and marked "simulated failure", and not forwarded. Click to change or stop it.',
      text,
    );
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('HookLens failure simulation: {0}', text),
    };
    this.item.show();
  }
}

/** What a route from this delivery could match, most specific family first. */
function matchChoices(record: DeliveryRecord): MatchChoice[] {
  const provider = record.sender;
  const label = providerLabel(provider);
  const event = record.event;
  const path = pathOf(record.url);
  const choices: MatchChoice[] = [];
  const add = (text: string, detail: string): void => {
    if (typeof parseMatchText(text) === 'string') return; // Not a valid rule (a bad pattern).
    if (choices.some((choice) => choice.match === text)) return;
    choices.push({ label: text, description: detail, match: text });
  };
  if (event !== null && event !== '') {
    const family = /^(.+?[._:/])[^._:/]+$/.exec(event)?.[1];
    // A value with a comma (or a quote) is written quoted, as the CLI's --route takes it.
    if (family)
      add(
        `provider=${provider},event=${matchValueText(`${family}*`)}`,
        vscode.l10n.t('{0} events like {1}', label, toSingleLine(event, 60)),
      );
    add(
      `provider=${provider},event=${matchValueText(event)}`,
      vscode.l10n.t('only {0} {1}', label, toSingleLine(event, 60)),
    );
  }
  add(`provider=${provider}`, vscode.l10n.t('every {0} delivery', label));
  if (path !== '/' && path !== '')
    add(`path=${matchValueText(path)}`, vscode.l10n.t('deliveries to {0}', toSingleLine(path, 60)));
  return choices;
}

async function openRoutesSetting(): Promise<void> {
  await vscode.commands.executeCommand(
    'workbench.action.openSettings',
    `${SETTINGS_SECTION}.routes`,
  );
}

/** describeTarget's words in the editor's language (core keeps them English for the CLI and agents). */
function targetText(target: RouteTarget): string {
  if (target.kind === 'forward') return `→ ${target.url.href}`;
  const { status, delayMs } = target.answer;
  return delayMs > 0
    ? vscode.l10n.t('answers {0} after {1} ms', status, delayMs)
    : vscode.l10n.t('answers {0}', status);
}
