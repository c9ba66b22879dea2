/**
 * `decide` as a simulator autoscaler: the same loop the Lambda runs — read, decide, remember —
 * with the history kept in memory instead of a store.
 */
import { decide } from '../../src/decision/decide.js';
import { toHistoryEntry, trimHistory } from '../../src/decision/history.js';
import { type Policy, resolvePolicy } from '../../src/decision/policy.js';
import type { DecisionInput, HistoryEntry } from '../../src/decision/types.js';
import type { Autoscaler, Observation } from './types.js';

/** `tickSeconds`: how often it decides (the Lambda's SCALER_TICK_SECONDS; one tick a minute by default). */
export function createDecideAutoscaler(overrides: Partial<Policy> = {}, tickSeconds = 60): Autoscaler {
  const policy: Policy = resolvePolicy(overrides);
  let history: HistoryEntry[] = [];
  let lastReason: string | undefined;
  return {
    name: 'kafka-lag-scaler',
    periodSeconds: tickSeconds,
    tick(obs: Observation): number {
      const input: DecisionInput = {
        now: obs.now,
        lag: obs.lag,
        service: { desired: obs.desiredTasks, running: obs.runningTasks },
        history,
      };
      const decision = decide(input, policy);
      history = trimHistory([...history, toHistoryEntry(input, decision)], obs.now, policy);
      lastReason = decision.reason;
      return decision.desired;
    },
    lastReason: () => lastReason,
  };
}
