/**
 * Measure — stuck partitions, judged per partition as Burrow does: a partition whose committed
 * offset has stood still with lag for longer than its own commit cadence allows, when other
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
import { median } from './rates.js';
import type { HistoryEntry, LagReading, PartitionReading, StuckPartition } from './types.js';
import { MS_PER_SECOND } from './units.js';

/** A reading with its partitions (as readings rebuilt from metrics are not), indexed by partition. */
interface DetailedReading {
  now: number;
  byKey: ReadonlyMap<string, PartitionReading>;
}

/** Whether a reading carries its partitions (a type guard: `Array.isArray` alone would leave them `any[]`). */
const hasPartitions = (partitions: LagReading['partitions']): partitions is readonly PartitionReading[] => Array.isArray(partitions);

/**
 * No partition is called stuck sooner than this, whatever its cadence: a slow consumer working
 * through a big message is not stuck.
 */
export const STUCK_MIN_SECONDS = 60;
/** A partition's cadence is read off its last few commits: recent behaviour, not the window's. */
const CADENCE_COMMITS = 10;

/**
 * Stuck: a partition whose committed offset has stood still with lag for longer than its own
 * cadence allows (twice the usual interval between its commits as the readings show them,
 * within STUCK_MIN_SECONDS and stuckPartitionSeconds; stuckPartitionSeconds when it has shown no
 * cadence yet), while another partition moved meanwhile: Burrow's stop rule is relative, so a
 * partition that moved every minute and then stops is named in two, not after a fixed window.
 */
export function findStuckPartitions(samples: readonly HistoryEntry[], policy: Policy): StuckPartition[] {
  const current = newest(samples);
  const currentPartitions = current.lag.partitions;
  if (!hasPartitions(currentPartitions)) return [];
  const detailed = samples.flatMap(({ now, lag: { partitions } }): DetailedReading[] =>
    hasPartitions(partitions) ? [{ now, byKey: new Map(partitions.map((p) => [partitionKey(p), p])) }] : [],
  );
  const movedSince = movedSinceReading(detailed, currentPartitions);
  return currentPartitions.flatMap((p): StuckPartition[] => {
    if (p.lag <= 0) return [];
    const key = partitionKey(p);
    const series = detailed.flatMap(({ now, byKey }) => {
      const seen = byKey.get(key);
      return seen ? [{ now, committed: seen.committed, lag: seen.lag }] : [];
    });
    const standing = standingSince(series);
    const since = series[standing];
    if (since === undefined) return [];
    const stuckSeconds = (current.now - since.now) / MS_PER_SECOND;
    if (stuckSeconds < stuckThreshold(series.slice(0, standing + 1), policy)) return [];
    // Another partition moved while this one stood (it did not): the group is at work, this partition is not.
    return movedSince(since.now) ? [{ topic: p.topic, partition: p.partition, lag: p.lag, stuckSeconds }] : [];
  });
}

/**
 * Whether any partition's committed offset moved between the reading at a time and now, asked once
 * per reading however many partitions stand since it: thousands of standing partitions cost one
 * look at the group each, not one each.
 */
function movedSinceReading(detailed: readonly DetailedReading[], current: readonly PartitionReading[]): (at: number) => boolean {
  const answers = new Map<number, boolean>();
  return (at) => {
    const known = answers.get(at);
    if (known !== undefined) return known;
    const then = detailed.find((r) => r.now === at)?.byKey;
    const moved = current.some((q) => {
      const before = then?.get(partitionKey(q));
      return before !== undefined && q.committed > before.committed;
    });
    answers.set(at, moved);
    return moved;
  };
}

/** The index of the first reading of the run, up to now, in which the committed offset stood still with lag. */
function standingSince(series: readonly { committed: number; lag: number }[]): number {
  const last = series.at(-1);
  let index = series.length;
  while (index > 0) {
    const point = series[index - 1];
    if (point === undefined || last === undefined || point.committed !== last.committed || point.lag <= 0) break;
    index--;
  }
  return index;
}

/** How long a partition may stand before it is stuck: twice its usual interval between commits, bounded. */
function stuckThreshold(before: readonly { now: number; committed: number }[], policy: Policy): number {
  const changes: number[] = [];
  for (let i = 1; i < before.length; i++) {
    const [previous, point] = [before[i - 1], before[i]];
    if (previous !== undefined && point !== undefined && point.committed !== previous.committed) changes.push(point.now);
  }
  const recent = changes.slice(-CADENCE_COMMITS);
  const intervals = recent.slice(1).map((at, i) => (at - (recent[i] ?? at)) / MS_PER_SECOND);
  const cadence = median(intervals);
  if (cadence === null) return policy.stuckPartitionSeconds;
  return Math.min(policy.stuckPartitionSeconds, Math.max(STUCK_MIN_SECONDS, 2 * cadence));
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
