import type { Reason } from './reasons.js';

/** What a pipeline step after compute returns: the count, and its reason if it changed the count. */
export interface StepResult {
  tasks: number;
  reason: Reason | null;
}
