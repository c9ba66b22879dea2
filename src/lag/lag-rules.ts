/**
 * The lag rules: how one partition's lag follows from its log offsets and the group's committed
 * offset. Pure, so they are tested on their own and written down once (the README repeats them).
 */
import type { LagTotals, OffsetResetPolicy, PartitionLag } from './types.js';

export interface PartitionOffsets {
  topic: string;
  partition: number;
  logStart: number;
  logEnd: number;
  /** null: the group has no committed offset on this partition. */
  committed: number | null;
}

/**
 * 1. No committed offset: the consumer will start where the reset policy says. `latest` → lag 0
 *    (it starts at the log end; nothing is waiting for it), `earliest` → everything still in the log,
 *    counted from the log start (not from offset 0: retention may have deleted the rest).
 * 2. Committed below the log start (retention deleted what it had not read): the consumer resumes
 *    at the log start, so lag counts from there — never phantom lag for deleted messages.
 * 3. Committed past the log end (e.g. the topic was recreated): lag 0, flagged.
 * 4. Otherwise: log end − committed.
 */
export function partitionLag(offsets: PartitionOffsets, resetPolicy: OffsetResetPolicy): PartitionLag {
  const { logStart, logEnd, committed } = offsets;
  if (committed === null) {
    return { ...offsets, lag: resetPolicy === 'earliest' ? Math.max(0, logEnd - logStart) : 0 };
  }
  if (committed > logEnd) {
    return { ...offsets, lag: 0, committedAheadOfLogEnd: true };
  }
  return { ...offsets, lag: Math.max(0, logEnd - Math.max(committed, logStart)) };
}

/**
 * The consumer's effective position on a partition: where it will read next. Summed over partitions
 * it moves at the consume rate, just as the summed log end moves at the produce rate.
 */
export function effectivePosition(p: PartitionLag): number {
  return p.logEnd - p.lag;
}

export function lagTotals(partitions: readonly PartitionLag[]): LagTotals {
  let totalLag = 0;
  let maxPartitionLag = 0;
  let partitionsWithLag = 0;
  let logEndSum = 0;
  let committedSum = 0;
  for (const p of partitions) {
    totalLag += p.lag;
    maxPartitionLag = Math.max(maxPartitionLag, p.lag);
    if (p.lag > 0) partitionsWithLag++;
    logEndSum += p.logEnd;
    committedSum += effectivePosition(p);
  }
  return { totalLag, maxPartitionLag, partitionCount: partitions.length, partitionsWithLag, logEndSum, committedSum };
}
