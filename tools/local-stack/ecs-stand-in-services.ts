/**
 * The ECS stand-in's model of clusters, services and their tasks, and the two operations it serves
 * (DescribeServices, UpdateService) with ECS's validation and errors. No timers: a task's state is
 * computed from the clock when asked, so nothing keeps running after the stand-in stops.
 */
import { EcsApiError } from './aws-json-protocol.js';

export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';

export interface ServiceSpec {
  cluster: string;
  service: string;
  desiredCount: number;
  /** Tasks already RUNNING at start (default desiredCount); with simulated tasks the rest up to desiredCount start PENDING. */
  runningCount?: number;
  status?: ServiceStatus;
}

/** A service as the stand-in sees it, for tests and the demo to read without going through the API. */
export interface ServiceSnapshot {
  status: ServiceStatus;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  rolloutInProgress: boolean;
}

/**
 * `simulated`: UpdateService starts and stops tasks itself (a new task is PENDING for taskStartupMs).
 * `external`: the counts are whatever `setRunningCount` last reported (e.g. real worker processes).
 */
export type TaskCounting = 'simulated' | 'external';

export interface ServiceModelOptions {
  /** Region in the ARNs. */
  region: string;
  taskStartupMs: number;
  taskCounting: TaskCounting;
  onDesiredCountChange?: (cluster: string, service: string, desiredCount: number) => void;
}

interface Deployment {
  id: string;
  taskDefinitionRevision: number;
  createdAt: number;
}

interface ServiceRecord {
  cluster: string;
  name: string;
  status: ServiceStatus;
  desiredCount: number;
  /** When each task is RUNNING from (epoch ms; later than now: still PENDING), ascending. */
  taskRunningFrom: number[];
  createdAt: number;
  primary: Deployment;
  /** The deployment being replaced while a rollout is in progress. */
  replaced?: Deployment;
  /** DescribeServices leaves the service's task counts out (a truncated or odd answer). */
  withholdCounts?: boolean;
}

/** The account in the ARNs (the one AWS's documentation uses in examples). */
const ACCOUNT_ID = '123456789012';

/** DescribeServices takes at most this many services per call. */
const MAX_SERVICES_PER_DESCRIBE = 10;

export class ServiceModel {
  private readonly clusters = new Map<string, Map<string, ServiceRecord>>();
  private deploymentsCreated = 0;

  constructor(private readonly options: ServiceModelOptions) {}

  addService(spec: ServiceSpec): void {
    const runningCount = spec.runningCount ?? spec.desiredCount;
    if (!isCount(spec.desiredCount) || !isCount(runningCount)) {
      throw new Error(`ECS stand-in: counts of ${spec.cluster}/${spec.service} must be non-negative integers`);
    }
    if (this.options.taskCounting === 'simulated' && runningCount > spec.desiredCount) {
      throw new Error(`ECS stand-in: ${spec.cluster}/${spec.service} cannot start with more running tasks than desired`);
    }
    const now = Date.now();
    const record: ServiceRecord = {
      cluster: spec.cluster,
      name: spec.service,
      status: spec.status ?? 'ACTIVE',
      desiredCount: spec.desiredCount,
      taskRunningFrom: tasks(runningCount, 0, Math.max(0, spec.desiredCount - runningCount), now + this.options.taskStartupMs),
      createdAt: now,
      primary: this.newDeployment(1, now),
    };
    const services = this.clusters.get(spec.cluster) ?? new Map<string, ServiceRecord>();
    services.set(spec.service, record);
    this.clusters.set(spec.cluster, services);
  }

  snapshot(cluster: string, service: string): ServiceSnapshot {
    const record = this.record(cluster, service);
    const { running, pending } = countTasks(record);
    return {
      status: record.status,
      desiredCount: record.desiredCount,
      runningCount: running,
      pendingCount: pending,
      rolloutInProgress: record.replaced !== undefined,
    };
  }

