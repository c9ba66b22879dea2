/**
 * A PNG of the run's chart page, rendered by the system's headless Chromium (never a downloaded
 * browser): how the README's picture of a demo run is made (`npm run demo -- --screenshot FILE`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function screenshotChart(chartPath: string, pngPath: string): Promise<void> {
  // Loaded only here: the demo itself needs no browser.
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kafka-lag-scaler-chromium-'));
  try {
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
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
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(chartPath).href);
      await page.screenshot({ path: pngPath, fullPage: true });
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
