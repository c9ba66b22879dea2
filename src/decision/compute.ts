/**
 * Pipeline step 1 — compute: the task count the current demand calls for, sized in one step.
 *
 *   required capacity = produce rate / target utilization
 *                     + (backlog − produce rate × targetTimeLagSeconds) / backlogDrainSeconds
 *
 * The backlog is the one expected when new tasks start consuming: today's lag, plus what piles
 * up during task start-up (produce rate minus what the running tasks consume) and during the
 * rebalance pause (everything produced). A backlog of up to targetTimeLagSeconds of production
 * is allowed to stand: it is younger than the target, and carrying it lets the group run on the
 * cheaper side of a capacity step; beyond that it is worked off within backlogDrainSeconds.
 * The count is the fewest tasks whose capacity, partition granularity included, reaches the
 * requirement. Backlog in one hot partition beyond what a single consumer can work off in the
 * drain time is left out: no number of tasks drains it faster.
 *
 * Without a per-task throughput or a produce rate (cold start) nothing shows that the current
 * count is too many, so the count only grows: to lag ÷ lagPerTask when that is more. A backlog
 * soon teaches the throughput (see rates.ts).
 * A group that is STALL, STOP or REWIND keeps its count: tasks do not cure those.
 */

import { groupCapacity, tasksForCapacity } from './capacity.js';
import type { Policy } from './policy.js';
import type { Rates, TaskThroughput } from './rates.js';
import type { Reason } from './reasons.js';
import type { HealthStatus, LagTotals, ServiceCounts } from './types.js';

export interface ComputeInput {
  lag: LagTotals;
  service: ServiceCounts;
  health: HealthStatus;
  rates: Rates;
  throughput: TaskThroughput;
  policy: Policy;
}

export interface Recommendation {
  tasks: number;
  reason: Reason;
  /** Messages per second sized for; null when not sized by throughput. */
  requiredCapacity: number | null;
}

const HOLDING_HEALTH: Partial<Record<HealthStatus, Reason>> = {
  STALL: 'health-stall',
  STOP: 'health-stop',
  REWIND: 'health-rewind',
};

export function computeRecommendation(input: ComputeInput): Recommendation {
  const { lag, service, health, rates, throughput, policy } = input;
  const holding = HOLDING_HEALTH[health];
  if (holding !== undefined) return { tasks: service.desired, reason: holding, requiredCapacity: null };

  if (throughput.value === null || rates.produceRate === null) {
    const tasks = Math.ceil(lag.totalLag / policy.lagPerTask);
    const keep = tasks <= service.desired || withinTolerance(tasks, service.desired, policy.tolerance);
    return { tasks: keep ? service.desired : tasks, reason: 'cold-start', requiredCapacity: null };
  }
  return sizeForDemand(lag, service, rates.produceRate, throughput.value, policy);
}

function sizeForDemand(
  lag: LagTotals,
  service: ServiceCounts,
  produceRate: number,
  taskThroughput: number,
  policy: Policy,
): Recommendation {
  const partitions = lag.partitionCount;
  const runningCapacity = groupCapacity(taskThroughput, service.running, partitions);
  const backlogWhenConsuming = Math.max(
    0,
    lag.totalLag + (produceRate - runningCapacity) * policy.taskStartupSeconds + produceRate * policy.rebalancePauseSeconds,
  );
  const allowedBacklog = produceRate * policy.targetTimeLagSeconds;
  const requiredFor = (backlog: number): number =>
    Math.max(0, produceRate / policy.targetUtilization + (backlog - allowedBacklog) / policy.backlogDrainSeconds);

  const hotPartitionExcess = Math.max(0, lag.maxPartitionLag - taskThroughput * policy.backlogDrainSeconds);
  const requiredCapacity = requiredFor(Math.max(0, backlogWhenConsuming - hotPartitionExcess));
  const tasks = tasksForCapacity(requiredCapacity, taskThroughput, partitions);
  const desiredCapacity = groupCapacity(taskThroughput, service.desired, partitions);

  if (withinTolerance(requiredCapacity, desiredCapacity, policy.tolerance)) {
    return { tasks: service.desired, reason: 'within-tolerance', requiredCapacity };
  }
  const tasksIgnoringSkew = tasksForCapacity(requiredFor(backlogWhenConsuming), taskThroughput, partitions);
  const reason: Reason =
    tasks < tasksIgnoringSkew
      ? 'hot-partition'
      : tasks > service.desired
        ? 'scale-up'
        : tasks < service.desired
          ? 'scale-down'
          : 'within-tolerance';
  return { tasks, reason, requiredCapacity };
}

/** Whether `needed` is within ±tolerance of `current` (relative to current). */
function withinTolerance(needed: number, current: number, tolerance: number): boolean {
  return current > 0 && Math.abs(needed / current - 1) <= tolerance;
}
