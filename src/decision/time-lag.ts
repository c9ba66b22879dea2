/**
 * Time lag: the age of the oldest unconsumed message, which is what consumers of the data feel.
 *
 * Kafka reports positions, not times. The oldest unconsumed message sits at position
 * logEnd − lag (in the units of logEndSum); it was produced when the log end passed that
 * position. The history holds (time, logEndSum) pairs, so that moment is found by interpolating
 * between the last sample at or below the position and the next one. When producers are idle the
 * log end stands still and the age keeps growing, as it should. When the position is older than
 * all history, the moment is extrapolated back from the oldest sample with the produce rate (the
 * recent one or the history's average, whichever is faster); with no rate to extrapolate with,
 * the oldest sample's age is the answer (a lower bound).
 */
import { newest } from './newest.js';
import { partitionKey } from './partition-key.js';
import type { HistoryEntry } from './types.js';
import { MS_PER_SECOND } from './units.js';

/** One point of a log: when, where its end was, and how far behind the consumer was. */
interface LogPoint {
  now: number;
  logEnd: number;
  lag: number;
}

/**
 * Seconds; 0 when nothing is unconsumed; null when there is no history to tell. The group's sums
 * assume one queue; where the readings carry partitions, each partition with lag is judged on its
 * own as well, and the oldest wins: a stalled or skewed partition holds messages far older than
 * the sums suggest.
 */
export function estimateTimeLagSeconds(samples: readonly HistoryEntry[], produceRate: number | null): number | null {
  return estimateOldest(samples, produceRate).seconds;
}

/** The oldest unconsumed message: its age, and the partition that holds it when one holds older messages than the sums say. */
export interface OldestMessage {
  seconds: number | null;
  partition?: { topic: string; partition: number };
}

export function estimateOldest(samples: readonly HistoryEntry[], produceRate: number | null): OldestMessage {
  const group = ageOfOldest(
    samples.map((s) => ({ now: s.now, logEnd: s.lag.logEndSum, lag: s.lag.totalLag })),
    produceRate,
  );
  const current = newest(samples);
  if (group === null || !current.lag.partitions || current.lag.totalLag === 0) return { seconds: group };
  // Each reading indexed once: a group of thousands of partitions is looked up, not scanned, per partition.
  const detailed = samples.flatMap((s) =>
    s.lag.partitions ? [{ now: s.now, byKey: new Map(s.lag.partitions.map((p) => [partitionKey(p), p])) }] : [],
  );
  let oldest = group;
  let holder: OldestMessage['partition'];
  for (const partition of current.lag.partitions) {
    if (partition.lag === 0) continue;
    const series = detailed.flatMap(({ now, byKey }) => {
      const seen = byKey.get(partitionKey(partition));
      return seen ? [{ now, logEnd: seen.committed + seen.lag, lag: seen.lag }] : [];
    });
    // Judged by its own produce rate, not the group's share: a slow partition beside busy ones holds
    // old messages behind a lag that looks small. Too little lag to be older at its own rate: skipped.
    const ownRate = produceRateOf(series);
    if (ownRate !== null && partition.lag <= oldest * ownRate) continue;
    const age = ageOfOldest(series, ownRate);
    if (age !== null && age > oldest) {
      oldest = age;
      holder = { topic: partition.topic, partition: partition.partition };
    }
  }
  return { seconds: oldest, ...(holder ? { partition: holder } : {}) };
}

/** A partition's produce rate over its readings (msg/s), or null with fewer than two or no time between them. */
function produceRateOf(series: readonly LogPoint[]): number | null {
  const first = series[0];
  const last = series.at(-1);
  if (first === undefined || last === undefined || last.now <= first.now) return null;
  return Math.max(0, ((last.logEnd - first.logEnd) * MS_PER_SECOND) / (last.now - first.now));
}

function ageOfOldest(series: readonly LogPoint[], produceRate: number | null): number | null {
  const current = newest(series);
  if (current.lag === 0) return 0;
  const position = current.logEnd - current.lag;

  // The last point at or below the position with one after it: the log end passed the position
  // between the two. Without one (index -1, no point before), it passed before the oldest point.
  const lastBelow = series.findLastIndex((s, i) => i < series.length - 1 && s.logEnd <= position);
  const before = series[lastBelow];
  const after = series[lastBelow + 1];
  const producedAt =
    before !== undefined && after !== undefined ? interpolate(before, after, position) : extrapolate(series, position, produceRate);
  if (producedAt === null) return null;
  const seconds = (current.now - producedAt) / MS_PER_SECOND;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

/** When the log end passed `position`, between points `before` and `after`. */
function interpolate(before: LogPoint, after: LogPoint, position: number): number {
  const growth = after.logEnd - before.logEnd;
  if (growth <= 0) return before.now;
  const fraction = Math.min(1, (position - before.logEnd) / growth);
  return before.now + fraction * (after.now - before.now);
}

/** When the log end passed `position`, before the oldest point; null with no history at all. */
function extrapolate(series: readonly LogPoint[], position: number, produceRate: number | null): number | null {
  const oldest = series[0];
  const current = newest(series);
  if (oldest === undefined || oldest === current) return null;
  const historyRate = ((current.logEnd - oldest.logEnd) * MS_PER_SECOND) / (current.now - oldest.now);
  // The faster of the two rates: a producer idle just now says little about when the old
  // messages came, and dividing by its near-zero rate would put them in a distant past.
  const rate = Math.max(produceRate ?? 0, historyRate);
  if (!(rate > 0)) return oldest.now;
  return oldest.now - ((oldest.logEnd - position) * MS_PER_SECOND) / rate;
}
