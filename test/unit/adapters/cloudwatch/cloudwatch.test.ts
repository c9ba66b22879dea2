import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RESTORED_THROUGHPUT_SUPPORT_FACTOR, restoreHistory } from '../../../../src/adapters/cloudwatch/history-restore.js';
import { MetricsBuffer } from '../../../../src/adapters/cloudwatch/metrics-buffer.js';
import { DEFAULT_POLICY, historyWindowSeconds } from '../../../../src/decision/index.js';
import type { GroupLag } from '../../../../src/lag/types.js';
import type { TargetError } from '../../../../src/report/outcome.js';
import { aScaleAction } from '../../../support/decisions.js';

const cloudwatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'eu-west-1' });
const T0 = Date.UTC(2026, 10, 25, 12);
const LOANS = [{ name: 'loans', policy: DEFAULT_POLICY }];
beforeEach(() => cloudwatch.reset());

const decision = aScaleAction({
  lag: { total: 500, max: 80, status: 'ok', partitions: [], warnings: [] },
  explanation: '',
  health: 'STALL',
  objectiveSeconds: 180,
  figures: {
    produceRate: 120,
    consumeRate: null,
    taskThroughput: 100,
    drainSeconds: null,
    expectedTimeLagSeconds: null,
    taskThroughputSource: 'configured',
    timeLagSeconds: 42,
    requiredCapacity: 300,
    lagGrowing: false,
    consumeCeiling: 1200,
    ceilingTasks: 12,
    stuckPartitions: [],
    rewoundPartitions: [],
    oldestPartition: null,
    stalledSeconds: null,
    partitionSetChanged: false,
    recommendations: null,
  },
});

const lag: GroupLag = {
  group: 'g',
  status: 'ok',
  incomplete: false,
  totalLag: 500,
  maxPartitionLag: 80,
  logEndSum: 9,
  committedSum: 4,
  partitionCount: 12,
  partitionsWithLag: 3,
  partitions: [],
  missingTopics: [],
  warnings: [],
  readAt: T0,
};
const published = (buffer: MetricsBuffer) => {
  cloudwatch.on(PutMetricDataCommand).resolves({});
  return buffer.flush(client, 'KafkaLagScaler').then(() =>
    Object.fromEntries(
      cloudwatch
        .commandCalls(PutMetricDataCommand)
        .flatMap((c) => c.args[0].input.MetricData ?? [])
        .map((d) => [d.MetricName, d.Value]),
    ),
  );
};

describe('publishing metrics', () => {
  it('publishes one datum per known figure, with the target as dimension, in requests of at most 1000', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const buffer = new MetricsBuffer();
    for (let i = 0; i < 100; i++) buffer.addTarget({ ...decision, target: `t${i}` }, lag, [], T0);

    await buffer.flush(client, 'KafkaLagScaler');

    const calls = cloudwatch.commandCalls(PutMetricDataCommand);
    const datums = calls.flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(calls.every((c) => c.args[0].input.Namespace === 'KafkaLagScaler' && (c.args[0].input.MetricData?.length ?? 0) <= 1000)).toBe(
      true,
    );
    const first = datums.filter((d) => d.Dimensions?.[0]?.Value === 't0');
    expect(Object.fromEntries(first.map((d) => [d.MetricName, d.Value]))).toEqual({
      Heartbeat: 1,
      Errors: 0,
      TotalLag: 500,
      MaxPartitionLag: 80,
      LogEndOffsetSum: 9,
      CommittedOffsetSum: 4,
      PartitionCount: 12,
      PartitionsWithLag: 3,
      ReadTime: T0 / 1000,
      TimeLagSeconds: 42,
      ProduceRate: 120,
      CurrentTasks: 2,
      RunningTasks: 2,
      DesiredTasks: 4,
      Stalled: 1,
      TimeLagObjectiveSeconds: 180,
      ScalingIneffective: 1,
      ConsumeCeiling: 1200,
      StuckPartitions: 0,
      RewoundPartitions: 0,
      AtLimitLagGrowing: 0,
      OperatorHold: 0,
    }); // ConsumeRate, the outlook unknown, no recommendation (a hold), throughput configured: not published
  });

  it('publishes the recommendation and a learned throughput, which a cold start restores', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const buffer = new MetricsBuffer();
    const figures = {
      ...decision.figures!,
      taskThroughputSource: 'learned' as const,
      taskThroughput: 87,
      recommendations: { compute: 5, stabilize: 5, rateLimit: 4, clamp: 4 },
    };
    buffer.addTarget({ ...decision, figures }, null, [], T0);

    await buffer.flush(client, 'KafkaLagScaler');

    const datums = cloudwatch.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(datums.find((d) => d.MetricName === 'Recommendation')?.Value).toBe(5);
    expect(datums.find((d) => d.MetricName === 'LearnedTaskThroughput')?.Value).toBe(87);
    expect(buffer.size).toBe(0);
  });
});

