// The JSON body as one ARIA tree (issue 16): tree / treeitem / group roles, aria-expanded and
// aria-level, one Tab stop, and the WAI-ARIA tree view keys (Up, Down, Left, Right, Home, End,
// Enter, Space, *), first on hand-written markup through treeKeys.ts, then on JsonTree itself.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import type { WebviewToHost } from '../../src/shared/protocol';
import { JsonTree, newTreeState, parseLossless } from '../../webview-ui/src/jsonTree';
import {
  attachTreeKeys,
  handleTreeKey,
  type TreeKeyHost,
  visibleItems,
} from '../../webview-ui/src/treeKeys';

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());
beforeEach(() => document.body.replaceChildren());

function press(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new dom.window.KeyboardEvent('keydown', {
    key,
    bubbles: true,
    cancelable: true,
    ...init,
  });
  target.dispatchEvent(event);
  return event;
}

function focused(): string {
  const active = document.activeElement as HTMLElement | null;
  return active?.dataset.name ?? active?.textContent?.trim() ?? '';
}

describe('treeKeys on plain ARIA tree markup', () => {
  // a (open) > [a1, a2 (closed) > [a2x]], b (leaf), c (open) > [c1]
  function build(): { tree: HTMLElement; host: TreeKeyHost; calls: string[] } {
    const tree = document.createElement('ul');
    tree.setAttribute('role', 'tree');
    const item = (name: string, children?: HTMLElement[], open = false): HTMLElement => {
      const li = document.createElement('li');
      li.setAttribute('role', 'treeitem');
      li.dataset.name = name;
      li.tabIndex = -1;
      li.append(document.createTextNode(name));
      if (children) {
        li.setAttribute('aria-expanded', String(open));
        const group = document.createElement('ul');
        group.setAttribute('role', 'group');
        group.hidden = !open;
        group.append(...children);
        li.append(group);
      }
      return li;
    };
    tree.append(
      item('a', [item('a1'), item('a2', [item('a2x')])], true),
      item('b'),
      item('c', [item('c1')], true),
    );
    (tree.firstElementChild as HTMLElement).tabIndex = 0;
    document.body.append(tree);
    const calls: string[] = [];
    const host: TreeKeyHost = {
      setExpanded: (element, expanded) => {
        calls.push(`${element.dataset.name}:${expanded}`);
        element.setAttribute('aria-expanded', String(expanded));
        const group = element.querySelector(':scope > [role="group"]') as HTMLElement;
        group.hidden = !expanded;
      },
    };
    attachTreeKeys(tree, host);
    return { tree, host, calls };
  }

  const named = (tree: HTMLElement, name: string): HTMLElement =>
    tree.querySelector(`[data-name="${name}"]`) as HTMLElement;

  it('lists the visible items in reading order, skipping closed groups', () => {
    const { tree } = build();
    assert.deepEqual(
      visibleItems(tree).map((item) => item.dataset.name),
      ['a', 'a1', 'a2', 'b', 'c', 'c1'],
    );
  });

  it('Down and Up walk the visible items and stop at the ends', () => {
    const { tree } = build();
    named(tree, 'a').focus();
    const seen: string[] = [focused()];
    for (let step = 0; step < 6; step++) {
      press(document.activeElement as Element, 'ArrowDown');
      seen.push(focused());
    }
    assert.deepEqual(seen, ['a', 'a1', 'a2', 'b', 'c', 'c1', 'c1']);
    const back: string[] = [];
    for (let step = 0; step < 6; step++) {
      press(document.activeElement as Element, 'ArrowUp');
      back.push(focused());
    }
    assert.deepEqual(back, ['c', 'b', 'a2', 'a1', 'a', 'a']);
  });

  it('Right opens a closed parent, then moves to its first child; nothing on a leaf', () => {
    const { tree, calls } = build();
    named(tree, 'a2').focus();
    press(named(tree, 'a2'), 'ArrowRight');
    assert.deepEqual(calls, ['a2:true']);
    assert.equal(focused(), 'a2', 'opening does not move focus');
    press(named(tree, 'a2'), 'ArrowRight');
    assert.equal(focused(), 'a2x');
    const event = press(named(tree, 'a2x'), 'ArrowRight');
    assert.equal(focused(), 'a2x');
    assert.equal(event.defaultPrevented, true, 'the page does not scroll sideways');
  });

  it('Left closes an open parent, else moves to the parent; nothing at the top level', () => {
    const { tree, calls } = build();
    named(tree, 'c1').focus();
    press(named(tree, 'c1'), 'ArrowLeft');
    assert.equal(focused(), 'c');
    press(named(tree, 'c'), 'ArrowLeft');
    assert.deepEqual(calls, ['c:false']);
    assert.equal(focused(), 'c');
    press(named(tree, 'c'), 'ArrowLeft');
    assert.equal(focused(), 'c');
  });

  it('Home and End go to the first and the last visible item', () => {
    const { tree } = build();
    named(tree, 'b').focus();
    press(named(tree, 'b'), 'End');
    assert.equal(focused(), 'c1');
    press(named(tree, 'c1'), 'Home');
    assert.equal(focused(), 'a');
  });

  it('Enter and Space toggle a parent; * opens every sibling', () => {
    const { tree, calls } = build();
    named(tree, 'a').focus();
    press(named(tree, 'a'), 'Enter');
    press(named(tree, 'a'), ' ');
    press(named(tree, 'a1'), '*');
    assert.deepEqual(calls, ['a:false', 'a:true', 'a2:true']);
  });

  it('keeps exactly one Tab stop, on the item that has focus', () => {
    const { tree } = build();
    named(tree, 'a').focus();
    press(named(tree, 'a'), 'End');
    const stops = [...tree.querySelectorAll<HTMLElement>('[tabindex="0"]')];
    assert.deepEqual(
      stops.map((stop) => stop.dataset.name),
      ['c1'],
    );
    named(tree, 'b').focus();
    assert.deepEqual(
      [...tree.querySelectorAll<HTMLElement>('[tabindex="0"]')].map((stop) => stop.dataset.name),
      ['b'],
    );
  });

  it('leaves keys with modifiers and keys on controls inside items alone', () => {
    const { tree } = build();
    const inner = document.createElement('button');
    named(tree, 'b').append(inner);
    assert.equal(press(inner, 'ArrowDown').defaultPrevented, false);
    assert.equal(press(named(tree, 'b'), 'ArrowDown', { altKey: true }).defaultPrevented, false);
    assert.equal(handleTreeKey(tree, named(tree, 'b'), 'x', { setExpanded: () => {} }), false);
  });
});

