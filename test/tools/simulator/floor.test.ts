import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASELINES } from '../../../tools/simulator/baselines/index.js';
import { DEFAULT_SERVICE_MODEL, type ServiceModel } from '../../../tools/simulator/consumer-service.js';
import { createDecideAutoscaler } from '../../../tools/simulator/decide-autoscaler.js';
import { fixedAutoscaler } from '../../../tools/simulator/fixed-autoscaler.js';
import { costFloor } from '../../../tools/simulator/floor.js';
import { reactiveLimitAutoscaler } from '../../../tools/simulator/reactive-limit.js';
import { simulate } from '../../../tools/simulator/simulate.js';
import type { Autoscaler } from '../../../tools/simulator/types.js';
import { traceOf } from './observations.js';

describe('the cost floor', () => {
  it('is the per-second Σ max(minTasks, rate/throughput) while the rate stays above what the minimum tasks consume', () => {
    const trace = traceOf([
      [0, 300],
      [600, 3000],
      [1200, 500],
    ]);
    let perSecond = 0;
    for (let s = 0; s < trace.durationSeconds; s++) perSecond += Math.max(1, (trace.producedBy[s + 1]! - trace.producedBy[s]!) / 100);
    expect(costFloor(trace.producedBy, DEFAULT_SERVICE_MODEL)).toBeCloseTo(perSecond, 6);
  });

  it('lets a burst wait for the idle minimum tasks: 1,000 messages at once cost no more than the one task paid anyway', () => {
    const trace = traceOf([
      [0, 1000],
      [1, 0],
      [600, 0],
    ]);
    // The old per-second floor said 600 + 4.95 task-seconds; one task consumes the burst within 6 s.
    expect(costFloor(trace.producedBy, DEFAULT_SERVICE_MODEL)).toBeCloseTo(600);
  });

  it('is not beaten by a controller that stays behind on a 2-minute trace (it was: 0.615)', () => {
    const short = traceOf([
      [0, 100],
      [10, 3000],
      [120, 3000],
    ]);
    const result = simulate(short, createDecideAutoscaler({ taskThroughput: 100 }), {});
    expect(result.endBacklog).toBeGreaterThan(0);
    expect(result.costOverFloor).toBeGreaterThanOrEqual(1);
  });
});

/** An autoscaler answering seeded random counts: the floor must hold for any behaviour, not only sensible ones. */
function randomAutoscaler(seed: number, periodSeconds: number): Autoscaler {
  let state = seed >>> 0 || 1;
  return {
    name: 'random',
    periodSeconds,
    tick: () => {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      return state % 60;
    },
  };
}

const models = fc.record({
  minTasks: fc.integer({ min: 0, max: 3 }),
  startupSeconds: fc.integer({ min: 0, max: 90 }),
  rebalancePauseSeconds: fc.integer({ min: 0, max: 15 }),
  ceilingRate: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 3000 })),
  stalledPartitions: fc.integer({ min: 0, max: 4 }),
  stallFromSeconds: fc.integer({ min: 0, max: 100 }),
  commitIntervalSeconds: fc.integer({ min: 0, max: 10 }),
});

const shortTraces = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 8000 })), { minLength: 1, maxLength: 5 })
  .chain((steps) =>
    fc.integer({ min: 1, max: 8000 }).map((first) => {
      const points: [number, number][] = [[0, first]];
      for (const [gap, rate] of steps) points.push([points.at(-1)![0] + gap, rate]);
      return traceOf(points, 'random');
    }),
  );

describe('no autoscaler pays less than the floor (property)', () => {
  it('holds on random short traces and models, for ours, the baselines, the references and random answers', () => {
    fc.assert(
      fc.property(shortTraces, models, fc.integer(), (trace, settings, seed) => {
        const model: ServiceModel = { ...DEFAULT_SERVICE_MODEL, ...settings };
        const autoscalers: Autoscaler[] = [
          createDecideAutoscaler({ taskThroughput: 100, minTasks: model.minTasks }, { tickSeconds: 10 }),
          createDecideAutoscaler({ taskThroughput: 0 }),
          ...BASELINES.map((b) => b.create(b.defaults)),
          reactiveLimitAutoscaler(model),
          fixedAutoscaler(model.minTasks),
          randomAutoscaler(seed, 1 + (Math.abs(seed) % 30)),
        ];
        for (const autoscaler of autoscalers) {
          const result = simulate(trace, autoscaler, { model });
          if (result.floor === 0) continue; // nothing produced and no minimum: no cost to compare
          expect(result.cost, `${autoscaler.name}: cost ${result.cost} < floor ${result.floor}`).toBeGreaterThanOrEqual(
            result.floor * (1 - 1e-9),
          );
        }
      }),
      { numRuns: 150, seed: 1234 },
    );
  });
});
