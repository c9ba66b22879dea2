import type { TargetDecision } from '../../src/report/outcome.js';

/**
 * One target's scale action as a tick reports it (2 → 4 tasks, in control, not a dry run), for the
 * tests of what reports it (metrics, the log line, notifications): each overrides what it is about.
 */
export function aScaleAction(overrides: Partial<TargetDecision> = {}): TargetDecision {
  return {
    target: 'loans',
    group: 'loan-approvals',
    cluster: 'prod',
    service: 'loan-worker',
    lag: { total: 900, max: 80, status: 'ok', partitions: [], warnings: [] },
    current: 2,
    running: 2,
    desired: 4,
    changed: true,
    inControl: true,
    dryRun: false,
    reason: 'scale-up',
    explanation: 'At 4 tasks the backlog is gone in 95 s and no message will be older than 140 s.',
    ...overrides,
  };
}
