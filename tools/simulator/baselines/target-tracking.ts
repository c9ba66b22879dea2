/**
 * Application Auto Scaling target tracking on backlog per task: the metric is the group's lag
 * divided by the running task count, per minute, published a minute late (metric math over
 * SumOffsetLag and RunningTaskCount). AWS creates two alarms for the policy:
 * - High: 3 of 3 datapoints above the target → scale out.
 * - Low: 15 of 15 datapoints below 90 % of the target → scale in, at most once per 300 s cooldown.
 * Either way the new count is proportional, the count that would bring the latest datapoint to the
 * target: ceil(backlog per task × running tasks / target).
 *
 * Scale-out has no effective cooldown here: during AWS's scale-out cooldown the capacity already
 * added counts towards the next scale-out, so only a proposal above the desired count adds tasks —
 * which is the rule applied on every tick anyway.
 */

import type { Autoscaler } from '../types.js';
import { CloudWatchMetric } from './cloudwatch-metric.js';
import { cooledDown, periodicAutoscaler } from './periodic-autoscaler.js';

export type TargetTrackingSettings = {
  targetBacklogPerTask: number;
};

export const TARGET_TRACKING_DEFAULTS: TargetTrackingSettings = { targetBacklogPerTask: 2000 };

export const TARGET_TRACKING_GRID: readonly TargetTrackingSettings[] = [250, 500, 1000, 2000, 4000, 8000].map((targetBacklogPerTask) => ({
  targetBacklogPerTask,
}));

const SCALE_OUT_DATAPOINTS = 3;
const SCALE_IN = { datapoints: 15, cooldownSeconds: 300, thresholdFraction: 0.9 };

interface Datapoint {
  backlogPerTask: number;
  runningTasks: number;
}

export function createTargetTracking({ targetBacklogPerTask: target }: TargetTrackingSettings): Autoscaler {
  const backlogPerTask = new CloudWatchMetric<Datapoint>(SCALE_IN.datapoints);
  const name = `target-tracking(target=${target})`;
  return periodicAutoscaler(name, 60, ({ now, lag, desiredTasks, runningTasks }, history) => {
    backlogPerTask.record(now, { backlogPerTask: lag.totalLag / Math.max(1, runningTasks), runningTasks });
    const latest = backlogPerTask.published(now, 1)?.[0];
    if (latest === undefined) return desiredTasks;
    const proportional = Math.ceil((latest.backlogPerTask * Math.max(1, latest.runningTasks)) / target);

    if (backlogPerTask.inAlarm(now, SCALE_OUT_DATAPOINTS, (d) => d.backlogPerTask > target)) {
      return Math.max(desiredTasks, proportional);
    }
    if (
      backlogPerTask.inAlarm(now, SCALE_IN.datapoints, (d) => d.backlogPerTask < SCALE_IN.thresholdFraction * target) &&
      cooledDown(now, history.lastScaleInAt, SCALE_IN.cooldownSeconds) &&
      cooledDown(now, history.lastScaleOutAt, SCALE_IN.cooldownSeconds)
    ) {
      return Math.min(desiredTasks, proportional);
    }
    return desiredTasks;
  });
}
