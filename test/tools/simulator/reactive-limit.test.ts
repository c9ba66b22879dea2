import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODEL } from '../../../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../../../tools/simulator/decide-autoscaler.js';
import { reactiveLimitAutoscaler } from '../../../tools/simulator/reactive-limit.js';
import { simulate } from '../../../tools/simulator/simulate.js';
import { traceOf } from './observations.js';

const surge = traceOf([
  [0, 300],
  [600, 300],
  [601, 4000],
  [1800, 4000],
]);

describe('the reactive limit: every task, the second the group falls behind', () => {
  const result = simulate(surge, reactiveLimitAutoscaler(DEFAULT_SERVICE_MODEL), {});

  it('asks for every task once, within a second of the surge, and never comes down', () => {
    expect(result.scaleActions).toBe(1);
    expect(result.ticks).toEqual([{ tSeconds: 601, from: 3, to: 48 }]);
  });

  it('stays calm while the running tasks keep up', () => {
    const calm = simulate(
      traceOf([
        [0, 300],
        [3600, 300],
      ]),
      reactiveLimitAutoscaler(DEFAULT_SERVICE_MODEL),
      {},
    );
    expect(calm.scaleActions).toBe(0);
  });

  it('is a limit: no controller that only reacts does better on the SLO', () => {
    const ours = simulate(surge, createDecideAutoscaler({ taskThroughput: 100, maxTimeLagSeconds: 180 }, { tickSeconds: 10 }), {});
    expect(result.maxTimeLagSeconds).toBeLessThanOrEqual(ours.maxTimeLagSeconds);
    // Start-up (60 s) and one rebalance (10 s) are physical: the surge's first messages wait about that long.
    expect(result.maxTimeLagSeconds).toBeGreaterThan(60);
    expect(result.maxTimeLagSeconds).toBeLessThan(90);
  });

  it('reacts to a backlog that grows although the produce rate is within capacity (a stall)', () => {
    const model = { ...DEFAULT_SERVICE_MODEL, stalledPartitions: 1, stallFromSeconds: 100 };
    const stalled = simulate(
      traceOf([
        [0, 300],
        [600, 300],
      ]),
      reactiveLimitAutoscaler(model),
      { model },
    );
    // One partition of 48 gains 6.25 messages a second: past the rounding allowance (48) within 8 s.
    expect(stalled.ticks[0]).toMatchObject({ tSeconds: 108, to: 48 });
  });
});
