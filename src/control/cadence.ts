/**
 * How often the control loop reads a target: a tick every `tickSeconds` (the step period too), a
 * surge tick every `surgeTickSeconds` while a surge is on, and a confirmation read `confirmSeconds`
 * after a first look that would raise the count. The Lambda's SCALER_TICK_SECONDS,
 * SCALER_SURGE_TICK_SECONDS and SCALER_CONFIRM_SECONDS set it; the rules of what fits are here once,
 * for the configuration and the loop alike.
 */
import { RECENT_RATE_MIN_SECONDS } from '../decision/index.js';

export interface Cadence {
  /** Seconds between ticks; the count moves by one step per tick period at most. */
  tickSeconds: number;
  /** While a surge is on, seconds between extra ticks (0: none); it divides the tick into several. */
  surgeTickSeconds: number;
  /** A decision that would raise the count is taken again on a read this many seconds later (0: at once). */
  confirmSeconds: number;
}

/** The Lambda's defaults: a tick a minute, 10 s surge ticks, a 5 s confirmation read. */
export const DEFAULT_CADENCE: Readonly<Cadence> = { tickSeconds: 60, surgeTickSeconds: 10, confirmSeconds: 5 };

/** A surge tick fits a tick it divides into several. */
export function surgeTickFits(surgeTickSeconds: number, tickSeconds: number): boolean {
  return surgeTickSeconds === 0 || (surgeTickSeconds < tickSeconds && tickSeconds % surgeTickSeconds === 0);
}

/** The shortest interval between two ticks: the surge ticks where there are some. */
export function shortestTickSeconds({ tickSeconds, surgeTickSeconds }: Pick<Cadence, 'tickSeconds' | 'surgeTickSeconds'>): number {
  return surgeTickSeconds > 0 ? Math.min(tickSeconds, surgeTickSeconds) : tickSeconds;
}

/**
 * A confirmation read fits when it is long enough for a produce rate of its own
 * (RECENT_RATE_MIN_SECONDS) and leaves half of the shortest tick.
 */
export function confirmationFits(confirmSeconds: number, cadence: Pick<Cadence, 'tickSeconds' | 'surgeTickSeconds'>): boolean {
  return confirmSeconds === 0 || (confirmSeconds >= RECENT_RATE_MIN_SECONDS && confirmSeconds * 2 <= shortestTickSeconds(cadence));
}

export interface CadenceProblem {
  field: keyof Cadence;
  /** What the value must be, e.g. "must be 0 or divide the tick (60 s) into several ticks". */
  must: string;
  got: number;
}

/**
 * The cadence, given in part: an unset surge tick or confirmation takes its default where it fits
 * and is off where it does not (a 5 s tick leaves no room for either); one that is set and does not
 * fit is a problem, named.
 */
export function resolveCadence(given: Partial<Cadence> = {}): { cadence: Cadence; problems: CadenceProblem[] } {
  const problems: CadenceProblem[] = [];
  const tickSeconds = given.tickSeconds ?? DEFAULT_CADENCE.tickSeconds;
  if (!(Number.isInteger(tickSeconds) && tickSeconds >= 1))
    problems.push({ field: 'tickSeconds', must: 'must be a whole number of seconds ≥ 1', got: tickSeconds });
  const fitted = (field: 'surgeTickSeconds' | 'confirmSeconds', fits: (seconds: number) => boolean, must: string): number => {
    const value = given[field];
    if (value === undefined) return fits(DEFAULT_CADENCE[field]) ? DEFAULT_CADENCE[field] : 0;
    if (!(Number.isInteger(value) && value >= 0 && fits(value))) problems.push({ field, must, got: value });
    return value;
  };
  const surgeTickSeconds = fitted(
    'surgeTickSeconds',
    (seconds) => surgeTickFits(seconds, tickSeconds),
    `must be 0 or divide the tick (${tickSeconds} s) into several ticks`,
  );
  const shortest = shortestTickSeconds({ tickSeconds, surgeTickSeconds });
  const confirmSeconds = fitted(
    'confirmSeconds',
    (seconds) => confirmationFits(seconds, { tickSeconds, surgeTickSeconds }),
    `must be 0, or from ${RECENT_RATE_MIN_SECONDS} up to half of the shortest tick (${shortest} s)`,
  );
  return { cadence: { tickSeconds, surgeTickSeconds, confirmSeconds }, problems };
}

/** Reads fall on multiples of this after the first: the greatest common divisor of the three intervals in use. */
export function slotSecondsOf({ tickSeconds, surgeTickSeconds, confirmSeconds }: Cadence): number {
  return [surgeTickSeconds, confirmSeconds].reduce((slot, seconds) => (seconds > 0 ? gcd(slot, seconds) : slot), tickSeconds);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
