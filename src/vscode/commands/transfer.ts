import * as vscode from 'vscode';
import type { CommandTable } from '../commands';
import type { GenerateCommand } from '../generate/generateCommand';
import type { TestEventCommands } from '../simulate/testEvents';
import type { TransferCommands } from '../transferCommands';
import type { CommandContext } from './context';

/**
 * What moves deliveries in or out: export and import (transferCommands.ts), generate a handler
 * from them (generate/), and test events to and from them (simulate/). Each module does the work;
 * this only says which deliveries.
 */
export function transferCommands(
  context: CommandContext,
  modules: {
    readonly transfers: TransferCommands;
    readonly generator: GenerateCommand;
    readonly testEvents: TestEventCommands;
  },
): CommandTable<
  | 'hooklens.export'
  | 'hooklens.import'
  | 'hooklens.generateHandler'
  | 'hooklens.sendTestEvent'
  | 'hooklens.saveAsTemplate'
> {
  const { targets } = context;
  const { transfers, generator, testEvents } = modules;
  return {
    'hooklens.export': (first, second) => transfers.export(targets.ids(first, second)),
    'hooklens.import': () => transfers.import(),
    'hooklens.generateHandler': async (first, second) => {
      await context.storeOpen();
      // From the palette (no arguments) the event checklist is shown, the selection ticked in it.
      const fromPalette = first === undefined && second === undefined;
      await generator.run(targets.ids(first, second), { fromPalette });
    },
    // The welcome view's button passes 'quick': one click sends a first event.
    'hooklens.sendTestEvent': (how) =>
      how === 'quick' ? testEvents.sendFirstTestEvent() : testEvents.sendTestEvent(),
    'hooklens.saveAsTemplate': async (first, second) => {
      const record = await targets.single(
        targets.ids(first, second),
        vscode.l10n.t('save it as a template'),
      );
      if (record) await testEvents.saveAsTemplate(record);
    },
  };
}
