/**
 * The fault matrix: one scheduled tick of the real Lambda handler per row of FAILURE_MODES, against
 * the embedded Kafka (3 brokers), the ECS stand-in and the CloudWatch, MSK, Secrets Manager and SSM
 * stand-ins, all reached by the real AWS SDK through its endpoint variables. Every row checks:
 * nothing unsafe is sent to ECS, each target gets the right reason, healthy targets are still
 * decided and acted on, the heartbeat is published only for targets that were seen, errors are
 * counted by kind, and the tick ends within the Lambda's timeout.
 *
 * Two targets: `loans` (group loan-approvals on loan-events, 1,200 behind: 12 tasks wanted) and
 * `payments` (payment-workers on payment-events, 600 behind: 6 wanted). Their partitions are led
 * by brokers 1 and 2, their coordinators are broker 1 and 2; broker 3 leads nothing until a row
 * moves something onto it. Each row gives the targets fresh names, so no row inherits another's
 * history, and puts the services back at 1 task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickResult } from '../../src/report/outcome.js';
import { FAILURE_MODES, type FailureModeId } from '../../tools/docs/failure-modes.js';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { ApiKey, type EmbeddedKafka, KafkaErrorCode, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { type MskStandIn, startMskStandIn } from '../../tools/local-stack/msk-stand-in.js';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../tools/local-stack/secrets-manager-stand-in.js';
import { type SsmStandIn, startSsmStandIn } from '../../tools/local-stack/ssm-stand-in.js';
import { coldHandler, controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { LOANS_AND_PAYMENTS, seedBacklog } from '../support/kafka.js';

/** The Lambda timeout each tick runs under (the handler keeps 3 s of it for publishing). */
const LAMBDA_TIMEOUT_MS = 10_000;
/** Broker 3's added latency in the "slow" rows: far beyond KAFKA_REQUEST_TIMEOUT_MS. */
const SLOW_MS = 8_000;
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/prod/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_prod-AbCdEf';
const CONTROL_PARAMETER = '/kafka-lag-scaler/control';
const TARGETS = LOANS_AND_PAYMENTS;
type TargetKey = keyof typeof TARGETS;

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let msk: MskStandIn;
let secrets: SecretsManagerStandIn;
let ssm: SsmStandIn;
let handler: Handler;
const savedEnv = { ...process.env };
let baseEnv: NodeJS.ProcessEnv;
let runs = 0;
const measured: Array<{ row: string; ms: number; outcome: string }> = [];

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, topics: { 'loan-events': 12, 'payment-events': 6, 'audit-events': 2 } });
  await leadBy12('loan-events', 12);
  await leadBy12('payment-events', 6);
  await seedBacklog(kafka, 'loan-events', { partitions: 12, messages: 100, groups: ['loan-approvals'] });
  await seedBacklog(kafka, 'payment-events', { partitions: 6, messages: 100, groups: ['payment-workers', 'payment-auditors'] });
  await kafka.setGroupCoordinator('loan-approvals', 1);
  await kafka.setGroupCoordinator('payment-workers', 2);
  [ecs, cloudwatch, msk, secrets, ssm] = await Promise.all([
    startEcsStandIn({ region: 'eu-west-1' }),
    startCloudWatchStandIn(),
    startMskStandIn({ bootstrap: { none: kafka.bootstrapServers.join(',') } }),
    startSecretsManagerStandIn({ secrets: { [SECRET_ARN]: JSON.stringify({ username: 'scaler', password: 'secret' }) } }),
    startSsmStandIn({ region: 'eu-west-1', parameters: { [CONTROL_PARAMETER]: '{}' } }),
  ]);
  baseEnv = controllerEnv(kafka, { ecs, cloudwatch, msk, secrets, ssm }, { KAFKA_COORDINATOR_RETRIES: '1' });
  Object.assign(process.env, baseEnv);
  handler = await coldHandler();
});

afterAll(async () => {
  await restoreAndStop(savedEnv, [ecs, cloudwatch, msk, secrets, ssm], kafka);
  // The closing note's figures: per fault, the tick's time and what each target got.
  console.log(
    [
      'fault matrix (tick ms, outcome per target):',
      ...measured.map((m) => `  ${m.row.padEnd(28)} ${String(m.ms).padStart(5)} ms  ${m.outcome}`),
    ].join('\n'),
  );
});

