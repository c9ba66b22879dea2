/**
 * Pipeline step 4 — clamp: the count respects minTasks and maxTasks, never exceeds the partition
 * count (a consumer without a partition is paid for and idle) unless idle consumers are allowed,
 * and reaches zero only when scale-to-zero is opted into:
 *
 * - at zero, the group stays at zero until the lag exceeds activationLagThreshold (as KEDA does),
 *   then starts with at least minTasks;
 * - it goes to zero only when the recommendation is zero, nothing is being produced and the lag
 *   is within the activation threshold.
 */

import type { Policy } from './policy.js';
import type { StepResult } from './step.js';
import type { LagTotals } from './types.js';

export interface ClampInput {
  tasks: number;
  current: number;
  lag: LagTotals;
  produceRate: number | null;
  policy: Policy;
}

export function clamp({ tasks, current, lag, produceRate, policy }: ClampInput): StepResult {
  const partitionCapped = !policy.allowIdleConsumers && lag.partitionCount < policy.maxTasks;
  const upper = partitionCapped ? lag.partitionCount : policy.maxTasks;
  const lower = Math.min(policy.minTasks, upper);

  if (policy.scaleToZero) {
    const activated = lag.totalLag > policy.activationLagThreshold;
    if (current === 0 && !activated) return { tasks: 0, reason: 'idle-at-zero' };
    if (current === 0) return { tasks: Math.min(upper, Math.max(lower, tasks)), reason: 'activation' };
    if (tasks === 0 && !activated && produceRate === 0) return { tasks: 0, reason: 'scale-to-zero' };
  }
  if (tasks > upper) return { tasks: upper, reason: partitionCapped ? 'partition-cap' : 'at-max-tasks' };
  if (tasks < lower) return { tasks: lower, reason: 'at-min-tasks' };
  return { tasks, reason: null };
}
