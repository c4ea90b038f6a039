// Journeys of the foundation: the extension activates in a real VS Code, the HookLens view
// container opens with its welcome view, and the status-bar item shows the receiver state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  statusBarItem,
  type Workbench,
} from './workbench';

describe('HookLens in a real VS Code (code-server)', { timeout: 300_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('activates and shows the receiver state in the status bar', async () => {
    const item = statusBarItem(workbench.page);
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await item.innerText()).trim(), /HookLens: off/);
    await screenshot(workbench.page, '01-activated-status-bar');
  });

  it('opens the HookLens view container with the welcome view offering Start Receiver and Set Secret', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    const welcome = page.locator('.welcome-view-content');
    await welcome.waitFor({ state: 'visible' });
    assert.match(await welcome.innerText(), /No deliveries yet/);
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Start Receiver' })
      .waitFor();
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Set Secret' })
      .waitFor();
    await screenshot(page, '02-view-container-welcome');
  });

  it('sets the secret through the password input box, warning about a weak one first', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Set Secret');
    await pickQuickInputItem(page, 'Watson Assistant');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill('short');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: /bytes/ }).waitFor({ state: 'visible' });
    await screenshot(page, '03-set-secret-weak-warning');
    await input.fill('purple unicorn, but long enough to be strong');
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });

    await statusBarItem(page).click();
    const secretRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Set Secret' });
    await secretRow.waitFor({ state: 'visible' });
    assert.match(await secretRow.innerText(), /a secret is set/);
    await screenshot(page, '04-status-actions');
    await page.keyboard.press('Escape');
  });

  it('Generate Handler with nothing captured says what to do first', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Generate Handler');
    const toast = page.locator('.notifications-toasts .notification-toast', {
      hasText: 'capture a delivery with an event name first',
    });
    await toast.waitFor({ state: 'visible' });
    await page.waitForTimeout(400); // let the toast finish sliding in, so the screenshot shows it
    await screenshot(page, '05-generate-nothing-captured');
  });
});
