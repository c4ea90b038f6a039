// The detail panel's failure-simulation toggle (issue 17): "Answer 500 to the next 3 deliveries"
// from the panel's toolbar, and off again. The page asks only for on or off; the host runs the
// same commands as the palette and tells every panel how the simulation stands.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { buildDeliveryDetail } from '../../src/core/detail/deliveryDetail';
import { parseWebviewMessage, type WebviewToHost } from '../../src/shared/protocol';
import { DetailView } from '../../webview-ui/src/detailView';
import { aDelivery } from './builders';

const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>', {
  pretendToBeVisual: true,
});
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
after(() => dom.window.close());

function detail(id = 'd_01') {
  return buildDeliveryDetail({ ...aDelivery(id), seq: 1 }, { duplicateCount: 0, pinned: false });
}

function newRoot(): HTMLElement {
  const root = document.createElement('main');
  document.body.replaceChildren(root);
  return root;
}

function toggleOf(root: HTMLElement): HTMLButtonElement {
  const toggle = root.querySelector<HTMLButtonElement>('[role="toolbar"] .simulate-toggle');
  assert.ok(toggle, 'the toolbar has a failure-simulation toggle');
  return toggle;
}

describe('webview: the failure-simulation toggle', () => {
  it('off: "Fail next 3", not pressed; a press asks the host for "the next 3"', () => {
    const posts: WebviewToHost[] = [];
    const root = newRoot();
    new DetailView(root, (message) => posts.push(message)).show(detail());
    const toggle = toggleOf(root);
    assert.equal(toggle.getAttribute('aria-label'), 'Failure simulation');
    assert.equal(toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(toggle.textContent?.trim(), 'Fail next 3');
    assert.match(toggle.title, /Answer 500 to the next 3 deliveries/);
    assert.equal(toggle.dataset.action, undefined, 'not a delivery action');
    toggle.click();
    assert.deepEqual(posts, [{ type: 'simulation', action: 'failNext3' }]);
    assert.deepEqual(parseWebviewMessage(posts[0]), posts[0], 'the host accepts it whole');
  });

  it('on: pressed, says what is failed as it counts down, keeps focus; a press asks to stop', () => {
    const posts: WebviewToHost[] = [];
    const root = newRoot();
    const view = new DetailView(root, (message) => posts.push(message));
    view.show(detail());
    const toggle = toggleOf(root);
    toggle.focus();
    view.setSimulation({ text: 'failing the next 3 (500)' });
    assert.equal(toggleOf(root), toggle, 'updated in place');
    assert.equal(document.activeElement, toggle, 'focus stays');
    assert.equal(toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(toggle.textContent?.trim(), 'Failing the next 3 (500)');
    assert.match(toggle.title, /Failure simulation is on: failing the next 3 \(500\)\. .*stop/);
    view.setSimulation({ text: 'failing the next 2 (500)' });
    assert.equal(toggle.textContent?.trim(), 'Failing the next 2 (500)');
    toggle.click();
    assert.deepEqual(posts, [{ type: 'simulation', action: 'stop' }]);
    view.setSimulation(null);
    assert.equal(toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(toggle.textContent?.trim(), 'Fail next 3');
  });

  it('a state that arrived before the delivery, or survives another delivery, is shown', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.setSimulation({ text: 'failing 25% (503)' });
    view.show(detail('d_01'));
    assert.equal(toggleOf(root).getAttribute('aria-pressed'), 'true');
    view.show(detail('d_02'));
    assert.equal(toggleOf(root).textContent?.trim(), 'Failing 25% (503)');
    // It is one of the toolbar's buttons: reachable with the arrow keys, one tab stop.
    const buttons = [
      ...root.querySelectorAll<HTMLElement>('[role="toolbar"] button:not([role="menuitem"])'),
    ];
    assert.equal(buttons.at(-1), toggleOf(root));
    assert.equal(toggleOf(root).tabIndex, -1);
  });

  it('the host takes only on or off from the page: no count, status or extra field', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'simulation', action: 'stop' }), {
      type: 'simulation',
      action: 'stop',
    });
    for (const raw of [
      { type: 'simulation', action: 'failNext100' },
      { type: 'simulation', action: 'failNext3', count: 1000 },
      { type: 'simulation', action: 'failNext3', status: 200 },
      { type: 'simulation' },
      { type: 'simulation', action: 3 },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });
});
