// Localisation journey (issue 16 item 9): VS Code with German as its display language loads
// l10n/bundle.l10n.de.json, and HookLens's quick picks, input boxes, modal dialogs and status-bar
// messages are German. VS Code needs a language pack to accept a display language; the fixture
// test/fixtures/language-pack-de is one with no translations of its own (VS Code's texts stay
// English; HookLens's command titles come from package.nls.de.json), and the journey tells
// VS Code about it as VS Code does once it has installed a language pack (languagepacks.json).
// Removing the secret clicks the German "Entfernen": the flow compares the answer with the
// translated label, so an English comparison would leave the secret in place. What core words and
// the webview pages say is German too: a delivery whose handler is down reads "502 · Handler nicht
// erreichbar" in the tree, and its panel (lang="de") has German tabs and actions, with the payload's
// own words as sent, its date written the German way and its sender tab's field names German. The
// status bar item's actions are German too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/e2e/codeServer';
import { GITHUB_PUSH, postJson } from './deliveries';
import {
  findWebviewFrame,
  openHookLensView,
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  statusBarItem,
  waitForText,
  type Workbench,
} from './workbench';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const PACK = join(ROOT, 'test', 'fixtures', 'language-pack-de');
const PACK_ID = 'hooklens-test.hooklens-test-language-pack-de';
/** The command titles a German VS Code shows (the whole title: a prefix also matches others). */
const GERMAN = JSON.parse(readFileSync(join(ROOT, 'package.nls.de.json'), 'utf8')) as Record<
  string,
  string
>;

