/**
 * Which partitions a result lists one by one. A group of 10,000 partitions listed whole makes a
 * dry run's answer 400 KB, and fifteen such targets pass Lambda's 6 MB response limit; what an
 * operator reads is where the backlog is. So the result lists the partitions with the most lag
 * (hottest first) and counts the rest; stuck partitions are named in the decision's figures.
 */
import type { PartitionLag } from '../lag/types.js';
import type { PartitionLagSummary } from './outcome.js';

/** At most this many partitions are listed per target. */
export const MAX_LISTED_PARTITIONS = 50;

export interface ListedPartitions {
  partitions: PartitionLagSummary[];
  /** The partitions not listed: how many, and the lag they hold together. Absent when every partition is listed. */
  unlisted?: { partitions: number; lag: number };
}

export function listedPartitions(all: readonly PartitionLag[]): ListedPartitions {
  const lagging = all.filter((p) => p.lag > 0).sort((a, b) => b.lag - a.lag || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const listed = lagging.slice(0, MAX_LISTED_PARTITIONS);
  const partitions = listed.map(({ topic, partition, lag }) => ({ topic, partition, lag }));
  if (listed.length === all.length) return { partitions };
  const listedLag = listed.reduce((sum, p) => sum + p.lag, 0);
  const totalLag = all.reduce((sum, p) => sum + p.lag, 0);
  return { partitions, unlisted: { partitions: all.length - listed.length, lag: totalLag - listedLag } };
}
