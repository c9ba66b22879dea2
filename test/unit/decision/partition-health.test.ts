/**
 * Health judged per partition (Burrow's evaluator, one rule per function): tables of a partition's
 * readings → the rule's answer, then whole groups through `decide`, where the group's status is the
 * worst of its partitions'.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/decision/decide.js';
import { type PartitionPoint, rewoundFrom, STALL_MIN_SECONDS, stoodStill } from '../../../src/decision/partition-health.js';
import type { DecisionInput, HistoryEntry, LagReading } from '../../../src/decision/types.js';
import { policy, T0 } from './scenario.js';

/** Committed offsets a minute apart, each with its lag. */
const points = (...committed: Array<[number, number]>): PartitionPoint[] =>
  committed.map(([offset, lag], i) => ({ now: T0 + i * 60_000, committed: offset, lag }));

describe('rewoundFrom: a committed offset that went back and has not come back', () => {
  it.each([
    ['advancing', points([1000, 5], [2000, 5], [3000, 5]), null],
    ['standing', points([3000, 5], [3000, 5]), null],
    ['back and never recovered', points([2000, 0], [3000, 0], [2500, 500]), 3000],
    ['back, still short of where it was', points([3000, 0], [2990, 10], [2995, 5]), 3000],
    ['back, then past where it was (a rebalance)', points([3000, 0], [2000, 1000], [3100, 0]), null],
    ['back, then exactly where it was', points([3000, 0], [2000, 1000], [3000, 0]), null],
  ])('%s', (_, series, expected) => {
    expect(rewoundFrom(series)).toBe(expected);
  });
});

describe('stoodStill: lag beyond the allowed lag, and no commit', () => {
  it.each([
    ['standing with lag', points([3000, 50], [3000, 80]), 1, true],
    ['standing within the allowed lag (a commit marker)', points([3000, 1], [3000, 1]), 1, false],
    ['standing with lag 1 when none is allowed', points([3000, 1], [3000, 1]), 0, true],
    ['moving', points([3000, 50], [3001, 80]), 1, false],
    ['caught up for a moment', points([3000, 50], [3000, 0], [3000, 50]), 1, false],
  ])('%s', (_, series, allowed, expected) => {
    expect(stoodStill(series, allowed)).toBe(expected);
  });
});

/** Four partitions' [committed, lag] per reading, a reading every `stepSeconds`, the last one the input. */
function group(
  readings: Array<Array<[number, number]>>,
  options: { running?: number; desired?: number; stepSeconds?: number } = {},
): DecisionInput {
  const { running = 1, desired = running, stepSeconds = 60 } = options;
  const entries: HistoryEntry[] = readings.map((partitions, i) => {
    const lags = partitions.map(([committed, lag], partition) => ({ topic: 't', partition, committed, lag }));
    const totalLag = lags.reduce((sum, p) => sum + p.lag, 0);
    const lag: LagReading = {
      totalLag,
      maxPartitionLag: Math.max(...lags.map((p) => p.lag)),
      partitionCount: lags.length,
      partitionsWithLag: lags.filter((p) => p.lag > 0).length,
      committedSum: lags.reduce((sum, p) => sum + p.committed, 0),
      logEndSum: lags.reduce((sum, p) => sum + p.committed + p.lag, 0),
      partitions: lags,
      partitionSet: '4:t',
    };
    return { now: T0 + i * stepSeconds * 1000, lag, service: { desired, running } };
  });
  const current = entries.at(-1) as HistoryEntry;
  return { now: current.now, lag: current.lag, service: current.service, history: entries.slice(0, -1) };
}

const coldPolicy = policy({ lagPerTask: 100 });

