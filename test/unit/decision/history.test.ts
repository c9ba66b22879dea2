import { describe, expect, it } from 'vitest';
import { SAME_PERIOD_SHARE, stepBaseAt } from '../../../src/decision/history.js';
import type { HistoryEntry } from '../../../src/decision/types.js';

const entry = (now: number, desired: number): HistoryEntry => ({
  now,
  lag: { totalLag: 0, maxPartitionLag: 0, partitionCount: 1, partitionsWithLag: 0, logEndSum: 0, committedSum: 0 },
  service: { desired, running: desired },
});

describe('the step base: the count at the start of the period', () => {
  const now = 1_000_000;
  it("is the count before the period's first decision", () => {
    expect(stepBaseAt([entry(now - 120_000, 1), entry(now - 30_000, 3), entry(now - 10_000, 5)], now, 60)).toBe(3);
  });

  it("is undefined for the period's first decision, with the last scheduled tick a period ago (give or take jitter)", () => {
    expect(stepBaseAt([entry(now - 60_000, 3)], now, 60)).toBeUndefined();
    expect(stepBaseAt([entry(now - (SAME_PERIOD_SHARE * 60_000 + 1), 3)], now, 60)).toBeUndefined();
    expect(stepBaseAt([], now, 60)).toBeUndefined();
  });
});
