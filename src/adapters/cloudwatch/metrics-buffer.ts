/**
 * Per-target CloudWatch metrics, buffered during a tick and published in as few PutMetricData calls
 * as the API allows. PutMetricData rather than embedded-metric-format logs, so the CLI can publish
 * from anywhere and the history restore reads exactly what was written.
 */
import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Reason } from '../../decision/index.js';
import type { GroupLag } from '../../lag/types.js';
import type { TargetDecision, TargetError } from '../../report/outcome.js';
import { METRIC, type MetricName, TARGET_DIMENSION } from './metric-names.js';

/** The error metric each failed step counts under. */
const ERROR_METRIC: Record<TargetError['step'], MetricName> = {
  lag: METRIC.lagReadErrors,
  'describe-service': METRIC.serviceErrors,
  deadline: METRIC.deadlineErrors,
  'update-service': METRIC.updateErrors,
  control: METRIC.controlErrors,
};

/** Reasons that mean the count can go no higher: at one of them, growing lag is a page. */
const LIMIT_REASONS: ReadonlySet<string> = new Set<Reason>([
  'at-max-tasks',
  'partition-cap',
  'objective-unreachable',
  'scaling-ineffective',
]);

/** PutMetricData takes at most 1000 datums per request. */
const MAX_DATUMS_PER_REQUEST = 1000;

export class MetricsBuffer {
  private readonly datums: MetricDatum[] = [];
  /** Set by the run from the configuration (SCALER_METRICS_NAMESPACE). */
  namespace: string | undefined;

  add(target: string, name: MetricName, value: number | null | undefined, at: number, unit: StandardUnit = StandardUnit.None): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    this.datums.push({
      MetricName: name,
      Dimensions: [{ Name: TARGET_DIMENSION, Value: target }],
      Value: value,
      Unit: unit,
      Timestamp: new Date(at),
    });
  }

  /**
   * Everything one target's tick is worth recording, and nothing it did not see: the heartbeat only
   * when the controller was in control of the target, lag figures only from a complete read, task
   * counts only when known.
   */
  addTarget(
    outcome: TargetDecision,
    lag: GroupLag | null,
    errors: readonly TargetError[],
    at: number,
    { restorable = true }: { restorable?: boolean } = {},
  ): void {
    const t = outcome.target;
    if (outcome.inControl) this.add(t, METRIC.heartbeat, 1, at, StandardUnit.Count);
    else if (outcome.dryRun && errors.length === 0) this.add(t, METRIC.dryRunHeartbeat, 1, at, StandardUnit.Count);
    this.add(t, METRIC.errors, errors.length > 0 ? 1 : 0, at, StandardUnit.Count);
    for (const name of new Set(errors.map((e) => ERROR_METRIC[e.step]))) this.add(t, name, 1, at, StandardUnit.Count);
    if (restorable) this.addRestorable(outcome, lag, at);
    this.add(t, METRIC.timeLagSeconds, outcome.figures?.timeLagSeconds, at, StandardUnit.Seconds);
    this.add(t, METRIC.produceRate, outcome.figures?.produceRate, at, StandardUnit.Count_Second);
    this.add(t, METRIC.consumeRate, outcome.figures?.consumeRate, at, StandardUnit.Count_Second);
    if (outcome.health)
      this.add(t, METRIC.stalled, outcome.health === 'STALL' || outcome.health === 'STOP' ? 1 : 0, at, StandardUnit.Count);
    this.addOutlook(outcome, at);
    if (outcome.figures && lag && !lag.incomplete) {
      this.add(t, METRIC.stuckPartitions, outcome.figures.stuckPartitions.length, at, StandardUnit.Count);
      this.add(t, METRIC.rewoundPartitions, outcome.figures.rewoundPartitions.length, at, StandardUnit.Count);
    }
  }

  /**
   * What a cold start rebuilds its history from (history-restore.ts reads one value a period). A
   * period's later ticks (surge ticks, ticks below the period) leave them out, so that value is the
   * period's first tick's, taken at the period's start as the restore assumes.
   */
  private addRestorable(outcome: TargetDecision, lag: GroupLag | null, at: number): void {
    const t = outcome.target;
    if (outcome.lag && lag && !lag.incomplete) {
      this.add(t, METRIC.totalLag, lag.totalLag, at, StandardUnit.Count);
      this.add(t, METRIC.maxPartitionLag, lag.maxPartitionLag, at, StandardUnit.Count);
      this.add(t, METRIC.logEndSum, lag.logEndSum, at, StandardUnit.Count);
      this.add(t, METRIC.committedSum, lag.committedSum, at, StandardUnit.Count);
      this.add(t, METRIC.partitionCount, lag.partitionCount, at, StandardUnit.Count);
      this.add(t, METRIC.partitionsWithLag, lag.partitionsWithLag, at, StandardUnit.Count);
      this.add(t, METRIC.readTime, lag.readAt / 1000, at, StandardUnit.Seconds);
    }
    this.add(t, METRIC.currentTasks, outcome.current, at, StandardUnit.Count);
    this.add(t, METRIC.runningTasks, outcome.running, at, StandardUnit.Count);
    this.add(t, METRIC.desiredTasks, outcome.desired, at, StandardUnit.Count);
    this.add(t, METRIC.recommendation, outcome.figures?.recommendations?.compute, at, StandardUnit.Count);
    if (outcome.figures?.taskThroughputSource === 'learned')
      this.add(t, METRIC.learnedTaskThroughput, outcome.figures.taskThroughput, at, StandardUnit.Count_Second);
  }

  /** What the decision expects and where it is limited: the objective alarm and the "at the limit" alarm read these. */
  private addOutlook(outcome: TargetDecision, at: number): void {
    const t = outcome.target;
    const figures = outcome.figures;
    if (!figures) return;
    this.add(t, METRIC.timeLagObjective, outcome.objectiveSeconds, at, StandardUnit.Seconds);
    this.add(t, METRIC.expectedTimeLagSeconds, figures.expectedTimeLagSeconds, at, StandardUnit.Seconds);
    this.add(t, METRIC.drainSeconds, figures.drainSeconds, at, StandardUnit.Seconds);
    this.add(t, METRIC.scalingIneffective, figures.consumeCeiling !== null ? 1 : 0, at, StandardUnit.Count);
    this.add(t, METRIC.consumeCeiling, figures.consumeCeiling, at, StandardUnit.Count_Second);
    this.add(t, METRIC.operatorHold, outcome.heldBy !== undefined ? 1 : 0, at, StandardUnit.Count);
    const atLimit = LIMIT_REASONS.has(outcome.reason) || figures.consumeCeiling !== null;
    this.add(t, METRIC.atLimitLagGrowing, atLimit && figures.lagGrowing ? 1 : 0, at, StandardUnit.Count);
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
