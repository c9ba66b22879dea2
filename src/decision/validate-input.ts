/**
 * Input checks. `decide` acts on numbers read from Kafka and ECS by other code, possibly late,
 * partial or garbled; acting on a bad read could scale a service to nothing, so anything
 * doubtful is rejected and the count is left as it is.
 */

import type { Reason } from './reasons.js';
import type { DecisionInput, FirstLook, HistoryEntry, LagTotals } from './types.js';

export type InputCheck =
  | { ok: true; samples: HistoryEntry[]; firstLook?: FirstLook }
  | { ok: false; reason: Extract<Reason, 'invalid-input' | 'partial-read' | 'invalid-history'> };

const LAG_FIELDS = [
  'totalLag',
  'maxPartitionLag',
  'partitionCount',
  'partitionsWithLag',
  'logEndSum',
  'committedSum',
] as const satisfies readonly (keyof LagTotals)[];

/**
 * Accepts the input, or names why not. On success returns the usable samples oldest first: the
 * history, then the current reading. History entries flagged partial are skipped unread: the
 * reader flags incomplete reads, and `toHistoryEntry` flags readings `decide` rejected.
 */
export function checkInput(input: unknown): InputCheck {
  if (!isObject(input) || !isAmount(input.now) || !isLag(input.lag) || !isService(input.service)) {
    return { ok: false, reason: 'invalid-input' };
  }
  if (input.stepBase !== undefined && !(Number.isInteger(input.stepBase) && (input.stepBase as number) >= 0))
    return { ok: false, reason: 'invalid-input' };
  if (input.lag.partial === true) return { ok: false, reason: 'partial-read' };
  if (input.firstLook !== undefined && !isFirstLook(input.firstLook, input.now)) return { ok: false, reason: 'invalid-input' };
  if (!Array.isArray(input.history)) return { ok: false, reason: 'invalid-history' };

  const samples: HistoryEntry[] = [];
  let previousNow = -Infinity;
  for (const entry of input.history as unknown[]) {
    if (isFlaggedPartial(entry)) continue;
    if (!isHistoryEntry(entry) || entry.now <= previousNow || entry.now >= input.now) {
      return { ok: false, reason: 'invalid-history' };
    }
    previousNow = entry.now;
    samples.push(entry);
  }
  const current = input as unknown as DecisionInput;
  samples.push({ now: current.now, lag: current.lag, service: current.service });
  return { ok: true, samples, ...(current.firstLook ? { firstLook: current.firstLook } : {}) };
}

/** Any object (arrays included: the field checks that follow reject them). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFlaggedPartial(entry: unknown): boolean {
  return isObject(entry) && isObject(entry.lag) && entry.lag.partial === true;
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return isAmount(value) && Number.isInteger(value);
}

function isLag(value: unknown): value is LagTotals & { partial?: boolean } {
  if (!isObject(value)) return false;
  if (!LAG_FIELDS.every((name) => isAmount(value[name]))) return false;
  if (value.partial !== undefined && typeof value.partial !== 'boolean') return false;
  if (value.partitionSet !== undefined && typeof value.partitionSet !== 'string') return false;
  const lag = value as unknown as LagTotals;
  return (
    Number.isInteger(lag.partitionCount) &&
    lag.partitionCount >= 1 &&
    lag.partitionsWithLag <= lag.partitionCount &&
    lag.maxPartitionLag <= lag.totalLag
  );
}

function isService(value: unknown): value is { desired: number; running: number } {
  return isObject(value) && isCount(value.desired) && isCount(value.running);
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (!isObject(value) || !isAmount(value.now) || !isLag(value.lag) || !isService(value.service)) return false;
  const decision = value.decision;
  if (decision === undefined) return true;
  return (
    isObject(decision) &&
    isCount(decision.desired) &&
    (decision.reason === undefined || typeof decision.reason === 'string') &&
    (decision.recommendation === undefined || isCount(decision.recommendation)) &&
    (decision.learnedTaskThroughput === undefined || (isAmount(decision.learnedTaskThroughput) && decision.learnedTaskThroughput > 0))
  );
}

/** A whole first read, taken before the one it is the first look of. */
function isFirstLook(value: unknown, now: number): value is FirstLook {
  return (
    isObject(value) &&
    isAmount(value.now) &&
    value.now < now &&
    isLag(value.lag) &&
    value.lag.partial !== true &&
    (value.recommendation === undefined || isCount(value.recommendation))
  );
}
