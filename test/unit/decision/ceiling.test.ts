import { describe, expect, it } from 'vitest';
import { assessCeiling, capAtCeiling, PROBE_FACTOR } from '../../../src/decision/ceiling.js';
import { decide } from '../../../src/decision/decide.js';
import { resolvePolicy } from '../../../src/decision/policy.js';
import type { HistoryDecision, HistoryEntry } from '../../../src/decision/types.js';
import { lagTotals, T0 } from './scenario.js';

const policy = resolvePolicy({ taskThroughput: 100, maxTasks: 48 });
const produceRate = 3000;

/**
 * A backlogged group, one sample a minute: `phases` say how many tasks ran and what they consumed
 * for how many minutes (48 partitions, so 16 tasks can give 1,600 msg/s and 48 tasks 4,800).
 */
function backlogged(phases: { tasks: number; consumes: number; minutes: number }[], decision?: HistoryDecision): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let logEnd = 10_000_000;
  let committed = 9_000_000;
  let minute = 0;
  for (const { tasks, consumes, minutes } of phases) {
    for (let m = 0; m < minutes; m++, minute++) {
      entries.push({
        now: T0 + minute * 60_000,
        lag: lagTotals(logEnd, logEnd - committed),
        service: { desired: tasks, running: tasks },
        ...(decision ? { decision } : {}),
      });
      logEnd += produceRate * 60;
      committed += consumes * 60;
    }
  }
  return entries;
}

describe('assessCeiling', () => {
  it('finds the ceiling when more tasks consumed no more than fewer did', () => {
    const samples = backlogged([
      { tasks: 16, consumes: 1500, minutes: 4 },
      { tasks: 48, consumes: 1500, minutes: 4 },
    ]);
    expect(assessCeiling(samples, policy)).toEqual({ ceiling: { consumeRate: 1500, tasks: 16 }, probeLimit: null });
  });

  it('sizes the ceiling from what a task can do, whatever count it appeared at', () => {
    // 1,200 msg/s downstream: 24, 36 and 48 tasks all consume it, no count below 24 ever ran.
    const samples = backlogged([
      { tasks: 24, consumes: 1200, minutes: 4 },
      { tasks: 36, consumes: 1200, minutes: 3 },
      { tasks: 48, consumes: 1200, minutes: 3 },
    ]);
    // At 100 msg/s a task, 12 tasks reach it; from the counts tried alone it would be 24.
    expect(assessCeiling(samples, policy, 100).ceiling).toEqual({ consumeRate: 1200, tasks: 12 });
    expect(assessCeiling(samples, policy).ceiling).toEqual({ consumeRate: 1200, tasks: 24 });
  });

  it('finds none while tasks add throughput in proportion', () => {
    const samples = backlogged([
      { tasks: 16, consumes: 1600, minutes: 4 },
      { tasks: 48, consumes: 4800, minutes: 4 },
    ]);
    expect(assessCeiling(samples, policy).ceiling).toBeNull();
  });

  it('finds none from a single count, however little it consumes: consumers slowed for their own reasons look the same', () => {
    const samples = backlogged([{ tasks: 48, consumes: 1500, minutes: 5 }]);
    expect(assessCeiling(samples, policy).ceiling).toBeNull();
  });

  it('finds none when fewer tasks consumed proportionally less', () => {
    const samples = backlogged([
      { tasks: 48, consumes: 1500, minutes: 4 },
      { tasks: 16, consumes: 500, minutes: 4 },
    ]);
    expect(assessCeiling(samples, policy).ceiling).toBeNull();
  });

  it('ignores one slow interval: each count is judged on its median', () => {
    const samples = backlogged([
      { tasks: 16, consumes: 1600, minutes: 4 },
      { tasks: 48, consumes: 4800, minutes: 3 },
      { tasks: 48, consumes: 1000, minutes: 1 },
      { tasks: 48, consumes: 4800, minutes: 3 },
    ]);
    expect(assessCeiling(samples, policy).ceiling).toBeNull();
  });

  it('bounds the re-probe once the evidence has aged out, until a count above the ceiling has worked backlogged', () => {
    const found = { desired: 16, ceiling: { consumeRate: 1500, tasks: 16 } };
    const quiet = backlogged([{ tasks: 16, consumes: 1500, minutes: 1 }], found);
    expect(assessCeiling(quiet, policy)).toEqual({ ceiling: null, probeLimit: 16 * PROBE_FACTOR });

    const probed = [...quiet, ...backlogged([{ tasks: 32, consumes: 3200, minutes: 4 }]).map((s) => ({ ...s, now: s.now + 60_000 }))];
    expect(assessCeiling(probed, policy).probeLimit).toBeNull();
  });

  it('probes to a whole count, above the ceiling’s, whatever that count', () => {
    for (const tasks of [1, 7, 16]) {
      const quiet = backlogged([{ tasks, consumes: 100 * tasks, minutes: 1 }], {
        desired: tasks,
        ceiling: { consumeRate: 100 * tasks, tasks },
      });
      const { probeLimit } = assessCeiling(quiet, policy);
      expect(Number.isInteger(probeLimit)).toBe(true);
      expect(probeLimit).toBeGreaterThan(tasks);
    }
  });
});

describe('decide behind a ceiling', () => {
  const history = backlogged([
    { tasks: 16, consumes: 1500, minutes: 4 },
    { tasks: 48, consumes: 1500, minutes: 8 },
  ]);
  const now = history.at(-1)!;
  const input = { now: now.now + 60_000, lag: now.lag, service: now.service, history };

  it('comes back down to the ceiling’s count, although the lag grows, and says why', () => {
    const grown = { ...now.lag, totalLag: now.lag.totalLag + 90_000, logEndSum: now.lag.logEndSum + 180_000 };
    const decision = decide({ ...input, lag: { ...grown, committedSum: grown.logEndSum - grown.totalLag } }, policy);
    expect(decision.reason).toBe('scaling-ineffective');
    expect(decision.desired).toBe(16);
    expect(decision.figures.consumeCeiling).toBe(1500);
    expect(decision.explanation).toContain('1,500 msg/s');
  });
});

describe('capAtCeiling', () => {
  it('never lifts a health hold: a stalled or rewound group stays held behind a ceiling too', () => {
    for (const reason of ['group-stalled', 'partition-rewind', 'health-stall', 'health-stop', 'health-rewind'] as const) {
      const held = { tasks: 24, reason, requiredCapacity: null };
      expect(capAtCeiling(held, { ceiling: { consumeRate: 1200, tasks: 12 }, probeLimit: null })).toEqual(held);
    }
  });
});
