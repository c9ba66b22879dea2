/**
 * Which scheduled events a run skips: a stale one (the next tick is already due, or past) and one
 * whose scheduled time was already handled (the scheduler delivers at least once). Each answer is
 * the skip's message, its reason code first.
 */

/** Older than this many periods, a scheduled event is stale. */
const STALE_AFTER_PERIODS = 2;

export function staleEvent(scheduledAt: number | undefined, now: number, periodSeconds: number): string | undefined {
  if (scheduledAt === undefined) return undefined;
  const ageSeconds = (now - scheduledAt) / 1000;
  if (ageSeconds <= STALE_AFTER_PERIODS * periodSeconds) return undefined;
  return `stale event: scheduled ${Math.round(ageSeconds)} s ago (more than two periods of ${periodSeconds} s)`;
}

/** `lastHandled`: the latest scheduled time a run went ahead for (epoch ms), kept in memory and restored after a cold start. */
export function duplicateEvent(scheduledAt: number | undefined, lastHandled: number | undefined): string | undefined {
  if (scheduledAt === undefined || lastHandled === undefined || scheduledAt > lastHandled) return undefined;
  return `duplicate-event: the event scheduled for ${new Date(scheduledAt).toISOString()} was already handled (the scheduler delivers at least once); nothing is done`;
}
