/**
 * The shapes the lag reader produces. The decision function consumes only `LagTotals`
 * (plus the `partial` flag), so it never depends on how lag was read.
 */

/** One partition of one topic, as seen by one consumer group. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Earliest offset still in the log (after retention). */
  logStart: number;
  /** High watermark: the offset the next produced message will get. */
  logEnd: number;
  /** The group's committed offset, or null when the group has never committed on this partition. */
  committed: number | null;
  /** Messages the group still has to consume on this partition, per the lag rules (always >= 0). */
  lag: number;
  /** Set when the committed offset is past the log end (e.g. the topic was recreated): lag is 0. */
  committedAheadOfLogEnd?: boolean;
}

/** Totals over a group's partitions: what the decision function needs. */
export interface LagTotals {
  /** Sum of per-partition lag. */
  totalLag: number;
  /** Largest single-partition lag (skew: one hot partition cannot be helped by more consumers). */
  maxPartitionLag: number;
  /** Partitions the group consumes (across all its topics). */
  partitionCount: number;
  /** Partitions whose lag is above zero. */
  partitionsWithLag: number;
  /** Sum of log-end offsets: its rate of change over time is the produce rate. */
  logEndSum: number;
  /** Sum of committed offsets (partitions without a commit count as their effective position): its rate of change is the consume rate. */
  committedSum: number;
}
