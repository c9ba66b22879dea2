import { describe, expect, it } from 'vitest';
import { callsForCloserWatch, callsForConfirmation } from '../../../src/control/surge-watch.js';

describe('callsForCloserWatch', () => {
  it('is set by a decision that raised the count', () => {
    expect(callsForCloserWatch({ current: 4, desired: 12, reason: 'scale-up' })).toBe(true);
  });

  it('is set while the objective is out of reach, even at the cap', () => {
    expect(callsForCloserWatch({ current: 48, desired: 48, reason: 'objective-unreachable' })).toBe(true);
  });

  it('is set while a partition is stuck: the second it moves again, its backlog needs tasks', () => {
    const stuck = { topic: 'payments', partition: 3, lag: 5000, stuckSeconds: 240 };
    expect(callsForCloserWatch({ current: 10, desired: 10, reason: 'within-tolerance', figures: { stuckPartitions: [stuck] } })).toBe(true);
    expect(callsForCloserWatch({ current: 10, desired: 10, reason: 'within-tolerance', figures: { stuckPartitions: [] } })).toBe(false);
  });

  it('is calm when the count holds or falls, or is unknown', () => {
    expect(callsForCloserWatch({ current: 12, desired: 12, reason: 'within-tolerance' })).toBe(false);
    expect(callsForCloserWatch({ current: 12, desired: 6, reason: 'scale-down' })).toBe(false);
    expect(callsForCloserWatch({ current: null, desired: null, reason: 'lag-read-failed' })).toBe(false);
  });
});

describe('callsForConfirmation', () => {
  it('is set by a decision that would raise the count, and by nothing else', () => {
    expect(callsForConfirmation({ current: 4, desired: 12 })).toBe(true);
    expect(callsForConfirmation({ current: 12, desired: 12 })).toBe(false);
    expect(callsForConfirmation({ current: 12, desired: 6 })).toBe(false);
    expect(callsForConfirmation({ current: null, desired: 12 })).toBe(false);
  });
});
