/** The promise's value, or `late()`'s once `ms` have passed; a late promise is left to finish on its own (its rejection is ignored). */
export async function beforeDeadline<T>(promise: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), Math.max(0, ms));
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An AbortSignal that fires after `ms`: at least 1 ms, whole milliseconds (AbortSignal.timeout throws a RangeError on a fraction). */
export function abortAfter(ms: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.floor(ms)));
}
