/**
 * Time the controller keeps for itself within an invocation; the tick's whole time budget, from the
 * settings, is in tools/docs/tick-budget.ts (the README's table).
 */

/** The history restore after a cold start is cut off after this long (and a quarter of the time left). */
export const HISTORY_RESTORE_MAX_MS = 5_000;
/** Kept back from the Lambda's timeout for publishing metrics and returning (handlers/controller.ts). */
export const PUBLISH_RESERVE_MS = 3_000;
