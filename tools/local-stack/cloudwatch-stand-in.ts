/**
 * A local stand-in for the Amazon CloudWatch metrics API: PutMetricData and GetMetricData over
 * CloudWatch's AWS JSON 1.0 protocol, so the real AWS SDK works against it unchanged (point
 * `AWS_ENDPOINT_URL_CLOUDWATCH` or a client's `endpoint` at `url`). Tests read back exactly what the
 * scaler published, and restore history from it the way the Lambda does after a cold start, with
 * the shared faults (errors, latency, a hung endpoint) in between.
 *
 * GetMetricData aggregates the datums it holds per Period-aligned bucket for plain metric queries;
 * metric math (Expression) is not evaluated.
 */

import { type AwsJsonService, awsJsonProtocol } from './aws-json-protocol.js';
import { ApiError, type AwsStandIn, startAwsStandInServer } from './aws-stand-in-server.js';

/** One datum as CloudWatch stored it. */
export interface RecordedDatum {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
  /** Epoch ms. */
  timestamp: number;
}

export type CloudWatchOperation = 'PutMetricData' | 'GetMetricData';

export interface CloudWatchStandInOptions {
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

export interface CloudWatchStandIn extends AwsStandIn<CloudWatchOperation> {
  /** Every datum PutMetricData received, in arrival order (seeded ones are not among them). */
  datums(): RecordedDatum[];
  /** Datums GetMetricData answers from besides those put, e.g. history from before the test. */
  seed(datums: readonly RecordedDatum[]): void;
  /** Also forgets the datums, put and seeded. */
  reset(): void;
}

const CLOUDWATCH_JSON: AwsJsonService = {
  targetPrefix: 'GraniteServiceVersion20100801',
  version: '1.0',
  errorNamespace: 'com.amazonaws.cloudwatch',
  signingName: 'monitoring',
};

/** PutMetricData's limit per request. */
const MAX_DATUMS_PER_PUT = 1000;

const STATISTICS = new Map<string, (values: number[]) => number>([
  ['Maximum', (values) => Math.max(...values)],
  ['Minimum', (values) => Math.min(...values)],
  ['Sum', sum],
  ['Average', (values) => sum(values) / values.length],
  ['SampleCount', (values) => values.length],
]);

export async function startCloudWatchStandIn(options: CloudWatchStandInOptions = {}): Promise<CloudWatchStandIn> {
  const received: RecordedDatum[] = [];
  const seeded: RecordedDatum[] = [];

  const server = await startAwsStandInServer<CloudWatchOperation>({
    service: 'CloudWatch',
    protocol: awsJsonProtocol(CLOUDWATCH_JSON),
    operations: {
      PutMetricData: (input) => {
        received.push(...readPutMetricData(input, Date.now()));
        return {};
      },
      GetMetricData: (input) => getMetricData(input, [...seeded, ...received]),
    },
    internalErrorType: 'InternalServiceFault',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });

  return {
    ...server,
    datums: () => received.map(copyDatum),
    seed: (datums) => {
      seeded.push(...datums.map(copyDatum));
    },
    reset: () => {
      server.reset();
      received.length = 0;
      seeded.length = 0;
    },
  };
}

/** Datums cross the stand-in's boundary as copies, so a test cannot change what CloudWatch holds. */
function copyDatum(datum: RecordedDatum): RecordedDatum {
  return { ...datum, dimensions: { ...datum.dimensions } };
}

/** All the datums of a PutMetricData call, or the error CloudWatch refuses the whole call with. */
function readPutMetricData(input: Record<string, unknown>, now: number): RecordedDatum[] {
  const namespace = requireString(input, 'Namespace');
  const metricData = requireArray(input, 'MetricData');
  if (metricData.length > MAX_DATUMS_PER_PUT) {
    throw invalidParameter(`The collection MetricData must not have a size greater than ${MAX_DATUMS_PER_PUT}.`);
  }
  return metricData.map((datum) => {
    if (typeof datum.Value !== 'number') {
      throw invalidParameter('The CloudWatch stand-in records only datums with a Value (not Values or StatisticValues).');
    }
    return {
      namespace,
      metricName: requireString(datum, 'MetricName'),
      dimensions: readDimensions(datum),
      value: datum.Value,
      ...(typeof datum.Unit === 'string' ? { unit: datum.Unit } : {}),
      timestamp: datum.Timestamp === undefined ? now : requireEpochMs(datum, 'Timestamp'),
    };
  });
}

/** The answer to GetMetricData: one result per query, in the order asked. */
function getMetricData(input: Record<string, unknown>, datums: readonly RecordedDatum[]) {
  const window = { start: requireEpochMs(input, 'StartTime'), end: requireEpochMs(input, 'EndTime') };
  const descending = input.ScanBy !== 'TimestampAscending'; // CloudWatch's default is TimestampDescending
  const results = requireArray(input, 'MetricDataQueries')
    .filter((query) => query.ReturnData !== false)
    .map((query) => {
      const id = requireString(query, 'Id');
      const { label, points } = typeof query.Expression === 'string' ? { label: id, points: [] } : queryMetricStat(query, window, datums);
      if (descending) points.reverse();
      return {
        Id: id,
        Label: typeof query.Label === 'string' ? query.Label : label,
        Timestamps: points.map((point) => point.at / 1000), // epoch seconds, as AWS JSON carries timestamps
        Values: points.map((point) => point.value),
        StatusCode: 'Complete',
      };
    });
  return { MetricDataResults: results, Messages: [] };
}

/** The statistic per Period-aligned bucket of the matching datums within [start, end), oldest first. */
function queryMetricStat(query: Record<string, unknown>, window: { start: number; end: number }, datums: readonly RecordedDatum[]) {
  const stat = requireObject(query, 'MetricStat');
  const metric = requireObject(stat, 'Metric');
  const namespace = requireString(metric, 'Namespace');
  const metricName = requireString(metric, 'MetricName');
  const dimensions = readDimensions(metric);
  const periodMs = requirePositiveInteger(stat, 'Period') * 1000;
  const statistic = STATISTICS.get(requireString(stat, 'Stat'));
  if (!statistic) throw invalidParameter(`The CloudWatch stand-in computes only ${[...STATISTICS.keys()].join(', ')}.`);
  const unit = typeof stat.Unit === 'string' ? stat.Unit : undefined;

  const buckets = new Map<number, number[]>();
  for (const datum of datums) {
    const matches =
      datum.namespace === namespace &&
      datum.metricName === metricName &&
      sameDimensions(datum.dimensions, dimensions) &&
      (unit === undefined || datum.unit === unit) &&
      datum.timestamp >= window.start &&
      datum.timestamp < window.end;
    if (!matches) continue;
    const bucket = Math.floor(datum.timestamp / periodMs) * periodMs;
    const values = buckets.get(bucket);
    if (values) values.push(datum.value);
    else buckets.set(bucket, [datum.value]);
  }
  const points = [...buckets].sort(([a], [b]) => a - b).map(([at, values]) => ({ at, value: statistic(values) }));
  return { label: metricName, points };
}

/** A metric is identified by all its dimensions: a query naming fewer matches nothing, as in CloudWatch. */
function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => b[name] === a[name]);
}

