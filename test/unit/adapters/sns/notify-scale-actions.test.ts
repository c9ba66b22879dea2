import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSnsClient, notifyScaleActions } from '../../../../src/adapters/sns/notify-scale-actions.js';
import type { TargetDecision } from '../../../../src/report/outcome.js';
import { aScaleAction } from '../../../support/decisions.js';

const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'eu-west-1' });
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:kafka-lag-scaler';
beforeEach(() => sns.reset());

function action(overrides: Partial<TargetDecision> = {}): TargetDecision {
  return aScaleAction({
    target: 'orders',
    service: 'orders-consumer',
    lag: { total: 20_400, max: 900, status: 'ok', partitions: [], warnings: [] },
    desired: 5,
    explanation: 'At 5 tasks the backlog is gone in 95 s and no message will be older than 140 s.',
    ...overrides,
  });
}

function recordingLogger() {
  const warnings: Array<{ message: string; attributes: Record<string, unknown>[] }> = [];
  return { warnings, warn: (message: string, ...attributes: Record<string, unknown>[]) => warnings.push({ message, attributes }) };
}

const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

describe('scale-action notifications', () => {
  it('publish one message per scale action, saying target, service, from, to, reason and explanation', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await notifyScaleActions(client, { topicArn: TOPIC, minChange: 1 }, [action()], recordingLogger());

    expect(published()).toHaveLength(1);
    const [message] = published();
    expect(message?.TopicArn).toBe(TOPIC);
    expect(message?.Subject).toBe('kafka-lag-scaler: orders 2 -> 5 tasks (scale-up)');
    expect(message?.Message).toContain('kafka-lag-scaler scaled orders out from 2 to 5 tasks.');
    expect(message?.Message).toContain('Service:     prod/orders-consumer');
    expect(message?.Message).toContain('From:        2 tasks');
    expect(message?.Message).toContain('To:          5 tasks');
    expect(message?.Message).toContain('Reason:      scale-up');
    expect(message?.Message).toContain('Explanation: At 5 tasks the backlog is gone in 95 s and no message will be older than 140 s.');
    expect(message?.Message).toContain('Lag:         20400 messages');
  });

  it('say a scale-in is one', async () => {
    sns.on(PublishCommand).resolves({});
    await notifyScaleActions(
      client,
      { topicArn: TOPIC, minChange: 1 },
      [action({ current: 6, desired: 3, reason: 'scale-down' })],
      recordingLogger(),
    );
    expect(published()[0]?.Message).toMatch(/^kafka-lag-scaler scaled orders in from 6 to 3 tasks\./);
  });

  it('leave out changes smaller than the threshold, either way', async () => {
    sns.on(PublishCommand).resolves({});
    const decisions = [
      action({ target: 'small-up', current: 4, desired: 6 }),
      action({ target: 'small-down', current: 6, desired: 4, reason: 'scale-down' }),
      action({ target: 'big-up', current: 4, desired: 7 }),
      action({ target: 'big-down', current: 7, desired: 4, reason: 'scale-down' }),
    ];
    await notifyScaleActions(client, { topicArn: TOPIC, minChange: 3 }, decisions, recordingLogger());
    expect(published().map((m) => m.Subject)).toEqual([
      'kafka-lag-scaler: big-up 4 -> 7 tasks (scale-up)',
      'kafka-lag-scaler: big-down 7 -> 4 tasks (scale-down)',
    ]);
  });

  it('are never sent for a dry run, a hold, or an UpdateService that ECS did not take', async () => {
    sns.on(PublishCommand).resolves({});
    const decisions = [
      action({ dryRun: true, changed: false }),
      // A dry-run decision marked changed would still be advice, not an action.
      action({ dryRun: true }),
      action({ desired: 2, changed: false, reason: 'within-tolerance' }),
      action({ changed: false, reason: 'update-failed' }),
      action({ desired: null, changed: false, reason: 'update-unknown' }),
    ];
    await notifyScaleActions(client, { topicArn: TOPIC, minChange: 1 }, decisions, recordingLogger());
    expect(published()).toEqual([]);
  });

  it('log a failure as a warning naming the target, send the others, and never throw', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform SNS:Publish'), { name: 'AuthorizationErrorException' }))
      .on(PublishCommand, { Subject: 'kafka-lag-scaler: billing 1 -> 3 tasks (scale-up)' })
      .resolves({ MessageId: 'm-2' });
    const logger = recordingLogger();

    await expect(
      notifyScaleActions(
        client,
        { topicArn: TOPIC, minChange: 1 },
        [action(), action({ target: 'billing', current: 1, desired: 3 })],
        logger,
      ),
    ).resolves.toBeUndefined();

    expect(published()).toHaveLength(2);
    expect(logger.warnings).toEqual([
      {
        message: 'scale notification not sent',
        attributes: [
          { target: 'orders', topicArn: TOPIC, error: 'AuthorizationErrorException: User is not authorized to perform SNS:Publish' },
        ],
      },
    ]);
  });

  it('pass the caller’s deadline to every Publish', async () => {
    sns.on(PublishCommand).resolves({});
    const signal = new AbortController().signal;
    await notifyScaleActions(client, { topicArn: TOPIC, minChange: 1, signal }, [action()], recordingLogger());
    expect((sns.send.firstCall.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  it('keep the subject within SNS’s 100 printable ASCII characters', async () => {
    sns.on(PublishCommand).resolves({});
    const longName = `t${'x'.repeat(63)}`;
    await notifyScaleActions(
      client,
      { topicArn: TOPIC, minChange: 1 },
      [action({ target: longName, reason: 'objective-unreachable' })],
      recordingLogger(),
    );
    const subject = published()[0]?.Subject ?? '';
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+\.\.\.$/);
  });
});

describe('createSnsClient', () => {
  it('bounds every Publish: standard retries, two attempts', async () => {
    const bounded = createSnsClient({ requestTimeoutMs: 1_500 });
    expect(await bounded.config.maxAttempts()).toBe(2);
    expect(await bounded.config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });
});
