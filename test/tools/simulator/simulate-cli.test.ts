/** `npm run simulate` as an operator uses it: figures on stdout, a chart file, exit 2 on mistakes. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../..');
const workDir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
const traceFile = join(workDir, 'short.csv');
writeFileSync(traceFile, 't_seconds,rate\n0,100\n600,900\n1200,100\n');

async function simulateCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, 'scripts/simulate.ts', ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('npm run simulate', () => {
  it('prints cost and SLO figures and writes a self-contained chart page', async () => {
    const html = join(workDir, 'chart.html');
    const run = await simulateCli('--trace', traceFile, '--autoscaler', 'keda', '--policy', 'lagThreshold=500', '--html', html);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/autoscaler +keda\(lagThreshold=500\)/);
    expect(run.stdout).toMatch(/cost\/floor \d+\.\d+/);
    expect(run.stdout).toMatch(/time lag > 180 s for \d+ s \(unavoidable: \d+ s; reactive limit: \d+ s\)/);
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it('prints the model and the policy it ran', async () => {
    const run = await simulateCli('--trace', traceFile, '--policy', 'taskThroughput=100,maxTimeLagSeconds=180', '--tick', '10');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/model +48 partitions, 100 msg\/s per task, 60 s start-up, 10 s rebalance pause, 1–48 tasks\n/);
    expect(run.stdout).toMatch(/policy +taskThroughput=100, maxTimeLagSeconds=180; one decision every 10 s/);
    expect(run.stdout).toMatch(/reactive limit: \d+ s/);
    expect(run.stdout).not.toMatch(/WARNING/);
  });

  it('warns when the policy’s throughput is not the model’s', async () => {
    const run = await simulateCli('--trace', traceFile, '--policy', 'taskThroughput=250');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/WARNING +the policy's taskThroughput \(250 msg\/s\) is not the model's \(100 msg\/s per task\)/);
    expect(run.stdout).toMatch(/--model taskThroughput=250/);
    const matched = await simulateCli('--trace', traceFile, '--policy', 'taskThroughput=250', '--model', 'taskThroughput=250');
    expect(matched.stdout).not.toMatch(/WARNING/);
  });

  it.each([
    [['--tick', '0'], /--tick: expected whole seconds from 1 to 60, got "0"/],
    [['--model', 'ceilingFromSeconds=600,ceilingUntilSeconds=60'], /ceilingUntilSeconds \(60\) must be after ceilingFromSeconds \(600\)/],
    [['--policy', 'lagThreshhold=500', '--autoscaler', 'keda'], /unknown setting "lagThreshhold"/],
    [['--policy', 'taskThroughput=fast'], /taskThroughput: expected a number, got "fast"/],
    [['--autoscaler', 'hpa'], /unknown autoscaler "hpa"/],
  ])('exits 2 naming the problem for %j', async (args, message) => {
    const run = await simulateCli('--trace', traceFile, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
