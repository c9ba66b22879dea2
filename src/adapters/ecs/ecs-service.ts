/**
 * Our ECS adapter: read a service's state and set its desired count, with bounded retries and
 * timeouts, every failure an EcsError of a kind the controller can act on. Every call takes an
 * optional AbortSignal so the controller can stop at its deadline.
 */
import { type Deployment, DescribeServicesCommand, ECSClient, type Service, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ObservedService } from '../../tick/tick.js';
import { concurrencyLimit } from '../../util/concurrency-limit.js';
import { boundedClientConfig } from '../aws-client-config.js';
import { type EcsCall, EcsError, EVERY_SERVICE_ALIKE } from './ecs-errors.js';

export { EcsError, type EcsErrorKind, type EcsOperation } from './ecs-errors.js';

/** What the tick needs to know of a service (its port's type), and which service it is. */
export interface ServiceState extends ObservedService {
  cluster: string;
  service: string;
}

export interface EcsClientOptions {
  /** Attempts per call, first included (standard retry mode; default 3). */
  maxAttempts?: number;
  /** Time for one attempt, from connecting to the whole response (default 3000). */
  requestTimeoutMs?: number;
}

/**
 * An ECS client whose calls are bounded: few attempts, each with a timeout. The endpoint, region and
 * credentials come from the environment (`AWS_ENDPOINT_URL_ECS` points it at the local stand-in).
 */
export function createEcsClient(options: EcsClientOptions = {}): ECSClient {
  return new ECSClient(boundedClientConfig({ timeoutMs: options.requestTimeoutMs ?? 3_000, maxAttempts: options.maxAttempts ?? 3 }));
}

export async function describeService(ecs: ECSClient, cluster: string, service: string, signal?: AbortSignal): Promise<ServiceState> {
  const state = (await describeServices(ecs, cluster, [service], signal)).get(service);
  if (state instanceof EcsError) throw state;
  if (!state) throw new EcsError('unknown', { operation: 'DescribeServices', cluster, service }, 'EmptyResponse', 'not in the answer');
  return state;
}

/** DescribeServices takes at most this many services per call. */
export const MAX_SERVICES_PER_DESCRIBE = 10;

/**
 * Several services of one cluster in one DescribeServices call (at most 10): each one's state, or
 * its own error (MISSING is a state; another failure, or a garbled answer, an EcsError). A failed
 * call fails every service in it.
 */
export async function describeServices(
  ecs: ECSClient,
  cluster: string,
  services: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ServiceState | EcsError>> {
  const call: EcsCall = { operation: 'DescribeServices', cluster, service: services.join(', ') };
  const output = await send(call, () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [...services] }), signal ? { abortSignal: signal } : {}),
  );
  const result = new Map<string, ServiceState | EcsError>();
  for (const service of services) {
    const own: EcsCall = { operation: 'DescribeServices', cluster, service };
    // A lone service is the answer's only entry, whatever names it carries.
    const described =
      services.length === 1
        ? output.services?.[0]
        : output.services?.find((s) => s.serviceName === nameOf(service) || s.serviceArn === service);
    const failure =
      services.length === 1
        ? output.failures?.[0]
        : output.failures?.find((f) => f.arn === service || nameOf(f.arn ?? '') === nameOf(service));
    try {
      if (described) result.set(service, toServiceState(own, described));
      else if (failure?.reason === 'MISSING')
        result.set(service, { cluster, service, status: 'MISSING', desired: 0, running: 0, rollingOut: false });
      else {
        const detail = failure
          ? `failure ${failure.reason}${failure.detail ? `: ${failure.detail}` : ''}`
          : 'neither the service nor a failure in the response';
        result.set(service, new EcsError('unknown', own, failure?.reason ?? 'EmptyResponse', detail));
      }
    } catch (error) {
      result.set(service, EcsError.from(error, own));
    }
  }
  return result;
}

/**
 * A reader of one service at a time for the tick, which sends few calls: the reads asked for in the
 * same turn of the event loop go out together, up to 10 services of one cluster per DescribeServices
 * call (200 targets: 20 calls, not 200), at most `concurrency` calls at once.
 */
