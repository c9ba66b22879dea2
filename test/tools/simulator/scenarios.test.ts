import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_MODEL,
  fewestTasksReaching,
  resolveServiceModel,
  type ServiceModel,
} from '../../../tools/simulator/consumer-service.js';
import { fixedAutoscaler } from '../../../tools/simulator/fixed-autoscaler.js';
import { simulate } from '../../../tools/simulator/simulate.js';
import type { Autoscaler, Observation } from '../../../tools/simulator/types.js';
import { traceOf } from './observations.js';

const constant = (rate: number, seconds: number) =>
  traceOf([
    [0, rate],
    [seconds, rate],
  ]);
const modelWith = (settings: Partial<ServiceModel>): ServiceModel => ({ ...DEFAULT_SERVICE_MODEL, ...settings });

describe('a downstream ceiling: the group consumes at most ceilingRate whatever the task count', () => {
  it('holds 48 tasks to the ceiling, so the backlog grows by the difference', () => {
    const model = modelWith({ ceilingRate: 1500 });
    const result = simulate(constant(2000, 600), fixedAutoscaler(48), { model, initialTasks: 48 });
    expect(result.endBacklog).toBeCloseTo(500 * 600);
  });

  it('applies only within its window: the backlog drains once the bottleneck lifts', () => {
    const model = modelWith({ ceilingRate: 1500, ceilingFromSeconds: 100, ceilingUntilSeconds: 200 });
    const result = simulate(constant(2000, 400), fixedAutoscaler(48), {
      model,
      initialTasks: 48,
      recordSeries: true,
      seriesStepSeconds: 1,
    });
    expect(result.series!.totalLag[99]).toBe(0);
    expect(result.series!.totalLag[199]).toBeCloseTo(50_000, -1);
    expect(result.endBacklog).toBe(0);
  });

  it('reports the mean task count over the window against the fewest tasks that reach the ceiling', () => {
    const model = modelWith({ ceilingRate: 1500, ceilingFromSeconds: 100, ceilingUntilSeconds: 200 });
    const result = simulate(constant(2000, 400), fixedAutoscaler(30), { model, initialTasks: 30 });
    expect(result.ceilingWindow).toMatchObject({ ceilingRate: 1500, fewestTasksReaching: 16, meanTasks: 30 });
  });

  it('the fewest tasks reaching a rate follow the partition steps', () => {
    expect(fewestTasksReaching(DEFAULT_SERVICE_MODEL, 1500)).toBe(16); // 12 tasks give 1,200; 16 give 1,600
    expect(fewestTasksReaching(DEFAULT_SERVICE_MODEL, 1600)).toBe(16);
    expect(fewestTasksReaching(DEFAULT_SERVICE_MODEL, 1601)).toBe(24);
    expect(fewestTasksReaching(DEFAULT_SERVICE_MODEL, 1_000_000)).toBe(48);
  });
});

describe('stalled partitions stop consuming while the others go on', () => {
  const model = modelWith({ stalledPartitions: 2, stallFromSeconds: 60, stallUntilSeconds: 180 });
  const seen: Observation[] = [];
  const recorder: Autoscaler = { name: 'recorder', periodSeconds: 30, tick: (obs) => (seen.push(obs), 48) };
  const result = simulate(constant(4800, 300), recorder, { model, initialTasks: 48, recordSeries: true, seriesStepSeconds: 1 });

  it('freezes the stalled partitions’ committed offsets and grows their lag with their share of produce', () => {
    const at90 = seen.find((o) => o.now % 300_000 === 90_000)!;
    const at120 = seen.find((o) => o.now % 300_000 === 120_000)!;
    const [stuck, moving] = [at90.lag.partitions![0]!, at90.lag.partitions![2]!];
    expect(stuck.lag).toBe(100 * 30); // 100 msgs/s per partition for 30 s
    expect(moving.lag).toBe(0);
    expect(at120.lag.partitions![0]!.committed).toBe(stuck.committed);
    expect(at120.lag.partitions![2]!.committed).toBeGreaterThan(moving.committed);
    expect(at120.lag.partitionsWithLag).toBe(2);
  });

  it('ages the oldest message on a stalled partition: the time lag is the stall’s length', () => {
    expect(result.series!.timeLagSeconds[119]).toBeCloseTo(60, 0);
  });

  it('leaves a stalled backlog that its own partitions must drain after the stall (at full capacity, never)', () => {
    // 48 tasks each on one partition exactly keep up, so the stalled backlog stays: 2 × 100 × 120.
    expect(result.endBacklog).toBeCloseTo(24_000);
  });
});

describe('the service model resolved for a trace', () => {
  it('layers the defaults, the trace’s scenario and the command line', () => {
    expect(resolveServiceModel('t', { ceilingRate: 1500 }, { startupSeconds: 120 })).toMatchObject({
      ceilingRate: 1500,
      startupSeconds: 120,
      taskThroughput: 100,
    });
  });

  it.each([
    [{ ceilingFromSeconds: 600, ceilingUntilSeconds: 300 }, /ceilingUntilSeconds \(300\) must be after ceilingFromSeconds \(600\)/],
    [{ stalledPartitions: 49 }, /stalledPartitions \(49\) must be at most partitions \(48\)/],
    [{ minTasks: 5, maxTasks: 4 }, /maxTasks \(4\) must be at least minTasks \(5\)/],
  ])('rejects settings that disagree (%o), naming the trace', (settings, message) => {
    expect(() => resolveServiceModel('traces/x.csv', settings)).toThrow(/service model for traces\/x\.csv/);
    expect(() => resolveServiceModel('traces/x.csv', settings)).toThrow(message);
  });
});
