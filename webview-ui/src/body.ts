// A body (request or response) as a JSON tree when it is JSON, else as raw text; a Tree/Raw
// switch when both make sense. The choice and the tree's state survive live updates.
import * as l10n from '@vscode/l10n';
import { button, h, muted, note } from './dom';
import { treeStateFor, type ViewContext } from './context';
import { JsonTree, parseLossless } from './jsonTree';

export interface BodyViewOptions {
  readonly text: string;
  /** Identifies this body in the view state, e.g. "request" or "attempt:<id>". */
  readonly key: string;
  /** What the search field searches, for screen readers: "Search the request body". */
  readonly label: string;
  /** The tree's own name for screen readers: "Request body". */
  readonly treeLabel?: string;
  /** Shown as a tree when it parses; `expectJson` also says so when it does not. */
  readonly tryJson: boolean;
  readonly expectJson?: boolean;
}

export function bodyView(options: BodyViewOptions, context: ViewContext): HTMLElement {
  if (options.text === '') return muted(l10n.t('Empty body.'));
  const parsed = options.tryJson ? parseLossless(options.text) : null;
  if (!parsed?.ok) {
    return h(
      'div',
      { class: 'body-view' },
      parsed && options.expectJson ? note('warning', l10n.t('Shown raw: {0}', parsed.error)) : null,
      rawView(options.text),
    );
  }
  const content = h('div', { class: 'body-content' });
  const treeButton = modeButton('list-tree', l10n.t('Tree'), () => show('tree'));
  const rawButton = modeButton('file-code', l10n.t('Raw'), () => show('raw'));
  let tree: HTMLElement | null = null;
  let raw: HTMLElement | null = null;
  const show = (mode: 'tree' | 'raw'): void => {
    context.ui.bodyModes.set(options.key, mode);
    treeButton.setAttribute('aria-pressed', String(mode === 'tree'));
    rawButton.setAttribute('aria-pressed', String(mode === 'raw'));
    // Each view is built the first time it is shown, then kept with its scroll and expansion.
    if (mode === 'tree') {
      tree ??= new JsonTree(parsed.value, treeStateFor(context.ui, options.key), {
        post: context.post,
        label: options.label,
        ...(options.treeLabel === undefined ? {} : { treeLabel: options.treeLabel }),
      }).element;
      content.replaceChildren(tree);
    } else {
      raw ??= rawView(options.text);
      content.replaceChildren(raw);
    }
  };
  show(context.ui.bodyModes.get(options.key) ?? 'tree');
  return h(
    'div',
    { class: 'body-view' },
    h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': l10n.t('Body view') },
      treeButton,
      rawButton,
    ),
    content,
  );
}

function modeButton(iconName: string, label: string, onClick: () => void): HTMLButtonElement {
  return button({ icon: iconName, label, className: 'button secondary toggle', onClick });
}

export function rawView(text: string): HTMLElement {
  return h('pre', { class: 'raw', tabindex: '0' }, text);
}
