/**
 * Pipeline step 3 — rate-limit: one decision moves the count by at most maxScaleUpStep up or
 * maxScaleDownStep down, bounding the damage a bad reading can do in one period.
 */
import type { Policy } from './policy.js';
import type { StepResult } from './step.js';

export function limitRate(tasks: number, current: number, policy: Policy): StepResult {
  const limited = Math.min(current + policy.maxScaleUpStep, Math.max(current - policy.maxScaleDownStep, tasks));
  return { tasks: limited, reason: limited === tasks ? null : 'step-limited' };
}
