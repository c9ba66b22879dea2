import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lagTotals, type PartitionOffsets, partitionLag } from '../../../src/lag/lag-rules.js';

const at = (logStart: number, logEnd: number, committed: number | null): PartitionOffsets => ({
  topic: 't',
  partition: 0,
  logStart,
  logEnd,
  committed,
});

describe('the lag rules', () => {
  it('counts log end minus committed', () => {
    expect(partitionLag(at(0, 100, 40), 'latest').lag).toBe(60);
  });

  it('without a commit: 0 under "latest", everything still in the log under "earliest"', () => {
    expect(partitionLag(at(30, 100, null), 'latest').lag).toBe(0);
    expect(partitionLag(at(30, 100, null), 'earliest').lag).toBe(70); // from the log start, not offset 0
  });

  it('counts from the log start when retention deleted what the group had not read', () => {
    expect(partitionLag(at(500, 800, 120), 'latest').lag).toBe(300);
  });

  it('counts 0 and flags a commit past the log end', () => {
    expect(partitionLag(at(0, 10, 50), 'latest')).toMatchObject({ lag: 0, committedAheadOfLogEnd: true });
  });

  const offsets = fc
    .tuple(fc.nat(1e9), fc.nat(1e9), fc.option(fc.nat(2e9), { nil: null }))
    .map(([start, length, committed]) => at(start, start + length, committed));
  const policy = fc.constantFrom('latest' as const, 'earliest' as const);

  it('never gives negative lag, nor more than the log holds', () => {
    fc.assert(
      fc.property(offsets, policy, (o, p) => {
        const { lag } = partitionLag(o, p);
        return lag >= 0 && lag <= o.logEnd - o.logStart;
      }),
    );
  });

  it('totals are the sums and maxima of the partitions', () => {
    fc.assert(
      fc.property(fc.array(offsets, { maxLength: 50 }), policy, (list, p) => {
        const partitions = list.map((o) => partitionLag(o, p));
        const totals = lagTotals(partitions);
        expect(totals.totalLag).toBe(partitions.reduce((sum, x) => sum + x.lag, 0));
        expect(totals.maxPartitionLag).toBe(Math.max(0, ...partitions.map((x) => x.lag)));
        expect(totals.partitionsWithLag).toBe(partitions.filter((x) => x.lag > 0).length);
        expect(totals.logEndSum - totals.committedSum).toBe(totals.totalLag);
      }),
    );
  });
});
