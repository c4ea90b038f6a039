import * as vscode from 'vscode';
import type { CommandId } from './commandIds';

export type CommandHandler = (...args: unknown[]) => unknown;

/** The handlers of some commands, by id: what each area's command module returns. */
export type CommandTable<K extends CommandId = CommandId> = Record<K, CommandHandler>;

/**
 * Registers every HookLens command from one table. Typed as the whole `CommandId` union, so a
 * command contributed in package.json but handled by no module fails the typecheck. `before`
 * runs ahead of each handler (the store opens when a HookLens command first runs).
 */
export function registerCommands(
  table: CommandTable,
  before: (id: CommandId) => void = () => undefined,
): vscode.Disposable[] {
  return (Object.entries(table) as [CommandId, CommandHandler][]).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      before(id);
      return handler(...args);
    }),
  );
}

/** Runs a HookLens command by its typed id. */
export function runCommand(id: CommandId, ...args: unknown[]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/**
 * Picks the handlers `ids` from a table keyed by plain strings (a module that predates
 * `CommandId`), failing at activation rather than at the first click when one is missing.
 */
export function pickCommands<K extends CommandId>(
  table: Readonly<Record<string, CommandHandler>>,
  ids: readonly K[],
): CommandTable<K> {
  const picked: Partial<Record<K, CommandHandler>> = {};
  for (const id of ids) {
    const handler = table[id];
    if (handler === undefined) throw new Error(`No handler for the command ${id}.`);
    picked[id] = handler;
  }
  return picked as CommandTable<K>;
}
