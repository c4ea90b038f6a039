// A collapsible JSON tree. Children are created when a node is first expanded, and long lists a
// chunk at a time, so a large body opens at once. Numbers are lossless-json's LosslessNumber:
// their text is shown exactly as received (an id like 12345678901234567890123 keeps every digit).
import * as l10n from '@vscode/l10n';
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { MAX_WEBVIEW_MESSAGE_CHARS, type WebviewToHost } from '../../src/shared/protocol';
import { button, h, icon } from './dom';
import { attachTreeKeys, focusItem, makeTabStop, tabStop } from './treeKeys';

/** Containers at depth 0 and 1 start open: the first two levels are visible. */
const DEFAULT_OPEN_DEPTH = 2;
/** Children rendered per "Show more" step. */
const CHUNK = 200;
/** Search stops collecting here; more would only slow the page down. */
const MAX_MATCHES = 1000;
/** Deeper bodies are shown raw: the recursive parser and a person both give up long before. */
const MAX_DEPTH = 500;
/** Makes element ids unique across the trees of one page (request body, response bodies...). */
let treeCount = 0;

/** What a tree remembers across re-renders of the same delivery. */
export interface TreeState {
  mode: 'default' | 'all' | 'none';
  /** JSON Pointer → expanded, for nodes the user (or a search) opened or closed. */
  readonly overrides: Map<string, boolean>;
  query: string;
  /** Nodes the current search opened; the next search closes them again. */
  readonly searchOpened: Set<string>;
}

export function newTreeState(): TreeState {
  return { mode: 'default', overrides: new Map(), query: '', searchOpened: new Set() };
}

