/**
 * After a cold start, rebuild each target's history from the metrics the controller itself
 * published (one GetMetricData call for all targets), so rates, learned throughput and health are
 * known at the first tick instead of after a window of ticks. Restored entries carry the lag, the
 * task counts and, where published, each decision's count, recommendation (for scale-down
 * stabilization) and learned throughput (believed only where the rows themselves support it);
 * only the reason, which is no metric, is lost.
 */
import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { backloggedIntervals, type HistoryEntry, historyWindowSeconds, type Policy, taskThroughputOf } from '../../decision/index.js';
import { METRIC, type MetricName, TARGET_DIMENSION } from './metric-names.js';

const RESTORED = {
  totalLag: METRIC.totalLag,
  maxPartitionLag: METRIC.maxPartitionLag,
  partitionCount: METRIC.partitionCount,
  partitionsWithLag: METRIC.partitionsWithLag,
  logEndSum: METRIC.logEndSum,
  committedSum: METRIC.committedSum,
  current: METRIC.currentTasks,
  running: METRIC.runningTasks,
} as const satisfies Record<string, MetricName>;
type Field = keyof typeof RESTORED;
const FIELDS = Object.keys(RESTORED) as Field[];
/** Published only by some ticks (a hold has no recommendation, a configured throughput is not learned). */
const DECISION = {
  desired: METRIC.desiredTasks,
  recommendation: METRIC.recommendation,
  learned: METRIC.learnedTaskThroughput,
  scheduled: METRIC.scheduledTime,
  readTime: METRIC.readTime,
} as const;
type DecisionField = keyof typeof DECISION;
const DECISION_FIELDS = Object.keys(DECISION) as DecisionField[];
const metricOf = (field: Field | DecisionField): MetricName =>
  Object.hasOwn(RESTORED, field) ? RESTORED[field as Field] : DECISION[field as DecisionField];

/** GetMetricData takes at most 500 queries per request. */
const MAX_QUERIES = 500;

export interface RestoredHistory {
  entries: Map<string, HistoryEntry[]>;
  /** Per target, rows left out because they failed the same checks live input gets (foreign or inconsistent data). */
  dropped: Map<string, number>;
  /** Per target, rows whose learned throughput was dropped: the rows' own consume rates do not support it. */
  unsupportedThroughput: Map<string, number>;
  /** The latest scheduled time a tick handled (epoch ms), so a redelivered event is known after a cold start too. */
  lastScheduledAt?: number;
}

export async function restoreHistory(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  namespace: string,
  targets: Array<{ name: string; policy: Policy }>,
  now: number,
  periodSeconds: number,
  signal?: AbortSignal,
): Promise<RestoredHistory> {
  const restored: RestoredHistory = { entries: new Map(), dropped: new Map(), unsupportedThroughput: new Map() };
  const queried = [...FIELDS, ...DECISION_FIELDS];
  const perRequest = Math.floor(MAX_QUERIES / queried.length);
  for (let start = 0; start < targets.length; start += perRequest) {
    const batch = targets.slice(start, start + perRequest);
    const windowSeconds = Math.max(...batch.map((t) => historyWindowSeconds(t.policy)));
    const queries: MetricDataQuery[] = batch.flatMap((target, t) =>
      queried.map((field) => ({
        Id: `t${start + t}_${field.toLowerCase()}`,
        MetricStat: {
          Metric: { Namespace: namespace, MetricName: metricOf(field), Dimensions: [{ Name: TARGET_DIMENSION, Value: target.name }] },
          Period: periodSeconds,
          Stat: 'Maximum',
        },
        ReturnData: true,
      })),
    );
    const values = new Map<string, Map<number, number>>();
    let nextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(now - windowSeconds * 1000),
          EndTime: new Date(now),
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
        signal ? { abortSignal: signal } : {},
      );
      for (const result of page.MetricDataResults ?? []) {
        const series = values.get(result.Id ?? '') ?? new Map<number, number>();
        for (const [i, timestamp] of (result.Timestamps ?? []).entries()) series.set(timestamp.getTime(), result.Values?.[i] ?? Number.NaN);
        values.set(result.Id ?? '', series);
      }
      nextToken = page.NextToken;
    } while (nextToken);

    batch.forEach((target, t) => {
      const series = (field: Field | DecisionField) => values.get(`t${start + t}_${field.toLowerCase()}`) ?? new Map<number, number>();
      for (const scheduled of series('scheduled').values()) {
        if (Number.isFinite(scheduled) && scheduled * 1000 <= now)
          restored.lastScheduledAt = Math.max(restored.lastScheduledAt ?? 0, scheduled * 1000);
      }
      const entries: HistoryEntry[] = [];
      let dropped = 0;
      for (const at of [...series('logEndSum').keys()].sort((a, b) => a - b)) {
        const row = Object.fromEntries(FIELDS.map((field) => [field, series(field).get(at)])) as Record<Field, number | undefined>;
        const decided = Object.fromEntries(DECISION_FIELDS.map((field) => [field, series(field).get(at)])) as Record<
          DecisionField,
          number | undefined
        >;
        const entry = toEntry(at, periodSeconds * 1000, row, decided);
        if (entry) entries.push(entry);
        else dropped++;
      }
      const throughput = withSupportedThroughput(entries, target.policy);
      restored.entries.set(target.name, throughput.entries);
      if (dropped > 0) restored.dropped.set(target.name, dropped);
      if (throughput.unsupported > 0) restored.unsupportedThroughput.set(target.name, throughput.unsupported);
    });
  }
  return restored;
}

