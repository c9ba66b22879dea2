/**
 * A lag read as the decision takes it: the totals, each partition with a commit of its own, and the
 * key of the partitions counted. Scheduled ticks and a dry run's sample read it the same way.
 */
import type { LagReading } from '../decision/index.js';
import { partitionSetKey } from '../lag/partition-set.js';
import type { GroupLag } from '../lag/types.js';

/** The totals, and each partition with a commit of its own (one without is never judged stuck). */
export function toReading(lag: GroupLag): LagReading {
  const { totalLag, maxPartitionLag, partitionCount, partitionsWithLag, logEndSum, committedSum } = lag;
  const partitions = lag.partitions.flatMap(({ topic, partition, committed, lag: partitionLag }) =>
    committed === null ? [] : [{ topic, partition, committed, lag: partitionLag }],
  );
  return {
    totalLag,
    maxPartitionLag,
    partitionCount,
    partitionsWithLag,
    logEndSum,
    committedSum,
    partial: lag.incomplete,
    partitions,
    partitionSet: partitionSetKey(lag.partitions),
  };
}
