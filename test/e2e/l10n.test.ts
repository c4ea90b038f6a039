// Localisation journey (issue 16 item 9): VS Code with German as its display language loads
// l10n/bundle.l10n.de.json, and HookLens's quick picks, input boxes, modal dialogs and status-bar
// messages are German. VS Code needs a language pack to accept a display language; the fixture
// test/fixtures/language-pack-de is one with no translations of its own (VS Code's texts stay
// English; HookLens's command titles come from package.nls.de.json), and the journey tells
// VS Code about it as VS Code does once it has installed a language pack (languagepacks.json).
// Removing the secret clicks the German "Entfernen": the flow compares the answer with the
// translated label, so an English comparison would leave the secret in place.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  statusBarItem,
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

  before(async () => {
    packDir = await mkdtemp(join(tmpdir(), 'hooklens-pack-de-'));
    const vsix = join(packDir, 'language-pack-de.vsix');
    await execFileAsync(
      join(ROOT, 'node_modules', '.bin', 'vsce'),
      ['package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '-o', vsix],
      { cwd: PACK },
    );
    workbench = await openWorkbench({
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
});
