/**
 * The shape every baseline shares: called once per period with an observation, it answers a
 * desired count from a rule, and remembers when it last scaled each way so rules can honour
 * cooldowns. A rule keeps any other memory (sample histories) in its own closure.
 */
import type { Autoscaler, Observation } from '../types.js';

export interface ScalingHistory {
  /** Epoch ms of the last tick that raised the desired count, if any. */
  lastScaleOutAt: number | undefined;
  /** Epoch ms of the last tick that lowered it, if any. */
  lastScaleInAt: number | undefined;
}

export type ScalingRule = (obs: Observation, history: Readonly<ScalingHistory>) => number;

export function periodicAutoscaler(name: string, periodSeconds: number, rule: ScalingRule): Autoscaler {
  const history: ScalingHistory = { lastScaleOutAt: undefined, lastScaleInAt: undefined };
  return {
    name,
    periodSeconds,
    tick(obs) {
      const desired = rule(obs, history);
      if (desired > obs.desiredTasks) history.lastScaleOutAt = obs.now;
      if (desired < obs.desiredTasks) history.lastScaleInAt = obs.now;
      return desired;
    },
  };
}

/** True when at least `cooldownSeconds` have passed since `lastAt` (or nothing happened yet). */
export function cooledDown(now: number, lastAt: number | undefined, cooldownSeconds: number): boolean {
  return lastAt === undefined || now - lastAt >= cooldownSeconds * 1000;
}
