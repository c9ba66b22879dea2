/** fast-check generators of valid policies and plausible groups, for the property tests. */
import fc from 'fast-check';
import type { Policy } from '../../../src/decision/policy.js';
import type { ScenarioOptions } from './scenario.js';

const seconds = (min: number, max: number) => fc.double({ min, max, noNaN: true });

export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    minTasks: fc.integer({ min: 1, max: 10 }),
    extraMaxTasks: fc.integer({ min: 0, max: 90 }),
    lagPerTask: fc.double({ min: 1, max: 1e6, noNaN: true }),
    taskThroughput: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1000, noNaN: true })),
    targetUtilization: fc.double({ min: 0.1, max: 1, noNaN: true }),
    targetTimeLagSeconds: seconds(0, 600),
    // No objective, or one from tight to loose: every law holds with it too.
    maxTimeLagSeconds: fc.oneof(fc.constant(0), seconds(1, 3600)),
    backlogDrainSeconds: seconds(1, 3600),
    taskStartupSeconds: seconds(0, 300),
    rebalancePauseSeconds: seconds(0, 60),
    tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
    scaleDownStabilizationSeconds: seconds(0, 900),
    maxScaleUpStep: fc.integer({ min: 1, max: 100 }),
    maxScaleDownStep: fc.integer({ min: 1, max: 100 }),
    allowIdleConsumers: fc.boolean(),
    scaleToZero: fc.boolean(),
    activationLagThreshold: fc.double({ min: 0, max: 1e5, noNaN: true }),
    allowedPartitionLag: fc.integer({ min: 0, max: 10 }),
    healthWindowSeconds: seconds(60, 1200),
    stuckPartitionSeconds: seconds(30, 1200),
    rateWindowSeconds: seconds(1, 300),
    throughputLearningWindowSeconds: seconds(60, 3600),
    learningMinBacklogSeconds: seconds(0, 60),
  })
  .map(({ extraMaxTasks, ...policy }) => ({ ...policy, maxTasks: policy.minTasks + extraMaxTasks }));

export const scenarioArb: fc.Arbitrary<Required<Omit<ScenarioOptions, 'decision'>>> = fc
  .record({
    samples: fc.integer({ min: 1, max: 15 }),
    periodSeconds: fc.integer({ min: 10, max: 120 }),
    produceRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true })),
    consumeRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true })),
    initialLag: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
    partitions: fc.integer({ min: 1, max: 100 }),
    desired: fc.integer({ min: 0, max: 100 }),
    runningShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ runningShare, ...options }) => ({ ...options, running: Math.floor(options.desired * runningShare) }));

/** The lowest and highest count a valid decision may give (zero aside, with scaleToZero). */
export function bounds(policy: Policy, partitions: number): { lower: number; upper: number } {
  const upper = policy.allowIdleConsumers ? policy.maxTasks : Math.min(policy.maxTasks, partitions);
  return { lower: Math.min(policy.minTasks, upper), upper };
}
