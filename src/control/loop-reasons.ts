/**
 * Reasons the control loop gives over `decide`'s (REASONS in src/decision/reasons.ts): a first look
 * waiting for its confirmation, an operator's hold, and a scale-in that waits for a rollout.
 */
export const LOOP_REASONS = {
  'awaiting-confirmation':
    'A first read asked for more tasks: the count is kept until a second read a few seconds later confirms it (SCALER_CONFIRM_SECONDS).',
  paused:
    'An operator paused scaling (SCALER_PAUSED or the control parameter): the count is held, and the heartbeat goes on, so the fallback does not take over.',
  pinned:
    'An operator pinned the count (pinnedTasks, or the control parameter): the service is moved to it, a step per period at most, whatever the lag.',
  'deployment-in-progress': 'A deployment is rolling out and the decision is a scale-in; it waits for the rollout.',
} as const;

export type LoopReason = keyof typeof LOOP_REASONS;

/** What a hold says: why, then what the decision was (it stands as information). */
export function heldExplanation(why: string, decision: { desired: number; reason: string }, detail?: string): string {
  return `${why} The decision was ${decision.desired} (${decision.reason})${detail ? `: ${detail}` : '.'}`;
}
