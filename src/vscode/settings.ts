import * as vscode from 'vscode';

/** A typed snapshot of the `hooklens.*` settings, read in one place. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly allowNonLoopbackHost: boolean;
  readonly autoStart: boolean;
}

export const SETTINGS_SECTION = 'hooklens';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    port: config.get<number>('port', 7878),
    host: config.get<string>('host', '127.0.0.1'),
    allowNonLoopbackHost: config.get<boolean>('allowNonLoopbackHost', false),
    autoStart: config.get<boolean>('autoStart', false),
  };
}

/** Settings that need the receiver restarted when they change; the rest apply live. */
export const RECEIVER_RESTART_SETTINGS = ['port', 'host', 'allowNonLoopbackHost'].map(
  (key) => `${SETTINGS_SECTION}.${key}`,
);

export async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:hooklens.hooklens`);
}
