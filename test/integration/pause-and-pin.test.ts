/**
 * Pause and pin end to end: scheduled ticks and hand-runs of the real Lambda handler, lag read from
 * the embedded Kafka, services scaled on the ECS stand-in, metrics published to the CloudWatch
 * stand-in, and the control parameter read from the SSM stand-in, each reached by the real AWS SDK
 * through its endpoint variable. Between two ticks a test changes the parameter as an operator's
 * `aws ssm put-parameter --overwrite` would: no deploy, no restart of the handler.
 *
 * Two targets: `loans` (1,200 behind at 100 a task: 12 wanted) and `payments` (600 behind: 6
 * wanted). Each test gives them fresh names, so none inherits another's history, and puts both
 * services back at 1 task.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSsmClient, readControlParameter } from '../../src/adapters/ssm/control-parameter.js';
import type { TargetDecision, TickResult } from '../../src/report/outcome.js';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { type SsmStandIn, startSsmStandIn } from '../../tools/local-stack/ssm-stand-in.js';
import { coldHandler, controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { LOANS_AND_PAYMENTS, seedBacklog } from '../support/kafka.js';

const PARAMETER = '/kafka-lag-scaler/control';
/** The Lambda timeout each tick runs under (the handler keeps 3 s of it for publishing). */
const LAMBDA_TIMEOUT_MS = 10_000;
const AWS_TIMEOUT_MS = 1_000;
const TARGETS = LOANS_AND_PAYMENTS;
type TargetKey = keyof typeof TARGETS;

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let ssm: SsmStandIn;
let handler: Handler;
const savedEnv = { ...process.env };
let baseEnv: NodeJS.ProcessEnv;
let names = 0;
/** Scheduled times must rise from tick to tick, or the handler skips the event as a duplicate. */
let lastScheduledAt = 0;

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'loan-events': 12, 'payment-events': 6 } });
  await seedBacklog(kafka, 'loan-events', { partitions: 12, messages: 100, groups: ['loan-approvals'] });
  await seedBacklog(kafka, 'payment-events', { partitions: 6, messages: 100, groups: ['payment-workers'] });
  [ecs, cloudwatch, ssm] = await Promise.all([
    startEcsStandIn({ region: 'eu-west-1' }),
    startCloudWatchStandIn(),
    startSsmStandIn({ region: 'eu-west-1', parameters: { [PARAMETER]: '{}' } }),
  ]);
  baseEnv = controllerEnv(
    kafka,
    { ecs, cloudwatch, ssm },
    { SCALER_AWS_TIMEOUT_MS: String(AWS_TIMEOUT_MS), SCALER_CONTROL_PARAMETER: PARAMETER },
  );
  process.env = { ...savedEnv, ...baseEnv };
  handler = await coldHandler();
});

afterAll(() => restoreAndStop(savedEnv, [ecs, cloudwatch, ssm], kafka));

beforeEach(() => {
  ssm.reset();
  ssm.putParameter(PARAMETER, '{}');
});

interface Setup {
  /** Variables set for every tick of this setup, besides the base environment. */
  env?: NodeJS.ProcessEnv;
  /** Target fields replaced (maxScaleUpStep, pinnedTasks...). */
  fields?: Partial<Record<TargetKey, Record<string, unknown>>>;
}

interface Tick {
  result: TickResult;
  ms: number;
  decision(key: TargetKey): TargetDecision;
  /** UpdateService calls this tick sent for the target's service (and ECS accepted). */
  updates(key: TargetKey): number[];
  metric(key: TargetKey, name: string): number | undefined;
}

/**
 * Fresh target names, both services back at 1 task, and the ticks run on them: scheduled (they
 * publish metrics) unless a payload is given (a hand-run, which publishes nothing).
 */
