/**
 * When one tick a minute is not enough: a decision that raised the count or found the objective out
 * of reach means a surge is on, and the next minute is when it is won or lost. A scheduled
 * invocation then ticks every SCALER_SURGE_TICK_SECONDS until a tick is calm again (or the minute
 * is over), so the controller reacts within seconds while it matters and costs a second a minute
 * otherwise. Shared with the simulator, so the benchmark replays the same rule.
 */
export function callsForCloserWatch(decision: { desired: number | null; current: number | null; reason: string }): boolean {
  if (decision.reason === 'objective-unreachable') return true;
  return decision.desired !== null && decision.current !== null && decision.desired > decision.current;
}
