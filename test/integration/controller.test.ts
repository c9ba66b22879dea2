/**
 * Whole ticks of the Lambda handler against the embedded Kafka cluster and the local ECS stand-in,
 * which the real AWS SDK reaches through AWS_ENDPOINT_URL_ECS. CloudWatch is mocked in process.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { LOANS_AND_PAYMENTS, seedBacklog } from '../support/kafka.js';

const cloudwatch = mockClient(CloudWatchClient);
let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let handler: Handler;
const savedEnv = { ...process.env };

const TARGETS = Object.entries(LOANS_AND_PAYMENTS).map(([name, target]) => ({ name, ...target }));

const updates = () => ecs.callsOf('UpdateService').filter((c) => !c.error);
const scheduled = (ageMs = 0) => ({ scheduledTime: new Date(Date.now() - ageMs).toISOString() });

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, topics: { 'loan-events': 12, 'payment-events': 6 } });
  await seedBacklog(kafka, 'loan-events', { partitions: 12, messages: 100, groups: ['loan-approvals'] });
  await seedBacklog(kafka, 'payment-events', { partitions: 6, messages: 10, groups: ['payment-workers'], committed: 10 });
  ecs = await startEcsStandIn({
    region: 'eu-west-1',
    services: [
      { cluster: 'prod', service: 'loan-worker', desiredCount: 1, runningCount: 1 },
      { cluster: 'prod', service: 'payment-worker', desiredCount: 2, runningCount: 2 },
    ],
  });
  Object.assign(process.env, controllerEnv(kafka, { ecs }, { SCALER_TARGETS: JSON.stringify(TARGETS) }));
  ({ handler } = (await import('../../handlers/controller.js')) as unknown as { handler: Handler });
});

afterAll(() => restoreAndStop(savedEnv, [ecs], kafka));

beforeEach(() => {
  cloudwatch.reset();
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  cloudwatch.on(PutMetricDataCommand).resolves({});
  process.env.SCALER_TARGETS = JSON.stringify(TARGETS);
});

describe('the controller Lambda, end to end', () => {
  it('answers a dry run with decisions and calls no UpdateService', async () => {
    const before = updates().length;

    const result = await handler({ dryRun: true }, lambdaContext());

    expect(result.errors).toEqual([]);
    expect(result.decisions.find((d) => d.target === 'loans')).toMatchObject({
      current: 1,
      desired: 12,
      changed: false,
      dryRun: true,
      lag: { total: 1200 },
    });
    expect(updates().length).toBe(before);
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('tries other settings in a dry run, and refuses them outside one', async () => {
    const result = await handler({ dryRun: true, targets: ['loans'], overrides: { maxTasks: 3 } }, lambdaContext());
    expect(result.decisions).toHaveLength(1);
    expect(result.decisions[0]).toMatchObject({ target: 'loans', desired: 3, reason: 'at-max-tasks' });

    await expect(handler({ dryRun: false, targets: ['loans'], overrides: { maxTasks: 3 } }, lambdaContext())).rejects.toThrow(
      /payload.overrides: are only accepted in a dry run/,
    );
    await expect(handler({ dryRun: true, targets: ['lons'] }, lambdaContext())).rejects.toThrow(
      /payload.targets\[0\]: no target named "lons"/,
    );
    await expect(handler({ dryRun: 'yes' }, lambdaContext())).rejects.toThrow(/payload.dryRun: must be true or false/);
  });

  it('scales a lagging service up through the real SDK on a scheduled tick, and publishes metrics', async () => {
    const result = await handler(scheduled(), lambdaContext());

    expect(result.errors).toEqual([]);
    expect(result.decisions.find((d) => d.target === 'loans')).toMatchObject({ current: 1, desired: 12, changed: true, dryRun: false });
    expect(updates().at(-1)?.input).toMatchObject({ cluster: 'prod', service: 'loan-worker', desiredCount: 12 });
    expect(ecs.getService('prod', 'loan-worker').desiredCount).toBe(12);
    const published = cloudwatch.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    expect(
      published
        .filter((d) => d.MetricName === 'Heartbeat')
        .map((d) => d.Dimensions?.[0]?.Value)
        .sort(),
    ).toEqual(['loans', 'payments']);
    expect(published.find((d) => d.MetricName === 'TotalLag' && d.Dimensions?.[0]?.Value === 'loans')?.Value).toBe(1200);
  });

  it('holds on a broken lag read: a missing topic, then every broker down', async () => {
    process.env.SCALER_TARGETS = JSON.stringify([{ ...TARGETS[0], topics: ['loan-events', 'no-such-topic'] }, TARGETS[1]]);
    const before = updates().length;
    const missing = await handler(scheduled(), lambdaContext());
    expect(missing.decisions.find((d) => d.target === 'loans')).toMatchObject({ reason: 'lag-read-incomplete', changed: false });
    expect(missing.errors).toEqual([expect.objectContaining({ target: 'loans', step: 'lag' })]);

    await kafka.brokerDown(-1);
    try {
      const down = await handler(scheduled(), lambdaContext());
      expect(down.decisions.map((d) => d.reason)).toEqual(['lag-read-failed', 'lag-read-failed']);
      expect(updates().length).toBe(before);
    } finally {
      await kafka.brokerUp(-1);
    }
  });

  it("keeps going when one target's service fails, and retries ECS throttling", async () => {
    ecs.setServiceStatus('prod', 'payment-worker', 'DRAINING');
    ecs.throttleNext(1, 'DescribeServices');
    try {
      const result = await handler({ dryRun: true }, lambdaContext());
      expect(result.decisions.find((d) => d.target === 'payments')).toMatchObject({ reason: 'service-not-active' });
      expect(result.decisions.find((d) => d.target === 'loans')?.reason).not.toMatch(/failed|missing/);
      expect(result.errors.map((e) => e.target)).toEqual(['payments']);
      expect(ecs.callsOf('DescribeServices').some((c) => c.error?.includes('Throttling'))).toBe(true);
    } finally {
      ecs.setServiceStatus('prod', 'payment-worker', 'ACTIVE');
    }
  });

  it('stops at the Lambda deadline when Kafka is slow', async () => {
    await kafka.setLatency(-1, 8_000);
    const started = Date.now();
    try {
      const result = await handler({ dryRun: true }, lambdaContext(6_000));
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(result.decisions.every((d) => d.changed === false)).toBe(true);
      expect(result.decisions.map((d) => d.reason)).toEqual(['deadline', 'deadline']);
      expect(result.errors.map((e) => e.step)).toEqual(['deadline', 'deadline']);
    } finally {
      await kafka.setLatency(-1, 0);
    }
  });

  it('skips a stale scheduled event without calling anything', async () => {
    const before = ecs.calls.length;
    const result = await handler(scheduled(5 * 60_000), lambdaContext());
    expect(result.skipped).toMatch(/stale-event/);
    expect(ecs.calls.length).toBe(before);
  });

  it('refuses an invalid configuration, naming every problem, and calls nothing', async () => {
    process.env.SCALER_TARGETS = JSON.stringify([{ name: 'loans', group: 'g', cluster: 'prod', maxTasks: 0 }]);
    const before = ecs.calls.length;
    await expect(handler(scheduled(), lambdaContext())).rejects.toThrow(/SCALER_TARGETS\[0\] \(loans\)\.service: is required/);
    expect(ecs.calls.length).toBe(before);
  });
});
