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
import type { HistoryEntry } from './types.js';
import { MS_PER_SECOND } from './units.js';

/** Seconds; 0 when nothing is unconsumed; null when there is no history to tell. */
export function estimateTimeLagSeconds(samples: readonly HistoryEntry[], produceRate: number | null): number | null {
  const current = samples.at(-1)!;
  if (current.lag.totalLag === 0) return 0;
  const position = current.lag.logEndSum - current.lag.totalLag;

  const lastBelow = samples.findLastIndex((s, i) => i < samples.length - 1 && s.lag.logEndSum <= position);
  const producedAt =
    lastBelow >= 0 ? interpolate(samples[lastBelow]!, samples[lastBelow + 1]!, position) : extrapolate(samples, position, produceRate);
  if (producedAt === null) return null;
  const seconds = (current.now - producedAt) / MS_PER_SECOND;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

/** When the log end passed `position`, between samples `before` and `after`. */
function interpolate(before: HistoryEntry, after: HistoryEntry, position: number): number {
  const growth = after.lag.logEndSum - before.lag.logEndSum;
  if (growth <= 0) return before.now;
  const fraction = Math.min(1, (position - before.lag.logEndSum) / growth);
  return before.now + fraction * (after.now - before.now);
}

/** When the log end passed `position`, before the oldest sample; null with no history at all. */
function extrapolate(samples: readonly HistoryEntry[], position: number, produceRate: number | null): number | null {
  const oldest = samples[0]!;
  const current = samples.at(-1)!;
  if (oldest === current) return null;
  const historyRate = ((current.lag.logEndSum - oldest.lag.logEndSum) * MS_PER_SECOND) / (current.now - oldest.now);
  // The faster of the two rates: a producer idle just now says little about when the old
  // messages came, and dividing by its near-zero rate would put them in a distant past.
  const rate = Math.max(produceRate ?? 0, historyRate);
  if (!(rate > 0)) return oldest.now;
  return oldest.now - ((oldest.lag.logEndSum - position) * MS_PER_SECOND) / rate;
}
