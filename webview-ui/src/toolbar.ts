// The panel's actions: one primary Replay (a split button whose ▾ holds the other ways to send
// it again), a Copy menu, and a More menu (open the body, pin, compare). An ARIA toolbar with one
// tab stop and arrow keys between its buttons; each menu is an ARIA menu (arrow keys, Home/End,
// Escape back to its button). Actions carry only the delivery id: the host decides the rest. A
// toggle at the end turns failure simulation on ("Answer 500 to the next 3 deliveries") and off.
import * as l10n from '@vscode/l10n';
import type { DeliveryDetail } from '../../src/shared/detail';
import type { DetailAction, SimulationView } from '../../src/shared/protocol';
import type { ViewContext } from './context';
import { h, icon } from './dom';

interface ActionSpec {
  readonly action: DetailAction;
  readonly icon: string;
  readonly label: string;
  readonly title: string;
}

// The words are said when the toolbar is drawn, after the page loaded its l10n bundle.
function replaySpec(): ActionSpec {
  return {
    action: 'replay',
    icon: 'debug-restart',
    label: l10n.t('Replay'),
    title: l10n.t('Send this delivery again to your handler, exactly as it was captured'),
  };
}

function replayMenu(): readonly ActionSpec[] {
  return [
    {
      action: 'replayFresh',
      icon: 'key',
      label: l10n.t('Replay with fresh signature'),
      title: l10n.t(
        "Send again, re-signed the provider's way with its secret and a current timestamp",
      ),
    },
    {
      action: 'replayTo',
      icon: 'send',
      label: l10n.t('Replay to…'),
      title: l10n.t('Send again to another URL'),
    },
    {
      action: 'editAndReplay',
      icon: 'edit',
      label: l10n.t('Edit and Replay…'),
      title: l10n.t('Edit the body in an editor, then send it'),
    },
  ];
}

function copyMenu(): readonly ActionSpec[] {
  return [
    {
      action: 'copyAsCurl',
      icon: 'terminal',
      label: l10n.t('Copy as cURL'),
      title: l10n.t('Copy a curl command that sends this delivery'),
    },
    {
      action: 'copyBody',
      icon: 'copy',
      label: l10n.t('Copy body'),
      title: l10n.t('Copy the whole request body'),
    },
    {
      action: 'copyId',
      icon: 'tag',
      label: l10n.t('Copy delivery ID'),
      title: l10n.t('Copy the delivery id'),
    },
  ];
}

function moreMenu(): readonly ActionSpec[] {
  return [
    {
      action: 'openBody',
      icon: 'go-to-file',
      label: l10n.t('Open body in editor'),
      title: l10n.t('Open the whole body in a read-only editor'),
    },
    {
      action: 'pin',
      icon: 'pin',
      label: l10n.t('Open in new panel'),
      title: l10n.t('Keep this delivery open in a panel of its own'),
    },
    {
      action: 'compare',
      icon: 'diff',
      label: l10n.t('Compare with…'),
      title: l10n.t('Compare with another delivery'),
    },
  ];
}

interface Menu {
  readonly trigger: HTMLButtonElement;
  readonly list: HTMLElement;
  readonly items: HTMLButtonElement[];
}

/** The failure-simulation toggle's words while off; on, it says what is being failed. */
function simulateOffLabel(): string {
  return l10n.t('Fail next 3');
}

function simulateOffTitle(): string {
  return l10n.t(
    'Answer 500 to the next 3 deliveries (failure simulation), to see how the sender retries; then deliveries are answered as usual',
  );
}

/**
 * Shows failure simulation's state on the toolbar's toggle (pressed while it is on), in place so
 * that focus stays where it is.
 */
