// Journeys 3 to 6 and 9 in a real VS Code: deliveries forwarded to a handler, the detail panel's
// tabs in light, dark and high-contrast themes, replay from the panel with the new attempt
// appearing live, edit and send, compare two deliveries in the diff editor, export to HAR.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { freePort } from '../../scripts/e2e/codeServer';
import { signToken } from '../../src/core/verify/sign';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  rowsOfEvent,
  runCommand,
  screenshot,
  screenshotsDir,
  setSecret,
  statusBarItem,
  selectColorTheme,
  waitForText,
  type Workbench,
} from './workbench';

const SECRET = 'teal heron teal heron teal heron teal heron';
const SESSION = 'a1f0c9d2-5b7e-4c11-9e3a-2f6d8b4c7e90';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function messageLogged(logId: string, text: string): string {
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: {
      log_id: logId,
      session_id: SESSION,
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
      request_timestamp: '2026-11-23T10:15:02.511Z',
      response_timestamp: '2026-11-23T10:15:02.874Z',
      customer_ref: 'BIG_NUMBER',
      request: { input: { message_type: 'text', text } },
      response: {
        output: {
          intents: [{ intent: 'check_balance', confidence: 0.9731 }],
          entities: [{ entity: 'account', value: 'checking', confidence: 1 }],
          generic: [
            { response_type: 'text', text: 'Your checking balance is $1,250.00.' },
            {
              response_type: 'option',
              title: 'Anything else?',
              options: [
                { label: 'Transfer money', value: { input: { text: 'transfer' } } },
                { label: 'Talk to an agent', value: { input: { text: 'agent' } } },
              ],
            },
          ],
        },
      },
    },
  }).replace('"BIG_NUMBER"', '12345678901234567890123'); // beyond 2^53: must stay exact
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', Authorization: signToken(SECRET, {}) },
  });
  return { status: response.status, text: await response.text() };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Waits until the HookLens output channel's log file (under the user data folder) matches. */
