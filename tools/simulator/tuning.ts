/**
 * Giving each baseline its best setting, per trace, from its grid — the most generous comparison
 * for the baselines: each is tuned with hindsight for the trace it is judged on, while our policy
 * runs one fixed configuration everywhere.
 *
 * Rule: the SLO comes first, then cost. Take the fewest violation seconds any setting achieved;
 * settings within a margin of that (max(100 s, 10 %), so a handful of seconds does not buy a
 * setting at double the cost) are "as good on the SLO"; among those the cheapest wins.
 */
import type { Baseline, BaselineSettings } from './baselines/index.js';
import { type SimulationOptions, type SimulationResult, simulate } from './simulate.js';
import type { Trace } from './trace.js';

export const VIOLATION_MARGIN_SECONDS = 100;
export const VIOLATION_MARGIN_FRACTION = 0.1;

export interface TunedRun {
  settings: BaselineSettings;
  result: SimulationResult;
}

export function chooseBest(runs: readonly TunedRun[]): TunedRun {
  const fewest = Math.min(...runs.map((r) => r.result.sloViolationSeconds));
  const acceptable = fewest + Math.max(VIOLATION_MARGIN_SECONDS, VIOLATION_MARGIN_FRACTION * fewest);
  const candidates = runs.filter((r) => r.result.sloViolationSeconds <= acceptable);
  return candidates.reduce((best, r) => (r.result.cost < best.result.cost ? r : best));
}

export function tuneBaseline(trace: Trace, baseline: Baseline, options?: SimulationOptions): TunedRun {
  if (baseline.grid.length === 0) throw new Error(`${baseline.key} has an empty grid`);
  return chooseBest(baseline.grid.map((settings) => ({ settings, result: simulate(trace, baseline.create(settings), options) })));
}
