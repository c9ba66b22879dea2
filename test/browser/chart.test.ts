/**
 * The simulator's HTML chart, rendered in headless Chromium: every panel and series is drawn,
 * the page logs no errors and fetches nothing (it must work offline, mailed as one file).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../tools/charts/chromium.js';
import { createStepScalingAlarm } from '../../tools/simulator/baselines/step-scaling-alarm.js';
import { simulationChartHtml } from '../../tools/simulator/chart.js';
import { simulate } from '../../tools/simulator/simulate.js';
import { parseTrace } from '../../tools/simulator/trace.js';

const SCREENSHOT = join(tmpdir(), 'kafka-lag-scaler-simulator-chart.png');

// Two hours: quiet, a one-hour surge past what the alarm policy adds in time, quiet again.
const trace = parseTrace('t_seconds,rate\n0,200\n1800,200\n1900,2500\n5400,2500\n5500,200\n7200,200\n', 'surge.csv');

describe('simulator chart page in headless Chromium', () => {
  let workDir: string;
  let context: BrowserContext;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'chart-test-'));
    browser = await launchChromium({ width: 1200, height: 1000 });
    context = browser.context;
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('draws every panel and series with no console errors and no network requests', async () => {
    const result = simulate(trace, createStepScalingAlarm({ highThreshold: 5000, lowThreshold: 500 }), { recordSeries: true });
    const pageFile = join(workDir, 'chart.html');
    writeFileSync(pageFile, simulationChartHtml(result));
    const pageUrl = pathToFileURL(pageFile).href;

    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== pageUrl) requests.push(request.url());
    });

    await page.goto(pageUrl);

    const panels = await page.locator('section.panel').evaluateAll((sections) =>
      sections.map((section) => ({
        title: section.getAttribute('data-panel'),
        series: [...section.querySelectorAll('path.series')].map((path) => ({
          name: path.getAttribute('data-series'),
          segments: (path.getAttribute('d') ?? '').match(/[LHV]/g)?.length ?? 0,
        })),
        thresholds: section.querySelectorAll('line.threshold').length,
        axisLabels: section.querySelectorAll('.axis text').length,
      })),
    );
    expect(panels.map((p) => [p.title, p.series.map((s) => s.name)])).toEqual([
      ['Produce rate and consumer capacity', ['produce rate', 'capacity of running tasks']],
      ['Lag', ['total lag']],
      ['Time lag (age of the oldest unconsumed message)', ['time lag']],
      ['Tasks', ['desired', 'running']],
    ]);
    for (const panel of panels) {
      for (const series of panel.series) expect(series.segments, `${panel.title}: ${series.name}`).toBeGreaterThan(10);
      expect(panel.axisLabels).toBeGreaterThanOrEqual(4);
    }
    expect(panels.map((p) => p.thresholds)).toEqual([0, 0, 1, 0]);
    await expect(page.locator('#facts').textContent()).resolves.toContain('cost/floor');

    // Hovering reads every series' value at that moment into the legends.
    const box = (await page.locator('section.panel svg').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    const readouts = await page.locator('.legend .value').allInnerTexts();
    expect(readouts).toHaveLength(6);
    for (const readout of readouts) expect(readout).toMatch(/^\d/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });
});
