import type { CommandTable } from '../commands';
import type { RouteCommands } from '../routes/routeCommands';
import { openSettings } from '../settings';
import type { TeamStoreCommands } from '../store/teamStoreConnection';
import { pickCommands } from '../commands';
import type { CommandContext } from './context';

/** The Health view's commands, whatever draws it. */
export interface HealthCommandsHost {
  reveal(): unknown;
  pickWindow(): unknown;
}

/**
 * Where HookLens is set up and looked at: the team store connection, routes and failure
 * simulation (routes/), Health, the log and the settings.
 */
export function workbenchCommands(
  context: CommandContext,
  modules: {
    readonly teamStore: TeamStoreCommands;
    readonly routes: RouteCommands;
    readonly health: HealthCommandsHost;
  },
): CommandTable<
  | 'hooklens.connectTeamStore'
  | 'hooklens.disconnectTeamStore'
  | 'hooklens.addRouteFromDelivery'
  | 'hooklens.simulateFailures'
  | 'hooklens.stopFailureSimulation'
  | 'hooklens.showHealth'
  | 'hooklens.healthWindow'
  | 'hooklens.showLogs'
  | 'hooklens.openSettings'
> {
  const { teamStore, routes, health } = modules;
  return {
    'hooklens.connectTeamStore': () => teamStore.connect(),
    'hooklens.disconnectTeamStore': () => teamStore.disconnect(),
    ...pickCommands(routes.commands(), [
      'hooklens.addRouteFromDelivery',
      'hooklens.simulateFailures',
      'hooklens.stopFailureSimulation',
    ]),
    'hooklens.showHealth': () => health.reveal(),
    'hooklens.healthWindow': () => health.pickWindow(),
    'hooklens.showLogs': () => context.log.show(true),
    'hooklens.openSettings': () => openSettings(),
  };
}
