/**
 * The caller's side of the history contract: what to keep of each decision, and for how long.
 */
import { historyWindowSeconds, type Policy } from './policy.js';
import type { Reason } from './reasons.js';
import type { Decision, DecisionInput, HistoryEntry } from './types.js';

/** Reasons for which `decide` did not trust the reading itself. */
const REJECTED_READING: readonly Reason[] = ['invalid-input', 'partial-read'];

/**
 * The entry to append to the history after `decide(input)` returned `decision`. A reading
 * `decide` rejected is kept flagged partial, so that later decisions skip it instead of
 * rejecting the whole history because of it.
 */
export function toHistoryEntry(input: DecisionInput, decision: Decision): HistoryEntry {
  const { figures } = decision;
  const rejected = REJECTED_READING.includes(decision.reason);
  return {
    now: input.now,
    lag: rejected ? { ...input.lag, partial: true } : input.lag,
    service: input.service,
    decision: {
      desired: decision.desired,
      reason: decision.reason,
      ...(figures.recommendations ? { recommendation: figures.recommendations.compute } : {}),
      ...(figures.taskThroughputSource === 'learned' && figures.taskThroughput !== null
        ? { learnedTaskThroughput: figures.taskThroughput }
        : {}),
      ...(figures.consumeCeiling !== null && figures.ceilingTasks !== null
        ? { ceiling: { consumeRate: figures.consumeCeiling, tasks: figures.ceilingTasks } }
        : {}),
    },
  };
}

/** The entries `decide` still needs at time `now` (epoch ms): those within the policy's longest window. */
export function trimHistory(history: readonly HistoryEntry[], now: number, policy: Policy): HistoryEntry[] {
  const oldest = now - historyWindowSeconds(policy) * 1000;
  return history.filter((entry) => entry.now >= oldest);
}

/** Decisions less than this share of a period apart belong to one period (schedules jitter by seconds). */
export const SAME_PERIOD_SHARE = 0.9;

/**
 * `DecisionInput.stepBase` from the history: the desired count before the first decision of the
 * period `now` falls in, or undefined when this is the period's first decision.
 */
export function stepBaseAt(history: readonly HistoryEntry[], now: number, periodSeconds: number): number | undefined {
  const periodStart = now - SAME_PERIOD_SHARE * periodSeconds * 1000;
  return history.find((entry) => entry.now > periodStart && entry.now < now)?.service.desired;
}
