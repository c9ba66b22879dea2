/**
 * `decide` as a simulator autoscaler: the same loop the Lambda runs — read, decide, remember —
 * with the history kept in memory instead of a store.
 */
import { decide } from '../../src/decision/decide.js';
import { toHistoryEntry, trimHistory } from '../../src/decision/history.js';
import { type Policy, resolvePolicy } from '../../src/decision/policy.js';
import type { DecisionInput, HistoryEntry } from '../../src/decision/types.js';
import { callsForCloserWatch } from '../../src/tick/surge-watch.js';
import type { Autoscaler, Observation } from './types.js';

/**
 * `tickSeconds`: how often it decides (the Lambda's SCALER_TICK_SECONDS; one tick a minute by
 * default). `surgeTickSeconds` (SCALER_SURGE_TICK_SECONDS; 0: none): after a decision that calls for
 * a closer watch, it decides again every this many seconds until one is calm, as a scheduled
 * invocation does; the slots in between are not decisions (no history, no reason).
 */
export function createDecideAutoscaler(overrides: Partial<Policy> = {}, tickSeconds = 60, surgeTickSeconds = 0): Autoscaler {
  const policy: Policy = resolvePolicy(overrides);
  const slotSeconds =
    surgeTickSeconds > 0 && surgeTickSeconds < tickSeconds && tickSeconds % surgeTickSeconds === 0 ? surgeTickSeconds : tickSeconds;
  let history: HistoryEntry[] = [];
  let lastReason: string | undefined;
  let firstAt: number | undefined;
  let watching = false;
  return {
    name: 'kafka-lag-scaler',
    periodSeconds: slotSeconds,
    tick(obs: Observation): number {
      firstAt ??= obs.now;
      const onSchedule = ((obs.now - firstAt) / 1000) % tickSeconds === 0;
      if (!onSchedule && !watching) {
        lastReason = undefined;
        return obs.desiredTasks;
      }
      const input: DecisionInput = {
        now: obs.now,
        lag: obs.lag,
        service: { desired: obs.desiredTasks, running: obs.runningTasks },
        history,
      };
      const decision = decide(input, policy);
      history = trimHistory([...history, toHistoryEntry(input, decision)], obs.now, policy);
      lastReason = decision.reason;
      watching = callsForCloserWatch({ ...decision, current: obs.desiredTasks });
      return decision.desired;
    },
    /** The reason of the decision just made; undefined for a slot that was not one. */
    lastReason: () => lastReason,
  };
}
