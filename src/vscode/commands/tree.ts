import * as vscode from 'vscode';
import { EMPTY_FILTER, GROUP_BY, type GroupBy } from '../../core/deliveries/deliveryView';
import type { CommandTable } from '../commands';
import { SETTINGS_SECTION } from '../settings';
import type { DeliveryTreeNode } from '../tree/deliveriesTree';
import { pickFilter } from '../tree/filterQuickPick';
import type { CommandContext } from './context';

type TreeCommandId =
  | 'hooklens.filter'
  | 'hooklens.clearFilter'
  | 'hooklens.nextFailed'
  | 'hooklens.previousFailed'
  | 'hooklens.groupBy'
  | 'hooklens.showMore';

function groupLabel(groupBy: GroupBy): string {
  switch (groupBy) {
    case 'session':
      return vscode.l10n.t('Session');
    case 'event':
      return vscode.l10n.t('Event');
    case 'endpoint':
      return vscode.l10n.t('Endpoint');
    case 'none':
      return vscode.l10n.t('None (newest first)');
  }
}

/** The Deliveries view's own commands: filter, group, page on, step through failures. */
export function treeCommands(context: CommandContext): CommandTable<TreeCommandId> {
  const { tree, receiver } = context;
  return {
    'hooklens.filter': async () => {
      await context.storeOpen();
      await pickFilter({
        tree,
        deliveries: () => receiver.deliveries,
        read: (id) => receiver.get(id),
      });
    },
    'hooklens.clearFilter': async () => {
      tree.setFilter(EMPTY_FILTER);
      await vscode.commands.executeCommand('setContext', 'hooklens.filtered', false);
    },
    'hooklens.nextFailed': () => stepToFailed(context, 1),
    'hooklens.previousFailed': () => stepToFailed(context, -1),
    'hooklens.groupBy': () => pickGroupBy(context),
    // The "show more" row's own command, with the row.
    'hooklens.showMore': (node) => {
      if (isMoreRow(node)) tree.showMore(node);
    },
  };
}

function isMoreRow(node: unknown): node is DeliveryTreeNode & { kind: 'more' } {
  return typeof node === 'object' && node !== null && Reflect.get(node, 'kind') === 'more';
}

/** `n` / Shift+N in the tree: the next or previous failed delivery, selected and opened. */
async function stepToFailed(context: CommandContext, direction: 1 | -1): Promise<void> {
  const id = context.tree.failedNeighbour(direction);
  if (id === undefined) {
    vscode.window.setStatusBarMessage(
      vscode.l10n.t('HookLens: no failed delivery in the list.'),
      3000,
    );
    return;
  }
  await context.tree.revealDelivery(id);
  context.panels.show(id);
}

async function pickGroupBy(context: CommandContext): Promise<void> {
  const current = context.tree.currentGroupBy;
  const picked = await vscode.window.showQuickPick(
    GROUP_BY.map((value) => ({
      label: groupLabel(value),
      description: value === current ? vscode.l10n.t('current') : undefined,
      value,
    })),
    { title: vscode.l10n.t('HookLens: Group Deliveries By') },
  );
  if (!picked) return;
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('deliveries.groupBy', picked.value, vscode.ConfigurationTarget.Global);
  context.tree.setGroupBy(picked.value);
}
