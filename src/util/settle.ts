/** A call's outcome as a value, so one failure is reported beside the others instead of thrown past them. */

/** A settled call; a failure keeps the error's kind where it has one (an EcsError's). */
export type Settled<T> = { ok: true; value: T } | { ok: false; message: string; kind?: string };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const kind = (error as { kind?: unknown })?.kind;
    return { ok: false, message: messageOf(error), ...(typeof kind === 'string' ? { kind } : {}) };
  }
}

export function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
