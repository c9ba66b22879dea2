import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/decision/explain.js';
import { REASONS, type Reason } from '../../../src/decision/reasons.js';
import type { DecisionFigures } from '../../../src/decision/types.js';
import { lagTotals, policy } from './scenario.js';

const figures: DecisionFigures = {
  produceRate: 1234.5,
  consumeRate: 1000,
  taskThroughput: 100,
  taskThroughputSource: 'learned',
  timeLagSeconds: 42,
  drainSeconds: 95,
  expectedTimeLagSeconds: 140,
  requiredCapacity: 1500,
  lagGrowing: false,
  consumeCeiling: 1200,
  ceilingTasks: 12,
  stuckPartitions: [],
  rewoundPartitions: [],
  oldestPartition: null,
  stalledSeconds: null,
  partitionSetChanged: false,
  recommendations: { compute: 16, stabilize: 16, rateLimit: 16, clamp: 16 },
};

describe('explanations', () => {
  it.each(Object.keys(REASONS) as Reason[])('%s: one sentence with real figures', (reason) => {
    const sentence = explain({ desired: 16, current: 12, reason, figures, lag: lagTotals(1e6, 25_000), policy: policy() });
    expect(sentence).toMatch(/^[A-Z][^\n]*\.$/);
    expect(sentence).not.toMatch(/undefined|NaN|null/);
  });

  it('name the numbers a person needs to check the decision', () => {
    const sentence = explain({ desired: 16, current: 12, reason: 'scale-up', figures, lag: lagTotals(1e6, 25_000), policy: policy() });
    expect(sentence).toBe(
      'Scaled up from 12 to 16 tasks: 1,234.5 msg/s produced and a lag of 25,000 messages need 1,500 msg/s at 100 msg/s per task (learned). At 16 tasks the backlog is gone in 95 s and no message will be older than 140 s.',
    );
  });
});

describe('the cold-start explanation', () => {
  const coldFigures = (produceRate: number | null, taskThroughput: number | null): DecisionFigures => ({
    ...figures,
    produceRate,
    taskThroughput,
    taskThroughputSource: taskThroughput === null ? 'none' : 'configured',
  });
  const coldText = (f: DecisionFigures) =>
    explain({ desired: 5, current: 2, reason: 'cold-start', figures: f, lag: lagTotals(1_000_000, 20_400), policy: policy() });

  it('says the produce rate is missing when the throughput is configured', () => {
    const text = coldText(coldFigures(null, 100));
    expect(text).toContain('the produce rate needs an earlier reading');
    expect(text).not.toContain('throughput is neither configured');
  });

  it('says the throughput is missing when the rate is known', () => {
    const text = coldText(coldFigures(1000, null));
    expect(text).toContain('per-task throughput is neither configured (taskThroughput) nor learned yet');
    expect(text).not.toContain('produce rate needs');
  });

  it('names both when both are missing', () => {
    const text = coldText(coldFigures(null, null));
    expect(text).toContain('produce rate needs');
    expect(text).toContain('throughput is neither configured');
  });
});
