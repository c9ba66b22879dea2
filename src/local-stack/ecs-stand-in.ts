/**
 * A local stand-in for the Amazon ECS API: an HTTP server speaking ECS's AWS JSON 1.1 protocol for
 * DescribeServices and UpdateService, so the real AWS SDK works against it unchanged (point
 * `AWS_ENDPOINT_URL_ECS` or a client's `endpoint` at `url`, with any credentials and region).
 * Integration tests, the cold-start benchmark and the local demo use it instead of an AWS account.
 *
 * Besides the API it has test controls: injected errors and throttling, added latency, service
 * status and rollout changes, externally reported task counts, and a record of every call.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EcsApiError, readApiRequest, writeApiError, writeApiResult } from './ecs-stand-in-protocol.js';
import { ServiceModel, type ServiceSnapshot, type ServiceSpec, type ServiceStatus, type TaskCounting } from './ecs-stand-in-services.js';

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

export type EcsOperation = 'DescribeServices' | 'UpdateService';

/** An error to answer with, e.g. `{ type: 'ServerException', status: 500 }`. */
export interface InjectedFault {
  /** The error code the SDK sees as the exception's name. */
  type: string;
  /** HTTP status (default 400). */
  status?: number;
  message?: string;
}

export interface RecordedCall {
  /** As named in X-Amz-Target, also for operations the stand-in does not serve. */
  operation: string;
  input: Record<string, unknown>;
  /** When the call arrived (epoch ms). */
  at: number;
  /** The error code answered, if the call failed. */
  error?: string;
}

export interface EcsStandIn {
  /** Endpoint for `AWS_ENDPOINT_URL_ECS` or an SDK client's `endpoint`. */
  readonly url: string;
  readonly calls: readonly RecordedCall[];
  callsOf(operation: string): RecordedCall[];
  addService(spec: ServiceSpec): void;
  getService(cluster: string, service: string): ServiceSnapshot;
  setServiceStatus(cluster: string, service: string, status: ServiceStatus): void;
  setRollout(cluster: string, service: string, inProgress: boolean): void;
  /** With `taskCounting: 'external'`: how many of the service's tasks are really up. */
  setRunningCount(cluster: string, service: string, running: number, pending?: number): void;
  /** The next `count` calls (of `operation`, default any) get a 400 ThrottlingException, which the SDK retries. */
  throttleNext(count: number, operation?: EcsOperation | 'any'): void;
  /** The next `count` calls of `operation` fail with `fault`. Queued faults are served in order. */
  failNext(count: number, operation: EcsOperation | 'any', fault: InjectedFault): void;
  /** Delays every response (the call takes effect at once, as if only the answer were slow). */
  setLatency(milliseconds: number): void;
  /** Closes the server and every connection; delayed responses are dropped. */
  stop(): Promise<void>;
}

interface QueuedFault {
  operation: EcsOperation | 'any';
  remaining: number;
  error: EcsApiError;
}

type Outcome = { result: unknown } | { error: EcsApiError };

export async function startEcsStandIn(options: EcsStandInOptions = {}): Promise<EcsStandIn> {
  const model = new ServiceModel({
    region: options.region ?? 'us-east-1',
    taskStartupMs: options.taskStartupMs ?? 0,
    taskCounting: options.taskCounting ?? 'simulated',
    ...(options.onDesiredCountChange ? { onDesiredCountChange: options.onDesiredCountChange } : {}),
  });
  for (const spec of options.services ?? []) model.addService(spec);

  const operations: Record<EcsOperation, (input: Record<string, unknown>) => unknown> = {
    DescribeServices: (input) => model.describeServices(input),
    UpdateService: (input) => model.updateService(input),
  };
  const calls: RecordedCall[] = [];
  const faults: QueuedFault[] = [];
  const delayedResponses = new Set<NodeJS.Timeout>();
  let latencyMs = 0;

  const queueFault = (count: number, operation: EcsOperation | 'any', error: EcsApiError) => {
    if (!Number.isInteger(count) || count < 1) throw new Error(`ECS stand-in: fault count must be a positive integer, got ${count}`);
    faults.push({ operation, remaining: count, error });
  };
  const takeFault = (operation: string): EcsApiError | undefined => {
    const index = faults.findIndex((fault) => fault.operation === 'any' || fault.operation === operation);
    const fault = faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) faults.splice(index, 1);
    return fault.error;
  };

  /** The outcome of a call: its result, or the API error to answer with. */
  const serve = (call: RecordedCall, rejection: EcsApiError | undefined): Outcome => {
    try {
      if (rejection) throw rejection;
      const fault = takeFault(call.operation);
      if (fault) throw fault;
      if (!Object.hasOwn(operations, call.operation)) {
        throw new EcsApiError('UnknownOperationException', `The ECS stand-in does not implement ${call.operation}.`);
      }
      return { result: operations[call.operation as EcsOperation](call.input) };
    } catch (error) {
      // Anything unexpected (including an onDesiredCountChange that throws) is a server fault, never a crash.
      const apiError = error instanceof EcsApiError ? error : new EcsApiError('ServerException', String(error), 500);
      call.error = apiError.type;
      return { error: apiError };
    }
  };

  const server = createServer((request, response) => {
    void (async () => {
      const { operation, input, rejection } = await readApiRequest(request);
      const call: RecordedCall = { operation, input, at: Date.now() };
      calls.push(call);
      const outcome = serve(call, rejection);
      if (latencyMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            delayedResponses.delete(timer);
            resolve();
          }, latencyMs);
          delayedResponses.add(timer);
        });
      }
      if ('error' in outcome) writeApiError(response, outcome.error);
      else writeApiResult(response, outcome.result);
    })().catch(() => response.destroy()); // the client went away mid-request
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (operation) => calls.filter((call) => call.operation === operation),
    addService: (spec) => model.addService(spec),
    getService: (cluster, service) => model.snapshot(cluster, service),
    setServiceStatus: (cluster, service, status) => model.setServiceStatus(cluster, service, status),
    setRollout: (cluster, service, inProgress) => model.setRollout(cluster, service, inProgress),
    setRunningCount: (cluster, service, running, pending = 0) => model.setRunningCount(cluster, service, running, pending),
    throttleNext: (count, operation = 'any') => queueFault(count, operation, new EcsApiError('ThrottlingException', 'Rate exceeded')),
    failNext: (count, operation, fault) =>
      queueFault(count, operation, new EcsApiError(fault.type, fault.message ?? fault.type, fault.status ?? 400)),
    setLatency: (milliseconds) => {
      latencyMs = milliseconds;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve, reject) => {
        for (const timer of delayedResponses) clearTimeout(timer);
        delayedResponses.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
