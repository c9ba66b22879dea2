/**
 * The real AWS SDK against the ECS stand-in: the SDK serializes, signs, retries and parses errors
 * as it would against ECS, reaching the stand-in through `AWS_ENDPOINT_URL_ECS` (our adapter) or
 * the `endpoint` option (a bare client).
 */
import {
  AccessDeniedException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  ECSClient,
  ECSServiceException,
  InvalidParameterException,
  ServerException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEcsClient, describeService, type EcsClientOptions, EcsError, setDesiredCount } from '../../src/adapters/ecs/ecs-service.js';
import { type EcsStandIn, type EcsStandInOptions, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';

const TASK_STARTUP_MS = 150;
const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' };

/** Environment the SDK reads, set for these tests and restored after. */
const sdkEnvironment: Record<string, string | undefined> = {
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
  AWS_ENDPOINT_URL_ECS: undefined,
};
const savedEnvironment = Object.fromEntries(Object.keys(sdkEnvironment).map((name) => [name, process.env[name]]));
const setEnvironment = (values: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};
beforeAll(() => setEnvironment(sdkEnvironment));
afterAll(() => setEnvironment(savedEnvironment));

let standIn: EcsStandIn;
const clients: ECSClient[] = [];

async function start(options: EcsStandInOptions = {}) {
  standIn = await startEcsStandIn({
    services: [
      { cluster: 'orders', service: 'payment-workers', desiredCount: 2 },
      { cluster: 'default', service: 'audit', desiredCount: 1 },
    ],
    taskStartupMs: TASK_STARTUP_MS,
    ...options,
  });
  process.env.AWS_ENDPOINT_URL_ECS = standIn.url;
}

/** Our adapter's client, configured from the environment only. */
function adapterClient(options: EcsClientOptions = {}): ECSClient {
  const client = createEcsClient(options);
  clients.push(client);
  return client;
}

/** A bare SDK client pointed at the stand-in by the `endpoint` option, one attempt unless told. */
function bareClient(maxAttempts = 1): ECSClient {
  const client = new ECSClient({ endpoint: standIn.url, region: REGION, credentials: CREDENTIALS, maxAttempts });
  clients.push(client);
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await standIn.stop();
  delete process.env.AWS_ENDPOINT_URL_ECS;
});

/** The counts as ECS reports them, pending included (the adapter keeps only what the controller uses). */
async function counts(ecs: ECSClient) {
  const [service] = (await ecs.send(new DescribeServicesCommand({ cluster: 'orders', services: ['payment-workers'] }))).services ?? [];
  return { desired: service?.desiredCount, running: service?.runningCount, pending: service?.pendingCount };
}

