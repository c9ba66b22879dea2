/**
 * Pipeline step 3 — rate-limit: the count moves by at most maxScaleUpStep up or maxScaleDownStep
 * down per period, bounding the damage a bad reading can do. The step is measured from `base`,
 * the count at the period's start, so a second decision in the same period cannot add a second
 * step.
 *
 * A limit only ever shortens a move in the decision's own direction. Something else may have
 * changed the count since the period began (an operator, an acting CLI run, the fallback): the
 * count is then never moved past where it is now the other way, and when it is already outside
 * what the limit allows from the base, it is held until the next period.
 */
import type { Policy } from './policy.js';
import type { StepResult } from './step.js';

export interface StepAnchor {
  /** The count at the period's start (DecisionInput.stepBase, else the count now). */
  base: number;
  /** The service's desired count now. */
  current: number;
}

export function limitRate(tasks: number, { base, current }: StepAnchor, policy: Policy): StepResult {
  const highest = base + policy.maxScaleUpStep;
  const lowest = base - policy.maxScaleDownStep;
  // Already outside what this period allows: any move would be a second step.
  const limited = current > highest || current < lowest ? current : Math.min(highest, Math.max(lowest, tasks));
  return { tasks: limited, reason: limited === tasks ? null : 'step-limited' };
}
