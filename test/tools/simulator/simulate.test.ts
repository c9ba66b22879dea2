import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODEL } from '../../../tools/simulator/consumer-service.js';
import { fixedAutoscaler } from '../../../tools/simulator/fixed-autoscaler.js';
import { SIMULATION_EPOCH_MS, simulate } from '../../../tools/simulator/simulate.js';
import type { Autoscaler, Observation } from '../../../tools/simulator/types.js';
import { traceOf } from './observations.js';

const constant = (rate: number, seconds: number) =>
  traceOf([
    [0, rate],
    [seconds, rate],
  ]);

describe('cost and floor', () => {
  it('costs task-seconds of running tasks; the floor is rate/100 tasks, at least one', () => {
    const result = simulate(constant(600, 600), fixedAutoscaler(6), { initialTasks: 6 });
    expect(result.cost).toBe(6 * 600);
    expect(result.floor).toBeCloseTo(6 * 600);
    expect(result.costOverFloor).toBeCloseTo(1);

    const quiet = simulate(constant(30, 600), fixedAutoscaler(1), { initialTasks: 1 });
    expect(quiet.floor).toBeCloseTo(600); // min 1 task, not 0.3
  });

  it('charges the backlog left at the end as the task-seconds it takes to consume', () => {
    // 5 tasks over 48 partitions: the busiest holds 10, so the group takes 480 of 500 msgs/s.
    const result = simulate(constant(500, 600), fixedAutoscaler(5), { initialTasks: 5 });
    expect(result.endBacklog).toBeCloseTo(20 * 600);
    expect(result.endBacklogTaskSeconds).toBeCloseTo(120);
    expect(result.cost).toBeCloseTo(5 * 600 + 120);
    expect(result.costOverFloor).toBeGreaterThanOrEqual(1);
  });

  it('bills pending tasks while they start up', () => {
    const result = simulate(constant(50, 120), fixedAutoscaler(3), { initialTasks: 1 });
    expect(result.cost).toBe(3 * 120);
    expect(result.scaleActions).toBe(1);
  });
});

describe('time lag: age of the oldest unconsumed message', () => {
  it('grows at half the clock when one task consumes a 200 msgs/s topic', () => {
    // Consumed position at t is 100·t, produced at t/2: the oldest message is t/2 old.
    const result = simulate(constant(200, 600), fixedAutoscaler(1), { initialTasks: 1, recordSeries: true, seriesStepSeconds: 1 });
    expect(result.series!.timeLagSeconds[99]).toBeCloseTo(50); // at t = 100 s
    expect(result.maxTimeLagSeconds).toBeCloseTo(300);
    expect(result.sloViolationSeconds).toBe(240); // t/2 > 180 s for t in (360, 600]
  });

  it('measures the age, not the lag: a burst produced in 10 s is drained over ~100 s', () => {
    const burst = traceOf([
      [0, 1000],
      [10, 1000],
      [11, 0],
      [300, 0],
    ]);
    const result = simulate(burst, fixedAutoscaler(1), { initialTasks: 1, recordSeries: true, seriesStepSeconds: 1 });
    // At t = 50 s one task has consumed 5,000 messages, produced by t = 5 s: 45 s old.
    expect(result.series!.timeLagSeconds[49]).toBeCloseTo(45);
    expect(result.series!.totalLag[49]).toBe(5500);
    // All 10,500 messages are consumed at t = 105 s; nothing is older than that burst.
    expect(result.series!.timeLagSeconds[105]).toBe(0);
    expect(result.maxTimeLagSeconds).toBeLessThan(105);
  });

  it('shows a rebalance pause: a task joining at 60 s stops the group for 10 s', () => {
    const result = simulate(constant(100, 200), fixedAutoscaler(2), { initialTasks: 1, recordSeries: true, seriesStepSeconds: 1 });
    // 1 task keeps up exactly until t = 60 s; then nothing is consumed for 10 s.
    expect(result.series!.timeLagSeconds[58]).toBe(0);
    expect(result.series!.totalLag[69]).toBe(1000);
    expect(result.series!.timeLagSeconds[69]).toBeCloseTo(10);
    // Afterwards 2 tasks drain the 1,000 messages at 100 msgs/s net.
    expect(result.series!.totalLag[79]).toBe(0);
    expect(result.maxTimeLagSeconds).toBeCloseTo(10);
  });
});

describe('what the autoscaler sees and does', () => {
  it('ticks on its period with Kafka-like integer lag totals and the ECS counts', () => {
    const seen: Observation[] = [];
    const recorder: Autoscaler = { name: 'recorder', periodSeconds: 30, tick: (obs) => (seen.push(obs), 1) };
    simulate(constant(150.5, 120), recorder, { initialTasks: 1 });

    expect(seen.map((o) => o.now - SIMULATION_EPOCH_MS)).toEqual([0, 30_000, 60_000, 90_000]);
    const at30 = seen[1]!;
    // 30 s of 150.5 msgs/s against 100 msgs/s: 4,515 produced, 3,000 consumed.
    expect(at30.lag).toMatchObject({
      totalLag: 1515,
      maxPartitionLag: 32, // 1515 = 31·48 + 27: 27 partitions have 32, the rest 31
      partitionCount: 48,
      partitionsWithLag: 48,
      logEndSum: 4515,
      committedSum: 3000,
    });
    expect([at30.desiredTasks, at30.runningTasks]).toEqual([1, 1]);
  });

  it('can model periodic commits: the committed position then trails consumption by half an interval', () => {
    const seen: Observation[] = [];
    const recorder: Autoscaler = { name: 'recorder', periodSeconds: 60, tick: (obs) => (seen.push(obs), 1) };
    const model = { ...DEFAULT_SERVICE_MODEL, commitIntervalSeconds: 10 };
    const result = simulate(constant(50, 120), recorder, { model, initialTasks: 1 });
    // One task keeps up with 50 msgs/s, yet 5 s of messages are on record as lag.
    expect(seen[1]!.lag).toMatchObject({ totalLag: 250, logEndSum: 3000, committedSum: 2750 });
    expect(result.maxTimeLagSeconds).toBe(0);
  });

  it('counts a scale action each time the desired count changes', () => {
    let flip = false;
    const flapping: Autoscaler = { name: 'flapping', periodSeconds: 60, tick: () => ((flip = !flip) ? 2 : 1) };
    const result = simulate(constant(50, 3600), flapping, { initialTasks: 1 });
    expect(result.scaleActions).toBe(60);
    expect(result.actionsPerHour).toBe(60);
  });

  it('rejects a non-numeric answer, naming the autoscaler', () => {
    const broken: Autoscaler = { name: 'broken', periodSeconds: 60, tick: () => NaN };
    expect(() => simulate(constant(50, 120), broken)).toThrow(/broken answered NaN at t=0s/);
  });
});
