/**
 * Nothing acts on a wrong picture of the world: what real operators and real infrastructure get
 * wrong every week, each against the real handler with the embedded Kafka, the ECS stand-in and the
 * CloudWatch stand-in (reached by the real SDK). Before, each of these changed a service.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { coldHandler, controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { produce } from '../support/kafka.js';

const NAMESPACE = 'KafkaLagScaler/wrong-picture';
/** 12 partitions × 520 messages behind: 6,240 messages of lag, as in the report. */
const LAG_PER_PARTITION = 520;
const orders = {
  name: 'orders',
  group: 'orders-consumer',
  topics: ['order-events'],
  cluster: 'prod',
  service: 'orders-worker',
  lagPerTask: 100,
  maxTasks: 12,
};

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
const savedEnv = { ...process.env };

const invoke = (handler: Handler, event: unknown) => handler(event, lambdaContext(15_000));
const scheduled = (at: number) => ({ scheduledTime: new Date(at).toISOString() });
const updates = () => ecs.callsOf('UpdateService').filter((c) => !c.error);
const published = (metric: string) =>
  cloudwatch
    .datums()
    .filter((d) => d.metricName === metric && d.dimensions.Target === 'orders')
    .map((d) => d.value);

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'order-events': 12 } });
  await produce(
    kafka.bootstrapServers,
    'order-events',
    Array.from({ length: 12 }, () => LAG_PER_PARTITION),
  );
  await kafka.commitOffsets(
    'orders-consumer',
    Array.from({ length: 12 }, (_, partition) => ({ topic: 'order-events', partition, offset: 0 })),
  );
  ecs = await startEcsStandIn({ region: 'eu-west-1' });
  cloudwatch = await startCloudWatchStandIn();
});

afterAll(() => restoreAndStop(savedEnv, [ecs, cloudwatch], kafka));

beforeEach(() => {
  process.env = {
    ...savedEnv,
    ...controllerEnv(kafka, { ecs, cloudwatch }, { SCALER_TARGETS: JSON.stringify([orders]), SCALER_METRICS_NAMESPACE: NAMESPACE }),
  };
  cloudwatch.reset();
  ecs.addService({ cluster: 'prod', service: 'orders-worker', desiredCount: 10 });
});

describe('a group that does not exist, or whose offsets expired, is not lag 0', () => {
  it('holds a misspelt group instead of scaling 10 → 3, and counts the error', async () => {
    process.env.SCALER_TARGETS = JSON.stringify([{ ...orders, group: 'orders-consumr' }]);
    const before = updates().length;

    const result = await invoke(await coldHandler(), scheduled(Date.now()));

    expect(result.decisions[0]).toMatchObject({ reason: 'group-has-no-offsets', changed: false, inControl: false });
    expect(ecs.getService('prod', 'orders-worker').desiredCount).toBe(10);
    expect(result.decisions[0]!.explanation).toMatch(/orders-consumr: no committed offset on any of its 12 partitions/);
    expect(updates().length).toBe(before);
    expect(published('LagReadErrors')).toEqual([1]);
    expect(published('Heartbeat')).toEqual([]);
  });

  it("reads a new service's group by the reset policy when the target says it may have no commits yet", async () => {
    process.env.SCALER_TARGETS = JSON.stringify([{ ...orders, group: 'orders-consumer-new', allowNoCommits: true }]);
    const result = await invoke(await coldHandler(), { dryRun: true });
    expect(result.decisions[0]).toMatchObject({ lag: { total: 0 }, inControl: false });
    expect(result.decisions[0]!.reason).not.toBe('group-has-no-offsets');
  });
});

describe('one step per period, however many times the event arrives', () => {
  it('handles a scheduled time once, even after a cold start, and a hand-run tick in the same period adds no step', async () => {
    process.env.SCALER_TARGETS = JSON.stringify([{ ...orders, maxScaleUpStep: 2 }]);
    ecs.addService({ cluster: 'prod', service: 'orders-worker', desiredCount: 1 });
    const at = Date.now();
    const warm = await coldHandler();

    const first = await invoke(warm, scheduled(at));
    const again = await invoke(warm, scheduled(at));
    const afterColdStart = await invoke(await coldHandler(), scheduled(at));
    const byHand = await invoke(warm, { targets: ['orders'], dryRun: false });

    expect(first.decisions[0]).toMatchObject({ current: 1, desired: 3, changed: true });
    expect(again.skipped).toMatch(/^duplicate-event: /);
    expect(afterColdStart.skipped).toMatch(/^duplicate-event: /);
    expect(byHand.decisions[0]).toMatchObject({ current: 3, desired: 3, changed: false, reason: 'step-limited' });
    expect(ecs.getService('prod', 'orders-worker').desiredCount).toBe(3);
  });
});

describe('incomplete service data holds', () => {
  it('never reads a DescribeServices answer without counts as 0 tasks (it scaled 30 → 12 in one step)', async () => {
    ecs.addService({ cluster: 'prod', service: 'orders-worker', desiredCount: 30 });
    ecs.withholdCounts('prod', 'orders-worker', true);
    const before = updates().length;

    const result = await invoke(await coldHandler(), scheduled(Date.now()));

    expect(result.decisions[0]).toMatchObject({ reason: 'service-read-incomplete', changed: false, inControl: false });
    expect(updates().length).toBe(before);
    expect(published('ServiceErrors')).toEqual([1]);
  });
});

describe('restored history is checked as strictly as live input', () => {
  /** Three minutes of rows for `orders`, as the controller publishes them, with `changes` applied. */
  function seedHistory(changes: Record<string, number[]> = {}) {
    const now = Date.now();
    const rows: Record<string, number[]> = {
      TotalLag: [6240, 6240, 6240],
      MaxPartitionLag: [520, 520, 520],
      PartitionCount: [12, 12, 12],
      PartitionsWithLag: [12, 12, 12],
      LogEndOffsetSum: [6240, 6240, 6240],
      CommittedOffsetSum: [0, 0, 0],
      CurrentTasks: [12, 12, 12],
      RunningTasks: [12, 12, 12],
      DesiredTasks: [12, 12, 12],
      ...changes,
    };
    cloudwatch.seed(
      Object.entries(rows).flatMap(([metricName, values]) =>
        values.map((value, i) => ({
          namespace: NAMESPACE,
          metricName,
          dimensions: { Target: 'orders' },
          value,
          timestamp: now - (3 - i) * 60_000,
        })),
      ),
    );
  }

  it('does not believe a foreign learned throughput of 1e9 msg/s (it scaled 12 → 1 on the first tick)', async () => {
    ecs.addService({ cluster: 'prod', service: 'orders-worker', desiredCount: 12 });
    seedHistory({ LearnedTaskThroughput: [1e9, 1e9, 1e9] });

    const result = await invoke(await coldHandler(), scheduled(Date.now()));

    expect(result.decisions[0]!.figures?.taskThroughput).not.toBe(1e9);
    expect(result.decisions[0]!.desired).toBeGreaterThanOrEqual(10);
  });

  it('drops an inconsistent row instead of freezing the target at invalid-history', async () => {
    seedHistory({ PartitionsWithLag: [12, 50, 12] });

    const result = await invoke(await coldHandler(), scheduled(Date.now()));

    expect(result.decisions[0]!.reason).not.toBe('invalid-history');
    expect(result.errors).toEqual([]);
  });
});
