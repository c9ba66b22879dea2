/**
 * Our ECS adapter: read a service's state and set its desired count, with bounded retries and
 * timeouts, every failure an EcsError of a kind the controller can act on. Every call takes an
 * optional AbortSignal so the controller can stop at its deadline.
 */
import { type Deployment, DescribeServicesCommand, ECSClient, type Service, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ObservedService } from '../../tick/tick.js';
import { boundedClientConfig } from '../aws-client-config.js';
import { type EcsCall, EcsError } from './ecs-errors.js';

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
  const call: EcsCall = { operation: 'DescribeServices', cluster, service };
  const output = await send(call, () => ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: signal }));
  const described = output.services?.[0];
  if (described) return toServiceState(call, described);

  const failure = output.failures?.[0];
  if (failure?.reason === 'MISSING') return { cluster, service, status: 'MISSING', desired: 0, running: 0, rollingOut: false };
  const detail = failure
    ? `failure ${failure.reason}${failure.detail ? `: ${failure.detail}` : ''}`
    : 'neither the service nor a failure in the response';
  throw new EcsError('unknown', call, failure?.reason ?? 'EmptyResponse', detail);
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
  await send(call, () => ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: desired }), { abortSignal: signal }));
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