  setServiceStatus(cluster: string, service: string, status: ServiceStatus): void {
    this.record(cluster, service).status = status;
  }

  /** Starts a rollout (a new PRIMARY deployment IN_PROGRESS, the old one ACTIVE) or completes it. */
  withholdCounts(cluster: string, service: string, withhold: boolean): void {
    this.record(cluster, service).withholdCounts = withhold;
  }

  setRollout(cluster: string, service: string, inProgress: boolean): void {
    const record = this.record(cluster, service);
    if (inProgress && !record.replaced) {
      record.replaced = record.primary;
      record.primary = this.newDeployment(record.primary.taskDefinitionRevision + 1, Date.now());
    } else if (!inProgress) {
      delete record.replaced;
    }
  }

  setRunningCount(cluster: string, service: string, running: number, pending: number): void {
    if (this.options.taskCounting !== 'external') {
      throw new Error("ECS stand-in: setRunningCount needs taskCounting: 'external' (simulated tasks follow desiredCount)");
    }
    if (!isCount(running) || !isCount(pending)) throw new Error('ECS stand-in: task counts must be non-negative integers');
    this.record(cluster, service).taskRunningFrom = tasks(running, 0, pending, Infinity);
  }

  describeServices(input: Record<string, unknown>): unknown {
    const names = input.services;
    if (!Array.isArray(names) || names.length === 0 || names.length > MAX_SERVICES_PER_DESCRIBE || !names.every(isNonEmptyString)) {
      throw new EcsApiError('InvalidParameterException', `services must name 1 to ${MAX_SERVICES_PER_DESCRIBE} services.`);
    }
    const cluster = this.clusterName(input);
    const services = this.cluster(cluster);
    const found: unknown[] = [];
    const failures: unknown[] = [];
    for (const nameOrArn of names) {
      const record = services.get(nameFromArn(nameOrArn));
      if (record) found.push(this.toApiService(record));
      else failures.push({ arn: this.serviceArn(cluster, nameFromArn(nameOrArn)), reason: 'MISSING' });
    }
    return { services: found, failures };
  }

  /** Only desiredCount updates are supported: anything else would be silently ignored, so refuse it. */
  updateService(input: Record<string, unknown>): unknown {
    if (!isNonEmptyString(input.service)) throw new EcsApiError('InvalidParameterException', 'service is required.');
    const { desiredCount } = input;
    if (!isCount(desiredCount)) {
      throw new EcsApiError(
        'InvalidParameterException',
        desiredCount === undefined
          ? 'desiredCount is required: the ECS stand-in only supports desiredCount updates.'
          : `desiredCount must be a non-negative integer, got ${JSON.stringify(desiredCount)}.`,
      );
    }
    const cluster = this.clusterName(input);
    const record = this.cluster(cluster).get(nameFromArn(input.service));
    if (!record) throw new EcsApiError('ServiceNotFoundException', 'Service not found.');
    if (record.status !== 'ACTIVE') throw new EcsApiError('ServiceNotActiveException', 'Service was not ACTIVE.');

    const changed = record.desiredCount !== desiredCount;
    record.desiredCount = desiredCount;
    if (this.options.taskCounting === 'simulated') this.startOrStopTasks(record);
    if (changed) this.options.onDesiredCountChange?.(record.cluster, record.name, desiredCount);
    return { service: this.toApiService(record) };
  }

  /** Like ECS's scheduler, at once: new tasks start PENDING; scale-in stops pending tasks first, then the newest running. */
  private startOrStopTasks(record: ServiceRecord): void {
    const missing = record.desiredCount - record.taskRunningFrom.length;
    if (missing > 0) {
      record.taskRunningFrom.push(...tasks(0, 0, missing, Date.now() + this.options.taskStartupMs));
    } else {
      record.taskRunningFrom.length = record.desiredCount;
    }
  }

  private clusterName(input: Record<string, unknown>): string {
    const { cluster } = input;
    if (cluster === undefined) return 'default';
    if (!isNonEmptyString(cluster)) throw new EcsApiError('InvalidParameterException', 'cluster must be a name or an ARN.');
    return nameFromArn(cluster);
  }

