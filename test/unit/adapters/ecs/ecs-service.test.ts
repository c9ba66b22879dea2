import {
  type Deployment,
  DescribeServicesCommand,
  ECSClient,
  type Service,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  batchedServiceReader,
  createEcsClient,
  describeService,
  describeServices,
  EcsError,
  isRollingOut,
  setDesiredCount,
} from '../../../../src/adapters/ecs/ecs-service.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'eu-west-1' });

beforeEach(() => ecsMock.reset());

/** The options the adapter passed to `send` beside the command (the mock's typing only knows the command). */
const firstSendOptions = () => (ecsMock.send.firstCall.args as unknown[])[1];

const answerDescribe = (answer: { services?: Service[]; failures?: { arn?: string; reason?: string; detail?: string }[] }) =>
  ecsMock.on(DescribeServicesCommand).resolves(answer);

describe('describeService', () => {
  it('asks for the one service in its cluster', async () => {
    answerDescribe({ services: [{ status: 'ACTIVE', desiredCount: 1, runningCount: 1 }] });

    await describeService(ecs, 'orders', 'payment-workers');

    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: 'orders', services: ['payment-workers'] });
  });

  it.each(['ACTIVE', 'DRAINING', 'INACTIVE'] as const)('maps a %s service with its counts', async (status) => {
    answerDescribe({
      services: [
        { status, desiredCount: 4, runningCount: 3, pendingCount: 1, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] },
      ],
    });

    expect(await describeService(ecs, 'orders', 'payment-workers')).toEqual({
      cluster: 'orders',
      service: 'payment-workers',
      status,
      desired: 4,
      running: 3,
      rollingOut: false,
    });
  });

  it.each([
    ['no counts at all', {}],
    ['no desired count', { runningCount: 30 }],
    ['no running count', { desiredCount: 30 }],
    ['a negative count', { desiredCount: -1, runningCount: 3 }],
    ['a fraction', { desiredCount: 2.5, runningCount: 3 }],
  ])('refuses an answer with %s as incomplete: a missing count is not 0', async (_, counts) => {
    answerDescribe({ services: [{ status: 'ACTIVE', ...counts }] });

    const error = await describeService(ecs, 'orders', 'payment-workers').catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'incomplete', operation: 'DescribeServices', code: 'IncompleteService' });
  });

  it('reports a service ECS lists as MISSING as a state, not an error', async () => {
    answerDescribe({ services: [], failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/orders/gone', reason: 'MISSING' }] });

    expect(await describeService(ecs, 'orders', 'gone')).toEqual({
      cluster: 'orders',
      service: 'gone',
      status: 'MISSING',
      desired: 0,
      running: 0,
      rollingOut: false,
    });
  });

  it.each([
    ['another failure reason', { failures: [{ reason: 'ACCESS_DENIED', detail: 'not yours' }] }, /ACCESS_DENIED: not yours/],
    ['an empty response', {}, /neither the service nor a failure/],
    ['an unknown status', { services: [{ status: 'PROVISIONING' }] }, /unexpected service status PROVISIONING/],
  ])('fails as unknown on %s', async (_, answer, message) => {
    answerDescribe(answer);

    const error = await describeService(ecs, 'orders', 'payment-workers').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EcsError);
    expect(error).toMatchObject({ kind: 'unknown', operation: 'DescribeServices', cluster: 'orders', service: 'payment-workers' });
    expect((error as Error).message).toMatch(message);
  });

  it('reports a rollout', async () => {
    answerDescribe({
      services: [
        {
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 2,
          deployments: [
            { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
            { status: 'ACTIVE', rolloutState: 'COMPLETED' },
          ],
        },
      ],
    });

    expect((await describeService(ecs, 'orders', 'payment-workers')).rollingOut).toBe(true);
  });

  it('passes the abort signal to the SDK', async () => {
    answerDescribe({ services: [{ status: 'ACTIVE', desiredCount: 1, runningCount: 1 }] });
    const signal = new AbortController().signal;

    await describeService(ecs, 'orders', 'payment-workers', signal);

    expect(firstSendOptions()).toEqual({ abortSignal: signal });
  });

  it('maps an SDK exception to an EcsError naming the operation, cluster and service', async () => {
    const thrown = new ServiceNotFoundException({ message: 'Service not found.', $metadata: { httpStatusCode: 400 } });
    ecsMock.on(DescribeServicesCommand).rejects(thrown);

    const error = await describeService(ecs, 'orders', 'payment-workers').catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'not-found', operation: 'DescribeServices', code: 'ServiceNotFoundException', cause: thrown });
    expect((error as Error).message).toBe(
      'ECS DescribeServices of service payment-workers in cluster orders failed (not-found, ServiceNotFoundException): Service not found.',
    );
  });
});

describe('isRollingOut', () => {
  const primary = (rolloutState?: Deployment['rolloutState']): Deployment => ({
    status: 'PRIMARY',
    ...(rolloutState ? { rolloutState } : {}),
  });
  const active = (rolloutState?: Deployment['rolloutState']): Deployment => ({
    status: 'ACTIVE',
    ...(rolloutState ? { rolloutState } : {}),
  });

  it.each([
    ['no deployments', [], false],
    ['a lone completed PRIMARY', [primary('COMPLETED')], false],
    ['a lone PRIMARY in progress (a new service coming up)', [primary('IN_PROGRESS')], false],
    ['a PRIMARY in progress replacing an older deployment', [primary('IN_PROGRESS'), active('COMPLETED')], true],
    ['another deployment in progress', [primary('COMPLETED'), active('IN_PROGRESS')], true],
    ['two deployments without rollout states (Classic Load Balancer)', [primary(), active()], true],
    ['a failed PRIMARY beside a completed deployment', [primary('FAILED'), active('COMPLETED')], false],
  ] as const)('%s: %s', (_, deployments, expected) => {
    expect(isRollingOut(deployments)).toBe(expected);
  });
});

