/**
 * The control loop of one target (src/control): the rules between two reads that the Lambda runs
 * and the simulator replays — the cadence, the confirmation, the steps per period, the surge watch,
 * the history it keeps (and discards), and the holds over the decision.
 */
import { describe, expect, it } from 'vitest';
import { createControlLoop, DEFAULT_CADENCE, type LoopObservation } from '../../../src/index.js';
import { lagTotals, T0 } from '../decision/scenario.js';

/** A group of 48 partitions: `rate` msg/s produced since T0 and a lag of `lag` at `seconds`. */
function read(seconds: number, options: { rate?: number; lag?: number; desired?: number; running?: number } = {}): LoopObservation {
  const { rate = 2000, lag = 0, desired = 8, running = desired } = options;
  return { now: T0 + seconds * 1000, lag: lagTotals(1_000_000 + rate * seconds, lag), service: { desired, running } };
}

describe('the control loop', () => {
  it("runs the Lambda's cadence by default: a tick a minute, 10 s surge ticks, a 5 s confirmation", () => {
    const loop = createControlLoop();
    expect(loop.cadence).toEqual(DEFAULT_CADENCE);
    expect(loop.slotSeconds).toBe(5);
    // What does not fit the tick is off when left unset, and refused, named, when set.
    expect(createControlLoop({ cadence: { tickSeconds: 5 } }).cadence).toEqual({ tickSeconds: 5, surgeTickSeconds: 0, confirmSeconds: 0 });
    expect(() => createControlLoop({ cadence: { tickSeconds: 60, surgeTickSeconds: 7 } })).toThrow(/cadence\.surgeTickSeconds: .*got 7/);
    expect(() => createControlLoop({ cadence: { tickSeconds: 10, confirmSeconds: 6 } })).toThrow(/cadence\.confirmSeconds: .*got 6/);
  });

  it('keeps the history itself, so it learns throughput and sizes in one step', () => {
    const loop = createControlLoop({ cadence: { surgeTickSeconds: 0, confirmSeconds: 0 } });
    // 2,000 msg/s, 8 tasks consuming 800 of them: two backlogged minutes show 100 msg/s per task.
    const behind = (minute: number) => read(minute * 60, { lag: 1200 * 60 * minute });
    expect(loop.observe(behind(0)).desired).toBe(8);
    loop.observe(behind(1));
    expect(loop.observe(behind(2))).toMatchObject({ desired: 24, confirming: false });
    expect(loop.state().history).toHaveLength(3);
  });

  it('keeps the count on a first look that would raise it, says so, and decides on the read it asks for', () => {
    const loop = createControlLoop({ policy: { taskThroughput: 100 } });
    loop.observe(read(0, { rate: 700 }));
    // A surge began seconds before the minute's tick: the minute's average hides most of it.
    const first = loop.observe({ ...read(60, { rate: 700 }), lag: lagTotals(1_000_000 + 700 * 60 + 20_000, 20_000) });
    expect(first).toMatchObject({ desired: 8, reason: 'awaiting-confirmation', confirming: true });
    expect(first.explanation).toMatch(/first read asks for \d+/);
    expect(loop.nextReadAt()).toBe(T0 + 65_000);
    expect(loop.due(T0 + 60_000)).toBe(false);
    expect(loop.due(T0 + 65_000)).toBe(true);
    // 5 s later, 4,000 msg/s since the first look: sized on that, not on the minute's average.
    const second = loop.observe({ ...read(65), lag: lagTotals(1_000_000 + 700 * 60 + 40_000, 40_000) });
    expect(second.confirming).toBe(false);
    expect(second.decision.figures.produceRate).toBeCloseTo(4000);
    expect(second.desired).toBeGreaterThan(first.decision.desired);
    expect(second.explanation).toMatch(/Read again 5 s after a first read that alone asked for/);
    // The history holds readings and decisions only: the first look is the confirmed decision's input, not an entry.
    expect(loop.state().history.map((e) => e.now)).toEqual([T0, T0 + 65_000]);
  });

  it('keeps a first look whose confirmation never came as a reading that kept the count', () => {
    const loop = createControlLoop({ policy: { taskThroughput: 100 } });
    loop.observe(read(0, { rate: 700 }));
    loop.observe(read(60, { rate: 5000, lag: 50_000 }));
    // The confirmation read failed (the tick held on it); the next minute's tick is a tick of its own.
    const next = loop.observe(read(120, { rate: 5000, lag: 60_000 }));
    expect(next.reason).toBe('awaiting-confirmation');
    expect(loop.state().history.map((e) => [e.now, e.decision?.desired])).toEqual([
      [T0, 8],
      [T0 + 60_000, 8],
    ]);
  });

  it('moves the count by one step per period at most, however many reads fall in it, and steps afresh the next', () => {
    const loop = createControlLoop({ policy: { taskThroughput: 100, maxScaleUpStep: 2 }, cadence: { confirmSeconds: 0 } });
    loop.observe(read(0, { rate: 800 }));
    const deep = (seconds: number, desired: number) => read(seconds, { rate: 5000, lag: 100_000, desired });
    expect(loop.observe(deep(60, 8)).desired).toBe(10);
    // A surge tick of the same period: still counted from 8.
    expect(loop.observe(deep(70, 10)).desired).toBe(10);
    expect(loop.observe(deep(120, 10)).desired).toBe(12);
  });

  it('watches closely after a decision that raised the count, and returns to the minute once calm', () => {
    const loop = createControlLoop({ policy: { taskThroughput: 100 }, cadence: { confirmSeconds: 0 } });
    loop.observe(read(0, { rate: 800 }));
    expect(loop.nextReadAt()).toBe(T0 + 60_000);
    loop.observe(read(60, { rate: 3000, lag: 30_000 }));
    expect(loop.nextReadAt()).toBe(T0 + 70_000);
    loop.observe(read(70, { rate: 800, desired: 40 }));
    // Calm again: the next read is the next minute's tick, on the minute's grid.
    expect(loop.nextReadAt()).toBe(T0 + 120_000);
  });

  it('discards a history decide rejects and decides as after a cold start, saying so', () => {
    const garbled = { ...read(-60), lag: { ...read(-60).lag, partitionsWithLag: 99 } };
    const loop = createControlLoop({ state: { history: [{ now: garbled.now, lag: garbled.lag, service: garbled.service }] } });
    const answer = loop.observe(read(0));
    expect(answer.reason).not.toBe('invalid-history');
    expect(answer.explanation).toMatch(/history was inconsistent and was discarded/);
    expect(loop.state().history).toHaveLength(1);
  });

  it('holds: a pause keeps the count, a pin moves toward its count by the step, the controller’s hold keeps it, a rollout delays a scale-in', () => {
    const policy = { taskThroughput: 100, maxScaleUpStep: 3 };
    const surge = (override: LoopObservation['override']) => {
      const loop = createControlLoop({ policy, cadence: { confirmSeconds: 0 } });
      loop.observe(read(0, { rate: 800 }));
      return { loop, answer: loop.observe({ ...read(60, { rate: 5000, lag: 100_000 }), ...(override ? { override } : {}) }) };
    };
    const paused = surge({ kind: 'pause', by: 'SCALER_PAUSED' });
    expect(paused.answer).toMatchObject({ desired: 8, reason: 'paused', heldBy: 'SCALER_PAUSED' });
    expect(paused.loop.state().history.at(-1)?.decision?.desired).toBe(8);
    expect(surge({ kind: 'pin', by: 'the parameter', tasks: 20 }).answer).toMatchObject({ desired: 11, reason: 'pinned' });
    const held = surge({ kind: 'hold', reason: 'control-unreadable', why: 'Cannot read it.', detail: 'AccessDenied' });
    expect(held.answer).toMatchObject({ desired: 8, reason: 'control-unreadable' });
    expect(held.answer.explanation).toMatch(/^Cannot read it\. The decision was 11 \(.*\): AccessDenied$/);

    const loop = createControlLoop({ policy: { taskThroughput: 100, scaleDownStabilizationSeconds: 0 } });
    loop.observe(read(0, { rate: 100, desired: 10 }));
    const rollingOut = { ...read(60, { rate: 100, desired: 10 }), service: { desired: 10, running: 10, rollingOut: true } };
    expect(loop.observe(rollingOut)).toMatchObject({ desired: 10, reason: 'deployment-in-progress' });
  });

  it('answers the same from a state it was given as from the state it kept', () => {
    const reads = [0, 60, 65, 70, 80, 120, 180, 185].map((s, i) => read(s, { rate: 800 + 400 * i, lag: 5_000 * i }));
    const kept = createControlLoop({ policy: { taskThroughput: 100 } });
    const keptAnswers = reads.map((r) => kept.observe(r).desired);
    let state = createControlLoop().state();
    const restoredAnswers = reads.map((r) => {
      const loop = createControlLoop({ policy: { taskThroughput: 100 }, state });
      const answer = loop.observe(r).desired;
      state = loop.state();
      return answer;
    });
    expect(restoredAnswers).toEqual(keptAnswers);
  });

  it('never changes a state it was given: a read makes a new one', () => {
    const first = createControlLoop({ policy: { taskThroughput: 100 } });
    first.observe(read(0, { rate: 800 }));
    first.observe(read(60, { rate: 3000, lag: 30_000 }));
    const given = first.state();
    const frozen = JSON.stringify(given);
    deepFreeze(given);
    const next = createControlLoop({ policy: { taskThroughput: 100 }, state: given });
    for (const seconds of [65, 70, 80, 120]) next.observe(read(seconds, { rate: 3000, lag: 30_000 }));
    expect(JSON.stringify(given)).toBe(frozen);
    expect(next.state()).not.toBe(given);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