function freshTargets(setup: Setup = {}) {
  names += 1;
  const name = (key: TargetKey) => `${key}-${names}`;
  const targets = Object.entries(TARGETS).map(([key, t]) => ({ name: name(key as TargetKey), ...t, ...setup.fields?.[key as TargetKey] }));
  for (const t of Object.values(TARGETS)) ecs.addService({ cluster: t.cluster, service: t.service, desiredCount: 1 });

  const tick = async (payload?: Record<string, unknown>): Promise<Tick> => {
    process.env = { ...savedEnv, ...baseEnv, ...setup.env, SCALER_TARGETS: JSON.stringify(targets) };
    cloudwatch.reset();
    const since = Date.now();
    lastScheduledAt = Math.max(since, lastScheduledAt + 1);
    const event = payload ?? { scheduledTime: new Date(lastScheduledAt).toISOString() };
    const result = await handler(event, lambdaContext(LAMBDA_TIMEOUT_MS));
    const ms = Date.now() - since;
    expect(ms, 'the tick ends within the Lambda timeout').toBeLessThan(LAMBDA_TIMEOUT_MS);
    return {
      result,
      ms,
      decision: (key) => {
        const decision = result.decisions.find((d) => d.target === name(key));
        if (!decision) throw new Error(`no decision for ${name(key)}`);
        return decision;
      },
      updates: (key) =>
        ecs
          .callsOf('UpdateService')
          .filter((c) => c.at >= since && c.input.service === TARGETS[key].service && !c.error)
          .map((c) => c.input.desiredCount as number),
      metric: (key, metric) => cloudwatch.datums().find((d) => d.dimensions.Target === name(key) && d.metricName === metric)?.value,
    };
  };
  return { name, tick };
}

const control = (value: object) => ssm.putParameter(PARAMETER, JSON.stringify(value));
const tasksOf = (key: TargetKey) => ecs.getService('prod', TARGETS[key].service).desiredCount;

/** Held by the operator: nothing sent, the would-be decision said, and the heartbeat goes on. */
function expectOperatorHold(tick: Tick, key: TargetKey, reason: 'paused' | 'pinned', desired: number) {
  expect(tick.decision(key)).toMatchObject({ reason, desired, changed: false, inControl: true });
  expect(tick.updates(key)).toEqual([]);
  expect(tick.metric(key, 'Heartbeat')).toBe(1);
  expect(tick.metric(key, 'OperatorHold')).toBe(1);
}

/** Held because the controls cannot be trusted: nothing sent, no heartbeat, the control error counted. */
function expectControlUnreadable(tick: Tick, key: TargetKey, problem: RegExp) {
  const decision = tick.decision(key);
  expect(decision).toMatchObject({ reason: 'control-unreadable', current: 1, desired: 1, changed: false, inControl: false });
  expect(decision.explanation).toMatch(problem);
  expect(tick.updates(key)).toEqual([]);
  expect(tick.metric(key, 'Heartbeat')).toBeUndefined();
  expect(tick.metric(key, 'ControlErrors')).toBe(1);
  expect(tick.metric(key, 'Errors')).toBe(1);
}

describe('a pause', () => {
  it('SCALER_PAUSED=true holds a backlog that would scale up, says what the decision would be, and keeps the heartbeat', async () => {
    const { tick } = freshTargets({ env: { SCALER_PAUSED: 'true' } });

    const paused = await tick();

    for (const [key, wanted] of [
      ['loans', 12],
      ['payments', 6],
    ] as const) {
      expectOperatorHold(paused, key, 'paused', 1);
      expect(paused.decision(key).explanation).toMatch(
        new RegExp(`^Paused by SCALER_PAUSED: held at 1\\. The decision would be ${wanted} `),
      );
      expect(paused.metric(key, 'DesiredTasks')).toBe(1);
      expect(paused.metric(key, 'ControlErrors')).toBeUndefined();
    }
    expect(tasksOf('loans')).toBe(1);
    expect(paused.result.errors).toEqual([]);
  });

  it('through the control parameter needs no deploy: the next tick holds a count set by hand, and {} resumes scaling', async () => {
    const { tick } = freshTargets();

    const before = await tick();
    expect(before.decision('loans')).toMatchObject({ desired: 12, changed: true });
    expect(before.metric('loans', 'OperatorHold')).toBe(0);

    // During an incident the operator scales loans down by hand and pauses, so the controller keeps it there.
    ecs.addService({ cluster: 'prod', service: TARGETS.loans.service, desiredCount: 2 });
    control({ paused: true, note: 'INC-42: downstream maintenance' });
    const paused = await tick();
    expectOperatorHold(paused, 'loans', 'paused', 2);
    expectOperatorHold(paused, 'payments', 'paused', 6);
    expect(paused.decision('loans').explanation).toMatch(
      /^Paused by control parameter \/kafka-lag-scaler\/control \(INC-42: downstream maintenance\): held at 2\. The decision would be 12 /,
    );
    expect(tasksOf('loans')).toBe(2);

    control({});
    const resumed = await tick();
    expect(resumed.decision('loans')).toMatchObject({ desired: 12, changed: true, inControl: true });
    expect(resumed.decision('loans').reason).not.toBe('paused');
    expect(resumed.updates('loans')).toEqual([12]);
    expect(resumed.metric('loans', 'OperatorHold')).toBe(0);
    expect(tasksOf('loans')).toBe(12);
  });
});

