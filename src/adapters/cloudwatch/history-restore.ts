/**
 * After a cold start, rebuild each target's history from the metrics the controller itself
 * published (one GetMetricData call for all targets), so rates, learned throughput and health are
 * known at the first tick instead of after a window of ticks. Restored entries carry the lag, the
 * task counts and, where published, each decision's count, recommendation (for scale-down
 * stabilization) and learned throughput; only the reason, which is no metric, is lost.
 */
import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { HistoryEntry } from '../../decision/index.js';
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
  /** The latest scheduled time a tick handled (epoch ms), so a redelivered event is known after a cold start too. */
  lastScheduledAt?: number;
}

export async function restoreHistory(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  namespace: string,
  targets: Array<{ name: string; windowSeconds: number }>,
  now: number,
  periodSeconds: number,
  signal?: AbortSignal,
): Promise<RestoredHistory> {
  const restored: RestoredHistory = { entries: new Map(), dropped: new Map() };
  const queried = [...FIELDS, ...DECISION_FIELDS];
  const perRequest = Math.floor(MAX_QUERIES / queried.length);
  for (let start = 0; start < targets.length; start += perRequest) {
    const batch = targets.slice(start, start + perRequest);
    const windowSeconds = Math.max(...batch.map((t) => t.windowSeconds));
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
        const entry = toEntry(at, row, decided);
        if (entry) entries.push(entry);
        else dropped++;
      }
      restored.entries.set(target.name, withBelievableThroughput(entries));
      if (dropped > 0) restored.dropped.set(target.name, dropped);
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
  row: Record<Field, number | undefined>,
  decided: Record<DecisionField, number | undefined>,
): HistoryEntry | undefined {
  const { totalLag, maxPartitionLag, partitionCount, partitionsWithLag, logEndSum, committedSum, current, running } = row;
  if (
    ![totalLag, maxPartitionLag, partitionCount, partitionsWithLag, current, running].every(isCount) ||
    !isAmount(logEndSum) ||
    !isAmount(committedSum)
  )
    return undefined;
  if (partitionsWithLag! > partitionCount! || maxPartitionLag! > totalLag! || totalLag! > 0 !== partitionsWithLag! > 0) return undefined;
  const { desired, recommendation, learned } = decided;
  return {
    now: at,
    lag: {
      totalLag: totalLag!,
      maxPartitionLag: maxPartitionLag!,
      partitionCount: partitionCount!,
      partitionsWithLag: partitionsWithLag!,
      logEndSum,
      committedSum,
    },
    service: { desired: current!, running: running! },
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
 * A learned per-task throughput is believed only up to what the whole group was seen to consume in
 * the restored rows (one task cannot do more than all of them): a foreign or garbled figure would
 * otherwise size every service at one task.
 */
function withBelievableThroughput(entries: HistoryEntry[]): HistoryEntry[] {
  let highestGroupRate = 0;
  for (let i = 1; i < entries.length; i++) {
    const [before, after] = [entries[i - 1]!, entries[i]!];
    const seconds = (after.now - before.now) / 1000;
    if (seconds > 0) highestGroupRate = Math.max(highestGroupRate, (after.lag.committedSum - before.lag.committedSum) / seconds);
  }
  return entries.map((entry) => {
    const learned = entry.decision?.learnedTaskThroughput;
    if (learned === undefined || learned <= highestGroupRate) return entry;
    const { learnedTaskThroughput: _unbelievable, ...decision } = entry.decision!;
    return { ...entry, decision };
  });
}
