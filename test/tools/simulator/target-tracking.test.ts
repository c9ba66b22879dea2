import { describe, expect, it } from 'vitest';
import { createTargetTracking } from '../../../tools/simulator/baselines/target-tracking.js';
import type { Autoscaler } from '../../../tools/simulator/types.js';
import { firstChange, observation } from './observations.js';

// Target: 1,000 messages of backlog per running task.
const tracking = () => createTargetTracking({ targetBacklogPerTask: 1000 });

/** Ticks every minute with a fixed lag, the desired count following the answers and `running` tasks consuming. */
function driveWithRunning(scaler: Autoscaler, untilSeconds: number, lag: number, start: number, running: number) {
  const answers: { t: number; desired: number }[] = [];
  let desired = start;
  for (let t = 0; t <= untilSeconds; t += 60) {
    desired = scaler.tick(observation(t, lag, desired, running));
    answers.push({ t, desired });
  }
  return answers;
}

describe('Application Auto Scaling target tracking on backlog per task', () => {
  it('scales out after 3 of 3 datapoints above the target, to the count that meets the target', () => {
    // 10,000 lag over 2 running tasks: 5,000 per task; 10 tasks would bring it to 1,000.
    const answers = driveWithRunning(tracking(), 300, 10_000, 2, 2);
    expect(firstChange(answers, 2)).toEqual({ t: 180, desired: 10 });
  });

  it('does not add again while the proposal is not above the desired count (capacity already added counts)', () => {
    const answers = driveWithRunning(tracking(), 600, 10_000, 2, 2);
    expect(answers.filter((a) => a.t >= 180).every((a) => a.desired === 10)).toBe(true);
  });

  it('scales in after 15 of 15 datapoints below 90 % of the target, then waits out a 300 s cooldown', () => {
    // 2,000 lag over 8 tasks: 250 per task; 2 tasks would bring it to 1,000.
    const answers = driveWithRunning(tracking(), 1200, 2000, 8, 8);
    expect(firstChange(answers, 8)).toEqual({ t: 900, desired: 2 });
  });

  it('holds between 90 % and 100 % of the target', () => {
    const answers = driveWithRunning(tracking(), 1800, 4 * 950, 4, 4);
    expect(firstChange(answers, 4)).toBeUndefined();
  });

  it('waits 300 s after a scale-in before the next one', () => {
    const scaler = tracking();
    let desired = 8;
    const removals: number[] = [];
    for (let t = 0; t <= 1500; t += 60) {
      // Lag shrinks with the count, so each scale-in proposes a further one.
      const next = scaler.tick(observation(t, desired * 100, desired, desired));
      if (next < desired) removals.push(t);
      desired = next;
    }
    expect(removals[0]).toBe(900);
    expect(removals.every((t, i) => i === 0 || t - removals[i - 1]! >= 300)).toBe(true);
  });
});
