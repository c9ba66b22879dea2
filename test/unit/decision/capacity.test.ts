import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupCapacity, tasksForCapacity, taskThroughputOf } from '../../../src/decision/capacity.js';

describe('group capacity', () => {
  it('is set by the busiest consumer, holding ceil(P/n) partitions', () => {
    expect(groupCapacity(100, 16, 48)).toBe(1600);
    expect(groupCapacity(100, 23, 48)).toBe(1600);
    expect(groupCapacity(100, 24, 48)).toBe(2400);
    expect(groupCapacity(100, 47, 48)).toBe(2400);
    expect(groupCapacity(100, 48, 48)).toBe(4800);
  });

  it('gains nothing from consumers beyond the partition count, and is zero without consumers', () => {
    expect(groupCapacity(100, 60, 48)).toBe(4800);
    expect(groupCapacity(100, 0, 48)).toBe(0);
  });

  it('is inverted by taskThroughputOf', () => {
    expect(taskThroughputOf(1600, 20, 48)).toBe(100);
    expect(taskThroughputOf(4800, 48, 48)).toBe(100);
  });
});

describe('tasksForCapacity', () => {
  it('picks the first count of each capacity step', () => {
    expect(tasksForCapacity(1500, 100, 48)).toBe(16);
    expect(tasksForCapacity(1600, 100, 48)).toBe(16);
    expect(tasksForCapacity(1601, 100, 48)).toBe(24);
    expect(tasksForCapacity(900, 100, 48)).toBe(10);
  });

  it('stops at the partition count when the capacity is out of reach', () => {
    expect(tasksForCapacity(10_000, 100, 48)).toBe(48);
  });

  it('asks for no task when no capacity is needed', () => {
    expect(tasksForCapacity(0, 100, 48)).toBe(0);
  });

  it('returns the fewest tasks that reach the capacity (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.double({ min: 1, max: 1_000, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        (capacity, throughput, partitions) => {
          const tasks = tasksForCapacity(capacity, throughput, partitions);
          expect(tasks).toBeGreaterThanOrEqual(1);
          expect(tasks).toBeLessThanOrEqual(partitions);
          if (capacity <= throughput * partitions) {
            expect(groupCapacity(throughput, tasks, partitions)).toBeGreaterThanOrEqual(capacity * (1 - 1e-9));
            expect(groupCapacity(throughput, tasks - 1, partitions)).toBeLessThan(capacity);
          }
        },
      ),
    );
  });
});