  private cluster(name: string): Map<string, ServiceRecord> {
    const services = this.clusters.get(name);
    if (!services) throw new EcsApiError('ClusterNotFoundException', 'Cluster not found.');
    return services;
  }

  /** For the test controls: an unknown service there is a mistake in the test, not an API error. */
  private record(cluster: string, service: string): ServiceRecord {
    const record = this.clusters.get(cluster)?.get(service);
    if (!record) throw new Error(`ECS stand-in: no service ${cluster}/${service}`);
    return record;
  }

  private newDeployment(taskDefinitionRevision: number, createdAt: number): Deployment {
    this.deploymentsCreated += 1;
    return { id: `ecs-svc/${String(this.deploymentsCreated).padStart(19, '0')}`, taskDefinitionRevision, createdAt };
  }

  private toApiService(record: ServiceRecord): unknown {
    const { running, pending } = countTasks(record);
    const deployment = (
      deployment: Deployment,
      status: 'PRIMARY' | 'ACTIVE',
      counts: { desired: number; running: number; pending: number },
    ) => ({
      id: deployment.id,
      status,
      taskDefinition: this.taskDefinitionArn(record.name, deployment.taskDefinitionRevision),
      desiredCount: counts.desired,
      runningCount: counts.running,
      pendingCount: counts.pending,
      failedTasks: 0,
      launchType: 'FARGATE',
      createdAt: epochSeconds(deployment.createdAt),
      updatedAt: epochSeconds(deployment.createdAt),
      // A rollout's new deployment is PRIMARY and IN_PROGRESS; the one it replaces finished its own rollout.
      rolloutState: status === 'PRIMARY' && record.replaced ? 'IN_PROGRESS' : 'COMPLETED',
    });
    // Every task is counted under PRIMARY, as if the replaced deployment had already drained.
    const deployments = [deployment(record.primary, 'PRIMARY', { desired: record.desiredCount, running, pending })];
    if (record.replaced) deployments.push(deployment(record.replaced, 'ACTIVE', { desired: 0, running: 0, pending: 0 }));
    return {
      serviceArn: this.serviceArn(record.cluster, record.name),
      serviceName: record.name,
      clusterArn: this.arn(`cluster/${record.cluster}`),
      status: record.status,
      ...(record.withholdCounts ? {} : { desiredCount: record.desiredCount, runningCount: running, pendingCount: pending }),
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: this.taskDefinitionArn(record.name, record.primary.taskDefinitionRevision),
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      deployments,
      events: [],
      createdAt: epochSeconds(record.createdAt),
    };
  }

  private serviceArn(cluster: string, service: string): string {
    return this.arn(`service/${cluster}/${service}`);
  }

  private taskDefinitionArn(family: string, revision: number): string {
    return this.arn(`task-definition/${family}:${revision}`);
  }

  private arn(resource: string): string {
    return `arn:aws:ecs:${this.options.region}:${ACCOUNT_ID}:${resource}`;
  }
}

/** `running` tasks RUNNING from `runningFrom`, then `pending` tasks RUNNING from `pendingUntil`. */
function tasks(running: number, runningFrom: number, pending: number, pendingUntil: number): number[] {
  return [...Array<number>(running).fill(runningFrom), ...Array<number>(pending).fill(pendingUntil)];
}

function countTasks(record: ServiceRecord): { running: number; pending: number } {
  const now = Date.now();
  const running = record.taskRunningFrom.filter((runningFrom) => runningFrom <= now).length;
  return { running, pending: record.taskRunningFrom.length - running };
}

/** Clusters and services are named by name or by ARN (`.../cluster/<name>`, `.../service/<cluster>/<name>` or `.../service/<name>`). */
function nameFromArn(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The JSON protocol's timestamps are epoch seconds. */
function epochSeconds(epochMs: number): number {
  return epochMs / 1000;
}
