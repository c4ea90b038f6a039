import * as vscode from 'vscode';
import { bodySearchNote, searchBodies } from '../../core/deliveries/bodySearch';
import { bodyInputOf } from '../../core/deliveries/bodyTerms';
import {
  isEmptyFilter,
  matchesFilter,
  parseFilter,
  type DeliveryFilter,
} from '../../core/deliveries/deliveryView';
import {
  applyCount,
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
 * Filter is one item away; Escape puts the earlier filter back. `body:` terms are answered by the
 * body index as they are typed once it holds every delivery; before that they are searched when
 * the filter is applied (the index for what it holds, the newest other bodies read directly,
 * bounded and cancellable; the view says where it stopped and that the index is being built).
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
  pick.title = vscode.l10n.t('HookLens: Filter Deliveries');
  pick.placeholder = vscode.l10n.t(
    '{0}, or words in the event, summary, path and ids',
    // Not translated: the filter syntax is the same in every language.
    'is:failed, status:4xx, verdict:…, provider:…, event:…, body:words, body:data.object.amount=2000',
  );
  pick.matchOnDescription = false;
  pick.value = before.text === '' ? '' : `${before.text} `;
  let accepted = false;
  // Built in the background from the first use; a body search uses what it holds.
  const index = tree.bodyIndex;
  let typed = 0;

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
    // The tree follows a valid filter as it is typed (`body:` terms too once the index holds
    // every delivery, else they wait for Enter); while the text has a mistake it shows what it
    // showed before the pick opened.
    const version = ++typed;
    if (filter.errors.length > 0 || filter.text === before.text) restore();
    else if (filter.bodyTerms.length > 0 && index?.progress.ready === true) {
      void search(host, filter, () => false).then((result) => {
        if (version !== typed || accepted) return;
        tree.setFilter(filter, result);
        // The first item counted before the body search: now it can say what the tree shows.
        const [first, ...rest] = pick.items;
        if (first?.suggestion.kind === 'apply')
          pick.items = [
            {
              ...first,
              // The same words as the suggestion's own count (core's applyCount).
              description: applyCount(tree.visibleDeliveries.length, summaries.length),
            },
            ...rest,
          ];
        pick.activeItems = pick.items.slice(0, 1);
      });
    } else tree.setFilter(filter);
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
    const index = tree.bodyIndex;
    const reads = index?.progress.ready === true ? 0 : candidatesFor(host, filter).length;
    const result = await vscode.window.withProgress(
      {
        // Answered by the index, or a few bodies read in a blink: no notification flashing up;
        // many to read: one with Cancel.
        location:
          reads > 200 ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
        title: vscode.l10n.t('HookLens: searching bodies'),
        cancellable: true,
      },
      (_progress, token) => search(host, filter, () => token.isCancellationRequested),
    );
    tree.setFilter(filter, result);
  }
  await vscode.commands.executeCommand('setContext', 'hooklens.filtered', !isEmptyFilter(filter));
}

/** Bodies are searched among what the rest of the filter lets through, newest first. */
function candidatesFor(host: FilterPickHost, filter: DeliveryFilter): DeliverySummary[] {
  return host
    .deliveries()
    .filter((summary) => matchesFilter(summary, { ...filter, bodyTerms: [] }));
}

async function search(
  host: FilterPickHost,
  filter: DeliveryFilter,
  isCancelled: () => boolean,
): Promise<{ readonly matches: ReadonlySet<string>; readonly note: string }> {
  const result = await searchBodies(
    candidatesFor(host, filter),
    filter.bodyTerms,
    async (id) => {
      const record = await host.read(id).catch(() => undefined);
      return record ? bodyInputOf(record) : undefined;
    },
    { limit: 2000, timeBudgetMs: 1500, isCancelled, index: host.tree.bodyIndex },
  );
  return { matches: result.matches, note: bodySearchNote(result) };
}
