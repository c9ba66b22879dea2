import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/decision/decide.js';
import { toHistoryEntry, trimHistory } from '../../../src/decision/history.js';
import { REASONS } from '../../../src/decision/reasons.js';
import type { DecisionInput } from '../../../src/decision/types.js';
import { lagTotals, policy, scenario, T0 } from './scenario.js';

const configured = policy({ taskThroughput: 100 });

describe('decide', () => {
  it('sizes a backlogged group in one step and reports the figures it used', () => {
    // Lag 530,000 and growing by 800 msg/s; by the time new tasks consume (60 s start-up, 10 s
    // pause) 598,000. Of that, 60 s of production may stand; 478,000 drain over 600 s:
    // 2,000 / 0.95 + 796.7 = 2,901.9 msg/s, more than 47 tasks give: all 48.
    const input = scenario({ samples: 11, produceRate: 2000, consumeRate: 1200, initialLag: 50_000, desired: 12 });
    const decision = decide(input, configured);
    expect(decision.desired).toBe(48);
    expect(decision.reason).toBe('scale-up');
    expect(decision.health).toBe('WARN');
    expect(decision.figures).toMatchObject({
      produceRate: 2000,
      consumeRate: 1200,
      taskThroughput: 100,
      taskThroughputSource: 'configured',
      recommendations: { compute: 48, stabilize: 48, rateLimit: 48, clamp: 48 },
    });
    expect(decision.figures.timeLagSeconds).toBeGreaterThan(0);
    expect(decision.explanation).toBe(
      'Scaled up from 12 to 48 tasks: 2,000 msg/s produced and a lag of 530,000 messages need 2,901.9 msg/s at 100 msg/s per task (configured). At 48 tasks the backlog is gone in 214 s and no message will be older than 460 s.',
    );
  });

  it('learns per-task throughput when none is configured', () => {
    // 20 tasks consume 1,600 msg/s while backlogged: 100 msg/s per task at 3 partitions each.
    const input = scenario({ produceRate: 2000, consumeRate: 1600, initialLag: 100_000, desired: 20 });
    const decision = decide(input, policy());
    expect(decision.figures).toMatchObject({ taskThroughput: 100, taskThroughputSource: 'learned' });
    expect(decision.desired).toBe(24);
  });

  it('keeps the count at a steady state', () => {
    const decision = decide(scenario({ produceRate: 1100, desired: 12 }), configured);
    expect(decision).toMatchObject({ desired: 12, reason: 'within-tolerance', health: 'OK' });
  });

  it('holds the count of a stalled group however large its lag', () => {
    const stalled = scenario({ samples: 11, produceRate: 2000, consumeRate: 0, initialLag: 10_000, desired: 6 });
    const decision = decide(stalled, configured);
    expect(decision).toMatchObject({ desired: 6, reason: 'health-stall', health: 'STALL' });
  });

  it('never puts more consumers on a cold start than partitions with lag', () => {
    const input = scenario({ samples: 1, initialLag: 900_000, partitions: 12, desired: 3 });
    expect(decide(input, policy())).toMatchObject({ desired: 12, reason: 'cold-start' });
    // Six messages on one partition of twelve, at two messages a task: one consumer, not three.
    const one = {
      ...scenario({ samples: 1, partitions: 12, desired: 1 }),
      lag: { ...lagTotals(1_000_000, 6, 12), partitionsWithLag: 1, maxPartitionLag: 6 },
    };
    expect(decide(one, policy({ lagPerTask: 2 }))).toMatchObject({ desired: 1, reason: 'cold-start' });
  });

  it('scales a caught-up idle group down on a cold start, to zero where scaleToZero allows, after the stabilization window', () => {
    // Throughput never learned (the group was never backlogged), nothing produced, no lag.
    const idle = scenario({ samples: 5, produceRate: 0, initialLag: 0, desired: 3 });
    expect(decide(idle, policy({ scaleDownStabilizationSeconds: 0 }))).toMatchObject({ desired: 1, reason: 'at-min-tasks' });
    expect(decide(idle, policy({ scaleDownStabilizationSeconds: 0, scaleToZero: true }))).toMatchObject({
      desired: 0,
      reason: 'scale-to-zero',
    });
    // Within the stabilization window the earlier recommendations hold it.
    const recent = scenario({ samples: 5, produceRate: 0, initialLag: 0, desired: 3, decision: { desired: 3, recommendation: 3 } });
    expect(decide(recent, policy()).desired).toBe(3);
  });

  it('scales an idle group to zero when opted in, and starts it again on lag', () => {
    const toZero = policy({ taskThroughput: 100, scaleToZero: true, activationLagThreshold: 1000 });
    const idle = scenario({ produceRate: 0, desired: 2 });
    expect(decide(idle, toZero)).toMatchObject({ desired: 0, reason: 'scale-to-zero' });
    const asleep = scenario({ samples: 2, produceRate: 10, consumeRate: 0, initialLag: 0, desired: 0 });
    expect(decide(asleep, toZero)).toMatchObject({ desired: 0, reason: 'idle-at-zero' });
    const woken = scenario({ produceRate: 10, consumeRate: 0, initialLag: 2000, desired: 0 });
    expect(decide(woken, toZero)).toMatchObject({ desired: 1, reason: 'activation' });
  });

  it('explains every decision in one sentence', () => {
    for (const input of [scenario(), scenario({ samples: 1, initialLag: 5e6 }), scenario({ produceRate: 0 })]) {
      const { explanation } = decide(input, configured);
      expect(explanation).toMatch(/^[A-Z][^\n]*\.$/);
      expect(explanation).not.toMatch(/NaN|undefined|Infinity/);
    }
  });

  it('documents every reason it can give', () => {
    for (const input of [scenario(), scenario({ produceRate: 5000, initialLag: 1e6 })]) {
      expect(Object.keys(REASONS)).toContain(decide(input, configured).reason);
    }
  });
});

