/**
 * Per-target CloudWatch metrics, buffered during a tick and published in as few PutMetricData calls
 * as the API allows. PutMetricData rather than embedded-metric-format logs, so the CLI can publish
 * from anywhere and the history restore reads exactly what was written.
 */
import { PutMetricDataCommand, StandardUnit, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { METRIC, TARGET_DIMENSION, type MetricName } from './metric-names.js';
import type { TargetDecision } from './outcome.js';

/** PutMetricData takes at most 1000 datums per request. */
const MAX_DATUMS_PER_REQUEST = 1000;

export class MetricsBuffer {
  private readonly datums: MetricDatum[] = [];
  /** Set by the run from the configuration (SCALER_METRICS_NAMESPACE). */
  namespace: string | undefined;

  add(target: string, name: MetricName, value: number | null | undefined, at: number, unit: StandardUnit = StandardUnit.None): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    this.datums.push({ MetricName: name, Dimensions: [{ Name: TARGET_DIMENSION, Value: target }], Value: value, Unit: unit, Timestamp: new Date(at) });
  }

  /** Everything one target's tick is worth recording. */
  addTarget(outcome: TargetDecision, lag: { logEndSum: number; committedSum: number; partitionCount: number; partitionsWithLag: number } | null, failed: boolean, at: number): void {
    const t = outcome.target;
    this.add(t, METRIC.heartbeat, 1, at, StandardUnit.Count);
    this.add(t, METRIC.errors, failed ? 1 : 0, at, StandardUnit.Count);
    if (outcome.lag) {
      this.add(t, METRIC.totalLag, outcome.lag.total, at, StandardUnit.Count);
      this.add(t, METRIC.maxPartitionLag, outcome.lag.max, at, StandardUnit.Count);
    }
    if (lag) {
      this.add(t, METRIC.logEndSum, lag.logEndSum, at, StandardUnit.Count);
      this.add(t, METRIC.committedSum, lag.committedSum, at, StandardUnit.Count);
      this.add(t, METRIC.partitionCount, lag.partitionCount, at, StandardUnit.Count);
      this.add(t, METRIC.partitionsWithLag, lag.partitionsWithLag, at, StandardUnit.Count);
    }
    this.add(t, METRIC.timeLagSeconds, outcome.figures?.timeLagSeconds, at, StandardUnit.Seconds);
    this.add(t, METRIC.produceRate, outcome.figures?.produceRate, at, StandardUnit.Count_Second);
    this.add(t, METRIC.consumeRate, outcome.figures?.consumeRate, at, StandardUnit.Count_Second);
    this.add(t, METRIC.currentTasks, outcome.current, at, StandardUnit.Count);
    this.add(t, METRIC.runningTasks, outcome.running, at, StandardUnit.Count);
    this.add(t, METRIC.desiredTasks, outcome.desired, at, StandardUnit.Count);
    this.add(t, METRIC.recommendation, outcome.figures?.recommendations?.compute, at, StandardUnit.Count);
    if (outcome.figures?.taskThroughputSource === 'learned') this.add(t, METRIC.learnedTaskThroughput, outcome.figures.taskThroughput, at, StandardUnit.Count_Second);
    if (outcome.health) this.add(t, METRIC.stalled, outcome.health === 'STALL' || outcome.health === 'STOP' ? 1 : 0, at, StandardUnit.Count);
  }

  get size(): number {
    return this.datums.length;
  }

  /** Publishes and empties the buffer. */
  async flush(cloudwatch: Pick<CloudWatchClient, 'send'>, namespace: string, signal?: AbortSignal): Promise<void> {
    const pending = this.datums.splice(0);
    for (let i = 0; i < pending.length; i += MAX_DATUMS_PER_REQUEST) {
      await cloudwatch.send(
        new PutMetricDataCommand({ Namespace: namespace, MetricData: pending.slice(i, i + MAX_DATUMS_PER_REQUEST) }),
        signal ? { abortSignal: signal } : {},
      );
    }
  }
}
