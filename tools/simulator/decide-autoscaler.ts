/**
 * `decide` as a simulator autoscaler: the same loop the Lambda runs — read, decide, remember —
 * with the history kept in memory instead of a store.
 */

import { confirmationFits } from '../../src/config/controller-config.js';
import { decide } from '../../src/decision/decide.js';
import { firstLookEntry, toHistoryEntry, trimHistory } from '../../src/decision/history.js';
import { type Policy, resolvePolicy } from '../../src/decision/policy.js';
import type { DecisionInput, HistoryEntry } from '../../src/decision/types.js';
import { callsForCloserWatch, callsForConfirmation } from '../../src/tick/surge-watch.js';
import type { Autoscaler, Observation } from './types.js';

/** How often the Lambda decides: its SCALER_TICK_SECONDS, SCALER_SURGE_TICK_SECONDS and SCALER_CONFIRM_SECONDS. */
export interface Cadence {
  /** Seconds between scheduled decisions (one tick a minute by default). */
  tickSeconds: number;
  /** After a decision that calls for a closer watch, it decides again every this many seconds until one is calm (0: never). */
  surgeTickSeconds?: number;
  /** A decision that would raise the count acts only after a second read this many seconds later (0: at once). */
  confirmSeconds?: number;
}

/**
 * The same rules as the Lambda: a surge tick only where it divides the tick, and a confirmation only
 * where it fits (confirmationFits). Slots are the greatest common divisor of the three, on the
 * simulator's 1 s grid; the slots in between decisions are not decisions (no history, no reason).
 */
export function createDecideAutoscaler(overrides: Partial<Policy> = {}, cadence: Cadence = { tickSeconds: 60 }): Autoscaler {
  const policy: Policy = resolvePolicy(overrides);
  const { tickSeconds } = cadence;
  const surge = cadence.surgeTickSeconds ?? 0;
  const surgeSeconds = surge > 0 && surge < tickSeconds && tickSeconds % surge === 0 ? surge : 0;
  const confirm = cadence.confirmSeconds ?? 0;
  const confirmSeconds = confirmationFits(confirm, { tickSeconds, periodSeconds: tickSeconds, surgeTickSeconds: surgeSeconds })
    ? confirm
    : 0;
  let history: HistoryEntry[] = [];
  let lastReason: string | undefined;
  let firstAt: number | undefined;
  let watching = false;
  /** When a decision to raise the count waits for its confirmation read: the time of that read. */
  let confirmAt: number | undefined;

  const decideOn = (obs: Observation) => {
    const input: DecisionInput = {
      now: obs.now,
      lag: obs.lag,
      service: { desired: obs.desiredTasks, running: obs.runningTasks },
      history,
    };
    return { input, decision: decide(input, policy) };
  };
  const remember = (entry: HistoryEntry, now: number) => {
    history = trimHistory([...history, entry], now, policy);
  };

  return {
    name: 'kafka-lag-scaler',
    periodSeconds: [surgeSeconds, confirmSeconds].reduce((slot, seconds) => (seconds > 0 ? gcd(slot, seconds) : slot), tickSeconds),
    tick(obs: Observation): number {
      firstAt ??= obs.now;
      const elapsed = (obs.now - firstAt) / 1000;
      const confirming = confirmAt !== undefined && obs.now >= confirmAt;
      const due = elapsed % tickSeconds === 0 || (watching && surgeSeconds > 0 && elapsed % surgeSeconds === 0);
      lastReason = undefined;
      if (!confirming && !due) return obs.desiredTasks;
      const { input, decision } = decideOn(obs);
      const current = obs.desiredTasks;
      if (!confirming && confirmSeconds > 0 && callsForConfirmation({ desired: decision.desired, current })) {
        // The first read kept the count: remembered as a first look, as the Lambda does.
        remember(firstLookEntry(input, decision), obs.now);
        confirmAt = obs.now + confirmSeconds * 1000;
        return current;
      }
      confirmAt = undefined;
      remember(toHistoryEntry(input, decision), obs.now);
      lastReason = decision.reason;
      watching = callsForCloserWatch({ ...decision, current });
      return decision.desired;
    },
    /** The reason of the decision just made; undefined for a slot that was not one. */
    lastReason: () => lastReason,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
