/**
 * Which scheduled events a run skips: a stale one (the next tick is already due, or past), one
 * dated ahead of the clock by more than a schedule's jitter (taken, it would wait idle and then
 * mark every real event up to its time as handled), and one whose scheduled time was already
 * handled (the scheduler delivers at least once). Each answer is the skip's message, its reason
 * code first.
 */

/** Older than this many periods, a scheduled event is stale. */
const STALE_AFTER_PERIODS = 2;

export function staleEvent(scheduledAt: number | undefined, now: number, periodSeconds: number): string | undefined {
  if (scheduledAt === undefined) return undefined;
  const ageSeconds = (now - scheduledAt) / 1000;
  if (ageSeconds <= STALE_AFTER_PERIODS * periodSeconds) return undefined;
  return `stale-event: scheduled ${Math.round(ageSeconds)} s ago (more than two periods of ${periodSeconds} s)`;
}

/** A scheduler invokes at or just after the scheduled time; ahead of the clock by more than this, an event is not the schedule's. */
export const FUTURE_JITTER_SECONDS = 5;

export function futureEvent(scheduledAt: number | undefined, now: number): string | undefined {
  if (scheduledAt === undefined) return undefined;
  const aheadSeconds = (scheduledAt - now) / 1000;
  if (aheadSeconds <= FUTURE_JITTER_SECONDS) return undefined;
  return `future-event: the event is scheduled for ${new Date(scheduledAt).toISOString()}, ${Math.round(aheadSeconds)} s ahead of the clock (more than a schedule's ${FUTURE_JITTER_SECONDS} s of jitter); nothing is done`;
}

/** The time to record as handled for a run of the event scheduled at `scheduledAt`: never past now. */
export function handledAt(scheduledAt: number, now: number): number {
  return Math.min(scheduledAt, now);
}

/** `lastHandled`: the latest scheduled time a run went ahead for (epoch ms), kept in memory and restored after a cold start. */
export function duplicateEvent(scheduledAt: number | undefined, lastHandled: number | undefined): string | undefined {
  if (scheduledAt === undefined || lastHandled === undefined || scheduledAt > lastHandled) return undefined;
  return `duplicate-event: the event scheduled for ${new Date(scheduledAt).toISOString()} was already handled (the scheduler delivers at least once); nothing is done`;
}
