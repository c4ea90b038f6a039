// Providers in a real VS Code: a GitHub and a Stripe secret set through Set Secret… (the provider
// pick, then the password box), deliveries signed by each provider's own library (GitHub's
// @octokit/webhooks-methods, Stripe's stripe-node) verified in the tree and on the detail panel's
// Auth tab, a tampered one refused with 401, the pick starting on the selected delivery's
// provider, and Remove Secret… applying to the next delivery without a restart. No secret value
// reaches the log, the store, a list or the panel.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import examples from '@octokit/webhooks-examples';
import Stripe from 'stripe';
import type { Frame } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  rowsOfEvent,
  runCommand,
  screenshot,
  showRowHover,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';
import { postJson } from './deliveries';

const GITHUB_SECRET = 'octo-hooks: a GitHub webhook secret long enough to be strong';
const STRIPE_SECRET = 'whsec_7d1f0c2b9e8a4f6d3c5b1a0e9f8d7c6b';

/** A real `issues.opened` delivery body from GitHub's own examples. */
function githubIssueOpened(): string {
  const events = examples as unknown as ReadonlyArray<{
    readonly name: string;
    readonly examples: ReadonlyArray<Record<string, unknown>>;
  }>;
  const example = events
    .find((event) => event.name === 'issues')
    ?.examples.find((body) => body.action === 'opened');
  assert.ok(example, '@octokit/webhooks-examples has an issues.opened payload');
  return JSON.stringify(example);
}

function stripePaymentSucceeded(id: string): string {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: 'pi_3PqK2bLkdIwHu7ix0aVb1c2D',
        object: 'payment_intent',
        amount: 2000,
        currency: 'usd',
        status: 'succeeded',
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_8bX2Yc3Zd4', idempotency_key: randomUUID() },
    type: 'payment_intent.succeeded',
  });
}

async function githubSignature(body: string): Promise<string> {
  // ESM only: loaded the way an ESM package is loaded from CommonJS.
  const { sign } = await import('@octokit/webhooks-methods');
  return sign(GITHUB_SECRET, body);
}

function stripeSignature(body: string): string {
  return new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
    payload: body,
    secret: STRIPE_SECRET,
  });
}

