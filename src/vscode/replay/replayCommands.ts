import * as vscode from 'vscode';
import { parseTargetUrl } from '../../core/forward/outbound';
import {
  needsResignConfirmation,
  replayDelivery,
  replayMany,
  signingIdentity,
  signingSecretFor,
  type ReplayManyResult,
  type ReplayOutcome,
  type SigningSettings,
  type TokenMode,
} from '../../core/forward/replay';
import { SecretRing } from '../../core/secrets/secretRing';
import { presentVerdict } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import { DisposableOwner } from '../dispose';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { readSettings } from '../settings';
import { notRecordedLabel } from '../store/storeStatus';
import { english } from '../translation';
import { formatResponseDocument } from './responseText';
import { ReplayResponseView } from './responseView';

const RECENT_TARGETS_KEY = 'hooklens.recentReplayTargets';
const MAX_RECENT_TARGETS = 8;

export interface ReplayRequest {
  readonly ids: readonly string[];
  readonly tokenMode: TokenMode;
  readonly target: URL;
  /** The route whose target this is (recorded on each attempt); absent for a URL the user chose. */
  readonly route?: string;
  /** Edit and replay: the edited body, sent instead of the stored one (one delivery only). */
  readonly body?: Buffer;
  /** The user confirmed re-signing deliveries that failed verification at capture. */
  readonly allowResignFailed?: boolean;
  /** The target is a URL the user typed or picked (not a route's, not hooklens.forwardTo). */
  readonly typed?: boolean;
}

/** Outcome of checking a fresh-signature replay before it starts. */
type FreshCheck =
  | { readonly go: 'fresh'; readonly allowResignFailed: boolean }
  | { readonly go: 'original' }
  | { readonly go: 'stop' };

/**
 * Replay from the editor: picks the target (the forward target, or a URL the user chooses, which
 * is remembered), runs the replays with bounded concurrency behind a cancellable progress
 * notification, and reports the outcome. Attempts land on the deliveries, so the tree and the
 * panel update through the store.
 */
export class ReplayCommands extends DisposableOwner {
  private readonly responses: ReplayResponseView;
  /** The last replay or edited send as it was sent, for Send Again. */
  private last: ReplayRequest | undefined;

