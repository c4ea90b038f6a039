// The one list of HookLens command ids. Registration, menus run from code, the status quick pick
// and the detail panel's buttons all name commands by this type, so a typo or a command left out
// fails the typecheck; test/unit/commandIds.test.ts holds it against package.json both ways.

export const COMMAND_IDS = [
  'hooklens.startReceiver',
  'hooklens.stopReceiver',
  'hooklens.copyUrl',
  'hooklens.copyPublicUrl',
  'hooklens.copyTailCommand',
  'hooklens.setSecret',
  'hooklens.removeSecret',
  'hooklens.clearSecret',
  'hooklens.statusActions',
  'hooklens.clearDeliveries',
  'hooklens.deleteDelivery',
  'hooklens.filter',
  'hooklens.clearFilter',
  'hooklens.nextFailed',
  'hooklens.previousFailed',
  'hooklens.groupBy',
  'hooklens.openDelivery',
  'hooklens.pinDelivery',
  'hooklens.replay',
  'hooklens.replayWithFreshToken',
  'hooklens.replayTo',
  'hooklens.editAndReplay',
  'hooklens.sendEditedBody',
  'hooklens.sendAgain',
  'hooklens.useAsForwardTarget',
  'hooklens.replayFailed',
  'hooklens.dismissReplayFailed',
  'hooklens.compare',
  'hooklens.copyAsCurl',
  'hooklens.copyBody',
  'hooklens.copyId',
  'hooklens.openBody',
  'hooklens.export',
  'hooklens.import',
  'hooklens.generateHandler',
  'hooklens.sendTestEvent',
  'hooklens.saveAsTemplate',
  'hooklens.showHealth',
  'hooklens.healthWindow',
  'hooklens.showLogs',
  'hooklens.openSettings',
  'hooklens.connectTeamStore',
  'hooklens.disconnectTeamStore',
  'hooklens.showMore',
  'hooklens.addRouteFromDelivery',
  'hooklens.simulateFailures',
  'hooklens.stopFailureSimulation',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/**
 * Commands HookLens registers but deliberately does not contribute (run only by its own code, so
 * they need no title). None today; the manifest test lets only these be missing from it.
 */
export const INTERNAL_COMMAND_IDS: readonly CommandId[] = [];

/**
 * Commands that act on deliveries chosen by `resolveDeliveryIds` (selection.ts). With no argument
 * they take the active detail panel's delivery first, so a keybinding scoped to the Deliveries
 * tree must pass the tree-selection argument; the manifest test checks that it does.
 */
export const DELIVERY_COMMAND_IDS: readonly CommandId[] = [
  'hooklens.openDelivery',
  'hooklens.pinDelivery',
  'hooklens.openBody',
  'hooklens.deleteDelivery',
  'hooklens.replay',
  'hooklens.replayWithFreshToken',
  'hooklens.replayTo',
  'hooklens.editAndReplay',
  'hooklens.compare',
  'hooklens.copyAsCurl',
  'hooklens.copyBody',
  'hooklens.copyId',
  'hooklens.export',
  'hooklens.generateHandler',
  'hooklens.saveAsTemplate',
  'hooklens.addRouteFromDelivery',
];

export function isCommandId(value: unknown): value is CommandId {
  return typeof value === 'string' && (COMMAND_IDS as readonly string[]).includes(value);
}
