import { makeVisible } from '../../src/shared/visibleText';

type Child = Node | string;

/**
 * Creates an element. Strings become text nodes (never markup), with invisible and bidi
 * characters made visible: payload-derived text can never produce HTML here.
 */
export function h(
  tag: string,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(makeVisible(child)) : child);
  }
  return element;
}

export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}
