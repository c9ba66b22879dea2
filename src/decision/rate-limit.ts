/**
 * Pipeline step 3 — rate-limit: the count moves by at most maxScaleUpStep up or maxScaleDownStep
 * down from `base`, bounding the damage a bad reading can do in one period. `base` is the count at
 * the period's start, so a second decision in the same period cannot add a second step.
 */
import type { Policy } from './policy.js';
import type { StepResult } from './step.js';

export function limitRate(tasks: number, base: number, policy: Policy): StepResult {
  const limited = Math.min(base + policy.maxScaleUpStep, Math.max(base - policy.maxScaleDownStep, tasks));
  return { tasks: limited, reason: limited === tasks ? null : 'step-limited' };
}
