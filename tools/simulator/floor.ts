/**
 * The cost floor: task-seconds no controller can go below on a trace, so cost/floor ≥ 1 always.
 *
 * A controller pays at least minTasks every second (the count is clamped to it), and each task
 * consumes at most `taskThroughput` msg/s (the busiest consumer sets the pace, so n tasks never
 * give more than n × throughput). The backlog left at the end is charged as the task-seconds it
 * would take to consume. Within those rules the cheapest possible schedule does all the work it
 * can on the minTasks it pays for anyway, deferring messages to later seconds when those tasks
 * have room, and pays 1/throughput task-seconds for every other message:
 *
 *   floor = duration × minTasks + (produced − W) / throughput,
 *
 * where W is the most the minTasks can consume, each message no earlier than it is produced: a
 * queue served at minTasks × throughput per second, greedily, which is the most any schedule can
 * do. Any run's cost, Σ desired + end backlog / throughput ≥ Σ max(minTasks, consumed/throughput)
 * + end backlog / throughput ≥ floor, since its consumption is one such schedule.
 *
 * It equals the per-second floor Σ max(minTasks, rate/throughput) whenever the rate stays above
 * minTasks × throughput, and is below it only by the work that can wait for idle minimum tasks.
 */
import type { ServiceModel } from './consumer-service.js';

export function costFloor(producedBy: Float64Array, model: Pick<ServiceModel, 'minTasks' | 'taskThroughput'>): number {
  const durationSeconds = producedBy.length - 1;
  const freeRate = model.minTasks * model.taskThroughput;
  let queued = 0;
  let consumedByMinimum = 0;
  for (let s = 0; s < durationSeconds; s++) {
    queued += producedBy[s + 1]! - producedBy[s]!;
    const consumed = Math.min(queued, freeRate);
    queued -= consumed;
    consumedByMinimum += consumed;
  }
  return durationSeconds * model.minTasks + (producedBy[durationSeconds]! - consumedByMinimum) / model.taskThroughput;
}
