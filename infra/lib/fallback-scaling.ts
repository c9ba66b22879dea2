/**
 * The fallback for one target: an Application Auto Scaling step-scaling policy on the target's ECS
 * service that acts only while the controller is silent and MSK reports a high backlog.
 *
 * The alarm's metric math is `IF(FILL(heartbeat, 0) == 0, Σ FILL(lag_topic, REPEAT), 0)`:
 * - the controller publishes the heartbeat only for a target it saw completely, decided and could
 *   act on (never in a dry run), so a missing heartbeat means a dead, misconfigured, blind or only
 *   advising controller: all count;
 * - while the heartbeat arrives the expression is 0, so the fallback never acts beside a healthy
 *   controller and the two never fight over the desired count;
 * - MSK publishes no lag while the group rebalances: the last value is repeated through the gap
 *   rather than read as "no backlog"; with no lag data at all the expression is missing and the
 *   alarm stays OK (treat missing as not breaching): no evidence of a backlog, no action.
 * It must hold for `silentMinutes` consecutive minutes (the same silence as the silent alarm).
 * The fallback only adds tasks: scaling in stays with the controller when it returns.
 */
import { Duration } from 'aws-cdk-lib';
import {
  AdjustmentType,
  MetricAggregationType,
  ScalableTarget,
  ServiceNamespace,
  StepScalingAction,
} from 'aws-cdk-lib/aws-applicationautoscaling';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ApplicationScalingAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { METRIC } from '../../src/adapters/cloudwatch/metric-names.js';
import type { FallbackSettings } from './config/deployment-config.js';
import type { MskCluster } from './config/msk-cluster.js';
import { ecsScalingResourceId } from './ecs-service-arn.js';
import { METRIC_PERIOD, type TargetMetrics } from './target-metrics.js';

/** Backlog as a multiple of the threshold → tasks added per step: doubling the backlog doubles the step. */
const FALLBACK_STEPS = [
  { fromMultiple: 1, tasks: 1 },
  { fromMultiple: 2, tasks: 2 },
  { fromMultiple: 4, tasks: 4 },
] as const;

export interface FallbackScalingProps {
  /** As the other alarms are named (ControllerAlarms.alarmName). */
  alarmName: string;
  metrics: TargetMetrics;
  settings: FallbackSettings;
  silentMinutes: number;
  cluster: MskCluster;
}

export class FallbackScaling extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, { alarmName, metrics, settings, silentMinutes, cluster }: FallbackScalingProps) {
    super(scope, id);
    const { target } = metrics;
    const scalable = new ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: ServiceNamespace.ECS,
      resourceId: ecsScalingResourceId(target),
      scalableDimension: 'ecs:service:DesiredCount',
      // The controller's own bounds, so the fallback never moves the service where the controller would not.
      minCapacity: target.policy.scaleToZero ? 0 : target.policy.minTasks,
      maxCapacity: target.policy.maxTasks,
      // ECS's service-linked role (created by Application Auto Scaling on first use): no role of our own to widen.
      role: Role.fromRoleArn(
        this,
        'ServiceLinkedRole',
        `arn:${cluster.partition}:iam::${cluster.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
        { mutable: false },
      ),
    });

    const scaleOut = new StepScalingAction(this, 'ScaleOut', {
      scalingTarget: scalable,
      adjustmentType: AdjustmentType.CHANGE_IN_CAPACITY,
      metricAggregationType: MetricAggregationType.MAXIMUM,
      cooldown: Duration.seconds(settings.cooldownSeconds),
    });
    FALLBACK_STEPS.forEach((step, i) => {
      const next = FALLBACK_STEPS[i + 1];
      scaleOut.addAdjustment({
        // Bounds are relative to the alarm threshold.
        lowerBound: (step.fromMultiple - 1) * settings.lagThreshold,
        ...(next ? { upperBound: (next.fromMultiple - 1) * settings.lagThreshold } : {}),
        adjustment: Math.min(step.tasks, target.policy.maxScaleUpStep),
      });
    });

    this.alarm = new Alarm(this, 'Alarm', {
      alarmName,
      alarmDescription: `kafka-lag-scaler fallback for ${target.name}: the controller has not been in control of it for ${silentMinutes} min (dead: see ${target.name}Silent; blind or unable to act: see ${target.name}Blind; or in dry-run mode) and MSK reports a backlog of at least ${settings.lagThreshold} messages; Application Auto Scaling adds tasks to ${ecsScalingResourceId(target)}.`,
      metric: silentBacklog(metrics),
      threshold: settings.lagThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: silentMinutes,
      datapointsToAlarm: silentMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new ApplicationScalingAction(scaleOut));
  }
}

/** MSK's backlog of the target's topics while its controller is silent; 0 while it is heard. */
function silentBacklog(metrics: TargetMetrics): MathExpression {
  const topics = metrics.target.topics ?? [];
  const usingMetrics: Record<string, IMetric> = { heartbeat: metrics.controller(METRIC.heartbeat, Stats.SUM) };
  for (const [i, topic] of topics.entries()) usingMetrics[`lag${i}`] = metrics.mskLag(topic);
  const backlog = topics.map((_, i) => `FILL(lag${i}, REPEAT)`).join(' + ');
  return new MathExpression({
    expression: `IF(FILL(heartbeat, 0) == 0, ${backlog}, 0)`,
    usingMetrics,
    period: METRIC_PERIOD,
    label: `${metrics.target.name}: MSK backlog while the controller is silent`,
  });
}
