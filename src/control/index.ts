export { type Cadence, confirmationFits, DEFAULT_CADENCE, resolveCadence, shortestTickSeconds, surgeTickFits } from './cadence.js';
export {
  type ControlLoop,
  type ControlLoopOptions,
  createControlLoop,
  type LoopAnswer,
  type LoopObservation,
  type LoopState,
  type Override,
} from './control-loop.js';
export { heldExplanation, LOOP_REASONS, type LoopReason } from './loop-reasons.js';
export { callsForCloserWatch } from './surge-watch.js';
