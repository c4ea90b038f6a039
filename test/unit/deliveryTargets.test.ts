// The one resolver from command arguments to delivery ids (src/vscode/selection.ts): tree rows,
// a tree multi-selection, ids, the detail panel's context and its editor-title URI, the tree
// keybindings' argument, and no argument at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  resolveDeliveryIds,
  TREE_SELECTION_ARGUMENT,
  type DeliveryContext,
  type TreeNodeLike,
} from '../../src/vscode/selection';

const row = (id: string): TreeNodeLike => ({ kind: 'delivery', id });
const group = (...ids: string[]): TreeNodeLike => ({
  kind: 'group',
  deliveries: ids.map((id) => ({ id })),
});
const context = (selection: TreeNodeLike[], activePanel?: string): DeliveryContext => ({
  selection,
  activePanel,
});
/** What VS Code passes an editor/title action of a webview panel: the panel's own URI. */
const panelUri = { scheme: 'webview-panel', path: 'webview-panel/webview-1', fsPath: '' };

describe('resolveDeliveryIds', () => {
  it('takes a clicked tree row over the selection and the active panel', () => {
    assert.deepEqual(resolveDeliveryIds(row('a1'), undefined, context([row('b2')], 'c3')), {
      ids: ['a1'],
      from: 'arguments',
    });
  });

  it('takes the multi-selection VS Code passes as the second argument, in order, once each', () => {
    const picked = resolveDeliveryIds(row('a1'), [row('a1'), row('b2'), row('a1')], context([]));
    assert.deepEqual(picked, { ids: ['a1', 'b2'], from: 'arguments' });
  });

  it('expands a group to its deliveries, oldest first, unless groups stand for none', () => {
    const newestFirst = group('n3', 'n2', 'n1');
    assert.deepEqual(resolveDeliveryIds(newestFirst, undefined, context([])).ids, [
      'n1',
      'n2',
      'n3',
    ]);
    assert.deepEqual(
      resolveDeliveryIds(newestFirst, [newestFirst, row('x9')], context([]), {
        expandGroups: false,
      }),
      { ids: ['x9'], from: 'arguments' },
    );
  });

  it('a group given alone to a single-delivery command is nothing, not the selection', () => {
    assert.deepEqual(
      resolveDeliveryIds(group('g1'), undefined, context([row('s1')], 'p1'), {
        expandGroups: false,
      }),
      { ids: [], from: 'none' },
    );
  });

  it('takes a delivery id and a list of ids (the panel buttons, other commands)', () => {
    assert.deepEqual(resolveDeliveryIds('d-1_x', undefined, context([row('s1')], 'p1')), {
      ids: ['d-1_x'],
      from: 'arguments',
    });
    assert.deepEqual(resolveDeliveryIds(['a', 'b', 'a'], undefined, context([])).ids, ['a', 'b']);
  });

  it('treats a string that cannot be a delivery id as no argument', () => {
    assert.deepEqual(resolveDeliveryIds('../etc/passwd', undefined, context([row('s1')], 'p1')), {
      ids: ['p1'],
      from: 'panel',
    });
  });

  it("acts on the panel's delivery for its editor-title actions, even when the tree selects another", () => {
    assert.deepEqual(resolveDeliveryIds(panelUri, { groupId: 1 }, context([row('s1')], 'p1')), {
      ids: ['p1'],
      from: 'panel',
    });
  });

  it('never falls back to the tree selection for a panel action with no active panel', () => {
    assert.deepEqual(resolveDeliveryIds(panelUri, undefined, context([row('s1')])), {
      ids: [],
      from: 'none',
    });
  });

  it("takes the id in the detail panel's webview context", () => {
    const webviewContext = { webview: 'hooklens.delivery', deliveryId: 'w1' };
    assert.deepEqual(resolveDeliveryIds(webviewContext, undefined, context([row('s1')], 'p1')), {
      ids: ['w1'],
      from: 'arguments',
    });
    const withoutId = { webview: 'hooklens.delivery', webviewSection: 'body' };
    assert.deepEqual(resolveDeliveryIds(withoutId, undefined, context([row('s1')], 'p1')), {
      ids: ['p1'],
      from: 'panel',
    });
  });

  it('with no argument prefers the active panel, then the tree selection', () => {
    assert.deepEqual(resolveDeliveryIds(undefined, undefined, context([row('s1')], 'p1')), {
      ids: ['p1'],
      from: 'panel',
    });
    assert.deepEqual(resolveDeliveryIds(undefined, undefined, context([row('s1'), row('s2')])), {
      ids: ['s1', 's2'],
      from: 'selection',
    });
    assert.deepEqual(resolveDeliveryIds(undefined, undefined, context([])), {
      ids: [],
      from: 'none',
    });
  });

  it("the tree keybindings' argument means the tree selection over the active panel", () => {
    assert.deepEqual(
      resolveDeliveryIds(TREE_SELECTION_ARGUMENT, undefined, context([row('s1')], 'p1'), {
        expandGroups: false,
      }),
      { ids: ['s1'], from: 'selection' },
    );
    // A focused group row under Delete stands for nothing: deleting a whole group takes a menu.
    assert.deepEqual(
      resolveDeliveryIds(TREE_SELECTION_ARGUMENT, undefined, context([group('g1')], 'p1'), {
        expandGroups: false,
      }),
      { ids: [], from: 'none' },
    );
  });

  it('ignores a "show more" row and unknown objects like a text editor URI', () => {
    assert.deepEqual(resolveDeliveryIds({ kind: 'more' }, undefined, context([row('s1')], 'p1')), {
      ids: [],
      from: 'none',
    });
    const fileUri = { scheme: 'file', path: '/tmp/a.json' };
    assert.deepEqual(resolveDeliveryIds(fileUri, undefined, context([row('s1')])), {
      ids: ['s1'],
      from: 'selection',
    });
  });
});
