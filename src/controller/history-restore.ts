/**
 * After a cold start, rebuild each target's history from the metrics the controller itself
 * published (one GetMetricData call for all targets), so rates, learned throughput and health are
 * known at the first tick instead of after a window of ticks. Restored entries carry the lag, the
 * task counts and, where published, each decision's count, recommendation (for scale-down
 * stabilization) and learned throughput; only the reason, which is no metric, is lost.
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { HistoryEntry } from '../decision/index.js';
import { METRIC, TARGET_DIMENSION, type MetricName } from './metric-names.js';

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
const DECISION = { desired: METRIC.desiredTasks, recommendation: METRIC.recommendation, learned: METRIC.learnedTaskThroughput } as const;
type DecisionField = keyof typeof DECISION;
const DECISION_FIELDS = Object.keys(DECISION) as DecisionField[];
const metricOf = (field: Field | DecisionField): MetricName => (field in RESTORED ? RESTORED[field as Field] : DECISION[field as DecisionField]);

/** GetMetricData takes at most 500 queries per request. */
const MAX_QUERIES = 500;

export async function restoreHistory(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  namespace: string,
  targets: Array<{ name: string; windowSeconds: number }>,
  now: number,
  periodSeconds: number,
  signal?: AbortSignal,
): Promise<Map<string, HistoryEntry[]>> {
  const restored = new Map<string, HistoryEntry[]>();
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
        result.Timestamps?.forEach((timestamp, i) => series.set(timestamp.getTime(), result.Values?.[i] ?? Number.NaN));
        values.set(result.Id ?? '', series);
      }
      nextToken = page.NextToken;
    } while (nextToken);

    batch.forEach((target, t) => {
      const series = (field: Field | DecisionField) => values.get(`t${start + t}_${field.toLowerCase()}`) ?? new Map<number, number>();
      const entries: HistoryEntry[] = [];
      for (const at of [...series('logEndSum').keys()].sort((a, b) => a - b)) {
        const value = (field: Field) => series(field).get(at);
        const row = Object.fromEntries(FIELDS.map((field) => [field, value(field)])) as Record<Field, number | undefined>;
        // Only complete, sane rows: a partial row would feed decide a made-up reading.
        if (FIELDS.some((field) => row[field] === undefined || !Number.isFinite(row[field]) || (row[field] as number) < 0)) continue;
        const r = row as Record<Field, number>;
        const decided = (field: DecisionField) => {
          const v = series(field).get(at);
          return v !== undefined && Number.isFinite(v) && v >= 0 ? v : undefined;
        };
        const desired = decided('desired');
        const recommendation = decided('recommendation');
        const learned = decided('learned');
        entries.push({
          now: at,
          lag: {
            totalLag: r.totalLag,
            maxPartitionLag: r.maxPartitionLag,
            partitionCount: r.partitionCount,
            partitionsWithLag: r.partitionsWithLag,
            logEndSum: r.logEndSum,
            committedSum: r.committedSum,
          },
          service: { desired: r.current, running: r.running },
          ...(desired !== undefined && Number.isInteger(desired)
            ? {
                decision: {
                  desired,
                  ...(recommendation !== undefined && Number.isInteger(recommendation) ? { recommendation } : {}),
                  ...(learned !== undefined && learned > 0 ? { learnedTaskThroughput: learned } : {}),
                },
              }
            : {}),
        });
      }
      restored.set(target.name, entries);
    });
  }
  return restored;
}
