import * as vscode from 'vscode';
import type { DeliveryRecord } from '../core/delivery';
import { curlCommand } from '../core/export/curl';
import {
  needsResignConfirmation,
  replayRequest,
  ReplayError,
  signingIdentity,
} from '../core/forward/replay';
import { presentVerdict } from '../shared/verdicts';
import type { CommandHandler } from './commands';
import { DisposableOwner } from './dispose';
import { DeliveryDocuments } from './documents/deliveryDocuments';
import type { ReceiverController } from './receiverController';
import {
  deliveryIdOfEditUri,
  EditedBodies,
  EDIT_SCHEME,
  SendEditedBodyLens,
} from './replay/editedBodies';
import { ReplayCommands } from './replay/replayCommands';
import type { SecretStore } from './secrets';
import { readSettings } from './settings';
import type { DetailPanels } from './webview/detailPanels';

/** Where a command's deliveries come from when it was not given any. */
export interface SelectionSource {
  /** Ids from the command's arguments, else the tree selection (see `deliveryIdsFrom`). */
  idsFor(first: unknown, second: unknown): string[];
}

/**
 * The commands that act on stored deliveries: replay (as stored, with a fresh signature, to a
 * URL), edit and replay, compare, open the body. Each takes tree nodes, ids (from the detail panel), or nothing
 * (the tree selection, then the active panel's delivery).
 */
export class DeliveryCommands extends DisposableOwner {
  private readonly replays: ReplayCommands;
  private readonly edited: EditedBodies;
  private readonly documents: DeliveryDocuments;

  constructor(
    private readonly receiver: ReceiverController,
    secrets: SecretStore,
    private readonly panels: DetailPanels,
    private readonly selection: SelectionSource,
    memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.replays = this.register(new ReplayCommands(receiver, secrets, memento, log));
    this.edited = this.register(new EditedBodies());
    this.documents = this.register(new DeliveryDocuments((id) => receiver.get(id)));
    this.register(
      vscode.languages.registerCodeLensProvider(
        { scheme: EDIT_SCHEME },
        new SendEditedBodyLens(() => {
          const target = receiver.forwardTarget;
          return target ? target.host : 'a URL you choose';
        }),
      ),
    );
  }

  commands(): Record<string, CommandHandler> {
    return {
      'hooklens.replay': (first, second) =>
        this.replays.replay(this.ids(first, second), 'original'),
      'hooklens.replayWithFreshToken': (first, second) =>
        this.replays.replay(this.ids(first, second), 'fresh'),
      'hooklens.replayTo': (first, second) => this.replays.replayTo(this.ids(first, second)),
      'hooklens.editAndReplay': (first, second) => this.editAndReplay(this.ids(first, second)),
      'hooklens.sendEditedBody': (uri) => this.sendEditedBody(uri),
      'hooklens.compare': (first, second) => this.compare(this.ids(first, second)),
      'hooklens.openBody': (first, second) => this.openBody(this.ids(first, second)),
      'hooklens.pinDelivery': (first, second) => this.pin(this.ids(first, second)),
      'hooklens.copyAsCurl': (first, second) => this.copyAsCurl(this.ids(first, second)),
      'hooklens.copyBody': (first, second) => this.copyBody(this.ids(first, second)),
      'hooklens.copyId': (first, second) => this.copyIds(this.ids(first, second)),
    };
  }

  /** Arguments first, then the tree selection, then the delivery in the focused panel. */
  ids(first: unknown, second: unknown): string[] {
    const ids = this.selection.idsFor(first, second);
    if (ids.length > 0) return ids;
    const active = this.panels.activeDeliveryId;
    return active ? [active] : [];
  }

  /** The one delivery a single-delivery command acts on, read in full; explains when it cannot. */
  async single(ids: readonly string[], what: string): Promise<DeliveryRecord | undefined> {
    if (ids.length !== 1) {
      await vscode.window.showInformationMessage(
        ids.length === 0
          ? `HookLens: select a delivery to ${what}.`
          : `HookLens: select just one delivery to ${what}.`,
      );
      return undefined;
    }
    return this.load(ids[0] ?? '');
  }

