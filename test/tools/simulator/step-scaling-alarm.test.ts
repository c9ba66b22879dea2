import { describe, expect, it } from 'vitest';
import { createStepScalingAlarm, stepSize } from '../../../tools/simulator/baselines/step-scaling-alarm.js';
import { drive, firstChange } from './observations.js';

const alarm = () => createStepScalingAlarm({ highThreshold: 1000, lowThreshold: 100 });

describe('CloudWatch alarms on SumOffsetLag with step scaling', () => {
  it('evaluates once a minute', () => {
    expect(alarm().periodSeconds).toBe(60);
  });

  it('scales out once 3 of 3 datapoints are above the threshold, the last published a minute late', () => {
    // Datapoints of the minutes observed at 0, 60 and 120 s are all published by 180 s.
    const answers = drive(alarm(), 600, () => 1500, 4);
    expect(firstChange(answers, 4)).toEqual({ t: 180, desired: 5 });
  });

  it('does not scale out if one of the 3 datapoints is below the threshold', () => {
    // The dip observed at 60 s is among the latest 3 published datapoints until 300 s.
    const answers = drive(alarm(), 360, (t) => (t === 60 ? 900 : 1500), 4);
    expect(firstChange(answers, 4)?.t).toBe(300);
  });

  it('adds +1, +2 or +4 tasks by how far the latest datapoint breaches', () => {
    expect([1500, 2500, 3900, 4000, 50_000].map((lag) => stepSize(lag, 1000))).toEqual([1, 2, 2, 4, 4]);
    const answers = drive(alarm(), 180, () => 5000, 4);
    expect(firstChange(answers, 4)).toEqual({ t: 180, desired: 8 });
  });

  it('keeps adding each minute while the alarm stays in ALARM (the 60 s cooldown has passed by then)', () => {
    const answers = drive(alarm(), 300, () => 1500, 4);
    expect(answers.filter((a) => a.t >= 180).map((a) => a.desired)).toEqual([5, 6, 7]);
  });

  it('removes one task after 15 of 15 datapoints below the low threshold, then waits out a 300 s cooldown', () => {
    const answers = drive(alarm(), 1500, () => 50, 10);
    // Minutes observed at 0..840 s are all published by 900 s.
    expect(firstChange(answers, 10)).toEqual({ t: 900, desired: 9 });
    const removals = answers.filter((a, i) => i > 0 && a.desired < answers[i - 1]!.desired).map((a) => a.t);
    expect(removals).toEqual([900, 1200, 1500]);
  });

  it('leaves the count alone between the thresholds', () => {
    const answers = drive(alarm(), 1800, () => 500, 6);
    expect(firstChange(answers, 6)).toBeUndefined();
  });
});
