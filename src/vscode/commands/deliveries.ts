import * as vscode from 'vscode';
import type { DeliveryRecord } from '../../core/delivery';
import { curlCommand } from '../../core/export/curl';
import {
  needsResignConfirmation,
  replayRequest,
  ReplayError,
  signingIdentity,
} from '../../core/forward/replay';
import { presentVerdict } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import type { CommandTable } from '../commands';
import { DisposableOwner } from '../dispose';
import { DeliveryDocuments } from '../documents/deliveryDocuments';
import type { ReplayCommands } from '../replay/replayCommands';
import { readSettings } from '../settings';
import { errorMessage, type CommandContext } from './context';
import { displayLocale } from '../../core/displayLocale';

type DeliveryCommandId =
  | 'hooklens.openDelivery'
  | 'hooklens.pinDelivery'
  | 'hooklens.openBody'
  | 'hooklens.compare'
  | 'hooklens.copyAsCurl'
  | 'hooklens.copyBody'
  | 'hooklens.copyId'
  | 'hooklens.deleteDelivery'
  | 'hooklens.clearDeliveries';

/**
 * The commands on stored deliveries that are not replays: open (in the following panel or a
 * pinned one), open the body, compare, copy (cURL, body, id), delete and clear. Each takes what
 * `resolveDeliveryIds` accepts: tree rows, ids, the detail panel's context, or nothing.
 */
export class DeliveryCommands extends DisposableOwner {
  private readonly documents: DeliveryDocuments;

  constructor(
    private readonly context: CommandContext,
    private readonly replays: ReplayCommands,
  ) {
    super();
    this.documents = this.register(new DeliveryDocuments((id) => context.receiver.get(id)));
  }

  commands(): CommandTable<DeliveryCommandId> {
    const ids = (first: unknown, second: unknown): string[] =>
      this.context.targets.ids(first, second);
    return {
      'hooklens.openDelivery': (first, second) =>
        this.open(this.context.targets.ids(first, second, { expandGroups: false })),
      'hooklens.pinDelivery': (first, second) => this.pin(ids(first, second)),
      'hooklens.openBody': (first, second) => this.openBody(ids(first, second)),
      'hooklens.compare': (first, second) => this.compare(ids(first, second)),
      'hooklens.copyAsCurl': (first, second) => this.copyAsCurl(ids(first, second)),
      'hooklens.copyBody': (first, second) => this.copyBody(ids(first, second)),
      'hooklens.copyId': (first, second) => this.copyIds(ids(first, second)),
      // Delete acts on delivery rows only: a group row under the Delete key stands for none.
      'hooklens.deleteDelivery': (first, second) =>
        this.delete(this.context.targets.ids(first, second, { expandGroups: false })),
      'hooklens.clearDeliveries': () => this.clear(),
    };
  }