describe('a pin', () => {
  it('moves its target to the pinned count and holds it there whatever the lag; the other target scales as usual', async () => {
    const { name, tick } = freshTargets();
    control({ pinnedTasks: { [name('loans')]: 6 } });

    const moved = await tick();
    expect(moved.decision('loans')).toMatchObject({ reason: 'pinned', current: 1, desired: 6, changed: true, inControl: true });
    expect(moved.decision('loans').explanation).toMatch(
      /^Pinned by control parameter \/kafka-lag-scaler\/control at 6\. The decision would be 12 /,
    );
    expect(moved.updates('loans')).toEqual([6]);
    expect(moved.metric('loans', 'Heartbeat')).toBe(1);
    expect(moved.metric('loans', 'OperatorHold')).toBe(1);
    expect(moved.decision('payments')).toMatchObject({ desired: 6, changed: true });
    expect(moved.decision('payments').reason).not.toBe('pinned');
    expect(moved.metric('payments', 'OperatorHold')).toBe(0);

    // The backlog still wants 12: the pin keeps 6.
    const held = await tick();
    expectOperatorHold(held, 'loans', 'pinned', 6);
    expect(tasksOf('loans')).toBe(6);
  });

  it('in SCALER_TARGETS (a deploy) pins as well', async () => {
    const { tick } = freshTargets({ fields: { payments: { pinnedTasks: 2 } } });

    const pinned = await tick();

    expect(pinned.decision('payments')).toMatchObject({ reason: 'pinned', desired: 2, changed: true });
    expect(pinned.decision('payments').explanation).toMatch(/^Pinned by pinnedTasks of payments-\d+ in SCALER_TARGETS at 2\./);
    expect(pinned.decision('loans')).toMatchObject({ desired: 12, changed: true });
  });

  it('far away moves a step per period at most (maxScaleUpStep)', async () => {
    const { name, tick } = freshTargets({ env: { SCALER_PERIOD_SECONDS: '10' }, fields: { loans: { maxScaleUpStep: 2 } } });
    control({ pinnedTasks: { [name('loans')]: 20 } });

    const first = await tick();
    expect(first.decision('loans')).toMatchObject({ reason: 'pinned', desired: 3, changed: true });
    expect(first.decision('loans').explanation).toMatch(/moving to 20, now 3 \(a step per period at most\)/);
    expect(first.updates('loans')).toEqual([3]);

    // Again within the period: it steps from the period's base, so no further.
    const again = await tick();
    expect(again.decision('loans')).toMatchObject({ reason: 'pinned', desired: 3, changed: false });
    expect(again.updates('loans')).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 9_500));
    const nextPeriod = await tick();
    expect(nextPeriod.decision('loans')).toMatchObject({ reason: 'pinned', desired: 5, changed: true });
    expect(nextPeriod.updates('loans')).toEqual([5]);
  }, 30_000);
});

