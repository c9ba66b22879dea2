/**
 * Our controller in the simulator is the shipped control loop (src/control), read on the
 * simulator's clock: the same cadence rules, and nothing of its own.
 */
import { describe, expect, it } from 'vitest';
import { createControlLoop } from '../../../src/index.js';
import { DEFAULT_SERVICE_MODEL } from '../../../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../../../tools/simulator/decide-autoscaler.js';
import { simulate } from '../../../tools/simulator/simulate.js';
import { parseTrace } from '../../../tools/simulator/trace.js';
import type { Observation } from '../../../tools/simulator/types.js';
import { lagTotals, T0 } from '../../unit/decision/scenario.js';

describe('our controller as a simulator autoscaler', () => {
  it("is called every slot of the loop's cadence, under the project's name", () => {
    expect(createDecideAutoscaler()).toMatchObject({ name: 'kafka-lag-scaler', periodSeconds: createControlLoop().slotSeconds });
    expect(createDecideAutoscaler({}, { tickSeconds: 60, surgeTickSeconds: 0, confirmSeconds: 0 }).periodSeconds).toBe(60);
  });

  it('decides on the surge slots only after a decision that raised the count, and gives no reason between decisions', () => {
    const autoscaler = createDecideAutoscaler({ taskThroughput: 100 }, { tickSeconds: 60, surgeTickSeconds: 10, confirmSeconds: 0 });
    const at = (seconds: number, rate: number, lag: number, desiredTasks = 8): Observation => ({
      now: T0 + seconds * 1000,
      lag: lagTotals(1_000_000 + rate * seconds, lag),
      desiredTasks,
      runningTasks: desiredTasks,
    });
    autoscaler.tick(at(0, 800, 0));
    expect(autoscaler.tick(at(10, 800, 0))).toBe(8);
    expect(autoscaler.lastReason?.()).toBeUndefined();
    expect(autoscaler.tick(at(60, 3000, 30_000))).toBeGreaterThan(8);
    autoscaler.tick(at(70, 3000, 30_000, 40));
    expect(autoscaler.lastReason?.()).toBeDefined();
  });

  it('watches a stuck partition every surge tick, so its release is answered within one', () => {
    // 1,000 msg/s on 48 partitions; partitions 0 and 1 stand still from 10 min to 30 min.
    const trace = parseTrace('t_seconds,rate\n0,1000\n3600,1000\n', 'steady');
    const model = { ...DEFAULT_SERVICE_MODEL, stalledPartitions: 2, stallFromSeconds: 600, stallUntilSeconds: 1800 };
    const policy = { maxTimeLagSeconds: 180, taskThroughput: 100, taskStartupSeconds: 60, rebalancePauseSeconds: 10 };
    const released = (surgeTickSeconds: number) =>
      simulate(trace, createDecideAutoscaler(policy, { tickSeconds: 60, surgeTickSeconds, confirmSeconds: 0 }), { model }).ticks.find(
        (t) => t.tSeconds >= 1800 && t.to > t.from,
      )?.tSeconds;
    // At one tick a minute the release waits for the minute (1,800 is a tick that still sees it stuck).
    expect(released(0)).toBe(1860);
    expect(released(10)).toBe(1810);
  });
});
