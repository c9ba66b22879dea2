/**
 * Rates read off the history: how fast messages are produced and consumed, whether the lag is
 * growing, and what one task can consume.
 */
import { taskThroughputOf } from './capacity.js';
import { sameSet } from './measured-readings.js';
import { newest } from './newest.js';
import type { Policy } from './policy.js';
import type { FirstLook, HistoryEntry, ThroughputSource } from './types.js';
import { MS_PER_SECOND } from './units.js';

export interface Rates {
  /** Messages per second added to the log; null without history or when the log end went back. */
  produceRate: number | null;
  /** Messages per second committed; null without history or when commits went back. */
  consumeRate: number | null;
  /** The lag rose over the rate window by more than the tolerance and more than a second of production (noise). */
  lagGrowing: boolean;
}

export interface TaskThroughput {
  value: number | null;
  source: ThroughputSource;
}

/**
 * Produce and consume rates over the rate window; `samples` are oldest first, the last is now.
 * The produce rate is the window's, or, on a second look (a confirmation read), the last interval's
 * when that is higher: a surge that began seconds ago is diluted in a minute's average, and a read a
 * few seconds after the tick's shows it whole. Log-end offsets count exactly what
 * was produced, so a short interval is still a true rate; commits are not (each consumer commits on
 * its own schedule), so the consume rate stays the window's.
 */
export function measureRates(samples: readonly HistoryEntry[], policy: Policy, firstLook?: FirstLook): Rates {
  const current = newest(samples);
  const reference = rateReference(samples, policy.rateWindowSeconds);
  if (reference === undefined) return { produceRate: null, consumeRate: null, lagGrowing: false };
  const seconds = (current.now - reference.now) / MS_PER_SECOND;
  const rateOf = (delta: number): number | null => finiteOrNull(delta >= 0 ? delta / seconds : NaN);
  const windowProduceRate = rateOf(current.lag.logEndSum - reference.lag.logEndSum);
  return {
    produceRate: windowProduceRate === null ? null : Math.max(windowProduceRate, recentProduceRate(current, reference, firstLook) ?? 0),
    consumeRate: rateOf(current.lag.committedSum - reference.lag.committedSum),
    lagGrowing: lagGrew(current.lag.totalLag, reference.lag.totalLag, windowProduceRate, policy),
  };
}

/**
 * Below this, an interval's produce rate is producer batching (linger, retries) as much as rate; a
 * confirmation read (SCALER_CONFIRM_SECONDS) waits at least this long.
 */
export const RECENT_RATE_MIN_SECONDS = 2;

/**
 * The produce rate since this tick's first look (this read is the second look it asked for), when
 * that read is after the window's start, over the same partitions, and long enough ago; else null.
 * Every tick's own interval would let short-term noise size the service, and at short ticks that
 * noise costs task-hours for nothing.
 */
function recentProduceRate(current: HistoryEntry, reference: HistoryEntry, firstLook: FirstLook | undefined): number | null {
  if (firstLook === undefined || firstLook.now <= reference.now) return null;
  if (!sameSet(firstLook, current)) return null;
  const seconds = (current.now - firstLook.now) / MS_PER_SECOND;
  if (seconds < RECENT_RATE_MIN_SECONDS) return null;
  const produced = current.lag.logEndSum - firstLook.lag.logEndSum;
  return produced >= 0 ? finiteOrNull(produced / seconds) : null;
}

/** Lag below a second of production is batching and commit timing, not falling behind: growth within it is noise. */
const LAG_NOISE_SECONDS = 1;

/** The lag rose by more than the tolerance, and by more than its noise. */
function lagGrew(now: number, before: number, produceRate: number | null, policy: Policy): boolean {
  return now > before * (1 + policy.tolerance) && now - before > (produceRate ?? 0) * LAG_NOISE_SECONDS;
}

/** The newest earlier sample at least `windowSeconds` old, or the oldest one if none is. */
function rateReference(samples: readonly HistoryEntry[], windowSeconds: number): HistoryEntry | undefined {
  const current = newest(samples);
  const earlier = samples.slice(0, -1);
  const oldEnough = earlier.findLast((s) => current.now - s.now >= windowSeconds * MS_PER_SECOND);
  return oldEnough ?? earlier[0];
}

