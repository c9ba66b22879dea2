import { describe, expect, it } from 'vitest';
import { tickMarkers } from '../../../tools/charts/scaling-panels.js';
import { tickMarks } from '../../../tools/demo/chart.js';
import type { TickRecord } from '../../../tools/demo/controller-loop.js';

const T0 = 1_000_000;
function tick(seconds: number, current: number | null, desired: number | null, reason: string): TickRecord {
  const decision = { current, desired, reason } as NonNullable<TickRecord['result']>['decisions'][number];
  return { scheduledAt: T0 + seconds * 1000, durationMs: 5, result: { dryRun: false, decisions: [decision], errors: [] } };
}

describe('the demo chart’s tick marks', () => {
  const ticks: TickRecord[] = [
    tick(0, 2, 2, 'within-tolerance'),
    tick(3, 2, 2, 'within-tolerance'),
    tick(6, 2, 5, 'scale-up'),
    tick(9, 5, 5, 'within-tolerance'),
    tick(12, null, null, 'lag-read-failed'),
    tick(15, null, null, 'lag-read-failed'),
    { scheduledAt: T0 + 18_000, durationMs: 10_000, error: 'timed out' },
  ];

  it('marks every change, and a hold only when its reason differs from the tick before, in elapsed seconds', () => {
    expect(tickMarks(ticks, T0)).toEqual([
      { tSeconds: 0, from: 2, to: 2, reason: 'within-tolerance' },
      { tSeconds: 6, from: 2, to: 5, reason: 'scale-up' },
      { tSeconds: 9, from: 5, to: 5, reason: 'within-tolerance' },
      { tSeconds: 12, from: null, to: null, reason: 'lag-read-failed' },
      { tSeconds: 18, from: null, to: null, reason: 'error' },
    ]);
  });

  it('labels actions from → to with the reason, and holds with theirs, on the tasks panel', () => {
    expect(tickMarkers(tickMarks(ticks, T0)).map(({ kind, label, panels }) => [kind, label, panels])).toEqual([
      ['hold', 'held: within-tolerance', ['Tasks']],
      ['action', '2 → 5: scale-up', ['Tasks']],
      ['hold', 'held: within-tolerance', ['Tasks']],
      ['hold', 'held: lag-read-failed', ['Tasks']],
      ['hold', 'held: error', ['Tasks']],
    ]);
  });
});
