/**
 * Partition granularity. A partition is consumed by one group member at a time, so with n
 * consumers over P partitions the busiest member holds ceil(P/n) partitions and sets the pace:
 *
 *   group capacity = taskThroughput · P / ceil(P / n)      (n ≤ P)
 *
 * where taskThroughput is what one task consumes owning a single partition. Capacity therefore
 * grows in steps: for P = 48, 16 to 23 tasks all leave 3 partitions to the busiest member, so
 * tasks 17..23 are paid for and add nothing. Sizing picks only counts that start a step.
 */

/** Messages per second `tasks` consumers can consume over `partitions` partitions. */
export function groupCapacity(taskThroughput: number, tasks: number, partitions: number): number {
  const consumers = Math.min(tasks, partitions);
  if (consumers <= 0) return 0;
  return (taskThroughput * partitions) / Math.ceil(partitions / consumers);
}

/** Per-task throughput implied by `tasks` (≥ 1) consumers consuming `capacity` messages per second. */
export function taskThroughputOf(capacity: number, tasks: number, partitions: number): number {
  return (capacity * Math.ceil(partitions / Math.min(tasks, partitions))) / partitions;
}

/** Guards `floor` against 2.9999999 where the exact quotient is 3. */
const QUOTIENT_EPSILON = 1e-9;

/**
 * Fewest tasks whose group capacity reaches `capacity`: the count that gives the busiest member
 * as many partitions as the capacity allows. Capacity beyond one partition per consumer is out of
 * reach, and the answer is then the partition count: more consumers would sit idle.
 */
export function tasksForCapacity(capacity: number, taskThroughput: number, partitions: number): number {
  if (capacity <= 0) return 0;
  const partitionsPerConsumer = Math.floor((taskThroughput * partitions) / capacity + QUOTIENT_EPSILON);
  return Math.ceil(partitions / Math.min(Math.max(partitionsPerConsumer, 1), partitions));
}
