/**
 * `tsx scripts/screenshot.ts PAGE.html OUT.png [WIDTH HEIGHT]`: renders a local page in Debian's
 * headless Chromium (never a downloaded browser) and saves a screenshot, for the docs' images.
 */
import { resolve } from 'node:path';
import { screenshotPage } from '../tools/charts/chromium.js';

const [page, out, width = '1200', height = '900'] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: tsx scripts/screenshot.ts PAGE.html OUT.png [WIDTH HEIGHT]');
  process.exit(2);
}
await screenshotPage(resolve(page), out, { width: Number(width), height: Number(height) });
console.log(`wrote ${out}`);
