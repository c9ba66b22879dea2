/**
 * What an independent audit broke, each through the real handler (or the CLI) against the embedded
 * Kafka, the ECS stand-in and the CloudWatch stand-in: a plausible foreign learned throughput
 * restored from metrics, a topic the group starts committing on read as production, and a setting
 * named `__proto__` that vanished. The step limit against an outside change, one bad pin and a
 * future event are rows of the fault matrix.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, TARGET_DIMENSION } from '../../src/adapters/cloudwatch/metric-names.js';
import { type CloudWatchStandIn, type RecordedDatum, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { runCli } from '../support/cli.js';
import { coldHandler, controllerEnv, restoreAndStop } from '../support/controller-env.js';
import { produce } from '../support/kafka.js';

const PARTITIONS = 12;
const PRODUCED = 2_500;
const COMMITTED = 2_498;
/** What 12 tasks consume per second in the restored rows: 8.5 per task. */
const GROUP_RATE = 102;
const loans = { name: 'loans', group: 'loan-approvals', topics: ['loan-events'], cluster: 'prod', service: 'loan-worker', maxTasks: 24 };
/** Discovers its topics from the group's commits. */
const audits = { name: 'audits', group: 'auditors', cluster: 'prod', service: 'audit-worker', taskThroughput: 10, maxTasks: 12 };

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let env: Record<string, string>;
const savedEnv = { ...process.env };

/** Three minutes of rows for `loans` at 12 tasks, keeping up at 102 msg/s, each carrying a learned 100 msg/s per task (another writer's figure). */
function foreignThroughputRows(now: number): RecordedDatum[] {
  const lastPeriod = Math.floor(now / 60_000) * 60_000;
  return [3, 2, 1].flatMap((periodsAgo) => {
    const at = lastPeriod - periodsAgo * 60_000;
    const behind = (GROUP_RATE * (now - at)) / 1000;
    const row: Record<string, number> = {
      [METRIC.totalLag]: PARTITIONS * (PRODUCED - COMMITTED),
      [METRIC.maxPartitionLag]: PRODUCED - COMMITTED,
      [METRIC.partitionCount]: PARTITIONS,
      [METRIC.partitionsWithLag]: PARTITIONS,
      [METRIC.logEndSum]: PARTITIONS * PRODUCED - behind,
      [METRIC.committedSum]: PARTITIONS * COMMITTED - behind,
      [METRIC.currentTasks]: 12,
      [METRIC.runningTasks]: 12,
      [METRIC.desiredTasks]: 12,
      [METRIC.learnedTaskThroughput]: 100,
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
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'loan-events': PARTITIONS, 'audit-a': 4, 'audit-b': 4 } });
  await produce(
    kafka.bootstrapServers,
    'loan-events',
    Array.from({ length: PARTITIONS }, () => PRODUCED),
  );
  await kafka.commitOffsets(
    loans.group,
    Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'loan-events', partition, offset: COMMITTED })),
  );
  await produce(kafka.bootstrapServers, 'audit-a', [10, 10, 10, 10]);
  await produce(kafka.bootstrapServers, 'audit-b', [2_000, 2_000, 2_000, 2_000]);
  await kafka.commitOffsets(
    audits.group,
    [0, 1, 2, 3].map((partition) => ({ topic: 'audit-a', partition, offset: 10 })),
  );
  ecs = await startEcsStandIn({
    services: [
      { cluster: 'prod', service: 'loan-worker', desiredCount: 12, runningCount: 12 },
      { cluster: 'prod', service: 'audit-worker', desiredCount: 2, runningCount: 2 },
    ],
  });
  cloudwatch = await startCloudWatchStandIn();
  env = controllerEnv(kafka, { ecs, cloudwatch }, { SCALER_TARGETS: JSON.stringify([loans, audits]) });
});

afterAll(() => restoreAndStop(savedEnv, [ecs, cloudwatch], kafka));

beforeEach(() => {
  process.env = { ...savedEnv, ...env };
  cloudwatch.reset();
});

describe('restored history is believed only where its own rows support it', () => {
  it('drops a foreign learned throughput of 100 msg/s per task where 12 tasks consume 8.5 each: no 12 → 1', async () => {
    cloudwatch.seed(foreignThroughputRows(Date.now()));
    const result = await (await coldHandler())({ scheduledTime: new Date().toISOString() }, lambdaContext(15_000));
    const decision = result.decisions.find((d) => d.target === 'loans')!;
    expect(decision.history, JSON.stringify(decision.history)).toEqual({ source: 'cloudwatch', entries: 3 });
    expect(decision.figures?.taskThroughput).not.toBe(100);
    expect(decision).toMatchObject({ current: 12, desired: 12, changed: false });
    expect(ecs.getService('prod', 'loan-worker').desiredCount).toBe(12);
  });
});

describe('rates are measured over the same partitions only', () => {
  it('reads no production into a topic the group starts committing on (8,000 messages at its log end): no scale-up', async () => {
    const handler = await coldHandler();
    const first = Date.now();
    await handler({ scheduledTime: new Date(first).toISOString() }, lambdaContext(15_000));
    // The group now commits on audit-b too, at its log end: nothing is waiting and nothing was produced.
    await kafka.commitOffsets(
      audits.group,
      [0, 1, 2, 3].map((partition) => ({ topic: 'audit-b', partition, offset: 2_000 })),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const result = await handler({ scheduledTime: new Date().toISOString() }, lambdaContext(15_000));
    const decision = result.decisions.find((d) => d.target === 'audits')!;
    expect(decision.figures).toMatchObject({ produceRate: null, partitionSetChanged: true });
    expect(decision.explanation).toMatch(/The partitions read changed since the last reading \(now 8\)/);
    expect(decision).toMatchObject({ current: 2, desired: 2, changed: false });
    expect(ecs.getService('prod', 'audit-worker').desiredCount).toBe(2);
  });
});

describe('the CLI', () => {
  it('refuses --set __proto__=1 by name instead of dropping it and exiting 0', async () => {
    const run = await runCli(['decide', '--dry-run', '--set', '__proto__=1'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--set __proto__: is not a policy setting/);
  });
});
