/**
 * What Kafka would report for the simulated group: integer offsets per partition, topic "sim".
 *
 * The partitions are split into lanes that consume alike (all of them; or the stalled ones and the
 * rest). Produce is spread round-robin over the topic, so each lane receives its share, spread
 * round-robin over its own partitions, and each lane consumes in order: the lane's message j
 * (counting from 0) lives on its partition j mod size. With X of a lane's messages produced, its
 * partition i has received ⌊(X + size − 1 − i) / size⌋ of them, and so for the consumed count.
 * The totals are the sums over the partitions, so they agree with the readings exactly.
 */
import type { LagReading, PartitionReading } from '../../src/decision/types.js';

export const SIMULATED_TOPIC = 'sim';

/** Partitions [first, first + count) that received `produced` messages and committed `consumed` (fractional counts are floored). */
export interface PartitionLane {
  first: number;
  count: number;
  produced: number;
  consumed: number;
}

export function simulatedLagReading(lanes: readonly PartitionLane[]): LagReading {
  const partitions: PartitionReading[] = [];
  let logEndSum = 0;
  let committedSum = 0;
  for (const lane of lanes) {
    const produced = Math.floor(lane.produced);
    const consumed = Math.min(produced, Math.floor(lane.consumed));
    logEndSum += produced;
    committedSum += consumed;
    for (let i = 0; i < lane.count; i++) {
      const committed = messagesOnPartition(consumed, i, lane.count);
      const lag = messagesOnPartition(produced, i, lane.count) - committed;
      partitions.push({ topic: SIMULATED_TOPIC, partition: lane.first + i, committed, lag });
    }
  }
  return {
    totalLag: logEndSum - committedSum,
    maxPartitionLag: partitions.reduce((max, p) => Math.max(max, p.lag), 0),
    partitionCount: partitions.length,
    partitionsWithLag: partitions.filter((p) => p.lag > 0).length,
    logEndSum,
    committedSum,
    partitions,
  };
}

/** Of a lane's first `messages` messages, how many went to its partition `index` of `size`. */
function messagesOnPartition(messages: number, index: number, size: number): number {
  return Math.floor((messages + size - 1 - index) / size);
}
