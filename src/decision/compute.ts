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
 * With an objective (maxTimeLagSeconds = T), the capacity is also at least what consumes that
 * backlog B before its oldest message, A seconds old by then (time lag + start-up + rebalance),
 * reaches T: B / (T − A). When no count within the partitions can, the reason says so.
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
import type { LagTotals, ServiceCounts } from './types.js';

export interface ComputeInput {
  lag: LagTotals;
  service: ServiceCounts;
  /** A health status more tasks would not cure (health.ts holdFor): the count is kept. */
  hold: Reason | null;
  rates: Rates;
  throughput: TaskThroughput;
  /** Age of the oldest unconsumed message now (seconds), when known. */
  timeLagSeconds: number | null;
  policy: Policy;
}

export interface Recommendation {
  tasks: number;
  reason: Reason;
  /** Messages per second sized for; null when not sized by throughput. */
  requiredCapacity: number | null;
}

export function computeRecommendation(input: ComputeInput): Recommendation {
  const { lag, service, hold, rates, throughput, policy } = input;
  if (hold !== null) return { tasks: service.desired, reason: hold, requiredCapacity: null };
  if (throughput.value === null || rates.produceRate === null) return coldStart(lag, service, rates.produceRate, policy);
  return sizeForDemand(lag, service, rates.produceRate, throughput.value, input.timeLagSeconds, policy);
}

/**
 * Without a produce rate or a per-task throughput, the count follows the lag alone, as KEDA's
 * lagThreshold does: lag ÷ lagPerTask, never more consumers than partitions with lag (another on
 * the same partition gets none of it), and never lower than now, since what the tasks consume is
 * unknown. Except a group caught up with nothing produced: it needs no task beyond the floor,
 * whatever its throughput (the stabilization window, minTasks and scaleToZero then say how low).
 */
function coldStart(lag: LagTotals, service: ServiceCounts, produceRate: number | null, policy: Policy): Recommendation {
  if (lag.totalLag === 0 && produceRate === 0) return { tasks: 0, reason: 'cold-start', requiredCapacity: null };
  const tasks = Math.min(Math.ceil(lag.totalLag / policy.lagPerTask), lag.partitionsWithLag);
  const keep = tasks <= service.desired || withinTolerance(tasks, service.desired, policy.tolerance);
  return { tasks: keep ? service.desired : tasks, reason: 'cold-start', requiredCapacity: null };
}

/** What a count promises: see DecisionFigures.drainSeconds and expectedTimeLagSeconds. */
export interface Outlook {
  drainSeconds: number | null;
  expectedTimeLagSeconds: number | null;
}

/**
 * The outlook at `tasks`. The backlog when they consume is today's lag plus what piles up while new
 * tasks start and the group rebalances (none when the count stays). Its oldest message is then A
 * seconds old; with FIFO per partition every message of it is consumed within A + B / capacity, and
 * it is gone, new production included, after B / (capacity − produce rate).
 */
export function outlookAt(tasks: number, { lag, service, produceRate, taskThroughput, timeLagSeconds, policy }: OutlookInput): Outlook {
  const partitions = lag.partitionCount;
  const capacity = groupCapacity(taskThroughput, tasks, partitions);
  const startup = tasks > service.running ? policy.taskStartupSeconds : 0;
  const pause = tasks !== service.desired ? policy.rebalancePauseSeconds : 0;
  const runningCapacity = groupCapacity(taskThroughput, service.running, partitions);
  const backlog = Math.max(0, lag.totalLag + (produceRate - runningCapacity) * startup + produceRate * pause);
  const age = (timeLagSeconds ?? 0) + startup + pause;
  if (backlog === 0) return { drainSeconds: 0, expectedTimeLagSeconds: timeLagSeconds ?? 0 };
  if (capacity <= produceRate) return { drainSeconds: null, expectedTimeLagSeconds: null };
  return { drainSeconds: backlog / (capacity - produceRate), expectedTimeLagSeconds: age + backlog / capacity };
}

export interface OutlookInput {
  lag: LagTotals;
  service: ServiceCounts;
  produceRate: number;
  taskThroughput: number;
  timeLagSeconds: number | null;
  policy: Policy;
}

