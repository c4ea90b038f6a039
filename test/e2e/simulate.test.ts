// Journeys 8, 10 and 11 in a real VS Code: send signed test events from the command palette, see
// them arrive verified (and a bad signature refused), follow the extension's receiver with
// `hooklens tail` over the live stream, open the Health view, and turn a captured delivery into a
// template that is sent again with fresh ids.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import { cleanUp, startCli, type CliProcess } from '../cli/listenProcess';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  rowsOfEvent,
  rowStatusShows,
  runCommand,
  screenshot,
  setSecret,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const SECRET = 'amber fox amber fox amber fox amber fox';

/** Picks the quick-pick row whose label is exactly `label` (after filtering by it). */
async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  const row = page
    .locator('.quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: label }),
    })
    .first();
  await row.waitFor({ state: 'visible' });
  // Enter on the row the filter put first: a click can land on a tooltip left over the list.
  if ((await row.getAttribute('class'))?.includes('focused')) await page.keyboard.press('Enter');
  else await row.click();
}

/** Send Test Event in one pick: the template; it goes to the receiver, signed, once. */
async function sendTestEvent(page: Page, template: string): Promise<void> {
  await runCommand(page, 'HookLens: Send Test Event');
  await pick(page, template);
}

/** The quick input's title, which ends with the step ("(2/4)") in a multi-step flow. */
function quickInputTitle(page: Page) {
  return page.locator('.quick-input-widget .quick-input-title');
}

/** Send Test Event with options: the gear on the template's row, then each step. */
async function sendWithOptions(page: Page, template: string, signature: string): Promise<void> {
  await runCommand(page, 'HookLens: Send Test Event');
  const input = page.locator('.quick-input-widget input');
  await input.fill(template);
  const row = page
    .locator('.quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: template }),
    })
    .first();
  await row.hover();
  await row.locator('.action-label[aria-label^="Send with options"]').click();
  await waitForText(quickInputTitle(page), new RegExp(`Send ${template} \\(2/4\\)`));
  await pick(page, 'The HookLens receiver');
  await waitForText(quickInputTitle(page), /\(3\/4\)/);
  await pick(page, signature);
  await waitForText(quickInputTitle(page), /\(4\/4\)/);
  await pick(page, '1 event');
}

