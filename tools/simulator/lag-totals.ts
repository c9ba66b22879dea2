/**
 * What Kafka would report for the simulated group: integer offsets per partition.
 *
 * Produce is spread round-robin over the partitions and the group consumes in order, so message k
 * (counting from 0 over the whole topic) lives on partition k mod P. With N messages produced and
 * M consumed, the unconsumed ones are k = M..N-1: L = N - M messages, which put
 * floor(L/P) + 1 on (L mod P) partitions and floor(L/P) on the rest.
 */
import type { LagTotals } from '../../src/lag/types.js';

export function simulatedLagTotals(produced: number, consumed: number, partitions: number): LagTotals {
  const logEndSum = Math.floor(produced);
  const committedSum = Math.min(logEndSum, Math.floor(consumed));
  const totalLag = logEndSum - committedSum;
  const perPartition = Math.floor(totalLag / partitions);
  const partitionsWithOneMore = totalLag % partitions;
  return {
    totalLag,
    maxPartitionLag: perPartition + (partitionsWithOneMore > 0 ? 1 : 0),
    partitionCount: partitions,
    partitionsWithLag: perPartition > 0 ? partitions : partitionsWithOneMore,
    logEndSum,
    committedSum,
  };
}
