/**
 * The baselines our policy is measured against, each with its defaults and the small grid of
 * settings it is tuned over (see ../tuning.ts for how the best setting is chosen).
 */
import type { Autoscaler } from '../types.js';
import { createKedaHpa, KEDA_DEFAULTS, KEDA_GRID } from './keda-hpa.js';
import { createStepScalingAlarm, STEP_SCALING_DEFAULTS, STEP_SCALING_GRID } from './step-scaling-alarm.js';
import { createTargetTracking, TARGET_TRACKING_DEFAULTS, TARGET_TRACKING_GRID } from './target-tracking.js';

export type BaselineSettings = Readonly<Record<string, number>>;

export interface Baseline<S extends BaselineSettings = BaselineSettings> {
  /** The name used on the command line (`--autoscaler keda`) and in reports. */
  key: string;
  defaults: S;
  grid: readonly S[];
  create(settings: S): Autoscaler;
}

export const BASELINES: readonly Baseline[] = [
  { key: 'keda', defaults: KEDA_DEFAULTS, grid: KEDA_GRID, create: createKedaHpa },
  { key: 'cloudwatch-alarm', defaults: STEP_SCALING_DEFAULTS, grid: STEP_SCALING_GRID, create: createStepScalingAlarm },
  { key: 'target-tracking', defaults: TARGET_TRACKING_DEFAULTS, grid: TARGET_TRACKING_GRID, create: createTargetTracking },
];
