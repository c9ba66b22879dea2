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
import { renderChartHtml } from '../../tools/charts/chart-html.js';
import { launchChromium } from '../../tools/charts/chromium.js';
import { createStepScalingAlarm } from '../../tools/simulator/baselines/step-scaling-alarm.js';
import { simulationChartHtml } from '../../tools/simulator/chart.js';
import { createDecideAutoscaler } from '../../tools/simulator/decide-autoscaler.js';
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

  it('marks scale actions (from → to, why), holds with their reason and faults, draws the objective, and counts time from the start', async () => {
    const result = simulate(trace, createDecideAutoscaler({ taskThroughput: 100, maxTimeLagSeconds: 120 }, { tickSeconds: 10 }), {
      recordSeries: true,
    });
    const html = simulationChartHtml(result, { objectiveSeconds: 120 });
    const pageFile = join(workDir, 'markers.html');
    writeFileSync(pageFile, html);
    const page = await context.newPage();
    await page.goto(pathToFileURL(pageFile).href);

    const tasks = page.locator('section.panel[data-panel="Tasks"]');
    const actions = await tasks.locator('g.marker[data-kind="action"] title').allTextContents();
    expect(actions.length).toBe(result.scaleActions);
    expect(actions[0]).toMatch(/^\d:\d\d \d+ → \d+: [a-z-]+$/); // elapsed h:mm since the start
    expect(await tasks.locator('g.marker[data-kind="action"] text').count()).toBe(actions.length);
    const holds = await tasks.locator('g.marker[data-kind="hold"] title').allTextContents();
    expect(holds.length).toBeGreaterThan(0);
    for (const hold of holds) expect(hold).toMatch(/held: [a-z-]+$/);
    // Markers belong to the tasks panel only.
    expect(await page.locator('section.panel[data-panel="Lag"] g.marker').count()).toBe(0);

    const timeLag = page.locator('section.panel[data-panel^="Time lag"]');
    expect(await timeLag.locator('.threshold-label').allTextContents()).toEqual(['SLO 180 s', 'objective (maxTimeLagSeconds) 120 s']);
    // Elapsed time (0:30, 1:00, …), not a clock's 00:30.
    const timeLabels = (await page.locator('.axis text').allTextContents()).filter((label) => label.includes(':'));
    expect(timeLabels.length).toBeGreaterThan(0);
    for (const label of timeLabels) expect(label).toMatch(/^\d:\d\d$/);
  });

  it('draws a fault across every panel', async () => {
    const fault = renderChartHtml({
      title: 'fault',
      time: { seconds: [0, 30, 60, 90] },
      panels: [
        { title: 'A', series: [{ name: 'a', values: [1, 2, 3, 4] }] },
        { title: 'B', series: [{ name: 'b', values: [4, 3, 2, 1] }] },
      ],
      markers: [{ t: 45, kind: 'fault', label: 'broker 1 down' }],
    });
    const pageFile = join(workDir, 'fault.html');
    writeFileSync(pageFile, fault);
    const page = await context.newPage();
    await page.goto(pathToFileURL(pageFile).href);
    expect(await page.locator('g.marker[data-kind="fault"] text').allTextContents()).toEqual(['broker 1 down', 'broker 1 down']);
    expect(await page.locator('g.marker[data-kind="fault"] title').first().textContent()).toBe('0:00:45 broker 1 down');
  });
});
