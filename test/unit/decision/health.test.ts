import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../src/decision/health.js';
import { judgePartitions } from '../../../src/decision/partition-health.js';
import type { HistoryEntry } from '../../../src/decision/types.js';
import { policy, type ScenarioOptions, scenario } from './scenario.js';

/** Eleven samples a minute apart: exactly the default 600 s health window. */
function samplesOf(options: ScenarioOptions): HistoryEntry[] {
  const input = scenario({ samples: 11, ...options });
  return [...input.history, { now: input.now, lag: input.lag, service: input.service }];
}

/** The status as decide judges it: per partition where the readings have them, else on the sums. */
const health = (samples: HistoryEntry[], p = policy()) => assessHealth(samples, p, judgePartitions(samples, p));

const stuck: ScenarioOptions = { produceRate: 100, consumeRate: 0, initialLag: 5000 };

describe('health (Burrow rules)', () => {
  it('is OK for a group that keeps up', () => {
    expect(health(samplesOf({ produceRate: 1000 }), policy())).toBe('OK');
  });

  it('is WARN when the lag grew at every sample of the window', () => {
    expect(health(samplesOf({ produceRate: 1000, consumeRate: 900 }), policy())).toBe('WARN');
  });

  it('is STALL when running consumers commit nothing for the window while there is lag', () => {
    expect(health(samplesOf({ ...stuck, desired: 4 }), policy())).toBe('STALL');
  });

  it('is STOP when tasks are wanted, none runs, and nothing was committed for the window', () => {
    expect(health(samplesOf({ ...stuck, desired: 4, running: 0 }), policy())).toBe('STOP');
  });

  it('is not STALL or STOP for a group scaled to zero on purpose', () => {
    expect(health(samplesOf({ ...stuck, desired: 0, running: 0 }), policy())).toBe('WARN');
  });

  it('is not STALL when the history is shorter than the window', () => {
    const short = samplesOf({ ...stuck, desired: 4 }).slice(-6);
    expect(health(short, policy())).toBe('OK');
  });

  it('is not STALL when the idle group has no lag', () => {
    expect(health(samplesOf({ produceRate: 0, initialLag: 0 }), policy())).toBe('OK');
  });

  it('is REWIND when committed offsets went backwards, even with little history', () => {
    const samples = samplesOf({ produceRate: 1000 }).slice(-2);
    samples[1]!.lag.committedSum = samples[0]!.lag.committedSum - 1;
    expect(health(samples, policy())).toBe('REWIND');
  });

  it('forgets a rewind once it has left the window', () => {
    const samples = samplesOf({ produceRate: 1000, samples: 14 });
    samples[1]!.lag.committedSum = samples[0]!.lag.committedSum - 1;
    expect(health(samples, policy())).toBe('OK');
  });
});
