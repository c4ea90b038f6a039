// Issue 16 in a real VS Code: the Getting Started walkthrough opens from the Command Palette,
// shows its five steps, and a step's command link runs the command and ticks the step off; the
// JSON body in the detail panel is one ARIA tree that the arrow keys walk, with one Tab stop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  statusBarItem,
  type Workbench,
} from './workbench';

// Written as text: the order id has more digits than a JavaScript number keeps.
const BODY =
  '{"event":"order.paid","order":{"id":12345678901234567890123,"lines":[{"sku":"A-1","qty":2}]},"customer":"ada"}';

function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe('Getting Started walkthrough and the JSON tree keyboard', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    workbench = await openWorkbench({ userSettings: { 'hooklens.port': port } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens the walkthrough; Start Receiver runs from its step and ticks it off', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickInputItem(page, 'Get Started with HookLens');
    const steps = page.locator('.gettingStartedContainer button.getting-started-step');
    await steps.first().waitFor({ state: 'visible', timeout: 30_000 });
    const titles = (await steps.locator('.step-title').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(titles, [
      'Start the receiver',
      'Send a test event',
      'Set a provider secret',
      'Forward to your handler',
      'Replay and generate a handler',
    ]);
    const start = page.locator('button.getting-started-step[data-step-id$="#startReceiver"]');
    await start.click();
    await screenshot(page, 'w01-walkthrough-start');
    await page
      .locator('.gettingStartedContainer a.monaco-button, .gettingStartedContainer .button-link', {
        hasText: 'Start Receiver',
      })
      .first()
      .click();
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
    // The step's check box ticks: its completion event fired.
    await page
      .locator('[role="checkbox"][aria-checked="true"][data-done-step-id$="#startReceiver"]')
      .waitFor({ state: 'attached', timeout: 15_000 });
    // The step's picture is drawn in the theme's colours (an SVG in the walkthrough's webview).
    const picture = await findWebviewFrame(page, 'svg title');
    assert.match(
      (await picture.locator('svg title').first().textContent()) ?? '',
      /HookLens receiver listening/,
    );
    await page.waitForTimeout(500);
    // Drawn in the theme's colours: the webview's CSP drops <style>, so presentation attributes.
    const colours = await picture.evaluate(() => ({
      frame: getComputedStyle(document.querySelector('svg rect') as Element).fill,
      editor: getComputedStyle(document.documentElement)
        .getPropertyValue('--vscode-editor-background')
        .trim(),
    }));
    assert.notEqual(colours.frame, 'rgb(0, 0, 0)', 'the picture is not painted black');
    assert.equal(colours.frame, hexToRgb(colours.editor));
    await screenshot(page, 'w02-walkthrough-start-done');
  });

  it('the JSON body is one tree that the arrow keys walk', async () => {
    const { page } = workbench;
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/orders`, {
      method: 'POST',
      body: BODY,
      headers: { 'Content-Type': 'application/json' },
    });
    await response.arrayBuffer();
    await openHookLensView(page);
    const row = page.locator('.part.sidebar .monaco-list-row').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    const panel: Frame = await findWebviewFrame(
      page,
      '[role="tablist"][aria-label="Delivery details"]',
    );
    await panel.locator('[role="tab"]', { hasText: 'Request' }).first().click();
    const tree = panel.locator('#panel-request [role="tree"]');
    await tree.waitFor({ state: 'visible' });
    const focusedName = () =>
      panel.evaluate(() => {
        const active = document.activeElement;
        const ids = active?.getAttribute('aria-labelledby')?.split(' ') ?? [];
        return {
          role: active?.getAttribute('role') ?? null,
          level: active?.getAttribute('aria-level') ?? null,
          name: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
        };
      });
    // One Tab stop in the tree: Tab from the search field lands on the root item.
    await panel.locator('#panel-request input[type="search"]').focus();
    await page.keyboard.press('Tab');
    // The Previous/Next match buttons come first.
    for (let step = 0; step < 4; step++) {
      if ((await focusedName()).role === 'treeitem') break;
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(await focusedName(), { role: 'treeitem', level: '1', name: '{ 3 keys }' });
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await focusedName(), {
      role: 'treeitem',
      level: '2',
      name: 'event "order.paid"',
    });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await focusedName(), {
      role: 'treeitem',
      level: '3',
      name: 'id 12345678901234567890123',
    });
    await page.keyboard.press('End');
    assert.deepEqual(await focusedName(), { role: 'treeitem', level: '2', name: 'customer "ada"' });
    await page.keyboard.press('Home');
    assert.equal((await focusedName()).level, '1');
    await page.keyboard.press('ArrowLeft');
    assert.equal(
      await panel.locator('#panel-request [role="tree"] > li').getAttribute('aria-expanded'),
      'false',
    );
    await page.keyboard.press('Enter');
    await screenshot(page, 'w03-json-tree-keyboard');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });
});
