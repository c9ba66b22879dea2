import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClampInput, clamp } from '../../../src/decision/clamp.js';
import { limitRate } from '../../../src/decision/rate-limit.js';
import { stabilize } from '../../../src/decision/stabilize.js';
import type { HistoryEntry } from '../../../src/decision/types.js';
import { lagTotals, policy, T0 } from './scenario.js';

/** Samples a minute apart whose decisions recommended `recommendations`, then the current one. */
function withRecommendations(recommendations: number[]): HistoryEntry[] {
  const entry = (i: number): HistoryEntry => ({
    now: T0 + i * 60_000,
    lag: lagTotals(1_000_000, 0),
    service: { desired: 10, running: 10 },
  });
  return [
    ...recommendations.map((recommendation, i) => ({
      ...entry(i),
      decision: { desired: 10, reason: 'within-tolerance' as const, recommendation },
    })),
    entry(recommendations.length),
  ];
}

describe('stabilize', () => {
  const base = { current: 10, lagGrowing: false, policy: policy({ scaleDownStabilizationSeconds: 180 }) };

  it('lets scale-ups through at once', () => {
    expect(stabilize({ ...base, recommended: 20, samples: withRecommendations([10, 10]) })).toEqual({ tasks: 20, reason: null });
  });

  it('scales down only to the highest recommendation within the window', () => {
    const samples = withRecommendations([10, 9, 7, 5]); // the 10 is 240 s old: outside the window
    expect(stabilize({ ...base, recommended: 4, samples })).toEqual({ tasks: 9, reason: 'stabilizing' });
  });

  it('scales down fully once the window holds no higher recommendation', () => {
    expect(stabilize({ ...base, recommended: 4, samples: withRecommendations([4, 4, 4]) })).toEqual({ tasks: 4, reason: null });
  });

  it('refuses to scale down while the lag grows', () => {
    const samples = withRecommendations([4, 4, 4]);
    expect(stabilize({ ...base, lagGrowing: true, recommended: 4, samples })).toEqual({ tasks: 10, reason: 'lag-growing' });
  });
});

describe('rate limit', () => {
  const limits = policy({ maxScaleUpStep: 8, maxScaleDownStep: 3 });
  const at = (base: number, current = base) => ({ base, current });

  it('bounds each step up and down', () => {
    expect(limitRate(30, at(10), limits)).toEqual({ tasks: 18, reason: 'step-limited' });
    expect(limitRate(2, at(10), limits)).toEqual({ tasks: 7, reason: 'step-limited' });
  });

  it('passes steps within the limits', () => {
    expect(limitRate(15, at(10), limits)).toEqual({ tasks: 15, reason: null });
  });

  it("counts the step from the period's first count: a second decision in the period adds no second step", () => {
    expect(limitRate(30, at(10, 14), limits)).toEqual({ tasks: 18, reason: 'step-limited' });
  });

  it('never moves against the decision when something else changed the count since the period began', () => {
    // 1 → 3 this period, then an operator set 10: a decision for 24 keeps 10, never 10 → 3.
    expect(limitRate(24, at(1, 10), policy({ maxScaleUpStep: 2 }))).toEqual({ tasks: 10, reason: 'step-limited' });
    // The mirror: an operator set 1 where the period began at 10, and the decision is 1: it stays 1, never 1 → 9.
    expect(limitRate(1, at(10, 1), policy({ maxScaleDownStep: 1 }))).toEqual({ tasks: 1, reason: null });
    // Set to 20 by hand in a period that began at 1: a decision for 6 waits for the next period, never 20 → 6 at once.
    expect(limitRate(6, at(1, 20), policy({ maxScaleUpStep: 2, maxScaleDownStep: 1 }))).toEqual({ tasks: 20, reason: 'step-limited' });
  });

  it('law: ends between the count now and the decision, within a step of the base, or held where the count stood outside it', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 200 }),
        fc.nat({ max: 200 }),
        fc.nat({ max: 200 }),
        fc.nat({ max: 20 }),
        fc.nat({ max: 20 }),
        (base, current, decided, up, down) => {
          const limited = limitRate(decided, { base, current }, policy({ maxScaleUpStep: up, maxScaleDownStep: down })).tasks;
          expect(limited).toBeGreaterThanOrEqual(Math.min(current, decided));
          expect(limited).toBeLessThanOrEqual(Math.max(current, decided));
          // Within a step of the base, or held where the count already stood outside that.
          expect(limited === current || (limited >= base - down && limited <= base + up)).toBe(true);
          if (current > base + up || current < base - down) expect(limited).toBe(current);
          const within = (count: number) => count >= base - down && count <= base + up;
          if (within(decided) && within(current)) expect(limited).toBe(decided);
        },
      ),
    );
  });
});

describe('clamp', () => {
  const at = (overrides: Partial<ClampInput>): ClampInput => ({
    tasks: 10,
    current: 10,
    lag: lagTotals(1_000_000, 0, 48),
    produceRate: 100,
    policy: policy({ minTasks: 2, maxTasks: 40 }),
    ...overrides,
  });

  it('keeps the count within minTasks and maxTasks', () => {
    expect(clamp(at({ tasks: 1 }))).toEqual({ tasks: 2, reason: 'at-min-tasks' });
    expect(clamp(at({ tasks: 45 }))).toEqual({ tasks: 40, reason: 'at-max-tasks' });
    expect(clamp(at({ tasks: 20 }))).toEqual({ tasks: 20, reason: null });
  });

  it('caps the count at the partition count', () => {
    expect(clamp(at({ tasks: 30, lag: lagTotals(1_000_000, 0, 24) }))).toEqual({ tasks: 24, reason: 'partition-cap' });
  });

  it('allows idle consumers beyond the partitions when asked to', () => {
    const idleAllowed = policy({ maxTasks: 40, allowIdleConsumers: true });
    expect(clamp(at({ tasks: 30, lag: lagTotals(1_000_000, 0, 24), policy: idleAllowed }))).toEqual({ tasks: 30, reason: null });
  });

  it('never reaches zero without scaleToZero', () => {
    expect(clamp(at({ tasks: 0, produceRate: 0 }))).toEqual({ tasks: 2, reason: 'at-min-tasks' });
  });

  describe('with scaleToZero', () => {
    const toZero = policy({ minTasks: 2, scaleToZero: true, activationLagThreshold: 100 });

    it('goes to zero when nothing is produced and the lag is within the threshold', () => {
      expect(clamp(at({ tasks: 0, produceRate: 0, lag: lagTotals(1000, 50), policy: toZero }))).toEqual({
        tasks: 0,
        reason: 'scale-to-zero',
      });
    });

    it('does not go to zero while messages are produced', () => {
      expect(clamp(at({ tasks: 0, produceRate: 5, policy: toZero })).tasks).toBe(2);
    });

    it('stays at zero until the lag exceeds the activation threshold', () => {
      expect(clamp(at({ current: 0, tasks: 3, lag: lagTotals(1000, 100), policy: toZero }))).toEqual({ tasks: 0, reason: 'idle-at-zero' });
      expect(clamp(at({ current: 0, tasks: 0, lag: lagTotals(1000, 101), policy: toZero }))).toEqual({ tasks: 2, reason: 'activation' });
    });
  });
});