  /** Open Delivery (a row's click): the following panel shows it. */
  private async open(ids: readonly string[]): Promise<void> {
    const [id] = ids;
    if (id === undefined) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: select a delivery in the Deliveries view first.'),
      );
      return;
    }
    this.context.panels.show(id);
  }

  private async pin(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: select a delivery to open.'),
      );
      return;
    }
    // More than a handful of panels at once is almost certainly a mis-click on a big selection.
    for (const id of ids.slice(0, 5)) this.context.panels.pin(id);
  }

  private async openBody(ids: readonly string[]): Promise<void> {
    const record = await this.context.targets.single(ids, vscode.l10n.t('open its body'));
    if (record) await this.documents.openBody(record);
  }

  private async compare(ids: readonly string[]): Promise<void> {
    await this.context.storeOpen();
    let pair = ids.slice(0, 2);
    if (pair.length < 2) {
      const other = await this.pickOther(pair[0]);
      if (!other) return;
      pair = [...pair, other];
      if (pair.length < 2) {
        const second = await this.pickOther(other);
        if (!second) return;
        pair = [other, second];
      }
    }
    const [left, right] = await Promise.all(pair.map((id) => this.context.targets.load(id)));
    if (!left || !right) return;
    await this.documents.compare(left, right, readSettings().maskVolatileOnCompare);
  }

  /** A quick pick of stored deliveries, the same event as `near` first. */
  private async pickOther(near: string | undefined): Promise<string | undefined> {
    const receiver = this.context.receiver;
    const nearEvent = near ? receiver.summary(near)?.event : undefined;
    const candidates = receiver.deliveries
      .filter((summary) => summary.id !== near)
      .sort((a, b) => Number(b.event === nearEvent) - Number(a.event === nearEvent))
      .slice(0, 500);
    if (candidates.length === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: there is no other delivery to compare with.'),
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((summary) => ({
        // What the delivery says (the user's words, the commit…) tells alike events apart.
        label: toSingleLine(summary.headline ?? summary.event ?? vscode.l10n.t('(no event)'), 80),
        description: [
          ...(summary.headline === undefined ? [] : [toSingleLine(summary.event ?? '', 60)]),
          new Date(summary.receivedAt).toLocaleString(displayLocale()),
          String(summary.status ?? '—'),
        ]
          .filter((part) => part !== '')
          .join(' · '),
        detail: `${summary.method} ${summary.url} · ${summary.id}`,
        id: summary.id,
      })),
      {
        title: near
          ? vscode.l10n.t('HookLens: Compare With…')
          : vscode.l10n.t('HookLens: Compare Deliveries'),
        placeHolder: near
          ? vscode.l10n.t('The delivery to compare with')
          : vscode.l10n.t('The first delivery'),
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    return picked?.id;
  }

  /** cURL to the forward target (else the receiver, else a URL the user picks). */
  private async copyAsCurl(ids: readonly string[]): Promise<void> {
    const record = await this.context.targets.single(ids, vscode.l10n.t('copy it as cURL'));
    if (!record) return;
    const signing = await this.replays.signingSettings();
    const canSignFresh =
      signingIdentity(record.sender, record.verification.scheme)?.scheme.sign !== undefined &&
      this.replays.missingSecrets([record.id], signing).length === 0;
    const mode = await vscode.window.showQuickPick(
      [
        {
          label: vscode.l10n.t('Original signature'),
          detail: vscode.l10n.t('The headers as the sender sent them.'),
          mode: 'original' as const,
        },
        ...(canSignFresh
          ? [
              {
                label: vscode.l10n.t('Fresh signature'),
                detail: vscode.l10n.t(
                  'Signed now the way the sender signs, with the current secret (valid for minutes); adds X-Replay: true.',
                ),
                mode: 'fresh' as const,
              },
            ]
          : []),
        {
          label: vscode.l10n.t('Redacted credentials'),
          detail: vscode.l10n.t('Safe to paste into a ticket or chat; the handler will refuse it.'),
          mode: 'redacted' as const,
        },
      ],
      {
        title: vscode.l10n.t('HookLens: Copy as cURL'),
        placeHolder: vscode.l10n.t('Signature in the command'),
      },
    );
    if (!mode) return;
    const receiver = this.context.receiver;
    const state = receiver.state;
    const target =
      receiver.forwardTarget?.href ??
      (state.kind === 'listening' ? new URL(record.url, state.url).href : undefined) ??
      (await this.replays.pickTarget(true))?.href;
    if (!target) return;
    let source: DeliveryRecord = record;
    if (mode.mode === 'fresh') {
      const verdict = record.verification.verdict;
      let allowResignFailed = false;
      if (needsResignConfirmation(verdict)) {
        const signAnyway = vscode.l10n.t('Sign Anyway');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t(
            'This delivery failed verification when it was captured ({0}). Sign it anyway?',
            presentVerdict(verdict).label,
          ),
          {
            modal: true,
            detail: vscode.l10n.t(
              "A fresh signature makes it pass your handler's check, although HookLens could not tell it came from the sender: it may be forged or altered.",
            ),
          },
          signAnyway,
        );
        if (answer !== signAnyway) return;
        allowResignFailed = true;
      }
      try {
        // The same signing a fresh-signature replay does; the command carries its headers.
        const fresh = replayRequest(record, { tokenMode: 'fresh', signing, allowResignFailed });
        source = { ...record, headers: fresh.headers };
      } catch (error) {
        if (!(error instanceof ReplayError)) throw error;
        await vscode.window.showWarningMessage(vscode.l10n.t('HookLens: {0}', error.message));
        return;
      }
    }
    const command = curlCommand(source, {
      target,
      authorization: mode.mode === 'redacted' ? 'redacted' : 'original',
    });
    await vscode.env.clipboard.writeText(command);
    void vscode.window.setStatusBarMessage(
      vscode.l10n.t('$(copy) Copied a cURL command for {0}', target),
      5000,
    );
  }

  private async copyBody(ids: readonly string[]): Promise<void> {
    const record = await this.context.targets.single(ids, vscode.l10n.t('copy its body'));
    if (!record) return;
    const bytes = Buffer.from(record.bodyBase64, 'base64');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = record.bodyBase64;
      void vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: the body is not UTF-8 text, so its bytes were copied as base64.'),
      );
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(
      vscode.l10n.t('$(copy) Copied the body ({0} bytes)', bytes.length),
      4000,
    );
  }

  private async copyIds(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: select a delivery to copy its id.'),
      );
      return;
    }
    await vscode.env.clipboard.writeText(ids.join('\n'));
    void vscode.window.setStatusBarMessage(
      ids.length === 1
        ? vscode.l10n.t('$(copy) Copied {0}', ids[0] ?? '')
        : vscode.l10n.t('$(copy) Copied {0} ids', ids.length),
      4000,
    );
  }

  private async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('Select one or more deliveries to delete.'),
      );
      return;
    }
    const receiver = this.context.receiver;
    const refusal = receiver.writeRefusal('delete');
    if (refusal !== undefined) {
      await vscode.window.showWarningMessage(vscode.l10n.t('HookLens: {0}', refusal));
      return;
    }
    // One question for the whole selection (the Delete key included); deleting cannot be undone.
    const deleteButton = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      ids.length === 1
        ? vscode.l10n.t('Delete this delivery?')
        : vscode.l10n.t('Delete {0} deliveries?', ids.length),
      { modal: true, detail: vscode.l10n.t('This cannot be undone.') },
      deleteButton,
    );
    if (answer !== deleteButton) return;
    await this.storeWrite(() => receiver.delete(ids));
  }

  private async clear(): Promise<void> {
    await this.context.storeOpen();
    const receiver = this.context.receiver;
    const refusal = receiver.writeRefusal('clear');
    if (refusal !== undefined) {
      await vscode.window.showWarningMessage(vscode.l10n.t('HookLens: {0}', refusal));
      return;
    }
    const count = receiver.count;
    if (count === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t('There are no deliveries to clear.'),
      );
      return;
    }
    const team = receiver.storeStatus.kind === 'team';
    const clearDeliveries = vscode.l10n.t('Clear Deliveries');
    const answer = await vscode.window.showWarningMessage(
      team
        ? count === 1
          ? vscode.l10n.t(
              'Delete the 1 delivery in the team store, for everyone on the team? This cannot be undone.',
            )
          : vscode.l10n.t(
              'Delete all {0} deliveries in the team store, for everyone on the team? This cannot be undone.',
              count,
            )
        : count === 1
          ? vscode.l10n.t('Delete the 1 stored delivery? This cannot be undone.')
          : vscode.l10n.t('Delete all {0} stored deliveries? This cannot be undone.', count),
      { modal: true },
      clearDeliveries,
    );
    if (answer !== clearDeliveries) return;
    await this.storeWrite(() => receiver.clear());
  }

  private async storeWrite(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}', errorMessage(error)));
    }
  }
}
