import { describe, expect, it } from 'vitest';
import { duplicateEvent, staleEvent } from '../../../src/tick/events.js';

const T = Date.UTC(2026, 11, 1, 12);

describe('scheduled events a run skips', () => {
  it('skips an event older than two periods, and nothing else', () => {
    expect(staleEvent(T - 121_000, T, 60)).toMatch(/^stale event: scheduled 121 s ago/);
    expect(staleEvent(T - 120_000, T, 60)).toBeUndefined();
    expect(staleEvent(undefined, T, 60)).toBeUndefined();
  });

  it('skips a scheduled time already handled, or older, as a duplicate', () => {
    expect(duplicateEvent(T, T)).toMatch(/^duplicate-event: the event scheduled for 2026-12-01T12:00:00.000Z was already handled/);
    expect(duplicateEvent(T - 60_000, T)).toMatch(/^duplicate-event/);
    expect(duplicateEvent(T + 60_000, T)).toBeUndefined();
    expect(duplicateEvent(T, undefined)).toBeUndefined();
  });
});