describe('through AWS_ENDPOINT_URL_ECS, our adapter', () => {
  beforeEach(() => start());

  it('reads a service, sets its desired count, and sees tasks start then run', async () => {
    const ecs = adapterClient();
    expect(await describeService(ecs, 'orders', 'payment-workers')).toEqual({
      cluster: 'orders',
      service: 'payment-workers',
      status: 'ACTIVE',
      desired: 2,
      running: 2,
      rollingOut: false,
    });

    await setDesiredCount(ecs, 'orders', 'payment-workers', 5);

    expect(await counts(ecs)).toMatchObject({ desired: 5, running: 2, pending: 3 });
    await sleep(TASK_STARTUP_MS + 10);
    expect(await counts(ecs)).toMatchObject({ desired: 5, running: 5, pending: 0 });
  });

  it('scales in at once, stopping pending tasks before running ones', async () => {
    await standIn.stop();
    await start({ taskStartupMs: 60_000 }); // no task finishes starting during the test
    const ecs = adapterClient();
    await setDesiredCount(ecs, 'orders', 'payment-workers', 4);
    expect(await counts(ecs)).toMatchObject({ running: 2, pending: 2 });

    await setDesiredCount(ecs, 'orders', 'payment-workers', 3);
    expect(await counts(ecs)).toMatchObject({ desired: 3, running: 2, pending: 1 });

    await setDesiredCount(ecs, 'orders', 'payment-workers', 1);
    expect(await counts(ecs)).toMatchObject({ desired: 1, running: 1, pending: 0 });
  });

  it('reports an unknown service as MISSING', async () => {
    expect(await describeService(adapterClient(), 'orders', 'gone')).toMatchObject({ status: 'MISSING', desired: 0 });
  });

  it('reports DRAINING and INACTIVE services, and a rollout while one is in progress', async () => {
    const ecs = adapterClient();
    standIn.setRollout('orders', 'payment-workers', true);
    expect(await describeService(ecs, 'orders', 'payment-workers')).toMatchObject({ status: 'ACTIVE', rollingOut: true });
    standIn.setRollout('orders', 'payment-workers', false);
    expect(await describeService(ecs, 'orders', 'payment-workers')).toMatchObject({ rollingOut: false });

    standIn.setServiceStatus('orders', 'payment-workers', 'DRAINING');
    expect(await describeService(ecs, 'orders', 'payment-workers')).toMatchObject({ status: 'DRAINING' });
    standIn.setServiceStatus('orders', 'payment-workers', 'INACTIVE');
    expect(await describeService(ecs, 'orders', 'payment-workers')).toMatchObject({ status: 'INACTIVE' });
  });

  it.each([
    ['an unknown service', () => setDesiredCount(adapterClient(), 'orders', 'gone', 1), 'not-found', 'ServiceNotFoundException'],
    ['an unknown cluster', () => describeService(adapterClient(), 'billing', 'payment-workers'), 'not-found', 'ClusterNotFoundException'],
    ['an INACTIVE service', () => setDesiredCount(adapterClient(), 'orders', 'inactive', 1), 'not-found', 'ServiceNotActiveException'],
    ['a refused signature', () => failUpdateOnce({ type: 'UnrecognizedClientException' }), 'access-denied', 'UnrecognizedClientException'],
    [
      'a server error on every attempt',
      () => failUpdateOnce({ type: 'ServerException', status: 500 }, 3),
      'unavailable',
      'ServerException',
    ],
  ] as const)('fails on %s as %s', async (_, act, kind, code) => {
    standIn.addService({ cluster: 'orders', service: 'inactive', desiredCount: 0, status: 'INACTIVE' });

    const error = await failureOf(act());

    expect(error).toBeInstanceOf(EcsError);
    expect(error).toMatchObject({ kind, code });
  });

  function failUpdateOnce(fault: { type: string; status?: number }, times = 1) {
    standIn.failNext(times, 'UpdateService', fault);
    return setDesiredCount(adapterClient(), 'orders', 'payment-workers', 3);
  }

  it('gets through throttling within its attempts', async () => {
    standIn.throttleNext(1, 'UpdateService');

    await setDesiredCount(adapterClient({ maxAttempts: 2 }), 'orders', 'payment-workers', 3);

    expect(standIn.callsOf('UpdateService').map((call) => call.error)).toEqual(['ThrottlingException', undefined]);
    expect(standIn.getService('orders', 'payment-workers').desiredCount).toBe(3);
  });

  it('fails as throttled when throttled on every attempt', async () => {
    standIn.throttleNext(3);

    const error = await failureOf(setDesiredCount(adapterClient({ maxAttempts: 2 }), 'orders', 'payment-workers', 3));

    expect(error).toMatchObject({ kind: 'throttled', code: 'ThrottlingException' });
    expect(standIn.callsOf('UpdateService')).toHaveLength(2);
  });

  it('gives up on a slow answer after its request timeout on each attempt, though the update took effect', async () => {
    standIn.setLatency(1_000);
    const started = Date.now();

    const error = await failureOf(setDesiredCount(adapterClient({ maxAttempts: 2, requestTimeoutMs: 50 }), 'orders', 'payment-workers', 6));

    expect(error).toMatchObject({ kind: 'unavailable', code: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(900);
    expect(standIn.callsOf('UpdateService')).toHaveLength(2);
    // Why the count is absolute: a call that "failed" may still have been applied.
    expect(standIn.getService('orders', 'payment-workers').desiredCount).toBe(6);
  });

  it('waits out latency shorter than its request timeout', async () => {
    standIn.setLatency(30);

    expect(await describeService(adapterClient({ requestTimeoutMs: 1_000 }), 'orders', 'payment-workers')).toMatchObject({ desired: 2 });
  });

  it('stops when the caller aborts, without waiting for the answer', async () => {
    standIn.setLatency(5_000);
    const started = Date.now();

    const error = await failureOf(describeService(adapterClient(), 'orders', 'payment-workers', AbortSignal.timeout(30)));

    expect(error).toMatchObject({ kind: 'unavailable', code: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails as unavailable once the stand-in is stopped', async () => {
    const ecs = adapterClient({ maxAttempts: 1 });
    await describeService(ecs, 'orders', 'payment-workers');
    await standIn.stop();

    expect(await failureOf(describeService(ecs, 'orders', 'payment-workers'))).toMatchObject({ kind: 'unavailable' });
  });
});

describe('through the endpoint option, the bare SDK', () => {
  beforeEach(() => start());

  it('describes services by name or ARN, in the default cluster when none is named, with MISSING failures', async () => {
    const ecs = bareClient();
    const byArn = await ecs.send(
      new DescribeServicesCommand({
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/orders',
        services: ['arn:aws:ecs:us-east-1:123456789012:service/orders/payment-workers', 'gone'],
      }),
    );
    expect(byArn.services).toEqual([
      expect.objectContaining({
        serviceName: 'payment-workers',
        serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/orders/payment-workers',
        clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/orders',
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        launchType: 'FARGATE',
        createdAt: expect.any(Date),
        deployments: [expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2 })],
      }),
    ]);
    expect(byArn.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/orders/gone', reason: 'MISSING' }]);

    const inDefault = await ecs.send(new DescribeServicesCommand({ services: ['audit'] }));
    expect(inDefault.services?.map((service) => service.serviceArn)).toEqual(['arn:aws:ecs:us-east-1:123456789012:service/default/audit']);
  });

  it('shows a rollout as a new PRIMARY deployment in progress beside the ACTIVE one it replaces', async () => {
    standIn.setRollout('orders', 'payment-workers', true);

    const { services } = await bareClient().send(new DescribeServicesCommand({ cluster: 'orders', services: ['payment-workers'] }));

    expect(services?.[0]?.deployments?.map(({ status, rolloutState }) => ({ status, rolloutState }))).toEqual([
      { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
      { status: 'ACTIVE', rolloutState: 'COMPLETED' },
    ]);
  });

  it('returns the updated service from UpdateService', async () => {
    const { service } = await bareClient().send(
      new UpdateServiceCommand({ cluster: 'orders', service: 'payment-workers', desiredCount: 4 }),
    );

    expect(service).toMatchObject({ serviceName: 'payment-workers', desiredCount: 4, runningCount: 2, pendingCount: 2 });
  });

  it.each([
    ['an unknown service', () => update({ service: 'gone', desiredCount: 1 }), ServiceNotFoundException],
    ['an unknown cluster (UpdateService)', () => update({ cluster: 'billing', desiredCount: 1 }), ClusterNotFoundException],
    [
      'an unknown cluster (DescribeServices)',
      () => bareClient().send(new DescribeServicesCommand({ cluster: 'billing', services: ['x'] })),
      ClusterNotFoundException,
    ],
    ['a negative desired count', () => update({ desiredCount: -1 }), InvalidParameterException],
    ['no desired count', () => update({}), InvalidParameterException],
    [
      'eleven services at once',
      () => bareClient().send(new DescribeServicesCommand({ services: Array.from({ length: 11 }, (_, i) => `s${i}`) })),
      InvalidParameterException,
    ],
    [
      'an INACTIVE service',
      () => (standIn.setServiceStatus('orders', 'payment-workers', 'INACTIVE'), update({ desiredCount: 1 })),
      ServiceNotActiveException,
    ],
    [
      'an injected AccessDeniedException',
      () => (standIn.failNext(1, 'any', { type: 'AccessDeniedException' }), update({ desiredCount: 1 })),
      AccessDeniedException,
    ],
    [
      'an injected ServerException',
      () => (standIn.failNext(1, 'UpdateService', { type: 'ServerException', status: 500, message: 'boom' }), update({ desiredCount: 1 })),
      ServerException,
    ],
  ])('answers %s with the SDK exception class', async (_, act, exceptionClass) => {
    const error = await failureOf(act());

    expect(error).toBeInstanceOf(exceptionClass);
    expect(error).toMatchObject({
      name: exceptionClass.name,
      $metadata: { httpStatusCode: exceptionClass === ServerException ? 500 : 400 },
    });
  });

  function update(input: { cluster?: string; service?: string; desiredCount?: number }) {
    return bareClient().send(new UpdateServiceCommand({ cluster: 'orders', service: 'payment-workers', ...input }));
  }

  it('answers other operations with UnknownOperationException', async () => {
    const { ListServicesCommand } = await import('@aws-sdk/client-ecs');

    const error = await failureOf(bareClient().send(new ListServicesCommand({ cluster: 'orders' })));

    expect(error).toBeInstanceOf(ECSServiceException);
    expect(error).toMatchObject({ name: 'UnknownOperationException', message: 'The ECS stand-in does not implement ListServices.' });
  });

  it('refuses unsigned requests and bodies that are not JSON', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(standIn.url, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.DescribeServices', ...headers },
        body,
      });

    const unsigned = await post({}, '{"services":["audit"]}');
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'com.amazonaws.ecs#MissingAuthenticationTokenException' });

    const signed = {
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=0',
    };
    const notJson = await post(signed, 'services=audit');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ __type: 'com.amazonaws.ecs#SerializationException' });
  });

  it('records every call with its input, time and error', async () => {
    const before = Date.now();
    standIn.throttleNext(1, 'DescribeServices');
    const ecs = bareClient(2);

    await ecs.send(new DescribeServicesCommand({ cluster: 'orders', services: ['payment-workers'] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'orders', service: 'payment-workers', desiredCount: 3 }));

    expect(standIn.calls).toEqual([
      {
        operation: 'DescribeServices',
        input: { cluster: 'orders', services: ['payment-workers'] },
        at: expect.any(Number),
        error: 'ThrottlingException',
      },
      { operation: 'DescribeServices', input: { cluster: 'orders', services: ['payment-workers'] }, at: expect.any(Number) },
      { operation: 'UpdateService', input: { cluster: 'orders', service: 'payment-workers', desiredCount: 3 }, at: expect.any(Number) },
    ]);
    expect(standIn.calls.every((call) => call.at >= before && call.at <= Date.now())).toBe(true);
    expect(standIn.callsOf('UpdateService')).toHaveLength(1);
  });
});

