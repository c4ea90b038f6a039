// Issue 16, "Find" and keys, in a real VS Code: the Filter quick pick says what is wrong with the
// typed text as it is typed, the tree follows a valid filter, a body search finds a delivery by
// what its body says, Clear Filter is one item away, and `n` in the tree opens the next failed
// delivery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  runCommand,
  screenshot,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';
import { GITHUB_PUSH, STRIPE_EVENT, postJson } from './deliveries';

describe(
  'Find: the Filter quick pick and n for the next failed delivery',
  { timeout: 300_000 },
  () => {
    let workbench: Workbench;
    let port: number;

    before(async () => {
      port = await freePort();
      // Nothing listens here: every delivery fails to reach the handler.
      const deadPort = await freePort();
      workbench = await openWorkbench({
        userSettings: {
          'hooklens.port': port,
          'hooklens.forwardTo': `http://127.0.0.1:${deadPort}/hook`,
        },
      });
    });

    after(async () => {
      await workbench?.close();
    });

    const sidebar = () => workbench.page.locator('.part.sidebar');
    const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');
    const input = () => workbench.page.locator('.quick-input-widget input');
    const pickRows = () => workbench.page.locator('.quick-input-list .monaco-list-row');

    it('captures a GitHub push and a Stripe event', async () => {
      const { page } = workbench;
      await openHookLensView(page);
      await page
        .locator('.welcome-view-content a.monaco-button', { hasText: 'Start Receiver' })
        .click();
      await statusBarItem(page)
        .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
        .waitFor({ state: 'visible' });
      await postJson(`http://127.0.0.1:${port}/webhooks/github`, GITHUB_PUSH, {
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      });
      await postJson(`http://127.0.0.1:${port}/webhooks/stripe`, STRIPE_EVENT, {
        'Stripe-Signature': 't=1767225600,v1=0123456789abcdef',
      });
      await waitForText(sidebar(), /octocat pushed/);
      await waitForText(sidebar(), /payment_intent\.succeeded/);
      // The amount leads the Stripe row's description: the side bar does not cut it.
      const stripeRow = rows().filter({ hasText: 'payment_intent.succeeded' });
      await waitForText(stripeRow.locator('.label-description'), /^\$12\.00 · 502/);
    });

    it('says what is wrong with the typed filter, and filters the tree as a good one is typed', async () => {
      const { page } = workbench;
      await runCommand(page, 'HookLens: Filter Deliveries');
      await input().waitFor({ state: 'visible' });
      // Suggestions from what is stored, before anything is typed.
      await waitForText(page.locator('.quick-input-list'), /provider:github/);
      // The token being typed is completed from what is stored.
      await input().fill('provider:git');
      await pickRows().filter({ hasText: 'provider:github' }).first().waitFor({ state: 'visible' });
      await input().fill('provider:github status:9xx');
      await waitForText(pickRows().first(), /not a status: use 401, 4xx or none/);
      // A mistake is never applied: both deliveries still show.
      assert.equal(await rows().count(), 2);
      await screenshot(page, 'f01-filter-error');
      await input().fill('provider:github');
      await waitForText(sidebar(), /1 of 2 deliveries/);
      await waitForText(sidebar(), /payment_intent\.succeeded/, { absent: true });
      await screenshot(page, 'f02-filter-live');
      await page.keyboard.press('Enter');
      await input().waitFor({ state: 'hidden' });
      await waitForText(sidebar(), /1 of 2 deliveries/);
    });

    it('finds a delivery by what its body says, then clears the filter', async () => {
      const { page } = workbench;
      await runCommand(page, 'HookLens: Filter Deliveries');
      await input().waitFor({ state: 'visible' });
      await input().fill('body:"fix the parser"');
      await page.keyboard.press('Enter');
      await input().waitFor({ state: 'hidden' });
      await waitForText(sidebar(), /Filter “body:"fix the parser"”: 1 of 2 deliveries/);
      await waitForText(sidebar(), /octocat pushed/);
      await screenshot(page, 'f03-filter-body');

      await runCommand(page, 'HookLens: Filter Deliveries');
      await input().waitFor({ state: 'visible' });
      await input().fill('');
      await waitForText(pickRows().first(), /Clear Filter/);
      await page.keyboard.press('Enter');
      await waitForText(sidebar(), /of 2 deliveries/, { absent: true });
      await waitForText(sidebar(), /payment_intent\.succeeded/);
    });

    it('body:path=value on JSON bodies, a malformed path said as the mistake, and a body: filter that takes in new deliveries as they arrive', async () => {
      const { page } = workbench;
      await runCommand(page, 'HookLens: Filter Deliveries');
      await input().waitFor({ state: 'visible' });
      await input().fill('body:data.object[0].amount=1200');
      await waitForText(pickRows().first(), /arrays need no index: data\.object\.amount=1200/);
      // The body index holds both deliveries: a path term filters the tree as it is typed.
      await input().fill('body:data.object.amount=1200');
      await waitForText(sidebar(), /1 of 2 deliveries/);
      await waitForText(sidebar(), /octocat pushed/, { absent: true });
      await waitForText(pickRows().first(), /Apply · 1 of 2 deliveries/);
      await screenshot(page, 'f05-filter-body-path');
      await input().fill('body:repository.full_name=octocat/hello');
      await page.keyboard.press('Enter');
      await input().waitFor({ state: 'hidden' });
      await waitForText(sidebar(), /repository\.full_name=octocat\/hello”: 1 of 2 deliveries/);
      // Two more pushes arrive: the one to octocat/hello joins the filtered list by itself.
      const push = (repository: string, pusher: string, delivery: string): Promise<number> =>
        postJson(
          `http://127.0.0.1:${port}/webhooks/github`,
          JSON.stringify({
            ref: 'refs/heads/main',
            repository: { full_name: repository },
            pusher: { name: pusher },
            sender: { login: pusher },
            commits: [{ id: delivery.slice(0, 8), message: 'Tune the retries' }],
            head_commit: { id: delivery.slice(0, 8), message: 'Tune the retries' },
          }),
          { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': delivery },
        );
      await push('octocat/other', 'monalisa', '9a1c2b3d-cc78-11e3-81ab-4c9367dc0958');
      await push('octocat/hello', 'hubot', '5e6f7a8b-cc78-11e3-81ab-4c9367dc0958');
      await waitForText(sidebar(), /repository\.full_name=octocat\/hello”: 2 of 4 deliveries/);
      await waitForText(sidebar(), /hubot pushed/);
      assert.equal(
        await sidebar()
          .getByText(/monalisa pushed/)
          .count(),
        0,
      );
      await screenshot(page, 'f06-filter-body-live');
      await runCommand(page, 'HookLens: Clear Filter');
      await waitForText(sidebar(), /monalisa pushed/);
    });

    it('n in the tree selects and opens the next failed delivery', async () => {
      const { page } = workbench;
      // The first delivery row (the pushes to octocat/hello are grouped under their repository).
      const first = rows()
        .filter({ hasNot: page.locator('.monaco-tl-twistie.collapsible') })
        .first();
      await first.click();
      const firstText = await first.innerText();
      await page.keyboard.press('n');
      const selected = page.locator('.part.sidebar .monaco-list-row.selected');
      await page.waitForFunction((before) => {
        const row = document.querySelector('.part.sidebar .monaco-list-row.selected');
        return row !== null && (row as HTMLElement).innerText !== before;
      }, firstText);
      assert.equal(await selected.count(), 1);
      const panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await waitForText(panel.locator('.detail-header'), /handler down/);
      await page.keyboard.press('Shift+N');
      await page.waitForFunction((before) => {
        const row = document.querySelector('.part.sidebar .monaco-list-row.selected');
        return row !== null && (row as HTMLElement).innerText === before;
      }, firstText);
      await screenshot(page, 'f04-next-failed');
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });
  },
);
