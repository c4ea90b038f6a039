// Journeys 1 and 2 in a real VS Code: start the receiver, set the secret, capture a signed and an
// unsigned Watson delivery, see them in the tree with their verdicts, filter, group, badge,
// open one, and reach the receiver through the public URL VS Code forwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../scripts/e2e/codeServer';
import { signToken } from '../../src/core/verify/sign';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  runCommand,
  screenshot,
  setSecret,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const SECRET = 'purple unicorn purple unicorn purple unicorn';

function watsonMessage(logId: string, sessionId: string, text: string): string {
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: {
      log_id: logId,
      session_id: sessionId,
      request: { input: { message_type: 'text', text } },
      response: {
        output: { generic: [{ response_type: 'text', text: 'Your balance is $1,250.00.' }] },
      },
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
    },
  });
}

async function post(url: string, body: string, authorization?: string): Promise<number> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (authorization) headers.Authorization = authorization;
  const response = await fetch(url, { method: 'POST', body, headers });
  await response.arrayBuffer();
  return response.status;
}

describe('Capture and verify in a real VS Code', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;

  before(async () => {
    port = await freePort();
    workbench = await openWorkbench({ userSettings: { 'hooklens.port': port } });
  });

  after(async () => {
    await workbench?.close();
  });

  const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');

  it('starts the receiver from the welcome view and shows its port in the status bar', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Start Receiver' })
      .click();
    await statusBarItem(page)
      .filter({ hasText: `:${port}` })
      .waitFor({ state: 'visible' });
    assert.match(await statusBarItem(page).innerText(), new RegExp(`HookLens :${port}`));
  });

  it('J-01/J-03: a signed Watson delivery is verified (200), an unsigned one is kept and flagged (401)', async () => {
    const { page } = workbench;
    await setSecret(page, SECRET);

    const url = `http://127.0.0.1:${port}/webhooks/watson`;
    const token = signToken(SECRET, { sub: 'watson-assistant' });
    assert.equal(
      await post(url, watsonMessage('log-1', 'session-alpha', 'What is my balance?'), token),
      200,
    );
    assert.equal(await post(url, watsonMessage('log-2', 'session-beta', 'Hello?')), 401);

    await rows().filter({ hasText: 'message_logged' }).nth(1).waitFor({ state: 'visible' });
    await page
      .locator('.part.sidebar .monaco-list-row .codicon-pass')
      .first()
      .waitFor({ state: 'visible' });
    await page
      .locator('.part.sidebar .monaco-list-row .codicon-circle-slash')
      .first()
      .waitFor({ state: 'visible' });
    const sidebar = page.locator('.part.sidebar');
    await waitForText(sidebar, /session-alpha[\s\S]*200 ·|200 ·[\s\S]*session-alpha/);
    await waitForText(sidebar, /session-beta[\s\S]*401 ·/);
    await screenshot(page, '10-deliveries-verified-and-rejected');
  });

  it('filters to failed deliveries and says so above the tree', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Filter Deliveries');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('verdict:failed');
    await page.keyboard.press('Enter');
    const sidebar = page.locator('.part.sidebar');
    await waitForText(sidebar, /1 of 2 deliveries/);
    await waitForText(sidebar, /session-alpha/, { absent: true });
    await screenshot(page, '11-filter-failed');

    await runCommand(page, 'HookLens: Filter Deliveries');
    await input.waitFor({ state: 'visible' });
    await input.fill('');
    await page.keyboard.press('Enter');
    await waitForText(sidebar, /session-alpha/);
  });

  it('groups by event', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Group Deliveries By');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Event' }).first().click();
    const group = rows()
      .filter({ hasText: 'message_logged' })
      .filter({ has: page.locator('.codicon-symbol-event') });
    await group.first().waitFor({ state: 'visible' });
    await screenshot(page, '12-grouped-by-event');
  });

  it('badges the HookLens icon with deliveries that arrive while the view is hidden', async () => {
    const { page } = workbench;
    await page.locator('.activitybar .action-label[aria-label^="Explorer"]').click();
    assert.equal(
      await post(
        `http://127.0.0.1:${port}/webhooks/watson`,
        watsonMessage('log-3', 'session-alpha', 'Thanks'),
        signToken(SECRET, {}),
      ),
      200,
    );
    const badge = page
      .locator('.activitybar .action-item', {
        has: page.locator('.action-label[aria-label^="HookLens"]'),
      })
      .locator('.badge-content');
    await badge.filter({ hasText: '1' }).waitFor({ state: 'visible' });
    await screenshot(page, '13-badge-unseen');
    await openHookLensView(page);
    await badge.waitFor({ state: 'hidden' });
  });

  it('opens a delivery in the detail panel with the seed’s overview columns', async () => {
    const { page } = workbench;
    await rows()
      .filter({ has: page.locator('.codicon-circle-slash') })
      .first()
      .click();
    const frame = await findWebviewFrame(page, 'table.fields');
    const text = await frame.locator('body').innerText();
    for (const column of [
      'Webhook ID',
      'Session ID',
      'Event',
      'Endpoint',
      'HTTP Status',
      'Time Taken',
      'Retry Count',
      'Created Date',
    ]) {
      assert.match(text, new RegExp(column));
    }
    assert.match(text, /session-beta/);
    assert.match(text, /401/);
    await screenshot(page, '14-detail-overview');
  });

  it('copies a public URL (VS Code port forwarding) that reaches the receiver', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Copy Public URL');
    await page.waitForTimeout(500);
    const publicUrl = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.match(publicUrl, new RegExp(`/proxy/${port}/`));
    const status = await post(
      `${publicUrl}forwarded`,
      watsonMessage('log-4', 'session-gamma', 'Via the proxy'),
      signToken(SECRET, {}),
    );
    assert.equal(status, 200);
    // Grouped by event by now: the group's count goes from 3 to 4.
    await waitForText(page.locator('.part.sidebar'), /message_logged\s*4\b/);
    await screenshot(page, '15-public-url-delivery');
  });

  it('W-01/W-04/W-05: hostile payload text shows as literal, visible text in the tree and the panel', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Group Deliveries By');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'None' }).first().click();
    const hostileEvent =
      '<img src=x onerror=alert(1)>[run](command:workbench.action.terminal.new)\u202Egnp.exe';
    const body = JSON.stringify({
      type: hostileEvent,
      id: 'evt_hostile',
      data: { note: '</div><script>alert(1)</script>' },
    });
    assert.equal(await post(`http://127.0.0.1:${port}/generic`, body, signToken(SECRET, {})), 200);
    const sidebar = page.locator('.part.sidebar');
    // The bidi override is shown as an escape, the markup as characters; no image element exists.
    await waitForText(
      sidebar,
      /<img src=x onerror=alert\(1\)>\[run\]\(command:workbench\.action\.terminal\.new\)\\u202E/, // labels stop at 80 characters with an ellipsis
    );
    assert.equal(await page.locator('.part.sidebar img[src="x"]').count(), 0);
    await rows().filter({ hasText: 'onerror' }).first().click();
    const frame = await findWebviewFrame(page, 'table.fields');
    await waitForText(frame.locator('h1'), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await frame.locator('img').count(), 0, 'no element was created from payload text');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    await screenshot(page, '16-hostile-text-is-text');
  });
});
