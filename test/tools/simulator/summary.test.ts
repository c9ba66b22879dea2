import { describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../../tools/simulator/simulate.js';
import { checkTargets, summarizePolicy } from '../../../tools/simulator/summary.js';

function result(trace: string, costOverFloor: number, sloViolationSeconds: number, scaleActions = 0): SimulationResult {
  return {
    trace,
    autoscaler: 'p',
    durationSeconds: 3600,
    cost: costOverFloor * 1000,
    endBacklog: 0,
    endBacklogTaskSeconds: 0,
    floor: 1000,
    costOverFloor,
    sloViolationSeconds,
    maxTimeLagSeconds: 0,
    scaleActions,
    actionsPerHour: scaleActions,
    ticks: [],
  };
}

describe('benchmark summary', () => {
  const unavoidable = [result('a', 9, 100), result('b', 9, 0)];

  it('takes the geometric mean of cost/floor, and counts violations beyond the unavoidable ones', () => {
    const summary = summarizePolicy('p', [result('a', 1, 150, 4), result('b', 4, 20, 8)], unavoidable);
    expect(summary.geomeanCostOverFloor).toBeCloseTo(2);
    expect(summary.violationSeconds).toBe(170);
    expect(summary.violationSecondsBeyondUnavoidable).toBe(70);
    expect(summary.actionsPerHour).toBe(6);
  });

  it('does not credit a run for violating less than the unavoidable amount', () => {
    expect(summarizePolicy('p', [result('a', 1, 50), result('b', 1, 0)], unavoidable).violationSecondsBeyondUnavoidable).toBe(0);
  });

  it('passes our policy only if it is cheaper than each baseline on every trace with no more violations', () => {
    const ours = [result('a', 1.2, 0), result('b', 1.5, 10)];
    const summary = summarizePolicy('ours', ours, unavoidable);
    const cheaperAndBetter = [[result('a', 2, 0), result('b', 2, 10)]];
    expect(checkTargets(summary, ours, cheaperAndBetter).every((c) => c.pass)).toBe(true);

    const fewerViolationsOnB = [[result('a', 2, 0), result('b', 2, 5)]];
    const verdict = checkTargets(summary, ours, fewerViolationsOnB).at(-1)!;
    expect(verdict.pass).toBe(false);
    expect(verdict.detail).toContain('b vs p');
  });
});
