/**
 * Our controller as a simulator autoscaler: the control loop the Lambda runs (src/control), read
 * on the simulator's clock. The simulator calls it every slot; the loop says which slots are reads.
 */
import { type Cadence, createControlLoop, type Policy } from '../../src/index.js';
import type { Autoscaler, Observation } from './types.js';

/** `cadence` as the Lambda's settings give it: what is left out takes the Lambda's default where it fits. */
export function createDecideAutoscaler(policy: Partial<Policy> = {}, cadence: Partial<Cadence> = {}): Autoscaler {
  const loop = createControlLoop({ policy, cadence });
  let lastReason: string | undefined;
  return {
    name: 'kafka-lag-scaler',
    periodSeconds: loop.slotSeconds,
    tick(obs: Observation): number {
      lastReason = undefined;
      if (!loop.due(obs.now)) return obs.desiredTasks;
      const answer = loop.observe({ now: obs.now, lag: obs.lag, service: { desired: obs.desiredTasks, running: obs.runningTasks } });
      // A first look is not yet a decision: it keeps the count until its confirmation.
      if (!answer.confirming) lastReason = answer.reason;
      return answer.desired;
    },
    /** The reason of the decision just made; undefined for a slot that was not one. */
    lastReason: () => lastReason,
  };
}
