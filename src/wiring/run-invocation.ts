/**
 * A whole scheduled invocation as the Lambda runs it: one tick, then, while a surge is on, a tick
 * every SCALER_SURGE_TICK_SECONDS for the targets whose loop is due (src/control); or, with
 * SCALER_TICK_SECONDS below the period, a tick every tickSeconds until just before the next
 * invocation is due. Everything else is one run of the controller (run-controller.ts).
 */
import { parseControllerConfig } from '../config/controller-config.js';
import { callsForCloserWatch } from '../control/index.js';
import { futureEvent } from '../tick/events.js';
import { publishMetrics, type RunOptions, type RunOutcome, runController } from './run-controller.js';

/** A tick starts only if at least this much of its slot is left before the invocation's deadline. */
const MIN_TICK_MS = 2_000;

/**
 * A whole invocation: one tick (and, while a surge is on, more every SCALER_SURGE_TICK_SECONDS
 * until a tick is calm), or for a scheduled invocation with SCALER_TICK_SECONDS below the
 * period, a tick every tickSeconds (each with its own scheduled time, deadline and step limits)
 * until just before the next invocation is due. Each tick's metrics are published when the next
 * one starts (the last by the caller), so the heartbeat arrives tick by tick. Returns the last
 * tick's outcome.
 */
export async function runInvocation(options: RunOptions): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const parsed = parseControllerConfig(options.env);
  const { invocation } = options;
  if (!parsed.ok || invocation.kind !== 'scheduled') return runController(options);
  // Refused before any wait: an event dated ahead of the clock must not make the invocation sit idle.
  if (futureEvent(invocation.scheduledAt, now())) return runController(options);
  const { tickSeconds, periodSeconds, surgeTickSeconds } = parsed.config;
  const everyTick = tickSeconds < periodSeconds;
  if (!everyTick && surgeTickSeconds === 0) return runController(options);
  // Slots of the fast cadence; at one tick a period, the later slots run only while a surge is on.
  const slotSeconds = everyTick ? tickSeconds : surgeTickSeconds;
  const base = invocation.scheduledAt ?? now();
  let last: RunOutcome | undefined;
  for (let k = 0; k < periodSeconds / slotSeconds; k++) {
    const surgeSlot = k > 0 && !everyTick;
    if (surgeSlot && !(last?.ok && last.result.decisions.some(callsForCloserWatch))) break;
    const at = base + k * slotSeconds * 1000;
    // A slot the previous tick overran (a cold start) is skipped; the period's first tick keeps the whole invocation.
    if (surgeSlot && now() >= at + slotSeconds * 1000) continue;
    const deadline = everyTick || surgeSlot ? Math.min(options.deadline, at + slotSeconds * 1000) : options.deadline;
    if (deadline - Math.max(now(), at) < MIN_TICK_MS) break;
    if (last?.ok)
      await publishMetrics(options.metrics, last.config).catch((error: unknown) =>
        options.logger.warn('metrics not published', { error: (error as Error).message }),
      );
    await sleep(at - now());
    last = await runController({
      ...options,
      config: parsed.config,
      invocation: { kind: 'scheduled', scheduledAt: at },
      deadline,
      restorable: k === 0,
      surgeSlot,
    });
    if (!last.ok || last.result.skipped) break;
  }
  return last ?? runController(options);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
