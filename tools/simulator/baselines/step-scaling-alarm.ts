/**
 * The CloudWatch-alarm design kafka-lag-scaler replaces: alarms on the group's per-minute
 * SumOffsetLag (published a minute late) driving Application Auto Scaling step policies.
 * - High alarm: 3 of 3 datapoints above `highThreshold` → add tasks by breach size, judged on the
 *   latest datapoint: +1 below 2 × threshold, +2 below 4 × threshold, +4 beyond; 60 s cooldown.
 * - Low alarm: 15 of 15 datapoints below `lowThreshold` → remove one task; 300 s cooldown.
 */

import type { Autoscaler } from '../types.js';
import { CloudWatchMetric } from './cloudwatch-metric.js';
import { cooledDown, periodicAutoscaler } from './periodic-autoscaler.js';

export type StepScalingSettings = {
  highThreshold: number;
  lowThreshold: number;
};

export const STEP_SCALING_DEFAULTS: StepScalingSettings = { highThreshold: 10_000, lowThreshold: 1_000 };

export const STEP_SCALING_GRID: readonly StepScalingSettings[] = [1000, 2500, 5000, 10_000, 25_000, 50_000].flatMap((highThreshold) =>
  [0.1, 0.5].map((fraction) => ({ highThreshold, lowThreshold: highThreshold * fraction })),
);

const SCALE_OUT = { datapoints: 3, cooldownSeconds: 60 };
const SCALE_IN = { datapoints: 15, cooldownSeconds: 300 };

export function stepSize(lag: number, highThreshold: number): number {
  if (lag < 2 * highThreshold) return 1;
  if (lag < 4 * highThreshold) return 2;
  return 4;
}

export function createStepScalingAlarm({ highThreshold, lowThreshold }: StepScalingSettings): Autoscaler {
  const sumOffsetLag = new CloudWatchMetric<number>(SCALE_IN.datapoints);
  const name = `cloudwatch-alarm(high=${highThreshold},low=${lowThreshold})`;
  return periodicAutoscaler(name, 60, ({ now, lag, desiredTasks }, history) => {
    sumOffsetLag.record(now, lag.totalLag);
    if (
      sumOffsetLag.inAlarm(now, SCALE_OUT.datapoints, (v) => v > highThreshold) &&
      cooledDown(now, history.lastScaleOutAt, SCALE_OUT.cooldownSeconds)
    ) {
      const latest = sumOffsetLag.published(now, 1)![0]!;
      return desiredTasks + stepSize(latest, highThreshold);
    }
    if (
      sumOffsetLag.inAlarm(now, SCALE_IN.datapoints, (v) => v < lowThreshold) &&
      cooledDown(now, history.lastScaleInAt, SCALE_IN.cooldownSeconds)
    ) {
      return desiredTasks - 1;
    }
    return desiredTasks;
  });
}