/** Partitions alternate between brokers 1 and 2, so broker 3 leads nothing of the targets'. */
async function leadBy12(topic: string, partitions: number) {
  for (let p = 0; p < partitions; p++) await kafka.setLeader(topic, p, 1 + (p % 2));
}

interface Run {
  result: TickResult;
  ms: number;
  /** The decision and the metrics of one target in this run. */
  target(key: TargetKey): {
    decision: TickResult['decisions'][number];
    updates: number;
    metric(name: string): number | undefined;
  };
}

interface TickOptions {
  /** Reuse the last run's target names (and so its history). */
  keepNames?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Target fields replaced for this tick. */
  fields?: Partial<Record<TargetKey, Partial<Record<'group' | 'service', string> & { maxScaleUpStep: number }>>>;
  /** The scheduled time of the event, ms from now (default 0). */
  scheduledInMs?: number;
  /** Sets the fault up once the services are back at 1 task. */
  arrange?: () => void;
}

/** One scheduled tick, with fresh target names and both services back at 1 task. */
async function tick(row: FailureModeId, options: TickOptions = {}): Promise<Run> {
  if (!options.keepNames) runs++;
  const name = (key: TargetKey) => `${key}-${runs}`;
  const targets = Object.fromEntries(
    Object.entries(TARGETS).map(([key, t]) => [key, { ...t, ...options.fields?.[key as TargetKey] }]),
  ) as unknown as Record<TargetKey, { service: string }>;
  process.env = { ...savedEnv, ...baseEnv, ...options.env };
  process.env.SCALER_TARGETS = JSON.stringify(Object.entries(targets).map(([key, t]) => ({ name: name(key as TargetKey), ...t })));
  for (const t of Object.values(TARGETS)) ecs.addService({ cluster: t.cluster, service: t.service, desiredCount: 1 });
  cloudwatch.reset();
  options.arrange?.();
  const since = Date.now();
  const result = await handler(
    { scheduledTime: new Date(since + (options.scheduledInMs ?? 0)).toISOString() },
    lambdaContext(LAMBDA_TIMEOUT_MS),
  );
  const ms = Date.now() - since;
  // When each change reached ECS: a healthy target is acted on without waiting for a slow one.
  const actedAt = (service: string) => ecs.callsOf('UpdateService').find((c) => c.at >= since && c.input.service === service)?.at;
  const outcome = result.decisions.map((d) => {
    const at = d.changed ? actedAt(d.service) : undefined;
    return `${d.target.replace(/-\d+$/, '')}: ${d.reason}${d.changed ? ` → ${d.desired}${at ? ` at ${at - since} ms` : ''}` : ''}`;
  });
  measured.push({ row, ms, outcome: outcome.join(', ') });
  expect(ms, 'the tick ends within the Lambda timeout').toBeLessThan(LAMBDA_TIMEOUT_MS);
  return {
    result,
    ms,
    target: (key) => {
      const decision = result.decisions.find((d) => d.target === name(key));
      if (!decision) throw new Error(`no decision for ${name(key)}`);
      const datums = cloudwatch.datums().filter((d) => d.dimensions.Target === name(key));
      return {
        decision,
        updates: ecs.callsOf('UpdateService').filter((c) => c.at >= since && c.input.service === targets[key].service && !c.error).length,
        metric: (metric) => datums.find((d) => d.metricName === metric)?.value,
      };
    },
  };
}

/** Seen, decided and scaled up to what its lag needs, with the heartbeat published. */
function expectInControl(run: Run, key: TargetKey, desired = key === 'loans' ? 12 : 6) {
  const { decision, updates, metric } = run.target(key);
  expect(decision, `${key} is decided and acted on`).toMatchObject({ desired, changed: true, inControl: true });
  expect(updates).toBeGreaterThanOrEqual(1);
  expect(metric('Heartbeat')).toBe(1);
  expect(metric('Errors')).toBe(0);
}

/** Held with one of `reasons`: nothing sent to ECS, no heartbeat, the error counted by kind, no lag figures unless the lag was read. */
function expectHeld(run: Run, key: TargetKey, reasons: string[], errorMetric: string, { lagRead = false } = {}) {
  const { decision, updates, metric } = run.target(key);
  expect(reasons, `${key}: ${decision.reason}: ${decision.explanation}`).toContain(decision.reason);
  expect(decision).toMatchObject({ changed: false, inControl: false });
  expect(updates, `no UpdateService for ${key}`).toBe(0);
  expect(metric('Heartbeat')).toBeUndefined();
  expect(metric('Errors')).toBe(1);
  expect(metric(errorMetric)).toBe(1);
  if (lagRead) expect(metric('LogEndOffsetSum')).toBeGreaterThan(0);
  else
    for (const figure of ['TotalLag', 'LogEndOffsetSum', 'CommittedOffsetSum', 'PartitionCount'])
      expect(metric(figure), figure).toBeUndefined();
}

