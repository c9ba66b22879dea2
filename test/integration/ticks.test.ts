/**
 * Several ticks per invocation (SCALER_TICK_SECONDS below the period): the real handler against the
 * embedded Kafka, the ECS and CloudWatch stand-ins. Each tick has its own scheduled time, steps and
 * heartbeat; the invocation ends before the next is due; a redelivered event does nothing. At one
 * tick a period, a tick that scales up is followed by surge ticks until one is calm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { coldHandler, controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { seedBacklog } from '../support/kafka.js';

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let handler: Handler;
const savedEnv = { ...process.env };

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'order-events': 12, 'surge-events': 12, 'confirm-events': 12 } });
  await seedBacklog(kafka, 'order-events', { partitions: 12, messages: 200, groups: ['orders-consumer'] });
  await seedBacklog(kafka, 'surge-events', { partitions: 12, messages: 200, groups: ['surge-consumer'] });
  await seedBacklog(kafka, 'confirm-events', { partitions: 12, messages: 200, groups: ['confirm-consumer'] });
  ecs = await startEcsStandIn({
    region: 'eu-west-1',
    services: [
      { cluster: 'prod', service: 'orders-worker', desiredCount: 1 },
      { cluster: 'prod', service: 'surge-worker', desiredCount: 1 },
      { cluster: 'prod', service: 'confirm-worker', desiredCount: 1 },
    ],
  });
  cloudwatch = await startCloudWatchStandIn();
  Object.assign(
    process.env,
    controllerEnv(
      kafka,
      { ecs, cloudwatch },
      {
        SCALER_TARGETS: JSON.stringify([
          {
            name: 'orders',
            group: 'orders-consumer',
            topics: ['order-events'],
            cluster: 'prod',
            service: 'orders-worker',
            lagPerTask: 100,
            maxScaleUpStep: 2,
          },
        ]),
        SCALER_PERIOD_SECONDS: '10',
        SCALER_TICK_SECONDS: '5',
      },
    ),
  );
  handler = await coldHandler();
});

afterAll(() => restoreAndStop(savedEnv, [ecs, cloudwatch], kafka));

describe('several ticks per invocation', () => {
  it('observes, decides and acts every tick until the next invocation is due, a step a tick, a heartbeat a tick', async () => {
    const base = Date.now();
    const started = Date.now();

    const last = await handler({ scheduledTime: new Date(base).toISOString() }, lambdaContext(15_000));

    // Two ticks of 5 s in a 10 s period: the second starts 5 s after the first, and the invocation ends within the period.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(last.decisions[0]).toMatchObject({ current: 3, desired: 5, changed: true, inControl: true });
    expect(ecs.getService('prod', 'orders-worker').desiredCount).toBe(5);
    const updates = ecs.callsOf('UpdateService').map((c) => c.input.desiredCount);
    expect(updates).toEqual([3, 5]);
    const heartbeats = cloudwatch.datums().filter((d) => d.metricName === 'Heartbeat' && d.dimensions.Target === 'orders');
    expect(heartbeats).toHaveLength(2);
    const scheduled = cloudwatch
      .datums()
      .filter((d) => d.metricName === 'ScheduledTime')
      .map((d) => Math.round(d.value * 1000));
    expect(scheduled).toEqual([base, base + 5_000]);

    const again = await handler({ scheduledTime: new Date(base).toISOString() }, lambdaContext(15_000));
    expect(again.skipped).toMatch(/^duplicate-event/);
    expect(ecs.callsOf('UpdateService')).toHaveLength(2);
  });
});

/** One target on its own service, at one tick a 20 s period, with `settings`; the handler loaded anew. */
async function oneTargetAtOneTickAPeriod(name: string, settings: Record<string, string>): Promise<void> {
  Object.assign(process.env, {
    SCALER_TARGETS: JSON.stringify([
      { name, group: `${name}-consumer`, topics: [`${name}-events`], cluster: 'prod', service: `${name}-worker`, lagPerTask: 100 },
    ]),
    SCALER_PERIOD_SECONDS: '20',
    SCALER_TICK_SECONDS: '20',
    ...settings,
  });
  handler = await coldHandler();
}

describe('surge ticks at one tick a period', () => {
  beforeAll(() => oneTargetAtOneTickAPeriod('surge', { SCALER_SURGE_TICK_SECONDS: '5' }));

  it('ticks again 5 s after a tick that scaled up, and stops at the first calm tick', async () => {
    const base = Date.now();
    const before = cloudwatch.datums().length;

    const last = await handler({ scheduledTime: new Date(base).toISOString() }, lambdaContext(25_000));

    expect(Date.now() - base).toBeGreaterThanOrEqual(5_000);
    const scheduled = cloudwatch
      .datums()
      .slice(before)
      .filter((d) => d.metricName === 'ScheduledTime')
      .map((d) => Math.round(d.value * 1000));
    // The first tick scales 1 → 12 (one per partition); the surge tick 5 s later finds nothing more to do and is the last.
    expect(scheduled).toEqual([base, base + 5_000]);
    expect(
      ecs
        .callsOf('UpdateService')
        .filter((c) => c.input.service === 'surge-worker')
        .map((c) => c.input.desiredCount),
    ).toEqual([12]);
    expect(last.decisions[0]).toMatchObject({ current: 12, desired: 12, changed: false });
  });
});

describe('a scale-up confirmed by a second read', () => {
  beforeAll(() => oneTargetAtOneTickAPeriod('confirm', { SCALER_SURGE_TICK_SECONDS: '0', SCALER_CONFIRM_SECONDS: '2' }));

  it('reads the group again 2 s later and acts once, on that read, saying so', async () => {
    const base = Date.now();

    const result = await handler({ scheduledTime: new Date(base).toISOString() }, lambdaContext(25_000));

    expect(Date.now() - base).toBeGreaterThanOrEqual(2_000);
    expect(
      ecs
        .callsOf('UpdateService')
        .filter((c) => c.input.service === 'confirm-worker')
        .map((c) => c.input.desiredCount),
    ).toEqual([12]);
    expect(result.decisions[0]).toMatchObject({ current: 1, desired: 12, changed: true, inControl: true });
    expect(result.decisions[0]!.explanation).toContain('Read again 2 s after a first read that alone asked for 12.');
  });

  it('a hand-run that acts decides on its own read: it is the operator’s', async () => {
    ecs.addService({ cluster: 'prod', service: 'confirm-worker', desiredCount: 1 });
    const updatesBefore = ecs.callsOf('UpdateService').length;

    const result = await handler({ dryRun: false, targets: ['confirm'] }, lambdaContext(25_000));

    expect(result.decisions[0]).toMatchObject({ current: 1, changed: true });
    expect(result.decisions[0]!.desired).toBeGreaterThan(1);
    expect(result.decisions[0]!.explanation).not.toContain('Read again');
    expect(ecs.callsOf('UpdateService')).toHaveLength(updatesBefore + 1);
  });
});
