import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/decision/decide.js';
import { resolvePolicy } from '../../../src/decision/policy.js';
import { findStuckPartitions, withoutStuck } from '../../../src/decision/stuck-partitions.js';
import type { HistoryEntry, PartitionReading } from '../../../src/decision/types.js';
import { T0 } from './scenario.js';

const policy = resolvePolicy({ taskThroughput: 100, stuckPartitionSeconds: 180 });

/**
 * Four partitions of "payments", sampled every minute: each moves by `moves[p]` messages a minute and
 * receives 100; partition 1 starts `stuckBacklog` messages behind.
 */
function history(minutes: number, moves: number[], stuckBacklog = 0): HistoryEntry[] {
  return Array.from({ length: minutes }, (_, m) => {
    const partitions: PartitionReading[] = moves.map((move, partition) => {
      const logEnd = 1_000_000 + 100 * m;
      // A moving partition keeps up within a commit's worth; a still one keeps its offset.
      const committed = move > 0 ? 990_000 + move * m + 10_000 - 10 : 999_000 - (partition === 1 ? stuckBacklog : 0);
      return { topic: 'payments', partition, committed, lag: logEnd - committed };
    });
    const sum = (f: (p: PartitionReading) => number) => partitions.reduce((a, p) => a + f(p), 0);
    return {
      now: T0 + m * 60_000,
      lag: {
        totalLag: sum((p) => p.lag),
        maxPartitionLag: Math.max(...partitions.map((p) => p.lag)),
        partitionCount: partitions.length,
        partitionsWithLag: partitions.filter((p) => p.lag > 0).length,
        logEndSum: sum((p) => p.lag + p.committed),
        committedSum: sum((p) => p.committed),
        partitions,
      },
      service: { desired: 2, running: 2 },
    };
  });
}

describe('findStuckPartitions', () => {
  it('names a partition whose commits stood still with lag while the others moved', () => {
    const stuck = findStuckPartitions(history(6, [100, 0, 100, 100]), policy);
    expect(stuck).toEqual([{ topic: 'payments', partition: 1, lag: 1_500, stuckSeconds: 300 }]);
  });

  it('names none before the partition stood still for stuckPartitionSeconds', () => {
    expect(findStuckPartitions(history(3, [100, 0, 100, 100]), policy)).toEqual([]);
  });

  it('names a partition that stopped sooner when it committed often: silence judged against its own cadence', () => {
    // Partition 1 moved at every minute's read until minute 4, then stood for two: twice its cadence, short of stuckPartitionSeconds.
    const samples = history(8, [100, 100, 100, 100]).map((s, m) => {
      const partitions = (s.lag.partitions ?? []).map((p) =>
        p.partition === 1 && m >= 5 ? { ...p, committed: 1_000_390, lag: 1_000_000 + 100 * m - 1_000_390 } : p,
      );
      return { ...s, lag: { ...s.lag, partitions } };
    });
    expect(findStuckPartitions(samples.slice(0, 6), policy)).toEqual([]); // one minute of silence: within its cadence
    expect(findStuckPartitions(samples.slice(0, 7), policy)).toEqual([{ topic: 'payments', partition: 1, lag: 210, stuckSeconds: 120 }]);
  });

  it('waits longer for a partition that commits rarely, and never less than a minute', () => {
    // Partition 1 commits every third minute: a two-minute silence is its habit, not a stop.
    const samples = history(10, [100, 100, 100, 100]).map((s, m) => {
      const partitions = (s.lag.partitions ?? []).map((p) =>
        p.partition === 1
          ? { ...p, committed: 999_000 + 300 * Math.floor(m / 3), lag: 1_000_000 + 100 * m - (999_000 + 300 * Math.floor(m / 3)) }
          : p,
      );
      return { ...s, lag: { ...s.lag, partitions } };
    });
    expect(findStuckPartitions(samples, policy)).toEqual([]);
  });

  it('leaves a group where nothing moves to the health rules (STALL)', () => {
    expect(findStuckPartitions(history(6, [0, 0, 0, 0]), policy)).toEqual([]);
  });

  it('judges nothing without per-partition readings (history rebuilt from metrics)', () => {
    const samples = history(6, [100, 0, 100, 100]).map(({ lag: { partitions: _, ...totals }, ...rest }) => ({ ...rest, lag: totals }));
    expect(findStuckPartitions(samples, policy)).toEqual([]);
  });

  it('does not call a partition without lag stuck', () => {
    const samples = history(6, [100, 0, 100, 100]).map((s) => ({
      ...s,
      lag: { ...s.lag, partitions: s.lag.partitions!.map((p) => (p.partition === 1 ? { ...p, lag: 0 } : p)) },
    }));
    expect(findStuckPartitions(samples, policy)).toEqual([]);
  });
});

describe('decide with a stuck partition', () => {
  // 500,000 messages wait behind a poison message on payments-1; the other partitions keep up.
  const samples = history(8, [100, 0, 100, 100], 500_000);
  const current = samples.at(-1)!;
  const input = { now: current.now, lag: current.lag, service: current.service, history: samples.slice(0, -1) };
  // With an objective, the stuck partition's old messages would call for every task the bounds allow.
  const withObjective = resolvePolicy({ ...policy, maxTimeLagSeconds: 180 });
  const decision = decide(input, withObjective);

  it('reports and names the stuck partition', () => {
    expect(decision.figures.stuckPartitions.map((p) => p.partition)).toEqual([1]);
    expect(decision.explanation).toContain('payments-1');
  });

  it('never adds tasks for its backlog, which tasks would add for the same lag on moving partitions', () => {
    expect(decision.desired).toBeLessThanOrEqual(current.service.desired);
    const unseen = ({ lag: { partitions: _partitions, ...totals }, ...s }: HistoryEntry): HistoryEntry => ({ ...s, lag: totals });
    const blind = decide({ ...input, lag: unseen(current).lag, history: input.history.map(unseen) }, withObjective);
    expect(blind.desired).toBeGreaterThan(current.service.desired);
  });

  it('sizes on what remains: the lag without the stuck partitions', () => {
    expect(withoutStuck(current.lag, decision.figures.stuckPartitions).totalLag).toBe(30);
  });

  it('still sees the lag of the moving partitions grow, compared like with like', () => {
    // The others consume 50 of the 100 a minute they receive: their lag grows, however large the stuck backlog.
    const growing = history(8, [50, 0, 50, 50], 500_000);
    const now = growing.at(-1)!;
    const decision = decide({ now: now.now, lag: now.lag, service: now.service, history: growing.slice(0, -1) }, policy);
    expect(decision.figures.stuckPartitions.map((p) => p.partition)).toEqual([1]);
    expect(decision.figures.lagGrowing).toBe(true);
  });
});

describe('the time lag with a stuck partition', () => {
  it('is published as the oldest message’s age, the stuck one included, and says where it waits; the sizing leaves it out', () => {
    // Partition 1 has stood still for ten minutes behind messages that keep arriving.
    const samples = history(11, [100, 0, 100, 100]);
    const current = samples.at(-1) as HistoryEntry;
    const decision = decide({ now: current.now, lag: current.lag, service: current.service, history: samples.slice(0, -1) }, policy);
    expect(decision.figures.stuckPartitions.map((p) => p.partition)).toEqual([1]);
    expect(decision.figures.timeLagSeconds).toBeGreaterThan(600);
    expect(decision.figures.oldestPartition).toBe('payments-1');
    expect(decision.explanation).toMatch(/The oldest message \([\d,]+ s\) waits on payments-1\./);
  });
});