describe('HookLens in German (code-server, display language de)', { timeout: 300_000 }, () => {
  let workbench: Workbench;
  let packDir: string;
  let port: number;

  before(async () => {
    port = await freePort();
    // Nothing listens there: each delivery is forwarded to a handler that is down.
    const handlerPort = await freePort();
    packDir = await mkdtemp(join(tmpdir(), 'hooklens-pack-de-'));
    const vsix = join(packDir, 'language-pack-de.vsix');
    await execFileAsync(
      join(ROOT, 'node_modules', '.bin', 'vsce'),
      ['package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '-o', vsix],
      { cwd: PACK },
    );
    workbench = await openWorkbench({
      userSettings: {
        'hooklens.port': port,
        'hooklens.forwardTo': `http://127.0.0.1:${handlerPort}/webhooks`,
        'hooklens.deliveries.groupBy': 'none',
      },
      server: {
        locale: 'de',
        async prepare({ bin, extensionsDir, userDataDir }) {
          await execFileAsync(bin, [
            '--extensions-dir',
            extensionsDir,
            '--user-data-dir',
            userDataDir,
            '--install-extension',
            vsix,
            '--force',
          ]);
          const folder = (await readdir(extensionsDir)).find((name) =>
            name.startsWith(`${PACK_ID}-`),
          );
          assert.ok(folder, 'the language pack is installed');
          // What VS Code writes after installing a language pack: which translations serve "de".
          await writeFile(
            join(userDataDir, 'languagepacks.json'),
            JSON.stringify({
              de: {
                hash: 'hooklens-test-1',
                extensions: [{ extensionIdentifier: { id: PACK_ID }, version: '1.0.0' }],
                translations: {
                  vscode: join(extensionsDir, folder, 'translations', 'main.i18n.json'),
                },
                label: 'Deutsch',
              },
            }),
          );
        },
      },
    });
  });

  after(async () => {
    await workbench?.close();
    if (packDir) await rm(packDir, { recursive: true, force: true });
  });

  it('says in German that no secret is set', async () => {
    const { page } = workbench;
    // Activated: its commands are in the palette from now on.
    await statusBarItem(page).waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, `HookLens: ${GERMAN['hooklens.removeSecret.title']}`);
    await page
      .locator('.notifications-toasts .notification-toast', {
        hasText: 'In HookLens sind keine Geheimnisse festgelegt.',
      })
      .waitFor({ state: 'visible', timeout: 60_000 });
  });

  it('asks for the secret in German and saves it', async () => {
    const { page } = workbench;
    await runCommand(page, `HookLens: ${GERMAN['hooklens.setSecret.title']}`);
    const widget = page.locator('.quick-input-widget');
    await widget
      .locator('.quick-input-title', { hasText: 'HookLens: Geheimnis festlegen' })
      .waitFor({ state: 'visible' });
    const input = widget.locator('input').first();
    assert.equal(
      await input.getAttribute('placeholder'),
      'Für welchen Absender ist dieses Geheimnis?',
    );
    await widget
      .locator('.quick-input-list', { hasText: 'JWT im Authorization-Header' })
      .waitFor({ state: 'visible' });
    await screenshot(page, 'l10n-01-set-secret-provider-pick-de');

    await pickQuickInputItem(page, 'Watson Assistant');
    await widget
      .locator('.quick-input-title', {
        hasText: 'HookLens: Geheimnis für Watson Assistant festlegen',
      })
      .waitFor({ state: 'visible' });
    const password = widget.locator('input[type="password"]');
    await password.fill('lila Einhorn, aber lang genug, um stark zu sein');
    await screenshot(page, 'l10n-02-set-secret-password-de');
    await page.keyboard.press('Enter');
    await password.waitFor({ state: 'hidden' });
    await page
      .locator('.statusbar', { hasText: /HookLens: .* gespeichert/ })
      .waitFor({ state: 'visible' });
  });

  it('removes it through a German dialog whose German button is understood', async () => {
    const { page } = workbench;
    await runCommand(page, `HookLens: ${GERMAN['hooklens.removeSecret.title']}`);
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    assert.equal(
      await input.getAttribute('placeholder'),
      'Welches Geheimnis soll HookLens vergessen?',
    );
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Standard-JWT-Geheimnis' })
      .first()
      .click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Standard-JWT-Geheimnis \(.+\) entfernen\?/);
    assert.match(await dialog.innerText(), /als nicht verifiziert markiert/);
    await screenshot(page, 'l10n-03-remove-secret-dialog-de');
    await dialog.locator('.monaco-button', { hasText: /^Entfernen$/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .locator('.statusbar', { hasText: /HookLens: Standard-JWT-Geheimnis .* entfernt/ })
      .waitFor({ state: 'visible' });

    // Removed for real: nothing is left to remove.
    await runCommand(page, `HookLens: ${GERMAN['hooklens.removeSecret.title']}`);
    await page
      .locator('.notifications-toasts .notification-toast', {
        hasText: 'In HookLens sind keine Geheimnisse festgelegt.',
      })
      .first()
      .waitFor({ state: 'visible' });
  });

  it('shows a delivery German in the tree and in its panel, the payload as sent', async () => {
    const { page } = workbench;
    await openHookLensView(page);
    await runCommand(page, `HookLens: ${GERMAN['hooklens.startReceiver.title']}`);
    await statusBarItem(page)
      .filter({ hasText: `:${port}` })
      .waitFor({ state: 'visible' });
    const status = await postJson(`http://127.0.0.1:${port}/webhooks/github`, GITHUB_PUSH, {
      'X-GitHub-Event': 'push',
    });
    assert.equal(status, 502, 'the handler is down');

    const row = page.locator('.part.sidebar .monaco-list-row', {
      has: page.locator('.label-description', { hasText: 'Handler nicht erreichbar' }),
    });
    await row.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(
      await row.first().locator('.label-description').innerText(),
      /^502 · Handler nicht erreichbar · jetzt$/,
    );
    await row.first().click();

    const panel = await findWebviewFrame(page, '.detail-header');
    assert.equal(await panel.locator('html').getAttribute('lang'), 'de');
    const tabs = panel.locator('[role="tab"] .label');
    await waitForText(panel.locator('[role="tablist"]'), /Übersicht/);
    const labels = await tabs.allInnerTexts();
    assert.deepEqual(labels.slice(-4), ['Anforderung', 'Antwort', 'Verifizierung', 'Versuche']);
    assert.equal(await panel.locator('[data-action="replay"] .label').innerText(), 'Erneut senden');
    assert.equal(await panel.locator('.outcome-words').innerText(), 'Handler nicht erreichbar');
    // The header's event is the payload's, as sent.
    assert.match(await panel.locator('.detail-header').innerText(), /push/);
    // Its date as German writes it ("5.12.2026, 04:57:09"), not as the browser's locale would.
    const created = panel.locator('tr', { has: panel.locator('th', { hasText: /^Erstellt am$/ }) });
    assert.match(
      await created.locator('td').innerText(),
      /^\d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2}:\d{2}$/,
    );
    await screenshot(page, 'l10n-04-delivery-panel-de');

    // German is longer: at a narrow width the tabs and the toolbar still fit, each on one line
    // (no child below the first one's bottom) and within the panel (nothing scrolled out of view).
    await page.setViewportSize({ width: 900, height: 800 });
    await page.waitForTimeout(500);
    await screenshot(page, 'l10n-05-delivery-panel-de-narrow');
    for (const selector of ['[role="tablist"]', '[role="toolbar"]']) {
      const fits = await panel.locator(selector).evaluate((element) => {
        const boxes = [...element.children].map((child) => child.getBoundingClientRect());
        const first = boxes[0];
        return {
          wrapped: first !== undefined && boxes.some((box) => box.top >= first.bottom - 1),
          overflow: element.scrollWidth > element.clientWidth + 1,
        };
      });
      assert.deepEqual(fits, { wrapped: false, overflow: false }, selector);
    }
    await page.setViewportSize({ width: 1400, height: 900 });

    // The sender tab's provider summary: German field names, the payload's values as sent.
    await panel.locator('#tab-sender').click();
    const summary = panel.locator('#panel-sender');
    const field = (label: string) =>
      summary.locator('tr', { has: panel.locator('th', { hasText: new RegExp(`^${label}$`) }) });
    await field('Absender').waitFor({ state: 'visible' });
    assert.equal(await field('Ereignis').locator('td').innerText(), 'push');
    assert.equal(await field('Head-Commit').locator('td').innerText(), 'Fix the parser');
    assert.equal(await field('Head-Commit-ID').locator('td').innerText(), '1d1a26e6');
    await screenshot(page, 'l10n-07-sender-tab-de');
  });

  it('lists the receiver actions in German from the status bar item', async () => {
    const { page } = workbench;
    // The receiver runs (the journey above started it): Stop is offered, with its URL.
    await statusBarItem(page).click();
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    await input.waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('placeholder'), 'Empfängeraktionen');
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    for (const label of ['Empfänger beenden', 'Empfänger-URL kopieren', 'Protokolle anzeigen']) {
      await rows.filter({ hasText: label }).first().waitFor({ state: 'visible' });
    }
    assert.match(
      await rows.filter({ hasText: 'Geheimnis festlegen' }).first().innerText(),
      /kein Geheimnis: Zustellungen werden nicht verifiziert/,
    );
    await screenshot(page, 'l10n-06-status-actions-de');
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
  });
});
