import type { Autoscaler } from './types.js';

/**
 * Always asks for the same count. With all 48 tasks from t = 0 it measures the unavoidable SLO
 * violation of a trace: what no autoscaler could prevent, because even the whole group falls behind.
 */
export function fixedAutoscaler(tasks: number): Autoscaler {
  return { name: `fixed-${tasks}`, periodSeconds: 60, tick: () => tasks };
}
