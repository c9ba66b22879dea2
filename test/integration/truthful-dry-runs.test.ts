/**
 * Dry runs tell the truth: a CLI dry run and a hand-run dry run on a cold Lambda decide with the
 * history the scheduled controller would use (its own metrics, read back from the CloudWatch
 * stand-in, read only), so all three give the same decision on the same state; with no history
 * anywhere, a dry run measures the rates itself over a few seconds and says so. A hand-run payload
 * is a dry run unless it says `"dryRun": false`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, TARGET_DIMENSION } from '../../src/adapters/cloudwatch/metric-names.js';
import type { TargetDecision, TickResult } from '../../src/report/outcome.js';
import { type CloudWatchStandIn, type RecordedDatum, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { runCli } from '../support/cli.js';
import { coldHandler, controllerEnv, restoreAndStop } from '../support/controller-env.js';
import { produce } from '../support/kafka.js';

const PARTITIONS = 4;
const PRODUCED = 500;
const COMMITTED = 300;
/** The rate the restored history shows, produced and consumed alike: the lag holds at 800. */
const RATE = 4;
const loans = {
  name: 'loans',
  group: 'loan-approvals',
  topics: ['loan-events'],
  cluster: 'prod',
  service: 'loan-worker',
  lagPerTask: 100,
  taskThroughput: 10,
};
/** Never ticked by the scheduled controller: no history anywhere. */
const payments = { ...loans, name: 'payments', group: 'payment-workers', service: 'payment-worker' };

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let env: Record<string, string>;
const savedEnv = { ...process.env };

const cli = (args: string[]) => runCli(args, env);

const decisionOf = (result: TickResult, target: string) => result.decisions.find((d) => d.target === target) as TargetDecision;
const updates = () => ecs.callsOf('UpdateService');

/**
 * What three scheduled ticks a minute apart published for `loans` before this test: the lag read
 * as it is now, the offsets `RATE` per second behind for every second before `now`.
 */
function publishedHistory(now: number, { readOffsetMs }: { readOffsetMs?: number } = {}): RecordedDatum[] {
  const lastPeriod = Math.floor(now / 60_000) * 60_000;
  const logEnd = PARTITIONS * PRODUCED;
  const committed = PARTITIONS * COMMITTED;
  // Off the minute: each tick read `readOffsetMs` into its minute, the latest at least 5 s before now.
  const latestRead =
    readOffsetMs === undefined ? undefined : lastPeriod + readOffsetMs - (lastPeriod + readOffsetMs > now - 5_000 ? 60_000 : 0);
  return [3, 2, 1].flatMap((periodsAgo) => {
    const at = latestRead === undefined ? lastPeriod - periodsAgo * 60_000 : latestRead - (periodsAgo - 1) * 60_000;
    const behind = (RATE * (now - at)) / 1000;
    const row: Record<string, number> = {
      [METRIC.totalLag]: logEnd - committed,
      [METRIC.maxPartitionLag]: PRODUCED - COMMITTED,
      [METRIC.partitionCount]: PARTITIONS,
      [METRIC.partitionsWithLag]: PARTITIONS,
      [METRIC.logEndSum]: logEnd - behind,
      [METRIC.committedSum]: committed - behind,
      [METRIC.currentTasks]: 2,
      [METRIC.runningTasks]: 2,
      [METRIC.desiredTasks]: 2,
      ...(latestRead !== undefined ? { [METRIC.readTime]: at / 1000 } : {}),
    };
    return Object.entries(row).map(([metricName, value]) => ({
      namespace: 'KafkaLagScaler',
      metricName,
      dimensions: { [TARGET_DIMENSION]: 'loans' },
      value,
      timestamp: at,
    }));
  });
}

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'loan-events': PARTITIONS } });
  await produce(
    kafka.bootstrapServers,
    'loan-events',
    Array.from({ length: PARTITIONS }, () => PRODUCED),
  );
  for (const group of [loans.group, payments.group]) {
    await kafka.commitOffsets(
      group,
      Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'loan-events', partition, offset: COMMITTED })),
    );
  }
  ecs = await startEcsStandIn({
    services: [
      { cluster: 'prod', service: 'loan-worker', desiredCount: 2, runningCount: 2 },
      { cluster: 'prod', service: 'payment-worker', desiredCount: 2, runningCount: 2 },
    ],
  });
  cloudwatch = await startCloudWatchStandIn();
  env = controllerEnv(kafka, { ecs, cloudwatch }, { SCALER_TARGETS: JSON.stringify([loans, payments]) });
  Object.assign(process.env, env);
});

afterAll(() => restoreAndStop(savedEnv, [ecs, cloudwatch], kafka));

beforeEach(() => {
  cloudwatch.reset();
  cloudwatch.seed(publishedHistory(Date.now()));
});

describe('a hand-run payload', () => {
  it('is a dry run when it does not say "dryRun": false: {} reaches no UpdateService', async () => {
    const before = updates().length;
    const result = await (await coldHandler())({}, lambdaContext());
    expect(result.dryRun).toBe(true);
    expect(result.decisions.every((d) => d.dryRun && !d.changed)).toBe(true);
    expect(updates().length).toBe(before);
  });

  it('acts with "dryRun": false', async () => {
    const result = await (await coldHandler())({ dryRun: false, targets: ['payments'] }, lambdaContext());
    // No history and no sampling for a run that acts: the cold start's lag ÷ lagPerTask (8), never more than the partitions with lag.
    expect(decisionOf(result, 'payments')).toMatchObject({ dryRun: false, changed: true, desired: 4, reason: 'cold-start' });
    expect(ecs.getService('prod', 'payment-worker').desiredCount).toBe(4);
  });
});

