/**
 * Builds decision inputs from a few plain numbers: a group whose producers and consumers run at
 * steady rates, sampled every period, with lag spread evenly over the partitions. The lag never
 * exceeds the 1,000,000 messages the log starts with.
 */

import { DEFAULT_POLICY, type Policy } from '../../../src/decision/policy.js';
import type { DecisionInput, HistoryDecision, HistoryEntry } from '../../../src/decision/types.js';
import type { LagTotals } from '../../../src/lag/types.js';

export const T0 = Date.UTC(2026, 0, 1);

export interface ScenarioOptions {
  /** Samples including the current one. */
  samples?: number;
  periodSeconds?: number;
  produceRate?: number;
  consumeRate?: number;
  /** Lag at the oldest sample. */
  initialLag?: number;
  partitions?: number;
  desired?: number;
  running?: number;
  /** Decision recorded with every history entry. */
  decision?: HistoryDecision;
}

export function lagTotals(logEndSum: number, totalLag: number, partitions = 48): LagTotals {
  return {
    totalLag,
    maxPartitionLag: Math.ceil(totalLag / partitions),
    partitionCount: partitions,
    partitionsWithLag: Math.min(partitions, Math.ceil(totalLag)),
    logEndSum,
    committedSum: logEndSum - totalLag,
  };
}

/** A group observed `samples` times; the last sample is the input, the others its history. */
export function scenario(options: ScenarioOptions = {}): DecisionInput {
  const {
    samples = 6,
    periodSeconds = 60,
    produceRate = 1000,
    consumeRate = produceRate,
    initialLag = 0,
    partitions = 48,
    desired = 12,
    running = desired,
    decision,
  } = options;
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < samples; i++) {
    const seconds = i * periodSeconds;
    // Offsets are whole numbers, as Kafka's are.
    const logEndSum = Math.round(1_000_000 + produceRate * seconds);
    const totalLag = Math.round(Math.max(0, initialLag + (produceRate - consumeRate) * seconds));
    entries.push({
      now: T0 + seconds * 1000,
      lag: lagTotals(logEndSum, totalLag, partitions),
      service: { desired, running },
      ...(decision ? { decision } : {}),
    });
  }
  const current = entries.pop()!;
  return { now: current.now, lag: current.lag, service: current.service, history: entries };
}

export function policy(overrides: Partial<Policy> = {}): Policy {
  return { ...DEFAULT_POLICY, ...overrides };
}