  constructor(
    private readonly receiver: ReceiverController,
    private readonly secrets: SecretStore,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.responses = this.register(new ReplayResponseView((url) => isConfiguredForward(url)));
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hooklens.forwardTo')) this.responses.refreshLenses();
      }),
    );
  }

  /**
   * Repeats the last replay or edited send: the same deliveries, body and target; a fresh
   * signature is made afresh (new timestamp), and a re-sign the user confirmed is not asked again.
   */
  async sendAgain(): Promise<void> {
    if (!this.last) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'HookLens: nothing to send again yet. Replay a delivery first (or send an edited body).',
        ),
      );
      return;
    }
    await this.run(this.last);
  }

  /** Makes the typed URL of the last replay the forward target (hooklens.forwardTo). */
  async useAsForwardTarget(): Promise<void> {
    const url = this.responses.lastTypedTarget ?? this.last?.target;
    if (!url) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'HookLens: replay a delivery to a URL first; that URL can then become the forward target.',
        ),
      );
      return;
    }
    const inWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
    await vscode.workspace
      .getConfiguration('hooklens')
      .update(
        'forwardTo',
        url.href,
        inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
      );
    this.log.info(`hooklens.forwardTo set to ${url.href} from a replay.`);
    void vscode.window.setStatusBarMessage(
      inWorkspace
        ? vscode.l10n.t(
            '$(arrow-right) HookLens forwards deliveries to {0} now (hooklens.forwardTo in the workspace settings).',
            url.href,
          )
        : vscode.l10n.t(
            '$(arrow-right) HookLens forwards deliveries to {0} now (hooklens.forwardTo in the user settings).',
            url.href,
          ),
      8000,
    );
  }

  /**
   * `Replay` and `Replay with Fresh Signature`: where the deliveries' route sends them, else to
   * the forward target, or ask when there is none.
   */
  async replay(ids: readonly string[], tokenMode: TokenMode): Promise<void> {
    if (!(await this.checkSelection(ids))) return;
    const routed = await this.receiver.replayTargetFor(ids);
    const target = routed?.target ?? (await this.pickTarget(true));
    if (!target) return;
    await this.run({
      ids,
      tokenMode,
      target,
      ...(routed?.route ? { route: routed.route } : {}),
      ...(routed ? {} : { typed: true }),
    });
  }

  /** `Replay to…`: choose a URL (recent ones first), then the signature. */
  async replayTo(ids: readonly string[]): Promise<void> {
    if (!(await this.checkSelection(ids))) return;
    const target = await this.pickTarget(false);
    if (!target) return;
    const missing = this.missingSecrets(ids, await this.signingSettings());
    const mode = await vscode.window.showQuickPick(
      [
        {
          label: vscode.l10n.t('$(history) Original signature'),
          detail: vscode.l10n.t(
            'Send the headers exactly as the sender did (a timestamp or token may have expired).',
          ),
          mode: 'original' as const,
        },
        {
          label: vscode.l10n.t('$(key) Fresh signature'),
          detail:
            missing.length === 0
              ? vscode.l10n.t(
                  'Sign again now the way the sender signs, with the current secret (new timestamp and signature; a JWT keeps its claims), plus X-Replay: true.',
                )
              : vscode.l10n.t(
                  'Needs the {0} secret: set it first (HookLens: Set Secret).',
                  missing.join(', '),
                ),
          mode: 'fresh' as const,
        },
      ],
      {
        title: vscode.l10n.t('Replay to {0}', target.href),
        placeHolder: vscode.l10n.t('Which signature to send'),
      },
    );
    if (!mode) return;
    await this.run({ ids, tokenMode: mode.mode, target, typed: true });
  }

  /** Edit and replay, step 2: send what the edit document holds, with a fresh signature. */
  async sendEdited(document: vscode.TextDocument, deliveryId: string): Promise<void> {
    const text = document.getText();
    if (document.uri.path.endsWith('.json')) {
      const problem = jsonProblem(text);
      if (problem !== undefined) {
        const sendAnyway = vscode.l10n.t('Send Anyway');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('The edited body is not valid JSON ({0}). Send it anyway?', problem),
          { modal: true },
          sendAnyway,
        );
        if (answer !== sendAnyway) return;
      }
    }
    const routed = await this.receiver.replayTargetFor([deliveryId]);
    const target = routed?.target ?? (await this.pickTarget(true));
    if (!target) return;
    await this.run({
      ids: [deliveryId],
      tokenMode: 'fresh',
      target,
      ...(routed?.route ? { route: routed.route } : {}),
      ...(routed ? {} : { typed: true }),
      body: Buffer.from(text, 'utf8'),
    });
  }

  /** Runs the replays and reports; resolves with the result (undefined if it could not start). */
  async run(request: ReplayRequest): Promise<ReplayManyResult | undefined> {
    await this.receiver.ready;
    const store = this.receiver.deliveryStore;
    if (!store) {
      await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: the delivery store is not open.'),
      );
      return undefined;
    }
    const signing = await this.signingSettings();
    let allowResignFailed = request.allowResignFailed ?? false;
    if (request.tokenMode === 'fresh' && !allowResignFailed) {
      const check = await this.checkFresh(request.ids, signing);
      if (check.go === 'stop') return undefined;
      if (check.go === 'original') return this.run({ ...request, tokenMode: 'original' });
      allowResignFailed = check.allowResignFailed;
    }
    // What Send Again repeats: as sent, with the answers to the questions above.
    this.last = { ...request, allowResignFailed };
    void vscode.commands.executeCommand('setContext', 'hooklens.canSendAgain', true);
    const settings = readSettings();
    const count = request.ids.length;
    const result = await vscode.window.withProgress(
      {
        // One delivery: a spinner in the status bar (bounded by the forward timeout), its answer
        // then beside the editor; several: a notification with their count and Cancel.
        location:
          count === 1 ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title:
          count === 1
            ? vscode.l10n.t('HookLens: replaying the delivery to {0}', request.target.href)
            : vscode.l10n.t(
                'HookLens: replaying {0} deliveries to {1}',
                count,
                request.target.href,
              ),
        cancellable: count > 1,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancelled = token.onCancellationRequested(() => controller.abort());
        try {
          if (request.body !== undefined) {
            const outcome = await replayDelivery(store, request.ids[0] ?? '', {
              target: request.target,
              tokenMode: request.tokenMode,
              signing,
              allowResignFailed,
              body: request.body,
              timeoutMs: settings.forwardTimeoutMs,
              signal: controller.signal,
              ...(request.route ? { route: request.route } : {}),
            });
            return { outcomes: [outcome], failures: [], cancelled: controller.signal.aborted };
          }
          return await replayMany(store, request.ids, {
            target: request.target,
            tokenMode: request.tokenMode,
            signing,
            allowResignFailed,
            timeoutMs: settings.forwardTimeoutMs,
            concurrency: settings.replayConcurrency,
            signal: controller.signal,
            ...(request.route ? { route: request.route } : {}),
            onProgress: ({ done, total }) =>
              progress.report({
                increment: 100 / total,
                message: vscode.l10n.t('{0} of {1}', done, total),
              }),
          });
        } finally {
          cancelled.dispose();
        }
      },
    );
    this.report(request, result);
    return result;
  }

  private report(request: ReplayRequest, result: ReplayManyResult): void {
    const status = this.receiver.storeStatus;
    for (const outcome of result.outcomes) {
      // The log stays English.
      this.log.info(logLine(outcome, notRecordedLabel(status, outcome.notRecordedReason, english)));
    }
    for (const failure of result.failures)
      this.log.warn(`Replay of ${failure.deliveryId} failed: ${failure.message}`);
    if (result.outcomes.length > 0) {
      // The handler's answer, beside the editor: status, time, headers, body.
      const document = formatResponseDocument(
        {
          target: request.target.href,
          replayed: result.outcomes.map((outcome) => ({
            deliveryId: outcome.deliveryId,
            event: this.receiver.summary(outcome.deliveryId)?.event ?? null,
            attempt: outcome.attempt,
            ...(outcome.recorded
              ? {}
              : { notRecorded: notRecordedLabel(status, outcome.notRecordedReason, vscode.l10n) }),
          })),
          failures: result.failures,
          cancelled: result.cancelled,
        },
        vscode.l10n,
      );
      void this.responses
        .show(document, request.typed ? request.target : undefined)
        .then(undefined, (error: unknown) =>
          this.log.warn(
            `The replay response could not be shown: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    }
    const delivered = result.outcomes.filter(({ attempt }) => is2xx(attempt.status));
    const notRecorded = result.outcomes.filter((outcome) => !outcome.recorded);
    // A read-only team store: sent, but "not recorded (read-only store)" (issue 18).
    const label = notRecordedLabel(status, notRecorded[0]?.notRecordedReason, vscode.l10n);
    const sentence = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
    const recordNote =
      notRecorded.length === 0
        ? undefined
        : notRecorded.length === result.outcomes.length
          ? vscode.l10n.t('{0}.', sentence)
          : vscode.l10n.t(
              '{0} ({1} of {2}).',
              sentence,
              notRecorded.length,
              result.outcomes.length,
            );
    if (result.outcomes.length === 1 && result.failures.length === 0) {
      const [outcome] = result.outcomes as [ReplayOutcome];
      const attempt = outcome.attempt;
      const time = attempt.timeMs ?? '?';
      const summary =
        attempt.status === null
          ? vscode.l10n.t('failed: {0}', attempt.error ?? vscode.l10n.t('no answer'))
          : attempt.error
            ? vscode.l10n.t('{0} in {1} ms ({2})', attempt.status, time, attempt.error)
            : vscode.l10n.t('{0} in {1} ms', attempt.status, time);
      const host = request.target.host;
      const fresh = attempt.tokenMode === 'fresh';
      const where =
        fresh && attempt.bodyEdited
          ? vscode.l10n.t('{0} with a fresh signature (edited body)', host)
          : fresh
            ? vscode.l10n.t('{0} with a fresh signature', host)
            : attempt.bodyEdited
              ? vscode.l10n.t('{0} (edited body)', host)
              : host;
      // A replay that is not recorded is said where it stays: it will not show on Attempts.
      if (!outcome.recorded) {
        void vscode.window.showInformationMessage(
          attempt.status === null
            ? vscode.l10n.t('HookLens: replay sent, {0}: {1} {2}.', label, where, summary)
            : vscode.l10n.t('HookLens: replay sent, {0}: {1} answered {2}.', label, where, summary),
        );
        return;
      }
      // The response document says the rest; the status bar keeps the outcome in view.
      void vscode.window.setStatusBarMessage(
        is2xx(attempt.status)
          ? vscode.l10n.t('$(check) HookLens: replayed to {0}: {1}.', where, summary)
          : vscode.l10n.t('$(warning) HookLens: replayed to {0}: {1}.', where, summary),
        6000,
      );
      return;
    }
    const message = [
      vscode.l10n.t(
        'HookLens: replayed {0} of {1}; {2} answered 2xx.',
        result.outcomes.length,
        request.ids.length,
        delivered.length,
      ),
      ...(result.cancelled ? [vscode.l10n.t('Cancelled before the rest were sent.')] : []),
      ...(recordNote === undefined ? [] : [recordNote]),
    ].join(' ');
    if (result.failures.length > 0 || result.outcomes.length === 0) void this.warn(message);
    else if (notRecorded.length > 0) void vscode.window.showInformationMessage(message);
    else
      void vscode.window.setStatusBarMessage(
        `${delivered.length === request.ids.length ? '$(check)' : '$(warning)'} ${message}`,
        6000,
      );
  }

  /**
   * The secrets (every configured one, per provider) and the receiver's verification settings
   * (JWT algorithms, public URL, generic HMAC), so replays sign as the receiver verifies.
   */
  async signingSettings(): Promise<SigningSettings> {
    const analyser = await this.receiver.currentAnalyser();
    return { ...analyser.settings, secrets: new SecretRing(await this.secrets.getAll()) };
  }

  /** The providers among these deliveries that have no secret to sign a fresh signature with. */
  missingSecrets(ids: readonly string[], signing: SigningSettings): string[] {
    const ring =
      signing.secrets instanceof SecretRing ? signing.secrets : new SecretRing(signing.secrets);
    const missing = new Set<string>();
    for (const id of ids) {
      const summary = this.receiver.summary(id);
      const identity = summary ? signingIdentity(summary.sender) : undefined;
      if (!summary || !identity || identity.scheme.sign === undefined) continue;
      if (signingSecretFor(ring, identity, summary.url) === undefined) missing.add(identity.label);
    }
    return [...missing];
  }

  /**
   * Before a fresh-signature replay: deliveries whose provider only it can sign (Discord) or
   * that have no secret are explained, with the way out of replaying them as captured; ones that
   * failed verification when captured are re-signed only after a modal confirm.
   */
  private async checkFresh(ids: readonly string[], signing: SigningSettings): Promise<FreshCheck> {
    const asCaptured = vscode.l10n.t('Replay As Captured');
    const summaries = ids.flatMap((id) => {
      const summary = this.receiver.summary(id);
      return summary ? [summary] : [];
    });
    const unsignable = new Map<string, string>();
    for (const summary of summaries) {
      const identity = signingIdentity(summary.sender);
      if (identity === undefined) {
        unsignable.set(
          summary.sender,
          vscode.l10n.t('HookLens does not know how {0} signs.', summary.sender),
        );
      } else if (identity.scheme.sign === undefined) {
        unsignable.set(
          identity.label,
          identity.scheme.cannotSign ??
            vscode.l10n.t('{0} deliveries cannot be re-signed.', identity.label),
        );
      }
    }
    if (unsignable.size > 0) {
      const action = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'HookLens: no fresh signature can be made. {0}',
          [...unsignable.values()].join(' '),
        ),
        asCaptured,
      );
      return action === asCaptured ? { go: 'original' } : { go: 'stop' };
    }
    const missing = this.missingSecrets(ids, signing);
    if (missing.length > 0) {
      const setSecret = vscode.l10n.t('Set Secret');
      const action = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'HookLens: a fresh signature is made with the {0} secret, and none is set.',
          missing.join(', '),
        ),
        setSecret,
        asCaptured,
      );
      if (action === setSecret) await vscode.commands.executeCommand('hooklens.setSecret');
      return action === asCaptured ? { go: 'original' } : { go: 'stop' };
    }
    const failed = summaries.filter((summary) => needsResignConfirmation(summary.verdict));
    if (failed.length === 0) return { go: 'fresh', allowResignFailed: false };
    const verdicts = [
      ...new Set(failed.map((summary) => presentVerdict(summary.verdict).label)),
    ].join(', ');
    const resign = vscode.l10n.t('Re-sign Anyway');
    const answer = await vscode.window.showWarningMessage(
      failed.length === 1
        ? vscode.l10n.t(
            'This delivery failed verification when it was captured ({0}). Re-sign anyway?',
            verdicts,
          )
        : vscode.l10n.t(
            '{0} of the {1} deliveries failed verification when they were captured ({2}). Re-sign anyway?',
            failed.length,
            summaries.length,
            verdicts,
          ),
      {
        modal: true,
        detail: vscode.l10n.t(
          "A fresh signature makes the delivery pass your handler's check, although HookLens could not tell it came from the sender: it may be forged or altered. Replay it as captured to send it with its original signature.",
        ),
      },
      resign,
      asCaptured,
    );
    if (answer === resign) return { go: 'fresh', allowResignFailed: true };
    return answer === asCaptured ? { go: 'original' } : { go: 'stop' };
  }

  private async warn(message: string): Promise<void> {
    const showLogs = vscode.l10n.t('Show Logs');
    const action = await vscode.window.showWarningMessage(message, showLogs);
    if (action === showLogs) this.log.show(true);
  }

  private async checkSelection(ids: readonly string[]): Promise<boolean> {
    if (ids.length > 0) return true;
    await vscode.window.showInformationMessage(
      vscode.l10n.t('HookLens: select one or more deliveries in the Deliveries view to replay.'),
    );
    return false;
  }

  /** The user's explicit choice of target (F-06): never taken from a delivery. */
  async pickTarget(becauseNoForwardTarget: boolean): Promise<URL | undefined> {
    const recent = this.memento.get<string[]>(RECENT_TARGETS_KEY, []);
    const forward = this.receiver.forwardTarget?.href;
    const configured = readSettings().forwardTo;
    // The URL used last comes first (Enter sends there again), then the forward target.
    const candidates = [
      ...new Set([...recent.slice(0, 1), ...(forward ? [forward] : []), ...recent.slice(1)]),
    ];
    const enter = {
      label: vscode.l10n.t('$(edit) Enter a URL…'),
      url: undefined as string | undefined,
    };
    const items = [
      ...candidates.map((url) => ({
        label: url,
        description:
          [
            ...(url === recent[0] ? [vscode.l10n.t('last used')] : []),
            ...(url === forward ? [vscode.l10n.t('forward target')] : []),
          ].join(' · ') || vscode.l10n.t('recent'),
        url,
      })),
      enter,
    ];
    let chosen: string | undefined;
    if (candidates.length > 0) {
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('HookLens: Replay To'),
        placeHolder: vscode.l10n.t('Where to send the deliveries'),
      });
      if (!picked) return undefined;
      chosen = picked.url;
    }
    if (chosen === undefined) {
      chosen = await vscode.window.showInputBox({
        title: vscode.l10n.t('HookLens: Replay To'),
        prompt: becauseNoForwardTarget
          ? configured && !configured.ok
            ? vscode.l10n.t(
                "hooklens.forwardTo is not usable ({0}). Enter your handler's URL:",
                configured.error,
              )
            : vscode.l10n.t(
                "No forward target is set (hooklens.forwardTo). Enter your handler's URL:",
              )
          : vscode.l10n.t("Your handler's URL"),
        // Not translated: an example URL.
        placeHolder: 'http://localhost:3000/webhooks',
        value: recent[0] ?? 'http://localhost:3000/webhooks',
        validateInput: (text) => {
          const check = parseTargetUrl(text);
          return check.ok ? undefined : check.error;
        },
      });
      if (chosen === undefined) return undefined;
    }
    const check = parseTargetUrl(chosen);
    if (!check.ok) {
      await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}', check.error));
      return undefined;
    }
    await this.memento.update(
      RECENT_TARGETS_KEY,
      [check.url.href, ...recent.filter((url) => url !== check.url.href)].slice(
        0,
        MAX_RECENT_TARGETS,
      ),
    );
    return check.url;
  }
}

/** Whether `url` is what hooklens.forwardTo says now. */
function isConfiguredForward(url: URL): boolean {
  const configured = readSettings().forwardTo;
  return configured?.ok === true && configured.url.href === url.href;
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function is2xx(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

function logLine({ deliveryId, attempt, recorded }: ReplayOutcome, notRecorded: string): string {
  return `Replay ${deliveryId} → ${attempt.target}: ${attempt.status ?? 'failed'} in ${attempt.timeMs ?? '?'} ms (${attempt.tokenMode === 'fresh' ? 'fresh signature' : attempt.tokenMode === 'none' ? 'no signature' : 'original signature'}${attempt.bodyEdited ? ', edited body' : ''})${attempt.error ? `: ${toSingleLine(attempt.error, 200)}` : ''}${recorded ? '' : ` (${notRecorded})`}${recorded && attempt.by ? ` by ${attempt.by}` : ''}`;
}
