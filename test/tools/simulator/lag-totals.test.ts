import { describe, expect, it } from 'vitest';
import { SIMULATED_TOPIC, simulatedLagReading } from '../../../tools/simulator/lag-totals.js';

const wholeTopic = (produced: number, consumed: number) => simulatedLagReading([{ first: 0, count: 48, produced, consumed }]);

describe('lag of a topic with produce spread round-robin over 48 partitions', () => {
  it('reports whole offsets and spreads the lag as evenly as offsets allow', () => {
    expect(wholeTopic(1000.7, 900.2)).toMatchObject({
      totalLag: 100,
      maxPartitionLag: 3, // 100 = 2·48 + 4
      partitionCount: 48,
      partitionsWithLag: 48,
      logEndSum: 1000,
      committedSum: 900,
    });
  });

  it('shows a small lag on only as many partitions as there are messages', () => {
    expect(wholeTopic(905, 900)).toMatchObject({ totalLag: 5, maxPartitionLag: 1, partitionsWithLag: 5 });
  });

  it('reports no lag when everything is consumed', () => {
    expect(wholeTopic(900, 900)).toMatchObject({ totalLag: 0, maxPartitionLag: 0, partitionsWithLag: 0 });
  });

  it('carries every partition of topic "sim", and the totals are their sums', () => {
    const reading = wholeTopic(1000.7, 900.2);
    expect(reading.partitions).toHaveLength(48);
    expect(reading.partitions!.map((p) => p.partition)).toEqual([...Array(48).keys()]);
    expect(new Set(reading.partitions!.map((p) => p.topic))).toEqual(new Set([SIMULATED_TOPIC]));
    expect(reading.partitions!.reduce((sum, p) => sum + p.lag, 0)).toBe(reading.totalLag);
    expect(reading.partitions!.reduce((sum, p) => sum + p.committed, 0)).toBe(reading.committedSum);
  });
});

describe('a stalled lane beside a moving one', () => {
  // Partitions 0..1 stalled at 100 committed messages each; the 46 others caught up.
  const reading = simulatedLagReading([
    { first: 0, count: 2, produced: 1000, consumed: 200 },
    { first: 2, count: 46, produced: 23_000, consumed: 23_000 },
  ]);

  it('puts the lag on the stalled partitions only', () => {
    expect(reading.partitions!.slice(0, 2)).toEqual([
      { topic: 'sim', partition: 0, committed: 100, lag: 400 },
      { topic: 'sim', partition: 1, committed: 100, lag: 400 },
    ]);
    expect(reading).toMatchObject({ totalLag: 800, maxPartitionLag: 400, partitionsWithLag: 2, partitionCount: 48 });
  });
});
