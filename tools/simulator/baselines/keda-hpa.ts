/**
 * KEDA's Kafka scaler feeding the Kubernetes HPA, on KEDA's default path.
 *
 * Every 15 s (HPA sync period) the HPA asks KEDA for the group's lag and aims for `lagThreshold`
 * lag per replica (an AverageValue target):
 * - KEDA caps the lag at partitions × lagThreshold once lag / lagThreshold exceeds the partition
 *   count (allowIdleConsumers=false: no more consumers than partitions).
 * - recommendation = ceil(lag / lagThreshold), unless lag / (lagThreshold × current) is within
 *   the 0.1 tolerance of 1, in which case the HPA keeps the current count.
 * - Scale-down is stabilized: the HPA never goes below the highest recommendation of the last
 *   300 s. Scale-up is not (0 s window) but is limited to max(2 × current, 4) per sync.
 */

import type { Autoscaler } from '../types.js';
import { periodicAutoscaler } from './periodic-autoscaler.js';
import { SampleHistory } from './sample-history.js';

export type KedaSettings = {
  lagThreshold: number;
};

export const KEDA_DEFAULTS: KedaSettings = { lagThreshold: 1000 };

export const KEDA_GRID: readonly KedaSettings[] = [250, 500, 1000, 2000, 4000, 8000, 16000].map((lagThreshold) => ({
  lagThreshold,
}));

const SYNC_PERIOD_SECONDS = 15;
const TOLERANCE = 0.1;
const SCALE_DOWN_WINDOW_MS = 300_000;

export function createKedaHpa({ lagThreshold }: KedaSettings): Autoscaler {
  const recommendations = new SampleHistory<number>(SCALE_DOWN_WINDOW_MS);
  return periodicAutoscaler(`keda(lagThreshold=${lagThreshold})`, SYNC_PERIOD_SECONDS, ({ now, lag, desiredTasks }) => {
    // The HPA's "current replicas" is its target's spec.replicas: the ECS desired count.
    const current = desiredTasks;
    const cappedLag = Math.floor(lag.totalLag / lagThreshold) > lag.partitionCount ? lag.partitionCount * lagThreshold : lag.totalLag;
    const usageRatio = cappedLag / (lagThreshold * current);
    const recommendation = Math.abs(usageRatio - 1) <= TOLERANCE ? current : Math.max(1, Math.ceil(cappedLag / lagThreshold));
    recommendations.record(now, recommendation);

    const scaleDownFloor = Math.max(...recommendations.since(now - SCALE_DOWN_WINDOW_MS));
    const stabilized = recommendation > current ? recommendation : Math.min(current, scaleDownFloor);
    return Math.min(stabilized, Math.max(2 * current, 4));
  });
}
