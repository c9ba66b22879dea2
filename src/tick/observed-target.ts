/**
 * What one read shows of a target, and whether it can be decided on: the lag and the service, each
 * read whole, or a hold that says why not. Nothing scales on missing, partial or foreign data.
 */
import type { Target } from '../config/targets.js';
import type { GroupLag } from '../lag/types.js';
import { listedPartitions } from '../report/listed-partitions.js';
import { CONTROLLER_REASONS, type ControllerReason, type TargetDecision, type TargetError } from '../report/outcome.js';
import type { Settled } from '../util/settle.js';

/** What the controller needs to know of an ECS service. */
export interface ObservedService {
  /** MISSING: ECS does not know the service (DescribeServices listed it under failures). */
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE' | 'MISSING';
  desired: number;
  running: number;
  /** A deployment is replacing the service's tasks. */
  rollingOut: boolean;
}

export type Observed =
  | { ok: true; lag: GroupLag; service: ObservedService; base: TargetDecision }
  | { ok: false; held: TargetDecision; error: TargetError };

/** The read, whole and of an active service, or the hold it calls for (and the failure to report). */
export function checkObserved(target: Target, lag: GroupLag, serviceRead: Settled<ObservedService>, dryRun: boolean): Observed {
  const base = baseDecision(target, lag, dryRun);
  const hold = (reason: ControllerReason, step: TargetError['step'], detail?: string, on: TargetDecision = base): Observed => ({
    ok: false,
    held: { ...on, reason, explanation: detail ? `${CONTROLLER_REASONS[reason]} (${detail})` : CONTROLLER_REASONS[reason] },
    error: { target: target.name, step, message: detail ?? CONTROLLER_REASONS[reason] },
  });
  if (lag.status === 'failed' && lag.error?.kind === 'deadline') return hold('deadline', 'deadline', lag.error.message);
  if (lag.status === 'failed') return hold('lag-read-failed', 'lag', lag.error?.message);
  if (lag.incomplete) return hold('lag-read-incomplete', 'lag', describeIncomplete(lag));
  if (lag.status === 'no-offsets' && !target.allowNoCommits) return hold('group-has-no-offsets', 'lag', describeNoOffsets(lag));
  if (!serviceRead.ok) {
    const reason = serviceRead.kind === 'incomplete' ? 'service-read-incomplete' : 'service-read-failed';
    return hold(reason, 'describe-service', serviceRead.message);
  }
  const service = serviceRead.value;
  if (service.status === 'MISSING') return hold('service-missing', 'describe-service', `${target.cluster}/${target.service}`);
  const observed = { ...base, current: service.desired, running: service.running, desired: service.desired };
  if (service.status !== 'ACTIVE') return hold('service-not-active', 'describe-service', `status ${service.status}`, observed);
  return { ok: true, lag, service, base: observed };
}

function baseDecision(target: Target, lag: GroupLag, dryRun: boolean): TargetDecision {
  return {
    target: target.name,
    group: target.group,
    cluster: target.cluster,
    service: target.service,
    lag:
      lag.status !== 'failed'
        ? {
            total: lag.totalLag,
            max: lag.maxPartitionLag,
            status: lag.status,
            ...listedPartitions(lag.partitions),
            warnings: lag.warnings,
            ...(lag.description ? { group: lag.description } : {}),
          }
        : null,
    current: null,
    running: null,
    desired: null,
    changed: false,
    inControl: false,
    dryRun,
    reason: '',
    explanation: '',
    ...(target.policy.maxTimeLagSeconds > 0 ? { objectiveSeconds: target.policy.maxTimeLagSeconds } : {}),
  };
}

function describeIncomplete(lag: GroupLag): string {
  if (lag.status === 'unknown-topic') return `missing topics: ${lag.missingTopics.join(', ')}`;
  if (lag.status === 'no-offsets') return 'the group has no committed offsets and no topics are configured';
  return lag.error?.message ?? lag.status;
}

/** What Kafka says of a group without commits, where it says anything (DescribeGroups). */
function describeNoOffsets(lag: GroupLag): string {
  const state = lag.description?.state;
  if (state === 'Dead') return `group ${lag.group} does not exist: misspelt?`;
  if (state === 'Empty') return `group ${lag.group} exists with no members and no committed offsets: expired, or never committed`;
  if (state) return `group ${lag.group} is ${state} with ${lag.description?.members} members but has no committed offsets yet`;
  return `group ${lag.group}: no committed offset on any of its ${lag.partitionCount} partitions`;
}
