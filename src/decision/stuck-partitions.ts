/**
 * Measure — stuck partitions, judged per partition as Burrow does: a partition whose committed
 * offset has not moved for `stuckPartitionSeconds` while it had lag throughout, when other
 * partitions' offsets moved meanwhile, is stuck — typically a poison message its consumer retries
 * forever. On group sums it is invisible: the others keep the sums moving. (When nothing moves at
 * all, the group is STALL: see health.ts.)
 *
 * Its backlog is left out of the sizing: no number of tasks consumes past a message that fails.
 * Readings without per-partition data (history rebuilt from metrics) judge nothing.
 */
import { newest } from './newest.js';
import { partitionKey } from './partition-key.js';
import type { Policy } from './policy.js';
import type { HistoryEntry, LagReading, PartitionReading, StuckPartition } from './types.js';
import { MS_PER_SECOND } from './units.js';

/** A reading with its partitions, as readings rebuilt from metrics are not. */
interface DetailedReading {
  now: number;
  partitions: readonly PartitionReading[];
}

/** Whether a reading carries its partitions (a type guard: `Array.isArray` alone would leave them `any[]`). */
const hasPartitions = (partitions: LagReading['partitions']): partitions is readonly PartitionReading[] => Array.isArray(partitions);

export function findStuckPartitions(samples: readonly HistoryEntry[], policy: Policy): StuckPartition[] {
  const current = newest(samples);
  const currentPartitions = current.lag.partitions;
  if (!hasPartitions(currentPartitions)) return [];
  const detailed = samples.flatMap(({ now, lag: { partitions } }): DetailedReading[] =>
    hasPartitions(partitions) ? [{ now, partitions }] : [],
  );
  const windowStart = current.now - policy.stuckPartitionSeconds * MS_PER_SECOND;
  const referenceAt = detailed.findLastIndex((s) => s.now <= windowStart);
  const reference = detailed[referenceAt];
  if (reference === undefined) return []; // none old enough (index -1)
  const keyed = (s: DetailedReading) => new Map(s.partitions.map((p) => [partitionKey(p), p]));
  // The window's readings indexed by partition, from the reference on.
  const referenceByKey = keyed(reference);
  const byKey = [referenceByKey, ...detailed.slice(referenceAt + 1).map(keyed)];

  const standing = (p: PartitionReading): boolean =>
    byKey.every((partitions) => {
      const seen = partitions.get(partitionKey(p));
      return seen !== undefined && seen.committed === p.committed && seen.lag > 0;
    });
  const stuck = currentPartitions.filter((p) => p.lag > 0 && standing(p));
  const othersMoved = currentPartitions.some((p) => {
    const before = referenceByKey.get(partitionKey(p));
    return before !== undefined && p.committed > before.committed;
  });
  if (!othersMoved) return [];
  return stuck.map((p) => ({ topic: p.topic, partition: p.partition, lag: p.lag, stuckSeconds: stuckSince(detailed, p, current.now) }));
}

/** Seconds since the partition's committed offset last changed, as far as the history reaches. */
function stuckSince(detailed: readonly DetailedReading[], partition: PartitionReading, now: number): number {
  let since = now;
  for (const reading of detailed.toReversed()) {
    const seen = reading.partitions.find((p) => p.topic === partition.topic && p.partition === partition.partition);
    if (seen === undefined || seen.committed !== partition.committed) break;
    since = reading.now;
  }
  return (now - since) / MS_PER_SECOND;
}

/** A reading without the stuck partitions' backlog (their own lag in this reading): what more tasks could consume. */
export function withoutStuck(lag: LagReading, stuck: readonly StuckPartition[]): LagReading {
  if (stuck.length === 0 || !lag.partitions) return lag;
  const stuckKeys = new Set(stuck.map(partitionKey));
  const moving = lag.partitions.filter((p) => !stuckKeys.has(partitionKey(p)));
  const stuckLag = lag.partitions.filter((p) => stuckKeys.has(partitionKey(p))).reduce((sum, p) => sum + p.lag, 0);
  return {
    ...lag,
    totalLag: Math.max(0, lag.totalLag - stuckLag),
    maxPartitionLag: Math.max(0, ...moving.map((p) => p.lag)),
    partitionsWithLag: moving.filter((p) => p.lag > 0).length,
    partitions: moving,
  };
}
