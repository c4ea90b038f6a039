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
  rowsOfEvent,
  rowStatusShows,
  rowTooltip,
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

  // Rows lead with the user's words; the event is in each row's accessible label.
  const watsonRows = () => rowsOfEvent(rows(), 'message_logged');
  const verifiedRow = () => rows().filter({ has: workbench.page.locator('.codicon-pass') });
  const rejectedRow = () => rows().filter({ has: workbench.page.locator('.codicon-circle-slash') });

  it('starts the receiver from the welcome view and shows its port in the status bar', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Start Receiver' })
      .click();
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
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

    await watsonRows().nth(1).waitFor({ state: 'visible' });
    // Each session has one delivery, so each is a plain row: what the user said, then the status.
    await verifiedRow().first().waitFor({ state: 'visible' });
    await rejectedRow().first().waitFor({ state: 'visible' });
    assert.equal(await verifiedRow().count(), 1);
    assert.equal(await rejectedRow().count(), 1);
    await waitForText(verifiedRow().first(), /^“What is my balance\?”[\s\S]*200 · (now|\d+m)\s*$/);
    await waitForText(rejectedRow().first(), /^“Hello\?”[\s\S]*401 · no token · (now|\d+m)\s*$/);
    // The status shows at the default side-bar width: the headline is cut to leave it room.
    assert.ok(await rowStatusShows(verifiedRow().first(), '200'), 'the 200 shows');
    assert.ok(await rowStatusShows(rejectedRow().first(), '401'), 'the 401 shows');
    assert.match(
      (await verifiedRow().first().getAttribute('aria-label')) ?? '',
      /message_logged, status 200, verified/,
    );
    assert.match(
      (await rejectedRow().first().getAttribute('aria-label')) ?? '',
      /message_logged, status 401, no token/,
    );
    await screenshot(page, '10-deliveries-verified-and-rejected');
    // The tooltip says which session each belongs to, and the verdict with its reason.
    const verified = await rowTooltip(verifiedRow().first(), /Session: session-alpha/);
    assert.match(verified, /Answered: 200/);
    assert.match(verified, /Verification: Verified\./);
    assert.match(verified, /Event: message_logged/);
    const rejected = await rowTooltip(rejectedRow().first(), /Session: session-beta/);
    assert.match(rejected, /Answered: 401/);
    assert.match(rejected, /Verification: No token\. /);
    // The hover is Markdown: its labels are bold, its values (payload text) plain text.
    await verifiedRow().first().hover();
    const hover = page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: /Session: session-alpha/ })
      .first();
    await hover.locator('strong', { hasText: 'Session:' }).waitFor({ state: 'visible' });
    assert.equal(await hover.locator('strong', { hasText: 'What is my balance' }).count(), 0);
    await screenshot(page, '10b-row-hover');
    await page.mouse.move(700, 800);
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
    // Only the rejected delivery (session-beta's) is left.
    await waitForText(sidebar, /What is my balance/, { absent: true });
    assert.equal(await rows().count(), 1);
    await waitForText(rejectedRow().first(), /^“Hello\?”[\s\S]*401 · no token/);
    await screenshot(page, '11-filter-failed');

    await runCommand(page, 'HookLens: Filter Deliveries');
    await input.waitFor({ state: 'visible' });
    await input.fill('');
    await page.keyboard.press('Enter');
    await waitForText(sidebar, /What is my balance/);
    await waitForText(sidebar, /1 of 2 deliveries/, { absent: true });
  });

  it('groups by event', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Group Deliveries By');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Event' }).first().click();
    // One group row (expandable) named by the event; it counts the failed delivery in it, and
    // shows the warning icon for it.
    const group = rows().and(page.locator('[aria-expanded="true"]'));
    await group.first().waitFor({ state: 'visible' });
    assert.equal(await group.count(), 1);
    await waitForText(group.first(), /^message_logged\s*1 failed · 2 deliveries\s*$/);
    await group.first().locator('.codicon-warning').waitFor({ state: 'visible' });
    // The children do not repeat the event: they lead with what the user said.
    const sidebar = page.locator('.part.sidebar');
    await waitForText(sidebar, /message_logged[\s\S]*“What is my balance\?”/);
    await waitForText(sidebar, /message_logged[\s\S]*“Hello\?”/);
    assert.equal(await rows().filter({ hasText: 'message_logged' }).count(), 1);
    // Indented under the group, each row's status still shows at the default side-bar width.
    assert.ok(await rowStatusShows(verifiedRow().first(), '200'), 'the 200 shows');
    assert.ok(await rowStatusShows(rejectedRow().first(), '401'), 'the 401 shows');
    await screenshot(page, '12-grouped-by-event');
  });

  it('badges the HookLens icon with deliveries that arrive while the view is hidden', async () => {
    const { page } = workbench;
    await page.locator('.activitybar .action-label[aria-label^="Explorer"]').click();
    // The view's visibility reaches the extension host by message, and a delivery that arrives
    // before it does still counts as seen. A quick pick the extension opens comes back over the
    // same ordered channel, so once it shows, the host knows the view is hidden.
    await statusBarItem(page).click();
    const actions = page.locator('.quick-input-widget');
    await actions
      .locator('.quick-input-list .monaco-list-row')
      .first()
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await actions.waitFor({ state: 'hidden' });
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
    // Grouped by event by now: the group's count goes from 3 to 4, the new row verified.
    await waitForText(page.locator('.part.sidebar'), /message_logged\s*1 failed · 4 deliveries/);
    await waitForText(verifiedRow().filter({ hasText: 'Via the proxy' }).first(), /200 ·/);
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
    // The markup is shown as characters (the label is cut to leave the status room); no image
    // element exists.
    const hostile = rows().filter({ hasText: 'onerror' }).first();
    await waitForText(hostile, /^<img src=x onerror=alert\(1/);
    assert.equal(await page.locator('.part.sidebar img[src="x"]').count(), 0);
    assert.equal(await sidebar.locator('a[href^="command:"]').count(), 0);
    // The whole text is in the accessible label and the tooltip: the bidi override as an escape.
    const whole =
      /<img src=x onerror=alert\(1\)>\[run\]\(command:workbench\.action\.terminal\.new\)\\u202Egnp\.exe/;
    assert.match((await hostile.getAttribute('aria-label')) ?? '', whole);
    assert.doesNotMatch((await hostile.getAttribute('aria-label')) ?? '', /\u202E/);
    const tooltip = await rowTooltip(hostile, /Event: <img/);
    assert.match(tooltip, whole);
    assert.doesNotMatch(tooltip, /\u202E/);
    await hostile.click();
    const frame = await findWebviewFrame(page, 'table.fields');
    await waitForText(frame.locator('h1'), whole);
    assert.equal(await frame.locator('img').count(), 0, 'no element was created from payload text');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    await screenshot(page, '16-hostile-text-is-text');
  });
});