describe('a dry run decides as the scheduled controller would now', () => {
  it('gives the same decision from the CLI, a hand-run on a cold Lambda and a scheduled tick, through the CloudWatch history', async () => {
    const updatesBefore = updates().length;
    const fromCli = await cli(['decide', '--dry-run', '--json', '--target', 'loans']);
    expect(fromCli.code).toBe(0);
    const cliDecision = decisionOf(JSON.parse(fromCli.stdout), 'loans');
    const handRun = decisionOf(await (await coldHandler())({ targets: ['loans'] }, lambdaContext()), 'loans');
    // Dry runs read CloudWatch and write nothing anywhere.
    expect(cloudwatch.callsOf('PutMetricData')).toEqual([]);
    expect(updates().length).toBe(updatesBefore);

    const scheduledTick = decisionOf(await (await coldHandler())({ scheduledTime: new Date().toISOString() }, lambdaContext()), 'loans');

    for (const dryRun of [cliDecision, handRun]) {
      expect(dryRun).toMatchObject({ dryRun: true, changed: false, history: { source: 'cloudwatch', entries: 3 } });
      expect({ desired: dryRun.desired, reason: dryRun.reason }).toEqual({ desired: scheduledTick.desired, reason: scheduledTick.reason });
    }
    expect(scheduledTick).toMatchObject({ dryRun: false, history: { source: 'cloudwatch', entries: 3 } });
    // The rates are known, so the configured throughput sizes the service: not a cold start's lag ÷ lagPerTask (8).
    expect(scheduledTick.reason).not.toBe('cold-start');
    expect(scheduledTick.figures).toMatchObject({ taskThroughputSource: 'configured', produceRate: expect.closeTo(RATE, 0) });
  });
});

describe('a dry run shortly after an off-minute tick', () => {
  it('dates each restored reading when it was read, so its rates are the ones the scheduled controller measured', async () => {
    // Ticks read 50 s into their minutes: dated at the minutes' starts, the readings would be up to
    // 50 s older than they were, and the produce rate over the last interval a fraction of RATE.
    cloudwatch.reset();
    cloudwatch.seed(publishedHistory(Date.now(), { readOffsetMs: 50_000 }));
    const decision = decisionOf(await (await coldHandler())({ targets: ['loans'] }, lambdaContext()), 'loans');
    expect(decision.history).toEqual({ source: 'cloudwatch', entries: 3 });
    expect(decision.figures?.produceRate).toBeGreaterThan(RATE * 0.9);
    expect(decision.figures?.produceRate).toBeLessThan(RATE * 1.1);
  });
});

describe('a dry run with no history anywhere', () => {
  it('measures the rates itself over the window asked, and says so', async () => {
    const { code, stdout } = await cli(['decide', '--dry-run', '--json', '--target', 'payments', '--sample-seconds', '1']);
    expect(code).toBe(0);
    const decision = decisionOf(JSON.parse(stdout), 'payments');
    expect(decision.history).toEqual({ source: 'sampled', seconds: expect.closeTo(1, 0) });
    expect(decision.reason).not.toBe('cold-start');
    expect(decision.figures).toMatchObject({ produceRate: 0, consumeRate: 0, taskThroughputSource: 'configured' });
  });

  it('says why it had none when it may not sample', async () => {
    const result = await (await coldHandler())({ targets: ['payments'], sampleSeconds: 0 }, lambdaContext());
    expect(decisionOf(result, 'payments')).toMatchObject({
      figures: { produceRate: null, taskThroughputSource: 'configured' },
      history: { source: 'none', why: expect.stringMatching(/CloudWatch has no rows .*sampling is off/) },
    });
  });

  it('says why when CloudWatch cannot be read, and samples all the same', async () => {
    cloudwatch.failNext(10, 'GetMetricData', { type: 'InternalServiceFault', status: 500 });
    const result = await (await coldHandler())({ targets: ['loans'], sampleSeconds: 1 }, lambdaContext());
    expect(decisionOf(result, 'loans').history).toEqual({ source: 'sampled', seconds: expect.closeTo(1, 0) });
  });
});

describe('a dry run with overrides', () => {
  it('shows the decision with and without them, on one observation', async () => {
    // At 1 msg/s per task instead of 10, the 4 msg/s the history shows need every partition's task.
    const { code, stdout } = await cli(['decide', '--dry-run', '--target', 'loans', '--set', 'taskThroughput=1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^TARGET\s+LAG\s+CURRENT\s+RUNNING\s+DESIRED\s+CHANGED\s+REASON\s+TIME LAG\s+EXPECTED\s+DRAINED IN\s+HISTORY\s+WITHOUT --set$/m,
    );
    // Time lag now, expected at the decided count (and the objective, when set), drained in: seconds or — when unknown.
    expect(stdout).toMatch(
      /^loans\s+800\s+\d+\s+\d+\s+4\s+dry run\s+\S+\s+(—|\d+ s)\s+(—|\d+ s( \/ \d+ s)?)\s+(—|\d+ s)\s+CloudWatch \(3 rows\)\s+[1-3] [a-z-]+$/m,
    );
    expect(stdout).toMatch(/^ {2}loans without --set: /m);

    const result = await (await coldHandler())({ targets: ['loans'], overrides: { taskThroughput: 1 } }, lambdaContext());
    const decision = decisionOf(result, 'loans');
    expect(decision.desired).toBe(4);
    expect(decision.withoutOverrides).toEqual({ desired: expect.any(Number), reason: expect.any(String), explanation: expect.any(String) });
    expect(decision.withoutOverrides!.desired).toBeLessThan(4);
  });
});
