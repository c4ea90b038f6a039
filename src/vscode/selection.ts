import type { DeliveryTreeNode } from './tree/deliveriesTree';

const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The deliveries a command applies to. VS Code calls tree commands with (clicked node, selected
 * nodes); the detail panel and tests call them with an id or a list of ids. Anything else falls
 * back to the tree's selection. Ids come out unique, in the order given.
 */
export function deliveryIdsFrom(
  first: unknown,
  second: unknown,
  selection: readonly DeliveryTreeNode[],
): string[] {
  const fromArgument = (value: unknown): string[] => {
    if (typeof value === 'string') return DELIVERY_ID.test(value) ? [value] : [];
    if (Array.isArray(value)) return value.flatMap(fromArgument);
    if (typeof value === 'object' && value !== null) {
      const node = value as DeliveryTreeNode;
      if (node.kind === 'delivery' && typeof node.id === 'string') return [node.id];
      // A group (a session, an event) stands for every delivery in it, oldest first.
      if (node.kind === 'group') {
        const members: ReadonlyArray<{ readonly id: string }> = node.deliveries;
        return members.map((summary) => summary.id).reverse();
      }
      return [];
    }
    return [];
  };
  const chosen = Array.isArray(second) && second.length > 0 ? second : first;
  const ids = fromArgument(chosen);
  return [...new Set(ids.length > 0 ? ids : fromArgument([...selection]))];
}
