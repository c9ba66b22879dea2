/**
 * Laws `decide` keeps for any valid policy and any plausible — or implausible — input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/decision/decide.js';
import type { Decision, DecisionInput } from '../../../src/decision/types.js';
import { bounds, policyArb, scenarioArb } from './arbitraries.js';
import { scenario } from './scenario.js';

const UNCHANGED_REASONS = ['invalid-policy', 'invalid-input', 'partial-read', 'invalid-history'];

function numbersIn(decision: Decision): unknown[] {
  const { figures } = decision;
  return [
    decision.desired,
    figures.produceRate,
    figures.consumeRate,
    figures.taskThroughput,
    figures.timeLagSeconds,
    figures.requiredCapacity,
    ...Object.values(figures.recommendations ?? {}),
  ];
}

describe('decide laws', () => {
  it('keeps the count within min/max and the partition cap, or at zero only with scaleToZero', () => {
    fc.assert(
      fc.property(policyArb, scenarioArb, (policy, options) => {
        const input = scenario(options);
        const { desired, reason } = decide(input, policy);
        const { lower, upper } = bounds(policy, input.lag.partitionCount);
        expect(UNCHANGED_REASONS).not.toContain(reason);
        expect(Number.isInteger(desired)).toBe(true);
        expect(desired).toBeLessThanOrEqual(upper);
        if (!(policy.scaleToZero && desired === 0)) expect(desired).toBeGreaterThanOrEqual(lower);
        if (!policy.allowIdleConsumers) expect(desired).toBeLessThanOrEqual(input.lag.partitionCount);
      }),
    );
  });

  it('reports only finite figures or null: never NaN', () => {
    fc.assert(
      fc.property(policyArb, scenarioArb, (policy, options) => {
        for (const value of numbersIn(decide(scenario(options), policy))) {
          if (value !== null) expect(Number.isFinite(value)).toBe(true);
        }
      }),
    );
  });

  it('asks for at least as many tasks when the lag is larger, at the same produce rate', () => {
    fc.assert(
      fc.property(
        policyArb.map((p) => ({ ...p, taskThroughput: Math.max(p.taskThroughput, 1) })),
        scenarioArb.map((o) => ({ ...o, samples: Math.max(o.samples, 2), consumeRate: Math.max(o.consumeRate, 1) })),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (policy, options, a, b) => {
          // The same history; the current read differs only in how far the group has committed.
          const input = scenario(options);
          const previous = input.history.at(-1)!.lag.committedSum;
          const withCommitted = (share: number): DecisionInput => {
            const committedSum = Math.round(previous + share * (input.lag.logEndSum - previous));
            return {
              ...input,
              lag: {
                ...input.lag,
                committedSum,
                totalLag: input.lag.logEndSum - committedSum,
                maxPartitionLag: Math.ceil((input.lag.logEndSum - committedSum) / input.lag.partitionCount),
              },
            };
          };
          const [less, more] = a <= b ? [b, a] : [a, b]; // committing more leaves less lag
          expect(decide(withCommitted(more), policy).desired).toBeGreaterThanOrEqual(decide(withCommitted(less), policy).desired);
        },
      ),
    );
  });

  it('does not scale down while the lag grows', () => {
    fc.assert(
      fc.property(
        policyArb,
        scenarioArb.map((o) => ({ ...o, samples: 3, initialLag: 0, produceRate: o.produceRate + 1, consumeRate: 0 })),
        (policy, options) => {
          const input = scenario(options);
          const sensitive = { ...policy, rateWindowSeconds: Math.min(policy.rateWindowSeconds, options.periodSeconds) };
          const { upper } = bounds(sensitive, input.lag.partitionCount);
          expect(decide(input, sensitive).desired).toBeGreaterThanOrEqual(Math.min(input.service.desired, upper));
        },
      ),
    );
  });

  it('never scales up a group that is STALL, STOP or REWIND', () => {
    fc.assert(
      fc.property(
        policyArb.map((p) => ({ ...p, healthWindowSeconds: 600 })),
        scenarioArb.map((o) => ({
          ...o,
          samples: 11,
          periodSeconds: 60,
          consumeRate: 0,
          initialLag: Math.max(1, o.initialLag),
          desired: o.desired + 1,
        })),
        fc.boolean(),
        (policy, options, rewind) => {
          const input = scenario(options);
          if (rewind) input.history[8]!.lag = { ...input.history[8]!.lag, committedSum: input.history[8]!.lag.committedSum + 1 };
          const decision = decide(input, policy);
          const { lower } = bounds(policy, input.lag.partitionCount);
          expect(['STALL', 'STOP', 'REWIND']).toContain(decision.health);
          expect(decision.desired).toBeLessThanOrEqual(Math.max(input.service.desired, lower));
        },
      ),
    );
  });

  it('settles: a count reached only gives back, within a few rounds, and then stays', () => {
    fc.assert(
      fc.property(
        // Unbounded steps, so that each answer is where the decision wants to be.
        policyArb.map((p) => ({ ...p, taskThroughput: Math.max(p.taskThroughput, 1), maxScaleUpStep: 100, maxScaleDownStep: 100 })),
        scenarioArb.map((o) => ({ ...o, samples: Math.max(o.samples, 2), consumeRate: o.produceRate, initialLag: 0 })),
        (policy, options) => {
          const settledAt = (decision: Decision): DecisionInput =>
            scenario({
              ...options,
              desired: decision.desired,
              running: decision.desired,
              decision: { desired: decision.desired, reason: decision.reason, recommendation: decision.figures.recommendations!.compute },
            });
          // A scale-up from fewer running tasks also sizes for what piles up while the new ones start
          // (with no tolerance, a hair more is a task more); settled, the group has no such backlog and
          // may give that back, once the scale-down stabilization has seen it. It only ever gives back,
          // and within a few rounds it keeps its count: that is the steady state, and it stays.
          const counts = [decide(scenario(options), policy)];
          for (let round = 0; round < 3; round++) counts.push(decide(settledAt(counts.at(-1)!), policy));
          const desired = counts.map((d) => d.desired);
          expect(desired).toEqual(desired.toSorted((a, b) => b - a));
          expect(desired.at(-1)).toBe(desired.at(-2));
        },
      ),
    );
  });

  it('a steady state the group keeps up at is where it stays, asked at once', () => {
    fc.assert(
      fc.property(
        policyArb.map((p) => ({ ...p, taskThroughput: Math.max(p.taskThroughput, 1), maxScaleUpStep: 100, maxScaleDownStep: 100 })),
        scenarioArb.map((o) => ({ ...o, samples: Math.max(o.samples, 2), consumeRate: o.produceRate, initialLag: 0, running: o.desired })),
        (policy, options) => {
          // Running what it asks for, nothing starting: the first answer is the steady state itself.
          fc.pre(options.desired > 0);
          const first = decide(scenario(options), policy);
          const settled = scenario({
            ...options,
            desired: first.desired,
            running: first.desired,
            decision: { desired: first.desired, reason: first.reason, recommendation: first.figures.recommendations!.compute },
          });
          expect(decide(settled, policy).desired).toBe(first.desired);
        },
      ),
    );
  });
});

describe('unsafe inputs', () => {
  const lagFields = ['totalLag', 'maxPartitionLag', 'partitionCount', 'partitionsWithLag', 'logEndSum', 'committedSum'] as const;
  const badNumber = fc.oneof(fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ max: -1e-9, noNaN: true }));

  it('leave the count unchanged', () => {
    fc.assert(
      fc.property(policyArb, scenarioArb, fc.constantFrom(...lagFields), badNumber, (policy, options, field, value) => {
        const input = scenario(options);
        const decision = decide({ ...input, lag: { ...input.lag, [field]: value } }, policy);
        expect(decision).toMatchObject({ desired: input.service.desired, reason: 'invalid-input' });
      }),
    );
  });

  it('never make decide throw or answer something other than a whole number', () => {
    fc.assert(
      fc.property(fc.anything(), policyArb, (garbage, policy) => {
        const decision = decide(garbage as DecisionInput, policy);
        expect(Number.isInteger(decision.desired)).toBe(true);
        expect(decision.desired).toBeGreaterThanOrEqual(0);
        expect(UNCHANGED_REASONS).toContain(decision.reason);
      }),
    );
  });

  it('keep their reason even inside otherwise valid history', () => {
    fc.assert(
      fc.property(
        policyArb,
        scenarioArb.map((o) => ({ ...o, samples: Math.max(o.samples, 2) })),
        badNumber,
        (policy, options, value) => {
          const input = scenario(options);
          const history = input.history.map((h, i) => (i === 0 ? { ...h, now: value } : h));
          expect(decide({ ...input, history }, policy)).toMatchObject({ desired: input.service.desired, reason: 'invalid-history' });
        },
      ),
    );
  });

  it("moves the count by at most one step per period from the period's first count, and never against its decision", () => {
    fc.assert(
      fc.property(policyArb, scenarioArb, fc.nat({ max: 60 }), (policy, options, base) => {
        const input = { ...scenario(options), stepBase: base };
        const { desired, figures } = decide(input, policy);
        const current = input.service.desired;
        const { lower, upper } = bounds(policy, input.lag.partitionCount);
        const steps = figures.recommendations!;
        // The step only shortens the stabilized move: it ends between the count now and the decision.
        expect(steps.rateLimit).toBeGreaterThanOrEqual(Math.min(current, steps.stabilize));
        expect(steps.rateLimit).toBeLessThanOrEqual(Math.max(current, steps.stabilize));
        // The bounds win over the step (a count outside them is always corrected), else one step from the base or held.
        const floor = Math.min(Math.max(Math.min(base - policy.maxScaleDownStep, current), policy.scaleToZero ? 0 : lower), upper);
        const ceiling = Math.max(Math.min(Math.max(base + policy.maxScaleUpStep, current), upper), lower);
        if (!(policy.scaleToZero && desired === 0)) expect(desired).toBeGreaterThanOrEqual(floor);
        expect(desired).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});