describe('Simulate, stream and health in a real VS Code', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;
  let tail: CliProcess | undefined;

  before(async () => {
    port = await freePort();
    workbench = await openWorkbench({
      userSettings: { 'hooklens.port': port, 'hooklens.deliveries.groupBy': 'none' },
    });
  });

  after(async () => {
    if (tail) process.kill(tail.pid, 'SIGTERM');
    await cleanUp();
    await workbench?.close();
  });

  /** A view's pane in the HookLens side bar, by its exact title. */
  const pane = (title: string) =>
    workbench.page.locator('.pane').filter({
      has: workbench.page.locator('.pane-header .title', {
        hasText: new RegExp(`^${title}$`, 'i'),
      }),
    });
  const rows = () => pane('Deliveries').locator('.monaco-list-row');
  // Rows lead with what a delivery says (the user's words, the call's numbers); the event is in
  // each row's accessible label.
  const watsonRows = () => rowsOfEvent(rows(), 'message_logged');
  const callRows = () => rowsOfEvent(rows(), 'cdr_logged');

  it('starts the receiver, and `hooklens tail` follows it over the token-protected stream', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, 'HookLens: Start Receiver');
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
    await setSecret(page, SECRET);
    // The extension keeps its store in VS Code's global storage; tail finds the port and the
    // stream token there, as `HookLens: Copy Tail Command` tells a user.
    const store = join(
      workbench.server.userDataDir,
      'User',
      'globalStorage',
      'hooklens.hooklens',
      'store',
    );
    assert.ok(existsSync(join(store, 'stream.token')), 'the stream token file exists');
    tail = startCli(['tail', '--store', store]);
    await tail.waitForStderr(/connected/i, 15_000);
  });

  it('J-08: Send Test Event sends a signed message_logged in one pick; it arrives verified', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Send Test Event');
    // One step: no "1/1", and the options behind a gear in the title bar and on each row.
    await waitForText(quickInputTitle(page), /^HookLens: Send Test Event$/);
    await page
      .locator(
        '.quick-input-widget .quick-input-titlebar .action-label[aria-label^="Send with options"]',
      )
      .waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input').fill('watson.message_logged');
    await page.waitForTimeout(300);
    await screenshot(page, '39c-send-test-event-one-pick');
    await pick(page, 'watson.message_logged');
    await watsonRows().first().waitFor({ state: 'visible' });
    await waitForText(watsonRows().first(), /200/);
    await pane('Deliveries')
      .locator('.monaco-list-row .codicon-pass')
      .first()
      .waitFor({ state: 'visible' });
    const [line] = (await tail?.waitForStdoutLines(1, 15_000)) ?? [];
    assert.match(line ?? '', /verified\s+message_logged/);
    await screenshot(page, '40-test-event-verified');
  });

  it('Back in a multi-step flow: the options steps count n/N and Back returns a step', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Send Test Event');
    const input = page.locator('.quick-input-widget input');
    await input.fill('watson.cdr_logged');
    const row = page
      .locator('.quick-input-list .monaco-list-row', {
        has: page.locator('.label-name', { hasText: 'watson.cdr_logged' }),
      })
      .first();
    await row.hover();
    await row.locator('.action-label[aria-label^="Send with options"]').click();
    await waitForText(quickInputTitle(page), /Send watson\.cdr_logged \(2\/4\)/);
    await pick(page, 'The HookLens receiver');
    await waitForText(quickInputTitle(page), /\(3\/4\)/);
    // At 820 px, as a narrow window shows it.
    await page.setViewportSize({ width: 820, height: 900 });
    await page.waitForTimeout(300);
    await screenshot(page, '39d-send-test-event-step-3-of-4-820');
    await page.setViewportSize({ width: 1400, height: 900 });
    const back = page.locator('.quick-input-widget .action-label.codicon-quick-input-back');
    await back.click();
    // Back on the target step, the receiver still the row under the cursor.
    await waitForText(quickInputTitle(page), /\(2\/4\)/);
    await waitForText(
      page.locator('.quick-input-list .monaco-list-row.focused').first(),
      /The HookLens receiver/,
    );
    await back.click();
    // And back on the template pick, a one-step flow again.
    await waitForText(quickInputTitle(page), /^HookLens: Send Test Event$/);
    await page.keyboard.press('Escape');
  });

  it('a test event with a bad signature is refused (401) and shown', async () => {
    const { page } = workbench;
    await sendWithOptions(page, 'watson.cdr_logged', 'Bad signature');
    const row = callRows().first();
    await row.waitFor({ state: 'visible' });
    await waitForText(row, /401 · invalid signature/);
    await row.locator('.codicon-error').waitFor({ state: 'visible' });
    // The call's numbers lead the row, and its status still shows at the default width.
    assert.ok(await rowStatusShows(row, '401'), 'the 401 shows');
    const lines = (await tail?.waitForStdoutLines(2, 15_000)) ?? [];
    assert.match(lines[1] ?? '', /401\s+BAD SIGNATURE\s+cdr_logged/);
  });

  it('opens the Health view with deliveries per minute by outcome and per-event times', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Show Delivery Health');
    // Health lives in the panel (next to Problems and Output), drawn in a webview.
    const frame = await findWebviewFrame(page, '.health-content .minute-chart');
    const health = frame.locator('.health-content');
    await waitForText(health, /2 deliveries/);
    await waitForText(health, /Failed verification\s*1/);
    await waitForText(
      health,
      /Latency by event[\s\S]*message_logged[\s\S]*p50[\s\S]*POST \/webhooks\/watson[\s\S]*p50/,
    );
    await screenshot(page, '41-health-view');
  });

  it('saves a captured delivery as a workspace template and sends it again with fresh ids', async () => {
    const { page } = workbench;
    const row = watsonRows().first();
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-label', {
      hasText: 'Save as Test Event Template',
    });
    await item.first().hover();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await pick(page, 'This workspace');
    const name = page.locator('.quick-input-widget input');
    await name.waitFor({ state: 'visible' });
    await name.fill('balance question');
    await page.keyboard.press('Enter');
    const dir = join(workbench.server.workspace, '.hooklens', 'templates');
    for (let tries = 0; tries < 50 && !existsSync(dir); tries++) await page.waitForTimeout(100);
    const [file] = readdirSync(dir);
    assert.equal(file, 'balance question.json');
    const saved = JSON.parse(readFileSync(join(dir, file ?? ''), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(saved.format, 'hooklens-template/1');
    assert.doesNotMatch(JSON.stringify(saved), /authorization/i, 'no token in the template');

    await sendTestEvent(page, 'balance question');
    await watsonRows().nth(1).waitFor({ state: 'visible' });
    const lines = (await tail?.waitForStdoutLines(3, 15_000)) ?? [];
    assert.match(lines[2] ?? '', /verified\s+message_logged/);
    // Fresh ids: the two message_logged deliveries are not retries of each other.
    assert.doesNotMatch(lines[2] ?? '', /retry of/);
    await screenshot(page, '42-template-sent-again');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });
});
