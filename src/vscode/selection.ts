// Which deliveries a command acts on, decided from its arguments alone. No vscode import: the
// decisions are unit-tested (test/unit/deliveryTargets.test.ts); the command modules pass in the
// tree's selection and the active detail panel's delivery.

const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The webview panel type of the delivery detail panel (see webview/detailPanel.ts). */
const DETAIL_VIEW_TYPE = 'hooklens.delivery';
/** The URI scheme VS Code gives a webview panel when it passes one to an editor/title action. */
const WEBVIEW_PANEL_SCHEME = 'webview-panel';

/**
 * The tree rows a command can be given, by shape (the Deliveries tree's nodes): a delivery, or a
 * group standing for its deliveries (newest first, as the tree lists them).
 */
export type TreeNodeLike =
  | { readonly kind: 'delivery'; readonly id: string }
  | { readonly kind: 'group'; readonly deliveries: ReadonlyArray<{ readonly id: string }> }
  | { readonly kind: 'more' };

/**
 * The argument a keybinding scoped to the Deliveries tree passes (`"args"` in package.json): the
 * tree has the focus, so its selection is meant even when a detail panel is the active editor.
 */
export const TREE_SELECTION_ARGUMENT = { selection: 'tree' } as const;

/** Where the ids came from, for the message when there are none and for the tests. */
export type DeliveryIdSource = 'arguments' | 'panel' | 'selection' | 'none';

export interface DeliveryTargets {
  readonly ids: readonly string[];
  readonly from: DeliveryIdSource;
}

export interface DeliveryContext {
  /** The Deliveries tree's selection. */
  readonly selection: readonly TreeNodeLike[];
  /** The delivery the active detail panel shows, if a detail panel is the active editor. */
  readonly activePanel: string | undefined;
}

export interface ResolveOptions {
  /** False for commands that act on single deliveries only (Delete): a group stands for none. */
  readonly expandGroups?: boolean;
}

/**
 * The deliveries a command applies to, from what VS Code or HookLens called it with:
 *
 * - `(node, nodes[])` from a tree menu with several rows selected: the selected rows;
 * - a tree row: that delivery, or a group's deliveries (oldest first);
 * - a delivery id, or a list of them (the detail panel's buttons, tests, other commands);
 * - the detail panel's context (`{ webview: 'hooklens.delivery', deliveryId }`) or the panel
 *   itself (an editor/title action gets the panel's `webview-panel:` URI): that panel's delivery,
 *   never the tree's selection, which may be another delivery;
 * - the tree-selection argument of the tree's keybindings: the tree's selection;
 * - nothing (the command palette, a walkthrough link): the active panel's delivery, else the
 *   tree's selection.
 *
 * Ids come out unique, in the order given. An id-like string that is not a delivery id counts as
 * no argument.
 */
export function resolveDeliveryIds(
  first: unknown,
  second: unknown,
  context: DeliveryContext,
  options: ResolveOptions = {},
): DeliveryTargets {
  const expandGroups = options.expandGroups ?? true;
  const fromSelection = (): DeliveryTargets =>
    result(idsOf([...context.selection], expandGroups), 'selection');
  const fromPanel = (): DeliveryTargets =>
    context.activePanel === undefined ? result([], 'none') : result([context.activePanel], 'panel');

  if (Array.isArray(second) && second.length > 0) {
    const ids = idsOf(second, expandGroups);
    if (ids.length > 0 || second.some(isTreeNode)) return result(ids, 'arguments');
  }
  if (isTreeSelectionArgument(first)) return fromSelection();
  if (isPanelContext(first)) {
    const id: unknown = Reflect.get(first, 'deliveryId');
    return typeof id === 'string' && DELIVERY_ID.test(id) ? result([id], 'arguments') : fromPanel();
  }
  if (isTreeNode(first) || typeof first === 'string' || Array.isArray(first)) {
    const ids = idsOf(first, expandGroups);
    if (ids.length > 0 || isTreeNode(first)) return result(ids, 'arguments');
  }
  const panel = fromPanel();
  return panel.ids.length > 0 ? panel : fromSelection();
}

function result(ids: readonly string[], from: DeliveryIdSource): DeliveryTargets {
  const unique = [...new Set(ids)];
  return { ids: unique, from: unique.length === 0 ? 'none' : from };
}

function idsOf(value: unknown, expandGroups: boolean): string[] {
  if (typeof value === 'string') return DELIVERY_ID.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => idsOf(item, expandGroups));
  if (!isTreeNode(value)) return [];
  if (value.kind === 'delivery') return DELIVERY_ID.test(value.id) ? [value.id] : [];
  if (value.kind === 'group' && expandGroups) {
    // The tree lists a group newest first; its deliveries are acted on in the order received.
    return value.deliveries
      .map((summary) => summary.id)
      .filter((id) => DELIVERY_ID.test(id))
      .reverse();
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTreeNode(value: unknown): value is TreeNodeLike {
  if (!isRecord(value)) return false;
  if (value.kind === 'delivery') return typeof value.id === 'string';
  if (value.kind === 'group') return Array.isArray(value.deliveries);
  return value.kind === 'more';
}

function isTreeSelectionArgument(value: unknown): boolean {
  return isRecord(value) && value.selection === TREE_SELECTION_ARGUMENT.selection;
}

/** The detail panel's webview context, or the panel's own URI (what editor/title passes). */
function isPanelContext(value: unknown): value is object {
  if (!isRecord(value)) return false;
  if (value.webview === DETAIL_VIEW_TYPE) return true;
  return value.scheme === WEBVIEW_PANEL_SCHEME;
}
