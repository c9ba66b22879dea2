/**
 * `npm run demo`, end to end and shortened: the embedded Kafka, the worker processes, the ECS
 * stand-in and the controller Lambda's handler in its own process, with the traffic spike squeezed
 * into seconds. It proves the loop closes — lag rises, the controller scales up through the real
 * SDK, workers join, the backlog drains below the SLO, the service scales back down — and that it
 * survives a worker killed mid-run and a broker down for a few seconds. A dry run calls no
 * UpdateService. After every run nothing the demo started is left: processes, ports, temp files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { REASONS } from '../../src/decision/index.js';
import { CONTROLLER_REASONS } from '../../src/report/outcome.js';
import { parseDemoArgs } from '../../tools/demo/cli-args.js';
import { type DemoOptions, type DemoResult, DemoUsageError, runDemo } from '../../tools/demo/run-demo.js';
import { DEMO_SERVICE } from '../../tools/demo/settings.js';

const SLO = DEMO_SERVICE.sloTimeLagSeconds;
/** The spike's corners for a RUN_SECONDS run (traffic.ts): the ramp starts at 15 %, the plateau ends at 55 %. */
// Long enough, under load too, for the scale-in after the spike: the objective (20 s) keeps every
// task while the broker outage ages the backlog (in the partitions whose leader was down, drained a
// consumer each), and the stabilization window (15 s) follows.
const RUN_SECONDS = 90;
const RAMP_START = 0.15 * RUN_SECONDS;
const PLATEAU_END = 0.55 * RUN_SECONDS;
/** On the plateau, with every worker in the group. */
const KILL_AT = Math.round(0.4 * RUN_SECONDS);
/** As the spike decays, when the controller would otherwise be scaling in. */
const OUTAGE = { from: Math.round(0.57 * RUN_SECONDS), to: Math.round(0.57 * RUN_SECONDS) + 6 };
/** After the broker is back, reads may still find a partition leaderless for a few seconds (more on a loaded machine). */
const RECOVERY_SECONDS = 6;

const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the demo with its output captured, printed only if a test of that run fails. */
async function demo(options: DemoOptions): Promise<{ result: DemoResult; output: string; buildDirsBefore: string[] }> {
  const buildDirsBefore = buildDirs();
  const outDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  outDirs.push(outDir);
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk) => (output += chunk));
  const result = await runDemo({ view: 'lines', env: {}, out, outDir, ...options });
  return { result, output, buildDirsBefore };
}

function buildDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('kafka-lag-scaler-demo-build-'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refusesConnections(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function expectNothingLeftBehind(run: { result: DemoResult; buildDirsBefore: string[] }) {
  expect(run.result.pids.length).toBeGreaterThan(1);
  expect(run.result.pids.filter(isAlive)).toEqual([]);
  for (const address of run.result.addresses) expect(await refusesConnections(address), address).toBe(true);
  expect(buildDirs().filter((dir) => !run.buildDirsBefore.includes(dir))).toEqual([]);
}

const seconds = (result: DemoResult, at: number) => (at - result.startedAt) / 1000;
const updates = (result: DemoResult) => result.ecsCalls.filter((c) => c.operation === 'UpdateService' && !c.error);
const decisionsOf = (result: DemoResult) =>
  result.ticks.flatMap((tick) =>
    tick.result?.decisions[0] ? [{ t: seconds(result, tick.scheduledAt), ...tick.result.decisions[0] }] : [],
  );

describe('npm run demo: a month-end spike with a worker killed and a broker down', () => {
  let run: Awaited<ReturnType<typeof demo>>;
  let result: DemoResult;

  beforeAll(async () => {
    run = await demo({ seconds: RUN_SECONDS, faults: { killWorkerAt: [KILL_AT], brokerDown: OUTAGE } });
    result = run.result;
  }, 150_000);

  const showRunOnFailure = () => onTestFailed(() => console.log(run.output));

  it('sees the lag rise with the spike', () => {
    showRunOnFailure();
    const before = result.timeline.filter((p) => p.t < RAMP_START);
    const spike = result.timeline.filter((p) => p.t >= RAMP_START && p.t <= PLATEAU_END);
    const peakBefore = Math.max(...before.map((p) => p.lag ?? 0));
    const peakDuring = Math.max(...spike.map((p) => p.lag ?? 0));
    expect(peakDuring).toBeGreaterThan(1_000);
    expect(peakDuring).toBeGreaterThan(10 * peakBefore);
  });

  it('scales up through the real SDK calling UpdateService on the stand-in, and the workers join the group', () => {
    showRunOnFailure();
    const initial = result.timeline[0]!.desired;
    const ups = updates(result).filter((c) => (c.input.desiredCount as number) > initial);
    expect(ups.length).toBeGreaterThan(0);
    expect(ups[0]!.input).toMatchObject({ cluster: DEMO_SERVICE.cluster, service: DEMO_SERVICE.service });
    expect(seconds(result, ups[0]!.at)).toBeGreaterThan(RAMP_START);
    expect(Math.max(...result.timeline.map((p) => p.running))).toBeGreaterThanOrEqual(6);
    expect(result.workerEvents.filter((e) => e.kind === 'joined').length).toBeGreaterThanOrEqual(6);
  });

  it('drains the backlog below the SLO', () => {
    showRunOnFailure();
    const peak = result.timeline.reduce((a, b) => ((b.lag ?? 0) > (a.lag ?? 0) ? b : a));
    const drained = result.timeline.find((p) => p.t > peak.t && p.lag !== null && p.lag < peak.lag! / 10 && p.timeLagSeconds! < SLO);
    expect(drained, `lag peaked at ${peak.lag} at ${peak.t} s`).toBeDefined();
    expect(result.timeline.at(-1)!.timeLagSeconds).toBeLessThan(SLO);
  });

  it('scales back down after the spike', () => {
    showRunOnFailure();
    const counts = updates(result).map((c) => c.input.desiredCount as number);
    const peak = Math.max(...counts);
    expect(counts.at(-1)).toBeLessThan(peak);
    expect(result.timeline.at(-1)!.desired).toBeLessThan(peak);
  });

  it('replaces a killed worker: the group rebalances and the replacement joins', () => {
    showRunOnFailure();
    const killed = result.workerEvents.find((e) => e.kind === 'killed');
    expect(killed).toBeDefined();
    const afterKill = result.workerEvents.filter((e) => e.at >= killed!.at);
    expect(afterKill.map((e) => e.kind)).toContain('died');
    const replacement = afterKill.find((e) => e.kind === 'started');
    expect(replacement).toBeDefined();
    expect(afterKill.some((e) => e.kind === 'joined' && e.worker === replacement!.worker)).toBe(true);
  });

  it('holds while a broker is down, then decides normally again', () => {
    showRunOnFailure();
    const decisions = decisionsOf(result);
    // Judged from when the broker was down and back, as recorded: the fault may land a moment late.
    const down = result.faults.find((f) => f.description === 'broker 1 down')?.t ?? Number.NaN;
    const up = result.faults.find((f) => f.description === 'broker 1 up')?.t ?? Number.NaN;
    expect(down).toBeGreaterThanOrEqual(OUTAGE.from);
    expect(up).toBeGreaterThan(down);
    // A tick scheduled within a second of the broker's return may already read it whole.
    const during = decisions.filter((d) => d.t >= down && d.t < up - 1);
    expect(during.length).toBeGreaterThan(0);
    for (const decision of during) {
      expect(['lag-read-failed', 'lag-read-incomplete', 'deadline']).toContain(decision.reason);
      expect(decision.changed).toBe(false);
    }
    const updatesDuring = updates(result).filter((c) => seconds(result, c.at) > down + 1 && seconds(result, c.at) < up - 1);
    expect(updatesDuring).toEqual([]);
    const after = decisions.filter((d) => d.t >= up + RECOVERY_SECONDS);
    expect(after.length).toBeGreaterThan(0);
    for (const decision of after) {
      expect(Object.keys(REASONS)).toContain(decision.reason);
      expect(decision.lag?.status).toBe('ok');
    }
    expect(
      decisions.filter((d) => d.reason in CONTROLLER_REASONS).every((d) => d.t >= OUTAGE.from - 1 && d.t < up + RECOVERY_SECONDS),
    ).toBe(true);
  });

  it('ends with the summary and the chart', () => {
    showRunOnFailure();
    expect(run.output).toMatch(
      /Demo summary \(\d+ s\)[\s\S]*peak time lag[\s\S]*time over the SLO[\s\S]*task-minutes[\s\S]*scale actions[\s\S]*chart +\S+chart\.html/,
    );
    expect(existsSync(result.chartPath)).toBe(true);
    const holdReasons = Object.keys(result.summary.holds);
    expect(holdReasons.length).toBeGreaterThan(0);
    expect(holdReasons.every((reason) => reason in CONTROLLER_REASONS)).toBe(true);
  });

  it('leaves no process, port or temp file behind', async () => {
    showRunOnFailure();
    await expectNothingLeftBehind(run);
  });
});

describe('npm run demo -- --dry-run', () => {
  let run: Awaited<ReturnType<typeof demo>>;

  beforeAll(async () => {
    run = await demo({ seconds: 15, dryRun: true });
  }, 90_000);

  it('decides every tick but never calls UpdateService', () => {
    onTestFailed(() => console.log(run.output));
    const { result } = run;
    expect(result.ecsCalls.filter((c) => c.operation === 'DescribeServices').length).toBeGreaterThan(3);
    expect(updates(result)).toEqual([]);
    const decisions = decisionsOf(result);
    expect(decisions.length).toBeGreaterThan(3);
    expect(decisions.every((d) => d.dryRun && !d.changed)).toBe(true);
    expect(decisions.some((d) => d.desired! > d.current!)).toBe(true);
    expect(result.summary.scaleActions).toEqual([]);
  });

  it('leaves no process, port or temp file behind', async () => {
    await expectNothingLeftBehind(run);
  });
});

describe('npm run demo flags', () => {
  it('reads the documented flags', () => {
    expect(
      parseDemoArgs([
        '--seconds',
        '120',
        '--dry-run',
        '--trace',
        'month-end.csv',
        '--speed',
        '160',
        '--tick-seconds',
        '5',
        '--out',
        'runs',
        '--screenshot',
        'chart.png',
      ]),
    ).toMatchObject({
      seconds: 120,
      dryRun: true,
      tracePath: 'month-end.csv',
      speed: 160,
      tickSeconds: 5,
      outDir: 'runs',
      screenshotPath: 'chart.png',
    });
    expect(parseDemoArgs(['--kill-worker-at', '30,45', '--broker-down', '40-46']).faults).toEqual({
      killWorkerAt: [30, 45],
      brokerDown: { from: 40, to: 46 },
    });
  });

  it.each([
    [['--seconds', 'abc'], /--seconds: expected a number, got "abc"/],
    [['--seconds', '0'], /--seconds: must be between 10 and 86400, got 0/],
    [['--seconds'], /--seconds/],
    [['--speed', '2'], /--speed: only applies with --trace/],
    [['--broker-down', '46-40'], /--broker-down: expected FROM-TO/],
    [['--fast'], /Unknown option '--fast'/],
  ])('refuses %j with an error naming the flag', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });

  it('exits 2 with the error and the usage on a bad flag, before starting anything', async () => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/demo.ts', '--seconds', 'soon'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--seconds: expected a number, got "soon"/);
    expect(stderr).toMatch(/usage: npm run demo/);
  });
});