describe('a control parameter the controller cannot trust holds every target', () => {
  it.each([
    ['invalid JSON', () => ssm.putParameter(PARAMETER, '{"paused": tru'), /is not valid JSON/],
    [
      'a parameter that does not exist',
      () => ssm.deleteParameter(PARAMETER),
      /GetParameter \/kafka-lag-scaler\/control: no such parameter/,
    ],
  ])('%s: control-unreadable, no UpdateService, no Heartbeat, ControlErrors', async (_case, arrange, problem) => {
    const { tick } = freshTargets();
    arrange();

    const held = await tick();

    expectControlUnreadable(held, 'loans', problem);
    expectControlUnreadable(held, 'payments', problem);
    expect(held.result.errors.map((e) => e.step)).toEqual(['control', 'control']);
    expect(tasksOf('loans')).toBe(1);
  });

  it('a pin beyond maxTasks holds its own target alone (pin-refused); the other decides and acts', async () => {
    const { tick } = freshTargets();
    control({ pinnedTasks: { [`loans-${names}`]: 25, lons: 6 } });

    const held = await tick();

    const decision = held.decision('loans');
    expect(decision).toMatchObject({ reason: 'pin-refused', current: 1, desired: 1, changed: false, inControl: false });
    expect(decision.explanation).toMatch(/pinnedTasks\.loans-\d+: must be a whole number from 0 to maxTasks \(24\), got 25/);
    expect(held.metric('loans', 'Heartbeat')).toBeUndefined();
    expect(held.metric('loans', 'ControlErrors')).toBe(1);
    expect(held.decision('payments')).toMatchObject({ changed: true, inControl: true });
    expect(held.result.warnings).toEqual([expect.stringMatching(/pinnedTasks\.lons: is not a configured target.*; it holds nothing/)]);
  });

  it('an SSM that never answers: given up on after the client bounds, well within the deadline', async () => {
    const { tick } = freshTargets();
    ssm.hang(true);

    const held = await tick();

    expectControlUnreadable(held, 'loans', /GetParameter \/kafka-lag-scaler\/control: /);
    expectControlUnreadable(held, 'payments', /GetParameter \/kafka-lag-scaler\/control: /);
    expect(ssm.callsOf('GetParameter')).toHaveLength(2);
    // Two attempts of SCALER_AWS_TIMEOUT_MS and a backoff, with room for a loaded machine.
    expect(held.ms).toBeLessThan(2 * AWS_TIMEOUT_MS + 1_000 + 3_000);

    ssm.hang(false);
    const answered = await tick();
    expect(answered.decision('loans')).toMatchObject({ desired: 12, changed: true, inControl: true });
  });
});

describe('a dry run', () => {
  it('reports the pause and the pin but never writes: no UpdateService, no metrics', async () => {
    const { name, tick } = freshTargets();
    const writesBefore = ecs.callsOf('UpdateService').length;

    control({ paused: true });
    const paused = await tick({ dryRun: true, sampleSeconds: 0 });
    control({ pinnedTasks: { [name('loans')]: 6 } });
    const pinned = await tick({ dryRun: true, sampleSeconds: 0 });

    for (const key of ['loans', 'payments'] as const)
      expect(paused.decision(key)).toMatchObject({ reason: 'paused', desired: 1, changed: false, dryRun: true });
    expect(pinned.decision('loans')).toMatchObject({ reason: 'pinned', desired: 6, changed: false, dryRun: true });
    expect(pinned.decision('payments')).toMatchObject({ desired: 6, changed: false, dryRun: true });
    expect(ecs.callsOf('UpdateService')).toHaveLength(writesBefore);
    expect(cloudwatch.callsOf('PutMetricData')).toEqual([]);
    expect(tasksOf('loans')).toBe(1);
  });
});

describe('the SSM adapter against the stand-in', () => {
  it('reads the parameter by name and by ARN through the real client', async () => {
    const client = createSsmClient(AWS_TIMEOUT_MS);
    try {
      control({ paused: true });
      const signal = new AbortController().signal;
      expect(await readControlParameter(client, PARAMETER, signal)).toBe('{"paused":true}');
      expect(await readControlParameter(client, `arn:aws:ssm:eu-west-1:123456789012:parameter${PARAMETER}`, signal)).toBe(
        '{"paused":true}',
      );
    } finally {
      client.destroy();
    }
  });
});
