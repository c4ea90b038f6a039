// Drives a real VS Code workbench (code-server) in Debian's Chromium with playwright-core.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import {
  startCodeServer,
  vsCodeInstall,
  type CodeServerOptions,
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
  options: {
    userSettings?: Record<string, unknown>;
    /** The display language and its language pack (the localisation journey). */
    server?: Pick<CodeServerOptions, 'locale' | 'prepare'>;
  } = {},
): Promise<Workbench> {
  const server = await startCodeServer({
    vsixPath: vsixPath(),
    ...(options.userSettings ? { userSettings: options.userSettings } : {}),
    ...options.server,
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

/**
 * Opens the Command Palette and types `text` into it. A webview that has the focus can swallow
 * the key, and one that reloads (a panel shown again) takes the focus and closes the palette as
 * it opens: then it is asked for again.
 */
export async function openCommandPalette(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(text, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Picks a colour theme through "Preferences: Color Theme", as a user would. */
export async function selectColorTheme(page: Page, theme: string): Promise<void> {
  await openCommandPalette(page, '>Preferences: Color Theme');
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
  await page.locator('.quick-input-widget input').waitFor({ state: 'hidden' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotsDir(), { recursive: true });
  const path = join(screenshotsDir(), `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs a command through the Command Palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openCommandPalette(page, `>${title}`);
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

/**
 * The delivery rows among `rows` whose accessible label names `event`. Rows lead with what a
 * delivery says (the user's words, the commit, the call); the event is in each row's accessible
 * label and tooltip, not in its visible text. Under event grouping a group row's accessible label
 * (its tooltip) names the event too.
 */
export function rowsOfEvent(rows: Locator, ...events: string[]): Locator {
  return rows.and(rows.page().locator(events.map((e) => `[aria-label*="${e}"]`).join(', ')));
}

/**
 * Hovers a tree row until its hover (containing `expected`) shows, and returns that hover. A
 * row's hover is made when it is hovered (resolveTreeItem, a round trip to the extension host);
 * a redraw of the tree in between drops it, and a user would hover again: so does this.
 */
export async function showRowHover(row: Locator, expected: RegExp | string): Promise<Locator> {
  const page = row.page();
  const hover = page
    .locator('.monaco-hover, .workbench-hover')
    .filter({ hasText: expected })
    .first();
  for (let attempt = 1; ; attempt++) {
    await row.hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: 4_000 });
      return hover;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.mouse.move(700, 800);
    }
  }
}

/** A tree row's hover text (see showRowHover), checked to hold no link; the hover is closed after. */
export async function rowTooltip(row: Locator, expected: RegExp | string): Promise<string> {
  const page = row.page();
  const hover = await showRowHover(row, expected);
  const text = await hover.innerText();
  // A tooltip is plain text: payload text never becomes a link (W-04).
  const links = await hover.locator('a').count();
  if (links > 0) throw new Error(`the tooltip has ${links} links:\n${text}`);
  await page.mouse.move(700, 800);
  await hover.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  return text;
}

/**
 * Whether a tree row's description starts with `status` and all of it shows: the status ends
 * inside the row's label box rather than being cut off by the side bar's width or an ellipsis.
 */
export async function rowStatusShows(row: Locator, status: string): Promise<boolean> {
  return row.evaluate((element, expected) => {
    const box = element.querySelector('.monaco-icon-label-container');
    const description = element.querySelector('.label-description');
    const text = description?.firstChild;
    if (!box || !text || !text.textContent?.startsWith(expected)) return false;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, expected.length);
    return range.getBoundingClientRect().right <= box.getBoundingClientRect().right;
  }, status);
}