export function updateSimulationToggle(toolbar: HTMLElement, state: SimulationView | null): void {
  const toggle = toolbar.querySelector<HTMLButtonElement>('.simulate-toggle');
  if (!toggle) return;
  const on = state !== null;
  toggle.setAttribute('aria-pressed', String(on));
  const label = toggle.querySelector('.label');
  if (label) label.textContent = on ? sentenceCase(state.text) : simulateOffLabel();
  const glyph = toggle.querySelector('.codicon');
  if (glyph) glyph.className = `codicon codicon-${on ? 'debug-stop' : 'beaker'}`;
  toggle.title = on
    ? l10n.t(
        'Failure simulation is on: {0}. Those deliveries are stored and marked, not forwarded. Press to stop it.',
        state.text,
      )
    : simulateOffTitle();
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderToolbar(
  detail: DeliveryDetail,
  context: ViewContext,
  simulation: SimulationView | null = null,
): HTMLElement {
  const deliveryId = detail.overview.id;
  const post = (action: DetailAction): void => context.post({ type: 'action', action, deliveryId });
  const menus: Menu[] = [];

  const close = (menu: Menu, focusTrigger: boolean): void => {
    if (menu.list.hidden) return;
    menu.list.hidden = true;
    menu.trigger.setAttribute('aria-expanded', 'false');
    if (focusTrigger) menu.trigger.focus();
  };
  const closeAll = (): void => menus.forEach((menu) => close(menu, false));
  const open = (menu: Menu, focus: 'first' | 'last' | null): void => {
    closeAll();
    menu.list.hidden = false;
    menu.trigger.setAttribute('aria-expanded', 'true');
    const target = focus === 'last' ? menu.items.at(-1) : focus === 'first' ? menu.items[0] : null;
    target?.focus();
  };

  const menu = (
    trigger: HTMLButtonElement,
    specs: readonly ActionSpec[],
    label: string,
  ): { anchor: HTMLElement; menu: Menu } => {
    const items = specs.map((spec) => {
      const item = h(
        'button',
        { type: 'button', role: 'menuitem', tabindex: '-1', class: 'menu-item' },
        icon(spec.icon),
        h('span', { class: 'label' }, spec.label),
      ) as HTMLButtonElement;
      item.title = spec.title;
      item.dataset.action = spec.action;
      return item;
    });
    const list = h('div', { class: 'menu', role: 'menu', 'aria-label': label }, ...items);
    list.hidden = true;
    trigger.setAttribute('aria-haspopup', 'menu');
    trigger.setAttribute('aria-expanded', 'false');
    const created: Menu = { trigger, list, items };
    menus.push(created);
    trigger.addEventListener('click', () =>
      list.hidden ? open(created, 'first') : close(created, true),
    );
    trigger.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        event.stopPropagation();
        open(created, event.key === 'ArrowUp' ? 'last' : 'first');
      }
    });
    items.forEach((item, index) => {
      item.addEventListener('click', () => {
        close(created, true);
        post(specs[index]?.action ?? 'replay');
      });
    });
    list.addEventListener('keydown', (event) => {
      const at = items.findIndex((item) => item === document.activeElement);
      const last = items.length - 1;
      const next =
        event.key === 'ArrowDown'
          ? at >= last
            ? 0
            : at + 1
          : event.key === 'ArrowUp'
            ? at <= 0
              ? last
              : at - 1
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? last
                : null;
      if (event.key === 'Escape') {
        event.preventDefault();
        close(created, true);
      } else if (event.key === 'Tab') {
        close(created, false);
      } else if (next !== null) {
        event.preventDefault();
        items[next]?.focus();
      }
      // The toolbar's arrow keys are for its own buttons, not for menu items.
      event.stopPropagation();
    });
    list.addEventListener('focusout', (event) => {
      const to = event.relatedTarget as Node | null;
      if (to !== null && !list.contains(to) && to !== trigger) close(created, false);
    });
    const anchor = h('div', { class: 'menu-anchor' }, trigger, list);
    return { anchor, menu: created };
  };

  const primary = replaySpec();
  const replay = toolbarButton(primary.icon, primary.label, primary.title, 'button primary');
  replay.dataset.action = primary.action;
  replay.addEventListener('click', () => post(primary.action));
  const replayMore = toolbarButton(
    'chevron-down',
    l10n.t('More ways to replay'),
    l10n.t('Replay with a fresh signature, to another URL, or edited'),
    'button split-toggle',
    true,
  );
  const replayList = menu(replayMore, replayMenu(), primary.label);
  const copy = toolbarButton(
    'copy',
    l10n.t('Copy'),
    l10n.t('Copy as cURL, the body or the id'),
    'button secondary',
  );
  copy.append(icon('chevron-down'));
  const copyList = menu(copy, copyMenu(), l10n.t('Copy'));
  const more = toolbarButton(
    'ellipsis',
    l10n.t('More actions'),
    l10n.t('Open the body, open in a new panel, compare'),
    'icon-button more',
    true,
  );
  const moreList = menu(
    more,
    moreMenu().filter((spec) => !(spec.action === 'pin' && detail.pinned)),
    l10n.t('More actions'),
  );

  // Failure simulation, for the receiver as a whole (not this delivery): a toggle button whose
  // name stays the same and whose pressed state says whether it is on.
  const simulate = toolbarButton(
    'beaker',
    simulateOffLabel(),
    simulateOffTitle(),
    'button secondary toggle simulate-toggle',
  );
  simulate.setAttribute('aria-label', l10n.t('Failure simulation'));
  simulate.setAttribute('aria-pressed', 'false');
  simulate.addEventListener('click', () =>
    context.post({
      type: 'simulation',
      action: simulate.getAttribute('aria-pressed') === 'true' ? 'stop' : 'failNext3',
    }),
  );

  const buttons = [replay, replayMore, copy, more, simulate];
  buttons.forEach((element, index) => (element.tabIndex = index === 0 ? 0 : -1));
  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Delivery actions') },
    h('div', { class: 'split' }, replay, replayList.anchor),
    copyList.anchor,
    moreList.anchor,
    simulate,
  );
  updateSimulationToggle(toolbar, simulation);
  toolbar.addEventListener('keydown', (event) => {
    const index = buttons.findIndex((element) => element === document.activeElement);
    if (index < 0) return;
    const last = buttons.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % buttons.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + buttons.length) % buttons.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    closeAll();
    buttons.forEach((element, position) => (element.tabIndex = position === next ? 0 : -1));
    buttons[next]?.focus();
  });
  // A click anywhere else closes an open menu, as VS Code's own menus do.
  const onMouseDown = (event: MouseEvent): void => {
    if (!toolbar.isConnected) {
      document.removeEventListener('mousedown', onMouseDown);
      return;
    }
    const target = event.target as Node | null;
    for (const open of menus) {
      if (target === null || !open.list.parentElement?.contains(target)) close(open, false);
    }
  };
  document.addEventListener('mousedown', onMouseDown);
  return toolbar;
}

function toolbarButton(
  codicon: string,
  label: string,
  title: string,
  className: string,
  iconOnly = false,
): HTMLButtonElement {
  const element = h(
    'button',
    { type: 'button', class: className },
    icon(codicon),
    iconOnly ? null : h('span', { class: 'label' }, label),
  ) as HTMLButtonElement;
  if (iconOnly) element.setAttribute('aria-label', label);
  element.title = title;
  return element;
}
