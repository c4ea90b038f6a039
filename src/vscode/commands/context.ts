import * as vscode from 'vscode';
import type { DeliveryRecord } from '../../core/delivery';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { resolveDeliveryIds, type ResolveOptions, type TreeNodeLike } from '../selection';
import type { DeliveriesTree } from '../tree/deliveriesTree';
import type { DetailPanels } from '../webview/detailPanels';

/** What the command modules share: the receiver and its store, the tree, the panels, the log. */
export interface CommandContext {
  readonly receiver: ReceiverController;
  readonly secrets: SecretStore;
  readonly tree: DeliveriesTree;
  readonly panels: DetailPanels;
  readonly targets: DeliveryTargets;
  readonly log: vscode.LogOutputChannel;
  /** The extension's own folder: its bundled CLI is dist/cli.js there. */
  readonly extensionPath: string;
  /**
   * Resolves once the store is open, or could not be (that is said elsewhere): what lists or
   * counts stored deliveries waits for it when the command is the first thing run in a window.
   */
  readonly storeOpen: () => Promise<void>;
}

/**
 * The deliveries a command acts on (through the one resolver, `resolveDeliveryIds`, over the
 * tree's selection and the active detail panel), and reading them with a message when it fails.
 */
export class DeliveryTargets {
  constructor(
    private readonly receiver: Pick<ReceiverController, 'get'>,
    private readonly selection: () => readonly TreeNodeLike[],
    private readonly activePanel: () => string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The delivery ids for a command's arguments (see `resolveDeliveryIds`). */
  ids(first: unknown, second: unknown, options?: ResolveOptions): string[] {
    return [
      ...resolveDeliveryIds(
        first,
        second,
        { selection: this.selection(), activePanel: this.activePanel() },
        options,
      ).ids,
    ];
  }

  /**
   * The one delivery a single-delivery command acts on, read in full; explains when it cannot.
   * `what` is what the command does, translated: vscode.l10n.t('open its body').
   */
  async single(ids: readonly string[], what: string): Promise<DeliveryRecord | undefined> {
    if (ids.length !== 1) {
      await vscode.window.showInformationMessage(
        ids.length === 0
          ? vscode.l10n.t('HookLens: select a delivery to {0}.', what)
          : vscode.l10n.t('HookLens: select just one delivery to {0}.', what),
      );
      return undefined;
    }
    return this.load(ids[0] ?? '');
  }

  async load(id: string): Promise<DeliveryRecord | undefined> {
    try {
      const record = await this.receiver.get(id);
      if (record) return record;
      await vscode.window.showWarningMessage(
        vscode.l10n.t('HookLens: delivery {0} is no longer stored.', id),
      );
    } catch (error) {
      const reason = errorMessage(error);
      this.log.error(`Reading delivery ${id} failed: ${reason}`);
      await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}', reason));
    }
    return undefined;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
