import { describe, expect, it } from 'vitest';
import { estimateTaskThroughput, measureRates } from '../../../src/decision/rates.js';
import type { HistoryEntry } from '../../../src/decision/types.js';
import { policy, scenario } from './scenario.js';

function samplesOf(input: ReturnType<typeof scenario>): HistoryEntry[] {
  return [...input.history, { now: input.now, lag: input.lag, service: input.service }];
}

describe('produce and consume rates', () => {
  it('are the log-end and committed growth over the rate window', () => {
    const rates = measureRates(samplesOf(scenario({ produceRate: 1200, consumeRate: 900, initialLag: 5000 })), policy());
    expect(rates.produceRate).toBeCloseTo(1200);
    expect(rates.consumeRate).toBeCloseTo(900);
    expect(rates.lagGrowing).toBe(true);
  });

  it('measure from the newest sample at least the window old', () => {
    const samples = samplesOf(scenario({ samples: 6, produceRate: 1000 }));
    samples[samples.length - 2]!.lag.logEndSum += 30_000; // the minute before last was fast, the last one slow
    expect(measureRates(samples, policy({ rateWindowSeconds: 60 })).produceRate).toBeCloseTo(500);
    expect(measureRates(samples, policy({ rateWindowSeconds: 120 })).produceRate).toBeCloseTo(1000);
  });

  it('take the produce rate since a first look when it is higher: a surge that began seconds ago is not averaged away', () => {
    // A read 5 s after the tick's first look shows 7,000 msg/s now, where the minute's average is 1,000.
    const samples = samplesOf(scenario({ samples: 6, produceRate: 1000 }));
    const first = samples.at(-1)!;
    const confirmed = [
      ...samples.slice(0, -1),
      { ...first, now: first.now + 5_000, lag: { ...first.lag, logEndSum: first.lag.logEndSum + 35_000 } },
    ];
    expect(measureRates(confirmed, policy({ rateWindowSeconds: 60 }), first).produceRate).toBeCloseTo(7000);
    // Without the first look as input, the same reads are one interval of a minute and five seconds.
    expect(measureRates(confirmed, policy({ rateWindowSeconds: 60 })).produceRate).toBeLessThan(2000);
  });

  it('keep the window’s produce rate across ticks that each decided: short-term noise must not size the service', () => {
    const samples = samplesOf(scenario({ samples: 6, produceRate: 1000 }));
    samples[samples.length - 2]!.lag.logEndSum -= 30_000; // only the last minute is fast
    expect(measureRates(samples, policy({ rateWindowSeconds: 120 })).produceRate).toBeCloseTo(1000);
  });

  it('keep the window’s produce rate over a second look too short to trust (producer batching)', () => {
    const samples = samplesOf(scenario({ samples: 6, produceRate: 1000 }));
    const first = samples.at(-1)!;
    const second = { ...first, now: first.now + 1_000, lag: { ...first.lag, logEndSum: first.lag.logEndSum + 10_000 } };
    // Over the window: (60 s × 1,000 + 10,000) / 61 s; the 1 s alone would say 10,000.
    expect(measureRates([...samples.slice(0, -1), second], policy({ rateWindowSeconds: 60 }), first).produceRate).toBeCloseTo(70_000 / 61);
  });

  it('are unknown without history', () => {
    expect(measureRates(samplesOf(scenario({ samples: 1 })), policy())).toEqual({
      produceRate: null,
      consumeRate: null,
      lagGrowing: false,
    });
  });

  it('see a lag that grows within a second of production as noise, not growth', () => {
    // 72 msg/s; the lag goes from 4 to 12 messages over a minute: commit timing, not falling behind.
    const samples = samplesOf(scenario({ samples: 2, produceRate: 72, initialLag: 4 }));
    samples[1]!.lag = { ...samples[1]!.lag, totalLag: 12, committedSum: samples[1]!.lag.logEndSum - 12 };
    expect(measureRates(samples, policy()).lagGrowing).toBe(false);
    samples[1]!.lag = { ...samples[1]!.lag, totalLag: 200, committedSum: samples[1]!.lag.logEndSum - 200 };
    expect(measureRates(samples, policy()).lagGrowing).toBe(true);
  });

  it('see a shrinking lag as not growing', () => {
    const rates = measureRates(samplesOf(scenario({ produceRate: 1000, consumeRate: 1500, initialLag: 90_000 })), policy());
    expect(rates.lagGrowing).toBe(false);
  });
});

describe('per-task throughput', () => {
  it('is the configured value when there is one', () => {
    expect(estimateTaskThroughput(samplesOf(scenario()), policy({ taskThroughput: 250 }))).toEqual({
      value: 250,
      source: 'configured',
    });
  });

  it('is learned from intervals in which the group was backlogged', () => {
    // 20 tasks over 48 partitions: the busiest holds 3, so 1,600 msg/s means 100 per task.
    const input = scenario({ produceRate: 2000, consumeRate: 1600, initialLag: 100_000, desired: 20 });
    expect(estimateTaskThroughput(samplesOf(input), policy())).toEqual({ value: 100, source: 'learned' });
  });

  it('is not learned while the group keeps up: consumption then shows demand, not capacity', () => {
    const input = scenario({ produceRate: 1000, consumeRate: 1000, initialLag: 0, desired: 20 });
    expect(estimateTaskThroughput(samplesOf(input), policy())).toEqual({ value: null, source: 'none' });
  });

  it('skips intervals around a change of running tasks (the rebalance pause hides capacity)', () => {
    const samples = samplesOf(scenario({ samples: 5, produceRate: 2000, consumeRate: 1600, initialLag: 100_000, desired: 20 }));
    samples[1]!.service = { desired: 20, running: 16 };
    // Intervals 1→2 and 2→3 touch the change at sample 1; only 3→4 is clean, and it consumed 1,200 msg/s.
    samples[4]!.lag.committedSum = samples[3]!.lag.committedSum + 1200 * 60;
    expect(estimateTaskThroughput(samples, policy()).value).toBe(75);
  });

  it('carries forward what an earlier decision learned', () => {
    const input = scenario({ decision: { desired: 12, reason: 'within-tolerance', learnedTaskThroughput: 80 } });
    expect(estimateTaskThroughput(samplesOf(input), policy())).toEqual({ value: 80, source: 'learned' });
  });
});