export type LosslessParse =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Parses with exact numbers. Never JSON.parse for display: it rounds big numbers. */
export function parseLossless(text: string): LosslessParse {
  if (nestingDepth(text) > MAX_DEPTH) {
    return { ok: false, error: l10n.t('The JSON is nested deeper than {0} levels.', MAX_DEPTH) };
  }
  try {
    return { ok: true, value: parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return deepest;
}

type Segment = string | number;

/** RFC 6901, the same syntax as the `hooklens.generic.*Pointer` settings: `/payload/log_id`. */
export function jsonPointer(segments: readonly Segment[]): string {
  return segments
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !isLosslessNumber(value);
}

function entriesOf(value: Record<string, unknown> | unknown[]): Array<[Segment, unknown]> {
  return Array.isArray(value)
    ? value.map((item, index): [Segment, unknown] => [index, item])
    : Object.keys(value).map((key): [Segment, unknown] => [key, value[key]]);
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return value.toString();
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return '';
}

/** The text "Copy value" puts on the clipboard: strings unquoted, containers as JSON. */
export function copyText(value: unknown): string {
  if (!isContainer(value)) return primitiveText(value);
  try {
    return stringify(value, undefined, 2) ?? '';
  } catch {
    return '';
  }
}

interface NodeView {
  readonly segments: readonly Segment[];
  readonly value: unknown;
  readonly depth: number;
  readonly item: HTMLElement;
  readonly row: HTMLElement;
  readonly toggle: HTMLElement | null;
  entries: Array<[Segment, unknown]> | null;
  children: HTMLElement | null;
  rendered: number;
  more: HTMLElement | null;
  expanded: boolean;
}

export interface JsonTreeOptions {
  readonly post: (message: WebviewToHost) => void;
  /** Names the search field for screen readers, e.g. "Search the request body". */
  readonly label: string;
  /** Names the tree itself; by default the label without "Search the": "Request body". */
  readonly treeLabel?: string;
}

function treeLabelFrom(label: string): string {
  const rest = label.replace(/^Search (the )?/i, '');
  return rest === '' ? 'JSON' : rest.charAt(0).toUpperCase() + rest.slice(1);
}

export class JsonTree {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private nodes = new Map<string, NodeView>();
  private readonly byItem = new WeakMap<HTMLElement, NodeView>();
  private readonly idPrefix = `jt${++treeCount}`;
  private idCount = 0;
  private matches: HTMLElement[] = [];
  private current = -1;

  constructor(
    private readonly value: unknown,
    private readonly state: TreeState,
    private readonly options: JsonTreeOptions,
  ) {
    // One ARIA tree: a single Tab stop, arrow keys inside (treeKeys.ts).
    this.list = h('ul', {
      class: 'jt-tree',
      role: 'tree',
      'aria-label': options.treeLabel ?? treeLabelFrom(options.label),
    });
    attachTreeKeys(this.list, {
      setExpanded: (item, expanded) => {
        const node = this.byItem.get(item);
        if (node) this.choose(node, expanded);
      },
    });
    this.list.addEventListener('keydown', (event) => this.copyKey(event));
    this.status = h('span', { class: 'jt-status', role: 'status' });
    this.searchInput = h('input', {
      type: 'search',
      class: 'jt-search',
      placeholder: l10n.t('Search keys and values'),
      'aria-label': options.label,
      spellcheck: 'false',
    }) as HTMLInputElement;
    this.searchInput.value = state.query;
    this.searchInput.addEventListener('input', () => this.search(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape' && this.searchInput.value !== '') {
        this.searchInput.value = '';
        this.search('');
      }
    });
    const controls = h(
      'div',
      { class: 'jt-controls' },
      button({
        icon: 'expand-all',
        label: l10n.t('Expand all'),
        className: 'button secondary',
        onClick: () => this.setAll('all'),
      }),
      button({
        icon: 'collapse-all',
        label: l10n.t('Collapse all'),
        className: 'button secondary',
        onClick: () => this.setAll('none'),
      }),
      h(
        'span',
        { class: 'jt-find' },
        icon('search'),
        this.searchInput,
        button({
          icon: 'arrow-up',
          label: l10n.t('Previous match'),
          iconOnly: true,
          className: 'icon-button',
          onClick: () => this.step(-1),
        }),
        button({
          icon: 'arrow-down',
          label: l10n.t('Next match'),
          iconOnly: true,
          className: 'icon-button',
          onClick: () => this.step(1),
        }),
      ),
      this.status,
    );
    this.element = h('div', { class: 'json-tree' }, controls, this.list);
    this.renderRoot();
    if (state.query !== '') this.search(state.query, false);
  }

  /** Expands or collapses everything; the root stays open so the top-level keys stay in view. */
  setAll(mode: 'all' | 'none'): void {
    this.state.mode = mode;
    this.state.overrides.clear();
    this.state.searchOpened.clear();
    this.renderRoot();
    if (this.state.query !== '') this.search(this.state.query, false);
  }

  /** Finds keys and values containing `query` (any case), opening the nodes that hide them. */
  search(query: string, focusFirst = true): number {
    const changed = query !== this.state.query;
    this.state.query = query;
    if (changed) this.closeSearchOpened();
    for (const element of this.matches) element.classList.remove('jt-match', 'jt-current');
    this.matches = [];
    this.current = -1;
    const needle = query.trim().toLowerCase();
    if (needle === '') {
      this.status.textContent = '';
      return 0;
    }
    const found = this.findPaths(needle);
    for (const segments of found.paths) {
      const row = this.reveal(segments);
      if (row) {
        row.classList.add('jt-match');
        this.matches.push(row);
      }
    }
    const count = this.matches.length;
    this.status.textContent =
      count === 0
        ? l10n.t('No matches')
        : found.capped
          ? l10n.t('{0}+ matches', count)
          : count === 1
            ? l10n.t('1 match')
            : l10n.t('{0} matches', count);
    if (count > 0) this.highlight(0, focusFirst);
    return count;
  }

  /** Opens every ancestor of the node at `segments` and returns its row. */
  reveal(segments: readonly Segment[]): HTMLElement | null {
    let node = this.nodes.get('');
    for (let index = 0; node && index < segments.length; index++) {
      if (!node.expanded) {
        this.setExpanded(node, true);
        // Remembered, so an update of the same delivery keeps what the search opened.
        const pointer = jsonPointer(node.segments);
        this.state.overrides.set(pointer, true);
        this.state.searchOpened.add(pointer);
      }
      const entries = this.entriesFor(node);
      const position = entries.findIndex(([key]) => key === segments[index]);
      if (position < 0) return null;
      if (position >= node.rendered) this.renderChildren(node, position + 1);
      node = this.nodes.get(jsonPointer(segments.slice(0, index + 1)));
    }
    return node?.row ?? null;
  }

  /** Typing "c" on the way to "checking" must not leave half the tree open. */
  private closeSearchOpened(): void {
    for (const pointer of this.state.searchOpened) {
      this.state.overrides.delete(pointer);
      const node = this.nodes.get(pointer);
      if (node) this.setExpanded(node, this.isOpen(node.segments, node.depth));
    }
    this.state.searchOpened.clear();
  }

  private findPaths(needle: string): { paths: Segment[][]; capped: boolean } {
    const paths: Segment[][] = [];
    // Iterative and in document order: a deep body must not overflow the stack.
    const stack: Array<[Segment[], unknown]> = [[[], this.value]];
    while (stack.length > 0) {
      const [segments, value] = stack.pop() as [Segment[], unknown];
      const key = segments.at(-1);
      const keyMatches = typeof key === 'string' && key.toLowerCase().includes(needle);
      const valueMatches =
        !isContainer(value) && primitiveText(value).toLowerCase().includes(needle);
      if (segments.length > 0 && (keyMatches || valueMatches)) {
        if (paths.length === MAX_MATCHES) return { paths, capped: true };
        paths.push(segments);
      }
      if (isContainer(value)) {
        const entries = entriesOf(value);
        for (let index = entries.length - 1; index >= 0; index--) {
          const [childKey, child] = entries[index] as [Segment, unknown];
          stack.push([[...segments, childKey], child]);
        }
      }
    }
    return { paths, capped: false };
  }

  private step(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    const next = (this.current + direction + this.matches.length) % this.matches.length;
    this.highlight(next, true);
  }

  private highlight(index: number, scroll: boolean): void {
    this.matches[this.current]?.classList.remove('jt-current');
    this.current = index;
    const row = this.matches[index];
    if (!row) return;
    row.classList.add('jt-current');
    // Tab from the search field lands on the match, and the arrows go on from there.
    if (row.parentElement) makeTabStop(this.list, row.parentElement);
    if (scroll && typeof row.scrollIntoView === 'function')
      row.scrollIntoView({ block: 'nearest' });
  }

  private renderRoot(): void {
    this.nodes = new Map();
    this.matches = [];
    this.current = -1;
    const root = this.renderNode(null, this.value, [], 0, 1, 1);
    root.tabIndex = 0;
    this.list.replaceChildren(root);
  }

  /** The user opened or closed a node: remembered, and it outlives the search that opened it. */
  private choose(node: NodeView, expanded: boolean): void {
    this.setExpanded(node, expanded);
    const pointer = jsonPointer(node.segments);
    this.state.overrides.set(pointer, node.expanded);
    this.state.searchOpened.delete(pointer);
  }

  /** Ctrl+C (Cmd+C) on an item with nothing selected copies its value, like Copy value. */
  private copyKey(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    if (event.key.toLowerCase() !== 'c') return;
    const target = event.target as HTMLElement | null;
    const node = target ? this.byItem.get(target) : undefined;
    if (!node) return;
    const selection = typeof window.getSelection === 'function' ? window.getSelection() : null;
    if (selection && !selection.isCollapsed && selection.toString() !== '') return;
    event.preventDefault();
    this.copy(copyText(node.value), l10n.t('Copied the value.'));
  }

  private nextId(): string {
    return `${this.idPrefix}-${++this.idCount}`;
  }

  private isOpen(segments: readonly Segment[], depth: number): boolean {
    const override = this.state.overrides.get(jsonPointer(segments));
    if (override !== undefined) return override;
    if (depth === 0) return true;
    if (this.state.mode === 'all') return true;
    if (this.state.mode === 'none') return false;
    return depth < DEFAULT_OPEN_DEPTH;
  }

  private renderNode(
    key: Segment | null,
    value: unknown,
    segments: readonly Segment[],
    depth: number,
    position: number,
    setSize: number,
  ): HTMLElement {
    const keyElement =
      key === null
        ? null
        : typeof key === 'number'
          ? h('span', { class: 'jt-index', id: this.nextId() }, String(key))
          : h('span', { class: 'jt-key', id: this.nextId() }, key);
    const row = h('div', { class: 'jt-row' });
    // Named by its key and value (or summary) only: not by its children, nor its buttons.
    const item = h(
      'li',
      {
        class: 'jt-node',
        role: 'treeitem',
        tabindex: '-1',
        'aria-level': String(depth + 1),
        'aria-posinset': String(position),
        'aria-setsize': String(setSize),
      },
      row,
    );
    let toggle: HTMLElement | null = null;
    let labelElement: HTMLElement;
    if (isContainer(value)) {
      const size = Array.isArray(value) ? value.length : Object.keys(value).length;
      const summary = Array.isArray(value)
        ? `[ ${size} item${size === 1 ? '' : 's'} ]`
        : `{ ${size} key${size === 1 ? '' : 's'} }`;
      labelElement = h('span', { class: 'jt-summary', id: this.nextId() }, summary);
      // A click target for the mouse; the keyboard opens the tree item itself.
      toggle = h('span', { class: 'jt-toggle' }, icon('chevron-right'), keyElement, labelElement);
      item.setAttribute('aria-expanded', 'false');
      row.append(toggle);
    } else {
      row.classList.add('jt-leaf');
      labelElement = valueElement(value);
      labelElement.id = this.nextId();
      row.append(
        ...(keyElement ? [keyElement, h('span', { class: 'jt-colon' }, ':')] : []),
        labelElement,
      );
    }
    item.setAttribute(
      'aria-labelledby',
      keyElement ? `${keyElement.id} ${labelElement.id}` : labelElement.id,
    );
    row.append(this.rowActions(value, segments));
    const node: NodeView = {
      segments,
      value,
      depth,
      item,
      row,
      toggle,
      entries: null,
      children: null,
      rendered: 0,
      more: null,
      expanded: false,
    };
    this.nodes.set(jsonPointer(segments), node);
    this.byItem.set(item, node);
    if (toggle) {
      toggle.addEventListener('click', () => this.choose(node, !node.expanded));
      if (this.isOpen(segments, depth)) this.setExpanded(node, true);
    }
    return item;
  }

  private rowActions(value: unknown, segments: readonly Segment[]): HTMLElement {
    const actions = h(
      'span',
      { class: 'jt-actions' },
      button({
        icon: 'copy',
        label: l10n.t('Copy value'),
        iconOnly: true,
        className: 'icon-button',
        onClick: () => this.copy(copyText(value), l10n.t('Copied the value.')),
      }),
    );
    if (segments.length > 0) {
      actions.append(
        button({
          icon: 'location',
          label: l10n.t('Copy JSON Pointer'),
          title: l10n.t('Copy JSON Pointer (RFC 6901), like /payload/log_id'),
          iconOnly: true,
          className: 'icon-button',
          onClick: () => this.copy(jsonPointer(segments), l10n.t('Copied the JSON Pointer.')),
        }),
      );
    }
    // The tree is one Tab stop: its buttons are for the mouse; Ctrl+C copies from the keyboard.
    for (const action of actions.querySelectorAll('button')) action.tabIndex = -1;
    return actions;
  }

  private copy(text: string, done: string): void {
    if (text.length > MAX_WEBVIEW_MESSAGE_CHARS) {
      this.status.textContent = l10n.t('Too large to copy from here: use Copy body.');
      return;
    }
    this.options.post({ type: 'copy', text });
    this.status.textContent = done;
  }

  private setExpanded(node: NodeView, expanded: boolean): void {
    if (!node.toggle) return;
    node.expanded = expanded;
    node.item.setAttribute('aria-expanded', String(expanded));
    node.toggle.firstElementChild?.setAttribute(
      'class',
      `codicon codicon-${expanded ? 'chevron-down' : 'chevron-right'}`,
    );
    if (expanded && !node.children) {
      node.children = h('ul', { class: 'jt-children', role: 'group' });
      node.item.append(node.children);
      this.renderChildren(node, CHUNK);
    }
    if (node.children) node.children.hidden = !expanded;
    // The Tab stop (and focus) never stays hidden inside a closed node.
    const stop = tabStop(this.list);
    if (!expanded && stop && node.children?.contains(stop)) {
      if (stop.contains(document.activeElement)) focusItem(this.list, node.item);
      else makeTabStop(this.list, node.item);
    }
  }

  private entriesFor(node: NodeView): Array<[Segment, unknown]> {
    node.entries ??= isContainer(node.value) ? entriesOf(node.value) : [];
    return node.entries;
  }

  private renderChildren(node: NodeView, upTo: number): void {
    if (!node.children) return;
    const entries = this.entriesFor(node);
    const end = Math.min(entries.length, Math.max(upTo, node.rendered + CHUNK));
    const more = node.more;
    const moreWasStop = more !== null && more.tabIndex === 0;
    const moreHadFocus = more?.contains(document.activeElement) ?? false;
    more?.remove();
    node.more = null;
    let first: HTMLElement | null = null;
    for (let index = node.rendered; index < end; index++) {
      const [key, child] = entries[index] as [Segment, unknown];
      const item = this.renderNode(
        key,
        child,
        [...node.segments, key],
        node.depth + 1,
        index + 1,
        entries.length,
      );
      first ??= item;
      node.children.append(item);
    }
    node.rendered = end;
    // "Show more" pressed from the keyboard: go on at the first item it brought in.
    if (first && moreHadFocus) focusItem(this.list, first);
    else if (first && moreWasStop) makeTabStop(this.list, first);
    const remaining = entries.length - end;
    if (remaining > 0) {
      const showMore = button({
        icon: 'ellipsis',
        label: l10n.t('Show {0} more ({1} not shown)', Math.min(CHUNK, remaining), remaining),
        className: 'button secondary',
        onClick: () => this.renderChildren(node, node.rendered + CHUNK),
      });
      showMore.tabIndex = -1;
      showMore.id = this.nextId();
      // An item of the tree too, so the arrows reach it; Enter or Space presses its button.
      node.more = h(
        'li',
        {
          class: 'jt-more',
          role: 'treeitem',
          tabindex: '-1',
          'aria-level': String(node.depth + 2),
          'aria-labelledby': showMore.id,
        },
        showMore,
      );
      node.children.append(node.more);
    }
  }
}

function valueElement(value: unknown): HTMLElement {
  if (typeof value === 'string') return h('span', { class: 'jt-value jt-string' }, `"${value}"`);
  if (isLosslessNumber(value) || typeof value === 'number' || typeof value === 'bigint') {
    return h('span', { class: 'jt-value jt-number' }, primitiveText(value));
  }
  if (typeof value === 'boolean') return h('span', { class: 'jt-value jt-boolean' }, String(value));
  return h('span', { class: 'jt-value jt-null' }, primitiveText(value));
}