describe('unsafe inputs leave the count unchanged', () => {
  const good = scenario({ produceRate: 3000, initialLag: 500_000, desired: 7 });
  const cases: [string, DecisionInput, string][] = [
    ['a NaN lag', { ...good, lag: { ...good.lag, totalLag: NaN } }, 'invalid-input'],
    ['a negative lag', { ...good, lag: { ...good.lag, totalLag: -5 } }, 'invalid-input'],
    ['an infinite log end', { ...good, lag: { ...good.lag, logEndSum: Infinity } }, 'invalid-input'],
    ['a missing field', { ...good, lag: { ...good.lag, committedSum: undefined as unknown as number } }, 'invalid-input'],
    ['no partitions', { ...good, lag: { ...good.lag, partitionCount: 0 } }, 'invalid-input'],
    ['a fractional running count', { ...good, service: { desired: 7, running: 2.5 } }, 'invalid-input'],
    ['a partial read', { ...good, lag: { ...good.lag, partial: true } }, 'partial-read'],
    ['history out of order', { ...good, history: [...good.history].reverse() }, 'invalid-history'],
    ['history from the future', { ...good, history: [...good.history, { ...good.history[0]!, now: good.now + 1 }] }, 'invalid-history'],
    ['history that is not an array', { ...good, history: {} as unknown as [] }, 'invalid-history'],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    const decision = decide(input, configured);
    expect(decision).toMatchObject({ desired: 7, reason, health: 'UNKNOWN' });
    expect(decision.figures.recommendations).toBeNull();
  });

  it('an invalid policy, naming the problem', () => {
    const decision = decide(good, policy({ minTasks: 9, maxTasks: 3 }));
    expect(decision).toMatchObject({ desired: 7, reason: 'invalid-policy' });
    expect(decision.explanation).toContain('minTasks: 9 is more than maxTasks (3)');
  });

  it('garbage, without throwing', () => {
    for (const garbage of [null, undefined, 42, 'lag', [], { now: 'soon' }, { service: { desired: 4 } }]) {
      const decision = decide(garbage as unknown as DecisionInput, configured);
      expect(decision.reason).toBe('invalid-input');
      expect(Number.isInteger(decision.desired)).toBe(true);
    }
    expect(decide({ service: { desired: 4 } } as unknown as DecisionInput, configured).desired).toBe(4);
  });

  it('ignores history entries the reader flagged partial', () => {
    const withPartial = { ...good, history: good.history.map((h, i) => (i === 2 ? { ...h, lag: { ...h.lag, partial: true } } : h)) };
    expect(decide(withPartial, configured).reason).not.toBe('invalid-history');
  });
});

describe('history helpers', () => {
  it('record what the next decision needs: the compute recommendation and learned throughput', () => {
    const input = scenario({ produceRate: 2000, consumeRate: 1600, initialLag: 100_000, desired: 20 });
    const entry = toHistoryEntry(input, decide(input, policy()));
    expect(entry).toMatchObject({
      now: input.now,
      decision: { desired: 24, reason: 'scale-up', recommendation: 24, learnedTaskThroughput: 100 },
    });
  });

  it('flag a rejected reading partial, so that it does not spoil later decisions', () => {
    const earlier = scenario({ samples: 3, produceRate: 1000, desired: 10 });
    const garbled = { ...earlier, lag: { ...earlier.lag, totalLag: NaN } };
    const entry = toHistoryEntry(garbled, decide(garbled, configured));
    expect(entry.lag.partial).toBe(true);
    const later = scenario({ samples: 5, produceRate: 1000, desired: 10 });
    const history = [...later.history.slice(0, 2), entry, ...later.history.slice(3)];
    expect(decide({ ...later, history }, configured).reason).toBe('within-tolerance');
  });

  it('trim the history to the policy’s longest window', () => {
    const entry = { now: T0, lag: lagTotals(0, 0), service: { desired: 1, running: 1 } };
    const history = [entry, { ...entry, now: T0 + 1_800_000 }];
    expect(trimHistory(history, T0 + 1_800_001, policy())).toEqual([history[1]]);
  });
});
