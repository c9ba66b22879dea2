/**
 * Scale-action notifications end to end: the real SNS client, reached through AWS_ENDPOINT_URL_SNS,
 * serializes Publish in SNS's query protocol to the SNS stand-in; whole hand-run ticks of the
 * Lambda handler act on the ECS stand-in with lag read from the embedded Kafka.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient, notifyScaleActions } from '../../src/adapters/sns/notify-scale-actions.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { lambdaContext } from '../../tools/local-stack/lambda-context.js';
import { type SnsStandIn, startSnsStandIn } from '../../tools/local-stack/sns-stand-in.js';
import { coldHandler, controllerEnv, type Handler, restoreAndStop } from '../support/controller-env.js';
import { aScaleAction } from '../support/decisions.js';
import { produce } from '../support/kafka.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:kafka-lag-scaler-alarms';
const AWS_TIMEOUT_MS = 400;
let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let sns: SnsStandIn;
let handler: Handler;
const savedEnv = { ...process.env };

/** Each test scales its own service from 1 task; the group's backlog of 1,200 at 100 a task asks for 12. */
let services = 0;
function freshTarget(): { name: string; service: string } {
  services += 1;
  const target = { name: `loans-${services}`, service: `loan-worker-${services}` };
  ecs.addService({ cluster: 'prod', service: target.service, desiredCount: 1, runningCount: 1 });
  process.env.SCALER_TARGETS = JSON.stringify([
    {
      name: target.name,
      group: 'loan-approvals',
      topics: ['loan-events'],
      cluster: 'prod',
      service: target.service,
      lagPerTask: 100,
      maxTasks: 24,
    },
  ]);
  return target;
}

const actOn = (target: string) => handler({ dryRun: false, targets: [target] }, lambdaContext());

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'loan-events': 12 } });
  await produce(
    kafka.bootstrapServers,
    'loan-events',
    Array.from({ length: 12 }, () => 100),
  );
  await kafka.commitOffsets(
    'loan-approvals',
    Array.from({ length: 12 }, (_, partition) => ({ topic: 'loan-events', partition, offset: 0 })),
  );
  ecs = await startEcsStandIn({ region: 'eu-west-1' });
  sns = await startSnsStandIn({ topics: [TOPIC_ARN] });
  Object.assign(
    process.env,
    controllerEnv(kafka, { ecs, sns }, { SCALER_NOTIFY_TOPIC_ARN: TOPIC_ARN, SCALER_AWS_TIMEOUT_MS: String(AWS_TIMEOUT_MS) }),
  );
  handler = await coldHandler();
});

afterAll(() => restoreAndStop(savedEnv, [ecs, sns], kafka));

describe('a scale action, through the real SNS client and the SNS stand-in', () => {
  it('is told once, saying target, service, from, to, reason and explanation', async () => {
    sns.reset();
    const { name, service } = freshTarget();

    const result = await actOn(name);

    expect(result.decisions[0]).toMatchObject({ current: 1, desired: 12, changed: true });
    const messages = sns.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.topicArn).toBe(TOPIC_ARN);
    expect(messages[0]?.subject).toBe(`kafka-lag-scaler: ${name} 1 -> 12 tasks (${result.decisions[0]?.reason})`);
    expect(messages[0]?.message).toContain(`Service:     prod/${service}`);
    expect(messages[0]?.message).toContain('From:        1 tasks');
    expect(messages[0]?.message).toContain('To:          12 tasks');
    // The explanation arrives as the controller wrote it, any character included.
    expect(messages[0]?.message).toContain(`Explanation: ${result.decisions[0]?.explanation}`);
  });

  it('is not told in a dry run', async () => {
    sns.reset();
    const { name } = freshTarget();

    const result = await handler({ dryRun: true, targets: [name] }, lambdaContext());

    expect(result.decisions[0]).toMatchObject({ current: 1, desired: 12, changed: false, dryRun: true });
    expect(sns.calls).toHaveLength(0);
  });

  it('is not told below SCALER_NOTIFY_MIN_CHANGE', async () => {
    sns.reset();
    process.env.SCALER_NOTIFY_MIN_CHANGE = '20';
    try {
      const { name } = freshTarget();
      const result = await actOn(name);
      expect(result.decisions[0]).toMatchObject({ current: 1, desired: 12, changed: true });
      expect(sns.calls).toHaveLength(0);
    } finally {
      delete process.env.SCALER_NOTIFY_MIN_CHANGE;
    }
  });

  it('that SNS refuses leaves the tick and its action as they were', async () => {
    sns.reset();
    sns.failNext(2, 'Publish', { type: 'AuthorizationError', status: 403, message: 'User is not authorized to perform: SNS:Publish' });
    const { name, service } = freshTarget();

    const result = await actOn(name);

    expect(result.errors).toEqual([]);
    expect(result.decisions[0]).toMatchObject({ desired: 12, changed: true, inControl: true });
    expect(ecs.getService('prod', service).desiredCount).toBe(12);
    expect(sns.messages()).toEqual([]);
  });

  it('that SNS never answers is given up on after the client bounds', async () => {
    sns.reset();
    sns.hang(true);
    const { name } = freshTarget();
    const started = Date.now();

    const result = await actOn(name);

    const elapsed = Date.now() - started;
    sns.hang(false);
    expect(result.decisions[0]).toMatchObject({ desired: 12, changed: true });
    expect(sns.callsOf('Publish').length).toBeGreaterThanOrEqual(1);
    // Two attempts of SCALER_AWS_TIMEOUT_MS and a backoff, with room for a loaded machine.
    expect(elapsed).toBeLessThan(2 * AWS_TIMEOUT_MS + 1_000 + 3_000);
  });
});

describe('the SNS adapter against the stand-in', () => {
  it('logs the code SNS answers with when the topic does not exist', async () => {
    const warnings: Record<string, unknown>[] = [];
    const client = createSnsClient({ requestTimeoutMs: AWS_TIMEOUT_MS });
    const action = aScaleAction({ target: 'orders', service: 'orders', lag: null });
    try {
      await notifyScaleActions(client, { topicArn: `${TOPIC_ARN}-gone`, minChange: 1 }, [action], {
        warn: (_message, ...attributes) => warnings.push(...attributes),
      });
    } finally {
      client.destroy();
    }
    expect(warnings).toEqual([expect.objectContaining({ target: 'orders', error: 'NotFoundException: Topic does not exist' })]);
  });
});
