import { describe, expect, it } from 'vitest';
import { duplicateEvent, FUTURE_JITTER_SECONDS, futureEvent, handledAt, staleEvent } from '../../../src/tick/events.js';

const T = Date.UTC(2026, 11, 1, 12);

describe('scheduled events a run skips', () => {
  it('skips an event older than two periods, and nothing else', () => {
    expect(staleEvent(T - 121_000, T, 60)).toMatch(/^stale-event: scheduled 121 s ago/);
    expect(staleEvent(T - 120_000, T, 60)).toBeUndefined();
    expect(staleEvent(undefined, T, 60)).toBeUndefined();
  });

  it('skips a scheduled time already handled, or older, as a duplicate', () => {
    expect(duplicateEvent(T, T)).toMatch(/^duplicate-event: the event scheduled for 2026-12-01T12:00:00.000Z was already handled/);
    expect(duplicateEvent(T - 60_000, T)).toMatch(/^duplicate-event/);
    expect(duplicateEvent(T + 60_000, T)).toBeUndefined();
    expect(duplicateEvent(T, undefined)).toBeUndefined();
  });

  it("refuses an event dated ahead of the clock by more than a schedule's jitter, and names it", () => {
    expect(futureEvent(T + 86_400_000, T)).toMatch(
      /^future-event: the event is scheduled for 2026-12-02T12:00:00.000Z, 86400 s ahead of the clock/,
    );
    expect(futureEvent(T + 30_000, T)).toMatch(/^future-event: .* 30 s ahead/);
    expect(futureEvent(T + FUTURE_JITTER_SECONDS * 1000, T)).toBeUndefined();
    expect(futureEvent(T - 60_000, T)).toBeUndefined();
    expect(futureEvent(undefined, T)).toBeUndefined();
  });

  it('never records a handled time past now', () => {
    expect(handledAt(T + 3_000, T)).toBe(T);
    expect(handledAt(T - 3_000, T)).toBe(T - 3_000);
  });
});
