import { describe, expect, it } from 'vitest';
import { partitionSetKey } from '../../../src/lag/partition-set.js';

const p = (topic: string, partition: number) => ({ topic, partition });

describe('the partition set key', () => {
  it('is the same for the same partitions in any order, and names the count', () => {
    expect(partitionSetKey([p('a', 0), p('a', 1), p('b', 0)])).toBe(partitionSetKey([p('b', 0), p('a', 1), p('a', 0)]));
    expect(partitionSetKey([p('a', 0), p('a', 1)])).toMatch(/^2:[0-9a-f]{8}$/);
  });

  it('differs when a topic is replaced by another of the same size, or a partition moves between topics', () => {
    expect(partitionSetKey([p('a', 0), p('a', 1)])).not.toBe(partitionSetKey([p('b', 0), p('b', 1)]));
    expect(partitionSetKey([p('a1', 0)])).not.toBe(partitionSetKey([p('a', 10)]));
  });
});
