/** Epoch times are milliseconds; rates and windows are per second. */
export const MS_PER_SECOND = 1000;
