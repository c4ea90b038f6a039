// Renders media/icon.svg to the 128x128 PNG the Marketplace needs (vsce refuses SVG icons).
// Run after editing the SVG: node scripts/render-icon.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const svg = await readFile(new URL('../media/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({
  path: new URL('../media/icon.png', import.meta.url).pathname,
  omitBackground: true,
});
await browser.close();