describe('a group judged by its partitions', () => {
  it('holds on a rewind the other partitions hide, and names it', () => {
    // Three partitions advance; the fourth went back 3,000 → 2,500 and stays behind.
    const input = group([
      [
        [1000, 0],
        [1000, 0],
        [1000, 0],
        [3000, 0],
      ],
      [
        [2000, 0],
        [2000, 0],
        [2000, 0],
        [2500, 500],
      ],
      [
        [3000, 0],
        [3000, 0],
        [3000, 0],
        [2600, 400],
      ],
    ]);
    const decision = decide(input, coldPolicy);
    expect(decision).toMatchObject({ desired: 1, reason: 'partition-rewind', health: 'REWIND' });
    expect(decision.figures.rewoundPartitions).toEqual([{ topic: 't', partition: 3, from: 3000, to: 2600 }]);
    expect(decision.explanation).toContain('t-3 (3,000 → 2,600)');
  });

  it('does not hold for a rewind that has recovered: it is history', () => {
    const input = group([
      [
        [1000, 0],
        [1000, 0],
        [1000, 0],
        [3000, 0],
      ],
      [
        [1500, 0],
        [1500, 0],
        [1500, 0],
        [2000, 1000],
      ],
      [
        [2000, 0],
        [2000, 0],
        [2000, 0],
        [3100, 200],
      ],
    ]);
    const decision = decide(input, coldPolicy);
    expect(decision.reason).not.toMatch(/rewind/);
    expect(decision.figures.rewoundPartitions).toEqual([]);
  });

  it('adds no task to a group that is not consuming: every partition stands, consumers run', () => {
    const standing: Array<[number, number]> = [
      [1000, 900],
      [1000, 900],
      [1000, 900],
      [1000, 900],
    ];
    const decision = decide(group([standing, standing]), coldPolicy);
    expect(decision).toMatchObject({ desired: 1, reason: 'group-stalled', health: 'STALL' });
    expect(decision.figures.stalledSeconds).toBe(60);
    // The stall ends when a partition moves: it sizes as usual again.
    const moving = group([
      standing,
      standing,
      [
        [1100, 800],
        [1000, 900],
        [1000, 900],
        [1000, 900],
      ],
    ]);
    expect(decide(moving, coldPolicy).reason).not.toBe('group-stalled');
  });

  it(`calls no stall shorter than ${STALL_MIN_SECONDS} s (a rebalance's pause, a commit interval), nor one without consumers`, () => {
    const standing: Array<[number, number]> = [
      [1000, 900],
      [1000, 900],
      [1000, 900],
      [1000, 900],
    ];
    expect(decide(group([standing, standing], { stepSeconds: 10 }), coldPolicy).reason).not.toBe('group-stalled');
    expect(decide(group([standing, standing], { running: 0, desired: 1 }), coldPolicy).reason).not.toBe('group-stalled');
  });

  it('calls standing partitions stuck, not the group stalled, while another partition moves', () => {
    const input = group([
      [
        [1000, 900],
        [1000, 900],
        [5000, 0],
        [1000, 900],
      ],
      [
        [1000, 900],
        [1000, 900],
        [5060, 0],
        [1000, 900],
      ],
    ]);
    expect(decide(input, coldPolicy).reason).not.toBe('group-stalled');
  });

  it('neither stalls nor sizes for a lag within the allowed lag (a commit marker)', () => {
    const marker: Array<[number, number]> = [
      [1000, 1],
      [1000, 1],
      [1000, 1],
      [1000, 1],
    ];
    const input = group(
      Array.from({ length: 12 }, () => marker),
      { running: 3 },
    );
    const decision = decide(input, policy({ lagPerTask: 1, scaleDownStabilizationSeconds: 0 }));
    expect(decision.health).toBe('OK');
    expect(decision.reason).not.toMatch(/stall/);
    // Caught up with nothing produced: down to minTasks.
    expect(decision.desired).toBe(1);
    // Counted (allowed lag 0), the same readings are a stall that holds the count.
    expect(decide(input, policy({ lagPerTask: 1, allowedPartitionLag: 0 }))).toMatchObject({ desired: 3, reason: 'group-stalled' });
  });
});
