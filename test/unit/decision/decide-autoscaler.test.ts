import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODEL } from '../../../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../../../tools/simulator/decide-autoscaler.js';
import { simulate } from '../../../tools/simulator/simulate.js';
import { parseTrace } from '../../../tools/simulator/trace.js';
import type { Observation } from '../../../tools/simulator/types.js';
import { lagTotals, T0 } from './scenario.js';

/** A group of 48 partitions falling behind: 2,000 msg/s produced, 8 tasks consuming 800 of them. */
function observation(minute: number): Observation {
  const produced = 1_000_000 + 2000 * 60 * minute;
  return {
    now: T0 + minute * 60_000,
    lag: lagTotals(produced, (2000 - 800) * 60 * minute),
    desiredTasks: 8,
    runningTasks: 8,
  };
}

describe('decide as a simulator autoscaler', () => {
  it('runs every 60 s under the project’s name', () => {
    const autoscaler = createDecideAutoscaler();
    expect(autoscaler).toMatchObject({ name: 'kafka-lag-scaler', periodSeconds: 60 });
  });

  it('keeps the history itself, so it learns throughput and sizes in one step', () => {
    const autoscaler = createDecideAutoscaler();
    // First ticks: no rate or throughput yet; lag ÷ lagPerTask only grows the count.
    expect(autoscaler.tick(observation(0))).toBe(8);
    autoscaler.tick(observation(1));
    // By the third tick two backlogged minutes with 8 tasks show 100 msg/s per task; 2,000 msg/s
    // at 95 % plus the backlog beyond one minute of production, drained over ten, need 2,298
    // msg/s: 24 tasks (2,400), skipping the 17..23 that would add nothing over 16.
    expect(autoscaler.tick(observation(2))).toBe(24);
  });

  it('passes the operator’s policy overrides on', () => {
    const capped = createDecideAutoscaler({ taskThroughput: 100, maxTasks: 20 });
    capped.tick(observation(0));
    expect(capped.tick(observation(1))).toBe(20);
  });

  it('decides on the surge slots only after a decision that raised the count, as a scheduled invocation does', () => {
    const autoscaler = createDecideAutoscaler({ taskThroughput: 100 }, { tickSeconds: 60, surgeTickSeconds: 10 });
    expect(autoscaler.periodSeconds).toBe(10);
    const at = (seconds: number, desiredTasks = 8): Observation => ({
      ...observation(seconds / 60),
      now: T0 + seconds * 1000,
      desiredTasks,
    });
    autoscaler.tick(at(0));
    // Between the minutes, a calm controller does not decide: the count stays and no reason is given.
    expect(autoscaler.tick(at(10))).toBe(8);
    expect(autoscaler.lastReason?.()).toBeUndefined();
    // The minute's tick raises the count: the next slot is a decision again.
    expect(autoscaler.tick(at(60))).toBeGreaterThan(8);
    autoscaler.tick(at(70, 24));
    expect(autoscaler.lastReason?.()).toBeDefined();
  });

  it('watches a stuck partition every surge tick, so its release is answered within one', () => {
    // 1,000 msg/s on 48 partitions; partitions 0 and 1 stand still from 10 min to 30 min.
    const trace = parseTrace('t_seconds,rate\n0,1000\n3600,1000\n', 'steady');
    const model = { ...DEFAULT_SERVICE_MODEL, stalledPartitions: 2, stallFromSeconds: 600, stallUntilSeconds: 1800 };
    const policy = { maxTimeLagSeconds: 180, taskThroughput: 100, taskStartupSeconds: 60, rebalancePauseSeconds: 10 };
    const released = (surgeTickSeconds: number) =>
      simulate(trace, createDecideAutoscaler(policy, { tickSeconds: 60, surgeTickSeconds }), { model }).ticks.find(
        (t) => t.tSeconds >= 1800 && t.to > t.from,
      )!.tSeconds;
    // At one tick a minute the release waits for the minute (1,800 is a tick that still sees it stuck).
    expect(released(0)).toBe(1860);
    expect(released(10)).toBe(1810);
  });
});