function readDimensions(holder: Record<string, unknown>): Record<string, string> {
  if (holder.Dimensions === undefined) return {};
  return Object.fromEntries(
    requireArray(holder, 'Dimensions').map((dimension) => [requireString(dimension, 'Name'), requireString(dimension, 'Value')]),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

const invalidParameter = (message: string) => new ApiError('InvalidParameterValueException', message);

function requireString(holder: Record<string, unknown>, name: string): string {
  const value = holder[name];
  if (typeof value === 'string' && value !== '') return value;
  throw value === undefined ? missingParameter(name) : invalidParameter(`${name} must be a non-empty string.`);
}

function requirePositiveInteger(holder: Record<string, unknown>, name: string): number {
  const value = holder[name];
  if (Number.isInteger(value) && (value as number) > 0) return value as number;
  throw value === undefined ? missingParameter(name) : invalidParameter(`${name} must be a positive integer.`);
}

/** Timestamps travel as epoch seconds (with a fraction) in AWS JSON. */
function requireEpochMs(holder: Record<string, unknown>, name: string): number {
  const value = holder[name];
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  throw value === undefined ? missingParameter(name) : invalidParameter(`${name} must be a timestamp in epoch seconds.`);
}

function requireObject(holder: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = holder[name];
  if (isObject(value)) return value;
  throw value === undefined ? missingParameter(name) : invalidParameter(`${name} must be an object.`);
}

function requireArray(holder: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const value = holder[name];
  if (Array.isArray(value) && value.every(isObject)) return value;
  throw value === undefined ? missingParameter(name) : invalidParameter(`${name} must be a list of objects.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingParameter(name: string): ApiError {
  return new ApiError('MissingRequiredParameterException', `The parameter ${name} is required.`);
}
