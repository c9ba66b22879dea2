/**
 * Rates and every other measure compare readings over the same topics and partitions only: a
 * topic the group starts committing on adds its whole log end to the sums at once.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/decision/decide.js';
import { measuredReadings } from '../../../src/decision/measured-readings.js';
import type { DecisionInput, HistoryEntry } from '../../../src/decision/types.js';
import { lagTotals, policy, T0 } from './scenario.js';

const at = (minute: number, lag: HistoryEntry['lag'], desired = 6): HistoryEntry => ({
  now: T0 + minute * 60_000,
  lag,
  service: { desired, running: desired },
});

/** Six tasks keep up with 60 msg/s on 12 partitions; then a 240,000-message topic of 12 more partitions starts to count. */
function discoveredTopic(): DecisionInput {
  const before = (minute: number) => ({ ...lagTotals(100_000 + minute * 3_600, 120, 12), partitionSet: '12:aaaa' });
  const history = [0, 1, 2, 3].map((minute) => ({
    ...at(minute, before(minute)),
    decision: { desired: 6, recommendation: 6, learnedTaskThroughput: 20 },
  }));
  const now = { ...lagTotals(100_000 + 4 * 3_600 + 240_000, 130, 24), partitionSet: '24:bbbb' };
  return { now: T0 + 4 * 60_000, lag: now, service: { desired: 6, running: 6 }, history };
}

describe('measured readings', () => {
  it('are those since the partition set last changed, and say when it changed at the reading just before', () => {
    const a = { ...lagTotals(1_000, 0, 12), partitionSet: '12:a' };
    const b = { ...lagTotals(2_000, 0, 12), partitionSet: '12:b' };
    const samples = [at(0, a), at(1, a), at(2, b), at(3, b)];
    expect(measuredReadings(samples)).toEqual({ readings: samples.slice(2), changed: false });
    expect(measuredReadings(samples.slice(0, 3))).toEqual({ readings: samples.slice(2, 3), changed: true });
    expect(measuredReadings(samples.slice(0, 2))).toEqual({ readings: samples.slice(0, 2), changed: false });
  });

  it('compare counts alone where a reading has no key (history rebuilt from metrics)', () => {
    const restored = at(0, lagTotals(1_000, 0, 12));
    const live = at(1, { ...lagTotals(2_000, 0, 12), partitionSet: '12:a' });
    const grown = at(2, { ...lagTotals(3_000, 0, 13), partitionSet: '13:b' });
    expect(measuredReadings([restored, live]).readings).toHaveLength(2);
    expect(measuredReadings([restored, live, grown])).toEqual({ readings: [grown], changed: true });
  });

  it("keep a newly counted topic's log end from reading as production: no phantom scale-up, and it says so", () => {
    const decision = decide(discoveredTopic(), policy({ maxTasks: 12 }));
    expect(decision.figures.produceRate).toBeNull();
    expect(decision.figures.partitionSetChanged).toBe(true);
    expect(decision.desired).toBe(6);
    expect(decision.explanation).toMatch(/The partitions read changed since the last reading \(now 24\): rates are measured afresh/);
  });

  it('tell a set that changed at the same count by its key (one topic of 12 partitions replaced by another)', () => {
    const input = discoveredTopic();
    const replaced = { ...input, lag: { ...input.lag, partitionCount: 12, partitionsWithLag: 12, partitionSet: '12:cccc' } };
    expect(decide(replaced, policy({ maxTasks: 12 })).figures).toMatchObject({ produceRate: null, partitionSetChanged: true });
    // Without the keys the same sums read as thousands of messages a second.
    const { partitionSet: _key, ...unkeyed } = replaced.lag;
    expect(decide({ ...replaced, lag: unkeyed }, policy({ maxTasks: 12 })).figures.produceRate).toBeGreaterThan(4_000);
  });

  it('keep what the history decided: a learned throughput is carried across the change', () => {
    expect(decide(discoveredTopic(), policy({ maxTasks: 12 })).figures).toMatchObject({
      taskThroughput: 20,
      taskThroughputSource: 'learned',
    });
  });
});
