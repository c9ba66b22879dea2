/**
 * Measure — which readings are comparable with the one now. Every measure is a difference of
 * offset sums between readings (produce and consume rates, health, learned throughput, stuck
 * partitions, the ceiling, the time lag), and a difference means something only over the same
 * topics and partitions: a topic the group starts committing on adds its whole log end to the sum
 * at once, which would read as thousands of messages a second produced. So the measures see the
 * readings since the partition set last changed; the decisions kept in the history (for the
 * scale-down stabilization, a learned throughput carried forward) still count, since they are
 * about the service, not the sums.
 */
import { newest } from './newest.js';
import type { HistoryEntry } from './types.js';

export interface MeasuredReadings {
  /** The readings over the current partition set, oldest first, the last one now. */
  readings: HistoryEntry[];
  /** The reading just before now counted other partitions. */
  changed: boolean;
}

export function measuredReadings(samples: readonly HistoryEntry[]): MeasuredReadings {
  const current = newest(samples);
  const first = samples.findLastIndex((sample) => !sameSet(sample, current)) + 1;
  return { readings: samples.slice(first), changed: first === samples.length - 1 && samples.length > 1 };
}

/** Same partitions: the same count, and the same key where both readings have one (rebuilt history has none). */
export function sameSet(a: Pick<HistoryEntry, 'lag'>, b: Pick<HistoryEntry, 'lag'>): boolean {
  if (a.lag.partitionCount !== b.lag.partitionCount) return false;
  return a.lag.partitionSet === undefined || b.lag.partitionSet === undefined || a.lag.partitionSet === b.lag.partitionSet;
}
