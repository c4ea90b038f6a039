// Drives a real VS Code workbench (code-server) in Debian's Chromium with playwright-core.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import {
  startCodeServer,
  vsCodeInstall,
  type RunningCodeServer,
} from '../../scripts/e2e/codeServer';
import { readFileSync } from 'node:fs';

export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'e2e');
/**
 * Screenshots go to test-artifacts/e2e/<VS Code version>/, a folder for each VS Code the suite runs
 * in (HOOKLENS_VSCODE picks which: the floor, or `newest`).
 */
let screenshotDir: string | undefined;
export function screenshotsDir(): string {
  screenshotDir ??= join(ARTIFACTS_DIR, vsCodeInstall().vscodeVersion);
  return screenshotDir;
}
const CHROMIUM = process.env.HOOKLENS_CHROMIUM ?? '/usr/bin/chromium';

export function vsixPath(): string {
  const { version } = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return join(__dirname, '..', '..', `hooklens-${version}.vsix`);
}

export interface Workbench {
  readonly server: RunningCodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly pageErrors: string[];
  close(): Promise<void>;
}

export async function openWorkbench(
  options: { userSettings?: Record<string, unknown> } = {},
): Promise<Workbench> {
  const server = await startCodeServer({
    vsixPath: vsixPath(),
    ...(options.userSettings ? { userSettings: options.userSettings } : {}),
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.workbenchUrl);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      pageErrors,
      async close() {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/**
 * Sets a HookLens secret through the command palette, as a user would: the provider in the pick
 * (Watson Assistant's is the default JWT secret, as before providers), then the password box.
 */
export async function setSecret(
  page: Page,
  secret: string,
  provider = 'Watson Assistant',
): Promise<void> {
  await runCommand(page, 'HookLens: Set Secret');
  await pickQuickInputItem(page, provider);
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor({ state: 'visible' });
  await input.fill(secret);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  // The secret is read through SecretStorage asynchronously; give it a moment to apply.
  await page.waitForTimeout(500);
}

/** Picks the row of the open quick pick whose label is exactly `label` (typed to filter first). */
export async function pickQuickInputItem(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  const row = page
    .locator('.quick-input-list .monaco-list-row', {
      // A label may start with an icon ($(key) GitHub), which renders as an element, not text.
      has: page.locator('.label-name', {
        hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`),
      }),
    })
    .first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Picks a colour theme through "Preferences: Color Theme", as a user would. */
export async function selectColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  // Click the exact command: Enter would take the top row, which may be the marketplace one.
  await page
    .locator('.quick-input-list .monaco-list-row', {
      has: page.getByText('Preferences: Color Theme', { exact: true }),
    })
    .first()
    .click();
  await page
    .locator('.quick-input-list .monaco-list-row', { has: page.getByText(theme, { exact: true }) })
    .first()
    .click();
  await input.waitFor({ state: 'hidden' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotsDir(), { recursive: true });
  const path = join(screenshotsDir(), `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs a command through the Command Palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Clicks the HookLens icon in the activity bar (unless its view is showing) and waits for the view. */
export async function openHookLensView(page: Page): Promise<void> {
  const sideBarTitle = page.locator('.part.sidebar .composite.title', { hasText: /HookLens/i });
  if (await sideBarTitle.isVisible()) return;
  const icon = page.locator('.activitybar .action-label[aria-label^="HookLens"]');
  await icon.waitFor({ state: 'visible', timeout: 60_000 });
  // Click the whole item: a badge sits over the icon and would intercept a click on it.
  await page
    .locator('.activitybar .action-item', {
      has: page.locator('.action-label[aria-label^="HookLens"]'),
    })
    .click();
  await sideBarTitle.waitFor({ state: 'visible' });
}

/** VS Code gives a status-bar element the id `<extension id>.<item id>`. */
export function statusBarItem(page: Page) {
  return page.locator('.statusbar-item[id$="hooklens.receiver"]');
}

/** The content frame of a webview whose document contains `selector`, searched across all frames. */
export async function findWebviewFrame(
  page: Page,
  selector: string,
  timeoutMs = 20_000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // Frames come and go while webviews load.
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame contains ${selector}`);
}

/** Polls a locator's text until it matches (or, with `absent`, stops matching): the tree renders asynchronously. */
export async function waitForText(
  locator: ReturnType<Page['locator']>,
  pattern: RegExp,
  options: { absent?: boolean; timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let text = '';
  while (Date.now() < deadline) {
    text = await locator.innerText().catch(() => '');
    if (pattern.test(text) !== Boolean(options.absent)) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `timed out waiting for ${options.absent ? 'absence of ' : ''}${String(pattern)} in:\n${text}`,
  );
}
