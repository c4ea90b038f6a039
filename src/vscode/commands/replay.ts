import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import { DisposableOwner } from '../dispose';
import {
  deliveryIdOfEditUri,
  EditedBodies,
  EDIT_SCHEME,
  SendEditedBodyLens,
} from '../replay/editedBodies';
import type { ReplayCommands } from '../replay/replayCommands';
import type { ReplayFailedOffers } from '../replay/replayFailedOffers';
import type { CommandContext } from './context';

type ReplayCommandId =
  | 'hooklens.replay'
  | 'hooklens.replayWithFreshToken'
  | 'hooklens.replayTo'
  | 'hooklens.editAndReplay'
  | 'hooklens.sendEditedBody'
  | 'hooklens.sendAgain'
  | 'hooklens.useAsForwardTarget'
  | 'hooklens.replayFailed'
  | 'hooklens.dismissReplayFailed';

/**
 * Replay as stored, with a fresh signature, to a URL; Edit and Replay and its Send (the
 * editor-title button and the CodeLens above an edit document). The replaying itself is
 * replay/replayCommands.ts and replay/editedBodies.ts.
 */
export class ReplayCommandModule extends DisposableOwner {
  private readonly edited = this.register(new EditedBodies());

  constructor(
    private readonly context: CommandContext,
    private readonly replays: ReplayCommands,
    private readonly failed: ReplayFailedOffers,
  ) {
    super();
    const receiver = context.receiver;
    this.register(
      vscode.languages.registerCodeLensProvider(
        { scheme: EDIT_SCHEME },
        new SendEditedBodyLens(
          () => receiver.forwardTarget?.host ?? vscode.l10n.t('a URL you choose'),
        ),
      ),
    );
  }

  commands(): CommandTable<ReplayCommandId> {
    const ids = (first: unknown, second: unknown): string[] =>
      this.context.targets.ids(first, second);
    return {
      'hooklens.replay': (first, second) => this.replays.replay(ids(first, second), 'original'),
      'hooklens.replayWithFreshToken': (first, second) =>
        this.replays.replay(ids(first, second), 'fresh'),
      'hooklens.replayTo': (first, second) => this.replays.replayTo(ids(first, second)),
      'hooklens.editAndReplay': (first, second) => this.editAndReplay(ids(first, second)),
      'hooklens.sendEditedBody': (uri) => this.sendEditedBody(uri),
      'hooklens.sendAgain': () => this.replays.sendAgain(),
      'hooklens.useAsForwardTarget': () => this.replays.useAsForwardTarget(),
      'hooklens.replayFailed': () => this.replayFailed(),
      'hooklens.dismissReplayFailed': () => this.failed.dismiss(),
    };
  }

  /**
   * Replays, with a fresh signature as the sender's own retry would have, the deliveries each
   * handler missed before it answered again (core/forward/replayFailed.ts), oldest first.
   */
  private async replayFailed(): Promise<void> {
    await this.context.storeOpen();
    const offer = this.failed.now();
    if (offer === undefined) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'HookLens: no delivery is waiting to be replayed. Replay Failed Deliveries offers the deliveries a handler missed (down, timed out or 5xx) once it answers 2xx again.',
        ),
      );
      return;
    }
    // One handler at a time: each group goes where its route or the forward target sends it now.
    for (const ids of offer.byTarget.values()) await this.replays.replay(ids, 'fresh');
  }

  private async editAndReplay(ids: readonly string[]): Promise<void> {
    const record = await this.context.targets.single(ids, vscode.l10n.t('edit and replay'));
    if (!record) return;
    await this.edited.open(record);
    const target = this.context.receiver.forwardTarget;
    void vscode.window.setStatusBarMessage(
      target
        ? vscode.l10n.t(
            '$(edit) Edit the body, then Send (above the first line) to replay it to {0} with a fresh signature.',
            target.host,
          )
        : vscode.l10n.t(
            '$(edit) Edit the body, then Send (above the first line) to replay it with a fresh signature.',
          ),
      8000,
    );
  }

  private async sendEditedBody(uri: unknown): Promise<void> {
    const documentUri =
      uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const deliveryId = documentUri ? deliveryIdOfEditUri(documentUri) : undefined;
    if (!documentUri || deliveryId === undefined) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'HookLens: open a body with "Edit and Replay" first; Send replays what that editor holds.',
        ),
      );
      return;
    }
    const document = await vscode.workspace.openTextDocument(documentUri);
    await this.replays.sendEdited(document, deliveryId);
  }
}
