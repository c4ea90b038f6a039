// Issue 16, "Pictures", in a real VS Code: the Health view draws the deliveries per minute as
// stacked bars by outcome (delivered, handler failed, failed verification) and p50/p95/p99 per
// event and endpoint as bars; a row, a legend entry (by keyboard too) or a bar filters the
// Deliveries tree. Photographed in the light, dark and high-contrast themes, in an 820 px window
// and at a side bar's 180 px, for a person to judge. Then the delivery panel's pictures: intent
// confidence as bars and a Watson call as a timeline.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import { watsonCdr, watsonMessageLogged } from '../unit/detailBuilders';
import {
  findWebviewFrame,
  openCommandPalette,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  rowsOfEvent,
  runCommand,
  screenshot,
  selectColorTheme,
  setSecret,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const GITHUB_SECRET = 'health-e2e: a GitHub webhook secret long enough to be strong';

async function githubSignature(body: string): Promise<string> {
  // ESM only: loaded the way an ESM package is loaded from CommonJS.
  const { sign } = await import('@octokit/webhooks-methods');
  return sign(GITHUB_SECRET, body);
}

async function sendGithub(
  url: string,
  event: string,
  body: object,
  signature?: string,
): Promise<number> {
  const text = JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    body: text,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/e2e',
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': crypto.randomUUID(),
      'X-Hub-Signature-256': signature ?? (await githubSignature(text)),
    },
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Runs the command whose title is exactly `title` (Enter would take the top row, which may be
 * another command); the palette is opened again if it closed under the click (a webview taking
 * focus as it loads).
 */
async function runExactCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await openCommandPalette(page, `>${title}`);
    const row = page
      .locator('.quick-input-list .monaco-list-row', {
        has: page.getByText(title, { exact: true }),
      })
      .first();
    try {
      await row.click({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const push = (message: string): object => ({
  ref: 'refs/heads/main',
  repository: { full_name: 'octocat/hello' },
  pusher: { name: 'octocat' },
  sender: { login: 'octocat' },
  commits: [{ id: '1d1a26e6', message }],
  head_commit: { id: '1d1a26e6', message },
});

const ISSUE = {
  action: 'opened',
  issue: { number: 7, title: 'Crash on start' },
  repository: { full_name: 'octocat/hello' },
  sender: { login: 'octocat' },
};

describe('Health: charts that filter the Deliveries tree', { timeout: 420_000 }, () => {
  let workbench: Workbench;
  let port: number;
  let handler: Server;
  let health: Frame;

  before(async () => {
    // The developer's handler: it fails every `issues` delivery with a 500.
    handler = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.statusCode = request.headers['x-github-event'] === 'issues' ? 500 : 200;
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
    const handlerPort = (handler.address() as AddressInfo).port;
    port = await freePort();
    workbench = await openWorkbench({
      userSettings: {
        'hooklens.port': port,
        'hooklens.forwardTo': `http://127.0.0.1:${handlerPort}/hook`,
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await new Promise((resolve) => handler?.close(resolve));
  });

  const sidebar = () => workbench.page.locator('.part.sidebar');

  it('shows an empty state before the first delivery', async () => {
    const { page } = workbench;
    // The HookLens icon shows once the extension is installed and its commands are there.
    await openHookLensView(page);
    await runCommand(page, 'HookLens: Show Delivery Health');
    health = await findWebviewFrame(page, '.health-content');
    await waitForText(health.locator('.health-content'), /No deliveries in the last 15 minutes/);
    await screenshot(page, 'h01-health-empty');
  });

  it('draws delivered, handler failed and failed verification per minute, and latency per event', async () => {
    const { page } = workbench;
    await setSecret(page, GITHUB_SECRET, 'GitHub');
    await openHookLensView(page);
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Start Receiver' })
      .click();
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
    const url = `http://127.0.0.1:${port}/webhooks/github`;
    assert.equal(await sendGithub(url, 'push', push('Fix the parser')), 200);
    assert.equal(await sendGithub(url, 'push', push('Add tests')), 200);
    assert.equal(await sendGithub(url, 'ping', { zen: 'Keep it simple.', hook_id: 1 }), 200);
    // The handler answers 500: the sender is told so.
    assert.equal(await sendGithub(url, 'issues', ISSUE), 500);
    // Forged: signed with another secret.
    const forged = await sendGithub(
      url,
      'push',
      push('Forged'),
      'sha256=0000000000000000000000000000000000000000000000000000000000000000',
    );
    assert.ok(forged >= 200, `the forged delivery was answered ${forged}`);
    await waitForText(sidebar(), /Forged|octocat/);

    await runCommand(page, 'HookLens: Show Delivery Health');
    health = await findWebviewFrame(page, '.health-content .minute-chart');
    const content = health.locator('.health-content');
    await waitForText(content, /5 deliveries/);
    const legend = health.locator('.legend');
    await waitForText(legend, /Delivered\s*3/);
    await waitForText(legend, /Handler failed\s*1/);
    await waitForText(legend, /Failed verification\s*1/);
    // The text alternative says what the bars show.
    const chart = health.locator('svg.minute-chart');
    assert.match(
      (await chart.getAttribute('aria-label')) ?? '',
      /5 deliveries \(3 delivered, 1 handler failed, 1 failed verification\)/,
    );
    assert.equal(await chart.getAttribute('role'), 'img');
    // One segment per outcome in this minute, drawn in the theme's chart colours.
    for (const outcome of ['delivered', 'handlerFailed', 'failedVerification']) {
      const segment = health.locator(`rect.segment.outcome-${outcome}`);
      assert.equal(await segment.count(), 1, outcome);
      const fill = await segment.evaluate((element) => getComputedStyle(element).fill);
      assert.doesNotMatch(fill, /^(none|rgb\(0, 0, 0\))$/, `${outcome} is coloured: ${fill}`);
    }
    // Latency per event: p50/p95/p99 as bars, the values as text.
    const issues = health.locator('button.latency-row', {
      has: health.locator('.latency-label', { hasText: /^issues\.opened$/ }),
    });
    await issues.waitFor({ state: 'visible' });
    assert.match(
      (await issues.getAttribute('aria-label')) ?? '',
      /^issues\.opened: 1 delivery, p50 [\d.]+ m?s, p95 [\d.]+ m?s, p99 [\d.]+ m?s, 100% not 2xx/,
    );
    assert.equal(await issues.locator('rect.bar').count(), 3, 'p50, p95, p99');
    await waitForText(
      health.locator('.health-content'),
      /Latency by endpoint[\s\S]*\/webhooks\/github/,
    );
    // The table behind the chart.
    await health.locator('.minute-table summary').click();
    await waitForText(health.locator('.minute-table table'), /Failed verification/);
    await health.locator('.minute-table summary').click();
    await screenshot(page, 'h02-health-chart');
  });

  it('a latency row filters the tree by its event', async () => {
    const { page } = workbench;
    await health
      .locator('button.latency-row', {
        has: health.locator('.latency-label', { hasText: /^issues\.opened$/ }),
      })
      .click();
    await waitForText(sidebar(), /Filter “event:issues\.opened”: 1 of 5 deliveries/);
    await waitForText(sidebar(), /octocat pushed/, { absent: true });
    await waitForText(sidebar(), /Issue #7 opened/);
    await screenshot(page, 'h03-health-filtered-by-event');
  });

  it('a legend entry filters by keyboard, a bar by mouse', async () => {
    const { page } = workbench;
    const handlerFailed = health.locator('button.legend-item', { hasText: 'Handler failed' });
    await handlerFailed.focus();
    await page.keyboard.press('Enter');
    await waitForText(sidebar(), /Filter “is:failed”: 2 of 5 deliveries/);
    await health.locator('rect.segment.outcome-failedVerification').click();
    await waitForText(sidebar(), /Filter “verdict:failed”: 1 of 5 deliveries/);
    // The delivered segment has no filter of its own: clicking it changes nothing.
    await health.locator('rect.segment.outcome-delivered').click({ force: true });
    await waitForText(sidebar(), /Filter “verdict:failed”: 1 of 5 deliveries/);
    await runCommand(page, 'HookLens: Clear Filter');
    await waitForText(sidebar(), /of 5 deliveries/, { absent: true });
  });

  it('looks right in the dark and high-contrast themes', async () => {
    const { page } = workbench;
    await selectColorTheme(page, 'Dark Modern');
    await runCommand(page, 'HookLens: Show Delivery Health');
    await health.locator('svg.minute-chart').waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    await screenshot(page, 'h04-health-dark');
    await selectColorTheme(page, 'Dark High Contrast');
    await runCommand(page, 'HookLens: Show Delivery Health');
    await page.waitForTimeout(500);
    const edge = await health
      .locator('rect.segment.outcome-delivered')
      .evaluate((element) => getComputedStyle(element).stroke);
    assert.doesNotMatch(edge, /^(none|rgba\(0, 0, 0, 0\))$/, `bars have an edge: ${edge}`);
    await screenshot(page, 'h05-health-high-contrast');
    await selectColorTheme(page, 'Light Modern');
  });

  it('fits an 820 px window and a 180 px wide view', async () => {
    const { page } = workbench;
    await page.setViewportSize({ width: 820, height: 800 });
    await runCommand(page, 'HookLens: Show Delivery Health');
    health = await findWebviewFrame(page, '.health-content .minute-chart');
    await page.waitForTimeout(800);
    const overflow = (): Promise<number> =>
      health.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    assert.equal(await overflow(), 0, 'nothing wider than the view at 820 px');
    await screenshot(page, 'h06-health-820');

    // Moved into the HookLens side bar under Deliveries, and the side bar dragged to 180 px.
    await page.setViewportSize({ width: 1400, height: 900 });
    await runCommand(page, 'HookLens: Show Delivery Health');
    await runExactCommand(page, 'View: Move View');
    await pickQuickInputItem(page, 'Health');
    await pickQuickInputItem(page, 'HookLens');
    await openHookLensView(page);
    const sidebarBox = await sidebar().boundingBox();
    assert.ok(sidebarBox, 'the side bar shows');
    const edge = sidebarBox.x + sidebarBox.width;
    let dragged = false;
    for (const sash of await page.locator('.monaco-sash.vertical').all()) {
      const box = await sash.boundingBox();
      if (!box || box.height < 100 || Math.abs(box.x + box.width / 2 - edge) > 6) continue;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(sidebarBox.x + 180, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      dragged = true;
      break;
    }
    assert.ok(dragged, 'found the side bar’s sash');
    health = await findWebviewFrame(page, '.health-content .minute-chart');
    await page.waitForTimeout(800);
    const width = await health.evaluate(() => document.documentElement.clientWidth);
    assert.ok(width <= 200, `the view is ${width} px wide`);
    assert.equal(await overflow(), 0, `nothing wider than the view at ${width} px`);
    // Labels are cut with an ellipsis rather than pushing the counts out of view.
    const counts = await health
      .locator('.latency-count')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().right));
    assert.ok(
      counts.length > 0 && counts.every((right) => right <= width),
      `counts inside the view: ${counts.join(', ')}`,
    );
    await screenshot(page, 'h07-health-side-bar-180');
  });

  it('the delivery panel draws confidence as bars and the call as a timeline', async () => {
    const { page } = workbench;
    // Wide again, with the side bar back to a usual width, for the editor's panel.
    await page.setViewportSize({ width: 1400, height: 900 });
    const url = `http://127.0.0.1:${port}/webhooks/watson`;
    for (const body of [watsonMessageLogged(), watsonCdr()]) {
      const response = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      });
      await response.arrayBuffer();
    }
    const rows = page.locator('.part.sidebar .monaco-list-row');
    await rowsOfEvent(rows, 'message_logged').first().click();
    const panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    await panel.locator('[role="tab"]', { hasText: 'Conversation' }).first().click();
    const meter = panel.locator('[role="meter"]').first();
    await meter.waitFor({ state: 'visible' });
    assert.equal(await meter.getAttribute('aria-valuetext'), '94.1% confidence (0.9412)');
    await waitForText(meter, /94\.1%/);
    await screenshot(page, 'h08-conversation-confidence');

    await rowsOfEvent(rows, 'cdr_logged').first().click();
    await waitForText(panel.locator('[role="tablist"]'), /Call/);
    await panel.locator('[role="tab"]', { hasText: 'Call' }).first().click();
    const strip = panel.locator('svg.call-strip');
    await strip.waitFor({ state: 'visible' });
    assert.match((await strip.getAttribute('aria-label')) ?? '', /a 17\.8 s call/);
    await strip.scrollIntoViewIfNeeded();
    assert.equal(await panel.locator('li.turn').count(), 3);
    assert.ok((await panel.locator('li.step svg rect.bar-fill').count()) >= 4, 'response bars');
    await screenshot(page, 'h09-call-timeline');
  });

  it('no page errors', () => {
    assert.deepEqual(
      workbench.pageErrors.filter((message) => /hooklens|health/i.test(message)),
      [],
    );
  });
});