const scenarios: Record<FailureModeId, () => Promise<void>> = {
  'all-brokers-down': async () => {
    await kafka.brokerDown(-1);
    try {
      const run = await tick('all-brokers-down');
      expectHeld(run, 'loans', ['lag-read-failed'], 'LagReadErrors');
      expectHeld(run, 'payments', ['lag-read-failed'], 'LagReadErrors');
    } finally {
      await kafka.brokerUp(-1);
    }
  },

  'one-broker-down': async () => {
    await kafka.setLeader('payment-events', 0, 3);
    await kafka.brokerDown(3);
    try {
      const run = await tick('one-broker-down');
      expectInControl(run, 'loans');
      expectHeld(run, 'payments', ['lag-read-incomplete'], 'LagReadErrors');
    } finally {
      await kafka.brokerUp(3);
      await kafka.setLeader('payment-events', 0, 1);
    }
  },

  'broker-down-between-reads': async () => {
    await kafka.setLeader('payment-events', 0, 3);
    let down: Promise<void> | undefined;
    try {
      // Both targets would scale up on the first read; the broker leading payments' partition goes down before the second.
      const run = await tick('broker-down-between-reads', {
        env: { SCALER_CONFIRM_SECONDS: '3' },
        arrange: () => void setTimeout(() => (down = kafka.brokerDown(3)), 1_000),
      });
      expectInControl(run, 'loans');
      expect(run.target('loans').decision.explanation).toContain('Read again 3 s after a first read');
      const payments = run.target('payments');
      expect(payments.decision).toMatchObject({ reason: 'lag-read-incomplete', changed: false, inControl: false });
      expect(payments.updates, 'no scale-up on the first read alone').toBe(0);
      expect(payments.metric('Heartbeat')).toBeUndefined();
      expect(payments.metric('LagReadErrors')).toBe(1);
      expect(payments.metric('TotalLag'), 'no figures from a read that was not decided on').toBeUndefined();
    } finally {
      await down;
      await kafka.brokerUp(3);
      await kafka.setLeader('payment-events', 0, 1);
    }
  },

  'unrelated-topic-error': async () => {
    await kafka.setTopicError('audit-events', KafkaErrorCode.TopicAuthorizationFailed);
    try {
      const run = await tick('unrelated-topic-error');
      expectInControl(run, 'loans');
      expectInControl(run, 'payments');
    } finally {
      await kafka.setTopicError('audit-events', 0);
    }
  },

  'leaderless-partition': async () => {
    await kafka.setLeader('payment-events', 3, -1);
    try {
      const run = await tick('leaderless-partition');
      expectInControl(run, 'loans');
      expectHeld(run, 'payments', ['lag-read-incomplete'], 'LagReadErrors');
      expect(run.target('payments').decision.explanation).toMatch(/payment-events\[3\] has no leader/);
    } finally {
      await kafka.setLeader('payment-events', 3, 2);
    }
  },

  'slow-coordinator': async () => {
    // A group the controller has not looked up yet, so it asks for its coordinator: broker 3.
    await kafka.setGroupCoordinator('payment-auditors', 3);
    await kafka.setLatency(3, SLOW_MS);
    try {
      const run = await tick('slow-coordinator', { fields: { payments: { group: 'payment-auditors' } } });
      expectInControl(run, 'loans');
      expectHeld(
        run,
        'payments',
        ['lag-read-failed', 'deadline'],
        run.target('payments').decision.reason === 'deadline' ? 'DeadlineErrors' : 'LagReadErrors',
      );
    } finally {
      await kafka.setLatency(3, 0);
    }
  },

  'slow-leader': async () => {
    await kafka.setLeader('payment-events', 1, 3);
    await kafka.setLatency(3, SLOW_MS);
    try {
      const run = await tick('slow-leader');
      expectInControl(run, 'loans');
      expectHeld(
        run,
        'payments',
        ['lag-read-incomplete', 'deadline'],
        run.target('payments').decision.reason === 'deadline' ? 'DeadlineErrors' : 'LagReadErrors',
      );
    } finally {
      await kafka.setLatency(3, 0);
      await kafka.setLeader('payment-events', 1, 2);
    }
  },

  'coordinator-moved': async () => {
    await kafka.setGroupCoordinator('loan-approvals', 2);
    await kafka.failRequests(ApiKey.OffsetFetch, KafkaErrorCode.NotCoordinator, 1);
    try {
      const run = await tick('coordinator-moved');
      expectInControl(run, 'loans');
      expectInControl(run, 'payments');
    } finally {
      await kafka.clearFailures(ApiKey.OffsetFetch);
      await kafka.setGroupCoordinator('loan-approvals', 1);
    }
  },

  'msk-endpoint-hung': async () => {
    const env = { KAFKA_BROKERS: '', MSK_CLUSTER_ARN: CLUSTER_ARN };
    msk.hang(true);
    try {
      const hung = await tick('msk-endpoint-hung', { env });
      expectHeld(
        hung,
        'loans',
        ['lag-read-failed', 'deadline'],
        hung.target('loans').decision.reason === 'deadline' ? 'DeadlineErrors' : 'LagReadErrors',
      );
      expectHeld(
        hung,
        'payments',
        ['lag-read-failed', 'deadline'],
        hung.target('payments').decision.reason === 'deadline' ? 'DeadlineErrors' : 'LagReadErrors',
      );
      expect(hung.target('loans').decision.explanation).toMatch(/GetBootstrapBrokers|connection set-up/);
    } finally {
      msk.hang(false);
    }
    const recovered = await tick('msk-endpoint-hung', { env });
    expectInControl(recovered, 'loans');
    expectInControl(recovered, 'payments');
  },

  'secrets-manager-hung': async () => {
    const env = { KAFKA_AUTH_MODE: 'scram', KAFKA_SCRAM_SECRET_ARN: SECRET_ARN };
    secrets.hang(true);
    try {
      const hung = await tick('secrets-manager-hung', { env });
      expectHeld(
        hung,
        'loans',
        ['lag-read-failed', 'deadline'],
        hung.target('loans').decision.reason === 'deadline' ? 'DeadlineErrors' : 'LagReadErrors',
      );
      expect(hung.target('loans').decision.explanation).toMatch(/GetSecretValue|connection set-up/);
    } finally {
      secrets.hang(false);
    }
    // The next tick asks again and gets the secret. (The embedded Kafka speaks neither TLS nor
    // SCRAM, so the read then fails at the broker: what matters here is that nothing stayed stuck.)
    const answered = secrets.callsOf('GetSecretValue').filter((c) => !c.error).length;
    const next = await tick('secrets-manager-hung', { env });
    expect(secrets.callsOf('GetSecretValue').filter((c) => !c.error).length).toBeGreaterThan(answered);
    expectHeld(next, 'loans', ['lag-read-failed'], 'LagReadErrors');
    expect(next.target('loans').decision.explanation).not.toMatch(/GetSecretValue/);
  },

  'control-parameter-hung': async () => {
    const env = { SCALER_CONTROL_PARAMETER: CONTROL_PARAMETER };
    ssm.hang(true);
    try {
      const hung = await tick('control-parameter-hung', { env });
      for (const key of ['loans', 'payments'] as const) {
        expectHeld(hung, key, ['control-unreadable'], 'ControlErrors', { lagRead: true });
        expect(hung.target(key).decision.explanation).toMatch(/GetParameter \/kafka-lag-scaler\/control/);
      }
    } finally {
      ssm.hang(false);
    }
    const recovered = await tick('control-parameter-hung', { env });
    expectInControl(recovered, 'loans');
    expectInControl(recovered, 'payments');
  },

  'control-parameter-malformed': async () => {
    const env = { SCALER_CONTROL_PARAMETER: CONTROL_PARAMETER };
    const expectHeldFor = async (problem: RegExp) => {
      const run = await tick('control-parameter-malformed', { env });
      for (const key of ['loans', 'payments'] as const) {
        expectHeld(run, key, ['control-unreadable'], 'ControlErrors', { lagRead: true });
        expect(run.target(key).decision.explanation).toMatch(problem);
      }
    };
    try {
      ssm.putParameter(CONTROL_PARAMETER, '{"paused": tru');
      await expectHeldFor(/control parameter \/kafka-lag-scaler\/control: is not valid JSON/);
      ssm.deleteParameter(CONTROL_PARAMETER);
      await expectHeldFor(/GetParameter \/kafka-lag-scaler\/control: no such parameter/);
    } finally {
      ssm.putParameter(CONTROL_PARAMETER, '{}');
    }
    const fixed = await tick('control-parameter-malformed', { env });
    expectInControl(fixed, 'loans');
    expectInControl(fixed, 'payments');
  },

  'control-pin-refused': async () => {
    const env = { SCALER_CONTROL_PARAMETER: CONTROL_PARAMETER };
    try {
      ssm.putParameter(CONTROL_PARAMETER, JSON.stringify({ pinnedTasks: { [`loans-${runs + 1}`]: 99, 'lons-typo': 3 }, note: 'INC-7' }));
      const run = await tick('control-pin-refused', { env });
      expectHeld(run, 'loans', ['pin-refused'], 'ControlErrors', { lagRead: true });
      expect(run.target('loans').decision.explanation).toMatch(
        /pinnedTasks\.loans-\d+: must be a whole number from 0 to maxTasks \(\d+\), got 99/,
      );
      expectInControl(run, 'payments');
      expect(run.result.warnings).toEqual([
        `control parameter ${CONTROL_PARAMETER}: pinnedTasks.lons-typo: is not a configured target; it holds nothing`,
      ]);
    } finally {
      ssm.putParameter(CONTROL_PARAMETER, '{}');
    }
  },

  'count-changed-within-period': async () => {
    const stepped = { loans: { maxScaleUpStep: 2 }, payments: { maxScaleUpStep: 2 } };
    const first = await tick('count-changed-within-period', { fields: stepped });
    expect(first.target('loans').decision).toMatchObject({ current: 1, desired: 3, changed: true });
    // An operator sets 10 for loans (1,200 behind: 12 wanted) and 5 for payments (600 behind: 6 wanted) within the period.
    const next = await tick('count-changed-within-period', {
      keepNames: true,
      fields: stepped,
      arrange: () => {
        ecs.addService({ cluster: 'prod', service: 'loan-worker', desiredCount: 10 });
        ecs.addService({ cluster: 'prod', service: 'payment-worker', desiredCount: 5 });
      },
    });
    for (const [key, held] of [
      ['loans', 10],
      ['payments', 5],
    ] as const) {
      const { decision, updates, metric } = next.target(key);
      expect(decision, decision.explanation).toMatchObject({
        reason: 'step-limited',
        current: held,
        desired: held,
        changed: false,
        inControl: true,
      });
      expect(decision.explanation).toMatch(/counted from 1, the count at the period's start, and this period's step is taken/);
      expect(updates).toBe(0);
      expect(metric('Heartbeat')).toBe(1);
    }
    expect(ecs.getService('prod', 'loan-worker').desiredCount).toBe(10);
  },

  'future-event': async () => {
    const started = Date.now();
    const ahead = await tick('future-event', { scheduledInMs: 86_400_000 });
    expect(ahead.result.skipped).toMatch(/^future-event: the event is scheduled for .*, 86400 s ahead of the clock/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ecs.callsOf('UpdateService').filter((c) => c.at >= started)).toHaveLength(0);
    expect(cloudwatch.datums().filter((d) => d.metricName === 'Heartbeat')).toEqual([]);
    // A +30 s event does not make the invocation sit idle either; the next real event is not taken for a duplicate.
    const soon = await tick('future-event', { keepNames: true, scheduledInMs: 30_000 });
    expect(soon.result.skipped).toMatch(/^future-event/);
    expect(soon.ms).toBeLessThan(2_000);
    const real = await tick('future-event', { keepNames: true });
    expectInControl(real, 'loans');
    expectInControl(real, 'payments');
  },

  'ecs-throttling': async () => {
    ecs.throttleNext(2, 'DescribeServices');
    const run = await tick('ecs-throttling');
    expectInControl(run, 'loans');
    expectInControl(run, 'payments');
    expect(ecs.callsOf('DescribeServices').filter((c) => c.error?.includes('Throttling'))).toHaveLength(2);
  },

  'ecs-5xx': async () => {
    // Both targets' services are read in one DescribeServices call: each of its 3 attempts fails.
    ecs.failNext(3, 'DescribeServices', { type: 'ServerException', status: 500 });
    const run = await tick('ecs-5xx');
    expectHeld(run, 'loans', ['service-read-failed'], 'ServiceErrors', { lagRead: true });
    expectHeld(run, 'payments', ['service-read-failed'], 'ServiceErrors', { lagRead: true });
    expect(run.target('loans').metric('CurrentTasks')).toBeUndefined();
  },

  'ecs-access-denied': async () => {
    ecs.failNext(2, 'UpdateService', { type: 'AccessDeniedException', status: 400 });
    const run = await tick('ecs-access-denied');
    for (const key of ['loans', 'payments'] as const) {
      expectHeld(run, key, ['update-failed'], 'UpdateErrors', { lagRead: true });
      expect(run.target(key).decision.desired).toBe(1);
      expect(run.target(key).metric('DesiredTasks')).toBe(1);
    }
    expect(ecs.callsOf('UpdateService').filter((c) => c.error === 'AccessDeniedException')).toHaveLength(2);
  },

  'service-missing': async () => {
    // Payments points at a service ECS does not have.
    const missing = await tick('service-missing', { fields: { payments: { service: 'payment-worker-typo' } } });
    expectInControl(missing, 'loans');
    expectHeld(missing, 'payments', ['service-missing'], 'ServiceErrors', { lagRead: true });
    expect(ecs.callsOf('UpdateService').some((c) => c.input.service === 'payment-worker-typo')).toBe(false);
  },

  'service-draining': async () => {
    const run = await tick('service-draining', { arrange: () => ecs.setServiceStatus('prod', 'payment-worker', 'DRAINING') });
    expectInControl(run, 'loans');
    expectHeld(run, 'payments', ['service-not-active'], 'ServiceErrors', { lagRead: true });
  },

  rollout: async () => {
    // Payments runs 20 tasks for a lag that needs 6, while a deployment rolls out.
    const run = await tick('rollout', {
      arrange: () => {
        ecs.addService({ cluster: 'prod', service: 'payment-worker', desiredCount: 20 });
        ecs.setRollout('prod', 'payment-worker', true);
      },
    });
    expectInControl(run, 'loans');
    const payments = run.target('payments');
    expect(payments.decision).toMatchObject({ reason: 'deployment-in-progress', desired: 20, changed: false, inControl: true });
    expect(payments.updates).toBe(0);
    expect(payments.metric('Heartbeat')).toBe(1);
  },

  'update-late': async () => {
    // ECS applies the count at once but answers after the client's 1 s timeout; the SDK re-sends.
    ecs.setLatency(1_500, 'UpdateService');
    try {
      const run = await tick('update-late');
      for (const key of ['loans', 'payments'] as const) {
        const { decision, metric } = run.target(key);
        expect(decision).toMatchObject({
          changed: true,
          inControl: true,
          explanation: expect.stringMatching(/did not answer in time.*DescribeServices shows the new count/),
        });
        expect(metric('Heartbeat')).toBe(1);
        expect(metric('DesiredTasks')).toBe(decision.desired);
      }
      expect(ecs.getService('prod', 'loan-worker').desiredCount).toBe(12);
    } finally {
      ecs.setLatency(0);
    }
  },

  'cloudwatch-down-restore': async () => {
    const run = await tick('cloudwatch-down-restore', {
      arrange: () => cloudwatch.failNext(10, 'GetMetricData', { type: 'InternalServiceFault', status: 500 }),
    });
    expect(cloudwatch.callsOf('GetMetricData').every((c) => c.error === 'InternalServiceFault')).toBe(true);
    expect(cloudwatch.callsOf('GetMetricData').length).toBeGreaterThan(0);
    expectInControl(run, 'loans');
    expectInControl(run, 'payments');
  },

  'cloudwatch-down-publish': async () => {
    // Same names as the last run: history is in memory, so only the publish meets the hang.
    await tick('cloudwatch-down-publish');
    const run = await tick('cloudwatch-down-publish', { keepNames: true, arrange: () => cloudwatch.hang(true) });
    try {
      for (const key of ['loans', 'payments'] as const) expect(run.target(key).decision).toMatchObject({ inControl: true });
      expect(cloudwatch.datums()).toEqual([]);
      expect(cloudwatch.callsOf('PutMetricData').length).toBeGreaterThan(0);
    } finally {
      cloudwatch.hang(false);
    }
  },
};

describe('the fault matrix: one tick of the real handler per failure mode', () => {
  it('has a scenario for every documented failure mode, and documents every scenario', () => {
    expect(Object.keys(scenarios).sort()).toEqual(Object.keys(FAILURE_MODES).sort());
  });

  for (const [row, mode] of Object.entries(FAILURE_MODES)) {
    it(`${row}: ${mode.fault}`, scenarios[row as FailureModeId], 30_000);
  }
});
