import * as vscode from 'vscode';
import { checkSecret, generateSecret } from '../core/secrets/secretPolicy';
import type { SecretStore } from './secrets';

const GENERATE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('sparkle'),
  tooltip: 'Generate a strong secret (copied to the clipboard)',
};

/**
 * Asks for the shared secret in a password box. Empty and key-shaped values are refused, weak ones
 * warned about; the generate button makes a strong one and copies it for the sender's Secret field.
 */
export async function runSetSecretFlow(
  secrets: SecretStore,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const input = vscode.window.createInputBox();
  input.title = 'HookLens: Set Secret';
  input.prompt =
    'The secret your webhook sender signs with (Watson: the Secret field of the log webhook). Stored in VS Code secret storage.';
  input.placeholder = 'Paste the secret, or use the ✨ button to generate one';
  input.password = true;
  input.ignoreFocusOut = true;
  input.buttons = [GENERATE_BUTTON];

  const outcome = await new Promise<'stored' | 'generated' | 'cancelled'>((resolve) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (result: 'stored' | 'generated' | 'cancelled'): void => {
      for (const disposable of disposables) disposable.dispose();
      input.dispose();
      resolve(result);
    };
    disposables.push(
      input.onDidChangeValue((value) => {
        input.validationMessage = validationFor(value);
      }),
      input.onDidTriggerButton(async () => {
        const secret = generateSecret();
        await secrets.set(secret);
        await vscode.env.clipboard.writeText(secret);
        finish('generated');
      }),
      input.onDidAccept(async () => {
        const check = checkSecret(input.value);
        if (!check.ok) {
          input.validationMessage = {
            message: check.error,
            severity: vscode.InputBoxValidationSeverity.Error,
          };
          return;
        }
        input.busy = true;
        await secrets.set(input.value);
        finish('stored');
      }),
      input.onDidHide(() => finish('cancelled')),
    );
    input.show();
  });

  if (outcome === 'generated') {
    log.info('A new secret was generated and stored (value not logged).');
    await vscode.window.showInformationMessage(
      'HookLens generated a strong secret and copied it to the clipboard. Paste it into your sender’s Secret field.',
    );
  } else if (outcome === 'stored') {
    log.info('The secret was updated (value not logged).');
    void vscode.window.setStatusBarMessage('$(key) HookLens secret saved', 4000);
  }
}

function validationFor(value: string): vscode.InputBoxValidationMessage | undefined {
  if (value === '') return undefined;
  const check = checkSecret(value);
  if (!check.ok) return { message: check.error, severity: vscode.InputBoxValidationSeverity.Error };
  const [first] = check.warnings;
  return first
    ? { message: first, severity: vscode.InputBoxValidationSeverity.Warning }
    : undefined;
}
