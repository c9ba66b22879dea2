/**
 * The real AWS SDK clients against the CloudWatch, MSK and Secrets Manager stand-ins, and the
 * controls all stand-ins share (injected errors, a hung endpoint, per-operation latency): the SDK
 * serializes, signs and parses errors as it would against AWS, so what passes here holds for the
 * scaler's own calls.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  InternalServiceFault,
  InvalidParameterValueException,
  type MetricDataQuery,
  type MetricDatum,
  PutMetricDataCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetBootstrapBrokersCommand, KafkaClient, ServiceUnavailableException } from '@aws-sdk/client-kafka';
import {
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsStandIn } from '../../tools/local-stack/aws-stand-in-server.js';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { startMskStandIn } from '../../tools/local-stack/msk-stand-in.js';
import { startSecretsManagerStandIn } from '../../tools/local-stack/secrets-manager-stand-in.js';

const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** What a hung endpoint is given up on after; the upper bounds below are generous for a loaded machine. */
const REQUEST_TIMEOUT_MS = 300;
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/payments/0f2c1a3e-1111-2222-3333-444455556666-7';
const SCRAM_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_payments-scram-Ab12Cd';

const MINUTE = 60_000;
/** A minute boundary well in the past, so test datums never straddle "now". */
const T0 = Math.floor(Date.UTC(2026, 0, 15, 12) / MINUTE) * MINUTE;

const standIns: AwsStandIn<string>[] = [];
const clients: { destroy(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(standIns.splice(0).map((standIn) => standIn.stop()));
});

async function started<T extends AwsStandIn<string>>(standIn: Promise<T>): Promise<T> {
  standIns.push(await standIn);
  return standIns.at(-1) as T;
}

/** How a test configures a client beyond where it is and who calls: attempts, timeouts. */
type ClientOptions = { maxAttempts?: number; requestHandler?: { requestTimeout: number; throwOnRequestTimeout: boolean } };

function client<T extends { destroy(): void }>(
  Client: new (config: object) => T,
  standIn: AwsStandIn<string>,
  options: ClientOptions = {},
): T {
  const created = new Client({ endpoint: standIn.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1, ...options });
  clients.push(created);
  return created;
}

/** A client that gives up on an unanswered request after REQUEST_TIMEOUT_MS. */
const impatient: ClientOptions = { requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true } };

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );

/** Resolves once `standIn` has recorded `count` calls: when a hung call has surely arrived. */
async function callsArrived(standIn: AwsStandIn<string>, count: number): Promise<void> {
  while (standIn.calls.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('CloudWatch', () => {
  const lag = (target: string, value: number, at: number, unit: StandardUnit = 'Count'): MetricDatum => ({
    MetricName: 'TotalLag',
    Dimensions: [{ Name: 'Target', Value: target }],
    Value: value,
    Unit: unit,
    Timestamp: new Date(at),
  });
  const put = (cloudwatch: CloudWatchClient, ...datums: MetricDatum[]) =>
    cloudwatch.send(new PutMetricDataCommand({ Namespace: 'KafkaLagScaler', MetricData: datums }));
  const lagQuery = (id: string, target: string, stat: string, period = 60): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'KafkaLagScaler', MetricName: 'TotalLag', Dimensions: [{ Name: 'Target', Value: target }] },
      Period: period,
      Stat: stat,
    },
  });
  const getMetricData = (cloudwatch: CloudWatchClient, queries: MetricDataQuery[], scanBy?: 'TimestampAscending' | 'TimestampDescending') =>
    cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 10 * MINUTE),
        ...(scanBy ? { ScanBy: scanBy } : {}),
      }),
    );

  let standIn: CloudWatchStandIn;
  let cloudwatch: CloudWatchClient;
  const start = async () => {
    standIn = await started(startCloudWatchStandIn());
    cloudwatch = client(CloudWatchClient, standIn);
  };

  it('records every PutMetricData datum with its namespace, dimensions, unit and timestamp, in arrival order', async () => {
    await start();
    const before = Date.now();

    await put(cloudwatch, lag('orders', 120, T0 + 1_500), lag('audit', 7, T0 + 2_000));
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'KafkaLagScaler', MetricData: [{ MetricName: 'Heartbeat', Value: 1 }] }));

    expect(standIn.datums()).toEqual([
      {
        namespace: 'KafkaLagScaler',
        metricName: 'TotalLag',
        dimensions: { Target: 'orders' },
        value: 120,
        unit: 'Count',
        timestamp: T0 + 1_500,
      },
      {
        namespace: 'KafkaLagScaler',
        metricName: 'TotalLag',
        dimensions: { Target: 'audit' },
        value: 7,
        unit: 'Count',
        timestamp: T0 + 2_000,
      },
      // No timestamp: CloudWatch stamps the datum on arrival.
      { namespace: 'KafkaLagScaler', metricName: 'Heartbeat', dimensions: {}, value: 1, timestamp: expect.any(Number) },
    ]);
    expect(standIn.datums()[2]?.timestamp).toBeGreaterThanOrEqual(before);
    expect(standIn.calls.map(({ operation, error }) => ({ operation, error }))).toEqual([
      { operation: 'PutMetricData', error: undefined },
      { operation: 'PutMetricData', error: undefined },
    ]);
  });

  it('answers GetMetricData with what was put: the Maximum per period, oldest first, of the exact metric asked', async () => {
    await start();
    await put(
      cloudwatch,
      lag('orders', 50, T0 + 2 * MINUTE + 10_000),
      lag('orders', 80, T0 + 2 * MINUTE + 40_000),
      lag('orders', 30, T0 + 5_000),
    );
    await put(
      cloudwatch,
      lag('orders', 60, T0 + 2 * MINUTE + 50_000),
      lag('audit', 999, T0 + 2 * MINUTE),
      lag('orders', 1, T0 + 20 * MINUTE),
    );

    const answer = await getMetricData(
      cloudwatch,
      [lagQuery('ordersLag', 'orders', 'Maximum'), lagQuery('nothing', 'billing', 'Maximum')],
      'TimestampAscending',
    );

    expect(answer.MetricDataResults).toEqual([
      {
        Id: 'ordersLag',
        Label: 'TotalLag',
        Timestamps: [new Date(T0), new Date(T0 + 2 * MINUTE)],
        Values: [30, 80],
        StatusCode: 'Complete',
      },
      { Id: 'nothing', Label: 'TotalLag', Timestamps: [], Values: [], StatusCode: 'Complete' },
    ]);
    expect(answer.NextToken).toBeUndefined();
  });

  it.each([
    ['Maximum', 9],
    ['Minimum', 1],
    ['Sum', 15],
    ['Average', 5],
    ['SampleCount', 3],
  ])('aggregates a period by %s', async (stat, expected) => {
    await start();
    await put(cloudwatch, lag('orders', 5, T0), lag('orders', 1, T0 + 20_000), lag('orders', 9, T0 + 59_999));

    const { MetricDataResults } = await getMetricData(cloudwatch, [lagQuery('q', 'orders', stat)]);

    expect(MetricDataResults?.[0]?.Values).toEqual([expected]);
  });

  it('answers newest first by default, from seeded history too, and metric math as no data', async () => {
    await start();
    standIn.seed([{ namespace: 'KafkaLagScaler', metricName: 'TotalLag', dimensions: { Target: 'orders' }, value: 10, timestamp: T0 }]);
    await put(cloudwatch, lag('orders', 20, T0 + 5 * MINUTE));

    const { MetricDataResults } = await getMetricData(cloudwatch, [
      lagQuery('lag', 'orders', 'Maximum', 300),
      { Id: 'rate', Expression: 'RATE(lag)', Label: 'rate' },
    ]);

    expect(MetricDataResults).toEqual([
      { Id: 'lag', Label: 'TotalLag', Timestamps: [new Date(T0 + 5 * MINUTE), new Date(T0)], Values: [20, 10], StatusCode: 'Complete' },
      { Id: 'rate', Label: 'rate', Timestamps: [], Values: [], StatusCode: 'Complete' },
    ]);
    expect(standIn.datums()).toHaveLength(1); // seeded history is not among the datums received
  });

  it('takes a full batch of 1000 datums, which the SDK sends gzipped', async () => {
    await start();

    await put(cloudwatch, ...Array.from({ length: 1000 }, (_, i) => lag(`target-${i}`, i, T0)));

    expect(standIn.datums()).toHaveLength(1000);
    expect(standIn.datums()[999]).toMatchObject({ dimensions: { Target: 'target-999' }, value: 999 });
  });

  it.each([
    [
      'more than 1000 datums in one call',
      (cloudwatch: CloudWatchClient) => put(cloudwatch, ...Array.from({ length: 1001 }, (_, i) => lag('orders', i, T0))),
    ],
    ['a datum without a Value', (cloudwatch: CloudWatchClient) => put(cloudwatch, { MetricName: 'TotalLag', Values: [1, 2] })],
    ['a statistic it does not compute', (cloudwatch: CloudWatchClient) => getMetricData(cloudwatch, [lagQuery('q', 'orders', 'p99')])],
  ])('refuses %s with InvalidParameterValueException', async (_, act) => {
    await start();

    expect(await failureOf(act(cloudwatch))).toBeInstanceOf(InvalidParameterValueException);
    expect(standIn.datums()).toEqual([]);
  });

  it('fails an injected 500 as the SDK exception of that name, then serves again', async () => {
    await start();
    standIn.failNext(1, 'PutMetricData', { type: 'InternalServiceFault', status: 500, message: 'try again' });

    const error = await failureOf(put(cloudwatch, lag('orders', 1, T0)));
    await put(cloudwatch, lag('orders', 2, T0));

    expect(error).toBeInstanceOf(InternalServiceFault);
    expect(error).toMatchObject({ message: 'try again', $metadata: { httpStatusCode: 500 } });
    expect(standIn.calls.map((call) => call.error)).toEqual(['InternalServiceFault', undefined]);
    expect(standIn.datums().map((datum) => datum.value)).toEqual([2]);
  });

  it('reset forgets datums, calls and faults', async () => {
    await start();
    await put(cloudwatch, lag('orders', 1, T0));
    standIn.seed([{ namespace: 'KafkaLagScaler', metricName: 'TotalLag', dimensions: { Target: 'orders' }, value: 10, timestamp: T0 }]);
    standIn.failNext(1, 'any', { type: 'InternalServiceFault', status: 500 });
    standIn.hang(true);

    standIn.reset();

    expect(standIn.datums()).toEqual([]);
    expect(standIn.calls).toEqual([]);
    const { MetricDataResults } = await getMetricData(cloudwatch, [lagQuery('q', 'orders', 'Maximum')]);
    expect(MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('stop closes connections left hanging, failing the calls waiting on them', async () => {
    await start();
    standIn.hang(true);
    const waiting = failureOf(put(cloudwatch, lag('orders', 1, T0)));
    await callsArrived(standIn, 1);

    await standIn.stop();

    expect(await waiting).toBeInstanceOf(Error);
    expect(standIn.datums()).toEqual([]); // a hung call is recorded but never served
  });
});

describe('MSK', () => {
  const bootstrap = { tls: 'b-1.payments:9094,b-2.payments:9094', iam: 'b-1.payments:9098,b-2.payments:9098' };

  it('answers GetBootstrapBrokers for any cluster with the configured strings, recording the cluster ARN', async () => {
    const standIn = await started(startMskStandIn({ bootstrap }));

    const answer = await client(KafkaClient, standIn).send(new GetBootstrapBrokersCommand({ ClusterArn: CLUSTER_ARN }));

    expect(answer).toMatchObject({ BootstrapBrokerStringTls: bootstrap.tls, BootstrapBrokerStringSaslIam: bootstrap.iam });
    expect(answer.BootstrapBrokerString).toBeUndefined();
    expect(answer.BootstrapBrokerStringSaslScram).toBeUndefined();
    expect(standIn.calls).toEqual([{ operation: 'GetBootstrapBrokers', input: { ClusterArn: CLUSTER_ARN }, at: expect.any(Number) }]);
  });

  it('refuses unsigned requests and routes it does not serve, naming the error in x-amzn-ErrorType', async () => {
    const standIn = await started(startMskStandIn({ bootstrap }));

    const unsigned = await fetch(`${standIn.url}/v1/clusters/${encodeURIComponent(CLUSTER_ARN)}/bootstrap-brokers`);
    const otherRoute = await fetch(`${standIn.url}/v1/clusters`);

    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([403, 'MissingAuthenticationTokenException']);
    expect([otherRoute.status, otherRoute.headers.get('x-amzn-errortype')]).toEqual([404, 'UnknownOperationException']);
    expect(standIn.calls.map((call) => call.operation)).toEqual(['GetBootstrapBrokers', 'GET /v1/clusters']);
  });
});

describe('Secrets Manager', () => {
  const secrets = { [SCRAM_SECRET_ARN]: '{"username":"scaler","password":"s3cret"}', 'dev/scram': '{"username":"dev","password":"dev"}' };

  it('returns a secret by the ARN or the name it was configured by', async () => {
    const standIn = await started(startSecretsManagerStandIn({ secrets, region: REGION }));
    const secretsManager = client(SecretsManagerClient, standIn);

    const byArn = await secretsManager.send(new GetSecretValueCommand({ SecretId: SCRAM_SECRET_ARN }));
    const byName = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'AmazonMSK_payments-scram' }));
    const configuredByName = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'dev/scram' }));
    const byItsArn = await secretsManager.send(new GetSecretValueCommand({ SecretId: configuredByName.ARN }));

    expect(byArn).toMatchObject({ ARN: SCRAM_SECRET_ARN, Name: 'AmazonMSK_payments-scram', SecretString: secrets[SCRAM_SECRET_ARN] });
    expect(byName).toMatchObject({ ARN: SCRAM_SECRET_ARN, SecretString: secrets[SCRAM_SECRET_ARN] });
    expect(configuredByName).toMatchObject({ Name: 'dev/scram', SecretString: secrets['dev/scram'] });
    expect(configuredByName.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:\d{12}:secret:dev\/scram-[A-Za-z0-9]{6}$/);
    expect(byItsArn.SecretString).toBe(secrets['dev/scram']);
  });

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    const standIn = await started(startSecretsManagerStandIn({ secrets }));

    const error = await failureOf(client(SecretsManagerClient, standIn).send(new GetSecretValueCommand({ SecretId: 'prod/missing' })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(standIn.calls).toEqual([
      { operation: 'GetSecretValue', input: { SecretId: 'prod/missing' }, at: expect.any(Number), error: 'ResourceNotFoundException' },
    ]);
  });
});

