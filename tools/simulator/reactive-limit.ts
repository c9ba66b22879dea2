/**
 * The reactive limit: a perfect reactive controller, the reference for anything that does not
 * predict. It looks every second and, the moment the group falls behind — the backlog grew (the
 * running tasks did not clear what arrived) or the produce rate exceeds what
 * the running tasks can consume — asks for every task the bounds allow, at once. Tasks still take
 * the model's start-up to consume, and rebalances still pause the group. Offsets are whole
 * numbers per partition, so a second's figures may be off by a message per partition: changes
 * within that are rounding, not a surge.
 *
 * It never scales down: its violation seconds are the reference (the least a controller that only
 * reacts can have), not its cost. Scaling down would only let a later surge find it short, and
 * any rule for when to come down would be a tuning choice, which a reference must not have.
 * It is a reference row in the benchmark, not a baseline tuned per trace.
 */
import { groupCapacity, type ServiceModel } from './consumer-service.js';
import type { Autoscaler, Observation } from './types.js';

export const REACTIVE_LIMIT_NAME = 'reactive-limit';

export function reactiveLimitAutoscaler(model: ServiceModel): Autoscaler {
  let previous: Observation | undefined;
  /** The least lag seen: growth is measured from it, so a slow growth (one stalled partition) adds up. */
  let leastLag = Infinity;
  let surged = false;
  return {
    name: REACTIVE_LIMIT_NAME,
    periodSeconds: 1,
    tick(obs: Observation): number {
      if (!surged && previous !== undefined) {
        const rounding = obs.lag.partitionCount;
        const seconds = (obs.now - previous.now) / 1000;
        const produced = obs.lag.logEndSum - previous.lag.logEndSum;
        const backlogGrew = obs.lag.totalLag - leastLag > rounding;
        surged = backlogGrew || produced - rounding > groupCapacity(model, obs.runningTasks) * seconds;
      }
      previous = obs;
      leastLag = Math.min(leastLag, obs.lag.totalLag);
      return surged ? model.maxTasks : obs.desiredTasks;
    },
  };
}
