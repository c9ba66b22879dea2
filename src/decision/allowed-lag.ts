/**
 * Measure — the allowed lag: a partition at or below policy.allowedPartitionLag is caught up. A
 * transaction's commit marker leaves a lag of 1 that no consumer ever consumes, and a compacted
 * tail can leave a few: counted, they would read as a permanent stall and keep a group from ever
 * scaling in or to zero. Only readings with partitions can be judged; sums stay as they are.
 */
import type { LagReading } from './types.js';

export function withoutAllowedLag(lag: LagReading, allowed: number): LagReading {
  if (allowed <= 0 || !lag.partitions) return lag;
  const within = lag.partitions.filter((p) => p.lag > 0 && p.lag <= allowed);
  if (within.length === 0) return lag;
  const totalLag = Math.max(0, lag.totalLag - within.reduce((sum, p) => sum + p.lag, 0));
  const partitionsWithLag = Math.max(0, lag.partitionsWithLag - within.length);
  // The largest lag left is beyond the allowed one unless every partition is within it (some may not be listed: no commit yet).
  const maxPartitionLag = lag.maxPartitionLag > allowed ? lag.maxPartitionLag : Math.min(totalLag, lag.maxPartitionLag);
  return {
    ...lag,
    totalLag,
    partitionsWithLag: totalLag > 0 ? Math.max(1, partitionsWithLag) : 0,
    maxPartitionLag,
    partitions: lag.partitions.map((p) => (p.lag > 0 && p.lag <= allowed ? { ...p, lag: 0 } : p)),
  };
}
