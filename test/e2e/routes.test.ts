// Issue 17 in a real VS Code: add a route from a selected delivery ("route payment_intent.* to…"),
// see the next such delivery reach its own handler (the row and the Attempts tab name the route),
// then turn on "Answer 500 to the next 3 deliveries" from the palette: the status bar says so,
// the sender gets 500 three times (each marked on its row), and then deliveries flow again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import Stripe from 'stripe';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  rowsOfEvent,
  runCommand,
  screenshot,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const STRIPE_SECRET = 'whsec_e2eRoutesSecret0123456789abcdefABCD';
const stripe = new Stripe('sk_test_unused_by_this_test');

function stripeEvent(type: string): string {
  return JSON.stringify(
    {
      id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      object: 'event',
      api_version: '2024-06-20',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: { id: 'pi_3PqT9a', object: 'payment_intent', amount: 2000, currency: 'usd' },
      },
      livemode: false,
      pending_webhooks: 1,
      type,
    },
    null,
    2,
  );
}

/** Posts a Stripe event as Stripe would (signed with stripe's own helper). */
function sendStripe(port: number, type: string): Promise<{ status: number; body: string }> {
  const body = stripeEvent(type);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhooks/stripe',
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': stripe.webhooks.generateTestHeaderString({
            payload: body,
            secret: STRIPE_SECRET,
          }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Routes and chosen answers in a real VS Code', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let port: number;
  const received: Array<{ body: string; headers: IncomingHttpHeaders }> = [];
  const handler = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString(), headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"handled":"payments"}');
    });
  });
  let handlerUrl = '';

  before(async () => {
    await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
    handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/payments`;
    port = await freePort();
    workbench = await openWorkbench({
      userSettings: { 'hooklens.port': port, 'hooklens.deliveries.groupBy': 'none' },
    });
  });

  after(async () => {
    handler.closeAllConnections();
    handler.close();
    await workbench?.close();
  });

  const sidebar = () => workbench.page.locator('.part.sidebar');
  const rows = () => sidebar().locator('.monaco-list-row');
  const paymentRows = () => rowsOfEvent(rows(), 'payment_intent.');
  const simulationItem = () =>
    workbench.page.locator('.statusbar-item[id$="hooklens.failureSimulation"]');

  it('adds a route from a selected delivery: "route payment_intent.* to" a handler URL', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, 'HookLens: Start Receiver');
    await statusBarItem(page)
      .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
      .waitFor({ state: 'visible' });
    const first = await sendStripe(port, 'payment_intent.succeeded');
    assert.equal(first.status, 200, 'HookLens answers it itself: no route, no forward target');
    const row = paymentRows().first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await row.click({ button: 'right' });
    const item = page
      .locator('.context-view .action-label', { hasText: 'Add Route from Delivery…' })
      .first();
    await item.waitFor({ state: 'visible' });
    // VS Code's menus ignore a click that lands while they are still opening (as in
    // generate.test.ts): hover the item, let the menu settle, then press Enter.
    await item.hover();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const quickInput = page.locator('.quick-input-widget');
    await waitForText(quickInput, /Add Route from Delivery \(1\/2\)/);
    await waitForText(quickInput, /provider=stripe,event=payment_intent\.\*/);
    await screenshot(page, 'r01-add-route-match');
    await pickQuickInputItem(page, 'provider=stripe,event=payment_intent.*');
    await waitForText(quickInput, /route provider=stripe,event=payment_intent\.\* to…/);
    await screenshot(page, 'r02-add-route-target');
    await pickQuickInputItem(page, 'Send to a handler URL…');
    const input = quickInput.locator('input');
    await input.fill(`http://127.0.0.1:${port}/loop`);
    await waitForText(quickInput, /this receiver itself: every delivery would loop/);
    await input.fill(handlerUrl);
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts');
    await waitForText(toast, /route added: provider=stripe,event=payment_intent\.\* → http/);
    await screenshot(page, 'r03-route-added');
  });

  it('the next payment_intent delivery reaches its handler; the row and the Attempts tab name the route', async () => {
    const { page } = workbench;
    // The setting applies to the next delivery without a restart.
    let answer = await sendStripe(port, 'payment_intent.created');
    for (let tries = 0; answer.body !== '{"handled":"payments"}' && tries < 20; tries++) {
      await page.waitForTimeout(250);
      answer = await sendStripe(port, 'payment_intent.created');
    }
    assert.equal(answer.body, '{"handled":"payments"}', 'the sender got the handler’s answer');
    assert.ok(received.length >= 1);
    const routed = rows()
      .filter({ hasText: /→ provider=stripe/ })
      .first();
    await routed.waitFor({ state: 'visible' });
    await routed.click();
    const panel: Frame = await findWebviewFrame(
      page,
      '[role="tablist"][aria-label="Delivery details"]',
    );
    await panel.locator('[role="tab"]', { hasText: 'Attempts' }).first().click();
    const note = panel.locator('.route-note');
    await waitForText(note, /Route: provider=stripe,event=payment_intent\.\*/);
    assert.match(
      await note.innerText(),
      new RegExp(`Sent to ${handlerUrl.replace(/[.]/g, '\\.')}`),
    );
    await waitForText(
      panel.locator('.attempts'),
      /Route[\s\S]*provider=stripe,event=payment_intent\.\*/,
    );
    await screenshot(page, 'r04-attempts-route');
  });

  it('"Answer 500 to the next 3 deliveries": the status bar says so, the sender sees 500 three times, then normal', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Simulate Failures');
    await pickQuickInputItem(page, 'Answer 500 to the next 3 deliveries');
    await waitForText(simulationItem(), /failing the next 3 \(500\)/);
    await screenshot(page, 'r05-simulation-on');
    const handled = received.length;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await sendStripe(port, 'payment_intent.processing')).status);
      if (i === 0) await waitForText(simulationItem(), /failing the next 2 \(500\)/);
    }
    assert.deepEqual(statuses, [500, 500, 500]);
    assert.equal(received.length, handled, 'the failed deliveries were not forwarded');
    await simulationItem().waitFor({ state: 'hidden' });
    const after = await sendStripe(port, 'payment_intent.processing');
    assert.equal(after.status, 200);
    assert.equal(after.body, '{"handled":"payments"}');
    const marked = rows().filter({ hasText: /500 · simulated failure/ });
    await marked.nth(2).waitFor({ state: 'visible' });
    assert.equal(await marked.count(), 3);
    // A chosen failure is not counted as a handler failure in the status bar.
    assert.doesNotMatch(await statusBarItem(page).innerText(), /failed/);
    await marked.first().click();
    const panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    await panel.locator('[role="tab"]', { hasText: 'Attempts' }).first().click();
    await waitForText(
      panel.locator('.route-note'),
      /Chosen answer: failure simulation[\s\S]*Failure simulation: delivery 3 of the next 3 answered 500\./,
    );
    await screenshot(page, 'r06-simulated-failures');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });

  it('the panel\'s toggle: "Fail next 3" turns failure simulation on, counts down, and turns it off', async () => {
    const { page } = workbench;
    const panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    const toggle = panel.locator('[role="toolbar"] .simulate-toggle');
    await waitForText(toggle, /Fail next 3/);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    // The same simulation as the palette's: the status bar says so, and so does the toggle.
    await waitForText(simulationItem(), /failing the next 3 \(500\)/);
    await waitForText(toggle, /Failing the next 3 \(500\)/);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await screenshot(page, 'r07-panel-toggle-on');
    const handled = received.length;
    assert.equal((await sendStripe(port, 'payment_intent.canceled')).status, 500);
    await waitForText(toggle, /Failing the next 2 \(500\)/);
    await waitForText(simulationItem(), /failing the next 2 \(500\)/);
    // Off from the panel before the count runs out: deliveries reach their handler again.
    await toggle.click();
    await simulationItem().waitFor({ state: 'hidden' });
    await waitForText(toggle, /Fail next 3/);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const after = await sendStripe(port, 'payment_intent.canceled');
    assert.equal(after.status, 200);
    assert.equal(after.body, '{"handled":"payments"}');
    assert.equal(received.length, handled + 1, 'only the delivery after it was turned off');
    await screenshot(page, 'r08-panel-toggle-off');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });
});
