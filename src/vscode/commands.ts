import * as vscode from 'vscode';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Registers every command from one table, so the manifest and the code are easy to compare. */
export function registerCommands(table: Record<string, CommandHandler>): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