describe('the heartbeat: published only while the controller is in control of the target', () => {
  it('is published for a target seen, decided and acted on', async () => {
    const buffer = new MetricsBuffer();
    buffer.addTarget(decision, lag, [], T0);
    expect(await published(buffer)).toMatchObject({ Heartbeat: 1, Errors: 0 });
  });

  it('is never published by a dry run, which says it advised instead', async () => {
    const buffer = new MetricsBuffer();
    buffer.addTarget({ ...decision, changed: false, inControl: false, dryRun: true }, lag, [], T0);
    const datums = await published(buffer);
    expect(datums.Heartbeat).toBeUndefined();
    expect(datums).toMatchObject({ DryRunHeartbeat: 1, Errors: 0 });
  });

  it('is not published for a blind target: the error by kind is, and no offsets it did not read', async () => {
    const buffer = new MetricsBuffer();
    const failed: TargetError[] = [{ target: 'loans', step: 'lag', message: 'metadata: down' }];
    const { health: _health, figures: _figures, ...undecided } = decision;
    buffer.addTarget(
      {
        ...undecided,
        lag: null,
        current: 2,
        running: 2,
        desired: 2,
        changed: false,
        inControl: false,
        reason: 'lag-read-failed',
      },
      null,
      failed,
      T0,
    );
    const datums = await published(buffer);
    expect(datums).toEqual({ Errors: 1, LagReadErrors: 1, CurrentTasks: 2, RunningTasks: 2, DesiredTasks: 2 });
  });

  it('leaves what a cold start restores out of a period’s later ticks, and keeps the heartbeat and the rest', async () => {
    const buffer = new MetricsBuffer();
    buffer.addTarget(decision, lag, [], T0, { restorable: false });
    const datums = await published(buffer);
    for (const restored of ['TotalLag', 'LogEndOffsetSum', 'CommittedOffsetSum', 'CurrentTasks', 'RunningTasks', 'DesiredTasks'])
      expect(datums).not.toHaveProperty(restored);
    expect(datums).toMatchObject({ Heartbeat: 1, TimeLagSeconds: 42, ProduceRate: 120 });
  });

  it('counts an operator hold while it lasts, even when a rollout holds the count as well', async () => {
    const buffer = new MetricsBuffer();
    buffer.addTarget({ ...decision, reason: 'deployment-in-progress', heldBy: 'the control parameter' }, lag, [], T0);
    expect(await published(buffer)).toMatchObject({ OperatorHold: 1 });
  });

  it('publishes no lag figures from a partial read, and no desired count when the update outcome is unknown', async () => {
    const buffer = new MetricsBuffer();
    const errors: TargetError[] = [{ target: 'loans', step: 'update-service', message: 'timed out' }];
    buffer.addTarget(
      { ...decision, desired: null, changed: false, inControl: false, reason: 'update-unknown' },
      { ...lag, status: 'partial', incomplete: true },
      errors,
      T0,
    );
    const datums = await published(buffer);
    expect(Object.keys(datums).filter((name) => /Lag$|Sum$|Partition|Heartbeat|DesiredTasks/.test(name))).toEqual([]);
    expect(datums).toMatchObject({ Errors: 1, UpdateErrors: 1 });
  });
});