const isCount = (value: number | undefined): value is number => value !== undefined && Number.isInteger(value) && value >= 0;
const isAmount = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value >= 0;

/**
 * One restored row as a history entry, or undefined when it fails the checks live input gets:
 * whole non-negative counts, no more partitions with lag than partitions, no partition lagging more
 * than the total. Anything else is another writer's data or a broken row: a made-up reading.
 */
function toEntry(
  at: number,
  bucketMs: number,
  row: Record<Field, number | undefined>,
  decided: Record<DecisionField, number | undefined>,
): HistoryEntry | undefined {
  const { totalLag, maxPartitionLag, partitionCount, partitionsWithLag, logEndSum, committedSum, current, running } = row;
  // Each checked on its own, not as a list: only that narrows every one to a number below.
  if (
    !isCount(totalLag) ||
    !isCount(maxPartitionLag) ||
    !isCount(partitionCount) ||
    !isCount(partitionsWithLag) ||
    !isCount(current) ||
    !isCount(running) ||
    !isAmount(logEndSum) ||
    !isAmount(committedSum)
  )
    return undefined;
  if (partitionsWithLag > partitionCount || maxPartitionLag > totalLag || totalLag > 0 !== partitionsWithLag > 0) return undefined;
  const { desired, recommendation, learned, readTime } = decided;
  return {
    now: readingTime(at, bucketMs, readTime),
    lag: {
      totalLag,
      maxPartitionLag,
      partitionCount,
      partitionsWithLag,
      logEndSum,
      committedSum,
    },
    service: { desired: current, running },
    ...(isCount(desired)
      ? {
          decision: {
            desired,
            ...(isCount(recommendation) ? { recommendation } : {}),
            ...(isAmount(learned) && learned > 0 ? { learnedTaskThroughput: learned } : {}),
          },
        }
      : {}),
  };
}

/**
 * When the restored reading was taken: its own published time where it falls within its bucket
 * (`at`, the bucket's start, up to a period later), else the bucket's start. A reading dated at
 * its bucket's start instead is up to a period older than it was, and every rate and age measured
 * from it is off by as much (a dry run a few seconds after an off-minute tick read 725 s of time
 * lag for 100).
 */
function readingTime(at: number, bucketMs: number, readTime: number | undefined): number {
  if (readTime === undefined || !Number.isFinite(readTime)) return at;
  const ms = readTime * 1000;
  return ms >= at && ms < at + bucketMs ? ms : at;
}

/**
 * A restored learned throughput is believed within this factor of what the restored rows
 * themselves show one task doing: learning takes the median of many intervals, the rows give a few
 * at a period's granularity.
 */
export const RESTORED_THROUGHPUT_SUPPORT_FACTOR = 1.5;

/**
 * A learned per-task throughput is believed only where the restored rows' own consume rates and
 * task counts support it (rate per task over intervals in which the group was backlogged, as live
 * learning measures it): a foreign or garbled figure, even one below the group's peak, would
 * otherwise size the service down to a task or two. Unsupported figures are dropped and counted;
 * the target then learns again from what it sees.
 */
function withSupportedThroughput(entries: HistoryEntry[], policy: Policy): { entries: HistoryEntry[]; unsupported: number } {
  const learnedRows = entries.filter((entry) => entry.decision?.learnedTaskThroughput !== undefined).length;
  if (learnedRows === 0) return { entries, unsupported: 0 };
  // Every restored row is evidence, whatever the learning window: it is all this run has.
  const intervals =
    entries.length < 3 ? [] : backloggedIntervals(entries, { ...policy, throughputLearningWindowSeconds: Number.MAX_SAFE_INTEGER });
  const shown = intervals.map(({ consumeRate, consumers, partitions }) => taskThroughputOf(consumeRate, consumers, partitions));
  const highest = Math.max(0, ...shown);
  const lowest = Math.min(Number.POSITIVE_INFINITY, ...shown);
  const supported = (learned: number): boolean =>
    shown.length > 0 && learned <= highest * RESTORED_THROUGHPUT_SUPPORT_FACTOR && learned >= lowest / RESTORED_THROUGHPUT_SUPPORT_FACTOR;
  let unsupported = 0;
  const checked = entries.map((entry) => {
    const { decision } = entry;
    if (decision?.learnedTaskThroughput === undefined || supported(decision.learnedTaskThroughput)) return entry;
    unsupported++;
    const { learnedTaskThroughput: _unsupported, ...withoutThroughput } = decision;
    return { ...entry, decision: withoutThroughput };
  });
  return { entries: checked, unsupported };
}