async function waitForLog(userDataDir: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    const files = await readdir(join(userDataDir, 'logs'), { recursive: true }).catch(() => []);
    const log = files.find((file) => basename(file) === 'HookLens.log');
    text = log ? await readFile(join(userDataDir, 'logs', log), 'utf8').catch(() => '') : '';
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the HookLens log never matched ${String(pattern)}:\n${text}`);
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe(
  'Inspect, forward, replay, compare and export in a real VS Code',
  { timeout: 420_000 },
  () => {
    let workbench: Workbench;
    let port: number;
    let handler: Server;
    let handlerUrl: string;
    const received: Received[] = [];
    /** Other handlers a test started, stopped after the journey. */
    const servers: Server[] = [];
    const bodies: string[] = [];

    before(async () => {
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
      port = await freePort();
      workbench = await openWorkbench({
        userSettings: {
          'hooklens.port': port,
          'hooklens.forwardTo': handlerUrl,
          'hooklens.deliveries.groupBy': 'none',
          'hooklens.maxBodySize': 26214400,
          'workbench.colorTheme': 'Default Light Modern',
        },
      });
    });

    after(async () => {
      await workbench?.close();
      for (const server of [handler, ...servers]) {
        server?.closeAllConnections();
        server?.close();
      }
    });

    const rows = () => workbench.page.locator('.part.sidebar .monaco-list-row');
    /** The text of the Replay Response tab, in whichever group shows it. */
    const responseLines = () =>
      workbench.page
        .locator('.editor-group-container', {
          has: workbench.page.locator('.tab.active', { hasText: 'Replay Response' }),
        })
        .locator('.monaco-editor .view-lines')
        .first();

    // Rows lead with the user's words; the event is in each row's accessible label.
    const watsonRows = () => rowsOfEvent(rows(), 'message_logged');
    let panel: Frame;

    async function showTab(name: string, shot: string): Promise<string> {
      await panel.locator('[role="tab"]', { hasText: name }).first().click();
      const selected = panel.locator('[role="tabpanel"]:not([hidden])');
      await selected.first().waitFor({ state: 'visible' });
      await workbench.page.waitForTimeout(300);
      await screenshot(workbench.page, shot);
      return selected.first().innerText();
    }

    it('opens its store only once the HookLens view is shown', async () => {
      const { page, server } = workbench;
      const store = join(server.userDataDir, 'User', 'globalStorage', 'hooklens.hooklens', 'store');
      // The extension activates at startup (for hooklens.autoStart) and says it waits.
      await waitForLog(
        server.userDataDir,
        /The delivery store opens when the HookLens view is shown/,
      );
      assert.equal(existsSync(store), false, 'no store folder before the view is shown');
      await openHookLensView(page);
      await waitForLog(server.userDataDir, /Delivery store .*: 0 deliveries/);
      assert.equal(existsSync(store), true);
    });

    it('F-01: forwards live deliveries to the handler, byte for byte, and the sender gets its answer', async () => {
      const { page } = workbench;
      await openHookLensView(page);
      await runCommand(page, 'HookLens: Start Receiver');
      await statusBarItem(page)
        .filter({ hasText: `:${port}`, has: page.locator('.codicon-radio-tower') })
        .waitFor({ state: 'visible' });
      await setSecret(page, SECRET);

      const url = `http://127.0.0.1:${port}/webhooks/watson`;
      for (const [logId, text] of [
        ['log-101', 'What is my checking balance?'],
        ['log-102', 'What is my savings balance?'],
      ] as const) {
        const body = messageLogged(logId, text);
        bodies.push(body);
        const answer = await post(url, body);
        assert.equal(answer.status, 200);
        assert.match(answer.text, /"handled":\d/, 'the sender gets the handler’s answer');
      }
      assert.equal(received.length, 2);
      assert.equal(sha256(received[0]?.body ?? ''), sha256(bodies[0] ?? ''));
      await watsonRows().nth(1).waitFor({ state: 'visible' });
    });

    it("Copy Tail Command gives a command that runs the extension's own CLI, no install needed", async () => {
      const { page } = workbench;
      await runCommand(page, 'HookLens: Copy Tail Command');
      let command = '';
      for (let tries = 0; tries < 50 && !command.includes(' tail '); tries++) {
        command = await page.evaluate('navigator.clipboard.readText()');
        if (!command.includes(' tail ')) await page.waitForTimeout(100);
      }
      assert.match(command, /^node '[^']+\/dist\/cli\.js' tail --store '[^']+'$/);
      // Run as copied, by a shell whose PATH has node but no hooklens.
      const tail = spawn('sh', ['-c', `exec ${command}`], {
        env: { PATH: dirname(process.execPath), HOME: workbench.server.userDataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let stderr = '';
        tail.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const connected = new Promise<void>((resolve, reject) => {
          tail.stderr.on('data', () => /connected/i.test(stderr) && resolve());
          tail.once('exit', (code) => reject(new Error(`tail exited ${code}: ${stderr}`)));
        });
        await connected;
      } finally {
        tail.kill('SIGTERM');
      }
    });

    it('shows every tab of a delivery in the light theme', async () => {
      const { page } = workbench;
      await watsonRows().last().click();
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      const overview = await showTab('Overview', '20-panel-overview-light');
      assert.match(overview, /Webhook ID[\s\S]*Session ID[\s\S]*Retry Count/);
      assert.match(overview, new RegExp(SESSION));

      const request = await showTab('Request', '21-panel-request-light');
      assert.match(request, /Authorization/);
      assert.match(request, /\[redacted\]|redacted/i);
      assert.match(request, /12345678901234567890123/, 'big numbers keep their exact text');

      const response = await showTab('Response', '22-panel-response-light');
      assert.match(response, /handled/);

      const auth = await showTab('Auth', '23-panel-auth-light');
      assert.match(auth, /HS256/);
      assert.match(auth, /exp/);

      const conversation = await showTab('Conversation', '24-panel-conversation-light');
      assert.match(conversation, /What is my checking balance\?/);
      assert.match(conversation, /check_balance/);
      assert.match(conversation, /Transfer money/);

      const attempts = await showTab('Attempts', '25-panel-attempts-light');
      assert.match(attempts, /Forward/);
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });

    it('replays from the panel: the handler gets it again and the new attempt appears live', async () => {
      const before = received.length;
      await panel.locator('button[data-action="replay"]').click();
      for (let tries = 0; tries < 100 && received.length === before; tries++) {
        await workbench.page.waitForTimeout(100);
      }
      assert.equal(received.length, before + 1);
      assert.equal(sha256(received.at(-1)?.body ?? ''), sha256(bodies[0] ?? ''));
      await panel.locator('[role="tab"]', { hasText: 'Attempts' }).first().click();
      await waitForText(panel.locator('[role="tabpanel"]:not([hidden])').first(), /Replay 1/);
      // The handler's answer opens beside the panel: status, time, headers, the JSON body.
      const text = await waitForText(responseLines(), /"handled":\s3/);
      assert.match(text, /HTTP\s200\sOK\s·\s[\d.]+\sms/);
      assert.match(text, /content-type:\sapplication\/json/i);
      assert.match(text, /replay\sof\smessage_logged/);
      assert.ok(
        await panel.locator('[role="tablist"]').first().isVisible(),
        'the panel stays in view beside the response',
      );
      assert.ok(
        (await workbench.page.locator('.editor-group-container').count()) >= 2,
        'the response is in a group of its own',
      );
      await screenshot(workbench.page, '26-panel-attempt-after-replay');
    });

    it('Send Again by its key: the same replay again, in the same response tab', async () => {
      const { page } = workbench;
      const before = received.length;
      // The focus in the panel (on its Attempts tab), as after clicking Replay there.
      await panel.locator('[role="tab"]', { hasText: 'Attempts' }).first().click();
      await page.keyboard.press('Control+Alt+L');
      for (let tries = 0; tries < 100 && received.length === before; tries++) {
        await page.waitForTimeout(100);
      }
      assert.equal(received.length, before + 1, 'Ctrl+Alt+L sent the replay again');
      assert.equal(sha256(received.at(-1)?.body ?? ''), sha256(bodies[0] ?? ''));
      await waitForText(responseLines(), new RegExp(`"handled":\\s${before + 1}`));
      // One response tab, reused.
      assert.equal(
        await page.locator('.tabs-container .tab', { hasText: 'Replay Response' }).count(),
        1,
      );
      await waitForText(panel.locator('[role="tabpanel"]:not([hidden])').first(), /Replay 2/);
    });

    it('edit and replay: the edited body goes out with a fresh token; the delivery is unchanged', async () => {
      const { page } = workbench;
      const before = received.length;
      // Edit and Replay sits in the Replay ▾ menu.
      await panel.locator('button[aria-label="More ways to replay"]').click();
      await panel
        .locator('[role="menu"][aria-label="Replay"] button[data-action="editAndReplay"]')
        .click();
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor.waitFor({ state: 'visible' });
      await waitForText(editor, /"message_logged"/);
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+A');
      const edited = JSON.stringify({
        event: { name: 'message_logged' },
        payload: { edited: true },
      });
      // Pasted, not typed: typing goes through auto-closing and auto-indent.
      await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(edited)})`);
      await page.keyboard.press('Control+V');
      const send = page.locator('.codelens-decoration a', { hasText: 'Send edited body' }).first();
      await send.waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.press('Control+Home');
      await page.waitForTimeout(300);
      await screenshot(page, '27-edit-and-replay');
      await send.click();
      for (let tries = 0; tries < 100 && received.length === before; tries++) {
        await page.waitForTimeout(100);
      }
      assert.equal(received.length, before + 1);
      const sent = received.at(-1);
      assert.deepEqual(JSON.parse(sent?.body.toString() ?? ''), JSON.parse(edited));
      assert.equal(sent?.headers['x-replay'], 'true', 'a fresh token marks the replay');
      assert.notEqual(sent?.headers.authorization, received[0]?.headers.authorization);
    });

    it('compares two deliveries in the diff editor', async () => {
      const { page } = workbench;
      await openHookLensView(page);
      const deliveries = watsonRows();
      await deliveries.nth(0).click();
      await deliveries.nth(1).click({ modifiers: ['Control'] });
      // The context menu, as a user would: Escape (which the palette helper presses) clears a
      // list's selection.
      await deliveries.nth(1).click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: 'Compare Deliveries' });
      await item.first().waitFor({ state: 'visible' });
      // VS Code's menus ignore a click that lands while they are still opening.
      await item.first().hover();
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      const diff = page.locator('.monaco-diff-editor').first();
      await diff.waitFor({ state: 'visible', timeout: 20_000 });
      await waitForText(diff, /savings/);
      await waitForText(diff, /checking/);
      await screenshot(page, '28-compare-diff');
    });

    it("the panel's title-bar Pin, Open Body and Compare act on its delivery, not the tree's selection", async () => {
      const { page } = workbench;
      // The panel gets the editor area's whole width, as when it is the only editor.
      await runCommand(page, 'View: Close All Editors');
      await openHookLensView(page);
      // Newest first: row 0 is the savings question (log-102), row 1 the checking one (log-101).
      const deliveries = watsonRows();
      await deliveries.nth(1).click();
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await waitForText(panel.locator('body'), /checking balance/);
      // The tree now selects both deliveries; the panel still shows the checking one.
      await deliveries.nth(0).click({ modifiers: ['Control'] });
      await page.waitForTimeout(300);
      const title = page.locator('.editor-group-container.active .title').first();
      const action = (label: string) =>
        title.locator(`.editor-actions .action-label[aria-label^="${label}"]`).first();
      await action('Open Delivery in New Panel').waitFor({ state: 'visible' });
      await action('Open Body in Editor').waitFor({ state: 'visible' });
      await action('Compare Deliveries').waitFor({ state: 'visible' });
      await title.screenshot({ path: join(screenshotsDir(), '39-panel-title-actions.png') });
      await screenshot(page, '39-panel-title-actions-window');

      // Pin: one pinned panel, of the panel's delivery (the selection would have pinned two).
      await action('Open Delivery in New Panel').click();
      const pinnedTabs = page.locator('.tabs-container .tab', { hasText: 'Pinned:' });
      await pinnedTabs.first().waitFor({ state: 'visible' });
      // Panels for a selection are all created in the same call: a second one would be here.
      await page.waitForTimeout(500);
      assert.equal(await pinnedTabs.count(), 1, 'the title-bar Pin pins only the panel’s delivery');

      // Open Body, from the pinned panel: its body, not the two-delivery selection's.
      await pinnedTabs.first().click();
      await action('Open Body in Editor').click();
      const bodyTab = page.locator('.tabs-container .tab.active', {
        hasText: 'message_logged.json',
      });
      await bodyTab.waitFor({ state: 'visible', timeout: 20_000 });
      const bodyEditor = page.locator('.editor-instance .monaco-editor').first();
      await waitForText(bodyEditor, /log-101/);
      assert.doesNotMatch(await bodyEditor.innerText(), /log-102/);

      // Compare, from the pinned panel: its delivery with one the user picks (the selection of
      // two would have gone straight to the diff).
      await pinnedTabs.first().click();
      // The pinned panel shown again reloads, and takes the focus once loaded: a quick pick
      // opened before that would close. Wait for it, as a user sees it before clicking.
      await findWebviewFrame(page, ':text-is("Pinned")');
      await action('Compare Deliveries').click();
      const pick = page.locator('.quick-input-widget');
      await waitForText(pick.locator('.quick-input-title'), /Compare With/);
      await page.waitForTimeout(200);
      await screenshot(page, '40-panel-compare-with-pick');
      assert.equal(await pick.locator('.quick-input-list .monaco-list-row').count(), 1);
      await page.keyboard.press('Enter');
      const diff = page.locator('.monaco-diff-editor').first();
      await diff.waitFor({ state: 'visible', timeout: 20_000 });
      await waitForText(diff, /savings/);
      await waitForText(diff, /checking/);
      // The later journeys find the panel by its frame: leave only the one that follows the tree.
      await runCommand(page, 'View: Close All Editors');
      await pinnedTabs.first().waitFor({ state: 'hidden' });
    });

    it('exports every delivery as HAR 1.2 with Authorization redacted', async () => {
      const { page } = workbench;
      await runCommand(page, 'HookLens: Export Deliveries');
      const pick = async (text: string): Promise<void> => {
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
        await row.waitFor({ state: 'visible' });
        await row.click();
      };
      // Nothing is selected (the palette's Escape cleared the list), so it exports everything.
      await pick('HAR 1.2');
      await pick('Redact Authorization');
      // code-server's save dialog is VS Code's simple dialog: a path in a quick input. It offers
      // the workspace folder and a dated file name; accept them.
      const pathInput = page.locator('.quick-input-widget input');
      await pathInput.waitFor({ state: 'visible' });
      for (let tries = 0; tries < 50; tries++) {
        if (/hooklens-deliveries-[\dT-]+\.har$/.test(await pathInput.inputValue())) break;
        await page.waitForTimeout(100);
      }
      const offered = await pathInput.inputValue();
      assert.match(offered, /workspace\/hooklens-deliveries-[\dT-]+\.har$/);
      await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).click();
      const target = join(workbench.server.workspace, basename(offered));
      for (let tries = 0; tries < 100 && !existsSync(target); tries++)
        await page.waitForTimeout(100);
      await page.waitForTimeout(300);
      const har = JSON.parse(readFileSync(target, 'utf8')) as {
        log: {
          version: string;
          entries: Array<{ request: { headers: Array<{ name: string; value: string }> } }>;
        };
      };
      assert.equal(har.log.version, '1.2');
      assert.equal(har.log.entries.length, 2);
      for (const entry of har.log.entries) {
        const authorization = entry.request.headers.find(
          (header) => header.name === 'Authorization',
        );
        assert.equal(authorization?.value, '[redacted]');
      }
      await screenshot(page, '29-export-har');
    });

    it('shows the tabs in the dark and high-contrast themes', async () => {
      const { page } = workbench;
      await watsonRows().first().click();
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await selectColorTheme(page, 'Dark Modern');
      await page
        .locator('.monaco-workbench.vs-dark')
        .waitFor({ state: 'attached', timeout: 20_000 });
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await showTab('Overview', '30-panel-overview-dark');
      await showTab('Request', '31-panel-request-dark');
      await showTab('Response', '35-panel-response-dark');
      await showTab('Auth', '36-panel-auth-dark');
      await showTab('Conversation', '32-panel-conversation-dark');
      await showTab('Attempts', '33-panel-attempts-dark');
      await selectColorTheme(page, 'Dark High Contrast');
      await page
        .locator('.monaco-workbench.hc-black')
        .waitFor({ state: 'attached', timeout: 20_000 });
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await showTab('Request', '34-panel-request-high-contrast');
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });

    it('W-06: a 10 MB body opens truncated in the panel, and whole in a read-only editor', async () => {
      const { page } = workbench;
      await selectColorTheme(page, 'Light Modern');
      const blob = 'x'.repeat(10 * 1024 * 1024);
      const big = JSON.stringify({
        event: { name: 'message_logged' },
        payload: { log_id: 'log-big', session_id: SESSION, blob },
      });
      const answer = await post(`http://127.0.0.1:${port}/webhooks/watson`, big);
      assert.equal(answer.status, 200);
      await openHookLensView(page);
      // A body this big gets no headline: its row (the newest, first) says the event.
      await watsonRows().nth(2).waitFor({ state: 'visible' });
      await waitForText(watsonRows().first(), /^message_logged\s*200 ·/);
      await watsonRows().first().click();
      panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
      await panel.locator('[role="tab"]', { hasText: 'Request' }).first().click();
      const open = panel.locator('button', { hasText: 'Open full body' }).first();
      await open.waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot(page, '37-big-body-truncated');
      await open.click();
      const tab = page.locator('.tabs-container .tab.active', { hasText: 'message_logged.json' });
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      await waitForText(page.locator('.editor-instance .monaco-editor').first(), /log-big/);
      await screenshot(page, '38-big-body-in-editor');
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });

    it('Replay to a typed URL, then Use as Forward Target; the next Replay to offers it first', async () => {
      const { page } = workbench;
      const other: Received[] = [];
      const second = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          other.push({ headers: request.headers, body: Buffer.concat(chunks) });
          response.writeHead(202, { 'Content-Type': 'text/plain' });
          response.end('queued by the second handler');
        });
      });
      await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
      const secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}/hooks`;
      try {
        await openHookLensView(page);
        await watsonRows().nth(1).click();
        panel = await findWebviewFrame(page, '[role="tablist"][aria-label="Delivery details"]');
        await panel.locator('button[aria-label="More ways to replay"]').click();
        await panel
          .locator('[role="menu"][aria-label="Replay"] button[data-action="replayTo"]')
          .click();
        await pickQuickInputItem(page, 'Enter a URL…');
        const input = page.locator('.quick-input-widget input');
        await input.fill(secondUrl);
        await page.keyboard.press('Enter');
        await pickQuickInputItem(page, 'Original signature');
        for (let tries = 0; tries < 100 && other.length === 0; tries++)
          await page.waitForTimeout(100);
        assert.equal(other.length, 1, 'the typed URL got the replay');
        const text = await waitForText(responseLines(), /HTTP\s202\sAccepted/);
        assert.match(text, /queued\sby\sthe\ssecond\shandler/);
        const use = page
          .locator('.codelens-decoration a', { hasText: /Use 127\.0\.0\.1:\d+ as Forward Target/ })
          .first();
        await use.waitFor({ state: 'visible', timeout: 15_000 });
        await screenshot(page, '39-replay-to-typed-url');
        await use.click();
        const settings = join(workbench.server.workspace, '.vscode', 'settings.json');
        for (let tries = 0; tries < 100; tries++) {
          if (existsSync(settings) && readFileSync(settings, 'utf8').includes(secondUrl)) break;
          await page.waitForTimeout(100);
        }
        assert.match(
          readFileSync(settings, 'utf8'),
          /"hooklens\.forwardTo": "http:\/\/127\.0\.0\.1:\d+\/hooks"/,
        );
        // It is the forward target now: the lens offering it goes.
        await use.waitFor({ state: 'detached', timeout: 15_000 });

        // Replay to… again: the URL used last is the first row.
        await panel.locator('button[aria-label="More ways to replay"]').click();
        await panel
          .locator('[role="menu"][aria-label="Replay"] button[data-action="replayTo"]')
          .click();
        const first = page.locator('.quick-input-list .monaco-list-row').first();
        await waitForText(first, new RegExp(`${escapeRegExp(secondUrl)}[\\s\\S]*last used`));
        await page.keyboard.press('Escape');
      } finally {
        // Left running: it is the forward target for the next test; closed in after().
        servers.push(second);
      }
    });

    it('r in the tree replays the selected delivery; the response beside it at 820 px, dark', async () => {
      const { page } = workbench;
      await page.setViewportSize({ width: 820, height: 900 });
      await selectColorTheme(page, 'Dark Modern');
      await page
        .locator('.monaco-workbench.vs-dark')
        .waitFor({ state: 'attached', timeout: 20_000 });
      await openHookLensView(page);
      await watsonRows().nth(1).click();
      const before = received.length;
      // hooklens.forwardTo is the second handler now (the journey above); the row's route is none.
      await page.keyboard.press('r');
      await waitForText(
        responseLines(),
        /HTTP\s202\sAccepted[\s\S]*queued\sby\sthe\ssecond\shandler/,
      );
      assert.equal(received.length, before, 'the replay went to the new forward target');
      // One delivery's replay has no notification over the response: a status-bar spinner.
      assert.equal(
        await page
          .locator('.notifications-toasts .notification-toast', { hasText: 'replaying' })
          .count(),
        0,
      );
      await page.waitForTimeout(300);
      await screenshot(page, '39b-replay-response-dark-820');
      assert.equal(workbench.pageErrors.length, 0, workbench.pageErrors.join('\n'));
    });
  },
);
