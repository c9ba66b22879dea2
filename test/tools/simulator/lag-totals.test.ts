import { describe, expect, it } from 'vitest';
import { simulatedLagTotals } from '../../../tools/simulator/lag-totals.js';

describe('lag totals of a topic with produce spread round-robin over 48 partitions', () => {
  it('reports whole offsets and spreads the lag as evenly as offsets allow', () => {
    expect(simulatedLagTotals(1000.7, 900.2, 48)).toEqual({
      totalLag: 100,
      maxPartitionLag: 3, // 100 = 2·48 + 4
      partitionCount: 48,
      partitionsWithLag: 48,
      logEndSum: 1000,
      committedSum: 900,
    });
  });

  it('shows a small lag on only as many partitions as there are messages', () => {
    expect(simulatedLagTotals(905, 900, 48)).toMatchObject({ totalLag: 5, maxPartitionLag: 1, partitionsWithLag: 5 });
  });

  it('reports no lag when everything is consumed', () => {
    expect(simulatedLagTotals(900, 900, 48)).toMatchObject({ totalLag: 0, maxPartitionLag: 0, partitionsWithLag: 0 });
  });
});
