/**
 * A PNG of the run's chart page, rendered by the system's headless Chromium: how the docs' picture
 * of a demo run is made (`npm run demo -- --screenshot FILE`).
 */
import { screenshotPage } from '../charts/chromium.js';

export async function screenshotChart(chartPath: string, pngPath: string): Promise<void> {
  await screenshotPage(chartPath, pngPath);
}
