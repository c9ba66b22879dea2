/**
 * Group health after Burrow's consumer status rules, judged over the health window:
 *
 * - REWIND: a committed offset sum went backwards (someone reset the group's offsets); with
 *           partitions, judged per partition instead (partition-health.ts), only while unrecovered.
 * - STOP:   tasks are wanted, none is up now, and nothing was committed for the whole window
 *           while there was lag: the consumers are gone (crashing, failing to start).
 * - STALL:  consumers ran throughout, with lag, and committed nothing for the whole window:
 *           they are stuck (a poison message, a blocked downstream); with partitions, judged per
 *           partition instead, within STALL_MIN_SECONDS (group-stalled).
 * - WARN:   the lag rose at every sample of the window: the group is falling behind.
 * - OK:     none of the above.
 *
 * More tasks do not cure REWIND, STOP or STALL, so the caller holds the count when it sees them.
 * STALL, STOP and WARN need samples covering the whole window, so a short history never
 * produces them, and a group scaled to zero on purpose (no task wanted) is never STOP or STALL.
 */
import { newest } from './newest.js';
import type { PartitionHealth } from './partition-health.js';
import type { Policy } from './policy.js';
import type { Reason } from './reasons.js';
import type { HealthStatus, HistoryEntry } from './types.js';
import { MS_PER_SECOND } from './units.js';

const MIN_WINDOW_SAMPLES = 3;

/**
 * The group's status: where the readings have partitions, REWIND and STALL are the worst of its
 * partitions' (partition-health.ts), judged per partition; else, and for STOP and WARN, the sums'.
 */
export function assessHealth(samples: readonly HistoryEntry[], policy: Policy, partitions: PartitionHealth): HealthStatus {
  const current = newest(samples);
  const windowStart = current.now - policy.healthWindowSeconds * MS_PER_SECOND;
  const window = samples.filter((s) => s.now >= windowStart);
  const steps = stepsOf(window);

  if (partitions.judged && partitions.rewound.length > 0) return 'REWIND';
  if (partitions.judged && partitions.stalled !== null) return 'STALL';
  const rewound = steps.some(
    ({ before, after }) => after.lag.partitionCount === before.lag.partitionCount && after.lag.committedSum < before.lag.committedSum,
  );
  if (!partitions.judged && rewound) return 'REWIND';
  if (!coversWindow(window, windowStart)) return 'OK';

  const noCommits = steps.every(({ before, after }) => after.lag.committedSum === before.lag.committedSum);
  const lagThroughout = window.every((s) => s.lag.totalLag > 0);
  const tasksWanted = window.every((s) => s.service.desired > 0);
  if (noCommits && lagThroughout && tasksWanted) {
    if (current.service.running === 0) return 'STOP';
    if (!partitions.judged && window.every((s) => s.service.running > 0)) return 'STALL';
  }
  if (steps.every(({ before, after }) => after.lag.totalLag > before.lag.totalLag)) return 'WARN';
  return 'OK';
}

/** The reasons holdFor gives: a count held because more tasks would not cure the group's status. */
export const HEALTH_HOLDS: ReadonlySet<Reason> = new Set([
  'health-stall',
  'health-stop',
  'health-rewind',
  'partition-rewind',
  'group-stalled',
]);

/** The hold a status calls for, named by where it was judged: per partition, or on the sums. */
export function holdFor(health: HealthStatus, partitions: PartitionHealth): Reason | null {
  switch (health) {
    case 'REWIND':
      return partitions.judged ? 'partition-rewind' : 'health-rewind';
    case 'STALL':
      return partitions.judged ? 'group-stalled' : 'health-stall';
    case 'STOP':
      return 'health-stop';
    default:
      return null;
  }
}

/** Whether the samples reach back to the window's start, give or take their own spacing. */
function coversWindow(window: readonly HistoryEntry[], windowStart: number): boolean {
  const oldest = window[0];
  if (oldest === undefined || window.length < MIN_WINDOW_SAMPLES) return false;
  const widestGap = Math.max(...stepsOf(window).map(({ before, after }) => after.now - before.now));
  return oldest.now - windowStart <= widestGap;
}

/** Two consecutive samples. */
interface Step {
  before: HistoryEntry;
  after: HistoryEntry;
}

/** Each sample with the one before it, oldest first: one step fewer than samples. */
function stepsOf(window: readonly HistoryEntry[]): Step[] {
  const steps: Step[] = [];
  let before: HistoryEntry | undefined;
  for (const after of window) {
    if (before !== undefined) steps.push({ before, after });
    before = after;
  }
  return steps;
}
