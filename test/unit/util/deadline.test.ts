import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../../src/util/concurrency-limit.js';
import { abortAfter, beforeDeadline } from '../../../src/util/deadline.js';

describe('deadlines', () => {
  it('abortAfter takes any time left, fractions and negatives included (AbortSignal.timeout throws on a fraction)', () => {
    expect(() => AbortSignal.timeout(1748.75)).toThrow(RangeError);
    expect(abortAfter(1748.75).aborted).toBe(false);
    expect(() => abortAfter(-5)).not.toThrow();
  });

  it('beforeDeadline answers with the value in time, with the fallback when late, and swallows a late rejection', async () => {
    expect(await beforeDeadline(Promise.resolve('read'), 1_000, () => 'late')).toBe('read');
    expect(await beforeDeadline(new Promise(() => undefined), 0, () => 'late')).toBe('late');
    const rejectsLate = new Promise((_, reject) => setTimeout(() => reject(new Error('after the deadline')), 5));
    expect(await beforeDeadline(rejectsLate, 0, () => 'late')).toBe('late');
    await new Promise((resolve) => setTimeout(resolve, 10)); // an unhandled rejection would fail the run here
  });
});

describe('concurrencyLimit', () => {
  it('never runs more than its limit at once, and runs every task in order of arrival', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limit(async () => {
          started.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 1));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