/** Every file under `dir`, recursively; missing folders are empty. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('Provider secrets in a real VS Code', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;
  let panel: Frame;

  before(async () => {
    port = await freePort();
    workbench = await openWorkbench({
      userSettings: { 'hooklens.port': port, 'hooklens.deliveries.groupBy': 'none' },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');
  // GitHub rows lead with what happened ("Issue #1 opened: …"); the event is in the accessible
  // label. Stripe's headline starts with the event.
  const githubRows = (event: string) => rowsOfEvent(rows(), event);
  const passwordBox = () => workbench.page.locator('.quick-input-widget input[type="password"]');
  const quickInputMessage = () =>
    workbench.page.locator('.quick-input-widget .quick-input-message');

  async function showAuthTab(shot: string): Promise<string> {
    panel = await findWebviewFrame(
      workbench.page,
      '[role="tablist"][aria-label="Delivery details"]',
    );
    await panel.locator('[role="tab"]', { hasText: 'Auth' }).first().click();
    const selected = panel.locator('[role="tabpanel"]:not([hidden])').first();
    await selected.waitFor({ state: 'visible' });
    await workbench.page.waitForTimeout(400);
    await screenshot(workbench.page, shot);
    return selected.innerText();
  }

  it('starts the receiver', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, 'HookLens: Start Receiver');
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
  });

  it('sets a GitHub secret: the provider pick, then a password box that says where to find it', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Set Secret');
    const list = page.locator('.quick-input-list');
    await list.locator('.monaco-list-row', { hasText: 'Watson Assistant' }).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, '70-set-secret-provider-pick');
    await pickQuickInputItem(page, 'GitHub');

    const input = passwordBox();
    await input.waitFor({ state: 'visible' });
    const widget = page.locator('.quick-input-widget');
    await waitForText(widget, /Set Secret for GitHub/);
    await waitForText(widget, /Secret field of the repository/);
    // GitHub's secret is one the developer chooses, so HookLens offers to generate it.
    assert.equal(
      await widget.locator('.quick-input-titlebar .codicon-sparkle').count(),
      1,
      'the Generate button is offered for a secret the developer chooses',
    );
    await input.fill(GITHUB_SECRET);
    await page.waitForTimeout(300);
    await screenshot(page, '71-set-secret-github-input');
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  });

  it('sets a Stripe secret, hinting when the value is not a whsec_ signing secret', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Set Secret');
    await pickQuickInputItem(page, 'Stripe');
    const input = passwordBox();
    await input.waitFor({ state: 'visible' });
    const widget = page.locator('.quick-input-widget');
    await waitForText(widget, /Signing secret in the Dashboard/);
    assert.equal(
      await widget.locator('.quick-input-titlebar .codicon-sparkle').count(),
      0,
      'no Generate button: Stripe issues its secret',
    );
    await input.fill('sk_test_51NotTheSigningSecret');
    await quickInputMessage()
      .filter({ hasText: /whsec_/ })
      .waitFor({ state: 'visible' });
    await screenshot(page, '72-set-secret-stripe-hint');
    await input.fill(STRIPE_SECRET);
    await quickInputMessage()
      .filter({ hasText: /whsec_/ })
      .waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await page.waitForTimeout(500);
  });

  it('verifies a GitHub and a Stripe delivery signed by their own libraries; a tampered one gets 401', async () => {
    const { page } = workbench;
    const url = `http://127.0.0.1:${port}/webhooks`;
    const github = githubIssueOpened();
    const githubHeaders = {
      'User-Agent': 'GitHub-Hookshot/e2e',
      'X-GitHub-Event': 'issues',
      'X-GitHub-Hook-ID': '492877346',
      'X-Hub-Signature-256': await githubSignature(github),
    };
    assert.equal(
      await postJson(`${url}/github`, github, {
        ...githubHeaders,
        'X-GitHub-Delivery': randomUUID(),
      }),
      200,
    );
    const stripe = stripePaymentSucceeded('evt_1PqK2cLkdIwHu7ixVerified');
    assert.equal(
      await postJson(`${url}/stripe`, stripe, {
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'Stripe-Signature': stripeSignature(stripe),
      }),
      200,
    );
    // The same signature over a body changed on the way: refused, kept and flagged.
    const tampered = github.replace('"action":"opened"', '"action":"closed"');
    assert.notEqual(tampered, github);
    assert.equal(
      await postJson(`${url}/github`, tampered, {
        ...githubHeaders,
        'X-GitHub-Delivery': randomUUID(),
      }),
      401,
    );

    const verifiedGithub = githubRows('issues.opened').filter({
      has: page.locator('.codicon-pass'),
    });
    const verifiedStripe = rows()
      .filter({ hasText: 'payment_intent.succeeded' })
      .filter({ has: page.locator('.codicon-pass') });
    const refused = githubRows('issues.closed').filter({ has: page.locator('.codicon-error') });
    await verifiedGithub.first().waitFor({ state: 'visible' });
    await verifiedStripe.first().waitFor({ state: 'visible' });
    await refused.first().waitFor({ state: 'visible' });
    await waitForText(verifiedGithub.first(), /^Issue #1 opened: [\s\S]*200 ·/);
    await waitForText(refused.first(), /^Issue #1 closed: [\s\S]*401 · invalid signature ·/);
    await waitForText(verifiedStripe.first(), /^payment_intent\.succeeded[\s\S]*200 ·/);
    await page.waitForTimeout(300);
    await screenshot(page, '73-providers-tree');

    // The row's tooltip says which verdict and why, as the other rows' do.
    const hover = await showRowHover(verifiedStripe.first(), /Verification/);
    const tooltip = await hover.innerText();
    assert.match(tooltip, /Verification: Verified\. Stripe-Signature matches the Stripe secret/);
    assert.match(tooltip, /payment_intent\.succeeded/);
    await screenshot(page, '74-providers-tree-tooltip');
    await page.mouse.move(700, 800);

    // The status bar names the providers with a secret, never a value.
    await statusBarItem(page).hover();
    const statusHover = page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: /Secrets set for/ });
    await statusHover.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await statusHover.first().innerText(), /Secrets set for: GitHub, Stripe\./);
    await page.mouse.move(700, 800);
  });

  it('shows each verdict on the Auth tab of the detail panel', async () => {
    await githubRows('issues.opened').first().click();
    const githubAuth = await showAuthTab('75-github-auth');
    assert.match(githubAuth, /verified/i);
    assert.match(githubAuth, /X-Hub-Signature-256/i);
    assert.ok(!githubAuth.includes(GITHUB_SECRET), 'the panel never shows the secret');

    await rows().filter({ hasText: 'payment_intent.succeeded' }).first().click();
    await waitForText(panel.locator('body'), /payment_intent\.succeeded/);
    const stripeAuth = await showAuthTab('76-stripe-auth');
    assert.match(stripeAuth, /verified/i);
    assert.match(stripeAuth, /Stripe-Signature/i);
    assert.ok(!stripeAuth.includes(STRIPE_SECRET), 'the panel never shows the secret');

    await githubRows('issues.closed').first().click();
    await waitForText(panel.locator('body'), /issues\.closed/);
    const refusedAuth = await showAuthTab('77-tampered-auth');
    assert.match(refusedAuth, /invalid signature|does not match/i);
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });

  it('starts the provider pick on the selected delivery’s provider', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await rows().filter({ hasText: 'payment_intent.succeeded' }).first().click();
    // The palette directly: runCommand's Escape would clear the tree's selection first.
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill('>HookLens: Set Secret');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'HookLens: Set Secret' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await waitForText(focused.first(), /^Stripe/);
    assert.match(await focused.first().innerText(), /set: 'current'/);
    await screenshot(page, '78-set-secret-preselected');
    await page.keyboard.press('Escape');
  });

  it('Remove Secret… lists secrets by provider and label, and the next delivery goes unverified', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Remove Secret');
    const list = page.locator('.quick-input-list');
    await list.locator('.monaco-list-row', { hasText: 'GitHub' }).waitFor();
    const text = await list.innerText();
    assert.match(text, /GitHub[\s\S]*'current'/);
    assert.match(text, /Stripe[\s\S]*'current'/);
    assert.ok(!text.includes(GITHUB_SECRET) && !text.includes(STRIPE_SECRET), 'no value listed');
    await screenshot(page, '79-remove-secret-list');
    await pickQuickInputItem(page, 'Stripe');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Stripe secret 'current'/);
    await dialog.locator('.monaco-button', { hasText: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(500);

    // Applied to the running receiver: the next Stripe delivery is accepted, marked unverified.
    const stripe = stripePaymentSucceeded('evt_1PqK2dLkdIwHu7ixAfterRemove');
    assert.equal(
      await postJson(`http://127.0.0.1:${port}/webhooks/stripe`, stripe, {
        'Stripe-Signature': stripeSignature(stripe),
      }),
      200,
    );
    await rows()
      .filter({ hasText: 'payment_intent.succeeded' })
      .filter({ has: page.locator('.codicon-unlock') })
      .first()
      .waitFor({ state: 'visible' });
    await screenshot(page, '80-after-remove-stripe');
  });

  it('a label and a path from the tag button: the secret verifies only that path’s deliveries', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Set Secret');
    await pickQuickInputItem(page, 'Stripe');
    const input = passwordBox();
    await input.waitFor({ state: 'visible' });
    await input.fill(STRIPE_SECRET);
    await page.locator('.quick-input-widget .quick-input-titlebar .codicon-tag').click();
    const box = page.locator('.quick-input-widget input').first();
    await waitForText(page.locator('.quick-input-widget'), /Set Secret for Stripe: label/);
    await box.fill('account B');
    await page.keyboard.press('Enter');
    await waitForText(page.locator('.quick-input-widget'), /Set Secret for Stripe: path/);
    await box.fill('/webhooks/stripe-b');
    await page.waitForTimeout(300);
    await screenshot(page, '81-set-secret-path');
    await page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden' });
    await page.waitForTimeout(500);

    const onB = stripePaymentSucceeded('evt_1PqK2eLkdIwHu7ixAccountB');
    assert.equal(
      await postJson(`http://127.0.0.1:${port}/webhooks/stripe-b`, onB, {
        'Stripe-Signature': stripeSignature(onB),
      }),
      200,
    );
    const sidebar = page.locator('.part.sidebar');
    await rows()
      .filter({ hasText: 'payment_intent.succeeded' })
      .first()
      .filter({ has: page.locator('.codicon-pass') })
      .waitFor({ state: 'visible' });
    // Another path has no Stripe secret now: accepted, not verified.
    const elsewhere = stripePaymentSucceeded('evt_1PqK2fLkdIwHu7ixElsewhere');
    assert.equal(
      await postJson(`http://127.0.0.1:${port}/webhooks/stripe`, elsewhere, {
        'Stripe-Signature': stripeSignature(elsewhere),
      }),
      200,
    );
    await rows()
      .filter({ hasText: 'payment_intent.succeeded' })
      .first()
      .filter({ has: page.locator('.codicon-unlock') })
      .waitFor({ state: 'visible' });
    await waitForText(sidebar, /payment_intent\.succeeded/);
    await screenshot(page, '82-path-bound-secret');

    await runCommand(page, 'HookLens: Remove Secret');
    const list = page.locator('.quick-input-list');
    await list.locator('.monaco-list-row', { hasText: 'Stripe' }).waitFor();
    assert.match(
      await list.innerText(),
      /Stripe[\s\S]*signing secret 'account B' · for \/webhooks\/stripe-b/,
    );
    await page.keyboard.press('Escape');
  });

  it('keeps every secret out of the log and the store', async () => {
    const { userDataDir } = workbench.server;
    const files = [
      ...(await filesUnder(join(userDataDir, 'logs'))),
      ...(await filesUnder(join(userDataDir, 'User', 'globalStorage', 'hooklens.hooklens'))),
    ];
    const log = files.find((file) => basename(file) === 'HookLens.log');
    assert.ok(log, `the HookLens log is among ${files.length} files`);
    assert.match(
      await readFile(log, 'utf8'),
      /Saved the GitHub secret 'current' \(value not logged\)/,
    );
    for (const file of files) {
      const content = await readFile(file, 'latin1');
      for (const secret of [GITHUB_SECRET, STRIPE_SECRET]) {
        assert.ok(!content.includes(secret), `${file} does not hold a secret`);
      }
    }
  });
});
