/**
 * Pipeline step 2 — stabilize: scale down calmly. Scale-ups pass at once; a scale-down goes no
 * lower than the highest recommendation made within the stabilization window (as Kubernetes' HPA
 * does), so a brief dip in demand does not remove tasks that are needed again a minute later,
 * and it does not happen at all while the lag is still growing. Behind a consumption ceiling the
 * step stands aside: coming down to the ceiling's count costs nothing, whatever the lag or recent
 * demand did (more tasks add no throughput there).
 */
import { newest } from './newest.js';
import type { Policy } from './policy.js';
import type { StepResult } from './step.js';
import type { HistoryEntry } from './types.js';

export interface StabilizeInput {
  recommended: number;
  /** The service's desired count now. */
  current: number;
  lagGrowing: boolean;
  /** Samples oldest first, the last one now. */
  samples: readonly HistoryEntry[];
  /** The recommendation of this tick's first look, when this read confirms it: it counts as made now. */
  firstLookRecommendation?: number;
  /** Compute sized for a consumption ceiling (scaling-ineffective): the recommendation passes as it is. */
  behindCeiling?: boolean;
  policy: Policy;
}

export function stabilize(input: StabilizeInput): StepResult {
  const { recommended, current, lagGrowing, samples, policy } = input;
  if (recommended >= current || input.behindCeiling) return { tasks: recommended, reason: null };
  if (lagGrowing) return { tasks: current, reason: 'lag-growing' };

  const windowStart = newest(samples).now - policy.scaleDownStabilizationSeconds * 1000;
  const highest = samples
    .filter((s) => s.now >= windowStart)
    .reduce((max, s) => Math.max(max, s.decision?.recommendation ?? 0), Math.max(recommended, input.firstLookRecommendation ?? 0));
  const tasks = Math.min(current, highest);
  return { tasks, reason: tasks > recommended ? 'stabilizing' : null };
}
