/**
 * Measure — does scaling still help? A downstream bottleneck (a database, an API) caps what the
 * consumers can do whatever their number; adding tasks then only adds cost and rebalances
 * (kedacore/keda#7092). The history shows it: while the group was backlogged — working at its
 * capacity — a higher running count consumed no more than a lower one, although its partition
 * share should have let it consume noticeably more.
 *
 * Then the ceiling is the most the group consumed while backlogged, and its count the fewest tasks
 * that reach it at what a task can do (the per-task throughput, or the best per task the counts
 * showed, whichever is higher), whatever count the ceiling first appeared at; the compute step goes
 * no higher (reason `scaling-ineffective`).
 * The evidence ages out with the health window; the controller then probes once, to at most 1½
 * times the ceiling's count, and either finds the ceiling again or sees the throughput grow and
 * scales freely. So a ceiling never hides a real need for longer than one health window and a
 * probe, and each probe is bounded. Coming down to the ceiling's count skips the scale-down
 * stabilization and the lag-growing guard: behind a ceiling, fewer tasks consume as much.
 */
import { tasksForCapacity, taskThroughputOf } from './capacity.js';
import type { Recommendation } from './compute.js';
import { HEALTH_HOLDS } from './health.js';
import { newest } from './newest.js';
import type { Policy } from './policy.js';
import { type BackloggedInterval, backloggedIntervals, median } from './rates.js';
import type { HistoryEntry } from './types.js';
import { MS_PER_SECOND } from './units.js';

export interface Ceiling {
  /** Messages per second the group consumed at most while backlogged. */
  consumeRate: number;
  /** The fewest tasks that consume that much at what a task can do (the count scaling-ineffective holds). */
  tasks: number;
}

export interface CeilingAssessment {
  /** Set while the history shows that added tasks stopped adding throughput. */
  ceiling: Ceiling | null;
  /** While a ceiling found earlier is being re-probed: the most tasks the probe may ask for. */
  probeLimit: number | null;
}

/** A probe goes to at most this many times the ceiling's count: the next capacity step or two, enough to show more throughput; bounded. */
export const PROBE_FACTOR = 1.5;

export function assessCeiling(samples: readonly HistoryEntry[], policy: Policy, taskThroughput: number | null = null): CeilingAssessment {
  // Only intervals when every consumer was busy: a few partitions still draining are no ceiling.
  // Judged over the health window, not the longer learning window: a bottleneck that lifts is
  // noticed at the next probe, and probes come one per window.
  const since = newest(samples).now - policy.healthWindowSeconds * MS_PER_SECOND;
  const intervals = backloggedIntervals(samples, policy).filter((i) => i.spread && i.at >= since);
  const ceiling = findCeiling(intervals, policy.tolerance, taskThroughput);
  if (ceiling !== null) return { ceiling, probeLimit: null };

  const marked = samples.findLast((s) => s.decision?.ceiling !== undefined);
  if (marked?.decision?.ceiling === undefined) return { ceiling: null, probeLimit: null };
  const earlier = marked.decision.ceiling;
  // The probe has answered once a count above the ceiling's worked backlogged: the intervals then tell.
  const lifted = intervals.some((i) => i.at > marked.now && i.consumers > earlier.tasks);
  // A whole count, and at least one task above the ceiling's: a probe must be able to show more.
  return { ceiling: null, probeLimit: lifted ? null : Math.max(earlier.tasks + 1, Math.floor(earlier.tasks * PROBE_FACTOR)) };
}

/**
 * The ceiling, when the highest running count seen backlogged consumed less per task, by more than
 * twice the tolerance, than the group has shown at a lower count. Per task means partition
 * granularity included (taskThroughputOf). Each count's rate is the median of its intervals, so one
 * slow interval is not a ceiling. One count alone proves nothing: consumers that slowed down for
 * their own reasons (a broker failover, a slow deploy) look the same, and fewer tasks would not help
 * them.
 */
function findCeiling(intervals: readonly BackloggedInterval[], tolerance: number, taskThroughput: number | null): Ceiling | null {
  const latest = intervals.at(-1);
  if (latest === undefined) return null;
  const { partitions } = latest;
  // Each running count's consume rates: never empty, a count is there because an interval showed it.
  const byCount = new Map<number, [number, ...number[]]>();
  for (const i of intervals.filter((i) => i.partitions === partitions)) {
    const rates = byCount.get(i.consumers);
    if (rates === undefined) byCount.set(i.consumers, [i.consumeRate]);
    else rates.push(i.consumeRate);
  }
  const counts = [...byCount]
    .map(([tasks, values]) => {
      const rate = median(values);
      return { tasks, rate, perTask: taskThroughputOf(rate, tasks, partitions) };
    })
    .sort((a, b) => a.tasks - b.tasks);
  // The highest running count seen; one count alone proves nothing.
  const top = counts.at(-1);
  if (top === undefined || counts.length < 2) return null;
  const best = Math.max(...counts.map((c) => c.perTask));
  if (top.perTask > best * (1 - 2 * tolerance)) return null;
  const consumeRate = Math.max(...counts.map((c) => c.rate));
  // Sized from what a task can do, not from the counts tried: a ceiling that appeared at 24 tasks,
  // 12 of which reach it, is 12 tasks, although no count below 24 ran behind it.
  const tasks = tasksForCapacity(consumeRate, Math.max(best, taskThroughput ?? 0), partitions);
  return tasks < top.tasks ? { consumeRate, tasks } : null;
}

/**
 * The compute step's recommendation under the ceiling: no higher than the ceiling's count (coming
 * down to it when above), and a probe no higher than its limit. A health hold stays a hold.
 */
export function capAtCeiling(recommendation: Recommendation, { ceiling, probeLimit }: CeilingAssessment): Recommendation {
  if (HEALTH_HOLDS.has(recommendation.reason)) return recommendation;
  if (ceiling !== null && recommendation.tasks > ceiling.tasks) {
    return { ...recommendation, tasks: ceiling.tasks, reason: 'scaling-ineffective' };
  }
  if (probeLimit !== null && recommendation.tasks > probeLimit) return { ...recommendation, tasks: probeLimit };
  return recommendation;
}