/** A stand-in with a call the SDK makes to it, to exercise the controls they share the same way for each. */
interface ServiceUnderTest {
  name: string;
  start: () => Promise<AwsStandIn<string>>;
  call: (standIn: AwsStandIn<string>, options?: ClientOptions) => Promise<unknown>;
  fault: { type: string; status: number };
  exception: new (...args: never[]) => Error;
}

const services: ServiceUnderTest[] = [
  {
    name: 'CloudWatch',
    start: () => startCloudWatchStandIn(),
    call: (standIn: AwsStandIn<string>, options?: ClientOptions) =>
      client(CloudWatchClient, standIn, options).send(
        new PutMetricDataCommand({ Namespace: 'KafkaLagScaler', MetricData: [{ MetricName: 'Heartbeat', Value: 1 }] }),
      ),
    fault: { type: 'InternalServiceFault', status: 500 },
    exception: InternalServiceFault,
  },
  {
    name: 'MSK',
    start: () => startMskStandIn({ bootstrap: { iam: 'b-1.payments:9098' } }),
    call: (standIn: AwsStandIn<string>, options?: ClientOptions) =>
      client(KafkaClient, standIn, options).send(new GetBootstrapBrokersCommand({ ClusterArn: CLUSTER_ARN })),
    fault: { type: 'ServiceUnavailableException', status: 503 },
    exception: ServiceUnavailableException,
  },
  {
    name: 'Secrets Manager',
    start: () => startSecretsManagerStandIn({ secrets: { [SCRAM_SECRET_ARN]: '{}' } }),
    call: (standIn: AwsStandIn<string>, options?: ClientOptions) =>
      client(SecretsManagerClient, standIn, options).send(new GetSecretValueCommand({ SecretId: SCRAM_SECRET_ARN })),
    fault: { type: 'InternalServiceError', status: 500 },
    exception: InternalServiceError,
  },
];

