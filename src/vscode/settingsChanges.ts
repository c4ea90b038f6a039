import * as vscode from 'vscode';
import { errorMessage } from './commands/context';
import type { ReceiverController } from './receiverController';
import { readSettings } from './settings';
import { planSettingsChange } from './settingsPlan';
import type { DeliveriesTree } from './tree/deliveriesTree';

/**
 * Carries out what a change of `hooklens.*` settings asks (the plan is decided in
 * settingsPlan.ts): regroup the tree, then switch the store, restart the receiver, or apply the
 * pipeline's settings to the next delivery.
 */
export async function applySettingsChange(
  event: vscode.ConfigurationChangeEvent,
  parts: {
    readonly receiver: ReceiverController;
    readonly tree: DeliveriesTree;
    readonly log: vscode.LogOutputChannel;
  },
): Promise<void> {
  const { receiver, tree, log } = parts;
  const plan = planSettingsChange((section) => event.affectsConfiguration(section));
  if (!plan) return;
  if (plan.regroup) tree.setGroupBy(readSettings().groupBy);
  switch (plan.receiver) {
    case 'switch-store':
      log.info('hooklens.store.location changed; opening the store it chooses.');
      await receiver.reconsiderStore().catch(() => undefined);
      return;
    case 'restart':
      log.info('Receiver settings changed; restarting the receiver if it runs.');
      try {
        await receiver.restartIfRunning();
      } catch (error) {
        await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}', errorMessage(error)));
      }
      return;
    case 'apply-pipeline':
      await receiver.applyLiveSettings();
      return;
    case 'none':
      // Display settings (grouping, compare masking) and the others leave the pipeline alone.
      return;
  }
}
