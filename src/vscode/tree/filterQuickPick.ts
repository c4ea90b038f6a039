import * as vscode from 'vscode';
import { bodySearchNote, bodyTextOf, searchBodies } from '../../core/deliveries/bodySearch';
import {
  isEmptyFilter,
  matchesFilter,
  parseFilter,
  type DeliveryFilter,
} from '../../core/deliveries/deliveryView';
import {
  collectFacets,
  suggestFilter,
  type FilterSuggestion,
} from '../../core/deliveries/filterSuggestions';
import type { DeliveryRecord } from '../../core/delivery';
import type { DeliverySummary } from '../../core/store/types';
import type { DeliveriesTree } from './deliveriesTree';

interface Item extends vscode.QuickPickItem {
  readonly suggestion: FilterSuggestion;
}

const ICONS: Record<FilterSuggestion['kind'], string> = {
  apply: '$(filter)',
  error: '$(error)',
  complete: '$(add)',
  body: '$(search)',
  clear: '$(clear-all)',
};

export interface FilterPickHost {
  readonly tree: DeliveriesTree;
  readonly deliveries: () => readonly DeliverySummary[];
  readonly read: (id: string) => Promise<DeliveryRecord | undefined>;
}

/**
 * The Filter quick pick (issue 16, "Find"): the tree follows what is typed while it is valid, a
 * mistake is the first item (with why), suggestions come from the stored deliveries, Clear
 * Filter is one item away; Escape puts the earlier filter back. `body:` terms are searched
 * when the filter is applied (bounded and cancellable; the view says where it stopped).
 */
export async function pickFilter(host: FilterPickHost): Promise<void> {
  const { tree } = host;
  const before = tree.currentFilter;
  const beforeBodies = tree.currentBodySearch;
  const restore = (): void => tree.setFilter(before, beforeBodies);
  const summaries = host.deliveries();
  const facets = collectFacets(summaries);
  const knownVerdicts = [...facets.verdicts.keys()];
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'HookLens: Filter Deliveries';
  pick.placeholder =
    'is:failed, status:4xx, verdict:…, provider:…, event:…, body:words, or words in the event, summary, path and ids';
  pick.matchOnDescription = false;
  pick.value = before.text === '' ? '' : `${before.text} `;
  let accepted = false;

  const show = (): void => {
    const items = suggestFilter(pick.value, facets, { current: before.text, summaries });
    pick.items = items.map((suggestion) => ({
      label: `${ICONS[suggestion.kind]} ${suggestion.label}`,
      description: suggestion.description,
      detail: suggestion.detail,
      // Every item stays whatever was typed: the first one is the typed text itself.
      alwaysShow: true,
      suggestion,
    }));
    const first = pick.items[0];
    if (first) pick.activeItems = [first];
    const filter = parseFilter(pick.value, { knownVerdicts });
    // The tree follows a valid filter as it is typed (`body:` terms wait for Enter); while the
    // text has a mistake it shows what it showed before the pick opened.
    if (filter.errors.length > 0 || filter.text === before.text) restore();
    else tree.setFilter(filter);
  };

  const done = new Promise<void>((resolve) => {
    pick.onDidChangeValue(show);
    pick.onDidAccept(() => {
      const chosen = pick.activeItems[0]?.suggestion;
      if (!chosen) return;
      if (chosen.kind === 'error') {
        // Stay open: the mistake is the first item, with why.
        return;
      }
      if (chosen.kind === 'complete' || chosen.kind === 'body') {
        pick.value = chosen.value;
        show();
        return;
      }
      const filter = parseFilter(chosen.value, { knownVerdicts });
      accepted = true;
      pick.hide();
      void apply(host, filter).finally(resolve);
    });
    pick.onDidHide(() => {
      if (!accepted) {
        restore();
        resolve();
      }
      pick.dispose();
    });
  });
  show();
  pick.show();
  await done;
}

async function apply(host: FilterPickHost, filter: DeliveryFilter): Promise<void> {
  const { tree } = host;
  if (filter.bodyTerms.length === 0) {
    tree.setFilter(filter);
  } else {
    // Bodies are searched among what the rest of the filter lets through, newest first.
    const candidates = host
      .deliveries()
      .filter((summary) => matchesFilter(summary, { ...filter, bodyTerms: [] }));
    const result = await vscode.window.withProgress(
      {
        // A few bodies read in a blink: no notification flashing up; many: one with Cancel.
        location:
          candidates.length > 200
            ? vscode.ProgressLocation.Notification
            : vscode.ProgressLocation.Window,
        title: 'HookLens: searching bodies',
        cancellable: true,
      },
      (_progress, token) =>
        searchBodies(
          candidates,
          filter.bodyTerms,
          async (id) => {
            const record = await host.read(id).catch(() => undefined);
            return record ? bodyTextOf(record.bodyBase64) : undefined;
          },
          { limit: 2000, timeBudgetMs: 1500, isCancelled: () => token.isCancellationRequested },
        ),
    );
    tree.setFilter(filter, { matches: result.matches, note: bodySearchNote(result) });
  }
  await vscode.commands.executeCommand('setContext', 'hooklens.filtered', !isEmptyFilter(filter));
}
