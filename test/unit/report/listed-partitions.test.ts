import { describe, expect, it } from 'vitest';
import { listedPartitions, MAX_LISTED_PARTITIONS } from '../../../src/report/listed-partitions.js';

const partition = (index: number, lag: number) => ({
  topic: 'loan-events',
  partition: index,
  logStart: 0,
  logEnd: 10_000,
  committed: 10_000 - lag,
  lag,
});

describe('the partitions a result lists', () => {
  it('lists every partition of a small group with lag, hottest first, and says nothing more when all are listed', () => {
    expect(listedPartitions([partition(0, 5), partition(1, 90), partition(2, 40)])).toEqual({
      partitions: [
        { topic: 'loan-events', partition: 1, lag: 90 },
        { topic: 'loan-events', partition: 2, lag: 40 },
        { topic: 'loan-events', partition: 0, lag: 5 },
      ],
    });
  });

  it('lists the hottest partitions of a 10,000-partition group and counts the rest with their lag', () => {
    const all = Array.from({ length: 10_000 }, (_, i) => partition(i, i % 7 === 0 ? i : 0));
    const listed = listedPartitions(all);
    expect(listed.partitions).toHaveLength(MAX_LISTED_PARTITIONS);
    expect(listed.partitions[0]).toEqual({ topic: 'loan-events', partition: 9996, lag: 9996 });
    const totalLag = all.reduce((sum, p) => sum + p.lag, 0);
    const listedLag = listed.partitions.reduce((sum, p) => sum + p.lag, 0);
    expect(listed.unlisted).toEqual({ partitions: 10_000 - MAX_LISTED_PARTITIONS, lag: totalLag - listedLag });
    expect(JSON.stringify(listed).length).toBeLessThan(4_000);
  });
});
