import { describe, expect, it } from 'vitest';
import { createKedaHpa } from '../../../tools/simulator/baselines/keda-hpa.js';
import { drive, observation } from './observations.js';

// lagThreshold 100: the HPA aims for 100 messages of lag per replica.
const keda = () => createKedaHpa({ lagThreshold: 100 });

describe('KEDA Kafka scaler + HPA (default behaviour)', () => {
  it('syncs every 15 s and asks for ceil(lag / lagThreshold) replicas', () => {
    const scaler = keda();
    expect(scaler.periodSeconds).toBe(15);
    expect(scaler.tick(observation(0, 1250, 10))).toBe(13);
  });

  it('caps the lag at partitions × lagThreshold, so never asks for more replicas than partitions', () => {
    expect(keda().tick(observation(0, 1_000_000, 40))).toBe(48);
  });

  it('ignores a mismatch within the 0.1 tolerance', () => {
    expect(keda().tick(observation(0, 1090, 10))).toBe(10);
    expect(keda().tick(observation(0, 910, 10))).toBe(10);
    expect(keda().tick(observation(0, 1150, 10))).toBe(12);
  });

  it('can stall one step short of the partition count: the capped lag is within tolerance of 46 replicas', () => {
    // 48 × 100 capped lag / (100 × 46) = 1.04: no change, however large the real lag.
    expect(keda().tick(observation(0, 1_000_000, 46))).toBe(46);
  });

  it('scales up at most to max(2 × current, 4) per sync', () => {
    expect(keda().tick(observation(0, 4000, 1))).toBe(4);
    expect(keda().tick(observation(0, 4000, 3))).toBe(6);
    expect(keda().tick(observation(0, 4000, 10))).toBe(20);
  });

  it('scales down only to the highest recommendation of the last 300 s', () => {
    const scaler = keda();
    // 10 replicas' worth of lag at t = 0, then none.
    const answers = drive(scaler, 330, (t) => (t === 0 ? 1000 : 0), 10);
    const at = (t: number) => answers.find((a) => a.t === t)!.desired;
    expect(at(0)).toBe(10);
    expect(at(300)).toBe(10); // the t = 0 recommendation is still in the window
    expect(at(315)).toBe(1);
  });
});
