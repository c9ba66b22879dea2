/**
 * The contract between the simulator and the autoscalers it compares.
 *
 * Every autoscaler — our `decide` policy and each baseline — sees the same observation once per
 * period and answers with the desired task count. Autoscalers keep whatever state they need
 * (history windows, cooldowns) inside themselves, so the simulator stays policy-agnostic.
 */
import type { LagReading } from '../../src/decision/types.js';

/** What a controller can see at one tick: Kafka lag (totals and per partition) plus the ECS service counts. */
export interface Observation {
  /** Wall-clock time of the tick, epoch milliseconds. */
  now: number;
  lag: LagReading;
  /** The service's current desired count (what the last tick asked for). */
  desiredTasks: number;
  /** Tasks that are actually consuming (requested tasks still starting up are not counted). */
  runningTasks: number;
}

export interface Autoscaler {
  readonly name: string;
  /** How often the simulator calls `tick`, in seconds. */
  readonly periodSeconds: number;
  /** Returns the new desired task count; the simulator clamps it to the service's min/max. */
  tick(obs: Observation): number;
  /** Why the last tick answered as it did, for autoscalers that say (charts mark it; bench counts it). */
  lastReason?(): string | undefined;
}
