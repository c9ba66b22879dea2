import { describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../../tools/simulator/simulate.js';
import { checkCeilingTargets, checkObjectiveTargets, checkTargets, summarizePolicy } from '../../../tools/simulator/summary.js';

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
  const reactive = [result('a', 9, 130), result('b', 9, 5)];
  const references = { unavoidable, reactive };

  it('takes the geometric mean of cost/floor, and counts violations beyond the unavoidable ones and the reactive limit', () => {
    const summary = summarizePolicy('p', [result('a', 1, 150, 4), result('b', 4, 20, 8)], references);
    expect(summary.geomeanCostOverFloor).toBeCloseTo(2);
    expect(summary.violationSeconds).toBe(170);
    expect(summary.violationSecondsBeyondUnavoidable).toBe(70);
    expect(summary.violationSecondsBeyondReactive).toBe(20 + 15);
    expect(summary.actionsPerHour).toBe(6);
  });

  it('does not credit a run for violating less than the unavoidable amount', () => {
    expect(summarizePolicy('p', [result('a', 1, 50), result('b', 1, 0)], references).violationSecondsBeyondUnavoidable).toBe(0);
  });

  it('passes our policy only if it is cheaper than each baseline on every trace with no more violations', () => {
    const ours = [result('a', 1.2, 0), result('b', 1.5, 10)];
    const summary = summarizePolicy('ours', ours, references);
    const cheaperAndBetter = [[result('a', 2, 0), result('b', 2, 10)]];
    expect(checkTargets(summary, ours, cheaperAndBetter).every((c) => c.pass)).toBe(true);

    const fewerViolationsOnB = [[result('a', 2, 0), result('b', 2, 5)]];
    const verdict = checkTargets(summary, ours, fewerViolationsOnB).at(-1)!;
    expect(verdict.pass).toBe(false);
    expect(verdict.detail).toContain('b vs p');
  });
});

describe('issue 12’s targets', () => {
  const references = { unavoidable: [result('a', 9, 0)], reactive: [result('a', 9, 100)] };

  it('hold our policy to 150 s beyond the reactive limit, cost/floor 1.30 and 4 actions an hour', () => {
    const within = summarizePolicy('ours', [result('a', 1.3, 250, 4)], references);
    expect(checkObjectiveTargets(within, 'ours at 60 s').map((c) => c.pass)).toEqual([true, true, true]);
    const beyond = summarizePolicy('ours', [result('a', 1.31, 251, 5)], references);
    expect(checkObjectiveTargets(beyond, 'ours at 60 s').map((c) => c.pass)).toEqual([false, false, false]);
  });

  it('allow 300 s and 1.40 with the throughput learned', () => {
    expect(
      checkObjectiveTargets(summarizePolicy('l', [result('a', 1.4, 400)], references), 'learned', 'learned').every((c) => c.pass),
    ).toBe(true);
    expect(
      checkObjectiveTargets(summarizePolicy('l', [result('a', 1.41, 401)], references), 'learned', 'learned').some((c) => c.pass),
    ).toBe(false);
  });

  it('in a ceiling scenario, want the mean count within 1.3 × the fewest tasks reaching the ceiling, and the reason said', () => {
    const ceiling = (meanTasks: number, reasons: Record<string, number>) => ({
      ...result('db', 1, 0),
      ceilingWindow: { ceilingRate: 1500, fewestTasksReaching: 16, meanTasks, reasons },
    });
    expect(checkCeilingTargets([ceiling(20.8, { 'scaling-ineffective': 50, 'scale-up': 2 })], 'ours').map((c) => c.pass)).toEqual([
      true,
      true,
    ]);
    const [count, reason] = checkCeilingTargets([ceiling(24, { 'objective-unreachable': 52 })], 'ours');
    expect([count!.pass, reason!.pass]).toEqual([false, false]);
    expect(reason!.detail).toBe('0 of 52 ticks; reasons objective-unreachable 52');
    expect(checkCeilingTargets([result('a', 1, 0)], 'ours')).toEqual([]); // no ceiling, nothing to check
  });
});
