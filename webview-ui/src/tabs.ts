// An ARIA tablist (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab stop, arrow keys,
// Home and End move between tabs, and moving selects (automatic activation).
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';
import type { TabId } from './context';

export interface TabSpec {
  readonly id: TabId;
  readonly label: string;
  readonly icon: string;
  /** A count shown after the label, e.g. the number of attempts. */
  readonly badge?: string;
}

export function tabElementId(id: TabId): string {
  return `tab-${id}`;
}

export function panelElementId(id: TabId): string {
  return `panel-${id}`;
}

export function renderTabList(
  tabs: readonly TabSpec[],
  selected: TabId,
  onSelect: (id: TabId, focus: boolean) => void,
): HTMLElement {
  const list = h('div', {
    class: 'tabs',
    role: 'tablist',
    'aria-label': l10n.t('Delivery details'),
  });
  for (const tab of tabs) {
    const element = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: tabElementId(tab.id),
        'aria-controls': panelElementId(tab.id),
        'data-tab': tab.id,
      },
      icon(tab.icon),
      h('span', { class: 'label' }, tab.label),
      tab.badge === undefined ? null : h('span', { class: 'badge' }, tab.badge),
    );
    element.addEventListener('click', () => onSelect(tab.id, false));
    list.append(element);
  }
  list.addEventListener('keydown', (event) => {
    const index = tabs.findIndex((tab) => tab.id === selectedTab(list));
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index <= 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const target = next === null ? undefined : tabs[next];
    if (!target) return;
    event.preventDefault();
    onSelect(target.id, true);
  });
  updateTabSelection(list, selected);
  return list;
}

export function updateTabSelection(list: HTMLElement, selected: TabId): void {
  for (const element of list.querySelectorAll<HTMLElement>('[role="tab"]')) {
    const isSelected = element.dataset.tab === selected;
    element.setAttribute('aria-selected', String(isSelected));
    element.tabIndex = isSelected ? 0 : -1;
  }
}

/** The tab button for `id` within `list` (by data attribute: ids need not be unique in tests). */
export function tabButton(list: HTMLElement, id: TabId): HTMLElement | null {
  return list.querySelector<HTMLElement>(`[role="tab"][data-tab="${id}"]`);
}

function selectedTab(list: HTMLElement): string | undefined {
  return list.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.dataset.tab;
}
