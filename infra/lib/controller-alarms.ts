/**
 * What pages someone: the controller failing, a target's controller dead (silent) or blind (running
 * but unable to see or act), erring, a target in STALL/STOP or with stuck partitions (more tasks
 * would not help: the consumers are stuck), its time lag over the objective, at a limit while its
 * lag grows or scaling that stopped helping, and the fallback engaging. All go to one SNS topic
 * (the stack's, or a configured one, which also carries the scale notifications), with an optional
 * email subscription. Every alarm is named `<stackName>-<what>`, as docs/deploying.md lists them.
 */
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC } from '../../src/adapters/cloudwatch/metric-names.js';
import { notificationTopicName } from './config/controller-environment.js';
import type { AlarmSettings } from './config/deployment-config.js';
import { METRIC_PERIOD, type TargetMetrics } from './target-metrics.js';

/** Failures in this many of the last ERROR_WINDOW minutes: a single failed tick is noise, a pattern is not. */
const ERROR_MINUTES = 3;
const ERROR_WINDOW_MINUTES = 5;

export interface ControllerAlarmsProps {
  settings: AlarmSettings;
  /** Every alarm's name starts with it: two deployments in an account never share a name. */
  stackName: string;
}

export class ControllerAlarms extends Construct {
  readonly topic: ITopic;
  private readonly settings: AlarmSettings;
  private readonly stackName: string;

  constructor(scope: Construct, id: string, { settings, stackName }: ControllerAlarmsProps) {
    super(scope, id);
    this.settings = settings;
    this.stackName = stackName;
    this.topic = settings.topicArn
      ? Topic.fromTopicArn(this, 'Topic', settings.topicArn)
      : // Named, so the controller's environment knows its ARN before it exists (controller-environment.ts).
        new Topic(this, 'Topic', {
          topicName: notificationTopicName(stackName),
          displayName: 'kafka-lag-scaler alarms and scale actions',
          // Publishers must use TLS (an aws:SecureTransport deny in the topic policy).
          enforceSSL: true,
        });
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
      alarmDescription: `BLIND: the controller runs but could not see or act on ${name} for ${silentMinutes} minutes (no Heartbeat, Errors published: see LagReadErrors, ServiceErrors, DeadlineErrors, UpdateErrors and ControlErrors, and the "target failed" log lines). It changes nothing; the fallback engages while MSK reports a backlog.`,
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
      ...whileAtLeastOne(metrics.controller(METRIC.stalled, Stats.MAXIMUM), stalledMinutes),
    });
    this.notify(`${name}StuckPartitions`, {
      alarmDescription: `Partitions of ${name} have held a committed offset with lag while the others moved for ${stalledMinutes} minutes (a poison message?): the decision's log line names them; more tasks would not help them.`,
      ...whileAtLeastOne(metrics.controller(METRIC.stuckPartitions, Stats.MAXIMUM), stalledMinutes),
    });
    this.notify(`${name}RewoundPartitions`, {
      alarmDescription: `Partitions of ${name} have had a committed offset behind where it had been for ${stalledMinutes} minutes (an offset reset, lost commits): the count is held; the decision's log line names them.`,
      ...whileAtLeastOne(metrics.controller(METRIC.rewoundPartitions, Stats.MAXIMUM), stalledMinutes),
    });
    this.addObjectiveAlarms(metrics);
  }

  /**
   * The month-end page: messages older than the objective, and a count that cannot rise further
   * (at maxTasks, the partition cap, the objective out of reach) while the lag still grows, or
   * tasks that stopped adding throughput.
   */
  private addObjectiveAlarms(metrics: TargetMetrics): void {
    const name = metrics.target.name;
    const { timeLagMinutes, atLimitMinutes } = this.settings;
    const objective = metrics.target.policy.maxTimeLagSeconds;
    // Without an objective there is no age to page on; the other alarms still hold.
    if (objective > 0) {
      this.notify(`${name}TimeLagOverObjective`, {
        alarmDescription: `The oldest unconsumed message of ${name} has been older than its objective (maxTimeLagSeconds ${objective} s) for ${timeLagMinutes} minutes. See ExpectedTimeLagSeconds and DrainSeconds for when the controller expects to be back under it, and AtLimitLagGrowing for whether it can add tasks.`,
        metric: metrics.controller(METRIC.timeLagSeconds, Stats.MAXIMUM),
        threshold: objective,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: timeLagMinutes,
        datapointsToAlarm: timeLagMinutes,
        // An unknown time lag is the silent and blind alarms' to report.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    this.notify(`${name}AtLimitLagGrowing`, {
      alarmDescription: `${name} has been at a limit (maxTasks, the partition cap, the objective out of reach, or scaling ineffective) while its lag grows for ${atLimitMinutes} minutes: the controller cannot add the tasks the backlog needs. Raise the limit, or find what holds the consumers back.`,
      ...whileAtLeastOne(metrics.controller(METRIC.atLimitLagGrowing, Stats.MAXIMUM), atLimitMinutes),
    });
    this.notify(`${name}ScalingIneffective`, {
      alarmDescription: `Added tasks of ${name} have stopped adding throughput for ${atLimitMinutes} minutes (ConsumeCeiling, msg/s): a downstream database or API is the bottleneck, and the controller holds the count that reached the ceiling.`,
      ...whileAtLeastOne(metrics.controller(METRIC.scalingIneffective, Stats.MAXIMUM), atLimitMinutes),
    });
  }

  /** Both edges: someone should hear when the fallback engages and when it lets go. */
  notifyOn(alarm: Alarm): void {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  /** `<stackName>-<id>`: the name docs/deploying.md lists, unique to the deployment. */
  alarmName(id: string): string {
    return `${this.stackName}-${id}`;
  }

  private notify(id: string, props: AlarmProps): void {
    this.notifyOn(new Alarm(this, id, { alarmName: this.alarmName(id), ...props }));
  }
}

/** A 0/1 flag or a count at 1 or more in each of `minutes` minutes in a row; no data is no alarm. */
function whileAtLeastOne(metric: IMetric, minutes: number) {
  return {
    metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: minutes,
    datapointsToAlarm: minutes,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  };
}
