// Issue 16's first slice in a real VS Code: a first delivery in one click from the welcome view,
// a handler that is down looks down (tree row, panel header, status bar), rows tell deliveries
// apart, the panel's actions are one Replay and two menus on one row at 820 px under a sticky
// header, and Delete deletes the selection after one question. Light and dark themes and a
// narrow window are photographed for a person to judge.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  screenshot,
  selectColorTheme,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';
import { GITHUB_PUSH, STRIPE_EVENT, postJson } from './deliveries';

describe(
  'The editor experience: failures visible, a first delivery in one click',
  { timeout: 420_000 },
  () => {
    let workbench: Workbench;
    let port: number;
    let deadPort: number;
    let panel: Frame;

    before(async () => {
      port = await freePort();
      // Nothing listens here: the handler is down.
      deadPort = await freePort();
      workbench = await openWorkbench({
        userSettings: {
          'hooklens.port': port,
          'hooklens.forwardTo': `http://127.0.0.1:${deadPort}/hook`,
          'workbench.colorTheme': 'Default Light Modern',
        },
      });
    });

    after(async () => {
      await workbench?.close();
    });

    const sidebar = () => workbench.page.locator('.part.sidebar');
    const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');
    const welcome = () => workbench.page.locator('.welcome-view-content');

    it('the welcome view follows the receiver: Start, then Send Test Event and Copy URL', async () => {
      const { page } = workbench;
      await openHookLensView(page);
      await welcome().waitFor({ state: 'visible' });
      assert.match(await welcome().innerText(), /No deliveries yet/);
      // No secret is set: Set Secret is offered, after the primary action.
      await welcome().locator('a.monaco-button', { hasText: 'Set Secret' }).waitFor();
      await screenshot(page, 'x01-welcome-stopped');
      await welcome().locator('a.monaco-button', { hasText: 'Start Receiver' }).click();
      await statusBarItem(page)
        .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
        .waitFor({ state: 'visible' });
      await welcome().locator('a.monaco-button', { hasText: 'Send Test Event' }).waitFor();
      const text = await welcome().innerText();
      assert.match(text, /The receiver is listening/);
      assert.doesNotMatch(text, /Start Receiver/, 'a running receiver is not offered again');
      await welcome().locator('a', { hasText: 'copy the receiver URL' }).waitFor();
      await screenshot(page, 'x02-welcome-listening');
    });

    it('Send Test Event sends a first delivery in one click; the handler is down and it shows', async () => {
      const { page } = workbench;
      await welcome().locator('a.monaco-button', { hasText: 'Send Test Event' }).click();
      // The Watson turn template: the row says what the user said and the top intent, then 502.
      const row = rows().filter({ hasText: '502 · handler down' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      // What the user said leads the row (the template's utterance varies; the intent may be cut).
      assert.match(await row.innerText(), /^“\S/);
      await row.locator('.codicon-warning').waitFor({ state: 'visible' });
      assert.equal(await row.locator('.codicon-pass').count(), 0, 'never a green check');
      await waitForText(statusBarItem(page), /1 failed/);
      // The activity bar's badge counts the failure too.
      await page
        .locator('.activitybar .action-item', {
          has: page.locator('.action-label[aria-label^="HookLens"]'),
        })
        .locator('.badge-content', { hasText: '1' })
        .waitFor({ state: 'visible' });
      assert.equal(
        await postJson(`http://127.0.0.1:${port}/webhooks/github`, GITHUB_PUSH, {
          'X-GitHub-Event': 'push',
          'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        }),
        502,
      );
      // Stripe is told apart by its signature header (no secret is set, so it is not checked).
      assert.equal(
        await postJson(`http://127.0.0.1:${port}/webhooks/stripe`, STRIPE_EVENT, {
          'Stripe-Signature': 't=1767225600,v1=0123456789abcdef',
        }),
        502,
      );
      // Labels are cut to leave the status room at the default width; the panel has the whole line.
      await waitForText(sidebar(), /octocat pushed 1 commit to/);
      await waitForText(sidebar(), /payment_intent\.succeeded.*502 · handler down/);
      await waitForText(statusBarItem(page), /3 failed/);
      await page.waitForTimeout(500);
      await screenshot(page, 'x03-handler-down-tree-light');
    });

    it('the panel header says 502 · handler down and the verdict once; actions are one Replay and two menus', async () => {
      const { page } = workbench;
      await rows().filter({ hasText: 'octocat pushed' }).first().click();
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      const header = panel.locator('.detail-header');
      await waitForText(header, /handler down/);
      const facts = await header.locator('.facts').innerText();
      assert.match(facts, /502/);
      assert.match(facts, /Not verified \(no secret set\)/);
      assert.doesNotMatch(await header.innerText(), /No status/);
      assert.match(await header.locator('h1').innerText(), /octocat pushed 1 commit to/);
      // Looking at the deliveries clears the failure count.
      await waitForText(statusBarItem(page), /failed/, { absent: true });
      const top = panel.locator(
        '[role="toolbar"] > * > button, [role="toolbar"] > .split > * > button',
      );
      assert.equal(await top.count(), 4);
      await screenshot(page, 'x04-panel-handler-down-light');

      await panel.locator('button[aria-label="More ways to replay"]').click();
      const menu = panel.locator('[role="menu"][aria-label="Replay"]');
      await menu.waitFor({ state: 'visible' });
      assert.deepEqual(
        (await menu.locator('[role="menuitem"]').allInnerTexts()).map((text) => text.trim()),
        ['Replay with fresh signature', 'Replay to…', 'Edit and Replay…'],
      );
      await screenshot(page, 'x05-panel-replay-menu-light');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
    });

    it('the header and the tabs stay when the body scrolls', async () => {
      const { page } = workbench;
      await panel.locator('[role="tab"]', { hasText: 'Request' }).first().click();
      await panel.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(300);
      const top = await panel.evaluate(() => {
        const chrome = document.querySelector('.chrome');
        return {
          chromeTop: chrome?.getBoundingClientRect().top ?? -1,
          scrolled: document.scrollingElement?.scrollTop ?? 0,
        };
      });
      assert.ok(top.scrolled > 0, 'the body scrolled');
      assert.equal(Math.round(top.chromeTop), 0, 'the header stays at the top');
      await screenshot(page, 'x06-panel-scrolled-sticky-light');
      await panel.evaluate(() => window.scrollTo(0, 0));
    });

    it('looks right in the dark theme', async () => {
      const { page } = workbench;
      await selectColorTheme(page, 'Dark Modern');
      await page.waitForTimeout(800);
      await panel.locator('[role="tab"]', { hasText: 'Overview' }).first().click();
      await screenshot(page, 'x07-handler-down-dark');
      await panel.locator('button[aria-haspopup="menu"]', { hasText: 'Copy' }).click();
      await panel.locator('[role="menu"][aria-label="Copy"]').waitFor({ state: 'visible' });
      await screenshot(page, 'x08-panel-copy-menu-dark');
      await page.keyboard.press('Escape');
      await selectColorTheme(page, 'Light Modern');
    });

    it('at 820 px the actions fit on one row next to the tabs', async () => {
      const { page } = workbench;
      await page.setViewportSize({ width: 820, height: 800 });
      await page.waitForTimeout(800);
      const layout = await panel.evaluate(() => {
        const buttons = [
          ...document.querySelectorAll<HTMLElement>(
            '[role="toolbar"] button:not([role="menuitem"])',
          ),
        ];
        const tops = buttons.map((button) => Math.round(button.getBoundingClientRect().top));
        const chrome = document.querySelector('.chrome')?.getBoundingClientRect().height ?? 0;
        const tabs = [...document.querySelectorAll<HTMLElement>('[role="tab"]')].map((tab) =>
          Math.round(tab.getBoundingClientRect().top),
        );
        return { tops, chrome, tabs };
      });
      assert.ok(
        Math.max(...layout.tops) - Math.min(...layout.tops) <= 4,
        `one toolbar row: ${layout.tops.join(', ')}`,
      );
      assert.equal(new Set(layout.tabs).size, 1, `one tab row: ${layout.tabs.join(', ')}`);
      assert.ok(layout.chrome < 200, `the header takes ${layout.chrome} px`);
      await screenshot(page, 'x09-narrow-820');
      await page.setViewportSize({ width: 1400, height: 900 });
    });

    it('Delete deletes the selected delivery after one question', async () => {
      const { page } = workbench;
      const before = await rows().count();
      const row = rows().filter({ hasText: 'payment_intent.succeeded' }).first();
      await row.click();
      await page.keyboard.press('Delete');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible' });
      assert.match(await dialog.innerText(), /Delete this delivery\?/);
      await screenshot(page, 'x10-delete-confirm');
      await dialog.locator('.monaco-button', { hasText: 'Delete' }).first().click();
      await waitForText(sidebar(), /payment_intent\.succeeded/, { absent: true });
      assert.ok((await rows().count()) < before);
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });

    it('when the handler answers again, the view offers Replay Failed Deliveries, and it replays what was missed', async () => {
      const { page } = workbench;
      // The handler comes up where forwardTo points, and counts what reaches it.
      const received: string[] = [];
      const handler = createServer((request, response) => {
        let body = '';
        request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          received.push(body);
          response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
        });
      });
      await new Promise<void>((resolve) => handler.listen(deadPort, '127.0.0.1', resolve));
      try {
        const failedBefore = await rows().filter({ hasText: 'handler down' }).count();
        assert.ok(failedBefore >= 2, `deliveries the handler missed: ${failedBefore}`);
        // Until something reaches the handler, nothing says it is back.
        assert.doesNotMatch(await sidebar().innerText(), /answers again/);
        // A new delivery reaches it: the handler is back.
        assert.equal(
          await postJson(`http://127.0.0.1:${port}/webhooks/github`, GITHUB_PUSH, {
            'X-GitHub-Event': 'push',
            'X-GitHub-Delivery': '9a7e3d50-0000-11e3-81ab-4c9367dc0958',
          }),
          200,
        );
        await waitForText(
          sidebar(),
          new RegExp(`Your handler answers again: ${failedBefore} deliveries missed`),
        );
        // The view's title bar (shown twice when the view is alone in its container: take the first).
        const action = page
          .locator(
            '.part.sidebar .actions-container .action-label[aria-label="Replay Failed Deliveries"]',
          )
          .first();
        await action.waitFor({ state: 'visible' });
        await screenshot(page, 'x11-replay-failed-offered');
        await action.click();
        // No secrets are set, so no fresh signature can be made: send them as captured.
        await page
          .locator('.notifications-toasts .notification-toast', { hasText: 'none is set' })
          .locator('.monaco-button', { hasText: 'Replay As Captured' })
          .click();
        await waitForText(sidebar(), /answers again/, { absent: true });
        await waitForText(sidebar(), /handler down/, { absent: true });
        // The new delivery, then each missed one once.
        assert.equal(received.length, 1 + failedBefore);
        await action.waitFor({ state: 'detached' });
        await screenshot(page, 'x12-replay-failed-done');
      } finally {
        await new Promise((resolve) => handler.close(resolve));
      }
    });

    it('the offer can be dismissed: it goes, the failed row stays', async () => {
      const { page } = workbench;
      // The handler is down again (the last test stopped it): this delivery misses it.
      assert.equal(
        await postJson(`http://127.0.0.1:${port}/webhooks/stripe`, STRIPE_EVENT, {
          'Stripe-Signature': 't=1767225600,v1=0123456789abcdef',
        }),
        502,
      );
      await waitForText(sidebar(), /handler down/);
      const handler = createServer((_, response) => response.writeHead(200).end('ok'));
      await new Promise<void>((resolve) => handler.listen(deadPort, '127.0.0.1', resolve));
      try {
        assert.equal(
          await postJson(`http://127.0.0.1:${port}/webhooks/github`, GITHUB_PUSH, {
            'X-GitHub-Event': 'push',
            'X-GitHub-Delivery': '9a7e3d50-0000-11e3-81ab-4c9367dc0959',
          }),
          200,
        );
        await waitForText(sidebar(), /Your handler answers again: 1 delivery missed/);
        const dismiss = page
          .locator(
            '.part.sidebar .actions-container .action-label[aria-label="Dismiss Replay Offer"]',
          )
          .first();
        await dismiss.waitFor({ state: 'visible' });
        await dismiss.click();
        await waitForText(sidebar(), /answers again/, { absent: true });
        await dismiss.waitFor({ state: 'detached' });
        assert.match(await sidebar().innerText(), /handler down/, 'the failure itself still shows');
        await screenshot(page, 'x13-replay-failed-dismissed');
        assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
      } finally {
        await new Promise((resolve) => handler.close(resolve));
      }
    });
  },
);
