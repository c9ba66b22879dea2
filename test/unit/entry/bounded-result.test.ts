import { describe, expect, it } from 'vitest';
import { boundedResult } from '../../../src/entry/bounded-result.js';
import type { TickResult } from '../../../src/report/outcome.js';
import { aScaleAction } from '../../support/decisions.js';

const manyPartitions = Array.from({ length: 50 }, (_, partition) => ({ topic: 'loan-events', partition, lag: 1_000 }));

function resultOf(targets: number): TickResult {
  const decisions = Array.from({ length: targets }, (_, i) =>
    aScaleAction({ target: `t${i}`, lag: { total: 50_000, max: 1_000, status: 'ok', partitions: manyPartitions, warnings: [] } }),
  );
  return { dryRun: true, decisions, errors: [] };
}

describe('a result within the response limit', () => {
  it('is left as it is when it fits', () => {
    const result = resultOf(3);
    expect(boundedResult(result)).toBe(result);
  });

  it('gives up the listed partitions first, keeps every decision and its reason, and says what it left out', () => {
    const result = resultOf(40);
    const size = JSON.stringify(result).length;
    const bounded = boundedResult(result, size - 1);
    expect(bounded.decisions).toHaveLength(40);
    expect(bounded.decisions.every((d) => d.lag?.partitions.length === 0 && d.reason === 'scale-up' && d.desired === 4)).toBe(true);
    expect(bounded.cut).toMatch(/^The result was cut to fit Lambda's response limit: left out the partitions listed per target/);
    expect(JSON.stringify(bounded).length).toBeLessThanOrEqual(size - 1);
  });
});
