import * as vscode from 'vscode';
import { DisposableOwner } from '../dispose';

/** A node in the Deliveries tree. Deliveries arrive with the receiver; until then the tree is empty. */
export type DeliveryNode = {
  readonly kind: 'delivery';
  readonly id: string;
  readonly label: string;
};

/**
 * The "Deliveries" view. While it has no children, VS Code shows the welcome content from the
 * manifest (Start Receiver, Set Secret), so the empty state is never a blank panel.
 */
export class DeliveriesTree
  extends DisposableOwner
  implements vscode.TreeDataProvider<DeliveryNode>
{
  private readonly changed = this.register(new vscode.EventEmitter<DeliveryNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<DeliveryNode>;
  private nodes: readonly DeliveryNode[] = [];

  constructor() {
    super();
    this.view = this.register(
      vscode.window.createTreeView('hooklens.deliveries', {
        treeDataProvider: this,
        canSelectMany: true,
        showCollapseAll: true,
      }),
    );
  }

  get count(): number {
    return this.nodes.length;
  }

  getTreeItem(node: DeliveryNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.contextValue = 'delivery';
    item.command = { command: 'hooklens.openDelivery', title: 'Open Delivery', arguments: [node] };
    return item;
  }

  getChildren(node?: DeliveryNode): DeliveryNode[] {
    return node ? [] : [...this.nodes];
  }
}
