/** Test helpers: hand-made observations and traces, so each test states only what matters to it. */
import type { LagTotals } from '../../../src/lag/types.js';
import { SIMULATION_EPOCH_MS } from '../../../tools/simulator/simulate.js';
import { parseTrace, type Trace } from '../../../tools/simulator/trace.js';
import type { Autoscaler, Observation } from '../../../tools/simulator/types.js';

export function lagOf(totalLag: number, partitionCount = 48): LagTotals {
  return {
    totalLag,
    maxPartitionLag: Math.ceil(totalLag / partitionCount),
    partitionCount,
    partitionsWithLag: Math.min(partitionCount, totalLag),
    logEndSum: 1_000_000 + totalLag,
    committedSum: 1_000_000,
  };
}

export function observation(tSeconds: number, totalLag: number, desiredTasks: number, runningTasks = desiredTasks): Observation {
  return { now: SIMULATION_EPOCH_MS + tSeconds * 1000, lag: lagOf(totalLag), desiredTasks, runningTasks };
}

/**
 * Ticks an autoscaler on its own cadence from t = 0 while `lagAt(t)` gives the lag, applying each
 * answer as the new desired (and running) count. Returns the answer at every tick.
 */
export function drive(
  autoscaler: Autoscaler,
  untilSeconds: number,
  lagAt: (tSeconds: number) => number,
  startTasks: number,
): { t: number; desired: number }[] {
  const answers: { t: number; desired: number }[] = [];
  let tasks = startTasks;
  for (let t = 0; t <= untilSeconds; t += autoscaler.periodSeconds) {
    tasks = autoscaler.tick(observation(t, lagAt(t), tasks));
    answers.push({ t, desired: tasks });
  }
  return answers;
}

/** The first tick whose answer differs from the count before it. */
export function firstChange(answers: readonly { t: number; desired: number }[], startTasks: number) {
  let previous = startTasks;
  for (const answer of answers) {
    if (answer.desired !== previous) return answer;
    previous = answer.desired;
  }
  return undefined;
}

/** A trace from [t, rate] points. */
export function traceOf(points: readonly [number, number][], name = 'hand-made'): Trace {
  return parseTrace(['t_seconds,rate', ...points.map(([t, r]) => `${t},${r}`)].join('\n'), name);
}
