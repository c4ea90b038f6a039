import { makeVisible } from '../../src/shared/visibleText';

type Child = Node | string | null | undefined | false;

/**
 * Creates an element. Strings become text nodes (never markup), with invisible and bidi
 * characters made visible: payload-derived text can never produce HTML here. Attributes are for
 * the page's own constants (classes, roles, ids); payload text never goes into one.
 */
export function h(
  tag: string,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(makeVisible(child)) : child);
  }
  return element;
}

export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export interface ButtonOptions {
  readonly icon?: string;
  /** Visible text; with `iconOnly` it becomes the accessible name instead. */
  readonly label: string;
  readonly title?: string;
  readonly iconOnly?: boolean;
  readonly className?: string;
  readonly onClick: (event: MouseEvent) => void;
}

/** A native button (keyboard and screen reader behaviour for free) with a codicon. */
export function button(options: ButtonOptions): HTMLButtonElement {
  const element = h(
    'button',
    { type: 'button', class: options.className ?? 'button' },
    options.icon ? icon(options.icon) : null,
    options.iconOnly ? null : h('span', { class: 'label' }, options.label),
  ) as HTMLButtonElement;
  if (options.iconOnly) element.setAttribute('aria-label', options.label);
  element.title = options.title ?? options.label;
  element.addEventListener('click', options.onClick);
  return element;
}

/** A label/value table in the overview's style. Null values show as a dash. */
export function fieldsTable(
  rows: ReadonlyArray<readonly [string, Node | string | null]>,
): HTMLElement {
  return h(
    'table',
    { class: 'fields' },
    h(
      'tbody',
      {},
      ...rows.map(([label, value]) =>
        h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value ?? '—')),
      ),
    ),
  );
}

/** Only the rows whose value exists: sender views show what the payload has, nothing else. */
export function presentRows(
  rows: ReadonlyArray<readonly [string, Node | string | null]>,
): Array<readonly [string, Node | string]> {
  return rows.filter((row): row is readonly [string, Node | string] => row[1] !== null);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'block' }, h('h2', {}, title), ...children);
}

export function note(iconName: string, ...children: Child[]): HTMLElement {
  return h('p', { class: 'note' }, icon(iconName), h('span', {}, ...children));
}

export function muted(text: string): HTMLElement {
  return h('p', { class: 'muted' }, text);
}