export function batchedServiceReader(
  ecs: ECSClient,
  concurrency: number,
): (cluster: string, service: string, signal?: AbortSignal) => Promise<ServiceState> {
  type Waiting = { service: string; signal?: AbortSignal; settle: (state: ServiceState | EcsError) => void };
  let queued = new Map<string, Waiting[]>();
  const limit = concurrencyLimit(concurrency);
  const flush = () => {
    const batches = queued;
    queued = new Map();
    for (const [cluster, waiting] of batches) {
      for (let i = 0; i < waiting.length; i += MAX_SERVICES_PER_DESCRIBE) {
        const chunk = waiting.slice(i, i + MAX_SERVICES_PER_DESCRIBE);
        const services = [...new Set(chunk.map((w) => w.service))];
        void limit(() => describeEachIfRefused(ecs, cluster, services, chunk[0]?.signal)).then(
          (states) => {
            for (const w of chunk)
              w.settle(
                states.get(w.service) ??
                  new EcsError(
                    'unknown',
                    { operation: 'DescribeServices', cluster, service: w.service },
                    'EmptyResponse',
                    'not in the answer',
                  ),
              );
          },
          (error: unknown) => {
            for (const w of chunk) w.settle(EcsError.from(error, { operation: 'DescribeServices', cluster, service: w.service }));
          },
        );
      }
    }
  };
  return (cluster, service, signal) =>
    new Promise<ServiceState>((resolve, reject) => {
      if (queued.size === 0) setImmediate(flush);
      const waiting = queued.get(cluster) ?? [];
      waiting.push({
        service,
        ...(signal ? { signal } : {}),
        settle: (state) => (state instanceof EcsError ? reject(state) : resolve(state)),
      });
      queued.set(cluster, waiting);
    });
}

/**
 * One call for the batch; if ECS refuses it as a whole for a reason that may be one service's (access
 * denied to it, an invalid name), each service is asked alone, so one bad target does not blind the
 * others. A throttled or failing ECS, or missing credentials, fail the batch: asking more would not help.
 */
async function describeEachIfRefused(
  ecs: ECSClient,
  cluster: string,
  services: string[],
  signal?: AbortSignal,
): Promise<Map<string, ServiceState | EcsError>> {
  try {
    return await describeServices(ecs, cluster, services, signal);
  } catch (error) {
    const kind = error instanceof EcsError ? error.kind : 'unknown';
    if (services.length === 1 || EVERY_SERVICE_ALIKE.has(kind)) throw error;
    const alone = await Promise.all(
      services.map((service) =>
        describeServices(ecs, cluster, [service], signal).then(
          (states) => [service, states.get(service)] as const,
          (failure: unknown) => [service, EcsError.from(failure, { operation: 'DescribeServices', cluster, service })] as const,
        ),
      ),
    );
    return new Map(alone.filter((entry): entry is readonly [string, ServiceState | EcsError] => entry[1] !== undefined));
  }
}

/** A service's name, given its name or its ARN (`…:service/CLUSTER/NAME` or the older `…:service/NAME`). */
function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}

/**
 * Sets the absolute desired count. UpdateService is idempotent here: the count is absolute, so the
 * SDK re-sending it after a timeout, or a tick running twice, sets the same count again. A call that
 * timed out or failed with a 5xx may still have been applied: its EcsError says `outcomeUnknown`.
 */
export async function setDesiredCount(
  ecs: ECSClient,
  cluster: string,
  service: string,
  desired: number,
  signal?: AbortSignal,
): Promise<void> {
  const call: EcsCall = { operation: 'UpdateService', cluster, service };
  if (!Number.isInteger(desired) || desired < 0) {
    throw new EcsError('invalid', call, 'InvalidDesiredCount', `desired count must be a non-negative integer, got ${desired}`);
  }
  await send(call, () =>
    ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: desired }), signal ? { abortSignal: signal } : {}),
  );
}

/**
 * Whether a deployment is replacing the service's tasks: a deployment other than PRIMARY is
 * IN_PROGRESS, or the PRIMARY one is IN_PROGRESS while older deployments still exist (a lone
 * PRIMARY IN_PROGRESS is a new service coming up, not a rollout). Services whose deployments carry
 * no rolloutState (behind a Classic Load Balancer) are rolling out whenever there is more than one.
 */
export function isRollingOut(deployments: readonly Deployment[]): boolean {
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
  const others = deployments.filter((deployment) => deployment !== primary);
  if (others.some((deployment) => deployment.rolloutState === 'IN_PROGRESS')) return true;
  return others.length > 0 && (primary?.rolloutState === 'IN_PROGRESS' || primary?.rolloutState === undefined);
}

const SERVICE_STATUSES = ['ACTIVE', 'DRAINING', 'INACTIVE'] as const;

function toServiceState(call: EcsCall, described: Service): ServiceState {
  const status = SERVICE_STATUSES.find((known) => known === described.status);
  if (!status) throw new EcsError('unknown', call, 'UnexpectedStatus', `unexpected service status ${String(described.status)}`);
  const { desiredCount, runningCount } = described;
  // A missing count is not 0: read as 0, any decision would look like a scale-up from nothing and skip every scale-in guard.
  if (!isCount(desiredCount) || !isCount(runningCount)) {
    throw new EcsError(
      'incomplete',
      call,
      'IncompleteService',
      `the answer has no usable desiredCount/runningCount (desired ${String(desiredCount)}, running ${String(runningCount)})`,
    );
  }
  return {
    cluster: call.cluster,
    service: call.service,
    status,
    desired: desiredCount,
    running: runningCount,
    rollingOut: isRollingOut(described.deployments ?? []),
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

async function send<Output>(call: EcsCall, request: () => Promise<Output>): Promise<Output> {
  try {
    return await request();
  } catch (error) {
    throw EcsError.from(error, call);
  }
}
