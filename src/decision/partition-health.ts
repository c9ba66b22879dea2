/**
 * Measure — health judged per partition, as Burrow's evaluator judges it: each rule a named, pure
 * function of one partition's readings over the health window, and the group's status the worst of
 * its partitions'. On group sums these are invisible or wrong: three partitions advancing hide one
 * that went back, and a rewind that recovered a minute later still reads as one for the window.
 * A partition at or below the allowed lag (policy.allowedPartitionLag: a transaction's commit
 * marker, a compacted tail) is caught up for every rule.
 *
 *   rewoundFrom   its committed offset went back and has not come back to the highest it had
 *                 reached: a reset, or a consumer that lost its commits. Held, and named. One that
 *                 recovered (a rebalance's small backward commit, then progress) is history.
 *   stoodStill    it had more than the allowed lag and its committed offset did not move.
 *   groupStalled  consumers ran throughout, no partition moved and some had lag, for at least
 *                 STALL_MIN_SECONDS: a poison message everywhere, a crash loop, a hung dependency.
 *                 More tasks do not unstick a group that is not consuming: held, named, alerted.
 *
 * Readings without partitions (history rebuilt from metrics) judge nothing here: the group's sums
 * are judged instead (health.ts).
 */
import { newest } from './newest.js';
import { partitionKey } from './partition-key.js';
import type { Policy } from './policy.js';
import type { HistoryEntry, PartitionReading, RewoundPartition } from './types.js';
import { MS_PER_SECOND } from './units.js';

/**
 * No partition with lag moving for this long, consumers up, is a stall: longer than a rebalance's
 * pause and a consumer's commit interval (KafkaJS commits every batch, librdkafka every 5 s), so a
 * group that only paused to rebalance is not called stalled.
 */
export const STALL_MIN_SECONDS = 30;

/** One partition's committed offset and lag at one reading. */
export interface PartitionPoint {
  now: number;
  committed: number;
  lag: number;
}

export interface GroupStall {
  /** How long no partition with lag has moved, as far as the readings show. */
  seconds: number;
  /** Partitions standing with more than the allowed lag. */
  partitions: number;
}

export interface PartitionHealth {
  /** False when the readings carry no partitions: nothing was judged here. */
  judged: boolean;
  rewound: RewoundPartition[];
  stalled: GroupStall | null;
}

/** The highest committed offset a partition had reached before it went back, if it has not come back to it; else null. */
export function rewoundFrom(points: readonly PartitionPoint[]): number | null {
  let highest = Number.NEGATIVE_INFINITY;
  let wentBack = false;
  for (const { committed } of points) {
    if (committed < highest) wentBack = true;
    highest = Math.max(highest, committed);
  }
  const last = points.at(-1);
  return wentBack && last !== undefined && last.committed < highest ? highest : null;
}

/** It had more than `allowedLag` at every point (any lag at all: -Infinity) and its committed offset never moved. */
export function stoodStill(points: readonly PartitionPoint[], allowedLag: number): boolean {
  const first = points[0];
  return first !== undefined && points.every((p) => p.committed === first.committed && p.lag > allowedLag);
}

/** A reading with its partitions, and the service counts at it. */
interface DetailedReading {
  now: number;
  partitions: ReadonlyMap<string, PartitionReading>;
  running: number;
  desired: number;
}

export function judgePartitions(samples: readonly HistoryEntry[], policy: Policy): PartitionHealth {
  const current = newest(samples);
  if (!current.lag.partitions) return { judged: false, rewound: [], stalled: null };
  const windowStart = current.now - policy.healthWindowSeconds * MS_PER_SECOND;
  const readings = samples.flatMap(({ now, lag, service }): DetailedReading[] =>
    now >= windowStart && lag.partitions ? [{ now, partitions: new Map(lag.partitions.map((p) => [partitionKey(p), p])), ...service }] : [],
  );
  const pointsOf = (key: string, from: readonly DetailedReading[] = readings): PartitionPoint[] =>
    from.flatMap(({ now, partitions }) => {
      const p = partitions.get(key);
      return p ? [{ now, committed: p.committed, lag: p.lag }] : [];
    });
  const rewound = current.lag.partitions.flatMap((p): RewoundPartition[] => {
    const from = rewoundFrom(pointsOf(partitionKey(p)));
    return from === null ? [] : [{ topic: p.topic, partition: p.partition, from, to: p.committed }];
  });
  return { judged: true, rewound, stalled: groupStalled(readings, pointsOf, policy) };
}

/**
 * The longest run of readings up to now in which consumers ran, no partition moved and some had
 * lag throughout, if it spans STALL_MIN_SECONDS; else null. One walk back over the readings: a
 * group of thousands of partitions is looked at once per reading, not once per candidate start.
 */
function groupStalled(
  readings: readonly DetailedReading[],
  pointsOf: (key: string, from: readonly DetailedReading[]) => PartitionPoint[],
  policy: Policy,
): GroupStall | null {
  const current = readings.at(-1);
  if (current === undefined || !consumersRan(current)) return null;
  const allowed = policy.allowedPartitionLag;
  // Back from now while consumers ran and no partition's commits moved. A partition that moved (even
  // one without lag, consuming what arrives) shows a group at work: then standing partitions are
  // stuck ones (stuck-partitions.ts), not a stall.
  const committed = new Map([...current.partitions].map(([key, p]) => [key, p.committed]));
  let start = readings.length - 1;
  for (let index = readings.length - 2; index >= 0; index--) {
    const reading = readings[index];
    if (reading === undefined || !consumersRan(reading)) break;
    if ([...reading.partitions].some(([key, p]) => (committed.get(key) ?? p.committed) !== p.committed)) break;
    start = index;
  }
  // With nothing committed, a partition's lag only grows: the stall starts at the first reading of
  // that run in which some partition had more than the allowed lag, and those partitions stood throughout.
  while (start < readings.length - 1 && ![...(readings[start]?.partitions.values() ?? [])].some((p) => p.lag > allowed)) start++;
  const since = readings[start];
  if (since === undefined || start === readings.length - 1) return null;
  const span = readings.slice(start);
  const partitions = [...since.partitions.keys()].filter((key) => stoodStill(pointsOf(key, span), allowed)).length;
  const seconds = (current.now - since.now) / MS_PER_SECOND;
  return partitions > 0 && seconds >= STALL_MIN_SECONDS ? { seconds, partitions } : null;
}

function consumersRan(reading: DetailedReading): boolean {
  return reading.running > 0 && reading.desired > 0;
}
