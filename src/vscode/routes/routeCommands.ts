// Routes and chosen answers in the editor (issue 17): "Add Route from Delivery…" builds a rule
// from a selected delivery ("route payment_intent.* to…") and saves it in hooklens.routes;
// "Simulate Failures…" answers the next deliveries (or a share) with a chosen status, and a
// status-bar item says so for as long as it is on. Matching and validation are core's.
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
  describeTarget,
  firstMatch,
  matchValueText,
  parseMatchText,
  parseRouteList,
  parseRouteText,
  parseTargetText,
  routeFactsOf,
  pathOf,
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
    this.item.name = 'HookLens Failure Simulation';
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
        'Select one delivery to add a route from: its provider, event and path become the rule.',
      );
      return;
    }
    const record = await this.receiver.get(ids[0] ?? '');
    if (!record) {
      await vscode.window.showErrorMessage('HookLens: that delivery is no longer stored.');
      return;
    }
    const match = await vscode.window.showQuickPick(matchChoices(record), {
      title: 'HookLens: Add Route from Delivery (1/2)',
      placeHolder: 'Which deliveries should this route take?',
      matchOnDescription: true,
    });
    if (!match) return;
    const target = await this.pickTarget(match.match);
    if (target === undefined) return;
    const rule = `${match.match}=>${target}`;
    const checked = parseRouteText(rule);
    if (!checked.ok) {
      await vscode.window.showErrorMessage(`HookLens: ${checked.error}.`);
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
      await vscode.window.showErrorMessage(`HookLens: ${clash}.`);
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
    const message =
      winner && winner.name !== added
        ? `HookLens: route added, but the earlier route ${winner.name} also takes deliveries like this one, and the first match wins. Move the new route up in hooklens.routes.`
        : `HookLens: route added: ${added} ${describeTarget(checked.route.target)}.`;
    void (
      winner && winner.name !== added
        ? vscode.window.showWarningMessage(message, 'Open Settings')
        : vscode.window.showInformationMessage(message, 'Open Settings')
    ).then((action) => (action === 'Open Settings' ? openRoutesSetting() : undefined));
  }

  /** Where matching deliveries go: a handler URL, or an answer HookLens gives by itself. */
  private async pickTarget(match: string): Promise<string | undefined> {
    const choices: TargetChoice[] = [
      {
        label: '$(link-external) Send to a handler URL…',
        detail:
          'Forward them to your handler (exact bytes, original headers); the sender gets its answer.',
        target: 'url',
      },
      {
        label: '$(pass) Answer 200',
        detail: 'Take them without forwarding.',
        target: 'answer:200',
      },
      {
        label: '$(watch) Answer 503 after 2 seconds',
        detail: 'A slow, failing endpoint: see how the sender retries.',
        target: 'answer:503,delay=2000',
      },
      {
        label: '$(edit) Answer with a status, delay and body of your choice…',
        detail:
          'answer:STATUS[,delay=MS][,body=TEXT]; the body may use {id}, {challenge}, {payload}.',
        target: 'custom-answer',
      },
    ];
    const picked = await vscode.window.showQuickPick(choices, {
      title: `HookLens: Add Route from Delivery (2/2): route ${match} to…`,
      placeHolder: 'Where should these deliveries go?',
    });
    if (!picked) return undefined;
    if (picked.target === 'url') {
      return vscode.window
        .showInputBox({
          title: `HookLens: route ${match} to…`,
          prompt: "Your handler's URL for these deliveries",
          value: 'http://localhost:3000/webhooks',
          validateInput: (text) => {
            const target = parseTargetText(text.trim());
            if (typeof target === 'string') return `${target}.`;
            if (target.kind !== 'forward') return 'Give a URL here (or pick an answer instead).';
            return this.receiver.refusesTarget(target.url)
              ? 'That is this receiver itself: every delivery would loop. Use your handler’s port.'
              : undefined;
          },
        })
        .then((text) => text?.trim());
    }
    if (picked.target === 'custom-answer') {
      return vscode.window
        .showInputBox({
          title: `HookLens: route ${match} to an answer`,
          prompt: 'answer:STATUS[,delay=MS][,header.NAME=VALUE][,body=TEXT]',
          value: 'answer:200,body={"received":true,"id":"{id}"}',
          validateInput: (text) => {
            const target = parseTargetText(text.trim());
            if (typeof target === 'string') return `${target}.`;
            return target.kind === 'answer' ? undefined : 'Start with answer: (or pick a URL).';
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
        label: '$(beaker) Answer 500 to the next 3 deliveries',
        detail: 'They are stored and marked, not forwarded; then deliveries are answered as usual.',
        pick: 'next-3',
      },
      {
        label: '$(edit) Answer a status of your choice to the next N deliveries…',
        pick: 'next-custom',
      },
      {
        label: '$(percentage) Fail a share of deliveries…',
        detail: 'Each delivery fails with that chance, until you stop it.',
        pick: 'rate',
      },
      ...(active
        ? [
            {
              label: '$(circle-slash) Stop failure simulation',
              description: describeSimulation(active.simulation, active.remaining),
              pick: 'stop' as const,
            },
          ]
        : []),
    ];
    const picked = await vscode.window.showQuickPick(choices, {
      title: 'HookLens: Simulate Failures',
      placeHolder: active
        ? `Now ${describeSimulation(active.simulation, active.remaining)}`
        : 'Answer deliveries with a failure you choose, to see how the sender retries',
    });
    if (!picked) return;
    if (picked.pick === 'stop') return this.receiver.setFailureSimulation(undefined);
    if (picked.pick === 'next-3') return this.turnOn({ next: { count: 3, status: 500 } });
    if (picked.pick === 'next-custom') {
      const text = await vscode.window.showInputBox({
        title: 'HookLens: fail the next N deliveries',
        prompt: 'N[:STATUS], e.g. 5:503 (the status is 500 when left out)',
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
      title: 'HookLens: fail a share of deliveries',
      prompt: 'PERCENT[:STATUS], e.g. 25:503 (the status is 500 when left out)',
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
    this.item.text = `$(beaker) HookLens: ${text}`;
    // A warning colour: it is on on purpose, but must not be forgotten.
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.tooltip = `HookLens failure simulation is on: ${text}. Those deliveries are stored and marked "simulated failure", and not forwarded. Click to change or stop it.`;
    this.item.accessibilityInformation = { label: `HookLens failure simulation: ${text}` };
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
        `${label} events like ${toSingleLine(event, 60)}`,
      );
    add(
      `provider=${provider},event=${matchValueText(event)}`,
      `only ${label} ${toSingleLine(event, 60)}`,
    );
  }
  add(`provider=${provider}`, `every ${label} delivery`);
  if (path !== '/' && path !== '')
    add(`path=${matchValueText(path)}`, `deliveries to ${toSingleLine(path, 60)}`);
  return choices;
}

async function openRoutesSetting(): Promise<void> {
  await vscode.commands.executeCommand(
    'workbench.action.openSettings',
    `${SETTINGS_SECTION}.routes`,
  );
}