describe('the JSON body tree', () => {
  function treeOf(text: string): { tree: JsonTree; list: HTMLElement; posts: WebviewToHost[] } {
    const parsed = parseLossless(text);
    assert.ok(parsed.ok);
    const posts: WebviewToHost[] = [];
    const tree = new JsonTree(parsed.value, newTreeState(), {
      post: (message) => posts.push(message),
      label: 'Search the request body',
    });
    document.body.append(tree.element);
    const list = tree.element.querySelector<HTMLElement>('[role="tree"]');
    assert.ok(list);
    return { tree, list, posts };
  }

  const nameOf = (item: Element): string =>
    (item.getAttribute('aria-labelledby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');

  it('is one ARIA tree: items with levels, positions, aria-expanded and a name of their own', () => {
    const { list } = treeOf('{"a":{"b":[1,2]},"c":"x"}');
    assert.equal(list.getAttribute('aria-label'), 'Request body');
    const items = visibleItems(list);
    assert.deepEqual(
      items.map((item) => [
        nameOf(item),
        item.getAttribute('aria-level'),
        item.getAttribute('aria-posinset'),
        item.getAttribute('aria-setsize'),
        item.getAttribute('aria-expanded'),
      ]),
      [
        ['{ 2 keys }', '1', '1', '1', 'true'],
        ['a { 1 key }', '2', '1', '2', 'true'],
        ['b [ 2 items ]', '3', '1', '1', 'false'],
        ['c "x"', '2', '2', '2', null],
      ],
    );
    for (const group of list.querySelectorAll('ul'))
      assert.equal(group.getAttribute('role'), 'group');
    // One Tab stop: no button, and no other item, is in the Tab order.
    const tabbable = [...list.querySelectorAll<HTMLElement>('button, [tabindex]')].filter(
      (element) => element.tabIndex >= 0,
    );
    assert.deepEqual(tabbable, [items[0]]);
  });

  it('opens, closes and walks with the arrows, and remembers what the keyboard opened', () => {
    const state = newTreeState();
    const parsed = parseLossless('{"a":{"b":[1,2]},"c":"x"}');
    assert.ok(parsed.ok);
    const tree = new JsonTree(parsed.value, state, { post: () => {}, label: 'Search the body' });
    document.body.append(tree.element);
    const list = tree.element.querySelector('[role="tree"]') as HTMLElement;
    const root = visibleItems(list)[0] as HTMLElement;
    root.focus();
    press(root, 'ArrowDown');
    press(document.activeElement as Element, 'ArrowDown');
    const b = document.activeElement as HTMLElement;
    assert.equal(nameOf(b), 'b [ 2 items ]');
    press(b, 'ArrowRight');
    assert.equal(b.getAttribute('aria-expanded'), 'true');
    assert.equal(state.overrides.get('/a/b'), true);
    press(b, 'ArrowRight');
    assert.equal(nameOf(document.activeElement as Element), '0 1');
    press(document.activeElement as Element, 'End');
    assert.equal(nameOf(document.activeElement as Element), 'c "x"');
    press(document.activeElement as Element, 'ArrowLeft');
    assert.equal(document.activeElement, root);
    press(root, 'ArrowLeft');
    assert.equal(root.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(visibleItems(list), [root]);
  });

  it('moves the Tab stop out of a node the mouse closes', () => {
    const { list } = treeOf('{"a":{"b":1}}');
    const [root, a, b] = visibleItems(list) as [HTMLElement, HTMLElement, HTMLElement];
    b.focus();
    (a.querySelector('.jt-toggle') as HTMLElement).click();
    assert.equal(a.getAttribute('aria-expanded'), 'false');
    assert.equal(document.activeElement, a);
    assert.equal(a.tabIndex, 0);
    assert.equal(root.tabIndex, -1);
  });

  it('reaches Show more with the arrows, presses it with Enter and goes on at the new items', () => {
    const items = Array.from({ length: 450 }, (_, index) => index);
    const { list } = treeOf(JSON.stringify({ list: items }));
    const root = visibleItems(list)[0] as HTMLElement;
    root.focus();
    press(root, 'End');
    const more = document.activeElement as HTMLElement;
    assert.equal(more.className, 'jt-more');
    assert.equal(more.getAttribute('role'), 'treeitem');
    assert.equal(nameOf(more), 'Show 200 more (250 not shown)');
    press(more, 'Enter');
    assert.equal(nameOf(document.activeElement as Element), '200 200');
    assert.equal((document.activeElement as HTMLElement).tabIndex, 0);
  });

  it('Ctrl+C on an item copies its value; a search match becomes the Tab stop', () => {
    const { tree, list, posts } = treeOf('{"a":{"b":12345678901234567890123},"c":"x"}');
    const a = visibleItems(list)[1] as HTMLElement;
    a.focus();
    assert.equal(press(a, 'c', { ctrlKey: true }).defaultPrevented, true);
    assert.deepEqual(posts, [{ type: 'copy', text: '{\n  "b": 12345678901234567890123\n}' }]);
    assert.equal(tree.search('x'), 1);
    const match = list.querySelector('.jt-current')?.closest('[role="treeitem"]') as HTMLElement;
    assert.equal(nameOf(match), 'c "x"');
    assert.equal(match.tabIndex, 0);
  });
});
