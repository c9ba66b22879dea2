import { describe, expect, it } from 'vitest';
import { type ComputeInput, computeRecommendation } from '../../../src/decision/compute.js';
import { lagTotals, policy } from './scenario.js';

/** A group of 48 partitions with tasks of 100 msg/s, producing `produceRate`. */
function input(
  overrides: Partial<Omit<ComputeInput, 'lag' | 'timeLagSeconds'>> & {
    totalLag?: number;
    produceRate?: number | null;
    timeLagSeconds?: number | null;
  } = {},
): ComputeInput {
  const { totalLag = 0, produceRate = 1000, ...rest } = overrides;
  return {
    lag: lagTotals(10_000_000, totalLag),
    service: { desired: 12, running: 12 },
    hold: null,
    rates: { produceRate, consumeRate: produceRate, lagGrowing: false },
    throughput: { value: 100, source: 'configured' },
    timeLagSeconds: null,
    policy: policy({ targetUtilization: 1, targetTimeLagSeconds: 60, backlogDrainSeconds: 600, tolerance: 0.1 }),
    ...rest,
  };
}

describe('compute', () => {
  it('sizes for the produce rate at the target utilization, in one step', () => {
    const result = computeRecommendation(input({ produceRate: 1500, service: { desired: 4, running: 4 } }));
    expect(result).toMatchObject({ tasks: 16, reason: 'scale-up' });
  });

  it('adds capacity to work off the backlog older than the target time lag within the drain time', () => {
    // 12 tasks consume exactly the 1,200 msg/s produced, so while new tasks start the backlog
    // stays at 300,000, and the rebalance pause adds 10 s × 1,200. Of those 312,000, 60 s of
    // production (72,000) may stand; the other 240,000 drain over 600 s: 1,200 + 400 msg/s.
    const result = computeRecommendation(input({ totalLag: 300_000, produceRate: 1200 }));
    expect(result.requiredCapacity).toBeCloseTo(1600);
    expect(result).toMatchObject({ tasks: 16, reason: 'scale-up' });
  });

  it('counts what piles up while new tasks start and the group rebalances', () => {
    const keepingUp = computeRecommendation(input({ produceRate: 1200, service: { desired: 12, running: 12 } }));
    const fallingBehind = computeRecommendation(input({ produceRate: 1200, service: { desired: 12, running: 6 } }));
    expect(fallingBehind.requiredCapacity!).toBeGreaterThan(keepingUp.requiredCapacity!);
  });

  it('does not pay for tasks that add no capacity (partition granularity)', () => {
    // 1,700 msg/s needs more than 16 tasks give (1,600); 17..23 give no more than 16, so 24.
    expect(computeRecommendation(input({ produceRate: 1700 })).tasks).toBe(24);
  });

  it('keeps the count while the needed capacity is within the tolerance', () => {
    expect(computeRecommendation(input({ produceRate: 1300 }))).toMatchObject({ tasks: 12, reason: 'within-tolerance' });
  });

  it('scales down when the capacity is far more than needed', () => {
    expect(computeRecommendation(input({ produceRate: 300 }))).toMatchObject({ tasks: 3, reason: 'scale-down' });
  });

  it('leaves out a hot partition’s backlog that one consumer cannot drain any faster', () => {
    const hot = { ...lagTotals(10_000_000, 0), totalLag: 500_000, maxPartitionLag: 480_000, partitionsWithLag: 3 };
    const result = computeRecommendation({ ...input(), lag: hot });
    expect(result.reason).toBe('hot-partition');
    expect(result.tasks).toBeLessThan(48);
  });

  it('holds the count for a health status more tasks would not cure', () => {
    for (const hold of ['health-stall', 'health-stop', 'health-rewind', 'partition-rewind', 'group-stalled'] as const) {
      expect(computeRecommendation(input({ hold, totalLag: 1_000_000 }))).toMatchObject({ tasks: 12, reason: hold });
    }
  });

  it('on a cold start grows the count to lag ÷ lagPerTask, and never shrinks it', () => {
    const cold = { throughput: { value: null, source: 'none' as const }, policy: policy({ lagPerTask: 10_000 }) };
    expect(computeRecommendation(input({ ...cold, totalLag: 200_000 }))).toMatchObject({ tasks: 20, reason: 'cold-start' });
    expect(computeRecommendation(input({ ...cold, totalLag: 0 }))).toMatchObject({ tasks: 12, reason: 'cold-start' });
  });

  it('treats an unknown produce rate as a cold start', () => {
    expect(computeRecommendation(input({ produceRate: null, totalLag: 200_000 })).reason).toBe('cold-start');
  });
});

describe('compute with an objective (maxTimeLagSeconds)', () => {
  const withObjective = (maxTimeLagSeconds: number, extra: Parameters<typeof input>[0] = {}) =>
    input({
      policy: policy({
        targetUtilization: 1,
        targetTimeLagSeconds: 60,
        backlogDrainSeconds: 600,
        tolerance: 0.1,
        maxTimeLagSeconds,
        taskStartupSeconds: 60,
        rebalancePauseSeconds: 10,
      }),
      ...extra,
    });

  it('sizes the backlog to be consumed before its oldest message reaches the objective', () => {
    // 200,000 behind; 30 s old now, 100 s old once new tasks consume: 80 s left at T = 180 s.
    const base = computeRecommendation(withObjective(0, { totalLag: 200_000, timeLagSeconds: 30 }));
    const objective = computeRecommendation(withObjective(180, { totalLag: 200_000, timeLagSeconds: 30 }));
    expect(objective.requiredCapacity).toBeGreaterThan(base.requiredCapacity!);
    expect(objective.requiredCapacity).toBeCloseTo((200_000 + (1000 - 1200) * 60 + 1000 * 10) / 80, 0);
    expect(objective.reason).toBe('scale-up');
  });

  it('changes nothing when the backlog is young and small enough', () => {
    const base = computeRecommendation(withObjective(0, { totalLag: 500, timeLagSeconds: 1 }));
    expect(computeRecommendation(withObjective(600, { totalLag: 500, timeLagSeconds: 1 }))).toEqual(base);
  });

  it('says so when no count can meet the objective: every partition, and the reason', () => {
    const late = computeRecommendation(withObjective(60, { totalLag: 60_000, timeLagSeconds: 120 }));
    expect(late).toMatchObject({ tasks: 48, reason: 'objective-unreachable', requiredCapacity: 4800 });
  });
});
