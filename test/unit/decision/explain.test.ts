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
