import * as vscode from 'vscode';
import { providerById } from '../../core/providers/registry';
import type { CommandTable } from '../commands';
import { summariseEntries } from '../secrets';
import { runRemoveSecretFlow, runSetSecretFlow } from '../setSecretFlow';
import type { CommandContext } from './context';

/** Set Secret…, Remove Secret… and Clear All Secrets (the flows are setSecretFlow.ts). */
export function secretCommands(
  context: CommandContext,
): CommandTable<'hooklens.setSecret' | 'hooklens.removeSecret' | 'hooklens.clearSecret'> {
  return {
    'hooklens.setSecret': (provider, second) => setSecret(context, provider, second),
    'hooklens.removeSecret': () => runRemoveSecretFlow(context.secrets, context.log),
    'hooklens.clearSecret': () => clearSecrets(context),
  };
}

/**
 * Set Secret…: a provider id argument skips the pick; otherwise the pick starts on the provider of
 * the delivery the arguments name (the detail panel passes its delivery's id), else of the
 * active panel's or the tree's selected delivery.
 */
function setSecret(context: CommandContext, first: unknown, second: unknown): Promise<void> {
  const given = typeof first === 'string' && providerById(first) ? first : undefined;
  const [delivery] = given === undefined ? context.targets.ids(first, second) : [];
  const preselect = delivery === undefined ? undefined : context.receiver.summary(delivery)?.sender;
  return runSetSecretFlow(context.secrets, context.log, {
    ...(given === undefined ? {} : { provider: given }),
    ...(preselect === undefined ? {} : { preselect }),
  });
}

/** Clear All Secrets: the default secret and every provider's, after one confirmation. */
async function clearSecrets(context: CommandContext): Promise<void> {
  const entries = await context.secrets.entries();
  if (entries.length === 0) {
    await vscode.window.showInformationMessage(vscode.l10n.t('HookLens has no secrets to clear.'));
    return;
  }
  const clearSecrets = vscode.l10n.t('Clear Secrets');
  const answer = await vscode.window.showWarningMessage(
    entries.length === 1
      ? vscode.l10n.t('Clear the HookLens secret?')
      : vscode.l10n.t('Clear all {0} HookLens secrets?', entries.length),
    {
      modal: true,
      detail: vscode.l10n.t(
        '{0}. Deliveries will be accepted but marked unverified until you set secrets again.',
        summariseEntries(entries) || vscode.l10n.t('Verify tokens only'),
      ),
    },
    clearSecrets,
  );
  if (answer !== clearSecrets) return;
  await context.secrets.clearAll();
  context.log.info(
    entries.length === 1
      ? 'The secret was cleared.'
      : `All ${entries.length} secrets were cleared.`,
  );
}
