import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTimeLagSeconds } from '../../../src/decision/time-lag.js';
import type { HistoryEntry } from '../../../src/decision/types.js';
import { lagTotals, T0 } from './scenario.js';

/** Samples at the given seconds with the given log-end sums; the last has `lag` unconsumed. */
function samples(points: [seconds: number, logEndSum: number][], lag: number): HistoryEntry[] {
  return points.map(([seconds, logEndSum], i) => ({
    now: T0 + seconds * 1000,
    lag: lagTotals(logEndSum, i === points.length - 1 ? lag : 0),
    service: { desired: 1, running: 1 },
  }));
}

describe('time lag', () => {
  it('is zero without lag', () => {
    expect(
      estimateTimeLagSeconds(
        samples(
          [
            [0, 0],
            [60, 600],
          ],
          0,
        ),
        10,
      ),
    ).toBe(0);
  });

  it('is the time since the log end passed the committed position, interpolated', () => {
    // Log end 0 → 6,000 over a minute; the committed position 4,500 was passed at 45 s.
    expect(
      estimateTimeLagSeconds(
        samples(
          [
            [0, 0],
            [60, 6000],
            [120, 12_000],
          ],
          7500,
        ),
        100,
      ),
    ).toBeCloseTo(75);
  });

  it('keeps growing while producers are idle, instead of dividing by a zero rate', () => {
    const points: [number, number][] = [
      [0, 0],
      [60, 1000],
      [120, 1000],
      [180, 1000],
    ];
    expect(estimateTimeLagSeconds(samples(points, 500), 0)).toBeCloseTo(150);
  });

  it('follows a burst: messages of the burst are as old as the burst', () => {
    const points: [number, number][] = [
      [0, 0],
      [60, 600],
      [120, 180_600],
      [180, 181_200],
    ];
    // Committed 90,600: half-way through the burst minute, i.e. produced at 90 s.
    expect(estimateTimeLagSeconds(samples(points, 181_200 - 90_600), 10)).toBeCloseTo(90);
  });

  it('extrapolates with the produce rate beyond the oldest sample', () => {
    // 6,000 older than the history at 100 msg/s: produced 60 s before the oldest sample.
    expect(
      estimateTimeLagSeconds(
        samples(
          [
            [0, 6000],
            [60, 12_000],
          ],
          12_000,
        ),
        100,
      ),
    ).toBeCloseTo(120);
  });

  it('does not blow up when producers have just gone quiet', () => {
    const points: [number, number][] = [
      [0, 6000],
      [60, 12_000],
      [120, 12_000],
    ];
    // The history averaged 50 msg/s: the 6,000 before it took two minutes, not 6,000 / 0.001 s.
    expect(estimateTimeLagSeconds(samples(points, 12_000), 0.001)).toBeCloseTo(240);
  });

  it('falls back to the history’s own rate, then to the oldest sample, when the rate is unknown', () => {
    expect(
      estimateTimeLagSeconds(
        samples(
          [
            [0, 6000],
            [60, 12_000],
          ],
          12_000,
        ),
        null,
      ),
    ).toBeCloseTo(120);
    expect(
      estimateTimeLagSeconds(
        samples(
          [
            [0, 6000],
            [60, 6000],
          ],
          6000,
        ),
        0,
      ),
    ).toBeCloseTo(60);
  });

  it('is unknown without history', () => {
    expect(estimateTimeLagSeconds(samples([[0, 6000]], 100), 100)).toBeNull();
  });

  it('is never negative, NaN or infinite (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.double({ min: 0, max: 1e12, noNaN: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1e9, noNaN: true })),
        (steps, lag, rate) => {
          let seconds = 0;
          const points = steps.map(([gap, logEnd]): [number, number] => [(seconds += gap), logEnd]);
          const last = points.at(-1)!;
          const value = estimateTimeLagSeconds(samples(points, Math.min(lag, last[1])), rate);
          if (value !== null) {
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('time lag per partition, each judged by its own produce rate', () => {
  /** Ten partitions read every minute for ten minutes, each producing `rates[p]` msg/s and standing `backlogSeconds[p]` behind. */
  function skewed(rates: number[], backlogSeconds: number[]): HistoryEntry[] {
    return Array.from({ length: 11 }, (_, i) => {
      const seconds = i * 60;
      const partitions = rates.map((rate, partition) => {
        const logEnd = 1_000_000 + rate * seconds;
        const lag = Math.round(rate * (backlogSeconds[partition] ?? 0));
        return { topic: 't', partition, committed: logEnd - lag, lag };
      });
      const totalLag = partitions.reduce((sum, p) => sum + p.lag, 0);
      return {
        now: T0 + seconds * 1000,
        lag: {
          totalLag,
          maxPartitionLag: Math.max(...partitions.map((p) => p.lag)),
          partitionCount: partitions.length,
          partitionsWithLag: partitions.filter((p) => p.lag > 0).length,
          logEndSum: partitions.reduce((sum, p) => sum + p.committed + p.lag, 0),
          committedSum: partitions.reduce((sum, p) => sum + p.committed, 0),
          partitions,
        },
        service: { desired: 10, running: 10 },
      };
    });
  }

  it('sees a slow partition’s old messages behind a lag that looks small beside busy ones', () => {
    // One partition at 1 msg/s, 400 s behind; nine at 111 msg/s, 30 s behind (a standing backlog the target time lag allows).
    const readings = skewed([1, ...Array(9).fill(111)], [400, ...Array(9).fill(30)]);
    const age = estimateTimeLagSeconds(readings, 1000);
    expect(age).toBeGreaterThan(380);
    expect(age).toBeLessThan(420);
  });

  it('still skips what is too young to matter, at its own rate', () => {
    const readings = skewed(Array(10).fill(100), Array(10).fill(30));
    expect(estimateTimeLagSeconds(readings, 1000)).toBeCloseTo(30, 0);
  });
});