function sizeForDemand(
  lag: LagTotals,
  service: ServiceCounts,
  produceRate: number,
  taskThroughput: number,
  timeLagSeconds: number | null,
  policy: Policy,
): Recommendation {
  const partitions = lag.partitionCount;
  const runningCapacity = groupCapacity(taskThroughput, service.running, partitions);
  const desiredCapacity = groupCapacity(taskThroughput, service.desired, partitions);
  const requirementFor = (backlog: number, waitSeconds: number) =>
    requirement({ lag, backlog, waitSeconds, produceRate, taskThroughput, timeLagSeconds, policy });
  // Fewer tasks, or as many, change at once: the backlog is today's plus the rebalance pause (and,
  // while requested tasks are still starting, what piles up until they consume). Only when that asks
  // for more than the current count do new tasks start, and the backlog they meet is what piles up
  // while they start (the running tasks consuming meanwhile).
  const pause = produceRate * policy.rebalancePauseSeconds;
  const starting = service.running < service.desired ? policy.taskStartupSeconds : 0;
  const keep = requirementFor(
    lag.totalLag + pause + Math.max(0, produceRate - runningCapacity) * starting,
    policy.rebalancePauseSeconds + starting,
  );
  const grow = requirementFor(
    Math.max(0, lag.totalLag + (produceRate - runningCapacity) * policy.taskStartupSeconds + pause),
    policy.taskStartupSeconds + policy.rebalancePauseSeconds,
  );
  const needed = keep.capacity <= desiredCapacity ? keep : { ...grow, capacity: Math.max(grow.capacity, desiredCapacity) };
  const requiredCapacity = needed.capacity;
  const tasks = tasksForCapacity(requiredCapacity, taskThroughput, partitions);

  if (withinTolerance(requiredCapacity, desiredCapacity, policy.tolerance)) {
    return { tasks: service.desired, reason: 'within-tolerance', requiredCapacity };
  }
  const reason: Reason = needed.unreachable
    ? 'objective-unreachable'
    : tasks < tasksForCapacity(needed.capacityIgnoringSkew, taskThroughput, partitions)
      ? 'hot-partition'
      : tasks > service.desired
        ? 'scale-up'
        : tasks < service.desired
          ? 'scale-down'
          : 'within-tolerance';
  return { tasks, reason, requiredCapacity };
}

interface RequirementInput {
  lag: LagTotals;
  /** The backlog when the count takes effect. */
  backlog: number;
  /** Seconds until it does (start-up and rebalance): the oldest message ages meanwhile. */
  waitSeconds: number;
  produceRate: number;
  taskThroughput: number;
  timeLagSeconds: number | null;
  policy: Policy;
}

/**
 * The capacity a backlog calls for: the produce rate with headroom plus the backlog beyond the
 * standing allowance over the drain time — leaving out a hot partition's excess, which no count
 * drains faster — and, with an objective, enough to consume it before its oldest message reaches it.
 */
function requirement({ lag, backlog, waitSeconds, produceRate, taskThroughput, timeLagSeconds, policy }: RequirementInput) {
  const allowedBacklog = produceRate * policy.targetTimeLagSeconds;
  const drainFor = (b: number): number =>
    Math.max(0, produceRate / policy.targetUtilization + (b - allowedBacklog) / policy.backlogDrainSeconds);
  const hotPartitionExcess = Math.max(0, lag.maxPartitionLag - taskThroughput * policy.backlogDrainSeconds);
  // The hottest partition then: its share of the group's backlog.
  const hottest = lag.totalLag > 0 ? (lag.maxPartitionLag * backlog) / lag.totalLag : 0;
  const objective = objectiveCapacity(
    { backlog, hottest, waitSeconds, partitions: lag.partitionCount },
    timeLagSeconds,
    taskThroughput,
    policy,
  );
  return {
    capacity: Math.max(drainFor(Math.max(0, backlog - hotPartitionExcess)), objective.capacity),
    capacityIgnoringSkew: Math.max(drainFor(backlog), objective.capacity),
    unreachable: objective.unreachable,
  };
}

/**
 * The capacity the objective asks for: the backlog consumed before its oldest message, A seconds
 * old when the count takes effect (time lag + the wait), reaches maxTimeLagSeconds: B / (T − A) for
 * the group, and for its hottest partition too, which one consumer drains at its share, throughput
 * ÷ partitions per consumer: after a stall or a skewed burst, more tasks drain it faster only by
 * leaving each consumer fewer partitions. Capped at what every partition consumed at once gives,
 * and then unreachable.
 */
function objectiveCapacity(
  { backlog, hottest, waitSeconds, partitions }: { backlog: number; hottest: number; waitSeconds: number; partitions: number },
  timeLagSeconds: number | null,
  taskThroughput: number,
  policy: Policy,
): { capacity: number; unreachable: boolean } {
  if (policy.maxTimeLagSeconds <= 0 || backlog <= 0) return { capacity: 0, unreachable: false };
  const fullCapacity = taskThroughput * partitions;
  const window = policy.maxTimeLagSeconds - ((timeLagSeconds ?? 0) + waitSeconds);
  if (window <= 0) return { capacity: fullCapacity, unreachable: true };
  // The hottest partition's consumer gives it throughput ÷ (partitions per consumer): the group needs P times its pace.
  const needed = Math.max(backlog, hottest * partitions) / window;
  return needed <= fullCapacity ? { capacity: needed, unreachable: false } : { capacity: fullCapacity, unreachable: true };
}

/** Whether `needed` is within ±tolerance of `current` (relative to current). */
function withinTolerance(needed: number, current: number, tolerance: number): boolean {
  return current > 0 && Math.abs(needed / current - 1) <= tolerance;
}