describe('desired count changes and externally driven task counts', () => {
  it('tells the demo when the desired count changes, and takes running counts from it', async () => {
    const changes: [string, string, number][] = [];
    await start({ taskCounting: 'external', onDesiredCountChange: (...change) => changes.push(change) });
    const ecs = adapterClient();

    await setDesiredCount(ecs, 'orders', 'payment-workers', 4);
    await setDesiredCount(ecs, 'orders', 'payment-workers', 4);
    expect(changes).toEqual([['orders', 'payment-workers', 4]]);
    // Nothing starts by itself: the counts are what was last reported.
    expect(await counts(ecs)).toMatchObject({ desired: 4, running: 2, pending: 0 });

    standIn.setRunningCount('orders', 'payment-workers', 3, 1);
    expect(await counts(ecs)).toMatchObject({ desired: 4, running: 3, pending: 1 });
  });

  it('answers a ServerException when the change callback throws, and keeps serving', async () => {
    await start({
      onDesiredCountChange: () => {
        throw new Error('worker pool is gone');
      },
    });

    const error = await failureOf(
      bareClient().send(new UpdateServiceCommand({ cluster: 'orders', service: 'payment-workers', desiredCount: 3 })),
    );

    expect(error).toBeInstanceOf(ServerException);
    expect(await describeService(adapterClient(), 'orders', 'payment-workers')).toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses setRunningCount when it simulates tasks itself', async () => {
    await start();

    expect(() => standIn.setRunningCount('orders', 'payment-workers', 1)).toThrow(/taskCounting: 'external'/);
  });
});

describe('stop', () => {
  const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

  it('closes kept-alive connections and drops delayed answers at once, leaving no timer behind', async () => {
    const timersBefore = timers();
    await start();
    const ecs = adapterClient({ maxAttempts: 1, requestTimeoutMs: 10_000 });
    await describeService(ecs, 'orders', 'payment-workers');
    standIn.setLatency(10_000);
    const slowCall = failureOf(describeService(ecs, 'orders', 'payment-workers'));
    await sleep(20);
    const started = Date.now();

    await standIn.stop();

    expect(Date.now() - started).toBeLessThan(500);
    expect(await slowCall).toMatchObject({ kind: 'unavailable' });
    expect(timers()).toBe(timersBefore);
  });
});
