// Journey 7 in a real VS Code: select three captured deliveries, Generate Handler from the tree's
// context menu, and see the generated TypeScript open in new editor tabs; then, with nothing
// selected, pick events from the palette and write Go into the workspace folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import { buildEvent } from '../../src/core/simulate/templates';
import { signToken } from '../../src/core/verify/sign';
import { seededRandom } from '../unit/generateFixtures';
import {
  openHookLensView,
  openWorkbench,
  rowsOfEvent,
  runCommand,
  screenshot,
  setSecret,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const SECRET = 'violet otter violet otter violet otter violet otter';

async function postTemplate(port: number, template: string, index: number): Promise<void> {
  const built = buildEvent(template, {
    nowMs: Date.now() + index,
    random: seededRandom(`${template}${index}`),
  });
  const response = await fetch(`http://127.0.0.1:${port}${built.path}`, {
    method: 'POST',
    body: built.body.toString('utf8'),
    headers: { ...Object.fromEntries(built.headers), Authorization: signToken(SECRET, {}) },
  });
  assert.equal(response.status, 200, await response.text());
}

/** Clicks the quick-pick row containing `text` once the list shows it. */
async function pickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

describe('Generate Handler in a real VS Code', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    workbench = await openWorkbench({
      userSettings: {
        'hooklens.port': port,
        'hooklens.deliveries.groupBy': 'none',
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');

  // Rows lead with what a delivery says (the user's words, the call); the event is in each row's
  // accessible label.
  const watsonRows = () => rowsOfEvent(rows(), 'message_logged');
  const callRows = () => rowsOfEvent(rows(), 'cdr_logged');

  it('select three deliveries, generate TypeScript: five tabs open with typed code', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, 'HookLens: Start Receiver');
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
    await setSecret(page, SECRET);
    await postTemplate(port, 'watson.message_logged', 1);
    await postTemplate(port, 'watson.message_logged', 2);
    await postTemplate(port, 'watson.cdr_logged', 3);
    await callRows().first().waitFor({ state: 'visible' });
    await watsonRows().nth(1).waitFor({ state: 'visible' });

    const deliveries = rowsOfEvent(rows(), 'message_logged', 'cdr_logged');
    assert.equal(await deliveries.count(), 3);
    await deliveries.nth(0).click();
    await deliveries.nth(1).click({ modifiers: ['Control'] });
    await deliveries.nth(2).click({ modifiers: ['Control'] });
    await deliveries.nth(2).click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Generate Handler' });
    await item.first().waitFor({ state: 'visible' });
    await item.first().hover(); // a click while the menu opens is ignored
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');

    await pickRow(page, 'No dependencies');
    await pickRow(page, 'Open in new editor tabs');

    const tabs = page.locator('.tabs-container .tab');
    for (const name of [
      'webhookTypes.ts',
      'webhookHandler.ts',
      'server.ts',
      'webhookHandler.test.ts',
      'package.json', // "type": "module", so the handler runs as an ES module
    ]) {
      await tabs.filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    const active = page.locator('.tabs-container .tab.active');
    // VS Code 1.139 renders a tab's file extension in an element of its own: a line break in innerText.
    await waitForText(active, /webhookHandler\s*\.ts/);
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await waitForText(editor, /cdr_logged/);
    await waitForText(editor, /message_logged/);
    await waitForText(editor, /verifies\sthe\sHS256\sJWT/);
    const toast = page.locator('.notifications-toasts .notification-toast', {
      hasText: 'generated 5 files for 2 events',
    });
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /from 3 deliveries/);
    await page.waitForTimeout(400);
    await screenshot(page, '60-generate-typescript-tabs');

    await tabs.filter({ hasText: 'webhookTypes.ts' }).first().click();
    await waitForText(
      page.locator('.editor-instance .monaco-editor .view-lines').first(),
      /export\sinterface\sCdrLoggedPayload/,
    );
    await page.waitForTimeout(300);
    await screenshot(page, '61-generate-typescript-types');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });

  it('with nothing selected: pick events from the palette and write Go into a folder', async () => {
    const { page } = workbench;
    // Clear the tree's selection (the palette command uses it when there is one).
    await rows().first().click();
    await page.keyboard.press('Escape');
    await runCommand(page, 'HookLens: Generate Handler');
    // Both events are offered, ticked; accept them.
    const eventRows = page.locator('.quick-input-list .monaco-list-row');
    await eventRows.filter({ hasText: 'cdr_logged' }).first().waitFor({ state: 'visible' });
    await waitForText(eventRows.filter({ hasText: 'message_logged' }).first(), /2 deliveries/);
    await screenshot(page, '62-generate-pick-events');
    await page.keyboard.press('Enter');
    await pickRow(page, 'net/http + golang-jwt');
    await pickRow(page, 'Write into a folder');
    // code-server's simple folder dialog offers the workspace folder; accept it.
    const pathInput = page.locator('.quick-input-widget input');
    await pathInput.waitFor({ state: 'visible' });
    for (
      let tries = 0;
      tries < 50 && !/workspace\/?$/.test(await pathInput.inputValue());
      tries++
    ) {
      await page.waitForTimeout(100);
    }
    await page
      .locator('.quick-input-widget .monaco-button', { hasText: /OK|Generate Here/ })
      .first()
      .click();
    const handler = join(workbench.server.workspace, 'handler.go');
    for (let tries = 0; tries < 100 && !existsSync(handler); tries++)
      await page.waitForTimeout(100);
    assert.ok(existsSync(handler), 'handler.go written into the workspace folder');
    const go = readFileSync(handler, 'utf8');
    assert.match(go, /func \(StubHandlers\) OnCdrLogged\(body CdrLoggedPayload\) error/);
    assert.match(go, /func \(StubHandlers\) OnMessageLogged\(body MessageLoggedPayload\) error/);
    assert.ok(!go.includes(SECRET), 'the secret never reaches generated code');
    for (const name of ['webhook_types.go', 'main.go', 'handler_test.go', 'go.mod']) {
      const path = join(workbench.server.workspace, name);
      for (let tries = 0; tries < 100 && !existsSync(path); tries++) await page.waitForTimeout(100);
      assert.ok(existsSync(path), `${name} written`);
    }
    const active = page.locator('.tabs-container .tab.active');
    await waitForText(active, /(^|\s)handler\.go/);
    await page.waitForTimeout(400);
    await screenshot(page, '63-generate-go-folder');
  });
});
