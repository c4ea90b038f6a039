import * as vscode from 'vscode';
import { PRODUCT_VERSION } from '../core/productInfo';
import { HookLensApp } from './hookLensApp';
import { configureSharedL10n } from './sharedL10n';

let app: HookLensApp | undefined;

export function activate(context: vscode.ExtensionContext): void {
  configureSharedL10n();
  const log = vscode.window.createOutputChannel('HookLens', { log: true });
  context.subscriptions.push(log);
  try {
    app = new HookLensApp(context, log);
    context.subscriptions.push(app);
    log.info(`HookLens ${PRODUCT_VERSION} activated (VS Code ${vscode.version}).`);
  } catch (error) {
    // Surface activation failure instead of leaving a silent, half-working extension.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    const showLogs = vscode.l10n.t('Show Logs');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('HookLens could not start: {0}', message), showLogs)
      .then((action) => {
        if (action === showLogs) log.show();
      });
  }
}

/**
 * VS Code awaits the promise returned here before the window closes: the receiver stops
 * (in-flight deliveries finish) and the store flushes and releases its lock. It disposes
 * context.subscriptions right after calling this, without waiting; that dispose joins the same
 * shutdown. A window whose store never opened has nothing to wait for.
 */
export function deactivate(): Promise<void> {
  const running = app;
  app = undefined;
  return running?.shutdown() ?? Promise.resolve();
}
