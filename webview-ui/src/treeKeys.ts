// The keyboard of an ARIA tree, as the WAI-ARIA Authoring Practices tree view pattern describes it
// (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/), over plain markup: an element with
// role="tree" holding role="treeitem" elements; an item with children has aria-expanded and a
// child element with role="group" holding its child items. One item is in the Tab order (roving
// tabindex); the arrows move between the items that are visible.
//
//   Down / Up      next / previous visible item
//   Right          closed parent: open it; open parent: its first child; leaf: nothing
//   Left           open parent: close it; otherwise: its parent
//   Home / End     first / last visible item
//   Enter / Space  parent: open or close; an item holding only a button (Show more): press it
//   *              open every sibling of the item
//
// The module knows nothing of JSON: the tree that uses it says how an item opens and closes.

export interface TreeKeyHost {
  /** Opens or closes a parent item (it may create the children on first open). */
  setExpanded(item: HTMLElement, expanded: boolean): void;
}

const ITEM = 'treeitem';

function isItem(element: Element | null | undefined): element is HTMLElement {
  return element?.getAttribute('role') === ITEM;
}

/** The item's own group of children, if it has one. */
export function groupOf(item: HTMLElement): HTMLElement | null {
  for (const child of item.children) {
    if (child.getAttribute('role') === 'group') return child as HTMLElement;
  }
  return null;
}

function itemsIn(container: Element): HTMLElement[] {
  return [...container.children].filter(isItem);
}

export function isParent(item: HTMLElement): boolean {
  return item.hasAttribute('aria-expanded');
}

export function isExpanded(item: HTMLElement): boolean {
  if (item.getAttribute('aria-expanded') !== 'true') return false;
  const group = groupOf(item);
  return group !== null && !group.hidden;
}

/** The item one level up, or null for a top-level item. */
export function parentItem(tree: HTMLElement, item: HTMLElement): HTMLElement | null {
  let element: Element | null = item.parentElement;
  while (element && element !== tree) {
    if (isItem(element)) return element;
    element = element.parentElement;
  }
  return null;
}

function siblingsOf(tree: HTMLElement, item: HTMLElement): HTMLElement[] {
  const parent = parentItem(tree, item);
  const group = parent ? groupOf(parent) : null;
  // Top-level items may sit in a list inside the tree element.
  return itemsIn(group ?? item.parentElement ?? tree);
}

function lastVisibleIn(item: HTMLElement): HTMLElement {
  let last = item;
  for (;;) {
    const group = isExpanded(last) ? groupOf(last) : null;
    const children = group ? itemsIn(group) : [];
    const child = children.at(-1);
    if (!child) return last;
    last = child;
  }
}

function topLevelItems(tree: HTMLElement): HTMLElement[] {
  const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
  return first ? siblingsOf(tree, first) : [];
}

/** The visible item after `item` in reading order, or null at the end. */
export function nextItem(tree: HTMLElement, item: HTMLElement): HTMLElement | null {
  const group = isExpanded(item) ? groupOf(item) : null;
  const firstChild = group ? itemsIn(group)[0] : undefined;
  if (firstChild) return firstChild;
  for (let current: HTMLElement | null = item; current; current = parentItem(tree, current)) {
    const siblings = siblingsOf(tree, current);
    const next = siblings[siblings.indexOf(current) + 1];
    if (next) return next;
  }
  return null;
}

/** The visible item before `item` in reading order, or null at the start. */
export function previousItem(tree: HTMLElement, item: HTMLElement): HTMLElement | null {
  const siblings = siblingsOf(tree, item);
  const previous = siblings[siblings.indexOf(item) - 1];
  return previous ? lastVisibleIn(previous) : parentItem(tree, item);
}

export function firstItem(tree: HTMLElement): HTMLElement | null {
  return topLevelItems(tree)[0] ?? null;
}

export function lastItem(tree: HTMLElement): HTMLElement | null {
  const last = topLevelItems(tree).at(-1);
  return last ? lastVisibleIn(last) : null;
}

/** Every visible item in reading order (for tests and for finding a home for the Tab stop). */
export function visibleItems(tree: HTMLElement): HTMLElement[] {
  const items: HTMLElement[] = [];
  for (let item = firstItem(tree); item; item = nextItem(tree, item)) items.push(item);
  return items;
}

/** Makes `item` the tree's one Tab stop, without moving focus. */
export function makeTabStop(tree: HTMLElement, item: HTMLElement): void {
  for (const other of tree.querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]')) {
    if (other !== item) other.tabIndex = -1;
  }
  item.tabIndex = 0;
}

/** The item that is the Tab stop now, if any. */
export function tabStop(tree: HTMLElement): HTMLElement | null {
  return tree.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]');
}

export function focusItem(tree: HTMLElement, item: HTMLElement): void {
  makeTabStop(tree, item);
  item.focus();
  if (typeof item.scrollIntoView === 'function') item.scrollIntoView({ block: 'nearest' });
}

/**
 * Acts on a key pressed on `item`. Returns true when the key belonged to the tree (the caller
 * then prevents the default, so the page does not scroll as well).
 */
export function handleTreeKey(
  tree: HTMLElement,
  item: HTMLElement,
  key: string,
  host: TreeKeyHost,
): boolean {
  const move = (target: HTMLElement | null): true => {
    if (target) focusItem(tree, target);
    return true;
  };
  switch (key) {
    case 'ArrowDown':
      return move(nextItem(tree, item));
    case 'ArrowUp':
      return move(previousItem(tree, item));
    case 'Home':
      return move(firstItem(tree));
    case 'End':
      return move(lastItem(tree));
    case 'ArrowRight':
      if (!isParent(item)) return true;
      if (!isExpanded(item)) {
        host.setExpanded(item, true);
        return true;
      }
      return move(groupOf(item) ? (itemsIn(groupOf(item) as HTMLElement)[0] ?? null) : null);
    case 'ArrowLeft':
      if (isParent(item) && isExpanded(item)) {
        host.setExpanded(item, false);
        return true;
      }
      return move(parentItem(tree, item));
    case 'Enter':
    case ' ':
      if (isParent(item)) {
        host.setExpanded(item, !isExpanded(item));
        return true;
      }
      if (!item.querySelector('[role="treeitem"]')) {
        const only = item.querySelector<HTMLElement>('button');
        if (only && item.querySelectorAll('button').length === 1) {
          only.click();
          return true;
        }
      }
      return false;
    case '*':
      for (const sibling of siblingsOf(tree, item)) {
        if (isParent(sibling) && !isExpanded(sibling)) host.setExpanded(sibling, true);
      }
      return true;
    default:
      return false;
  }
}

/**
 * Wires the keyboard to `tree`: keys pressed on an item (not on a button or field inside one)
 * move and open as above, and the item that gets focus, by key or by click, becomes the Tab stop.
 */
export function attachTreeKeys(tree: HTMLElement, host: TreeKeyHost): void {
  tree.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as Element | null;
    if (!isItem(target)) return;
    if (handleTreeKey(tree, target, event.key, host)) event.preventDefault();
  });
  tree.addEventListener('focusin', (event) => {
    const target = event.target as Element | null;
    const item = isItem(target) ? target : target?.closest('[role="treeitem"]');
    if (isItem(item) && tree.contains(item)) makeTabStop(tree, item);
  });
}
