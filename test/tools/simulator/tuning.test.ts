import { describe, expect, it } from 'vitest';
import type { SimulationResult } from '../../../tools/simulator/simulate.js';
import { chooseBest, type TunedRun } from '../../../tools/simulator/tuning.js';

function run(setting: number, sloViolationSeconds: number, cost: number): TunedRun {
  const result = { autoscaler: `s${setting}`, sloViolationSeconds, cost } as SimulationResult;
  return { settings: { setting }, result };
}

describe('choosing a baseline setting: fewest violations (within a margin), then cheapest', () => {
  it('prefers the SLO over cost', () => {
    expect(chooseBest([run(1, 0, 500), run(2, 400, 100)]).settings).toEqual({ setting: 1 });
  });

  it('treats violations within 100 s of the fewest as equal, and takes the cheapest of those', () => {
    expect(chooseBest([run(1, 0, 500), run(2, 100, 300), run(3, 101, 100)]).settings).toEqual({ setting: 2 });
  });

  it('widens the margin to 10 % when the fewest violations are large', () => {
    expect(chooseBest([run(1, 2000, 500), run(2, 2200, 300), run(3, 2201, 100)]).settings).toEqual({ setting: 2 });
  });
});
