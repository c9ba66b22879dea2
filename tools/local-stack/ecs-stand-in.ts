/**
 * A local stand-in for the Amazon ECS API: an HTTP server speaking ECS's AWS JSON 1.1 protocol for
 * DescribeServices and UpdateService, so the real AWS SDK works against it unchanged (point
 * `AWS_ENDPOINT_URL_ECS` or a client's `endpoint` at `url`, with any credentials and region).
 * Integration tests, the cold-start benchmark and the local demo use it instead of an AWS account.
 *
 * Besides the API it has test controls: those every stand-in shares (injected errors, added latency
 * per operation, a hung endpoint, a record of every call; see aws-stand-in-server.ts), and its own:
 * throttling, service status and rollout changes, externally reported task counts.
 */

import { type AwsJsonService, awsJsonProtocol } from './aws-json-protocol.js';
import { type AwsStandIn, startAwsStandInServer } from './aws-stand-in-server.js';
import { ServiceModel, type ServiceSnapshot, type ServiceSpec, type ServiceStatus, type TaskCounting } from './ecs-stand-in-services.js';

export type { InjectedFault, RecordedCall } from './aws-stand-in-server.js';
export type { ServiceSnapshot, ServiceSpec, ServiceStatus, TaskCounting } from './ecs-stand-in-services.js';

export interface EcsStandInOptions {
  services?: ServiceSpec[];
  /** How long a new task is PENDING before it is RUNNING (default 0: at once). */
  taskStartupMs?: number;
  /** Who drives running/pending counts (default 'simulated'; 'external': `setRunningCount`). */
  taskCounting?: TaskCounting;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** Region in the ARNs the stand-in returns (default us-east-1). */
  region?: string;
  /** Called when UpdateService changes a service's desired count (not when it sets the same count again). */
  onDesiredCountChange?: (cluster: string, service: string, desiredCount: number) => void;
}

/** The operations the stand-in serves: the ECS adapter's own. */
export type { EcsOperation } from '../../src/adapters/ecs/ecs-errors.js';

import type { EcsOperation } from '../../src/adapters/ecs/ecs-errors.js';

const ECS_JSON: AwsJsonService = {
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  version: '1.1',
  errorNamespace: 'com.amazonaws.ecs',
  signingName: 'ecs',
};

/** Besides the shared controls (faults, latency, hanging, the record of calls): ECS's services and throttling. */
export interface EcsStandIn extends AwsStandIn<EcsOperation> {
  addService(spec: ServiceSpec): void;
  getService(cluster: string, service: string): ServiceSnapshot;
  setServiceStatus(cluster: string, service: string, status: ServiceStatus): void;
  setRollout(cluster: string, service: string, inProgress: boolean): void;
  /** DescribeServices answers the service without desiredCount, runningCount and pendingCount. */
  withholdCounts(cluster: string, service: string, withhold: boolean): void;
  /** With `taskCounting: 'external'`: how many of the service's tasks are really up. */
  setRunningCount(cluster: string, service: string, running: number, pending?: number): void;
  /** The next `count` calls (of `operation`, default any) get a 400 ThrottlingException, which the SDK retries. */
  throttleNext(count: number, operation?: EcsOperation | 'any'): void;
}

export async function startEcsStandIn(options: EcsStandInOptions = {}): Promise<EcsStandIn> {
  const model = new ServiceModel({
    region: options.region ?? 'us-east-1',
    taskStartupMs: options.taskStartupMs ?? 0,
    taskCounting: options.taskCounting ?? 'simulated',
    ...(options.onDesiredCountChange ? { onDesiredCountChange: options.onDesiredCountChange } : {}),
  });
  for (const spec of options.services ?? []) model.addService(spec);

  const server = await startAwsStandInServer<EcsOperation>({
    service: 'ECS',
    protocol: awsJsonProtocol(ECS_JSON),
    operations: {
      DescribeServices: (input) => model.describeServices(input),
      UpdateService: (input) => model.updateService(input),
    },
    internalErrorType: 'ServerException',
    ...(options.port !== undefined ? { port: options.port } : {}),
  });

  return {
    ...server,
    addService: (spec) => model.addService(spec),
    getService: (cluster, service) => model.snapshot(cluster, service),
    setServiceStatus: (cluster, service, status) => model.setServiceStatus(cluster, service, status),
    setRollout: (cluster, service, inProgress) => model.setRollout(cluster, service, inProgress),
    withholdCounts: (cluster, service, withhold) => model.withholdCounts(cluster, service, withhold),
    setRunningCount: (cluster, service, running, pending = 0) => model.setRunningCount(cluster, service, running, pending),
    throttleNext: (count, operation = 'any') =>
      server.failNext(count, operation, { type: 'ThrottlingException', message: 'Rate exceeded' }),
  };
}