describe('setDesiredCount', () => {
  it('sends the absolute desired count, the same on every repeat', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({});

    await setDesiredCount(ecs, 'orders', 'payment-workers', 7);
    await setDesiredCount(ecs, 'orders', 'payment-workers', 7);

    const inputs = ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { cluster: 'orders', service: 'payment-workers', desiredCount: 7 },
      { cluster: 'orders', service: 'payment-workers', desiredCount: 7 },
    ]);
  });

  it('sends zero', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({});

    await setDesiredCount(ecs, 'orders', 'payment-workers', 0);

    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]!.args[0].input.desiredCount).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s without calling ECS', async (desired) => {
    await expect(setDesiredCount(ecs, 'orders', 'payment-workers', desired)).rejects.toMatchObject({
      kind: 'invalid',
      operation: 'UpdateService',
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('passes the abort signal and maps errors', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const signal = new AbortController().signal;

    await expect(setDesiredCount(ecs, 'orders', 'payment-workers', 3, signal)).rejects.toMatchObject({
      kind: 'throttled',
      operation: 'UpdateService',
      cluster: 'orders',
      service: 'payment-workers',
    });
    expect(firstSendOptions()).toEqual({ abortSignal: signal });
  });
});

describe('createEcsClient', () => {
  it('bounds retries: standard mode, 3 attempts unless told', async () => {
    const client = createEcsClient();
    expect(await client.config.maxAttempts()).toBe(3);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(await createEcsClient({ maxAttempts: 5 }).config.maxAttempts()).toBe(5);
  });
});

describe('reading many services: up to 10 of one cluster per DescribeServices call', () => {
  const answerWithEvery = () =>
    ecsMock.on(DescribeServicesCommand).callsFake((input: { cluster: string; services: string[] }) => ({
      services: input.services
        .filter((s) => !s.startsWith('gone'))
        .map((s) => ({ serviceName: s, status: 'ACTIVE', desiredCount: 2, runningCount: 2 })),
      failures: input.services
        .filter((s) => s.startsWith('gone'))
        .map((s) => ({ arn: `arn:aws:ecs:eu-west-1:123456789012:service/${input.cluster}/${s}`, reason: 'MISSING' })),
    }));

  it('gives each service its own state or error from one call', async () => {
    answerWithEvery();
    const states = await describeServices(ecs, 'prod', ['a', 'gone-b', 'c']);
    expect(states.get('a')).toMatchObject({ status: 'ACTIVE', desired: 2 });
    expect(states.get('gone-b')).toMatchObject({ status: 'MISSING' });
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  it('batches the reads asked for together: 25 services of one cluster and 3 of another in 4 calls', async () => {
    answerWithEvery();
    const read = batchedServiceReader(ecs, 2);
    const names = Array.from({ length: 25 }, (_, i) => `svc-${i}`);
    const states = await Promise.all([...names.map((n) => read('prod', n)), ...['x', 'y', 'z'].map((n) => read('staging', n))]);
    expect(states.map((s) => s.service)).toEqual([...names, 'x', 'y', 'z']);
    const calls = ecsMock.commandCalls(DescribeServicesCommand).map((c) => [c.args[0].input.cluster, c.args[0].input.services?.length]);
    expect(calls.sort()).toEqual(
      [
        ['prod', 10],
        ['prod', 10],
        ['prod', 5],
        ['staging', 3],
      ].sort(),
    );
  });

  it('fails only the services of a call that failed, each with its own EcsError', async () => {
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'broken' })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'prod' })
      .resolves({ services: [{ serviceName: 'a', status: 'ACTIVE', desiredCount: 1, runningCount: 1 }] });
    const read = batchedServiceReader(ecs, 2);
    const [broken, fine] = await Promise.allSettled([read('broken', 'b'), read('prod', 'a')]);
    expect(broken).toMatchObject({ status: 'rejected', reason: { kind: 'throttled', service: 'b' } });
    expect(fine).toMatchObject({ status: 'fulfilled', value: { service: 'a', desired: 1 } });
  });

  it('asks each service alone when ECS refuses the whole batch for what may be one service (one bad target never blinds the others)', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      if (input.services.includes('forbidden')) throw denied;
      return { services: input.services.map((s) => ({ serviceName: s, status: 'ACTIVE', desiredCount: 3, runningCount: 3 })) };
    });
    const read = batchedServiceReader(ecs, 2);
    const [forbidden, fine] = await Promise.allSettled([read('prod', 'forbidden'), read('prod', 'fine')]);
    expect(forbidden).toMatchObject({ status: 'rejected', reason: { kind: 'access-denied', service: 'forbidden' } });
    expect(fine).toMatchObject({ status: 'fulfilled', value: { service: 'fine', desired: 3 } });
  });

  it('fails the batch at once without credentials: asked alone, each service would fail the same way', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const read = batchedServiceReader(ecs, 2);
    const reads = await Promise.allSettled([read('prod', 'a'), read('prod', 'b'), read('prod', 'c')]);
    expect(reads.map((r) => r.status === 'rejected' && (r.reason as EcsError).kind)).toEqual(['credentials', 'credentials', 'credentials']);
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });
});
