// Issue 18 in a real VS Code: the editor follows the team store. A throwaway PostgreSQL and a
// `hooklens listen --database-env` receiver are started here; the extension is set to the team
// store and connected through the password box (a wrong password first); the receiver's
// deliveries show in the tree, live; one is replayed from the panel to a handler on this machine
// and the Attempts tab says who replayed it; the database stops and starts (the window says
// "team store unreachable" and keeps its rows); then a reader role: browse and replay, with the
// replay labelled not recorded, the receiver refusing to start and Delete gone from the menu.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import {
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../scripts/postgres/throwawayCluster';
import { cleanUp, post, startListen, type ListenProcess } from '../cli/listenProcess';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  rowsOfEvent,
  runCommand,
  screenshot,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function invoice(type: string, id: string, amount: number): string {
  return JSON.stringify({ type, id, data: { object: { amount_due: amount, currency: 'eur' } } });
}

/** Every file under `dir` whose bytes contain `needle` (the password must be in none of them). */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await stat(path)).size < 50 * 1024 * 1024) {
        const bytes = await readFile(path).catch(() => Buffer.alloc(0));
        if (bytes.includes(needle)) found.push(path);
      }
    }
  };
  await walk(dir);
  return found;
}

describe('The team store in a real VS Code', { timeout: 600_000 }, () => {
  let cluster: ThrowawayCluster;
  let database: { readonly name: string; readonly writerUrl: string; readonly readerUrl: string };
  let receiver: ListenProcess;
  let workbench: Workbench;
  let handler: Server;
  let handlerUrl: string;
  let editorPort: number;
  const received: Received[] = [];
  const actor = `${userInfo().username}@${hostname()}`;

  before(async () => {
    cluster = await startThrowawayCluster();
    database = await cluster.newDatabase();
    receiver = await startListen(['--database-env', 'HOOKLENS_E2E_DATABASE'], {
      HOOKLENS_E2E_DATABASE: database.writerUrl,
    });
    handler = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ handled: received.length }));
      });
    });
    await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
    handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/api/webhooks`;
    workbench = await openWorkbench({
      userSettings: {
        'hooklens.port': (editorPort = await freePort()),
        'hooklens.store.location': 'team',
        'hooklens.forwardTo': handlerUrl,
        'hooklens.deliveries.groupBy': 'none',
      },
    });
  });

  after(async () => {
    await workbench?.close();
    handler?.closeAllConnections();
    handler?.close();
    await cleanUp();
    await cluster?.destroy();
  });

  const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');
  const invoiceRows = () => rowsOfEvent(rows(), 'invoice.');
  const toast = (text: string | RegExp) =>
    workbench.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  let panel: Frame;

  /**
   * The text of the notification matching `pattern`: as a toast, or (a toast VS Code did not
   * pop up, as happens while a quick input closes) in the notification center.
   */
  async function notification(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const { page } = workbench;
    const shown = toast(pattern).first();
    const popped = await shown
      .waitFor({ state: 'visible', timeout: Math.min(timeoutMs, 8_000) })
      .then(() => true)
      .catch(() => false);
    if (popped) return shown.innerText();
    await runCommand(page, 'Notifications: Show Notifications');
    const row = page
      .locator('.notifications-center .notification-list-item', { hasText: pattern })
      .first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = await row.innerText();
    await page.keyboard.press('Escape');
    return text;
  }

  /** Connect to Team Store…, typing `url` into the password box. */
  async function connect(url: string): Promise<void> {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Connect to Team Store');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(url);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  it('the listen receiver stores deliveries in the team database', async () => {
    for (const [type, id, amount] of [
      ['invoice.paid', 'in_001', 4200],
      ['invoice.payment_failed', 'in_002', 990],
    ] as const) {
      const answer = await post(receiver.port, invoice(type, id, amount));
      assert.equal(answer.status, 200, answer.body);
    }
  });

  it('the team store chosen but not connected: the view says so and offers Connect', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await waitForText(statusBarItem(page), /team store not connected/, { timeoutMs: 30_000 });
    await page.waitForTimeout(1_000);
    await screenshot(page, 't0-team-store-not-connected');
    await page
      .locator('.welcome-view-content a.monaco-button', { hasText: 'Connect to Team Store' })
      .waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('Connect: a wrong password, then a certificate that cannot be verified: clear errors that never show the password', async () => {
    const { page } = workbench;
    const wrong = database.writerUrl.replace('writer-pw', 'not-the-pw-4711');
    assert.notEqual(wrong, database.writerUrl);
    await connect(wrong);
    const error = toast(/password was refused/);
    await error.first().waitFor({ state: 'visible', timeout: 20_000 });
    const text = await error.first().innerText();
    assert.match(text, /Could not open the team database \S+ on 127\.0\.0\.1:\d+ as \w+/);
    assert.doesNotMatch(text, /not-the-pw-4711|postgres:\/\//);
    await page.waitForTimeout(500);
    await screenshot(page, 't1-team-store-wrong-password');
    // Try Again opens the box with what was typed.
    await error.first().locator('.monaco-button', { hasText: 'Try Again' }).click();
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    assert.equal(await input.inputValue(), wrong);
    // TLS: this throwaway server offers it with a self-signed certificate, which pg's
    // sslmode=require (verify-full in pg 8) refuses, and says why.
    await input.fill(`${database.writerUrl}?sslmode=require`);
    await page.keyboard.press('Enter');
    const untrusted = await notification(/unable to verify the first certificate/);
    assert.doesNotMatch(untrusted, /writer-pw|postgres:\/\//);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('Connect over TLS (libpq’s sslmode=require: encrypted, certificate not checked)', async () => {
    await connect(`${database.writerUrl}?uselibpqcompat=true&sslmode=require`);
    await waitForText(statusBarItem(workbench.page), /team · \d/, { timeoutMs: 30_000 });
    // The editor's connections are the writer role's encrypted ones (listen's are not).
    const encrypted = await cluster.sql(
      "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = 'hooklens_writer' AND ssl",
    );
    assert.ok(Number(encrypted.trim()) >= 1, `encrypted connections: ${encrypted}`);
  });

  it('shows the deliveries the receiver took, and the status bar says team', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await invoiceRows().nth(1).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await invoiceRows().count(), 2);
    await waitForText(statusBarItem(page), /team/);
    assert.doesNotMatch(await statusBarItem(page).innerText(), /read-only|unreachable/);
    await screenshot(page, 't2-team-store-deliveries');
  });

  it('the URL and its password are in no setting and no log', async () => {
    // Give the log a moment to be written to disk.
    await workbench.page.waitForTimeout(1_000);
    const settings = await readFile(
      join(workbench.server.userDataDir, 'User', 'settings.json'),
      'utf8',
    );
    assert.match(settings, /"hooklens\.store\.location": "team"/);
    assert.doesNotMatch(settings, /writer-pw|postgres:\/\//);
    for (const password of ['writer-pw', 'not-the-pw-4711']) {
      const found = await filesContaining(workbench.server.userDataDir, password);
      // VS Code's own state database (where this VS Code keeps secret storage) is the one place
      // it may be; settings and logs (the HookLens output channel included) never hold it.
      const leaks = found.filter((path) => !/state\.vscdb/.test(path));
      assert.deepEqual(leaks, [], `${password} found in ${leaks.join(', ')}`);
    }
    const logs = await filesContaining(
      workbench.server.userDataDir,
      'Connected to the team database',
    );
    assert.ok(
      logs.length > 0,
      'the HookLens log says what it connected to (checked above for the password)',
    );
  });

  it('live: a delivery another receiver takes appears at once (the change feed)', async () => {
    const answer = await post(receiver.port, invoice('invoice.created', 'in_003', 15000));
    assert.equal(answer.status, 200);
    await rowsOfEvent(rows(), 'invoice.created').waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await invoiceRows().count(), 3);
  });

  it('Connect again with the URL already followed: nothing changes, nothing is refused', async () => {
    const { page } = workbench;
    await connect(`${database.writerUrl}?uselibpqcompat=true&sslmode=require`);
    await toast(/connected to the team database/)
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 })
      .catch(() => undefined);
    assert.equal(await toast(/still local|could not/i).count(), 0);
    assert.equal(await invoiceRows().count(), 3);
    await waitForText(statusBarItem(page), /team · 3/);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('opens one and replays it to the local handler; the Attempts tab says who replayed it', async () => {
    const { page } = workbench;
    await rowsOfEvent(rows(), 'invoice.paid').first().click();
    panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    await waitForText(panel.locator('.detail-header').first(), /invoice\.paid/);
    const before = received.length;
    await panel.locator('button[data-action="replay"]').click();
    for (let tries = 0; tries < 150 && received.length === before; tries++) {
      await page.waitForTimeout(100);
    }
    assert.equal(received.length, before + 1, 'the handler got the replay');
    assert.deepEqual(JSON.parse(received.at(-1)?.body.toString() ?? '{}'), {
      type: 'invoice.paid',
      id: 'in_001',
      data: { object: { amount_due: 4200, currency: 'eur' } },
    });
    await panel.locator('[role="tab"]', { hasText: 'Attempts' }).first().click();
    const attempts = panel.locator('[role="tabpanel"]:not([hidden])').first();
    const text = await waitForText(attempts, /Replay 1/);
    assert.ok(text.includes(`by ${actor}`), `the attempt names ${actor}:\n${text}`);
    assert.ok(text.includes(handlerUrl), text);
    await page.waitForTimeout(300);
    await screenshot(page, 't3-team-store-replay-attempt-by');
  });

  it('a writer role: this window’s receiver stores into the team database', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Start Receiver');
    await waitForText(statusBarItem(page), new RegExp(`:${editorPort} ·\\s+team`), {
      timeoutMs: 20_000,
    });
    const answer = await post(editorPort, invoice('invoice.finalized', 'in_005', 77));
    assert.equal(answer.status, 200, answer.body);
    await rowsOfEvent(rows(), 'invoice.finalized').waitFor({ state: 'visible', timeout: 15_000 });
    const stored = await cluster.sql(
      "SELECT count(*) FROM hooklens_deliveries WHERE record LIKE '%invoice.finalized%'",
      database.name,
    );
    assert.equal(stored.trim(), '1', 'stored in the team database');
    await screenshot(page, 't4-team-store-editor-receiver');
    await runCommand(page, 'HookLens: Stop Receiver');
    await waitForText(statusBarItem(page), /HookLens ·\s+team/);
  });

  it('Health and Compare work on the team store as on the local one', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Show Delivery Health');
    const frame = await findWebviewFrame(page, '.health-content .minute-chart');
    const health = frame.locator('.health-content');
    await waitForText(health, /4 deliveries/);
    await waitForText(health, /Latency by event[\s\S]*invoice\.paid/);
    await screenshot(page, 't5-team-store-health');

    await openHookLensView(page);
    await rowsOfEvent(rows(), 'invoice.paid').first().click();
    await rowsOfEvent(rows(), 'invoice.created')
      .first()
      .click({ modifiers: ['Control'] });
    await rowsOfEvent(rows(), 'invoice.created').first().click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Compare Deliveries' });
    await item.first().waitFor({ state: 'visible' });
    await item.first().hover();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 20_000 });
    await waitForText(diff, /in_001/);
    await waitForText(diff, /in_003/);
    await screenshot(page, 't5-team-store-compare');
    // Back to the delivery's panel for what follows.
    await runCommand(page, 'View: Close Editor');
    await diff.waitFor({ state: 'hidden' });
    await rowsOfEvent(rows(), 'invoice.paid').first().click();
    panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    await waitForText(panel.locator('.detail-header').first(), /invoice\.paid/);
  });

  it('the database stops: "team store unreachable", the rows stay; back: the message goes', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await cluster.stop();
    try {
      await waitForText(statusBarItem(page), /team store unreachable/, { timeoutMs: 30_000 });
      await waitForText(page.locator('.part.sidebar'), /Team store unreachable/);
      assert.equal(await invoiceRows().count(), 4, 'what was shown stays');
      // The open panel keeps its delivery too.
      await waitForText(panel.locator('.detail-header').first(), /invoice\.paid/);
      await page.mouse.move(700, 500);
      await page.waitForTimeout(500);
      await screenshot(page, 't6-team-store-unreachable');
    } finally {
      await cluster.start();
    }
    await waitForText(statusBarItem(page), /team store unreachable/, {
      absent: true,
      timeoutMs: 60_000,
    });
    await waitForText(page.locator('.part.sidebar'), /Team store unreachable/, { absent: true });
    // And it follows again: a delivery taken now shows.
    let answer = await post(receiver.port, invoice('invoice.voided', 'in_004', 1));
    for (let tries = 0; tries < 50 && answer.status !== 200; tries++) {
      await page.waitForTimeout(200);
      answer = await post(receiver.port, invoice('invoice.voided', 'in_004', 1));
    }
    assert.equal(answer.status, 200);
    await rowsOfEvent(rows(), 'invoice.voided').waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 't7-team-store-back');
  });

  it('a reader role: browse and replay (not recorded), the receiver cannot start, no Delete', async () => {
    const { page } = workbench;
    await runCommand(page, 'HookLens: Disconnect from Team Store');
    await invoiceRows().first().waitFor({ state: 'hidden', timeout: 20_000 });
    // The open panel says why its delivery is gone: another store is shown, nothing was deleted.
    await waitForText(panel.locator('body'), /This delivery is not in this machine’s store/);
    await connect(database.readerUrl);
    await invoiceRows().nth(4).waitFor({ state: 'visible', timeout: 30_000 });
    await waitForText(statusBarItem(page), /team \(read-only\)/);
    await waitForText(page.locator('.part.sidebar'), /read-only role/);

    // Start Receiver says clearly that it cannot.
    await runCommand(page, 'HookLens: Start Receiver');
    const refusal = await notification(/receiver cannot start in this window/);
    assert.match(refusal, /may only read the team store/);
    await page.waitForTimeout(500);
    await screenshot(page, 't8-team-store-reader-cannot-start');
    await runCommand(page, 'Notifications: Clear All Notifications');

    // Replay is sent, and labelled not recorded.
    const before = received.length;
    await rowsOfEvent(rows(), 'invoice.created').first().click();
    panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
    await waitForText(panel.locator('.detail-header').first(), /invoice\.created/);
    await panel.locator('button[data-action="replay"]').click();
    await notification(/not recorded \(read-only store\)/i);
    assert.equal(received.length, before + 1, 'the handler got the replay');
    await page.waitForTimeout(800);
    await screenshot(page, 't9-team-store-reader-replay-not-recorded');

    // Delete is not offered on a store this role may only read.
    await openHookLensView(page);
    const row = rowsOfEvent(rows(), 'invoice.created').first();
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .action-label');
    await menu.first().waitFor({ state: 'visible' });
    const items = await menu.allInnerTexts();
    assert.ok(
      items.some((item) => /Replay/.test(item)),
      items.join(', '),
    );
    assert.ok(!items.some((item) => /Delete/.test(item)), items.join(', '));
    await screenshot(page, 'ta-team-store-reader-menu');
    await page.keyboard.press('Escape');
    assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
  });
});
