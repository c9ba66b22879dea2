/**
 * Benchmark arithmetic: one policy's runs over every trace, summarised, and the targets our
 * policy must meet. Kept apart from the printing in bench/control.ts so it can be tested.
 */
import type { SimulationResult } from './simulate.js';

export interface PolicySummary {
  policy: string;
  traces: number;
  geomeanCostOverFloor: number;
  violationSeconds: number;
  /** Σ over traces of max(0, violation − the trace's unavoidable violation). */
  violationSecondsBeyondUnavoidable: number;
  actionsPerHour: number;
}

/** `runs` and `unavoidable` are aligned by trace. */
export function summarizePolicy(
  policy: string,
  runs: readonly SimulationResult[],
  unavoidable: readonly SimulationResult[],
): PolicySummary {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    policy,
    traces: runs.length,
    geomeanCostOverFloor: Math.exp(sum(runs.map((r) => Math.log(r.costOverFloor))) / runs.length),
    violationSeconds: sum(runs.map((r) => r.sloViolationSeconds)),
    violationSecondsBeyondUnavoidable: sum(
      runs.map((r, i) => Math.max(0, r.sloViolationSeconds - (unavoidable[i]?.sloViolationSeconds ?? 0))),
    ),
    actionsPerHour: sum(runs.map((r) => r.scaleActions)) / (sum(runs.map((r) => r.durationSeconds)) / 3600),
  };
}

export const TARGETS = {
  maxGeomeanCostOverFloor: 1.6,
  maxViolationSecondsBeyondUnavoidable: 600,
  maxActionsPerHour: 8,
};

export interface TargetCheck {
  target: string;
  pass: boolean;
  detail: string;
}

/**
 * Our policy against the targets. `ours` and each entry of `baselines` are aligned by trace:
 * on every trace ours must be cheaper than every baseline with no more violation seconds.
 */
export function checkTargets(
  ours: PolicySummary,
  oursRuns: readonly SimulationResult[],
  baselineRuns: readonly (readonly SimulationResult[])[],
): TargetCheck[] {
  const losses = oursRuns.flatMap((run, i) =>
    baselineRuns
      .map((runs) => runs[i])
      .filter((b): b is SimulationResult => b !== undefined)
      .filter((b) => !(run.cost < b.cost && run.sloViolationSeconds <= b.sloViolationSeconds))
      .map((b) => `${run.trace} vs ${b.autoscaler}`),
  );
  return [
    {
      target: `geomean cost/floor ≤ ${TARGETS.maxGeomeanCostOverFloor}`,
      pass: ours.geomeanCostOverFloor <= TARGETS.maxGeomeanCostOverFloor,
      detail: ours.geomeanCostOverFloor.toFixed(3),
    },
    {
      target: `violation beyond unavoidable ≤ ${TARGETS.maxViolationSecondsBeyondUnavoidable} s`,
      pass: ours.violationSecondsBeyondUnavoidable <= TARGETS.maxViolationSecondsBeyondUnavoidable,
      detail: `${ours.violationSecondsBeyondUnavoidable} s`,
    },
    {
      target: `actions/hour ≤ ${TARGETS.maxActionsPerHour}`,
      pass: ours.actionsPerHour <= TARGETS.maxActionsPerHour,
      detail: ours.actionsPerHour.toFixed(2),
    },
    {
      target: 'cheaper than every tuned baseline on every trace, at equal or fewer violation seconds',
      pass: losses.length === 0,
      detail: losses.length === 0 ? 'all traces' : `not on: ${losses.join('; ')}`,
    },
  ];
}
