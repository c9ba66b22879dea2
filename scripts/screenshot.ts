/**
 * `tsx scripts/screenshot.ts PAGE.html OUT.png [WIDTH HEIGHT]`: renders a local page in Debian's
 * headless Chromium (never a downloaded browser) and saves a screenshot, for the README's images.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page, out, width = '1200', height = '900'] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: tsx scripts/screenshot.ts PAGE.html OUT.png [WIDTH HEIGHT]');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'screenshot-'));
try {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: Number(width), height: Number(height) },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const tab = await context.newPage();
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.screenshot({ path: out, fullPage: true });
  await context.close();
  console.log(`wrote ${out}`);
} finally {
  rmSync(profile, { recursive: true, force: true });
}
