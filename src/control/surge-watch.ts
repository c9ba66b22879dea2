/**
 * When one read a minute is not enough: the two rules the control loop (control-loop.ts) applies
 * after a decision.
 */

/** The decision asks for more tasks than the service has. */
function raisesCount(decision: { desired: number | null; current: number | null }): boolean {
  return decision.desired !== null && decision.current !== null && decision.desired > decision.current;
}

/**
 * A scheduled tick that would raise the count is confirmed first (SCALER_CONFIRM_SECONDS): one read
 * a minute cannot tell a surge that began seconds before the tick from a slow rise over the minute,
 * and sizes both on the minute's average. A second read a few seconds later shows the rate now, so
 * the count is sized once, on it, instead of stepping up a minute later (and rebalancing twice).
 */
export function callsForConfirmation(decision: { desired: number | null; current: number | null }): boolean {
  return raisesCount(decision);
}

export interface WatchedDecision {
  desired: number | null;
  current: number | null;
  reason: string;
  /** Omitted when the decision has no figures (the lag could not be read): no partition is known stuck. */
  figures?: { stuckPartitions: readonly unknown[] };
}

/**
 * A decision that raised the count or found the objective out of reach means a surge is on, and the
 * next minute is when it is won or lost. A stuck partition (a poison message) is the other such
 * moment: its backlog is left out of the sizing while it stands still, and the second it moves
 * again that backlog needs tasks, so every second of noticing it later keeps its oldest message
 * waiting longer. A scheduled invocation then ticks every SCALER_SURGE_TICK_SECONDS until a tick is
 * calm again (or the minute is over), so the controller reacts within seconds while it matters and
 * costs a second a minute otherwise.
 */
export function callsForCloserWatch(decision: WatchedDecision): boolean {
  if (decision.reason === 'objective-unreachable') return true;
  if ((decision.figures?.stuckPartitions.length ?? 0) > 0) return true;
  return raisesCount(decision);
}
