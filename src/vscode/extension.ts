import * as vscode from 'vscode';
import { PRODUCT_VERSION } from '../core/productInfo';
import { HookLensApp } from './hookLensApp';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('HookLens', { log: true });
  context.subscriptions.push(log);
  try {
    context.subscriptions.push(new HookLensApp(context, log));
    log.info(`HookLens ${PRODUCT_VERSION} activated (VS Code ${vscode.version}).`);
  } catch (error) {
    // Surface activation failure instead of leaving a silent, half-working extension.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window
      .showErrorMessage(`HookLens could not start: ${message}`, 'Show Logs')
      .then((action) => {
        if (action === 'Show Logs') log.show();
      });
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
