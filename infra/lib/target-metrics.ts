/**
 * The CloudWatch metrics the alarms, the fallback and the dashboard read for one target: the
 * controller's own (names shared with the controller through metric-names.ts) and MSK's consumer
 * lag for the target's group and topics.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { type MetricName, TARGET_DIMENSION } from '../../src/adapters/cloudwatch/metric-names.js';
import type { Target } from '../../src/config/targets.js';
import type { MskCluster } from './config/msk-cluster.js';

/** One tick per minute: every metric is read at the tick's resolution. */
export const METRIC_PERIOD = Duration.minutes(1);

export class TargetMetrics {
  constructor(
    private readonly namespace: string,
    private readonly cluster: MskCluster,
    readonly target: Target,
  ) {}

  /** A controller metric of this target. Sums count ticks (Heartbeat, Errors); gauges use Maximum. */
  controller(name: MetricName, statistic: string = Stats.MAXIMUM, label?: string): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { [TARGET_DIMENSION]: this.target.name },
      statistic,
      period: METRIC_PERIOD,
      ...(label ? { label } : {}),
    });
  }

  /**
   * MSK's `SumOffsetLag` of the group on one topic (the lag summed over the topic's partitions).
   * MSK publishes it only while the group is STABLE or EMPTY: never during a rebalance.
   */
  mskLag(topic: string): Metric {
    return new Metric({
      namespace: 'AWS/Kafka',
      metricName: 'SumOffsetLag',
      dimensionsMap: { 'Cluster Name': this.cluster.name, 'Consumer Group': this.target.group, Topic: topic },
      statistic: Stats.MAXIMUM,
      period: METRIC_PERIOD,
      label: `MSK SumOffsetLag ${topic}`,
    });
  }
}
