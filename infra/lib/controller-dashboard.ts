/**
 * One dashboard per deployment: the controller's own health, then a row per target (lag, time lag
 * against the objective and the expected time lag, produce vs consume rate and the consume
 * ceiling, desired vs running tasks, whether it is in control, and operator holds, limits and stuck
 * partitions), then every decision with its reason from the controller's log (one JSON line per
 * target per tick).
 */
import { Dashboard, GraphWidget, type IMetric, LogQueryWidget, Stats, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRIC } from '../../src/adapters/cloudwatch/metric-names.js';
import { METRIC_PERIOD, type TargetMetrics } from './target-metrics.js';

const WIDTH = 24;
const HEIGHT = 6;

/** The controller logs each decision as a `decision` line carrying these fields. */
export const DECISIONS_QUERY = [
  'fields @timestamp, target, reason, current, running, desired, health, lagTotal, timeLagSeconds, explanation',
  'filter message = "decision"',
  'sort @timestamp desc',
  'limit 200',
].join(' | ');

export interface ControllerDashboardProps {
  dashboardName: string;
  controller: IFunction;
  logGroup: ILogGroup;
  targets: TargetMetrics[];
}

export class ControllerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, { dashboardName, controller, logGroup, targets }: ControllerDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName });
    const controllerMetric = { period: METRIC_PERIOD, statistic: Stats.SUM };
    this.dashboard.addWidgets(
      graph(
        'Controller invocations and errors',
        [
          controller.metricInvocations(controllerMetric),
          controller.metricErrors(controllerMetric),
          controller.metricThrottles(controllerMetric),
        ],
        WIDTH / 2,
      ),
      graph('Controller duration (ms)', [controller.metricDuration({ period: METRIC_PERIOD, statistic: Stats.MAXIMUM })], WIDTH / 2),
    );
    for (const metrics of targets) this.dashboard.addWidgets(...targetRow(metrics));
    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: 'Decisions and reasons',
        logGroupNames: [logGroup.logGroupName],
        queryLines: [DECISIONS_QUERY],
        width: WIDTH,
        height: 2 * HEIGHT,
      }),
    );
  }
}

function targetRow(metrics: TargetMetrics) {
  const name = metrics.target.name;
  // Six panels: two rows of three.
  const perWidget = WIDTH / 3;
  return [
    new TextWidget({
      markdown: `### ${name}: group \`${metrics.target.group}\` → ECS \`${metrics.target.cluster}/${metrics.target.service}\``,
      width: WIDTH,
      height: 1,
    }),
    graph(
      `${name}: lag (messages)`,
      [
        metrics.controller(METRIC.totalLag, Stats.MAXIMUM, 'Total lag (controller)'),
        metrics.controller(METRIC.maxPartitionLag, Stats.MAXIMUM, 'Max partition lag'),
        ...(metrics.target.topics ?? []).map((topic) => metrics.mskLag(topic)),
      ],
      perWidget,
    ),
    graph(
      `${name}: time lag (s)`,
      [
        metrics.controller(METRIC.timeLagSeconds, Stats.MAXIMUM, 'Time lag'),
        metrics.controller(METRIC.expectedTimeLagSeconds, Stats.MAXIMUM, 'Expected at the decided count'),
        metrics.controller(METRIC.timeLagObjective, Stats.MAXIMUM, 'Objective (maxTimeLagSeconds)'),
      ],
      perWidget,
    ),
    graph(
      `${name}: produce vs consume (msg/s)`,
      [
        metrics.controller(METRIC.produceRate, Stats.AVERAGE, 'Produce rate'),
        metrics.controller(METRIC.consumeRate, Stats.AVERAGE, 'Consume rate'),
        metrics.controller(METRIC.consumeCeiling, Stats.MAXIMUM, 'Consume ceiling (scaling ineffective)'),
      ],
      perWidget,
    ),
    graph(
      `${name}: tasks`,
      [
        metrics.controller(METRIC.desiredTasks, Stats.MAXIMUM, 'Desired (decision)'),
        metrics.controller(METRIC.runningTasks, Stats.MAXIMUM, 'Running'),
        metrics.controller(METRIC.currentTasks, Stats.MAXIMUM, 'Desired before the decision'),
      ],
      perWidget,
    ),
    // Whether the controller is in control, and if not why: what the fallback and the Silent/Blind alarms read.
    graph(
      `${name}: in control (ticks a minute)`,
      [
        metrics.controller(METRIC.heartbeat, Stats.SUM, 'Heartbeat (in control)'),
        metrics.controller(METRIC.dryRunHeartbeat, Stats.SUM, 'Dry run (advising)'),
        metrics.controller(METRIC.lagReadErrors, Stats.SUM, 'Lag read failed'),
        metrics.controller(METRIC.serviceErrors, Stats.SUM, 'ECS service unreadable'),
        metrics.controller(METRIC.deadlineErrors, Stats.SUM, 'Deadline'),
        metrics.controller(METRIC.updateErrors, Stats.SUM, 'UpdateService failed'),
        metrics.controller(METRIC.controlErrors, Stats.SUM, 'Control parameter unreadable'),
      ],
      perWidget,
    ),
    // Why the count does not follow the lag: an operator holds it, a limit stops it, tasks stopped helping, partitions are stuck.
    graph(
      `${name}: holds, limits and stuck partitions`,
      [
        metrics.controller(METRIC.operatorHold, Stats.MAXIMUM, 'Operator hold (paused or pinned)'),
        metrics.controller(METRIC.atLimitLagGrowing, Stats.MAXIMUM, 'At a limit, lag growing'),
        metrics.controller(METRIC.scalingIneffective, Stats.MAXIMUM, 'Scaling ineffective'),
        metrics.controller(METRIC.stuckPartitions, Stats.MAXIMUM, 'Stuck partitions'),
      ],
      perWidget,
    ),
  ];
}

function graph(title: string, left: IMetric[], width: number): GraphWidget {
  return new GraphWidget({ title, left, width, height: HEIGHT });
}