describe.each(services)('$name faults', ({ start, call, fault, exception }) => {
  it('fails the next calls with an injected error as the SDK exception of that name, then serves again', async () => {
    const standIn = await started(start());
    standIn.failNext(2, 'any', fault);

    const errors = [await failureOf(call(standIn)), await failureOf(call(standIn))];
    await call(standIn);

    for (const error of errors) expect(error).toBeInstanceOf(exception);
    expect(errors[0]).toMatchObject({ name: fault.type, $metadata: { httpStatusCode: fault.status } });
    expect(standIn.calls.map((recorded) => recorded.error)).toEqual([fault.type, fault.type, undefined]);
  });

  it('while hung, lets a client time out; after hang(false) the next call is answered', async () => {
    const standIn = await started(start());
    standIn.hang(true);
    const callStarted = Date.now();

    const error = await failureOf(call(standIn, impatient));

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - callStarted).toBeLessThan(5_000);
    standIn.hang(false);
    await call(standIn, impatient);
    expect(standIn.calls).toHaveLength(2);
  });
});

describe('ECS latency per operation', () => {
  it('delays the answer to UpdateService only, though the update takes effect at once', async () => {
    const UPDATE_LATENCY_MS = 2_000;
    const standIn = await started(startEcsStandIn({ services: [{ cluster: 'orders', service: 'payment-workers', desiredCount: 2 }] }));
    const ecs = client(ECSClient, standIn);
    standIn.setLatency(UPDATE_LATENCY_MS, 'UpdateService');
    const before = Date.now();

    let updateAnswered = false;
    const update = ecs.send(new UpdateServiceCommand({ cluster: 'orders', service: 'payment-workers', desiredCount: 5 })).then(() => {
      updateAnswered = true;
      return Date.now() - before;
    });
    await callsArrived(standIn, 1);
    const { services: described } = await ecs.send(new DescribeServicesCommand({ cluster: 'orders', services: ['payment-workers'] }));

    // Ordered, not timed: DescribeServices is answered while UpdateService still waits, and sees its effect.
    expect(updateAnswered).toBe(false);
    expect(described?.[0]?.desiredCount).toBe(5);
    expect(await update).toBeGreaterThanOrEqual(UPDATE_LATENCY_MS - 50);
  });
});