describe('restoring history after a cold start', () => {
  it('rebuilds complete rows from the published metrics, oldest first, across pages', async () => {
    const row = (id: string, values: number[]) => ({
      Id: `t0_${id}`,
      Timestamps: values.map((_, i) => new Date(T0 + i * 60_000)),
      Values: values,
    });
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          row('totallag', [10, 20, 30]),
          row('maxpartitionlag', [5, 5, 5]),
          row('partitioncount', [4, 4, 4]),
          row('partitionswithlag', [2, 2, 2]),
        ],
        NextToken: 'more',
      })
      .resolvesOnce({
        MetricDataResults: [
          row('logendsum', [10_000, 16_000, 22_000]),
          row('committedsum', [9_990, 15_980, 21_970]),
          row('current', [1, 1, 2]),
          row('running', [1, 1]),
          row('desired', [1, 2, 2]),
          row('recommendation', [1, 2, 2]),
          row('learned', [95, Number.NaN, 95]),
        ],
      });

    const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);

    expect(restored.entries.get('loans')).toEqual([
      {
        now: T0,
        lag: { totalLag: 10, maxPartitionLag: 5, partitionCount: 4, partitionsWithLag: 2, logEndSum: 10_000, committedSum: 9_990 },
        service: { desired: 1, running: 1 },
        // The rows never show the group backlogged, so nothing in them supports a learned 95 msg/s per task.
        decision: { desired: 1, recommendation: 1 },
      },
      {
        now: T0 + 60_000,
        lag: { totalLag: 20, maxPartitionLag: 5, partitionCount: 4, partitionsWithLag: 2, logEndSum: 16_000, committedSum: 15_980 },
        service: { desired: 1, running: 1 },
        decision: { desired: 2, recommendation: 2 },
      },
    ]); // the third minute has no RunningTasks: left out rather than guessed
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.StartTime).toEqual(new Date(T0 + 180_000 - historyWindowSeconds(DEFAULT_POLICY) * 1000));
    expect(input.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([{ Name: 'Target', Value: 'loans' }]);
  });

  describe('checks restored rows as strictly as live input', () => {
    const T = (i: number) => new Date(T0 + i * 60_000);
    const answer = (rows: Record<string, number[]>) =>
      cloudwatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: Object.entries(rows).map(([id, values]) => ({
          Id: `t0_${id}`,
          Timestamps: values.map((_, i) => T(i)),
          Values: values,
        })),
      });
    const steady = {
      totallag: [10, 10, 10],
      maxpartitionlag: [5, 5, 5],
      partitioncount: [12, 12, 12],
      partitionswithlag: [2, 2, 2],
      logendsum: [10_000, 16_000, 22_000],
      committedsum: [9_990, 15_990, 21_990],
      current: [3, 3, 3],
      running: [3, 3, 3],
      desired: [3, 3, 3],
    };

    it('drops and counts rows that contradict themselves (more partitions lagging than partitions)', async () => {
      answer({ ...steady, partitionswithlag: [2, 50, 2] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.entries.get('loans')?.map((e) => e.now)).toEqual([T0, T0 + 120_000]);
      expect(restored.dropped.get('loans')).toBe(1);
    });

    /** 12 partitions all lagging, 3 tasks consuming 100 msg/s: 33.3 msg/s per task (4 partitions each). */
    const backlogged = {
      ...steady,
      totallag: [30_000, 30_000, 30_000],
      maxpartitionlag: [2_500, 2_500, 2_500],
      partitionswithlag: [12, 12, 12],
      committedsum: [9_990, 15_990, 21_990],
    };

    it("believes a learned throughput the rows' own consume rate per task supports", async () => {
      answer({ ...backlogged, learned: [33, 34, 33] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.entries.get('loans')?.map((e) => e.decision?.learnedTaskThroughput)).toEqual([33, 34, 33]);
      expect(restored.unsupportedThroughput.size).toBe(0);
    });

    it('drops and counts a plausible foreign throughput the rows do not support, though it is below the group peak', async () => {
      // 100 msg/s per task: no more than the whole group consumed, yet three times what a task here does.
      answer({ ...backlogged, learned: [100, 100, 100] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.entries.get('loans')?.map((e) => e.decision?.learnedTaskThroughput)).toEqual([undefined, undefined, undefined]);
      expect(restored.unsupportedThroughput.get('loans')).toBe(3);
      expect(100).toBeGreaterThan((100 / 3) * RESTORED_THROUGHPUT_SUPPORT_FACTOR);
    });

    it('drops a learned throughput when the rows never show the group backlogged: nothing supports it', async () => {
      answer({ ...steady, learned: [90, 90, 90] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.entries.get('loans')?.map((e) => e.decision?.learnedTaskThroughput)).toEqual([undefined, undefined, undefined]);
      expect(restored.unsupportedThroughput.get('loans')).toBe(3);
    });

    it('dates each restored reading when it was read, not at its bucket’s start; a time outside the bucket is not believed', async () => {
      // Ticks that read at :50 of each minute; the third row's time is another bucket's (foreign data).
      answer({ ...steady, readtime: [(T0 + 50_000) / 1000, (T0 + 110_000) / 1000, (T0 + 300_000) / 1000] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.entries.get('loans')?.map((e) => e.now)).toEqual([T0 + 50_000, T0 + 110_000, T0 + 120_000]);
    });

    it('restores the latest scheduled time handled, so a redelivered event is known after a cold start', async () => {
      answer({ ...steady, scheduled: [(T0 - 60_000) / 1000, T0 / 1000, (T0 + 60_000) / 1000] });
      const restored = await restoreHistory(client, 'KafkaLagScaler', LOANS, T0 + 180_000, 60);
      expect(restored.lastScheduledAt).toBe(T0 + 60_000);
    });
  });
});
