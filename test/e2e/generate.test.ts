// Journey 7 in a real VS Code: select three captured deliveries, Generate Handler from the tree's
// context menu, and see the generated TypeScript written into the proposed folder with no red
// errors; then, from the palette, the event checklist with the selected delivery ticked, Back,
// and Go written into its proposed folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
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

const root = join(__dirname, '..', '..');

/** The quick input's title, which ends with the step ("(2/3)") in a multi-step flow. */
function quickInputTitle(page: Page) {
  return page.locator('.quick-input-widget .quick-input-title');
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

  /** Errors and warnings in the Problems status item ("⊗ 2 ⚠ 0"). */
  async function problemCounts(page: Page): Promise<{ errors: number; warnings: number }> {
    const text = await page.locator('.statusbar-item[id="status.problems"]').innerText();
    const [errors = NaN, warnings = NaN] = (text.match(/\d+/g) ?? []).map(Number);
    return { errors, warnings };
  }

  async function waitForErrors(
    page: Page,
    matches: (errors: number) => boolean,
    timeoutMs = 60_000,
    explain = true,
  ): Promise<number> {
    let errors = NaN;
    for (let tries = 0; tries < timeoutMs / 100; tries++) {
      ({ errors } = await problemCounts(page));
      if (matches(errors)) return errors;
      await page.waitForTimeout(100);
    }
    if (!explain) throw new Error(`the Problems count stayed at ${errors} errors`);
    // Say which: the Problems panel lists them.
    await runCommand(page, 'View: Focus Problems');
    const problems = await page
      .locator('.part.panel')
      .innerText()
      .catch(() => '');
    throw new Error(`the Problems count stayed at ${errors} errors:\n${problems}`);
  }

  it('select three deliveries, generate TypeScript: written into a proposed folder, no red errors', async () => {
    const { page } = workbench;
    // A TypeScript project has @types/node (as the workspace of a Node handler does); the
    // proposed folder is inside it, so the generated files find it as they would there.
    const workspace = workbench.server.workspace;
    await cp(
      join(root, 'node_modules', '@types', 'node'),
      join(workspace, 'node_modules', '@types', 'node'),
      {
        recursive: true,
      },
    );
    await cp(
      join(root, 'node_modules', 'undici-types'),
      join(workspace, 'node_modules', 'undici-types'),
      {
        recursive: true,
      },
    );
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

    // From the context menu the selection is used: two steps, language then destination.
    await waitForText(quickInputTitle(page), /\(1\/2\)/);
    await pickRow(page, 'No dependencies');
    await waitForText(quickInputTitle(page), /\(2\/2\)/);
    const proposed = page.locator('.quick-input-list .monaco-list-row').first();
    await waitForText(proposed, /Write into watson-webhook-typescript\//);
    // The mouse away from the list, so no row's tooltip covers the next one.
    await page.mouse.move(700, 800);
    await page.waitForTimeout(300);
    await screenshot(page, '59-generate-proposed-folder');
    await page.keyboard.press('Enter');

    const folder = join(workspace, 'watson-webhook-typescript');
    const tabs = page.locator('.tabs-container .tab');
    for (const name of [
      'webhookTypes.ts',
      'webhookHandler.ts',
      'server.ts',
      'webhookHandler.test.ts',
      'package.json', // "type": "module", so the handler runs as an ES module
    ]) {
      await tabs.filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.ok(existsSync(join(folder, name)), `${name} written into the proposed folder`);
    }
    assert.match(readFileSync(join(folder, 'tsconfig.json'), 'utf8'), /"module": "NodeNext"/);
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

    // The TypeScript service reports on the open files: first shown to be live (a probe file
    // with a type error is counted), then, the probe closed, nothing red in the generated files.
    writeFileSync(join(workspace, 'probe.ts'), 'export const broken: number = "text";\n');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('probe.ts');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'probe.ts' })
      .first()
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: 'probe.ts' }).waitFor();
    await waitForErrors(page, (errors) => errors >= 1);
    await page
      .locator('.tabs-container .tab', { hasText: 'probe.ts' })
      .locator('.tab-actions .action-label')
      .click();
    await page
      .locator('.tabs-container .tab', { hasText: 'probe.ts' })
      .waitFor({ state: 'detached' });
    await tabs.filter({ hasText: 'webhookHandler.ts' }).first().click();
    await waitForErrors(page, (errors) => errors === 0);
    assert.equal(await page.locator('.monaco-editor .squiggly-error').count(), 0);
    await page.waitForTimeout(400);
    await screenshot(page, '60-generate-typescript-folder');

    await tabs.filter({ hasText: 'webhookTypes.ts' }).first().click();
    await waitForText(
      page.locator('.editor-instance .monaco-editor .view-lines').first(),
      /export\sinterface\sCdrLoggedPayload/,
    );
    await page.waitForTimeout(300);
    assert.equal((await problemCounts(page)).errors, 0, 'no errors in the types either');
    await screenshot(page, '61-generate-typescript-types');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });

  it('from the palette: the checklist with the selection ticked; Back; Go into a proposed folder', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    await openHookLensView(page);
    // One delivery selected (the palette's Escape leaves a single focused row selected).
    await callRows().first().click();
    await runCommand(page, 'HookLens: Generate Handler');
    await waitForText(quickInputTitle(page), /\(1\/3\)/);
    const eventRows = page.locator('.quick-input-list .monaco-list-row');
    const selectedRow = eventRows.filter({ hasText: 'The selected delivery' }).first();
    await waitForText(selectedRow, /cdr_logged/);
    assert.equal(await selectedRow.getAttribute('aria-checked'), 'true', 'the selection is ticked');
    const messages = eventRows.filter({ hasText: 'message_logged' }).first();
    await waitForText(messages, /2 deliveries/);
    assert.equal(await messages.getAttribute('aria-checked'), 'false');
    await page.waitForTimeout(300);
    await screenshot(page, '62-generate-pick-events');
    // Tick message_logged too: every delivery of it is used.
    await messages.locator('.monaco-custom-toggle, input[type="checkbox"]').first().click();
    await waitForText(page.locator('.quick-input-widget'), /2 Selected/);
    await screenshot(page, '62b-generate-events-ticked');
    await page.keyboard.press('Enter');
    await waitForText(quickInputTitle(page), /\(2\/3\)/);
    await pickRow(page, 'net/http + golang-jwt');
    await waitForText(quickInputTitle(page), /\(3\/3\)/);
    // Back to the language, and on again.
    await page.locator('.quick-input-widget .action-label.codicon-quick-input-back').click();
    await waitForText(quickInputTitle(page), /\(2\/3\)/);
    await pickRow(page, 'net/http + golang-jwt');
    await waitForText(quickInputTitle(page), /\(3\/3\)/);
    await pickRow(page, 'Write into watson-webhook-go/');
    const folder = join(workbench.server.workspace, 'watson-webhook-go');
    const handler = join(folder, 'handler.go');
    for (let tries = 0; tries < 100 && !existsSync(handler); tries++)
      await page.waitForTimeout(100);
    assert.ok(existsSync(handler), 'handler.go written into the proposed folder');
    const go = readFileSync(handler, 'utf8');
    assert.match(go, /func \(StubHandlers\) OnCdrLogged\(body CdrLoggedPayload\) error/);
    assert.match(go, /func \(StubHandlers\) OnMessageLogged\(body MessageLoggedPayload\) error/);
    assert.ok(!go.includes(SECRET), 'the secret never reaches generated code');
    for (const name of ['webhook_types.go', 'main.go', 'handler_test.go', 'go.mod']) {
      const path = join(folder, name);
      for (let tries = 0; tries < 100 && !existsSync(path); tries++) await page.waitForTimeout(100);
      assert.ok(existsSync(path), `${name} written`);
    }
    const active = page.locator('.tabs-container .tab.active');
    await waitForText(active, /(^|\s)handler\.go/);
    await page.setViewportSize({ width: 820, height: 900 });
    await page.waitForTimeout(400);
    await screenshot(page, '63-generate-go-folder-820');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
