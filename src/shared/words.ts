// Counted words said in more than one place (the tree, the Filter pick, the Health view), so each
// has one message to translate.
import * as l10n from '@vscode/l10n';

/** "1 delivery", "4 deliveries". */
export function deliveriesCount(count: number): string {
  return count === 1 ? l10n.t('1 delivery') : l10n.t('{0} deliveries', count);
}
