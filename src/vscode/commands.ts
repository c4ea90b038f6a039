import * as vscode from 'vscode';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Registers every command from one table, so the manifest and the code are easy to compare. */
export function registerCommands(table: Record<string, CommandHandler>): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

/**
 * For commands whose feature lands in a later version: tell the user plainly instead of doing
 * nothing, and say what works today.
 */
export function notYetAvailable(feature: string): () => Promise<void> {
  return async () => {
    await vscode.window.showInformationMessage(
      `HookLens: ${feature} is not available in this version yet. Capture, verification and inspection come first; see the README's roadmap.`,
    );
  };
}
