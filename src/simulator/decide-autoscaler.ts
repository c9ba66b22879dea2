// TEMPORARY stub so the simulator and bench can be wired before `decide` lands; the decide
// engineer replaces this file with the real adapter over src/decision.
import type { Autoscaler } from './types.js';

export function createDecideAutoscaler(overrides: Record<string, unknown> = {}): Autoscaler {
  void overrides;
  return {
    name: 'decide (stub)',
    periodSeconds: 60,
    tick: (obs) => Math.min(48, Math.max(1, Math.ceil(obs.lag.totalLag / 1000))),
  };
}