  async load(id: string): Promise<DeliveryRecord | undefined> {
    try {
      const record = await this.receiver.get(id);
      if (record) return record;
      await vscode.window.showWarningMessage(`HookLens: delivery ${id} is no longer stored.`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Reading delivery ${id} failed: ${reason}`);
      await vscode.window.showErrorMessage(`HookLens: ${reason}`);
    }
    return undefined;
  }

  private async pin(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      await vscode.window.showInformationMessage('HookLens: select a delivery to open.');
      return;
    }
    // More than a handful of panels at once is almost certainly a mis-click on a big selection.
    for (const id of ids.slice(0, 5)) this.panels.pin(id);
  }

  private async editAndReplay(ids: readonly string[]): Promise<void> {
    const record = await this.single(ids, 'edit and replay');
    if (!record) return;
    await this.edited.open(record);
    const target = this.receiver.forwardTarget;
    void vscode.window.setStatusBarMessage(
      `$(edit) Edit the body, then Send (above the first line) to replay it${target ? ` to ${target.host}` : ''} with a fresh signature.`,
      8000,
    );
  }

  private async sendEditedBody(uri: unknown): Promise<void> {
    const documentUri =
      uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const deliveryId = documentUri ? deliveryIdOfEditUri(documentUri) : undefined;
    if (!documentUri || deliveryId === undefined) {
      await vscode.window.showInformationMessage(
        'HookLens: open a body with "Edit and Replay" first; Send replays what that editor holds.',
      );
      return;
    }
    const document = await vscode.workspace.openTextDocument(documentUri);
    await this.replays.sendEdited(document, deliveryId);
  }

  private async compare(ids: readonly string[]): Promise<void> {
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
    const [left, right] = await Promise.all(pair.map((id) => this.load(id)));
    if (!left || !right) return;
    await this.documents.compare(left, right, readSettings().maskVolatileOnCompare);
  }

  /** A quick pick of stored deliveries, the same event as `near` first. */
  private async pickOther(near: string | undefined): Promise<string | undefined> {
    const nearEvent = near ? this.receiver.summary(near)?.event : undefined;
    const candidates = this.receiver.deliveries
      .filter((summary) => summary.id !== near)
      .sort((a, b) => Number(b.event === nearEvent) - Number(a.event === nearEvent))
      .slice(0, 500);
    if (candidates.length === 0) {
      await vscode.window.showInformationMessage(
        'HookLens: there is no other delivery to compare with.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((summary) => ({
        label: summary.event ?? '(no event)',
        description: `${new Date(summary.receivedAt).toLocaleString()} · ${summary.status ?? '—'}`,
        detail: `${summary.method} ${summary.url} · ${summary.id}`,
        id: summary.id,
      })),
      {
        title: near ? 'HookLens: Compare With…' : 'HookLens: Compare Deliveries',
        placeHolder: near ? 'The delivery to compare with' : 'The first delivery',
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    return picked?.id;
  }

  /** cURL to the forward target (else the receiver, else a URL the user picks). */
  private async copyAsCurl(ids: readonly string[]): Promise<void> {
    const record = await this.single(ids, 'copy as cURL');
    if (!record) return;
    const signing = await this.replays.signingSettings();
    const canSignFresh =
      signingIdentity(record.sender, record.verification.scheme)?.scheme.sign !== undefined &&
      this.replays.missingSecrets([record.id], signing).length === 0;
    const mode = await vscode.window.showQuickPick(
      [
        {
          label: 'Original signature',
          detail: 'The headers as the sender sent them.',
          mode: 'original' as const,
        },
        ...(canSignFresh
          ? [
              {
                label: 'Fresh signature',
                detail:
                  'Signed now the way the sender signs, with the current secret (valid for minutes); adds X-Replay: true.',
                mode: 'fresh' as const,
              },
            ]
          : []),
        {
          label: 'Redacted credentials',
          detail: 'Safe to paste into a ticket or chat; the handler will refuse it.',
          mode: 'redacted' as const,
        },
      ],
      { title: 'HookLens: Copy as cURL', placeHolder: 'Signature in the command' },
    );
    if (!mode) return;
    const state = this.receiver.state;
    const target =
      this.receiver.forwardTarget?.href ??
      (state.kind === 'listening' ? new URL(record.url, state.url).href : undefined) ??
      (await this.replays.pickTarget(true))?.href;
    if (!target) return;
    let source: DeliveryRecord = record;
    if (mode.mode === 'fresh') {
      const verdict = record.verification.verdict;
      let allowResignFailed = false;
      if (needsResignConfirmation(verdict)) {
        const answer = await vscode.window.showWarningMessage(
          `This delivery failed verification when it was captured (${presentVerdict(verdict).label}). Sign it anyway?`,
          {
            modal: true,
            detail:
              "A fresh signature makes it pass your handler's check, although HookLens could not tell it came from the sender: it may be forged or altered.",
          },
          'Sign Anyway',
        );
        if (answer !== 'Sign Anyway') return;
        allowResignFailed = true;
      }
      try {
        // The same signing a fresh-signature replay does; the command carries its headers.
        const fresh = replayRequest(record, { tokenMode: 'fresh', signing, allowResignFailed });
        source = { ...record, headers: fresh.headers };
      } catch (error) {
        if (!(error instanceof ReplayError)) throw error;
        await vscode.window.showWarningMessage(`HookLens: ${error.message}`);
        return;
      }
    }
    const command = curlCommand(source, {
      target,
      authorization: mode.mode === 'redacted' ? 'redacted' : 'original',
    });
    await vscode.env.clipboard.writeText(command);
    void vscode.window.setStatusBarMessage(`$(copy) Copied a cURL command for ${target}`, 5000);
  }

  private async copyBody(ids: readonly string[]): Promise<void> {
    const record = await this.single(ids, 'copy its body');
    if (!record) return;
    const bytes = Buffer.from(record.bodyBase64, 'base64');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = record.bodyBase64;
      void vscode.window.showInformationMessage(
        'HookLens: the body is not UTF-8 text, so its bytes were copied as base64.',
      );
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`$(copy) Copied the body (${bytes.length} bytes)`, 4000);
  }

  private async copyIds(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      await vscode.window.showInformationMessage('HookLens: select a delivery to copy its id.');
      return;
    }
    await vscode.env.clipboard.writeText(ids.join('\n'));
    void vscode.window.setStatusBarMessage(
      `$(copy) Copied ${ids.length === 1 ? ids[0] : `${ids.length} ids`}`,
      4000,
    );
  }

  private async openBody(ids: readonly string[]): Promise<void> {
    const record = await this.single(ids, 'open its body');
    if (record) await this.documents.openBody(record);
  }
}