/**
 * Per-task throughput: the configured value; else learned as the median over the learning window
 * of (consume rate × ceil(P/n) / P) across intervals in which the group was backlogged — it only
 * shows its capacity when it has more work than it can do — and the same n consumers ran
 * throughout, with no membership change just before (the rebalance pause would hide capacity);
 * else the value an earlier decision in `decisions` learned (a task's throughput outlives a change
 * of the partitions read); else none.
 */
export function estimateTaskThroughput(
  samples: readonly HistoryEntry[],
  policy: Policy,
  decisions: readonly HistoryEntry[] = samples,
): TaskThroughput {
  if (policy.taskThroughput > 0) return { value: policy.taskThroughput, source: 'configured' };
  const learned = median(backloggedThroughputSamples(samples, policy));
  if (learned !== null) return { value: learned, source: 'learned' };
  const carried = decisions.findLast((s) => s.decision?.learnedTaskThroughput !== undefined)?.decision?.learnedTaskThroughput;
  if (carried !== undefined) return { value: carried, source: 'learned' };
  return { value: null, source: 'none' };
}

/** An interval in which the group was backlogged and the same consumers ran throughout: it showed its capacity. */
export interface BackloggedInterval {
  /** Epoch ms at the interval's end. */
  at: number;
  consumers: number;
  partitions: number;
  /** Messages per second committed over the interval. */
  consumeRate: number;
  /**
   * Nearly every partition (all but the tolerance's share) had lag at both ends: every consumer was
   * busy, so the rate is the group's capacity, not the pace of a few partitions still draining.
   */
  spread: boolean;
}

/**
 * Intervals within the learning window in which the group was backlogged — it only shows its
 * capacity when it has more work than it can do — and the same consumers ran throughout, with no
 * membership change just before (the rebalance pause would hide capacity).
 */
export function backloggedIntervals(history: readonly HistoryEntry[], policy: Policy): BackloggedInterval[] {
  const samples = history;
  const windowStart = newest(samples).now - policy.throughputLearningWindowSeconds * MS_PER_SECOND;
  const intervals: BackloggedInterval[] = [];
  for (const [i, end] of samples.entries()) {
    const before = samples[i - 2];
    const start = samples[i - 1];
    // The first two samples end no interval: each needs its start and the sample before that.
    if (before === undefined || start === undefined) continue;
    const consumers = end.service.running;
    const partitions = end.lag.partitionCount;
    if (start.now < windowStart || consumers < 1) continue;
    if (before.service.running !== consumers || start.service.running !== consumers) continue;
    if (start.lag.partitionCount !== partitions) continue;
    const consumeRate = ((end.lag.committedSum - start.lag.committedSum) * MS_PER_SECOND) / (end.now - start.now);
    // Spread over the partitions: a hot or stuck partition's backlog says nothing of the group's capacity.
    const backlogged = (s: HistoryEntry): boolean =>
      s.lag.totalLag > 0 && s.lag.totalLag - s.lag.maxPartitionLag >= consumeRate * policy.learningMinBacklogSeconds;
    if (consumeRate <= 0 || !Number.isFinite(consumeRate) || !backlogged(start) || !backlogged(end)) continue;
    const busy = (s: HistoryEntry): boolean => s.lag.partitionsWithLag >= partitions * (1 - policy.tolerance);
    intervals.push({ at: end.now, consumers, partitions, consumeRate, spread: busy(start) && busy(end) });
  }
  return intervals;
}

function backloggedThroughputSamples(samples: readonly HistoryEntry[], policy: Policy): number[] {
  return backloggedIntervals(samples, policy).flatMap(({ consumeRate, consumers, partitions }) => {
    const estimate = finiteOrNull(taskThroughputOf(consumeRate, consumers, partitions));
    return estimate === null ? [] : [estimate];
  });
}

/** The middle value, or the mean of the two middle ones for an even count; null for no values. */
export function median(values: readonly [number, ...number[]]): number;
export function median(values: readonly number[]): number | null;
export function median(values: readonly number[]): number | null {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  if (upper === undefined) return null; // no values
  const lower = sorted[middle - 1];
  return sorted.length % 2 === 0 && lower !== undefined ? (lower + upper) / 2 : upper;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
