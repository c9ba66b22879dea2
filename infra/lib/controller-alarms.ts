/**
 * What pages someone: the controller failing, a target's controller dead (silent) or blind (running
 * but unable to see or act), erring, a target in STALL/STOP (more tasks would not help: the
 * consumers are stuck), and the fallback engaging. All go to one SNS topic, with an optional email
 * subscription.
 */
import { Alarm, type AlarmProps, ComparisonOperator, MathExpression, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC } from '../../src/adapters/cloudwatch/metric-names.js';
import type { AlarmSettings } from './config/deployment-config.js';
import { METRIC_PERIOD, type TargetMetrics } from './target-metrics.js';

/** Failures in this many of the last ERROR_WINDOW minutes: a single failed tick is noise, a pattern is not. */
const ERROR_MINUTES = 3;
const ERROR_WINDOW_MINUTES = 5;

export class ControllerAlarms extends Construct {
  readonly topic: Topic;

  constructor(
    scope: Construct,
    id: string,
    private readonly settings: AlarmSettings,
  ) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'kafka-lag-scaler alarms' });
    if (settings.email) this.topic.addSubscription(new EmailSubscription(settings.email));
  }

  /** Invocations that failed outright: a crash, a timeout, or a configuration the controller refuses. */
  addControllerFailing(controller: IFunction): void {
    this.notify('ControllerFailing', {
      alarmDescription: `The kafka-lag-scaler controller invocation failed in ${ERROR_MINUTES} of the last ${ERROR_WINDOW_MINUTES} minutes; see its log group.`,
      metric: controller.metricErrors({ statistic: Stats.SUM, period: METRIC_PERIOD }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: ERROR_WINDOW_MINUTES,
      datapointsToAlarm: ERROR_MINUTES,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  addTargetAlarms(metrics: TargetMetrics): void {
    const name = metrics.target.name;
    const { silentMinutes, stalledMinutes } = this.settings;
    // Both read the heartbeat the fallback reads, so they fire exactly when the fallback is armed, and say why.
    this.notify(`${name}Silent`, {
      alarmDescription: `DEAD: the controller has not run for ${name} for ${silentMinutes} minutes (no Heartbeat and no Errors datum): it crashes, times out, is throttled, refuses its configuration or its schedule is off. The fallback engages while MSK reports a backlog.`,
      metric: new MathExpression({
        // `ticks` counts the datums of Errors, which every tick that reached the target publishes (0 or 1).
        expression: 'IF(FILL(heartbeat, 0) == 0, IF(FILL(ticks, 0) == 0, 1, 0), 0)',
        usingMetrics: {
          heartbeat: metrics.controller(METRIC.heartbeat, Stats.SUM),
          ticks: metrics.controller(METRIC.errors, Stats.SAMPLE_COUNT),
        },
        period: METRIC_PERIOD,
        label: `${name}: controller silent`,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: silentMinutes,
      datapointsToAlarm: silentMinutes,
      // Nothing at all is exactly what this alarm is for.
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.notify(`${name}Blind`, {
      alarmDescription: `BLIND: the controller runs but could not see or act on ${name} for ${silentMinutes} minutes (no Heartbeat, Errors published: see LagReadErrors, ServiceErrors, DeadlineErrors and UpdateErrors, and the "target failed" log lines). It changes nothing; the fallback engages while MSK reports a backlog.`,
      metric: new MathExpression({
        expression: 'IF(FILL(heartbeat, 0) == 0, IF(FILL(errors, 0) > 0, 1, 0), 0)',
        usingMetrics: { heartbeat: metrics.controller(METRIC.heartbeat, Stats.SUM), errors: metrics.controller(METRIC.errors, Stats.SUM) },
        period: METRIC_PERIOD,
        label: `${name}: controller blind`,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: silentMinutes,
      datapointsToAlarm: silentMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(`${name}Errors`, {
      alarmDescription: `The controller failed to read, decide or act for ${name} in ${ERROR_MINUTES} of the last ${ERROR_WINDOW_MINUTES} minutes.`,
      metric: metrics.controller(METRIC.errors, Stats.SUM),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: ERROR_WINDOW_MINUTES,
      datapointsToAlarm: ERROR_MINUTES,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(`${name}Stalled`, {
      alarmDescription: `The consumer group of ${name} has been in STALL or STOP for ${stalledMinutes} minutes: its consumers are stuck, and more tasks would not help.`,
      metric: metrics.controller(METRIC.stalled, Stats.MAXIMUM),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: stalledMinutes,
      datapointsToAlarm: stalledMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Both edges: someone should hear when the fallback engages and when it lets go. */
  notifyOn(alarm: Alarm): void {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  private notify(id: string, props: AlarmProps): void {
    this.notifyOn(new Alarm(this, id, props));
  }
}
